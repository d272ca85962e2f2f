"""Pricing models (docs/model.md section 7d): hand-computed factors and property laws.

The hand-computed cases use tests/test_engine.py's round scenario, whose Go fleet is 10 "box"
instances at $0.10 an hour: $730 a month on demand. "box" is of provider "Test", so the set's
pricing figures are "test-commit-1yr" and so on, with the shipped sets' AWS values.
"""

from __future__ import annotations

from dataclasses import replace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from costcalc import engine
from costcalc.engine import ModelError, Option, compute, insight
from tests import engine_factories as ef
from tests.test_engine import ROUND, make_assumptions
from tests.test_engine_platform import priced
from tests.test_engine_properties import assumption_sets, option_lists, scenarios

PRICING = ef.of_kind(
    "pricing",
    {"test-commit-1yr": 30.0, "test-commit-3yr": 48.0, "test-spot": 50.0, "spot-overhead": 10.0},
)
MODELS = ("on_demand", "commit_1yr", "commit_3yr", "spot")


def with_pricing(a: engine.Assumptions, figures=PRICING) -> engine.Assumptions:
    return priced(a, figures)


def compute_month(pricing: str, **changes) -> float:
    """The Go fleet's compute in month 1 of the round scenario (3 months, no platform line)."""
    inputs = ef.inputs(ROUND, horizon_months=3, pricing=pricing, **changes)
    result = compute(inputs, [Option.single("go")], with_pricing(make_assumptions()))
    return float(result.options[0].categories["infrastructure"][0])


# --- Hand-computed ---------------------------------------------------------------------------


def test_each_pricing_model_by_hand():
    assert compute_month("on_demand") == pytest.approx(10 * 730 * 0.10)  # 730
    assert compute_month("commit_1yr") == pytest.approx(730 * (1 - 0.30))  # 511
    assert compute_month("commit_3yr") == pytest.approx(730 * (1 - 0.48))  # 379.60
    assert compute_month("spot") == pytest.approx(730 * (1 - 0.50) * (1 + 0.10))  # 401.50


def test_the_further_discount_multiplies_in():
    # Spot with an enterprise discount of 20 %: 730 x 0.5 x 1.1 x 0.8 = 321.20
    assert compute_month("spot", commitment_discount_pct=20) == pytest.approx(321.20)
    # On demand the discount is the whole of it, as before pricing models: 730 x 0.8 = 584
    assert compute_month("on_demand", commitment_discount_pct=20) == pytest.approx(584.0)


def test_the_provider_of_the_instance_chooses_the_figures():
    a = make_assumptions()
    gcp = replace(a.instances["box"], provider="GCP")
    a = with_pricing(
        replace(a, instances={"box": gcp}),
        {**PRICING, "gcp-commit-1yr": ("pricing", 37.0)},
    )
    inputs = ef.inputs(ROUND, horizon_months=3, pricing="commit_1yr")
    month = compute(inputs, [Option.single("go")], a).options[0].categories["infrastructure"][0]
    assert month == pytest.approx(730 * 0.63)
    assert engine.pricing_slugs(inputs, a) == ["gcp-commit-1yr"]


def test_the_workings_show_the_model_and_its_figures():
    inputs = ef.inputs(ROUND, horizon_months=3, pricing="spot")
    result = compute(inputs, [Option.single("go")], with_pricing(make_assumptions()))
    (step,) = [s for s in result.options[0].steps if s.label.endswith("infrastructure in month 1")]
    assert "x (1 - spot discount) x (1 + spot overhead) x (1 - further discount)" in step.formula
    values = {name: value for name, value, _, _ in step.values}
    assert values["test-spot"] == 0.5 and values["spot-overhead"] == pytest.approx(0.1)
    assert step.result == pytest.approx(401.50)


def test_a_set_without_pricing_figures_refuses_all_but_on_demand():
    inputs = ef.inputs(ROUND, horizon_months=3, pricing="commit_3yr")
    a = make_assumptions()  # no pricing rows, as versions 1 to 3 of the shipped sets
    with pytest.raises(ModelError, match="has no 3-year commitment figures for Test"):
        compute(inputs, [Option.single("go")], a)
    assert compute(replace(inputs, pricing="on_demand"), [Option.single("go")], a)
    with pytest.raises(ModelError, match="pricing must be one of"):
        compute(replace(inputs, pricing="reserved"), [Option.single("go")], a)


def test_a_discount_of_100_percent_or_more_is_refused():
    a = with_pricing(make_assumptions(), {**PRICING, "test-spot": ("pricing", 100.0)})
    inputs = ef.inputs(ROUND, horizon_months=3, pricing="spot")
    with pytest.raises(ModelError, match="must be under 100%"):
        compute(inputs, [Option.single("go")], a)


def test_the_monte_carlo_draws_a_ranged_pricing_figure():
    a = with_pricing(make_assumptions())
    ranged = engine.Figure(50.0, 40.0, 70.0, source="test")
    spot = replace(a.platform["test-spot"], value=ranged)
    a = replace(a, platform={**a.platform, "test-spot": spot})
    inputs = ef.inputs(ROUND, horizon_months=3, pricing="spot")
    keys = [v.key for v in insight.variables(inputs, [Option.single("go")], a)]
    assert "pricing/test-spot" in keys and "pricing/spot-overhead" not in keys  # no range


# --- Laws ------------------------------------------------------------------------------------


# On demand, the pricing figures change nothing: tests/test_engine_hosting.py.


@ef.LAWS
@given(
    assumption_sets(),
    scenarios(),
    option_lists(),
    st.sampled_from(MODELS[1:]),
    st.floats(0, 80),
    st.floats(0, 19),
)
def test_a_larger_discount_never_raises_a_total(a, inputs, options, model, discount, more):
    inputs = replace(inputs, pricing=model, platform=engine.Platform.off())
    slug = {"commit_1yr": "test-commit-1yr", "commit_3yr": "test-commit-3yr"}.get(
        model, "test-spot"
    )
    a = replace(a, instances={k: replace(i, provider="Test") for k, i in a.instances.items()})
    low = with_pricing(a, {**PRICING, slug: ("pricing", discount)})
    high = with_pricing(a, {**PRICING, slug: ("pricing", discount + more)})
    cheaper = ef.costed(inputs, options, high)
    assert ef.no_lower(cheaper, compute(inputs, options, low))


@ef.LAWS
@given(assumption_sets(), scenarios(), option_lists(), st.floats(0, 50), st.floats(0, 50))
def test_more_spot_overhead_never_lowers_a_total(a, inputs, options, overhead, more):
    inputs = replace(inputs, pricing="spot", platform=engine.Platform.off())
    a = replace(a, instances={k: replace(i, provider="Test") for k, i in a.instances.items()})
    less = ef.costed(
        inputs, options, with_pricing(a, {**PRICING, "spot-overhead": ("pricing", overhead)})
    )
    higher = {**PRICING, "spot-overhead": ("pricing", overhead + more)}
    assert ef.no_lower(less, compute(inputs, options, with_pricing(a, higher)))
