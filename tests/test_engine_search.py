"""engine.search: the traffic search agrees with a scalar bisection through compute()."""

from __future__ import annotations

import random
from dataclasses import replace

import pytest

from costcalc import engine
from costcalc.engine import Figure, ModelError, Option, compute
from costcalc.engine.search import _traffic_bracket, traffic_where_cheaper
from tests import engine_factories as ef
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

# --- Seeded random scenarios: sets, inputs and options drawn from one seed ---------------------

LANGUAGES = {"go": "go", "fastapi": "python", "express": "javascript", "flask": "python"}


def _figure(rng: random.Random, lo: float, hi: float, *, log: bool = False) -> Figure:
    base = lo * (hi / lo) ** rng.random() if log else rng.uniform(lo, hi)
    if rng.random() < 0.5:
        return Figure(base, source="s")
    # Sometimes a base outside its own range: the insight widens the range, the model ignores it.
    return Figure(base, base * rng.uniform(0.3, 1.05), base * rng.uniform(0.95, 3), source="s")


def random_set(rng: random.Random) -> engine.Assumptions:
    vcpu = rng.choice([0.5, 1.0, 2.0, 4.0, 8.0, 16.0])
    memory_gb = vcpu * rng.choice([0.25, 1.0, 2.0, 4.0, 8.0])
    price = _figure(rng, 0.005, 5, log=True)
    instance = ef.instance_type("box", vcpu, memory_gb, price, provider="T", region="t")
    stacks = [
        engine.Stack(
            slug=slug,
            name=slug.title(),
            language=language,
            rps_per_vcpu=_figure(rng, 20, 40_000, log=True),
            cpu_multiplier=(
                Figure(1.0) if slug == "go" and rng.random() < 0.5 else _figure(rng, 0.5, 10)
            ),
            memory_per_process_mb=_figure(rng, 5, 400),
            memory_per_inflight_kb=_figure(rng, 1, 512, log=True),
            workers_per_vcpu=Figure(rng.choice([0.0, 0.5, 1.0, 2.0, 3.0])),
            weeks_to_first_api=_figure(rng, 0, 30),
        )
        for slug, language in LANGUAGES.items()
    ]
    rates = []
    shared = {}  # some markets give one figure for every language (one variable in the insight)
    for language in sorted(set(LANGUAGES.values())):
        figs = {}
        for name, lo, hi in (
            ("annual_salary", 10_000, 300_000),
            ("loaded_multiplier", 1, 2),
            ("recruiting_fee_pct", 0, 35),
            ("time_to_fill_days", 0, 180),
            ("ramp_up_weeks", 0, 26),
        ):
            if name in shared or (rng.random() < 0.3 and name not in shared):
                figs[name] = shared.setdefault(name, _figure(rng, lo, hi))
            else:
                figs[name] = _figure(rng, lo, hi)
        rates.append(engine.MarketRate(market="m", language=language, **figs))
    return ef.assumption_set(
        stacks=stacks,
        rates=rates,
        instances=[instance],
        markets={"m": "M"},
        slug="drawn",
        name="Drawn",
    )


def random_inputs(rng: random.Random, *, small: bool = False) -> engine.Inputs:
    languages = sorted(set(LANGUAGES.values()))
    return engine.Inputs(
        peak_rps=10 ** rng.uniform(-1, 3 if small else 7),
        avg_to_peak=rng.uniform(0.01, 1),
        growth_pct=rng.choice([0.0, rng.uniform(-30, 30), rng.uniform(-99, 400)]),
        horizon_months=rng.randint(1, 12 if small else 60),
        app_cpu_ms=rng.choice([0.0, rng.uniform(0, 100)]),
        io_wait_ms=rng.choice([0.0, rng.uniform(0, 3_000)]),
        team_size=rng.randint(1, 60),
        market="m",
        known={x: rng.randint(0, 40) for x in languages if rng.random() < 0.5},
        policy=rng.choice(["hire", "retrain"]),
        instance="box",
        commitment_discount_pct=rng.choice([0.0, rng.uniform(0, 90)]),
        target_utilisation_pct=rng.uniform(5, 100),
        min_replicas=rng.randint(0, 6),
        autoscaling=rng.random() < 0.7,
        cost_of_delay=rng.choice([0.0, rng.uniform(0, 2_000_000)]),
        separation_months=rng.choice([0.0, rng.uniform(0, 12)]),
        current_stack=rng.choice(["", *sorted(LANGUAGES)]),
    )


def random_options(rng: random.Random) -> list[Option]:
    slugs = sorted(LANGUAGES)
    options = [Option.single(s) for s in rng.sample(slugs, rng.randint(1, 4))]
    for i in range(rng.choice([0, 0, 1, 2])):
        parts = rng.sample(slugs, rng.randint(2, 3))
        cuts = sorted(rng.sample(range(1, 100), len(parts) - 1))
        bounds = [0, *cuts, 100]
        services = []
        for j, slug in enumerate(parts):
            override = rng.random() < 0.4
            services.append(
                engine.Service(
                    stack=slug,
                    share=(bounds[j + 1] - bounds[j]) / 100,
                    app_cpu_ms=rng.uniform(0, 80) if override else None,
                    io_wait_ms=rng.uniform(0, 2_000) if override else None,
                    label=f"part {j}" if rng.random() < 0.5 else "",
                )
            )
        options.append(Option(name=f"mix {i}", services=tuple(services)))
    rng.shuffle(options)
    return options


def random_case(seed: int, *, small: bool = False):
    rng = random.Random(seed)
    return random_inputs(rng, small=small), random_options(rng), random_set(rng), rng


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
