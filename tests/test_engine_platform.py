"""Platform lines (docs/model.md section 7b): hand-computed cases and property laws.

The hand-computed cases use the version 3 sets' AWS prices (docs/platform-figures.md): 10,000
peak RPS, average 50 %, no growth, so 5,000 RPS on average and 13.14 billion requests a month.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from costcalc import engine
from costcalc.engine import Figure, ModelError, Option, Platform, compute, kernel
from tests import engine_factories as ef
from tests.test_engine import ROUND, make_assumptions
from tests.test_engine_properties import assumption_sets, option_lists, scenarios

# docs/platform-figures.md, tables 1a-1c: {slug: (kind, value)}.
AWS = {
    "rds-pg-r8g-large": ("database", 0.239),
    "db-storage-gb-month": ("storage", 0.115),
    "cache-gb-hour": ("cache", 0.084),
    "cache-minimum-gb": ("cache", 0.1),
    "cache-ecpu-million": ("cache", 0.0023),
    "lb-hour": ("load-balancer", 0.0225),
    "lb-lcu-hour": ("load-balancer", 0.008),
    "egress-free-gb": ("egress", 100.0),
    "egress-tier-1": ("egress", 0.09),
    "egress-tier-2": ("egress", 0.085),
    "egress-tier-3": ("egress", 0.07),
    "egress-tier-4": ("egress", 0.05),
    "obs-host-month": ("observability", 23.0),
    "obs-apm-host-month": ("observability", 31.0),
    "obs-log-ingest-gb": ("observability", 0.5),
    "obs-log-storage-gb-month": ("observability", 0.03),
}
ONLY = {  # each line on its own, at the design's stated sizes
    "database": replace(Platform.off(), database="rds-pg-r8g-large"),
    "cache": replace(Platform.off(), cache=True),
    "load_balancer": replace(Platform.off(), load_balancers=1),
    "egress": replace(Platform.off(), egress=True),
    "observability": replace(Platform.off(), observability="per_host"),
}


def priced(a: engine.Assumptions, prices=AWS) -> engine.Assumptions:
    """The set ``a`` with platform prices."""
    with_prices = ef.assumption_set(
        stacks=a.stacks.values(),
        rates=a.rates.values(),
        instances=a.instances.values(),
        markets={m.slug: m.name for m in a.markets.values()},
        platform=prices,
    )
    return replace(with_prices, slug=a.slug, name=a.name)


def hand_set() -> engine.Assumptions:
    """tests/test_engine.py's round set (Go at 1,000 requests per vCPU, "box" at $0.10 an hour)
    with the AWS platform prices."""
    return priced(make_assumptions())


def hand_inputs(platform: Platform, **changes) -> engine.Inputs:
    """tests/test_engine.py's round scenario (its worked example's Go fleet is 10 instances)
    over 3 months, with ``platform``."""
    return ef.inputs(ROUND, horizon_months=3, platform=platform, **changes)


def line(platform: Platform, name: str, **changes) -> float:
    result = compute(hand_inputs(platform, **changes), [Option.single("go")], hand_set())
    return result.options[0].platform[name][0]


# --- Hand-computed (docs/model.md, section 7b's worked example) -----------------------------


def test_egress_at_10k_peak_with_2_kb_responses_is_2276_dollars_a_month():
    # 13.14e9 requests x 2 KB = 26,280 GB: (10,240 - 100) x 0.09 + (26,280 - 10,240) x 0.085
    assert line(ONLY["egress"], "egress") == pytest.approx(912.60 + 1_363.40, abs=1e-6)
    assert round(line(ONLY["egress"], "egress"), 2) == 2_276.00


def test_egress_reaches_every_tier_and_is_free_below_the_allowance():
    # 50 GB a month: inside the free 100 GB.
    assert line(ONLY["egress"], "egress", peak_rps=10_000 * 50 / 26_280) == pytest.approx(0.0)
    # 400 TB = 409,600 GB: 10,140 x 0.09 + 40,960 x 0.085 + 102,400 x 0.07 + 256,000 x 0.05
    peak = 10_000 * 409_600 / 26_280
    expected = 10_140 * 0.09 + 40_960 * 0.085 + 102_400 * 0.07 + 256_000 * 0.05
    assert line(ONLY["egress"], "egress", peak_rps=peak) == pytest.approx(expected)


def test_alb_at_10k_peak_is_331_79_dollars_a_month():
    # LCUs = max(5,000 x 0.1 / 25, 5,000 x (1 + 2) KB x 3,600 / 1e6) = max(20, 54) = 54
    expected = 730 * (0.0225 + 0.008 * 54)
    assert line(ONLY["load_balancer"], "load_balancer") == pytest.approx(expected)
    assert round(expected, 2) == 331.79
    # without keep-alive the connections decide: 5,000 x 1 / 25 = 200 LCUs
    no_keep_alive = replace(ONLY["load_balancer"], new_connections_per_request=1.0)
    assert line(no_keep_alive, "load_balancer") == pytest.approx(730 * (0.0225 + 0.008 * 200))


def test_database_instance_multi_az_replicas_and_storage():
    # 730 x 0.239 x 2 (Multi-AZ) + 100 GB x 0.115 x 2 = 348.94 + 23.00
    assert line(ONLY["database"], "database") == pytest.approx(371.94)
    single = replace(ONLY["database"], db_multi_az=False, db_replicas=2)
    # 730 x 0.239 x (1 + 2) + 100 x 0.115
    assert line(single, "database") == pytest.approx(523.41 + 11.5)


def test_serverless_cache_bills_its_data_at_least_the_minimum_and_its_processing():
    # 730 x 1 GB x 0.084 + 13.14e9 x 1 ECPU x 0.0023 / 1e6 = 61.32 + 30.222
    assert line(ONLY["cache"], "cache") == pytest.approx(91.542)
    tiny = replace(ONLY["cache"], cache_gb=0.0, cache_ecpu_per_request=0.0)
    assert line(tiny, "cache") == pytest.approx(730 * 0.1 * 0.084)


def test_observability_per_host_follows_the_fleet_and_per_gb_of_logs_does_not():
    # The worked example's Go fleet: 10 instances (CPU-bound) x $23; with APM x ($23 + $31).
    assert line(ONLY["observability"], "observability") == pytest.approx(230.0)
    apm = replace(ONLY["observability"], observability="per_host_apm")
    assert line(apm, "observability") == pytest.approx(540.0)
    # 13.14e9 x 0.5 KB = 6,570 GB: ingested at 0.50 and kept a month at 0.03
    logs = replace(ONLY["observability"], observability="logs")
    assert line(logs, "observability") == pytest.approx(6_570 * 0.53)


def test_the_platform_category_is_the_sum_of_its_lines_and_is_shown_apart():
    result = compute(hand_inputs(Platform()), [Option.single("go")], hand_set())
    option = result.options[0]
    lines = option.platform
    assert set(lines) == set(kernel.PLATFORM_LINES)
    expected = 371.94 + 91.542 + 730 * (0.0225 + 0.008 * 54) + 2_276.0 + 230.0
    assert option.categories["platform"] == pytest.approx(np.full(3, expected))
    assert option.categories["infrastructure"] == pytest.approx(np.full(3, 730.0))
    # the framework's share of the infrastructure bill: compute over compute and platform
    assert option.framework_share == pytest.approx(730 / (730 + expected))
    assert option.horizon_total == pytest.approx(3 * (730 + expected + 60_000))


def test_the_worked_example_go_against_fastapi():
    """docs/model.md, section 7c's worked example: the shared lines are the same, monitoring
    follows each fleet (Go 10 instances, FastAPI 40), and so does the framework's share."""
    go, fastapi = compute(
        hand_inputs(Platform()), [Option.single("go"), Option.single("fastapi")], hand_set()
    ).options
    shared = 371.94 + 91.542 + 331.785 + 2_276.0
    assert go.categories["platform"][0] == pytest.approx(shared + 10 * 23)
    assert fastapi.categories["platform"][0] == pytest.approx(shared + 40 * 23)
    assert round(go.framework_share * 100, 1) == 18.1
    assert round(fastapi.framework_share * 100, 1) == 42.2


def test_a_set_without_platform_prices_prices_no_line():
    a = replace(hand_set(), platform={})
    result = compute(hand_inputs(Platform()), [Option.single("go")], a)
    assert result.options[0].platform == {}
    assert result.options[0].framework_share is None
    assert not result.options[0].categories["platform"].any()


def test_bad_platform_inputs_and_missing_prices_are_named():
    go = [Option.single("go")]
    with pytest.raises(ModelError, match="read replicas"):
        compute(hand_inputs(replace(Platform(), db_replicas=1.5)), go, hand_set())
    with pytest.raises(ModelError, match="sizes"):
        compute(hand_inputs(replace(Platform(), response_kb=-1.0)), go, hand_set())
    with pytest.raises(ModelError, match="observability"):
        compute(hand_inputs(replace(Platform(), observability="tea-leaves")), go, hand_set())
    with pytest.raises(engine.MissingAssumption) as missing:
        compute(hand_inputs(replace(Platform(), database="db-nope")), go, hand_set())
    assert missing.value.name == "platform price 'db-nope'"
    with pytest.raises(ModelError, match="not a managed database"):
        compute(hand_inputs(replace(Platform(), database="lb-hour")), go, hand_set())
    without_tier = {k: v for k, v in AWS.items() if k != "egress-tier-3"}
    with pytest.raises(engine.MissingAssumption, match="egress-tier-3"):
        compute(hand_inputs(Platform()), go, replace(hand_set(), platform=priced(
            hand_set(), without_tier).platform))  # fmt: skip


# --- Laws ---------------------------------------------------------------------------------

platforms = st.builds(
    Platform,
    database=st.sampled_from(["", "rds-pg-r8g-large"]),
    db_multi_az=st.booleans(),
    db_replicas=st.integers(0, 5),
    db_storage_gb=st.floats(0, 5_000),
    cache=st.booleans(),
    cache_gb=st.floats(0, 100),
    cache_ecpu_per_request=st.floats(0, 20),
    load_balancers=st.integers(0, 3),
    request_kb=st.floats(0, 50),
    response_kb=st.floats(0, 200),
    new_connections_per_request=st.floats(0, 1),
    egress=st.booleans(),
    observability=st.sampled_from(["", "per_host", "per_host_apm", "logs"]),
    log_kb_per_request=st.floats(0, 10),
    log_retention_months=st.floats(0, 24),
)


def totals(result) -> list:
    return [(o.total, o.cumulative, o.totals, o.horizon_total) for o in result.options]


@ef.LAWS
@given(a=assumption_sets(), inputs=scenarios(), options=option_lists())
def test_with_platform_lines_off_every_figure_is_todays_to_the_bit(a, inputs, options):
    """Today's figures: the set without platform prices (what the model computed before it had
    them) against the same set with them and every line off, and with them on but unpriced."""
    today = compute(replace(inputs, platform=Platform.off()), options, a)
    off = compute(replace(inputs, platform=Platform.off()), options, priced(a))
    unpriced = compute(replace(inputs, platform=Platform()), options, a)
    for result in (off, unpriced):
        for before, after in zip(today.options, result.options, strict=True):
            assert not after.categories["platform"].any() and after.platform == {}
            for c in engine.CATEGORIES:
                assert np.array_equal(before.categories[c], after.categories[c])
            assert np.array_equal(before.total, after.total)
            assert np.array_equal(before.cumulative, after.cumulative)
            assert before.totals == after.totals
            assert (before.break_even_month, before.saving_vs_baseline) == (
                after.break_even_month,
                after.saving_vs_baseline,
            )
    monthly = kernel.monthly_totals(
        replace(inputs, platform=Platform.off()),
        options,
        priced(a),
        kernel.base_params(inputs, options, priced(a)),
        today.peak_rps,
    )
    assert np.array_equal(monthly, np.array([o.total for o in today.options]))


@ef.LAWS
@given(a=assumption_sets(), inputs=scenarios(), options=option_lists(), platform=platforms)
def test_stack_independent_platform_lines_are_equal_across_options(a, inputs, options, platform):
    result = compute(replace(inputs, platform=platform), options, priced(a))
    fleet = {"observability"} if platform.observability in kernel.PER_HOST else set()
    first = result.options[0].platform
    for option in result.options[1:]:
        assert option.platform.keys() == first.keys()
        for name in first.keys() - fleet:
            assert np.array_equal(option.platform[name], first[name]), name


@ef.LAWS
@given(
    a=assumption_sets(),
    inputs=scenarios(),
    options=option_lists(),
    platform=platforms,
    # every price (the free allowance is not one: more of it costs less)
    slug=st.sampled_from(sorted(set(AWS) - {"egress-free-gb"})),
    rise=st.floats(1.0, 10.0),
)
def test_raising_any_platform_price_never_lowers_any_total(
    a, inputs, options, platform, slug, rise
):
    inputs = replace(inputs, platform=platform)
    kind, value = AWS[slug]
    dearer = {**AWS, slug: (kind, value * rise + 0.01)}
    before = compute(inputs, options, priced(a))
    after = compute(inputs, options, priced(a, dearer))
    for low, high in zip(before.options, after.options, strict=True):
        assert np.all(high.categories["platform"] >= low.categories["platform"] - 1e-9)
        assert np.all(high.total >= low.total - 1e-6 * np.maximum(1, low.total))


def test_the_kernel_takes_columns_of_drawn_platform_prices():
    """The Monte Carlo's shape: a price as a column of draws gives a row of totals per draw."""
    a = hand_set()
    inputs = hand_inputs(Platform())
    options = [Option.single("go")]
    params = kernel.base_params(inputs, options, a)
    peak = kernel.peak_traffic(inputs, inputs.peak_rps)
    draws = dict(params)
    draws[("platform", "egress-tier-2")] = np.array([[0.085], [0.17]])
    monthly = kernel.monthly_totals(inputs, options, a, draws, peak)
    base = kernel.monthly_totals(inputs, options, a, params, peak)
    assert monthly.shape == (1, 2, 3)
    assert np.allclose(monthly[0, 0], base[0])
    # doubling the second tier's price adds its part again: 16,040 GB x 0.085
    assert np.allclose(monthly[0, 1] - monthly[0, 0], 16_040 * 0.085)


def test_a_platform_price_with_a_range_is_drawn_by_the_monte_carlo_and_swung_by_the_tornado():
    from costcalc.engine import insight as ei

    a = hand_set()
    ranged = replace(a.platform["rds-pg-r8g-large"], value=Figure(0.239, 0.2, 0.3, source="test"))
    a = replace(a, platform={**a.platform, "rds-pg-r8g-large": ranged})
    inputs = hand_inputs(ONLY["database"])
    options = [Option.single("go"), Option.single("fastapi")]
    variable = next(v for v in ei.variables(inputs, options, a) if v.key.startswith("platform/"))
    assert (variable.key, variable.low, variable.high) == ("platform/rds-pg-r8g-large", 0.2, 0.3)
    assert variable.targets == (("platform", "rds-pg-r8g-large"),)
    assert variable.label == "the price of rds-pg-r8g-large"
    draws = ei.monte_carlo(inputs, options, a)
    assert variable.key in [v.key for v in draws.variables]
    # The same database for every option: its price moves both totals alike, so the tornado,
    # which swings the leader's total less the runner-up's, has no bar for it (a bar shorter
    # than a dollar is left out), while the stacks' figures have theirs.
    bars = [b.variable.key for b in ei.tornado(inputs, options, a, min_span=1e-6).bars]
    assert variable.key not in bars and bars
    # a list price without a range is known exactly: none of the others varies
    assert [v.key for v in ei.variables(inputs, options, a) if v.key.startswith("platform/")] == [
        "platform/rds-pg-r8g-large"
    ]
