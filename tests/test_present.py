"""The presentation helpers: figures formatted once, in Python, exactly as money() does."""

import numpy as np
from django.urls import get_script_prefix, set_script_prefix
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from costcalc.calculator.present import money_cells, url, whole_dollars
from costcalc.text import money

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


def test_remembered_links_follow_the_script_prefix():
    # A site served under a path prefix must not be handed links remembered without it.
    before = get_script_prefix()
    try:
        assert url("calculator:monthly") == "/monthly/"
        set_script_prefix("/costs/")
        assert url("calculator:monthly") == "/costs/monthly/"
        assert url("assumptions:version", "independent-2026", 2) == (
            "/costs/assumptions/independent-2026/v2/"
        )
    finally:
        set_script_prefix(before)
    assert url("calculator:monthly") == "/monthly/"
