"""Decision insight (costcalc/engine/insight.py), pure engine, no database.

Hand-built assumption sets with round numbers (test data, not real figures):
- "box" is 1 vCPU at $1/h: one instance-month is 730 x 1 = $730;
- "tiny" is 0.001 vCPU at $0.001/h: $0.73 an instance, $730 per vCPU-month in steps so fine
  that costs are linear in traffic to within a dollar;
- salaries are annual with a loaded multiplier of 1, so a seat costs salary / 12 a month;
- business logic, I/O and memory per request are 0, utilisation 100 %, no replica floor and
  autoscaling off, so instances = ceil(peak RPS / requests per vCPU / vCPU per instance).
docs/insight.md describes each method tested here.
"""

from __future__ import annotations

import hashlib
import math
import time
from dataclasses import replace

import numpy as np
import pytest

from costcalc import engine
from costcalc.engine import Figure, Option, Service, compute
from costcalc.engine import insight as ei
from costcalc.text import share_text
from tests import engine_factories as ef


def fig(base: float, low: float | None = None, high: float | None = None) -> Figure:
    return Figure(base=base, low=low, high=high, source="t")


def stack(slug, language, rps, *, rps_range=(None, None), mult=1.0, mult_range=(None, None),
          weeks=4.0, weeks_range=(None, None), kb=0.0) -> engine.Stack:  # fmt: skip
    return engine.Stack(
        slug=slug,
        name=slug.title(),
        language=language,
        rps_per_vcpu=fig(rps, *rps_range),
        cpu_multiplier=fig(mult, *mult_range),
        memory_per_process_mb=fig(100.0),
        memory_per_inflight_kb=fig(kb),
        workers_per_vcpu=fig(0.0),
        weeks_to_first_api=fig(weeks, *weeks_range),
    )


def rate(language, salary, salary_range=(None, None), **figures) -> engine.MarketRate:
    return engine.MarketRate(
        market="m",
        language=language,
        annual_salary=fig(salary, *salary_range),
        loaded_multiplier=figures.get("loaded", fig(1.0)),
        recruiting_fee_pct=figures.get("fee", fig(20.0)),
        time_to_fill_days=figures.get("fill", fig(365 / 12)),
        ramp_up_weeks=figures.get("ramp", fig(52 / 12)),
    )


def make_set(stacks, rates, price=None, vcpu=1.0, slug="hand", version=1) -> engine.Assumptions:
    return ef.assumption_set(
        stacks=stacks,
        rates=rates,
        instances=[ef.instance_type("box", vcpu, 4.0, price or fig(1.0), region="t-1")],
        markets={"m": "Testland"},
        sources=[engine.Source(key="t", title="Test figures")],
        slug=slug,
        version=version,
    )


# The scenario every test here starts from: ef.FLAT_YEAR (10,000 peak RPS, flat, 12 months,
# "box", hiring, autoscaling off) with the docstring's team of one in market "m" who knows every
# language, no business logic or I/O, 100 % utilisation, no replica floor, and the peak all month.
BARE = dict(
    team_size=1,
    market="m",
    known={"go": 1, "py": 1, "js": 1},
    app_cpu_ms=0.0,
    io_wait_ms=0.0,
    target_utilisation_pct=100.0,
    min_replicas=0,
    avg_to_peak=1.0,
    separation_months=engine.SEPARATION_MONTHS,
)


def inputs(**kw) -> engine.Inputs:
    return ef.inputs(BARE, **kw)


def singles(*slugs) -> list[Option]:
    return [Option.single(s, name=s.title()) for s in slugs]


# --- The vectorised model agrees with compute() ----------------------------------------------

# A set with every kind of figure in play: memory-bound FastAPI-like stack, workers, ranges.
RICH = make_set(
    [
        stack("go", "go", 1000.0, rps_range=(800.0, 1500.0), weeks=17.0, weeks_range=(12, 20)),
        stack("py", "py", 250.0, mult=4.0, mult_range=(2.0, 10.0), weeks=4.0, kb=1024.0),
        stack("js", "js", 500.0, mult=2.0, weeks=10.5, kb=64.0),
    ],
    [
        rate("go", 120_000.0, (90_000.0, 150_000.0)),
        rate("py", 96_000.0, loaded=fig(1.5, 1.4, 1.6)),
        rate("js", 72_000.0, ramp=fig(6.5, 4.0, 13.0)),
    ],
    price=fig(0.10, 0.08, 0.12),
    vcpu=4.0,
)
HYBRID = Option(
    name="Hybrid",
    services=(
        Service("go", 0.6),
        Service("py", 0.3, app_cpu_ms=2.0, io_wait_ms=50.0),
        Service("js", 0.1),
    ),
)
RICH_OPTIONS = [*singles("go", "py", "js"), HYBRID]
RICH_SCENARIOS = [
    dict(),
    dict(autoscaling=True, avg_to_peak=0.5, growth_pct=4.0, horizon_months=24),
    dict(team_size=10, known={"go": 1, "py": 10, "js": 0}, policy="hire", min_replicas=2),
    dict(team_size=7, known={"go": 0, "py": 3, "js": 7}, policy="retrain", cost_of_delay=1e4),
    dict(app_cpu_ms=1.0, io_wait_ms=18.0, commitment_discount_pct=30.0, growth_pct=-3.0),
]


def collapsed(a: engine.Assumptions) -> engine.Assumptions:
    """Every figure's range shrunk to its base value."""

    def shut(f: Figure) -> Figure:
        return replace(f, low=f.base, high=f.base)

    def each(obj):
        return replace(
            obj, **{k: shut(v) for k in obj.__slots__ if isinstance(v := getattr(obj, k), Figure)}
        )

    return replace(
        a,
        stacks={k: each(v) for k, v in a.stacks.items()},
        rates={k: each(v) for k, v in a.rates.items()},
        instances={k: each(v) for k, v in a.instances.items()},
    )


@pytest.mark.parametrize("changes", RICH_SCENARIOS)
def test_collapsed_ranges_reproduce_compute_exactly(changes):
    x = inputs(peak_rps=12_345.0, **changes)
    a = collapsed(RICH)
    result = compute(x, RICH_OPTIONS, a)
    mc = ei.monte_carlo(x, RICH_OPTIONS, a, draws=64, default_spread=0.0)
    assert mc.variables, "the draws must go through the array path"
    cheapest = result.cheapest.name
    for opt, band, totals in zip(result.options, mc.bands, mc.totals, strict=True):
        for q in (band.p10, band.p50, band.p90):
            np.testing.assert_array_equal(q, opt.cumulative)
        np.testing.assert_array_equal(totals, np.full(64, opt.horizon_total))
        assert band.p_cheapest == (1.0 if opt.name == cheapest else 0.0)


# --- 1. Crossovers against hand-solved cases -------------------------------------------------


def test_crossover_through_instance_steps_is_where_the_hand_solution_says():
    """Slow: 250 req/s per vCPU, $10,000 a month of salary. Fast: 1,000 req/s per vCPU,
    $54,165 a month. One month, box at $730 an instance-month:

        Slow = 10,000 + 730 x ceil(0.004 P),   Fast = 54,165 + 730 x ceil(0.001 P)

    Fast is cheaper when ceil(0.004 P) - ceil(0.001 P) >= 61 (60 x 730 = 43,800 < 44,165).
    With y = 0.001 P in (n, n + 1], that difference is ceil(4y) - (n + 1), at most 3n + 3, so
    it needs n >= 20, and then ceil(4y) >= 82, i.e. 4y > 81: P > 20,250. Above that it stays
    >= 3n >= 61. So the only crossover is at 20,250 RPS, on a step of Slow's instance count.
    """
    a = make_set(
        [stack("slow", "py", 250.0), stack("fast", "go", 1000.0)],
        [rate("py", 120_000.0), rate("go", 120_000.0 + 12 * 44_165.0)],
    )
    x = inputs(horizon_months=1)
    curve = ei.traffic_curve(x, singles("slow", "fast"), a)
    assert len(curve.crossovers) == 1
    c = curve.crossovers[0]
    assert (c.from_, c.to) == ("Slow", "Fast")
    assert c.low_rps <= 20_250 < c.rps <= 20_250 * (1 + 1.01 * ei.CROSSOVER_REL_TOL)
    assert c.label == "Fast becomes cheapest above about 20,300 RPS"
    # Both sides of the step, from compute() itself.
    below = compute(replace(x, peak_rps=20_250.0), singles("slow", "fast"), a)
    above = compute(replace(x, peak_rps=20_251.0), singles("slow", "fast"), a)
    assert below.cheapest.name == "Slow" and above.cheapest.name == "Fast"
    assert (
        c.total == compute(replace(x, peak_rps=c.rps), singles("fast"), a).options[0].horizon_total
    )


def test_two_crossovers_on_a_nearly_continuous_cost_line():
    """On "tiny" boxes a vCPU-month costs $730 in $0.73 steps, so over 12 months with monthly
    salaries of 10,000 (s4), 39,200 (s2) and 185,200 (s1), and CPU seconds per request of
    0.004, 0.002 and 0.001, the monthly totals are, within a dollar,

        s4 = 10,000 + 2.92 P,   s2 = 39,200 + 1.46 P,   s1 = 185,200 + 0.73 P.

    s4 = s2 at 29,200 / 1.46 = 20,000 RPS; s2 = s1 at 146,000 / 0.73 = 200,000 RPS (s4 = s1 at
    80,000, where s2 is cheaper than both, so that crossing is not a change of the cheapest).
    """
    a = make_set(
        [stack("s4", "py", 250.0), stack("s2", "js", 500.0), stack("s1", "go", 1000.0)],
        [rate("py", 120_000.0), rate("js", 470_400.0), rate("go", 2_222_400.0)],
        price=fig(0.001),
        vcpu=0.001,
    )
    curve = ei.traffic_curve(inputs(), singles("s4", "s2", "s1"), a)
    assert [(c.from_, c.to) for c in curve.crossovers] == [("S4", "S2"), ("S2", "S1")]
    for c, expected in zip(curve.crossovers, (20_000.0, 200_000.0), strict=True):
        assert c.rps == pytest.approx(expected, rel=2e-4)
        assert c.low_rps < c.rps <= c.low_rps * (1 + 1.01 * ei.CROSSOVER_REL_TOL)
    assert [c.label for c in curve.crossovers] == [
        "S2 becomes cheapest above about 20,000 RPS",
        "S1 becomes cheapest above about 200,000 RPS",
    ]


def test_a_third_option_cheapest_inside_one_grid_cell_is_still_found():
    """A two-point grid (1,000 and 1,000,000 RPS) hides the middle option; the search finds
    both of the hand-solved switches of the previous test."""
    a = make_set(
        [stack("s4", "py", 250.0), stack("s2", "js", 500.0), stack("s1", "go", 1000.0)],
        [rate("py", 120_000.0), rate("js", 470_400.0), rate("go", 2_222_400.0)],
        price=fig(0.001),
        vcpu=0.001,
    )
    curve = ei.traffic_curve(inputs(), singles("s4", "s2", "s1"), a, points=2)
    assert [c.to for c in curve.crossovers] == ["S2", "S1"]
    assert [round(c.rps, -2) for c in curve.crossovers] == [20_000.0, 200_000.0]


def test_the_grid_agrees_with_compute_and_covers_the_users_traffic():
    x = inputs(peak_rps=3e6, growth_pct=2.0, autoscaling=True, avg_to_peak=0.6)
    curve = ei.traffic_curve(x, RICH_OPTIONS, RICH)
    assert curve.rps[0] == 1e3 and curve.rps[-1] == 3e6 and len(curve.rps) == ei.GRID_POINTS
    assert np.all(np.diff(np.log(curve.rps)) > 0)
    for g in (0, 17, len(curve.rps) - 1):
        result = compute(replace(x, peak_rps=float(curve.rps[g])), RICH_OPTIONS, RICH)
        assert list(curve.totals[:, g]) == [o.horizon_total for o in result.options]
    # Costs never fall as traffic rises.
    assert np.all(np.diff(curve.totals, axis=1) >= 0)


def test_no_crossover_when_one_option_is_cheapest_everywhere():
    a = make_set(
        [stack("slow", "py", 250.0), stack("fast", "go", 1000.0)],
        [rate("py", 120_000.0), rate("go", 120_000.0)],
    )
    curve = ei.traffic_curve(inputs(), singles("slow", "fast"), a)
    assert curve.crossovers == []
    assert set(curve.cheapest.tolist()) == {1}


@pytest.mark.parametrize("parts", [2, 3, 64])
def test_bracket_search_keeps_its_invariant_on_steps(parts):
    """A predicate that switches several times: whatever the split, the final bracket is
    False at near and True at far and no wider than the tolerance."""

    def changed(x):
        return (np.floor(x * 7) % 2 == 1) | (x > 0.9)

    near, far = ei.bracket_search([0.0, 0.7], [0.95, 0.2], changed, tol=1e-6, parts=parts)
    assert not changed(near[:, None]).any() and changed(far[:, None]).all()
    assert np.all(np.abs(far - near) <= 1e-6)


def test_bracket_search_with_two_parts_is_bisection():
    calls = []

    def changed(x):
        calls.append(x.shape)
        return x > 0.3

    near, far = ei.bracket_search([0.0], [1.0], changed, tol=2**-10, parts=2)
    assert calls == [(1, 1)] * 10  # one midpoint per round, ten halvings of a unit bracket
    assert near[0] <= 0.3 < far[0] and far[0] - near[0] == 2**-10


# --- 2. Monte Carlo --------------------------------------------------------------------------


def test_bands_are_ordered_and_grow_month_by_month():
    x = inputs(**RICH_SCENARIOS[1])
    mc = ei.monte_carlo(x, RICH_OPTIONS, RICH)
    assert mc.draws == ei.DRAWS == 2000
    for band in mc.bands:
        assert np.all(band.p10 <= band.p50) and np.all(band.p50 <= band.p90)
        assert np.all(band.p10 < band.p90)  # every option has ranged figures
        for q in (band.p10, band.p50, band.p90):
            assert np.all(np.diff(q) > 0)  # cumulative: every draw grows every month
    assert sum(mc.p_cheapest.values()) == pytest.approx(1.0)


def test_base_lies_within_the_band_when_ranges_are_symmetric():
    """Symmetric ranges around every figure (±20 %), including the default spread."""

    def symmetric(f: Figure) -> Figure:
        return replace(f, low=f.base * 0.8, high=f.base * 1.2)

    def each(obj):
        return replace(
            obj,
            **{k: symmetric(v) for k in obj.__slots__ if isinstance(v := getattr(obj, k), Figure)},
        )

    a = replace(
        RICH,
        stacks={k: each(v) for k, v in RICH.stacks.items()},
        rates={k: each(v) for k, v in RICH.rates.items()},
        instances={k: each(v) for k, v in RICH.instances.items()},
    )
    for changes in RICH_SCENARIOS:
        x = inputs(**changes)
        result = compute(x, RICH_OPTIONS, a)
        mc = ei.monte_carlo(x, RICH_OPTIONS, a)
        for opt, band in zip(result.options, mc.bands, strict=True):
            assert np.all(band.p10 <= opt.cumulative), opt.name
            assert np.all(opt.cumulative <= band.p90), opt.name


def test_every_ranged_figure_is_drawn_within_its_range():
    u = np.linspace(0, 1, 1001)
    x = ei.triangular(u, 2.0, 3.0, 10.0)
    assert x[0] == 2.0 and x[-1] == 10.0 and np.all(np.diff(x) >= 0)
    # The mode splits the probability: P(X <= mode) = (mode - low) / (high - low) = 1/8.
    assert x[125] == pytest.approx(3.0)
    assert np.all(ei.triangular(u, 5.0, 5.0, 5.0) == 5.0)


def test_which_figures_vary_and_how():
    a = make_set(
        [
            stack("go", "go", 1000.0, rps_range=(900.0, 1200.0)),
            stack("py", "py", 250.0, mult=3.0),
        ],
        [
            rate("go", 100_000.0, (80_000.0, 120_000.0)),
            rate("py", 100_000.0, (80_000.0, 120_000.0)),
        ],
    )
    vs = {v.key: v for v in ei.variables(inputs(), singles("go", "py"), a)}
    assert list(vs) == sorted(vs)
    # Ranged: the source's range. Single figure: ±10 %. Go's multiplier of 1 (the reference),
    # workers, weeks (no cost of delay), ramp-up (hire policy) and the list price stay fixed.
    go_rps = vs["stack/go/rps_per_vcpu"]
    assert (go_rps.low, go_rps.base, go_rps.high, go_rps.sourced) == (900.0, 1000.0, 1200.0, True)
    py_mult = vs["stack/py/cpu_multiplier"]
    assert (py_mult.low, py_mult.high, py_mult.sourced) == (
        pytest.approx(2.7),
        pytest.approx(3.3),
        False,
    )
    assert "stack/go/cpu_multiplier" not in vs
    assert not any("workers" in k or "weeks" in k or "ramp" in k or "instance" in k for k in vs)
    # One salary figure given for both languages is one uncertain quantity, drawn once.
    salary = vs["rate/m/annual_salary/go+py"]
    assert salary.targets == (("rate", "go", "annual_salary"), ("rate", "py", "annual_salary"))
    assert salary.label == "the annual salary of Go and Py engineers in Testland"
    with_delay = ei.variables(inputs(cost_of_delay=1.0, policy="retrain"), singles("go", "py"), a)
    keys = {v.key for v in with_delay}
    assert "stack/go/weeks_to_first_api" in keys and "rate/m/ramp_up_weeks/go+py" in keys
    assert "rate/m/recruiting_fee_pct/go+py" not in keys


def test_the_same_seed_draws_the_same_numbers():
    x = inputs(**RICH_SCENARIOS[3])
    first = ei.monte_carlo(x, RICH_OPTIONS, RICH)
    second = ei.monte_carlo(x, RICH_OPTIONS, RICH)
    assert first.seed == second.seed == ei.scenario_seed(x, RICH_OPTIONS, RICH)
    np.testing.assert_array_equal(first.totals, second.totals)
    for b1, b2 in zip(first.bands, second.bands, strict=True):
        for q in ("p10", "p50", "p90"):
            np.testing.assert_array_equal(getattr(b1, q), getattr(b2, q))
    other = ei.monte_carlo(x, RICH_OPTIONS, RICH, seed=first.seed + 1)
    assert not np.array_equal(first.totals, other.totals)


def test_draws_do_not_depend_on_the_order_a_database_returns_rows_in():
    """A snapshot's dicts follow the database's row order; the draws follow variable keys."""
    shuffled = replace(
        RICH,
        stacks=dict(reversed(RICH.stacks.items())),
        rates=dict(reversed(RICH.rates.items())),
    )
    x = inputs(**RICH_SCENARIOS[2])
    np.testing.assert_array_equal(
        ei.monte_carlo(x, RICH_OPTIONS, RICH).totals,
        ei.monte_carlo(x, RICH_OPTIONS, shuffled).totals,
    )


FIXED_KEY = (
    '{"inputs":{"app_cpu_ms":0.0,"autoscaling":false,"avg_to_peak":1.0,"commitment_discount_pct":'
    '0.0,"cost_of_delay":0.0,"growth_pct":0.0,"horizon_months":12.0,"instance":"box","io_wait_ms":'
    '0.0,"known":{"go":1.0,"js":1.0,"py":1.0},"market":"m","min_replicas":0.0,"peak_rps":10000.0,'
    '"policy":"hire","target_utilisation_pct":100.0,"team_size":1.0},"options":[["Go",[["go",1.0,'
    'null,null]]],["Hybrid",[["go",0.6,null,null],["py",0.3,2.0,50.0],["js",0.1,null,null]]]],'
    '"set":"hand@1"}'
)


def test_the_seed_is_sha256_of_the_canonical_scenario():
    options = [Option.single("go", name="Go"), HYBRID]
    assert ei.scenario_key(inputs(), options, RICH) == FIXED_KEY
    digest = hashlib.sha256(FIXED_KEY.encode()).digest()
    assert ei.scenario_seed(inputs(), options, RICH) == int.from_bytes(digest[:8], "big")
    assert ei.scenario_seed(inputs(), options, RICH) == 0x68F382A8020DA7FC
    # The same scenario spelt differently draws the same; another set version does not.
    respelt = inputs(peak_rps=10_000, horizon_months=12.0, known={"py": 1, "js": 1, "go": 1})
    assert ei.scenario_seed(respelt, options, RICH) == ei.scenario_seed(inputs(), options, RICH)
    newer = replace(RICH, version=2)
    assert ei.scenario_seed(inputs(), options, newer) != ei.scenario_seed(inputs(), options, RICH)


# --- 3. Tornado ------------------------------------------------------------------------------

# Fast (Go, 1,000 req/s per vCPU) against Slow (Python, 250), 10,000 RPS for 12 months on
# "tiny" boxes ($730 per vCPU-month): Fast uses 10 vCPU = $7,300 a month, Slow 40 = $29,200.
# Salaries: Go 240,000 (20,000 a month), Python 120,000 (10,000). Fast - Slow =
# 12 x (27,300 - 39,200) = -142,800 at base.
TORNADO_SET = make_set(
    [
        stack("fast", "go", 1000.0),
        stack("slow", "py", 250.0, rps_range=(200.0, 300.0)),
    ],
    [rate("go", 240_000.0, (180_000.0, 480_000.0)), rate("py", 120_000.0)],
    price=fig(0.001, 0.0005, 0.0015),
    vcpu=0.001,
)


def test_tornado_orders_swings_and_finds_the_flip_by_hand():
    """One at a time, the others at base (12 months):

    - Go salary 180,000 .. 480,000: 12 x (S/12 - 10,000 - 21,900) = -202,800 .. 97,200,
      span 300,000; zero (Slow cheaper beyond) at S/12 = 31,900: S = 382,800.
    - Price 0.0005 .. 0.0015 $/h: infrastructure x 0.5 .. 1.5, so 12 x (10,000 - 10,950) =
      -11,400 .. 12 x (10,000 - 32,850) = -274,200, span 262,800.
    - Slow's 200 .. 300 req/s per vCPU: 50,000 instances ($36,500) .. ceil(33,333.3) = 33,334
      ($24,333.82): 12 x (27,300 - 46,500) = -230,400 .. 12 x (27,300 - 34,333.82) =
      -84,405.84, span 145,994.16.
    """
    torn = ei.tornado(inputs(), singles("slow", "fast"), TORNADO_SET, default_spread=0.0)
    assert (torn.leader, torn.runner_up) == ("Fast", "Slow")
    assert torn.base_diff == pytest.approx(-142_800.0)
    keys = [bar.variable.key for bar in torn.bars]
    assert keys == [
        "rate/m/annual_salary/go",
        "instance/box/price_per_hour",
        "stack/slow/rps_per_vcpu",
    ]
    salary, price, rps = torn.bars
    assert (salary.diff_low, salary.diff_high) == (pytest.approx(-202_800), pytest.approx(97_200))
    assert (price.diff_low, price.diff_high) == (pytest.approx(-11_400), pytest.approx(-274_200))
    assert (rps.diff_low, rps.diff_high) == (pytest.approx(-230_400), pytest.approx(-84_405.84))
    assert [b.span for b in torn.bars] == pytest.approx([300_000, 262_800, 145_994.16])
    assert price.flips == () and rps.flips == ()
    (flip,) = salary.flips
    assert flip.direction == "above"
    assert flip.value == pytest.approx(382_800, abs=(480_000 - 240_000) * ei.FLIP_REL_TOL)
    assert salary.condition == (
        "the annual salary of Go engineers in Testland is above $382,800 a year"
    )


def test_tornado_leaves_out_figures_that_do_not_move_the_difference():
    # With the default spread, Python's salary and Fast's throughput have ranges too; Python's
    # salary moves the difference, but no unranged figure is dropped silently unless flat.
    torn = ei.tornado(inputs(), singles("slow", "fast"), TORNADO_SET)
    keys = [bar.variable.key for bar in torn.bars]
    assert "rate/m/annual_salary/py" in keys and "stack/fast/rps_per_vcpu" in keys
    assert all(bar.span >= 1.0 for bar in torn.bars)
    spans = [bar.span for bar in torn.bars]
    assert spans == sorted(spans, reverse=True)
    assert ei.tornado(inputs(), singles("fast"), TORNADO_SET) is None


# Fast is cheapest, Slow the runner-up; Quick ships first but its fleet costs millions a month.
DELAY_SET = make_set(
    [
        stack("fast", "go", 1000.0, weeks=4.0),
        stack("slow", "py", 250.0, weeks=80.0),
        stack("quick", "go", 1.0, weeks=1.0, weeks_range=(1.0, 30.0)),
    ],
    [rate("go", 240_000.0), rate("py", 120_000.0)],
    price=fig(0.001),
    vcpu=0.001,
)


def test_tornado_counts_a_third_option_that_sets_the_delay():
    """A cost of delay counts from the fastest option, here Quick (1 week), not in the pair.

    At Quick's high end (30 weeks) Fast is the fastest: Fast's delay of 3 weeks (3 / W months
    at $100,000 a month) goes, while Slow's stays a full 12 months (79 / W and 76 / W both
    exceed the horizon). So the leader's lead grows by 3 / W x 100,000.
    """
    c = 100_000.0
    torn = ei.tornado(
        inputs(cost_of_delay=c), singles("fast", "slow", "quick"), DELAY_SET, default_spread=0.0
    )
    assert (torn.leader, torn.runner_up) == ("Fast", "Slow")
    (bar,) = torn.bars
    assert bar.variable.key == "stack/quick/weeks_to_first_api"
    assert bar.diff_low == pytest.approx(torn.base_diff)
    weeks_a_month = 52 / 12
    assert bar.diff_high - torn.base_diff == pytest.approx(-3 / weeks_a_month * c)


def test_tornado_without_a_cost_of_delay_reads_only_the_two_cheapest():
    # Every figure given the default spread: Quick's cannot move Fast against Slow, so the bars
    # are those of the pair alone.
    three = ei.tornado(inputs(), singles("fast", "slow", "quick"), DELAY_SET)
    pair = ei.tornado(inputs(), singles("fast", "slow"), DELAY_SET)
    assert len(pair.bars) >= 3
    assert three == pair


# --- 4. Verdict wording ----------------------------------------------------------------------


def synthetic_mc(result, shares: dict[str, float], draws: int = 2000) -> ei.MonteCarlo:
    bands = [
        ei.OptionBand(o.name, o.cumulative, o.cumulative, o.cumulative, shares.get(o.name, 0.0))
        for o in result.options
    ]
    return ei.MonteCarlo(seed=0, draws=draws, variables=[], bands=bands, totals=np.zeros(0))


def test_verdict_wide_margin_and_sure():
    """Tornado set with only the price uncertain (±50 %): Fast stays ahead in every draw."""
    a = replace(TORNADO_SET, rates={k: replace(r, annual_salary=fig(r.annual_salary.base))
                                    for k, r in TORNADO_SET.rates.items()},
                stacks={k: replace(s, rps_per_vcpu=fig(s.rps_per_vcpu.base))
                        for k, s in TORNADO_SET.stacks.items()})  # fmt: skip
    found = ei.analyse(inputs(), singles("slow", "fast"), a, default_spread=0.0)
    assert found.monte_carlo.p_cheapest == {"Slow": 0.0, "Fast": 1.0}
    assert found.verdict == [
        "Fast is the cheapest option over 12 months at $327,600, $142,800 (30.4%) less than Slow.",
        "Across the assumptions' ranges it is cheapest in all of 2,000 simulated cases, "
        "so the answer holds up.",
        "No single assumption moved across its range makes Slow cheaper; the one that moves "
        "the difference most is the price of Box.",
    ]


def test_verdict_names_the_condition_that_flips_it():
    found = ei.analyse(inputs(), singles("slow", "fast"), TORNADO_SET, default_spread=0.0)
    p = found.monte_carlo.p_cheapest["Fast"]
    assert 0.75 <= p < 0.95, p  # salary above 382,800 in its 180,000..480,000 triangle: ~11 %
    assert found.verdict == [
        "Fast is the cheapest option over 12 months at $327,600, $142,800 (30.4%) less than Slow.",
        f"It is cheapest in {round(p * 100)}% of 2,000 simulated cases across the assumptions' "
        "ranges: likely, but not certain.",
        "Fast stays cheapest unless the annual salary of Go engineers in Testland is above "
        "$382,800 a year.",
    ]


def test_verdict_says_when_the_flip_rests_on_a_figure_nobody_measured():
    """As above, with the Go salary cited to a source that says there is none: the same flip,
    and the verdict says it is weak ground. An editorial rule is named as one."""
    for title, basis in [
        ("No source found: Go salaries in Testland", "has no source"),
        ("Go salaries from the pool size (our rule)", "is an editorial rule, not a measurement"),
    ]:
        weak = engine.Source(key="weak", title=title)
        go = TORNADO_SET.rates[("m", "go")]
        salary = replace(go.annual_salary, source="weak")
        a = replace(
            TORNADO_SET,
            rates={**TORNADO_SET.rates, ("m", "go"): replace(go, annual_salary=salary)},
            sources={**TORNADO_SET.sources, "weak": weak},
        )
        found = ei.analyse(inputs(), singles("slow", "fast"), a, default_spread=0.0)
        assert found.verdict[2] == (
            "Fast stays cheapest unless the annual salary of Go engineers in Testland is above "
            f"$382,800 a year; weak ground: that figure {basis}."
        )


def test_verdict_close_call():
    """Two stacks a hundred dollars apart whose salaries are each uncertain by ±25 %."""
    a = make_set(
        [stack("one", "go", 1000.0), stack("two", "py", 1000.0)],
        [
            rate("go", 120_000.0, (90_000.0, 150_000.0)),
            rate("py", 120_100.0, (90_000.0, 150_000.0)),
        ],
    )
    found = ei.analyse(inputs(horizon_months=1), singles("two", "one"), a, default_spread=0.0)
    one, two = found.monte_carlo.p_cheapest["One"], found.monte_carlo.p_cheapest["Two"]
    assert 0.3 < one < 0.75
    assert found.verdict[0] == (
        "One is the cheapest option over 1 month at $17,300, $8 (under 0.1%) less than Two."
    )
    assert found.verdict[1] == (
        f"It is cheapest in only {round(one * 100)}% of 2,000 simulated cases "
        f"(Two in {round(two * 100)}%): a close call."
    )
    assert found.verdict[2].startswith("One stays cheapest unless ")


def test_verdict_templates_for_one_option_ties_and_edge_shares():
    a = TORNADO_SET
    result = compute(inputs(), singles("fast"), a)
    assert ei.verdict(result, synthetic_mc(result, {"Fast": 1.0}), None) == [
        "Fast costs $327,600 over 12 months; add another option to compare it with."
    ]
    twins = make_set(
        [stack("one", "go", 1000.0), stack("two", "py", 1000.0)],
        [rate("go", 120_000.0), rate("py", 120_000.0)],
    )
    result = compute(inputs(), singles("one", "two"), twins)
    words = ei.verdict(result, synthetic_mc(result, {"One": 0.9996, "Two": 0.0004}), None)
    assert words == [
        "One and Two cost the same over 12 months: $207,600 each.",
        "Across the assumptions' ranges it is cheapest in 99% of 2,000 simulated cases, "
        "so the answer holds up.",
    ]
    assert share_text(0.0004) == "1%" and share_text(0) == "none"


# --- 5. Seed vs independent ------------------------------------------------------------------


def test_compare_sets_reports_each_total_and_cheapest():
    """Under the tornado set Fast is cheapest; a "seed" set with Go engineers at 600,000 a
    year (50,000 a month) makes Slow cheapest: 12 x (50,000 + 7,300) = 687,600 against
    12 x (10,000 + 29,200) = 470,400."""
    seed = replace(
        TORNADO_SET,
        slug="seed",
        name="Seed",
        rates={**TORNADO_SET.rates, ("m", "go"): rate("go", 600_000.0)},
    )
    no_python = replace(TORNADO_SET, slug="thin", name="Thin", rates={("m", "go"): rate("go", 1.0)})
    outcomes = ei.compare_sets(inputs(), singles("slow", "fast"), [TORNADO_SET, seed, no_python])
    assert [o.key for o in outcomes] == ["hand@1", "seed@1", "thin@1"]
    hand, seeded, thin = outcomes
    assert hand.totals == {"Slow": pytest.approx(470_400), "Fast": pytest.approx(327_600)}
    assert hand.cheapest == "Fast" and hand.label == "Hand v1"
    assert seeded.totals == {"Slow": pytest.approx(470_400), "Fast": pytest.approx(687_600)}
    assert seeded.cheapest == "Slow"
    assert thin.totals == {} and thin.cheapest is None and "py engineers" in thin.error


# --- 6. Within the performance budget --------------------------------------------------------


def test_the_whole_analysis_is_vectorised_and_quick():
    x = inputs(**RICH_SCENARIOS[3], horizon_months=24)
    ei.analyse(x, RICH_OPTIONS, RICH)  # warm up imports and caches
    start = time.perf_counter()
    found = ei.analyse(x, RICH_OPTIONS, RICH)
    elapsed = time.perf_counter() - start
    assert found.monte_carlo.draws >= 2000 and len(found.traffic.rps) >= 40
    # About 25 ms on the 2-core CI machine; generous so a busy machine doesn't fail it.
    assert elapsed < 0.5, f"{elapsed * 1000:.0f} ms"
    assert math.isfinite(found.result.cheapest.horizon_total)


# --- The verdict line's "how sure" -------------------------------------------------------------


def test_how_sure_says_a_wide_and_sure_lead_holds_up():
    a = replace(TORNADO_SET, rates={k: replace(r, annual_salary=fig(r.annual_salary.base))
                                    for k, r in TORNADO_SET.rates.items()},
                stacks={k: replace(s, rps_per_vcpu=fig(s.rps_per_vcpu.base))
                        for k, s in TORNADO_SET.stacks.items()})  # fmt: skip
    options = singles("slow", "fast")
    result = compute(inputs(), options, a)
    sure = ei.sureness(inputs(), options, a, result)  # the default spread: 99% of the draws
    assert sure == ei.Sureness(False, "the lead holds up; cheapest in 99% of 2,000 simulations")


def test_how_sure_keeps_a_wide_but_uncertain_lead_apart_from_a_tie():
    """Fast leads by 30.4% and is cheapest in about 89% of draws: likely, not a tie."""
    options = singles("slow", "fast")
    result = compute(inputs(), options, TORNADO_SET)
    mc = ei.monte_carlo(inputs(), options, TORNADO_SET, default_spread=0.0)
    band = mc.bands[1]
    assert (band.p90[-1] - band.p10[-1]) / 2 < 142_800  # the lead is beyond half the band
    share = round(mc.p_cheapest["Fast"] * 100)
    assert ei.how_sure(result, mc) == ei.Sureness(
        False, f"likely, not certain; cheapest in {share}% of 2,000 simulations"
    )


def test_how_sure_calls_a_lead_inside_the_band_a_tie_and_a_close_call_one():
    result = compute(inputs(), singles("slow", "fast"), TORNADO_SET)
    fast = result.options[1]
    lead = 142_800.0

    def mc(p: float, half_band: float) -> ei.MonteCarlo:
        made = synthetic_mc(result, {"Fast": p, "Slow": 1 - p})
        made.bands[1].p10 = fast.cumulative - half_band
        made.bands[1].p90 = fast.cumulative + half_band
        return made

    # Most draws keep the order, but the lead is within the estimate's own precision.
    assert ei.how_sure(result, mc(0.91, lead + 1)) == ei.Sureness(
        True, "effectively a tie; cheapest in 91% of 2,000 simulations"
    )
    assert ei.how_sure(result, mc(0.91, lead - 1)).text.startswith("likely, not certain; ")
    assert ei.how_sure(result, mc(0.6, lead - 1)) == ei.Sureness(
        True, "a close call; cheapest in 60% of 2,000 simulations"
    )
    # At SURE or above the lead holds up, however wide the band.
    assert not ei.how_sure(result, mc(0.95, lead * 10)).tied
    one = compute(inputs(), singles("fast"), TORNADO_SET)
    assert ei.how_sure(one, synthetic_mc(one, {"Fast": 1.0})) is None
