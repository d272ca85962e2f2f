"""engine.search: the traffic search agrees with a scalar bisection through compute()."""

from __future__ import annotations

from dataclasses import replace

import pytest

from costcalc.engine import ModelError, compute
from costcalc.engine.search import _traffic_bracket, traffic_where_cheaper
from tests.engine_equivalence import random_case
from tests.test_insight import (
    RICH,
    RICH_OPTIONS,
    RICH_SCENARIOS,
    fig,
    inputs,
    make_set,
    rate,
    singles,
    stack,
)


def scalar_flip(inp, options, a, first=0, second=1, lo=1.0, hi=10_000_000.0, rel_tol=1e-3):
    """examples.flip_traffic's bisection, one compute() per step: the brute-force reference."""

    def cheaper(rps: float) -> bool:
        r = compute(replace(inp, peak_rps=rps), options, a, explain=False)
        return r.options[second].horizon_total < r.options[first].horizon_total

    if cheaper(lo) or not cheaper(hi):
        return None
    while hi / lo > 1 + rel_tol:
        mid = (lo * hi) ** 0.5
        lo, hi = (lo, mid) if cheaper(mid) else (mid, hi)
    return hi


def cheaper_at(inp, options, a, rps, first, second) -> bool:
    r = compute(replace(inp, peak_rps=rps), options, a, explain=False)
    return r.options[second].horizon_total < r.options[first].horizon_total


# Go costs more people, less infrastructure: one crossing, a smooth-ish step function.
SMOOTH = make_set(
    [stack("py", "py", 100.0, mult=4.0), stack("go", "go", 2000.0)],
    [rate("py", 60_000.0), rate("go", 180_000.0)],
    price=fig(0.02),
)


def test_one_crossing_is_where_the_scalar_bisection_finds_it():
    inp = inputs(known={"py": 1, "go": 0})
    options = singles("py", "go")
    found = traffic_where_cheaper(inp, options, SMOOTH)
    expected = scalar_flip(inp, options, SMOOTH)
    assert expected is not None and found is not None
    # Both end within 0.1% above the same switching point.
    assert abs(found / expected - 1) <= 2e-3
    assert cheaper_at(inp, options, SMOOTH, found, 0, 1)
    assert not cheaper_at(inp, options, SMOOTH, found / 1.001, 0, 1)


@pytest.mark.parametrize("changes", RICH_SCENARIOS)
@pytest.mark.parametrize("pair", [(0, 1), (1, 0), (0, 3), (2, 1)])
def test_agrees_with_the_scalar_bisection_on_the_rich_set(changes, pair):
    inp = inputs(**changes)
    first, second = pair
    found = traffic_where_cheaper(inp, RICH_OPTIONS, RICH, first=first, second=second)
    expected = scalar_flip(inp, RICH_OPTIONS, RICH, first, second)
    assert (found is None) == (expected is None)
    if found is not None:
        # Whichever crossing each search lands on, it is a true switch, to the tolerance.
        assert cheaper_at(inp, RICH_OPTIONS, RICH, found, first, second)
        assert not cheaper_at(inp, RICH_OPTIONS, RICH, found / 1.001, first, second)


def test_options_by_name_and_bad_names():
    inp = inputs(known={"py": 1, "go": 0})
    options = singles("py", "go")
    assert traffic_where_cheaper(inp, options, SMOOTH, first="Py", second="Go") == (
        traffic_where_cheaper(inp, options, SMOOTH)
    )
    with pytest.raises(ModelError):
        traffic_where_cheaper(inp, options, SMOOTH, second="Rust")
    with pytest.raises(ModelError):
        traffic_where_cheaper(inp, options, SMOOTH, second=5)


def test_none_when_the_second_is_never_or_always_cheaper():
    inp = inputs(known={"py": 1, "go": 0})
    options = singles("py", "go")
    assert traffic_where_cheaper(inp, options, SMOOTH, high=2.0) is None
    assert traffic_where_cheaper(inp, options, SMOOTH, first=1, second=0, low=1e6) is None


@pytest.mark.parametrize("seed", range(60))
def test_agrees_with_the_scalar_bisection_on_random_scenarios(seed):
    """About one in four of these scenarios has a crossing between 1 and 10 million RPS."""
    inp, options, a, _ = random_case(seed, small=True)
    if len(options) < 2:
        pytest.skip("one option: nothing to compare")
    try:
        found = traffic_where_cheaper(inp, options, a)
    except ModelError:
        with pytest.raises(ModelError):
            compute(inp, options, a)
        return
    expected = scalar_flip(inp, options, a)
    assert (found is None) == (expected is None)
    if found is not None:
        # The step function can switch back and forth: whichever switch each search lands on,
        # the bracket is a true one, checked through compute().
        low, high = _traffic_bracket(
            inp, options, a, first=0, second=1, low=1.0, high=1e7, rel_tol=1e-3
        )
        assert high == found and high / low <= 1.001 * (1 + 1e-12)
        assert cheaper_at(inp, options, a, high, 0, 1)
        assert not cheaper_at(inp, options, a, low, 0, 1)
