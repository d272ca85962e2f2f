"""Old engine against new, exactly: a seeded scenario generator and a deep comparator.

Shared by tests/test_kernel_equivalence.py (a few hundred scenarios) and
bench/kernel_equivalence.py (100,000 and more). Equal means equal to the bit: arrays by
np.array_equal on the same dtype, floats by ==, Steps field by field, errors by type and message.
"""

from __future__ import annotations

import dataclasses
import random

import numpy as np

from costcalc.engine import (
    Assumptions,
    Figure,
    Inputs,
    InstanceType,
    Market,
    MarketRate,
    Migration,
    ModelError,
    Option,
    Service,
    Stack,
)

LANGUAGES = {"go": "go", "fastapi": "python", "express": "javascript", "flask": "python"}


def _figure(rng: random.Random, lo: float, hi: float, *, log: bool = False) -> Figure:
    base = lo * (hi / lo) ** rng.random() if log else rng.uniform(lo, hi)
    if rng.random() < 0.5:
        return Figure(base, source="s")
    # Sometimes a base outside its own range: the insight widens the range, the model ignores it.
    return Figure(base, base * rng.uniform(0.3, 1.05), base * rng.uniform(0.95, 3), source="s")


def random_set(rng: random.Random) -> Assumptions:
    vcpu = rng.choice([0.5, 1.0, 2.0, 4.0, 8.0, 16.0])
    instance = InstanceType(
        slug="box",
        name="Box",
        provider="T",
        region="t",
        vcpu=vcpu,
        memory_gb=vcpu * rng.choice([0.25, 1.0, 2.0, 4.0, 8.0]),
        price_per_hour=_figure(rng, 0.005, 5, log=True),
    )
    stacks = {
        slug: Stack(
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
    }
    rates = {}
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
        rates[("m", language)] = MarketRate(market="m", language=language, **figs)
    return Assumptions(
        slug="drawn",
        name="Drawn",
        version=1,
        as_of="2026-01-01",
        stacks=stacks,
        markets={"m": Market("m", "M")},
        rates=rates,
        instances={"box": instance},
    )


def random_inputs(rng: random.Random, *, small: bool = False) -> Inputs:
    languages = sorted(set(LANGUAGES.values()))
    return Inputs(
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
                Service(
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


def random_migration(rng: random.Random, options: list[Option]) -> Migration:
    names = [o.name for o in options]
    current = rng.choice(names)
    target = rng.choice(names)
    return Migration(
        current=current,
        target=target,
        effort_weeks=rng.choice([0.0, rng.uniform(0, 400)]),
        rewrite_months=rng.choice([0.0, rng.uniform(0, 30)]),
        overlap_months=rng.choice([0.0, rng.uniform(0, 12)]),
    )


def random_case(seed: int, *, small: bool = False):
    rng = random.Random(seed)
    return random_inputs(rng, small=small), random_options(rng), random_set(rng), rng


def outcome(fn, *args, **kwargs):
    """(True, value) or (False, (error type, message)) for a ModelError."""
    try:
        return True, fn(*args, **kwargs)
    except ModelError as error:
        return False, (type(error), str(error))


def assert_same(old, new, where: str = "") -> None:
    """Deep, exact equality of two results (dataclasses, arrays, floats, lists, dicts)."""
    if isinstance(old, np.ndarray) or isinstance(new, np.ndarray):
        assert isinstance(old, np.ndarray) and isinstance(new, np.ndarray), where
        assert old.dtype == new.dtype and old.shape == new.shape, where
        assert np.array_equal(old, new), f"{where}: max |diff| {np.max(np.abs(old - new))}"
        return
    if dataclasses.is_dataclass(old) and not isinstance(old, type):
        assert type(old).__name__ == type(new).__name__, where
        for f in dataclasses.fields(old):
            assert_same(getattr(old, f.name), getattr(new, f.name), f"{where}.{f.name}")
        if hasattr(old, "bound_by"):
            assert old.bound_by == new.bound_by, f"{where}.bound_by"
        return
    if isinstance(old, dict):
        assert isinstance(new, dict) and list(old) == list(new), where
        for k in old:
            assert_same(old[k], new[k], f"{where}[{k!r}]")
        return
    if isinstance(old, list | tuple):
        assert type(old) is type(new) and len(old) == len(new), where
        for i, (x, y) in enumerate(zip(old, new, strict=True)):
            assert_same(x, y, f"{where}[{i}]")
        return
    if isinstance(old, float) and isinstance(new, float) and old != old:
        assert new != new, where  # both NaN
        return
    assert type(old) is type(new) and old == new, f"{where}: {old!r} != {new!r}"


def check_model(old, new, inputs, options, a, rng) -> None:
    """compute() with and without workings, then migrate(), old against new."""
    for explain in (True, False):
        ok_old, r_old = outcome(old.model.compute, inputs, options, a, explain=explain)
        ok_new, r_new = outcome(new.model.compute, inputs, options, a, explain=explain)
        assert ok_old == ok_new, (r_old, r_new)
        if not ok_old:
            assert r_old == r_new
            return
        assert_same(r_old, r_new, "result")
    migration = random_migration(rng, options)
    m_old = outcome(old.migration.migrate, r_old, migration, a)
    m_new = outcome(new.migration.migrate, r_new, migration, a)
    assert m_old[0] == m_new[0], (m_old, m_new)
    if m_old[0]:
        assert_same(m_old[1], m_new[1], "migration")
    else:
        assert m_old[1] == m_new[1]


def check_insight(old, new, inputs, options, a, *, draws: int = 200, points: int = 12) -> None:
    """monte_carlo, tornado, traffic_curve and verdict, old against new."""
    if not outcome(old.model.compute, inputs, options, a)[0]:
        return  # the insight assumes compute() has accepted the scenario
    for name, kwargs in (
        ("monte_carlo", {"draws": draws}),
        ("tornado", {}),
        ("traffic_curve", {"points": points}),
    ):
        got_old = outcome(getattr(old.insight, name), inputs, options, a, **kwargs)
        got_new = outcome(getattr(new.insight, name), inputs, options, a, **kwargs)
        assert got_old[0] == got_new[0], (name, got_old, got_new)
        if got_old[0]:
            assert_same(got_old[1], got_new[1], name)
        else:
            assert got_old[1] == got_new[1], name
    result = old.model.compute(inputs, options, a)
    mc = outcome(old.insight.monte_carlo, inputs, options, a, draws=draws)
    torn = outcome(old.insight.tornado, inputs, options, a)
    if mc[0] and torn[0]:
        assert old.insight.verdict(result, mc[1], torn[1]) == new.insight.verdict(
            result, mc[1], torn[1]
        )
