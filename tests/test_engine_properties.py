"""Property tests: the laws in the design ("Laws the implementation must obey").

Each test draws a random but valid assumption set, scenario and list of options, and checks
one law. Comparisons change one thing and keep everything else equal.
"""

from __future__ import annotations

import copy
import itertools
from dataclasses import replace

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from costcalc import engine
from costcalc.engine import CATEGORIES, Figure, Option, compute, kernel
from tests import engine_factories as ef

SETTINGS = settings(max_examples=100, deadline=None)
LANGUAGES = {"go": "go", "fastapi": "python", "express": "javascript"}


def floats(lo: float, hi: float):
    return st.floats(min_value=lo, max_value=hi, allow_nan=False, allow_infinity=False)


@st.composite
def stacks(draw, slug: str) -> engine.Stack:
    return engine.Stack(
        slug=slug,
        name=slug.title(),
        language=LANGUAGES[slug],
        rps_per_vcpu=Figure(draw(floats(50, 20_000))),
        cpu_multiplier=Figure(draw(floats(0.5, 10))),
        memory_per_process_mb=Figure(draw(floats(10, 256))),
        memory_per_inflight_kb=Figure(draw(floats(1, 512))),
        workers_per_vcpu=Figure(draw(st.sampled_from([0.0, 0.5, 1.0, 2.0]))),
        weeks_to_first_api=Figure(draw(floats(1, 30))),
    )


@st.composite
def assumption_sets(draw) -> engine.Assumptions:
    # At most 2 processes per vCPU x 256 MB = 512 MB per vCPU, and every instance has at least
    # 2 GB per vCPU, so no drawn stack is too big for the drawn instance.
    vcpu = draw(st.sampled_from([1.0, 2.0, 4.0, 8.0, 16.0]))
    memory_gb = vcpu * draw(st.sampled_from([2.0, 4.0, 8.0]))
    instance = ef.instance_type("box", vcpu, memory_gb, Figure(draw(floats(0.005, 5))))
    rates = [
        engine.MarketRate(
            market="m",
            language=language,
            annual_salary=Figure(draw(floats(10_000, 300_000))),
            loaded_multiplier=Figure(draw(floats(1, 2))),
            recruiting_fee_pct=Figure(draw(floats(0, 35))),
            time_to_fill_days=Figure(draw(floats(0, 180))),
            ramp_up_weeks=Figure(draw(floats(0, 26))),
        )
        for language in LANGUAGES.values()
    ]
    return ef.assumption_set(
        rates=rates,
        stacks=[draw(stacks(slug)) for slug in LANGUAGES],
        instances=[instance],
        markets={"m": "M"},
        slug="drawn",
        name="Drawn",
    )


@st.composite
def scenarios(draw) -> engine.Inputs:
    known = draw(
        st.dictionaries(st.sampled_from(sorted(set(LANGUAGES.values()))), st.integers(0, 60))
    )
    return engine.Inputs(
        peak_rps=draw(floats(1, 1_000_000)),
        avg_to_peak=draw(floats(0.05, 1)),
        growth_pct=draw(floats(-20, 20)),
        horizon_months=draw(st.integers(1, 36)),
        app_cpu_ms=draw(floats(0, 50)),
        io_wait_ms=draw(floats(0, 2_000)),
        team_size=draw(st.integers(1, 50)),
        market="m",
        known=known,
        policy=draw(st.sampled_from(["hire", "retrain"])),
        instance="box",
        commitment_discount_pct=draw(floats(0, 70)),
        target_utilisation_pct=draw(floats(10, 100)),
        min_replicas=draw(st.integers(0, 5)),
        autoscaling=draw(st.booleans()),
        cost_of_delay=draw(floats(0, 1_000_000)),
        separation_months=draw(floats(0, 12)),
        current_stack=draw(st.sampled_from(["", *sorted(LANGUAGES)])),
        hires_per_year=draw(st.one_of(st.just(0.0), floats(0, 60))),
    )


@st.composite
def mixes(draw) -> Option:
    """Two or three services with whole-percent shares adding to 100, some with overrides."""
    slugs = draw(st.lists(st.sampled_from(sorted(LANGUAGES)), min_size=2, max_size=3))
    cuts = sorted(
        draw(
            st.lists(
                st.integers(1, 99), min_size=len(slugs) - 1, max_size=len(slugs) - 1, unique=True
            )
        )
    )
    bounds = [0, *cuts, 100]
    services = []
    for i, slug in enumerate(slugs):
        override = draw(st.booleans())
        services.append(
            engine.Service(
                stack=slug,
                share=(bounds[i + 1] - bounds[i]) / 100,
                app_cpu_ms=draw(floats(0, 50)) if override else None,
                io_wait_ms=draw(floats(0, 2_000)) if override else None,
            )
        )
    return Option(name="mix", services=tuple(services))


@st.composite
def option_lists(draw) -> list[Option]:
    singles = draw(
        st.lists(st.sampled_from(sorted(LANGUAGES)), min_size=0, max_size=3, unique=True)
    )
    options = [Option.single(slug) for slug in singles]
    if not options or draw(st.booleans()):
        options.append(draw(mixes()))
    return options


def infra(inputs: engine.Inputs, options, a: engine.Assumptions) -> list[np.ndarray]:
    return [o.categories["infrastructure"] for o in compute(inputs, options, a).options]


def rising(lo: float, hi: float):
    """Two to six values in increasing order: each law is checked along a whole sweep."""
    return st.lists(floats(lo, hi), min_size=2, max_size=6).map(sorted)


def never_lower_along(sweep) -> None:
    """``sweep`` lists each option's infrastructure for a worsening value, step by step."""
    for before, after in itertools.pairwise(sweep):
        for b, c in zip(before, after, strict=True):
            assert np.all(c >= b), (b, c)


# --- Every figure is finite and not negative ---------------------------------------------------


@SETTINGS
@given(a=assumption_sets(), inputs=scenarios(), options=option_lists())
def test_every_figure_is_finite_and_not_negative(a, inputs, options):
    result = compute(inputs, options, a)
    assert np.all(np.isfinite(result.peak_rps)) and np.all(result.peak_rps > 0)
    assert np.all(np.isfinite(result.requests)) and np.all(result.requests > 0)
    for opt in result.options:
        arrays = [*opt.categories.values(), opt.total, opt.cumulative]
        arrays += [s.instances for s in opt.services] + [s.infrastructure for s in opt.services]
        for arr in arrays:
            assert arr.shape == (inputs.horizon_months,)
            assert np.all(np.isfinite(arr)) and np.all(arr >= 0)
        figures = [
            opt.horizon_total,
            *opt.totals.values(),
            opt.infra_per_100k_rps,
            opt.infra_per_million_requests,
            opt.cost_per_million_requests,
            opt.weeks_to_first_api,
        ]
        assert all(np.isfinite(x) and x >= 0 for x in figures)
        # Savings may be negative (an option dearer than the baseline) but never non-finite.
        assert np.isfinite(opt.saving_vs_baseline) and np.isfinite(opt.saving_pct)
        # Every service runs on at least its replica floor, in whole instances.
        for s in opt.services:
            assert np.all(s.instances >= max(1, inputs.min_replicas))
            np.testing.assert_array_equal(s.instances, np.round(s.instances))
        # Engineering is paid every month for a team of at least one engineer.
        assert np.all(opt.categories["engineering"] > 0)


# --- Monotonicity of infrastructure ------------------------------------------------------------
# Each test sweeps one value through two to six increasingly unfavourable settings, everything
# else equal, and checks that no option's infrastructure falls in any month at any step.


@SETTINGS
@given(a=assumption_sets(), inputs=scenarios(), options=option_lists(), peaks=rising(1, 1e6))
def test_infrastructure_never_falls_when_peak_rps_rises(a, inputs, options, peaks):
    never_lower_along([infra(replace(inputs, peak_rps=p), options, a) for p in peaks])


@SETTINGS
@given(a=assumption_sets(), inputs=scenarios(), options=option_lists(), cpu=rising(0, 50))
def test_infrastructure_never_falls_when_cpu_per_request_rises(a, inputs, options, cpu):
    never_lower_along([infra(replace(inputs, app_cpu_ms=ms), options, a) for ms in cpu])


@SETTINGS
@given(a=assumption_sets(), inputs=scenarios(), options=option_lists(), prices=rising(0, 5))
def test_infrastructure_never_falls_when_price_rises(a, inputs, options, prices):
    def priced(price: float) -> engine.Assumptions:
        box = replace(a.instances["box"], price_per_hour=Figure(price))
        return replace(a, instances={"box": box})

    never_lower_along([infra(inputs, options, priced(p)) for p in prices])


@SETTINGS
@given(
    a=assumption_sets(),
    inputs=scenarios(),
    options=option_lists(),
    slug=st.sampled_from(sorted(LANGUAGES)),
    throughputs=rising(50, 20_000),
)
def test_infrastructure_never_falls_when_throughput_per_vcpu_falls(
    a, inputs, options, slug, throughputs
):
    def with_rps(rps: float) -> engine.Assumptions:
        stack = replace(a.stacks[slug], rps_per_vcpu=Figure(rps))
        return replace(a, stacks={**a.stacks, slug: stack})

    never_lower_along([infra(inputs, options, with_rps(r)) for r in reversed(throughputs)])


@SETTINGS
@given(a=assumption_sets(), inputs=scenarios(), options=option_lists(), targets=rising(1, 100))
def test_infrastructure_never_falls_when_target_utilisation_falls(a, inputs, options, targets):
    never_lower_along(
        [infra(replace(inputs, target_utilisation_pct=t), options, a) for t in reversed(targets)]
    )


# --- Infrastructure ratio of two stacks --------------------------------------------------------


@SETTINGS
@given(
    a=assumption_sets(),
    inputs=scenarios(),
    pair=st.lists(st.sampled_from(sorted(LANGUAGES)), min_size=2, max_size=2, unique=True),
    instances_wanted=floats(1_000, 100_000),
)
def test_infra_ratio_tends_to_inverse_throughput_ratio(a, inputs, pair, instances_wanted):
    """Framework-only work: instances = ceil(x) with x = load / (rps_per_vcpu x util x vCPU).

    Same load, utilisation and instance for both stacks, so x1 / x2 = r2 / r1 exactly, and the
    only error is the ceiling: x <= ceil(x) < x + 1. Hence
        x1 / (x2 + 1) < n1 / n2 < (x1 + 1) / x2,
    i.e. n1/n2 is within a relative 1 / min(x1, x2) of r2/r1 (plus 1e-9 for the rounding
    ceil_count applies before the ceiling). Drawing traffic so that the smaller fleet is at
    least 1,000 instances bounds the error by 0.1 %: far above the replica floor (<= 5), the
    ratio tends to the inverse throughput ratio as traffic grows. Memory never binds here:
    with no I/O wait an instance holds about vCPU x utilisation requests in flight, at most
    16 x 512 KB = 8 MB, against at least 1.5 GB free.
    """
    s1, s2 = (a.stacks[s] for s in pair)
    r1, r2 = s1.rps_per_vcpu.base, s2.rps_per_vcpu.base
    vcpu = a.instances["box"].vcpu
    util = inputs.target_utilisation_pct / 100
    billed = inputs.avg_to_peak if inputs.autoscaling else 1.0
    # Choose peak RPS so the faster stack (fewer instances) needs `instances_wanted`.
    peak = instances_wanted * max(r1, r2) * util * vcpu / billed
    scenario = replace(inputs, peak_rps=peak, growth_pct=0.0, app_cpu_ms=0.0, io_wait_ms=0.0)
    result = compute(scenario, [Option.single(s) for s in pair], a)
    one, two = result.options
    assert all(b == "cpu" for o in result.options for b in o.services[0].bound_by)

    x1 = peak * billed / r1 / util / vcpu
    x2 = peak * billed / r2 / util / vcpu
    tolerance = 1 / min(x1, x2) + 1e-9
    ratio = one.categories["infrastructure"] / two.categories["infrastructure"]
    assert np.all(np.abs(ratio / (r2 / r1) - 1) <= tolerance)
    assert tolerance <= 1.001e-3


# --- Zero growth -------------------------------------------------------------------------------


@SETTINGS
@given(a=assumption_sets(), inputs=scenarios(), options=option_lists())
def test_zero_growth_gives_the_same_infrastructure_every_month(a, inputs, options):
    result = compute(replace(inputs, growth_pct=0.0), options, a)
    np.testing.assert_array_equal(result.peak_rps, np.full_like(result.peak_rps, inputs.peak_rps))
    for opt in result.options:
        infrastructure = opt.categories["infrastructure"]
        np.testing.assert_array_equal(
            infrastructure, np.full_like(infrastructure, infrastructure[0])
        )


# --- Totals add up -------------------------------------------------------------------------------


@SETTINGS
@given(a=assumption_sets(), inputs=scenarios(), options=option_lists())
def test_cumulative_ends_at_the_total_and_categories_add_up(a, inputs, options):
    result = compute(inputs, options, a)
    for opt in result.options:
        by_category = sum(opt.categories[c] for c in CATEGORIES)
        np.testing.assert_allclose(opt.total, by_category, rtol=1e-12)
        np.testing.assert_allclose(opt.cumulative, np.cumsum(opt.total), rtol=1e-12)
        assert np.all(np.diff(opt.cumulative) >= 0)
        assert opt.cumulative[-1] == opt.horizon_total
        np.testing.assert_allclose(sum(opt.totals.values()), opt.horizon_total, rtol=1e-9)
        for c in CATEGORIES:
            np.testing.assert_allclose(opt.totals[c], opt.categories[c].sum(), rtol=1e-12)
        # Services add up to the option's infrastructure.
        np.testing.assert_allclose(
            sum(s.infrastructure for s in opt.services),
            opt.categories["infrastructure"],
            rtol=1e-12,
        )
    baseline = result.baseline.horizon_total
    for opt in result.options:
        np.testing.assert_allclose(
            opt.saving_vs_baseline, baseline - opt.horizon_total, rtol=1e-12, atol=1e-6
        )
    assert result.cheapest.horizon_total == min(o.horizon_total for o in result.options)


# --- Determinism ---------------------------------------------------------------------------------


def fingerprint(result) -> list[bytes]:
    out = [result.peak_rps.tobytes(), result.requests.tobytes(), result.months.tobytes()]
    for opt in result.options:
        out += [opt.categories[c].tobytes() for c in CATEGORIES]
        out += [opt.total.tobytes(), opt.cumulative.tobytes()]
        out += [s.instances.tobytes() for s in opt.services]
        scalars = [
            opt.horizon_total,
            opt.infra_per_100k_rps,
            opt.infra_per_million_requests,
            opt.cost_per_million_requests,
            opt.saving_vs_baseline,
            opt.saving_pct,
        ]
        out.append(np.array(scalars).tobytes())
        out.append(repr(opt.break_even_month).encode())
    return out


@SETTINGS
@given(a=assumption_sets(), inputs=scenarios(), options=option_lists())
def test_same_inputs_give_identical_numbers(a, inputs, options):
    first = compute(inputs, options, a)
    # Fresh, deep copies of every input (new objects, same values) give the same bits.
    again = compute(copy.deepcopy(inputs), copy.deepcopy(options), copy.deepcopy(a))
    assert fingerprint(first) == fingerprint(again)


@SETTINGS
@given(a=assumption_sets(), inputs=scenarios(), options=option_lists())
def test_leaving_out_the_workings_changes_no_figure(a, inputs, options):
    explained = compute(inputs, options, a)
    bare = compute(inputs, options, a, explain=False)
    assert fingerprint(bare) == fingerprint(explained)
    assert all(opt.steps for opt in explained.options)
    assert not any(opt.steps for opt in bare.options)


@SETTINGS
@given(a=assumption_sets(), inputs=scenarios(), options=option_lists())
def test_an_options_costs_do_not_depend_on_the_others_without_cost_of_delay(a, inputs, options):
    # Only the cost of delay (measured against the fastest compared option) and the
    # comparisons link options; an option's own costs come from inputs and assumptions alone.
    assume(len(options) > 1)
    scenario = replace(inputs, cost_of_delay=0.0)
    together = compute(scenario, options, a)
    for opt in together.options:
        alone = compute(scenario, [opt.option], a).options[0]
        for c in CATEGORIES:
            assert opt.categories[c].tobytes() == alone.categories[c].tobytes()


@SETTINGS
@given(a=assumption_sets(), inputs=scenarios(), options=option_lists())
def test_a_services_figures_do_not_depend_on_the_services_costed_beside_it(a, inputs, options):
    # compute() costs the services of all options in one pass, a row each; every service's
    # figures must still be its own, to the bit.
    assume(len(options) > 1)
    together = compute(inputs, options, a)
    for opt in together.options:
        alone = compute(inputs, [opt.option], a).options[0]
        for s, t in zip(opt.services, alone.services, strict=True):
            assert s.cpu_seconds_per_request == t.cpu_seconds_per_request
            for field in ("instances", "infrastructure", "cpu_instances", "memory_instances"):
                assert getattr(s, field).tobytes() == getattr(t, field).tobytes()
            assert s.bound_by == t.bound_by
        assert opt.steps[: 4 * len(opt.services)] == alone.steps[: 4 * len(alone.services)]


@SETTINGS
@given(a=assumption_sets(), inputs=scenarios(), options=option_lists())
def test_bound_by_names_the_term_that_set_the_instance_count(a, inputs, options):
    # docs/model.md section 6: "replicas" when the floor is strictly above both other terms,
    # else "memory" when memory needs strictly more instances than CPU, else "cpu".
    floor = inputs.min_replicas
    for opt in compute(inputs, options, a, explain=False).options:
        for s in opt.services:
            needed = np.maximum(s.cpu_instances, s.memory_instances)
            assert np.array_equal(s.instances, np.maximum(needed, floor))
            expected = [
                "replicas" if floor > max(cpu, memory) else "memory" if memory > cpu else "cpu"
                for cpu, memory in zip(s.cpu_instances, s.memory_instances, strict=True)
            ]
            assert s.bound_by == expected


# --- People ----------------------------------------------------------------------------------


def languages_of(option: Option) -> set[str]:
    return {LANGUAGES[s.stack] for s in option.services}


@SETTINGS
@given(
    a=assumption_sets(),
    inputs=scenarios(),
    options=option_lists(),
    language=st.sampled_from(sorted(set(LANGUAGES.values()))),
    factor=floats(1, 3),
)
def test_a_higher_salary_never_lowers_an_option_that_pays_it_and_leaves_the_rest(
    a, inputs, options, language, factor
):
    before = compute(inputs, options, a)
    rate = a.rates[("m", language)]
    raised = replace(rate, annual_salary=Figure(rate.annual_salary.base * factor))
    after = compute(inputs, options, replace(a, rates={**a.rates, ("m", language): raised}))
    for old, new in zip(before.options, after.options, strict=True):
        if language in languages_of(old.option):
            assert np.all(new.cumulative >= old.cumulative - 1e-6 * abs(old.cumulative))
        else:
            assert new.cumulative.tobytes() == old.cumulative.tobytes()


@SETTINGS
@given(a=assumption_sets(), inputs=scenarios(), options=option_lists())
def test_a_team_that_knows_an_options_languages_pays_no_hiring_or_retraining(a, inputs, options):
    # The team as it is: team growth hires new seats, which the law below accounts for.
    fluent = replace(
        inputs, known={x: inputs.team_size for x in set(LANGUAGES.values())}, hires_per_year=0.0
    )
    for opt in compute(fluent, options, a).options:
        assert not opt.categories["people"].any()


@SETTINGS
@given(a=assumption_sets(), inputs=scenarios(), options=option_lists(), months=rising(0, 12))
def test_separation_pay_never_lowers_a_cost_and_only_hiring_pays_it(a, inputs, options, months):
    runs = [compute(replace(inputs, separation_months=m), options, a) for m in months]
    for before, after in itertools.pairwise(runs):
        for old, new in zip(before.options, after.options, strict=True):
            assert np.all(new.categories["people"] >= old.categories["people"])
            if inputs.policy == "retrain":
                assert new.cumulative.tobytes() == old.cumulative.tobytes()


@SETTINGS
@given(
    a=assumption_sets(),
    inputs=scenarios(),
    options=option_lists(),
    hires=st.lists(floats(0, 60), min_size=2, max_size=3).map(sorted),
)
def test_team_growth_never_lowers_a_cost_and_adds_each_seat_from_the_month_it_opens(
    a, inputs, options, hires
):
    # Over the horizon, growth adds r_l x (loaded monthly cost x (1 + 2 + ... + H) + fee x H)
    # per language, whatever the time to fill: that only moves a seat's first months from
    # engineering (pay) to people (output lost while it is empty).
    runs = [compute(replace(inputs, hires_per_year=h), options, a) for h in [0.0, *hires]]
    horizon = inputs.horizon_months
    for before, after in itertools.pairwise(runs):
        for old, new in zip(before.options, after.options, strict=True):
            assert np.all(new.total >= old.total - 1e-6 * np.abs(old.total))
    for h, run in zip(hires, runs[1:], strict=True):
        for none, grown in zip(runs[0].options, run.options, strict=True):
            added = 0.0
            seats = kernel.language_seats(inputs.team_size, grown.option.services, a)
            for language, (_, seat) in seats.items():
                r = h / 12 * seat / inputs.team_size
                rate = a.rate(inputs.market, language)
                loaded = rate.annual_salary.base * rate.loaded_multiplier.base / 12
                fee = rate.annual_salary.base * rate.recruiting_fee_pct.base / 100
                added += r * (loaded * horizon * (horizon + 1) / 2 + fee * horizon)
            got = grown.horizon_total - none.horizon_total
            # A difference of two totals: its rounding is the totals', not the difference's.
            assert got == pytest.approx(added, rel=1e-9, abs=1e-9 * grown.horizon_total)


@SETTINGS
@given(a=assumption_sets(), inputs=scenarios(), options=option_lists())
def test_savings_are_measured_against_the_current_stack_when_it_is_compared(a, inputs, options):
    result = compute(inputs, options, a)
    current = [
        o
        for o in result.options
        if not o.option.is_mix and o.option.services[0].stack == inputs.current_stack
    ]
    assert result.baseline is (current[0] if current else result.options[0])
    assert result.baseline.saving_vs_baseline == 0


@SETTINGS
@given(
    a=assumption_sets(),
    inputs=scenarios(),
    options=option_lists(),
    which=st.sampled_from(
        [("stack", slug, f) for slug in LANGUAGES for f in engine.yours.STACK_FIELDS]
        + [
            ("rate", x, f)
            for x in sorted(set(LANGUAGES.values()))
            for f in engine.yours.RATE_FIELDS
        ]
    ),
)
def test_your_figure_equal_to_the_sets_changes_no_figure(a, inputs, options, which):
    owner, name, field = which
    row = a.stacks[name] if owner == "stack" else a.rates[("m", name)]
    same = replace(inputs, your_figures={f"{owner}:{name}:{field}": getattr(row, field).base})
    before, after = compute(inputs, options, a), compute(same, options, a)
    for old, new in zip(before.options, after.options, strict=True):
        for c in CATEGORIES:
            assert new.categories[c].tobytes() == old.categories[c].tobytes()
