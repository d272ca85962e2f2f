"""The engine as it is against the copy of the engine before the kernel (tests/legacy_engine).

Exact equality on seeded random scenarios, the property tests' strategies and the inputs that
raise errors. bench/kernel_equivalence.py runs the same checks over 100,000 scenarios.
"""

from __future__ import annotations

import types
from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from costcalc.engine import Figure, Option, insight, migration, model
from tests import legacy_engine  # noqa: F401
from tests.engine_equivalence import check_insight, check_model, random_case
from tests.legacy_engine import insight as old_insight
from tests.legacy_engine import migration as old_migration
from tests.legacy_engine import model as old_model
from tests.test_engine_properties import assumption_sets, mixes, scenarios

OLD = types.SimpleNamespace(model=old_model, insight=old_insight, migration=old_migration)
NEW = types.SimpleNamespace(model=model, insight=insight, migration=migration)


@pytest.mark.parametrize("seed", range(300))
def test_seeded_scenarios_compute_and_migrate_identically(seed):
    inputs, options, a, rng = random_case(seed)
    check_model(OLD, NEW, inputs, options, a, rng)


@pytest.mark.parametrize("seed", range(12))
def test_seeded_scenarios_give_identical_insight(seed):
    inputs, options, a, _ = random_case(10_000 + seed, small=True)
    check_insight(OLD, NEW, inputs, options, a)


@settings(max_examples=100, deadline=None)
@given(a=assumption_sets(), inputs=scenarios(), mix=mixes(), seed=st.integers(0, 2**32))
def test_property_strategies_compute_identically(a, inputs, mix, seed):
    import random

    options = [Option.single("go"), Option.single("fastapi"), Option.single("express"), mix]
    check_model(OLD, NEW, inputs, options, a, random.Random(seed))


def _edge_cases():
    inputs, options, a, rng = random_case(7)
    box = a.instances["box"]
    go = a.stacks["go"]
    yield (
        "tiny memory",
        inputs,
        options,
        replace(a, instances={"box": replace(box, memory_gb=0.01)}),
    )
    yield (
        "zero rps per vcpu",
        inputs,
        options,
        replace(a, stacks={**a.stacks, "go": replace(go, rps_per_vcpu=Figure(0.0))}),
    )
    yield (
        "nan price",
        inputs,
        options,
        replace(a, instances={"box": replace(box, price_per_hour=Figure(float("nan")))}),
    )
    yield "overflow growth", replace(inputs, growth_pct=1e6, horizon_months=60), options, a
    yield "huge traffic", replace(inputs, peak_rps=1e300), options, a
    yield "no options", inputs, [], a
    yield "same names", inputs, [Option.single("go"), Option.single("go")], a
    yield "bad share", inputs, [Option(name="x", services=(model.Service("go", 0.5),))], a
    yield "unknown stack", inputs, [Option.single("rust")], a
    yield "half a month", replace(inputs, horizon_months=2.5), options, a
    yield "negative delay", replace(inputs, cost_of_delay=-1.0), options, a


@pytest.mark.parametrize("case", list(_edge_cases()), ids=lambda c: c[0])
def test_inputs_that_raise_raise_the_same_error(case):
    import random

    _, inputs, options, a = case
    check_model(OLD, NEW, inputs, options, a, random.Random(0))
    check_insight(OLD, NEW, inputs, options, a, draws=50, points=6)
