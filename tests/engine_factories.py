"""Builders of the pure engine's values for tests. No Django: the engine tests need no database.

Apart from ``FLAT_YEAR``, the part of a scenario the hand-computed files agree on, the builders
hold no figures of their own: each test file passes the round numbers its docstring documents,
and what is shared is how they become an ``engine.Assumptions`` or an ``engine.Inputs``.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping

from hypothesis import assume, settings

from costcalc import engine

# What the hand-computed scenarios of tests/test_engine.py and tests/test_insight.py share:
# 10,000 peak RPS, flat for 12 months, on-demand "box" instances, hiring for what the team
# lacks, no autoscaling and no cost of delay, no current stack (the first option is the
# baseline), none of the user's own figures, no team growth and no discounting. Each file adds
# its own round workload, team, separation pay and capacity figures (see its docstring), so
# every field is spelt out and no test leans on the product's own defaults.
FLAT_YEAR = dict(
    peak_rps=10_000.0,
    growth_pct=0.0,
    horizon_months=12,
    policy="hire",
    instance="box",
    pricing="on_demand",
    commitment_discount_pct=0.0,
    hosting="instances",
    container_vcpu=1.0,
    container_gb=2.0,
    function_memory_mb=1769.0,
    cold_start_pct=1.0,
    autoscaling=False,
    cost_of_delay=0.0,
    current_stack="",
    your_figures={},
    hires_per_year=0.0,
    discount_rate_pct=0.0,
    platform=engine.Platform.off(),  # the sets these files build have no platform prices
)


def inputs(defaults: Mapping[str, object], **changes) -> engine.Inputs:
    """``FLAT_YEAR`` with a test file's own round ``defaults``, then one test's ``changes``."""
    given = {**FLAT_YEAR, **defaults}
    missing = [f.name for f in dataclasses.fields(engine.Inputs) if f.name not in given]
    if missing:  # a field left out would silently take the product's default
        raise TypeError(f"the round defaults leave out {', '.join(missing)}")
    return engine.Inputs(**{**given, **changes})


def instance_type(
    slug: str,
    vcpu: float,
    memory_gb: float,
    price: engine.Figure,
    *,
    provider: str = "Test",
    region: str = "test-1",
) -> engine.InstanceType:
    """An instance type named after its slug ("box" is "Box"), at ``price`` dollars an hour."""
    return engine.InstanceType(slug, slug.title(), provider, region, vcpu, memory_gb, price)


def assumption_set(
    *,
    stacks: Iterable[engine.Stack],
    rates: Iterable[engine.MarketRate],
    instances: Iterable[engine.InstanceType],
    markets: Mapping[str, str],
    sources: Iterable[engine.Source] = (),
    slug: str = "hand",
    name: str = "Hand",
    version: int = 1,
    as_of: str = "2026-01-01",
    platform: Mapping[str, tuple[str, float]] = {},  # noqa: B006 (read only)
) -> engine.Assumptions:
    """A set keyed as a snapshot keys it: stacks, instances and sources by slug or key, rates by
    (market, language); ``markets`` maps each market's slug to its name; ``platform`` maps each
    platform price's slug to its (kind, value), cited as source "test"."""
    return engine.Assumptions(
        slug=slug,
        name=name,
        version=version,
        as_of=as_of,
        stacks={s.slug: s for s in stacks},
        markets={m: engine.Market(m, market_name) for m, market_name in markets.items()},
        rates={(r.market, r.language): r for r in rates},
        instances={i.slug: i for i in instances},
        sources={s.key: s for s in sources},
        platform={
            slug: engine.PlatformPrice(slug, slug, kind, "USD", engine.Figure(value, source="test"))
            for slug, (kind, value) in platform.items()
        },
    )


# The figure laws' hypothesis settings (platform, pricing and hosting): fewer examples than the
# model's own laws, each a few computes.
LAWS = settings(max_examples=60, deadline=None)


def of_kind(kind: str, values: Mapping[str, float]) -> dict[str, tuple[str, float]]:
    """Platform-price rows of one kind, as assumption_set(platform=...) takes them."""
    return {slug: (kind, value) for slug, value in values.items()}


def costed(inputs: engine.Inputs, options, a: engine.Assumptions) -> engine.Result:
    """compute(), for a property law: a scenario the model refuses is not one the law is about
    (hypothesis draws another)."""
    try:
        return engine.compute(inputs, options, a)
    except engine.ModelError:
        assume(False)
        raise  # unreachable: assume(False) raises


def totals(result: engine.Result) -> list[float]:
    return [o.horizon_total for o in result.options]


def no_lower(low: engine.Result, high: engine.Result) -> bool:
    """Whether every option's total under ``high`` is at least its total under ``low`` (to a
    millionth: the sums of a different order round differently)."""
    return all(y >= x - 1e-6 * abs(x) for x, y in zip(totals(low), totals(high), strict=True))
