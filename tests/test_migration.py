"""Migrations: hand-computed cases of staying against migrating, and two laws (no database).

The assumptions are tests/test_engine.py's round numbers. In market "flat" every language costs
60,000 x 1.2 = 72,000 a year loaded: 6,000 a month, 72,000 / 52 a week, so 13 engineer-weeks
cost exactly 18,000. The baseline case is docs/model.md's break-even example: a team of one
Python engineer, 100,000 peak RPS with no business logic and no I/O, autoscaling off.

- FastAPI: 200 instances x $73 = $14,600 infrastructure + $6,000 engineering = $20,600 a month.
- Go: 50 instances x $73 = $3,650 + $6,000 = $9,650 a month, plus hiring one Go engineer:
  fee 60,000 x 20 % = 12,000 in month 1 and the 3-month vacancy 6,000 x 3 = 18,000 spread
  over months 1-3: people = 18,000, 6,000, 6,000, then 0.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from costcalc.engine import (
    MIGRATION_LINES,
    Migration,
    ModelError,
    Option,
    Service,
    compute,
    migrate,
)
from costcalc.engine.migration import months_before, weekly_rate
from tests.test_engine import A, inputs
from tests.test_engine_properties import assumption_sets, mixes, scenarios

FASTAPI = Option.single("fastapi", name="FastAPI")
GO = Option.single("go", name="Go")


def flat_case(**kw):
    return compute(
        inputs(
            peak_rps=100_000.0,
            app_cpu_ms=0.0,
            io_wait_ms=0.0,
            market="flat",
            team_size=1,
            known={"python": 1},
            **kw,
        ),
        [FASTAPI, GO],
        A,
    )


def test_the_baseline_case_is_the_documented_one():
    result = flat_case()
    fastapi, go = result.options
    np.testing.assert_allclose(fastapi.total, np.full(12, 20_600.0))
    np.testing.assert_allclose(go.total[:4], [27_650.0, 15_650.0, 15_650.0, 9_650.0])


def test_rewrite_then_one_month_of_running_both():
    # 13 engineer-weeks x 72,000 / 52 = 18,000, spread over R = 2 months: 9,000 + 9,000.
    # Overlap O = 1, so FastAPI is switched off at T = 3 and Go runs from R = 2.
    # Infrastructure: FastAPI 14,600 in months 1-3; Go 3,650 from month 3 -> 14,600, 14,600,
    #   18,250, then 3,650. Engineering: 6,000 every month (the same rate in either language).
    # People: Go's hire, 18,000, 6,000, 6,000.
    # Migrating: 9,000 + 14,600 + 6,000 + 18,000 = 47,600; 9,000 + 14,600 + 6,000 + 6,000 =
    #   35,600; 18,250 + 6,000 + 6,000 = 30,250; then 9,650 a month.
    # Cumulative: 47,600, 83,200, 113,450, then 113,450 + 9,650 (m - 3). Staying: 20,600 m.
    # Month 7: 152,050 > 144,200; month 8: 161,700 <= 164,800 -> break-even month 8.
    result = flat_case()
    m = migrate(result, Migration("FastAPI", "Go", 13, 2, 1), A)
    assert m.weekly_rate == pytest.approx(72_000 / 52)
    assert m.rewrite_cost == pytest.approx(18_000.0)
    np.testing.assert_allclose(m.lines["rewrite"][:3], [9_000.0, 9_000.0, 0.0])
    np.testing.assert_allclose(m.lines["infrastructure"][:4], [14_600, 14_600, 18_250, 3_650])
    np.testing.assert_allclose(m.lines["engineering"], np.full(12, 6_000.0))
    np.testing.assert_allclose(m.lines["people"][:4], [18_000, 6_000, 6_000, 0])
    np.testing.assert_allclose(m.lines["delay"], np.zeros(12))
    np.testing.assert_allclose(m.migrating[:4], [47_600, 35_600, 30_250, 9_650])
    np.testing.assert_allclose(m.migrating[3:], np.full(9, 9_650.0))
    np.testing.assert_allclose(m.staying, np.full(12, 20_600.0))
    np.testing.assert_allclose(m.migrating_cumulative[6:8], [152_050.0, 161_700.0])
    np.testing.assert_allclose(m.staying_cumulative[6:8], [144_200.0, 164_800.0])
    assert m.break_even_month == 8
    # Over 12 months: staying 247,200; migrating 113,450 + 9 x 9,650 = 200,300.
    assert m.staying_total == pytest.approx(247_200.0)
    assert m.migrating_total == pytest.approx(200_300.0)
    assert m.saving == pytest.approx(46_900.0)
    assert sum(m.totals.values()) == pytest.approx(200_300.0)


def test_no_break_even_within_the_horizon():
    # 520 engineer-weeks = 720,000 over 6 months: after month 12 migrating has cost
    # 720,000 + ... far above staying's 247,200.
    m = migrate(flat_case(), Migration("FastAPI", "Go", 520, 6, 0), A)
    assert m.break_even_month is None
    assert m.saving < 0


def test_fractions_of_a_month():
    # R = 1.5, O = 0: FastAPI runs all of month 1 and half of month 2; Go the other half of
    # month 2 on. Infrastructure: 14,600; 7,300 + 1,825 = 9,125; 3,650.
    # Rewrite 18,000 over 1.5 months: 12,000 then 6,000. Engineering: 6,000 throughout.
    m = migrate(flat_case(), Migration("FastAPI", "Go", 13, 1.5, 0), A)
    np.testing.assert_allclose(m.lines["infrastructure"][:3], [14_600, 9_125, 3_650])
    np.testing.assert_allclose(m.lines["rewrite"][:3], [12_000, 6_000, 0])
    np.testing.assert_allclose(months_before(1.5, 4), [1, 0.5, 0, 0])


def test_an_instant_move_costs_the_effort_in_month_one():
    # R = 0 and O = 0: Go from month 1; the whole effort falls in month 1 (spread's rule).
    m = migrate(flat_case(), Migration("FastAPI", "Go", 13, 0, 0), A)
    go = m.target
    np.testing.assert_allclose(m.lines["rewrite"][:2], [18_000, 0])
    np.testing.assert_allclose(m.migrating - m.lines["rewrite"], go.total)


def test_engineering_switches_at_the_cutover():
    # Market "us": Python 12,000 a month for the one seat, Go 15,000. R = 2, O = 2: the team
    # is paid at the Python rate for months 1-4 and at the Go rate from month 5.
    result = compute(
        inputs(market="us", team_size=1, known={"python": 1, "go": 1}), [FASTAPI, GO], A
    )
    m = migrate(result, Migration("FastAPI", "Go", 0, 2, 2), A)
    np.testing.assert_allclose(m.lines["engineering"][:6], [12_000] * 4 + [15_000] * 2)


def test_weekly_rate_of_a_mix_follows_its_shares():
    # Go 60 %, FastAPI 30 %, Express 10 % in "us": (0.6 x 180,000 + 0.3 x 144,000
    # + 0.1 x 108,000) / 52 = 162,000 / 52 a week; 52 engineer-weeks cost 162,000.
    mix = Option(
        name="mix",
        services=(Service("go", 0.6), Service("fastapi", 0.3), Service("express", 0.1)),
    )
    result = compute(inputs(), [FASTAPI, mix], A)
    assert weekly_rate(result.options[1], "us", A) == pytest.approx(162_000 / 52)
    m = migrate(result, Migration("FastAPI", "mix", 52, 12, 0), A)
    assert m.rewrite_cost == pytest.approx(162_000.0)
    np.testing.assert_allclose(m.lines["rewrite"], np.full(12, 13_500.0))


@pytest.mark.parametrize(
    ("migration", "message"),
    [
        (Migration("FastAPI", "FastAPI", 1, 1, 0), "two different options"),
        (Migration("FastAPI", "Rust", 1, 1, 0), "'Rust' is not one of the options"),
        (Migration("Deno", "Go", 1, 1, 0), "current option 'Deno'"),
        (Migration("FastAPI", "Go", -1, 1, 0), "rewrite effort"),
        (Migration("FastAPI", "Go", 1, math.nan, 0), "rewrite duration"),
        (Migration("FastAPI", "Go", 1, 1, math.inf), "months of running both"),
    ],
)
def test_refusals(migration, message):
    with pytest.raises(ModelError, match=message):
        migrate(flat_case(), migration, A)


# --- Laws ------------------------------------------------------------------------------------

LAWS = settings(max_examples=60, deadline=None)
months = st.floats(min_value=0, max_value=40, allow_nan=False, allow_infinity=False)
efforts = st.floats(min_value=0, max_value=5_000, allow_nan=False, allow_infinity=False)


@st.composite
def one_option(draw) -> Option:
    if draw(st.booleans()):
        return draw(mixes())
    return Option.single(draw(st.sampled_from(["go", "fastapi", "express"])))


@LAWS
@given(a=assumption_sets(), inputs=scenarios(), option=one_option())
def test_moving_to_the_same_thing_at_no_cost_breaks_even_in_month_one(a, inputs, option):
    twins = [
        Option(name="now", services=option.services),
        Option(name="later", services=option.services),
    ]
    m = migrate(compute(inputs, twins, a), Migration("now", "later", 0, 0, 0), a)
    np.testing.assert_array_equal(m.migrating, m.staying)
    assert m.break_even_month == 1


def order(month: int | None) -> float:
    return math.inf if month is None else month


@LAWS
@given(
    a=assumption_sets(),
    inputs=scenarios(),
    pair=st.tuples(one_option(), one_option()),
    efforts=st.lists(efforts, min_size=2, max_size=4).map(sorted),
    rewrite=months,
    overlap=months,
)
def test_more_effort_never_moves_break_even_earlier(a, inputs, pair, efforts, rewrite, overlap):
    options = [Option("from", pair[0].services), Option("to", pair[1].services)]
    result = compute(inputs, options, a)
    months_ = [
        order(migrate(result, Migration("from", "to", e, rewrite, overlap), a).break_even_month)
        for e in efforts
    ]
    assert months_ == sorted(months_)


@LAWS
@given(
    a=assumption_sets(),
    inputs=scenarios(),
    pair=st.tuples(one_option(), one_option()),
    effort=efforts,
    rewrite=months,
    overlaps=st.lists(months, min_size=2, max_size=4).map(sorted),
)
def test_lines_add_up_and_longer_overlap_never_cuts_infrastructure(
    a, inputs, pair, effort, rewrite, overlaps
):
    options = [Option("from", pair[0].services), Option("to", pair[1].services)]
    result = compute(inputs, options, a)
    previous = None
    for overlap in overlaps:
        m = migrate(result, Migration("from", "to", effort, rewrite, overlap), a)
        for line in MIGRATION_LINES:
            assert np.all(np.isfinite(m.lines[line])) and np.all(m.lines[line] >= 0)
        np.testing.assert_allclose(m.migrating, sum(m.lines.values()), rtol=1e-12)
        assert m.migrating_cumulative[-1] == pytest.approx(m.migrating.sum(), rel=1e-9)
        if previous is not None:
            assert np.all(m.lines["infrastructure"] >= previous - 1e-9)
        previous = m.lines["infrastructure"]
