"""The presentation helpers: figures formatted once, in Python, exactly as money() does."""

import numpy as np
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from costcalc.calculator.present import money, money_cells, whole_dollars

figures = st.floats(min_value=-1e30, max_value=1e30, allow_nan=False)


def test_money_rounds_before_choosing_the_sign():
    assert money(1234.5) == "$1,234"  # half to even
    assert money(1235.5) == "$1,236"
    assert money(-0.4) == "$0"
    assert money(-2_500_000.6) == "-$2,500,001"
    assert money(float(2**80)) == "$1,208,925,819,614,629,174,706,176"  # past int64


@given(arrays(np.float64, st.tuples(st.integers(1, 6), st.integers(1, 8)), elements=figures))
def test_table_cells_match_money_for_every_figure(table):
    for row, dollars in zip(table.tolist(), whole_dollars(table), strict=True):
        assert money_cells(dollars) == "".join(f"<td>{money(v)}</td>" for v in row)
