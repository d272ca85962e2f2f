"""Hosting models (docs/model.md section 7e): containers and functions, by hand and by law.

The hand-computed cases use tests/test_engine.py's round scenario (10,000 peak RPS, half of
it on average, 1 ms of business logic and 18 ms of I/O a request, a 50 % target, 2 replicas)
for Go (1,000 requests per vCPU, 192 MB a process, 64 KB a request), with round AWS rates:
a container vCPU-hour $0.04 and GB-hour $0.005; a function GB-second $0.00001, $0.20 a
million requests, a full vCPU at 1,024 MB; Go's cold start 100 ms.
"""

from __future__ import annotations

from dataclasses import replace

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from costcalc import engine
from costcalc.engine import ModelError, Option, compute
from costcalc.engine.hosting import REL_TOL, compare_hosting
from tests import engine_factories as ef
from tests.test_engine import ROUND, make_assumptions
from tests.test_engine_platform import priced
from tests.test_engine_pricing import with_pricing
from tests.test_engine_properties import assumption_sets, option_lists, scenarios

RATES = {
    **ef.of_kind("containers", {"aws-container-vcpu-hour": 0.04, "aws-container-gb-hour": 0.005}),
    **ef.of_kind(
        "functions",
        {
            "aws-function-gb-second": 0.00001,
            "aws-function-million-requests": 0.20,
            "aws-function-mb-per-vcpu": 1024.0,
        },
    ),
}
COLD = {f"cold-start-{s}": ("functions", ms) for s, ms in (("go", 100.0), ("fastapi", 500.0),
                                                            ("express", 300.0))}  # fmt: skip


def on_aws(a: engine.Assumptions, figures=None) -> engine.Assumptions:
    """``a`` with its instance types on AWS and the round hosting figures."""
    a = replace(a, instances={k: replace(i, provider="AWS") for k, i in a.instances.items()})
    return priced(a, {**RATES, **COLD} if figures is None else figures)


def go_month(hosting: str, **changes) -> float:
    inputs = ef.inputs(ROUND, horizon_months=3, hosting=hosting, **changes)
    result = compute(inputs, [Option.single("go")], on_aws(make_assumptions()))
    return float(result.options[0].categories["infrastructure"][0])


def test_functions_by_hand():
    # 5,000 requests a second = 13.14 billion a month. At 1,024 MB (a full vCPU) a request
    # takes 0.002 s of CPU + 0.018 s of I/O + 1 % x 0.1 s of cold start = 0.021 s:
    # 0.20 / 1e6 + 1 GB x 0.021 x 0.00001 = 4.1e-7 a request, $5,387.40 a month.
    assert go_month("functions", function_memory_mb=1024) == pytest.approx(5_387.40)
    # At 512 MB half a vCPU: 0.004 s of CPU; 2e-7 + 0.5 x 0.023 x 1e-5 = 3.15e-7: $4,139.10.
    assert go_month("functions", function_memory_mb=512) == pytest.approx(4_139.10)
    # No cold starts: 0.020 s, 2e-7 + 2e-7 = 4e-7 a request: $5,256.
    assert go_month("functions", function_memory_mb=1024, cold_start_pct=0) == pytest.approx(5_256)


def test_containers_by_hand():
    # Peak load (no autoscaling): 10,000 x 0.002 s / 0.5 = 40 vCPU = 40 one-vCPU containers
    # (memory: one 192 MB process, 1,856 MB free for 200 requests x 64 KB = 12.5 MB: 1).
    # A container-hour: 1 x 0.04 + 2 x 0.005 = $0.05; 40 x 730 x 0.05 = $1,460.
    assert go_month("containers", container_vcpu=1, container_gb=2) == pytest.approx(1_460)
    # Two vCPU and 4 GB each: 20 containers at $0.10: the same $1,460.
    assert go_month("containers", container_vcpu=2, container_gb=4) == pytest.approx(1_460)


def test_functions_have_no_hosts_for_per_host_monitoring():
    a = on_aws(make_assumptions(), {**RATES, **COLD, "obs-host-month": ("observability", 23.0)})
    platform = replace(engine.Platform.off(), observability="per_host")
    inputs = ef.inputs(ROUND, horizon_months=3, hosting="functions", platform=platform)
    option = compute(inputs, [Option.single("go")], a).options[0]
    assert option.platform["observability"][0] == 0
    assert option.services[0].instances[0] == 0


def test_what_the_engine_refuses():
    inputs = ef.inputs(ROUND, horizon_months=3, hosting="functions")
    with pytest.raises(ModelError, match="has no prices for functions: choose version 4"):
        compute(inputs, [Option.single("go")], on_aws(make_assumptions(), {}))
    with pytest.raises(ModelError, match="priced on AWS only"):  # "box" is of provider "Test"
        compute(inputs, [Option.single("go")], priced(make_assumptions(), {**RATES, **COLD}))
    with pytest.raises(ModelError, match="a function of 128 MB cannot hold FastAPI"):
        compute(replace(inputs, function_memory_mb=128), [Option.single("fastapi")],
                on_aws(make_assumptions()))  # fmt: skip
    with pytest.raises(ModelError, match="functions are priced on demand"):
        compute(replace(inputs, pricing="spot"), [Option.single("go")], on_aws(make_assumptions()))
    with pytest.raises(ModelError, match="hosting must be one of"):
        compute(replace(inputs, hosting="vms"), [Option.single("go")], on_aws(make_assumptions()))


def test_the_workings_of_a_function():
    inputs = ef.inputs(ROUND, horizon_months=3, hosting="functions", function_memory_mb=1024)
    option = compute(inputs, [Option.single("go")], on_aws(make_assumptions())).options[0]
    (step,) = [s for s in option.steps if s.label.endswith("functions in month 1")]
    assert step.result == pytest.approx(5_387.40)
    values = {name: value for name, value, _, _ in step.values}
    assert values["function memory"] == 1024 and values["cold-start share"] == 0.01
    assert values["cold-start-go"] == 100


# --- Laws ------------------------------------------------------------------------------------


def functions_scenario(inputs: engine.Inputs) -> engine.Inputs:
    return replace(inputs, hosting="functions", pricing="on_demand",
                   platform=engine.Platform.off(), function_memory_mb=2048)  # fmt: skip


@ef.LAWS
@given(assumption_sets(), scenarios(), option_lists())
def test_function_cost_is_linear_in_requests(a, inputs, options):
    inputs = functions_scenario(inputs)
    a = on_aws(a)
    try:
        once = compute(inputs, options, a)
        twice = compute(replace(inputs, peak_rps=inputs.peak_rps * 2), options, a)
    except ModelError:
        assume(False)
    for x, y in zip(once.options, twice.options, strict=True):
        assert y.totals["infrastructure"] == pytest.approx(2 * x.totals["infrastructure"])


@ef.LAWS
@given(
    assumption_sets(),
    scenarios(),
    option_lists(),
    st.sampled_from(sorted(RATES)),
    st.floats(1.01, 10),
    st.sampled_from(["containers", "functions"]),
)
def test_raising_a_hosting_price_never_lowers_a_total(a, inputs, options, slug, factor, hosting):
    inputs = replace(functions_scenario(inputs), hosting=hosting)
    kind, value = RATES[slug]
    low = ef.costed(inputs, options, on_aws(a))
    high = compute(inputs, options, on_aws(a, {**RATES, **COLD, slug: (kind, value * factor)}))
    assert ef.no_lower(low, high)  # (more MB per vCPU is less CPU per function: dearer too)


@ef.LAWS
@given(assumption_sets(), scenarios(), option_lists(), st.sampled_from(["pricing", "hosting"]))
def test_figures_a_scenario_does_not_read_change_nothing(a, inputs, options, added):
    """On instances, the hosting models' figures; on demand, the pricing models'."""
    unread = {"hosting": "instances"} if added == "hosting" else {"pricing": "on_demand"}
    inputs = replace(inputs, platform=engine.Platform.off(), **unread)
    before = ef.costed(inputs, options, a)
    more = on_aws(a) if added == "hosting" else with_pricing(a)
    assert ef.totals(compute(inputs, options, more)) == ef.totals(before)


# --- The comparison and its crossover (engine/hosting.py) -------------------------------------


def test_containers_beat_functions_above_the_traffic_worked_by_hand():
    """Go at 1,024 MB: functions cost P x 0.5 x 2,628,000 x 4.1e-7 = 0.53874 P a month for a
    starting peak P; two containers (the replica floor) $73 a month until the load needs a
    third, and 0.146 P beyond. So containers stay cheaper from P = 73 / 0.53874 = 135.50 RPS."""
    inputs = ef.inputs(ROUND, horizon_months=3, function_memory_mb=1024, peak_rps=1000)
    a = on_aws(make_assumptions())
    (go,) = compare_hosting(inputs, [Option.single("go", name="Go")], a)
    assert go.containers_above == pytest.approx(73 / 0.53874, rel=REL_TOL)
    assert go.label == "containers beat functions above about 136 RPS"
    for hosting, total in go.totals.items():  # the results' own figures, at the scenario's peak
        given = replace(inputs, hosting=hosting)
        assert total == compute(given, [Option.single("go")], a).options[0].horizon_total


def test_no_comparison_without_the_figures_or_off_aws():
    inputs = ef.inputs(ROUND, horizon_months=3)
    assert compare_hosting(inputs, [Option.single("go")], make_assumptions()) == []
    not_aws = priced(make_assumptions(), {**RATES, **COLD})  # "box" is of provider "Test"
    assert compare_hosting(inputs, [Option.single("go")], not_aws) == []


def test_functions_cost_less_throughout_when_containers_are_dear():
    dear = {**RATES, "aws-container-vcpu-hour": ("containers", 1_000.0)}
    inputs = ef.inputs(ROUND, horizon_months=3)
    a = on_aws(make_assumptions(), {**dear, **COLD})
    (go,) = compare_hosting(inputs, [Option.single("go")], a)
    assert go.containers_above is None and go.functions_throughout
    assert go.label.startswith("functions cost less at every traffic")
