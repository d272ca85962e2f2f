"""Hand-computed cases for the pure cost engine (no database).

The assumption set below is built by hand with round numbers so that every expected value can
be checked with a pencil; each test works its numbers out in comments. These are test data,
not figures anyone should use.

Handy constants used throughout:
- an instance-month on "box" (4 vCPU, 8 GB, $0.10/h) costs 730 h x $0.10 = $73;
- a month has 730 h x 3600 s = 2,628,000 s;
- loaded monthly cost of a seat in market "us": Go 120,000 x 1.5 / 12 = 15,000,
  Python 96,000 x 1.5 / 12 = 12,000, JavaScript 72,000 x 1.5 / 12 = 9,000;
- time to fill 91.25 days = 91.25 / (365/12) = 3 months; 13 weeks = 13 / (52/12) = 3 months.
"""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np
import pytest

from costcalc import engine
from costcalc.engine import ModelError, Option, Service, compute
from costcalc.engine.model import spread
from tests import engine_factories as ef


def fig(x: float) -> engine.Figure:
    return engine.Figure(base=x, source="hand")


# slug: (name, language, rps/vCPU, CPU multiplier, MB/process, KB/in-flight, workers/vCPU, weeks)
STACKS = {
    # Go: one process per instance (workers 0); box free memory 8192 - 192 = 8,000 MB.
    "go": ("Go net/http", "go", 1000.0, 1.0, 192.0, 64.0, 0.0, 17.0),
    # FastAPI: one worker per vCPU, 4 x 1024 MB on box -> 4,096 MB free; 1 MB per request.
    "fastapi": ("FastAPI", "python", 250.0, 4.0, 1024.0, 1024.0, 1.0, 4.0),
    # Express: 0.5 workers per vCPU -> 2 processes x 96 MB on box -> 8,000 MB free.
    "express": ("Express 5", "javascript", 500.0, 2.0, 96.0, 64.0, 0.5, 10.5),
}
SALARIES = {"go": 120_000.0, "python": 96_000.0, "javascript": 72_000.0}


def rate(market: str, language: str, salary: float, multiplier: float = 1.5) -> engine.MarketRate:
    return engine.MarketRate(
        market=market,
        language=language,
        annual_salary=fig(salary),
        loaded_multiplier=fig(multiplier),
        recruiting_fee_pct=fig(20.0),
        time_to_fill_days=fig(91.25),  # 3 months
        ramp_up_weeks=fig(6.5),  # 1.5 months
    )


def make_assumptions() -> engine.Assumptions:
    stacks = [
        engine.Stack(
            slug=slug,
            name=name,
            language=lang,
            rps_per_vcpu=fig(rps),
            cpu_multiplier=fig(mult),
            memory_per_process_mb=fig(mb),
            memory_per_inflight_kb=fig(kb),
            workers_per_vcpu=fig(workers),
            weeks_to_first_api=fig(weeks),
        )
        for slug, (name, lang, rps, mult, mb, kb, workers, weeks) in STACKS.items()
    ]
    rates = [rate("us", lang, salary) for lang, salary in SALARIES.items()]
    # "flat": every language costs the same, 60,000 x 1.2 / 12 = 6,000 a month.
    rates += [rate("flat", lang, 60_000.0, 1.2) for lang in SALARIES]
    # "eu" only has Go figures, so Python options there must fail loudly.
    rates.append(rate("eu", "go", 60_000.0))
    return ef.assumption_set(
        stacks=stacks,
        rates=rates,
        instances=[
            ef.instance_type("box", 4.0, 8.0, fig(0.10)),
            ef.instance_type("tiny", 2.0, 1.0, fig(0.05)),
        ],
        markets={m: m.upper() for m in ("us", "flat", "eu")},
        sources=[engine.Source(key="hand", title="Round numbers for tests")],
        name="Hand-built",
    )


A = make_assumptions()

# The scenario every test here starts from: ef.FLAT_YEAR (10,000 peak RPS, flat, 12 months,
# "box", hiring, autoscaling off) with half of the peak on average, a 50 % target and a floor of
# 2 replicas; 1 ms of business logic and 18 ms of I/O a request; a team of 4 in market "us" who
# all know every language.
ROUND = dict(
    avg_to_peak=0.5,
    target_utilisation_pct=50.0,
    min_replicas=2,
    app_cpu_ms=1.0,
    io_wait_ms=18.0,
    team_size=4,
    market="us",
    known={"go": 4, "python": 4, "javascript": 4},
    separation_months=0.0,  # hires cost their fee and vacancy; tests/test_people.py adds this
)


def inputs(**kw) -> engine.Inputs:
    return ef.inputs(ROUND, **kw)


def single(stack: str, **kw):
    result = compute(inputs(**kw), [Option.single(stack)], A)
    return result, result.options[0]


# --- One stack, flat traffic -----------------------------------------------------------------


def test_flat_traffic_every_line_item():
    result, go = single("go")
    svc = go.services[0]
    # CPU s per request = 1/1000 + 1 x 1 ms / 1000 = 0.002 s.
    assert svc.cpu_seconds_per_request == pytest.approx(0.002)
    # Autoscaling off: peak 10,000 RPS x 0.002 s / 0.5 = 40 vCPU -> 40 / 4 = 10 instances.
    # Memory: in flight = 10,000 x (0.002 + 0.018) = 200 x 64 KB = 12.5 MB of 8,000 -> 1.
    np.testing.assert_array_equal(svc.instances, np.full(12, 10.0))
    assert svc.bound_by == ["cpu"] * 12
    # Infrastructure = 10 x 730 h x $0.10 x (1 - 0) = $730 a month.
    np.testing.assert_allclose(go.categories["infrastructure"], np.full(12, 730.0))
    # Engineering = 4 seats x 15,000 = 60,000; everyone knows Go, so no people one-offs;
    # one option only, so it is the fastest and there is no delay.
    np.testing.assert_allclose(go.categories["engineering"], np.full(12, 60_000.0))
    np.testing.assert_array_equal(go.categories["people"], np.zeros(12))
    np.testing.assert_array_equal(go.categories["delay"], np.zeros(12))
    # Total 60,730 a month; cumulative 60,730 x m; 12 months -> 728,760.
    np.testing.assert_allclose(go.total, np.full(12, 60_730.0))
    np.testing.assert_allclose(go.cumulative, 60_730.0 * np.arange(1, 13))
    assert go.horizon_total == pytest.approx(728_760.0)
    assert go.totals["infrastructure"] == pytest.approx(8_760.0)  # 730 x 12
    assert go.totals["engineering"] == pytest.approx(720_000.0)  # 60,000 x 12
    assert go.weeks_to_first_api == 17.0
    np.testing.assert_array_equal(result.months, np.arange(1, 13))
    np.testing.assert_allclose(result.peak_rps, np.full(12, 10_000.0))
    # Requests per month = 10,000 x 0.5 x 2,628,000 s = 13,140,000,000.
    np.testing.assert_allclose(result.requests, np.full(12, 13_140_000_000.0))


def test_hours_per_month_is_the_billing_convention():
    assert engine.HOURS_PER_MONTH == 730  # 8,760 h a year / 12


# --- Replica floor and memory ----------------------------------------------------------------


def test_replica_floor_binds():
    # 100 RPS x 0.002 s / 0.5 = 0.4 vCPU -> 1 instance by CPU, 1 by memory; floor 3 wins.
    _, go = single("go", peak_rps=100.0, min_replicas=3)
    np.testing.assert_array_equal(go.services[0].instances, np.full(12, 3.0))
    assert go.services[0].bound_by == ["replicas"] * 12
    # 3 x 730 x 0.10 = 219.
    np.testing.assert_allclose(go.categories["infrastructure"], np.full(12, 219.0))


def test_zero_replica_floor_still_runs_one_instance_for_any_traffic():
    # ceil(0.4 / 4) = 1: any traffic at all needs a whole instance.
    _, go = single("go", peak_rps=100.0, min_replicas=0)
    np.testing.assert_array_equal(go.services[0].instances, np.full(12, 1.0))


def test_memory_bound_when_io_wait_is_high():
    # FastAPI, 1,000 peak RPS, no business logic: CPU s = 1/250 = 0.004.
    # CPU: 1,000 x 0.004 / 0.5 = 8 vCPU -> 2 instances.
    # Memory: 4 processes x 1,024 MB -> 8,192 - 4,096 = 4,096 MB free per instance.
    # In flight = 1,000 x (0.004 + 10 s) = 10,004 requests x 1 MB = 10,004 MB
    # -> 10,004 / 4,096 = 2.44 -> 3 instances: memory decides.
    _, py = single("fastapi", peak_rps=1_000.0, app_cpu_ms=0.0, io_wait_ms=10_000.0)
    np.testing.assert_array_equal(py.services[0].instances, np.full(12, 3.0))
    assert py.services[0].bound_by == ["memory"] * 12
    np.testing.assert_allclose(py.categories["infrastructure"], np.full(12, 219.0))  # 3 x 73
    # Same traffic without the I/O wait: 4 MB in flight, CPU's 2 instances decide.
    _, fast = single("fastapi", peak_rps=1_000.0, app_cpu_ms=0.0, io_wait_ms=0.0)
    np.testing.assert_array_equal(fast.services[0].instances, np.full(12, 2.0))


def test_workers_per_vcpu_zero_means_one_process():
    # Go on "tiny" (2 vCPU, 1,024 MB): workers 0 -> ONE process, 1,024 - 192 = 832 MB free
    # (two processes would leave 640 MB). 1,000 RPS, no business logic, 35 s I/O:
    # in flight = 1,000 x (0.001 + 35) = 35,001 x 64 KB / 1,024 = 2,187.56 MB
    # -> 2,187.56 / 832 = 2.63 -> 3 instances (with 640 MB free it would be 3.42 -> 4).
    # CPU: 1,000 x 0.001 / 0.5 = 2 vCPU -> 1 instance.
    _, go = single(
        "go",
        peak_rps=1_000.0,
        app_cpu_ms=0.0,
        io_wait_ms=35_000.0,
        instance="tiny",
        min_replicas=1,
    )
    np.testing.assert_array_equal(go.services[0].instances, np.full(12, 3.0))
    assert go.services[0].bound_by[0] == "memory"
    # 3 x 730 x 0.05 = 109.50
    np.testing.assert_allclose(go.categories["infrastructure"], np.full(12, 109.5))


def test_instance_too_small_for_the_processes():
    # FastAPI on "tiny": 2 workers x 1,024 MB = 2,048 MB > 1,024 MB of instance memory.
    with pytest.raises(ModelError, match="too little memory"):
        single("fastapi", instance="tiny")


# --- Growth ----------------------------------------------------------------------------------


def test_growth_compounds_and_instances_step_up():
    result, go = single("go", growth_pct=10.0, horizon_months=4)
    # Peak = 10,000 x 1.1^(m-1): 10,000, 11,000, 12,100, 13,310.
    np.testing.assert_allclose(result.peak_rps, [10_000.0, 11_000.0, 12_100.0, 13_310.0])
    # vCPU = peak x 0.002 / 0.5: 40, 44, 48.4, 53.24 -> /4: 10, 11, 12.1, 13.31
    # -> instances 10, 11, 13, 14.
    np.testing.assert_array_equal(go.services[0].instances, [10.0, 11.0, 13.0, 14.0])
    np.testing.assert_allclose(go.categories["infrastructure"], [730.0, 803.0, 949.0, 1022.0])
    # Engineering does not grow with traffic.
    np.testing.assert_allclose(go.categories["engineering"], np.full(4, 60_000.0))


def test_exactly_full_instances_are_not_rounded_up_by_float_error():
    # 6,000 peak x 0.7 average = 4,200 RPS x 0.002 s = 8.4 vCPU busy / 0.7 target = 12 vCPU
    # -> exactly 3 instances. In floating point 8.4 / 0.7 / 4 = 3.0000000000000004, which a
    # bare ceiling would turn into a 4th instance.
    _, go = single(
        "go", peak_rps=6_000.0, avg_to_peak=0.7, target_utilisation_pct=70.0, autoscaling=True
    )
    np.testing.assert_array_equal(go.services[0].instances, np.full(12, 3.0))


def test_negative_growth_shrinks_to_the_floor():
    # -50 %: 10,000, 5,000, 2,500 -> 10, 5, 2.5 -> 3 instances; floor 2 not reached.
    _, go = single("go", growth_pct=-50.0, horizon_months=3)
    np.testing.assert_array_equal(go.services[0].instances, [10.0, 5.0, 3.0])


# --- A mix of stacks -------------------------------------------------------------------------


def hybrid() -> Option:
    return Option(
        name="hybrid",
        services=(
            Service(stack="go", share=0.6, label="payments"),
            Service(stack="fastapi", share=0.3, app_cpu_ms=2.0, io_wait_ms=50.0, label="fraud"),
            Service(stack="express", share=0.1, label="admin"),
        ),
    )


def test_mix_shares_overrides_and_engineering_by_language():
    result = compute(
        inputs(team_size=10, known={"go": 6, "python": 3, "javascript": 1}), [hybrid()], A
    )
    mix = result.options[0]
    assert mix.option.is_mix
    go, py, js = mix.services
    # Go, 60 %: 6,000 RPS x (1/1000 + 1 ms) = 0.002 s / 0.5 = 24 vCPU -> 6 instances -> 438.
    np.testing.assert_array_equal(go.instances, np.full(12, 6.0))
    np.testing.assert_allclose(go.infrastructure, np.full(12, 438.0))
    # FastAPI, 30 %, its own workload (2 ms CPU, 50 ms I/O):
    # CPU s = 1/250 + 4 x 2 / 1000 = 0.004 + 0.008 = 0.012; 3,000 x 0.012 / 0.5 = 72 vCPU
    # -> 18 instances -> 1,314. Memory: 3,000 x (0.012 + 0.05) = 186 MB of 4,096 -> 1.
    assert py.cpu_seconds_per_request == pytest.approx(0.012)
    np.testing.assert_array_equal(py.instances, np.full(12, 18.0))
    np.testing.assert_allclose(py.infrastructure, np.full(12, 1_314.0))
    # Express, 10 %, the scenario's workload: 1/500 + 2 x 1 / 1000 = 0.004 s;
    # 1,000 x 0.004 / 0.5 = 8 vCPU -> 2 instances -> 146.
    assert js.cpu_seconds_per_request == pytest.approx(0.004)
    np.testing.assert_array_equal(js.instances, np.full(12, 2.0))
    # Infrastructure = 438 + 1,314 + 146 = 1,898.
    np.testing.assert_allclose(mix.categories["infrastructure"], np.full(12, 1_898.0))
    # Engineering by share of requests: 10 engineers -> 6 Go x 15,000 + 3 Python x 12,000
    # + 1 JavaScript x 9,000 = 90,000 + 36,000 + 9,000 = 135,000.
    np.testing.assert_allclose(mix.categories["engineering"], np.full(12, 135_000.0))
    # Everyone needed already knows their language: no one-offs.
    np.testing.assert_array_equal(mix.categories["people"], np.zeros(12))
    # The mix launches when its slowest service (Go, 17 weeks) is ready.
    assert mix.weeks_to_first_api == 17.0


def engineers(option: Option, **given) -> Option:
    """The option with its services' engineers set, by label."""
    services = tuple(replace(s, engineers=given.get(s.label)) for s in option.services)
    return replace(option, services=services)


def test_a_mix_can_place_its_engineers_per_service():
    # 10 engineers; the admin panel (10% of requests) gets 0.5 and fraud scoring 4; payments,
    # the one left, takes the rest: 10 - 4.5 = 5.5. Engineering = 5.5 x 15,000 + 4 x 12,000
    # + 0.5 x 9,000 = 82,500 + 48,000 + 4,500 = 135,000 a month.
    option = engineers(hybrid(), fraud=4, admin=0.5)
    known = {"go": 6, "python": 4, "javascript": 1}
    result = compute(inputs(team_size=10, known=known), [option], A)
    mix = result.options[0]
    seats = {s.values[0][0]: s.values[0][1] for s in mix.steps if s.label.startswith("Engineering")}
    assert seats == {
        "engineers in Go": 5.5,
        "engineers in Python": 4,
        "engineers in JavaScript": 0.5,
    }
    np.testing.assert_allclose(mix.categories["engineering"], np.full(12, 135_000.0))
    # Go needs ceil(5.5) = 6 and 6 know it; Python 4 of 4; JavaScript 1 of 1: nobody is hired.
    assert not mix.categories["people"].any()
    # Payments took the rest by share, and the results say how the seats were placed.
    assert result.notes == [
        "hybrid: engineers follow the request shares where not given (Go 5.5, JavaScript 0.5, "
        "Python 4 of 10); give each service its own under engineers per service."
    ]


def test_engineers_given_to_services_are_checked_against_the_team():
    with pytest.raises(ModelError, match=r"\(12\) are more than the team \(10\)"):
        compute(inputs(team_size=10), [engineers(hybrid(), payments=8, fraud=4)], A)
    with pytest.raises(ModelError, match="add up to 9, not the team's 10"):
        compute(inputs(team_size=10), [engineers(hybrid(), payments=6, fraud=2, admin=1)], A)
    with pytest.raises(ModelError, match="must be 0 or more"):
        compute(inputs(team_size=10), [engineers(hybrid(), admin=-1)], A)
    # All given and adding up to the team is fine, and nobody works on a service given 0.
    mix = compute(
        inputs(team_size=10, known={"go": 7, "python": 3}),
        [engineers(hybrid(), payments=7, fraud=3, admin=0)],
        A,
    ).options[0]
    np.testing.assert_allclose(mix.categories["engineering"], np.full(12, 7 * 15_000 + 3 * 12_000))
    assert not mix.categories["people"].any()  # no JavaScript seat, so no JavaScript hire


def test_mix_hires_the_missing_language():
    # As above but nobody knows JavaScript: 1 seat needed -> 1 hire.
    # Fee 20 % x 72,000 = 14,400 in month 1; vacancy 9,000 x 3 months = 27,000, 9,000/month.
    result = compute(inputs(team_size=10, known={"go": 6, "python": 3}), [hybrid()], A)
    people = result.options[0].categories["people"]
    np.testing.assert_allclose(people[:4], [23_400.0, 9_000.0, 9_000.0, 0.0])
    assert people.sum() == pytest.approx(41_400.0)


def test_two_services_of_one_language_share_its_seats():
    # Two Go services at 50 % each: the Go seats are 4 x (0.5 + 0.5) = 4 -> 60,000.
    option = Option("go-twice", (Service("go", 0.5), Service("go", 0.5)))
    mix = compute(inputs(), [option], A).options[0]
    np.testing.assert_allclose(mix.categories["engineering"], np.full(12, 60_000.0))
    # Each half: 5,000 x 0.002 / 0.5 = 20 vCPU -> 5 instances; 2 x 5 x 73 = 730.
    np.testing.assert_allclose(mix.categories["infrastructure"], np.full(12, 730.0))


# --- Autoscaling and commitment ---------------------------------------------------------------


def test_autoscaling_bills_average_load_and_off_bills_peak():
    # On: 10,000 x 0.5 = 5,000 RPS x 0.002 / 0.5 = 20 vCPU -> 5 instances -> 365.
    _, on = single("go", autoscaling=True)
    # Off: 10,000 RPS -> 40 vCPU -> 10 instances -> 730.
    _, off = single("go", autoscaling=False)
    np.testing.assert_array_equal(on.services[0].instances, np.full(12, 5.0))
    np.testing.assert_allclose(on.categories["infrastructure"], np.full(12, 365.0))
    np.testing.assert_allclose(off.categories["infrastructure"], np.full(12, 730.0))


def test_autoscaling_never_goes_below_the_floor():
    # 100 RPS peak, 50 average -> 0.2 vCPU -> 1 instance; floor 2.
    _, on = single("go", peak_rps=100.0, autoscaling=True)
    np.testing.assert_array_equal(on.services[0].instances, np.full(12, 2.0))


def test_commitment_discount():
    # 30 % off: 10 x 730 x 0.10 x 0.7 = 511 a month.
    _, go = single("go", commitment_discount_pct=30.0)
    np.testing.assert_allclose(go.categories["infrastructure"], np.full(12, 511.0))
    # Instance counts don't change, only their price.
    np.testing.assert_array_equal(go.services[0].instances, np.full(12, 10.0))


# --- People one-offs ------------------------------------------------------------------------


def test_hiring_fee_in_month_one_and_vacancy_spread_over_time_to_fill():
    # 4 Go seats, 1 engineer knows Go -> 3 hires.
    # Fee = 3 x 120,000 x 20 % = 72,000 in month 1.
    # Vacancy = 3 x 15,000 x 3 months = 135,000, spread 45,000 over months 1-3.
    _, go = single("go", known={"go": 1}, policy="hire", horizon_months=5)
    np.testing.assert_allclose(go.categories["people"], [117_000.0, 45_000.0, 45_000.0, 0.0, 0.0])


def test_each_hire_replaces_an_engineer_who_leaves_with_separation_pay():
    # As above, with 2 months of separation pay: the 3 hires replace 3 engineers who do not
    # know Go, each paid 120,000 / 12 x 2 = 20,000 on leaving -> 60,000, in month 1 with the
    # fee: 72,000 + 60,000 + 45,000 = 177,000. The payroll stays at 4 seats (the leavers are
    # paid until their replacements start), so the vacancy is the only lost output.
    _, go = single("go", known={"go": 1}, policy="hire", horizon_months=5, separation_months=2)
    np.testing.assert_allclose(go.categories["people"], [177_000.0, 45_000.0, 45_000.0, 0.0, 0.0])
    np.testing.assert_allclose(go.categories["engineering"], np.full(5, 60_000.0))
    (hiring,) = [s for s in go.steps if s.label.startswith("Hiring")]
    assert hiring.result == pytest.approx(72_000 + 60_000 + 135_000)
    assert ("separation pay", 2, "months of salary", "") in hiring.values


def test_team_growth_pays_each_new_seat_from_the_month_it_opens():
    # 12 hires a year: one Go seat opens at the start of each month; its hire starts after the
    # time to fill (3 months), so in month m the seats opened are m, those still empty
    # min(3, m): 1, 2, 3, 3, 3, and those seated m - min(3, m): 0, 0, 0, 1, 2.
    # Engineering = 4 x 15,000 + seated x 15,000: 60,000 three times, 75,000, 90,000.
    # People = empty x 15,000 (output lost) + the month's fee 120,000 x 20 % = 24,000:
    # 39,000, 54,000, 69,000, 69,000, 69,000. The team knows Go: nothing else to hire.
    _, go = single("go", horizon_months=5, hires_per_year=12.0)
    np.testing.assert_allclose(
        go.categories["engineering"], [60_000.0, 60_000.0, 60_000.0, 75_000.0, 90_000.0]
    )
    np.testing.assert_allclose(
        go.categories["people"], [39_000.0, 54_000.0, 69_000.0, 69_000.0, 69_000.0]
    )
    (growth,) = [s for s in go.steps if s.label.startswith("Team growth")]
    # (0 + 0 + 0 + 15,000 + 30,000) + (39,000 + 54,000 + 69,000 x 3)
    assert growth.result == pytest.approx(45_000 + 300_000)
    assert ("Go engineers hired a month", 1.0, "", "") in growth.values


def test_team_growth_joins_a_mix_as_its_seats_are_split():
    # FastAPI 75 % + Express 25 % of a team of 4: 3 Python seats, 1 JavaScript. 6 hires a year
    # are half a seat a month, 0.375 Python and 0.125 JavaScript. Month 1 of each: every new
    # seat is empty (3 months to fill), so people = 0.375 x (12,000 + 96,000 x 20 %) +
    # 0.125 x (9,000 + 72,000 x 20 %) = 11,700 + 2,925 = 14,625, and the payroll is the team's
    # own 3 x 12,000 + 9,000 = 45,000.
    mix = Option("mix", (Service("fastapi", 0.75), Service("express", 0.25)))
    result = compute(inputs(horizon_months=2, hires_per_year=6.0), [mix], A)
    (option,) = result.options
    assert option.categories["people"][0] == pytest.approx(14_625.0)
    assert option.categories["engineering"][0] == pytest.approx(45_000.0)
    javascript, python = sorted(
        (s for s in option.steps if s.label.startswith("Team growth")), key=lambda s: s.label
    )
    assert python.values[0][1] == pytest.approx(0.375) and javascript.values[0][1] == 0.125


def test_team_growth_must_be_a_finite_number_zero_or_more():
    for bad in (-1.0, math.inf, math.nan):
        with pytest.raises(ModelError):
            compute(inputs(hires_per_year=bad), [Option.single("go")], A)


def test_retraining_pays_no_separation():
    _, go = single("go", known={"go": 1}, policy="retrain", horizon_months=5, separation_months=2)
    np.testing.assert_allclose(go.categories["people"], [45_000.0, 22_500.0, 0.0, 0.0, 0.0])


def test_the_current_stack_is_the_baseline_when_compared():
    # Go 60,000 + 730 a month; Express's payroll 4 x 9,000 = 36,000 + its instances.
    options = [Option.single("go"), Option.single("express")]
    result = compute(inputs(current_stack="express"), options, A)
    go, express = result.options
    assert result.baseline is express
    assert express.saving_vs_baseline == 0
    assert go.saving_vs_baseline == pytest.approx(express.horizon_total - go.horizon_total)
    assert result.notes == []
    # Not compared on its own: the first option is the baseline, and the page says so.
    result = compute(inputs(current_stack="fastapi"), options, A)
    assert result.baseline is result.options[0]
    assert result.notes == [
        "The current stack, FastAPI, is not among the options compared on its own: the others "
        "are measured against go, the first."
    ]
    with pytest.raises(ModelError, match="stack 'cobol'"):
        compute(inputs(current_stack="cobol"), options, A)


def test_a_note_when_the_language_counts_do_not_cover_the_team():
    result = compute(inputs(team_size=40, known={"go": 4, "python": 4}), [Option.single("go")], A)
    assert result.notes == [
        "The language counts cover 8 of the team's 40 engineers: the other 32 are taken to "
        "know none of the options' languages, so every option retrains or replaces them."
    ]
    assert compute(inputs(team_size=4, known={"go": 4}), [Option.single("go")], A).notes == []


def test_separation_pay_must_be_a_finite_number_of_months():
    for bad in (-1.0, math.inf, math.nan):
        with pytest.raises(ModelError):
            compute(inputs(separation_months=bad), [Option.single("go")], A)


def test_your_figures_replace_the_sets_and_are_cited_as_yours():
    # Your Go throughput, 500 requests per vCPU: 1/500 + 1 x 1 ms / 1000 = 0.003 s a request,
    # 10,000 x 0.003 / 0.5 = 60 vCPU -> 15 instances x $73 = $1,095 a month. Your Go salary,
    # 240,000: 240,000 x 1.5 / 12 = 30,000 a seat, x 4 = 120,000 a month.
    yours = {"stack:go:rps_per_vcpu": 500.0, "rate:go:annual_salary": 240_000.0}
    _, go = single("go", your_figures=yours)
    np.testing.assert_allclose(go.categories["infrastructure"], np.full(12, 1_095.0))
    np.testing.assert_allclose(go.categories["engineering"], np.full(12, 120_000.0))
    cited = {name: source for s in go.steps for name, _, _, source in s.values if source}
    assert cited["requests per second per vCPU"] == "yours"
    assert cited["annual salary"] == "yours"
    assert cited["CPU multiplier vs Go"] == "hand"  # the set's, where you gave none
    # The set itself is unchanged.
    assert A.stacks["go"].rps_per_vcpu.base == 1000.0


def test_your_figures_are_checked():
    for yours, message in [
        ({"stack:go:memory_per_process_mb": 1.0}, "is not a figure you can give"),
        ({"rate:go:salary": 1.0}, "is not a figure you can give"),
        ({"stack:go:rps_per_vcpu": 0.0}, "must be a finite number above zero"),
        ({"rate:go:annual_salary": -1.0}, "must be a finite number zero or more"),
        ({"rate:go:annual_salary": math.nan}, "must be a finite number"),
        ({"stack:cobol:rps_per_vcpu": 10.0}, "stack 'cobol'"),
    ]:
        with pytest.raises(ModelError, match=message):
            compute(inputs(your_figures=yours), [Option.single("go")], A)


def test_retraining_spread_over_ramp_up():
    # 3 engineers retrained: loaded weekly cost 180,000 / 52 x 6.5 weeks = 22,500 each
    # -> 67,500, spread over 6.5 / (52/12) = 1.5 months: 45,000 then 22,500.
    _, go = single("go", known={"go": 1}, policy="retrain", horizon_months=5)
    np.testing.assert_allclose(go.categories["people"], [45_000.0, 22_500.0, 0.0, 0.0, 0.0])


def test_no_one_offs_when_enough_engineers_know_the_language():
    _, go = single("go", known={"go": 9}, policy="hire")
    np.testing.assert_array_equal(go.categories["people"], np.zeros(12))


def test_a_fraction_of_a_seat_needs_a_whole_engineer():
    # 10 % of 4 engineers = 0.4 seats -> 1 engineer needed; nobody knows JavaScript -> 1 hire:
    # 14,400 fee + 9,000 x 3 vacancy.
    option = Option("mostly-go", (Service("go", 0.9), Service("express", 0.1)))
    mix = compute(inputs(known={"go": 4}), [option], A).options[0]
    np.testing.assert_allclose(mix.categories["people"][:4], [23_400.0, 9_000.0, 9_000.0, 0.0])
    # Engineering: 3.6 x 15,000 + 0.4 x 9,000 = 54,000 + 3,600 = 57,600.
    np.testing.assert_allclose(mix.categories["engineering"], np.full(12, 57_600.0))


def test_spread():
    # 100 over 2.5 months: 40, 40, 20 (the half month gets half).
    np.testing.assert_allclose(spread(100.0, 2.5, 4), [40.0, 40.0, 20.0, 0.0])
    # Zero months: all in month 1.
    np.testing.assert_allclose(spread(100.0, 0, 3), [100.0, 0.0, 0.0])
    # Longer than the horizon: 20 a month, the last 40 fall outside and are not charged.
    np.testing.assert_allclose(spread(100.0, 5, 3), [20.0, 20.0, 20.0])
    np.testing.assert_array_equal(spread(0.0, 3, 3), np.zeros(3))


# --- Cost of delay ---------------------------------------------------------------------------


def test_cost_of_delay_relative_to_the_fastest_option():
    options = [Option.single("go"), Option.single("fastapi"), Option.single("express"), hybrid()]
    result = compute(inputs(cost_of_delay=10_000.0, horizon_months=5), options, A)
    by = {o.name: o for o in result.options}
    # Fastest: FastAPI, 4 weeks -> no delay.
    np.testing.assert_array_equal(by["fastapi"].categories["delay"], np.zeros(5))
    # Go: 17 - 4 = 13 weeks = 3 months x 10,000 = 30,000 spread over 3 months.
    np.testing.assert_allclose(by["go"].categories["delay"], [10_000.0] * 3 + [0.0] * 2)
    # Express: 10.5 - 4 = 6.5 weeks = 1.5 months -> 15,000: 10,000 then 5,000.
    np.testing.assert_allclose(by["express"].categories["delay"], [10_000.0, 5_000.0, 0, 0, 0])
    # The mix waits for Go (17 weeks): same as Go.
    np.testing.assert_allclose(by["hybrid"].categories["delay"], [10_000.0] * 3 + [0.0] * 2)


def test_cost_of_delay_fastest_is_among_the_compared_options():
    # Without FastAPI, Express (10.5 weeks) is fastest; Go is 6.5 weeks = 1.5 months late.
    options = [Option.single("go"), Option.single("express")]
    result = compute(inputs(cost_of_delay=10_000.0, horizon_months=3), options, A)
    go, js = result.options
    np.testing.assert_allclose(go.categories["delay"], [10_000.0, 5_000.0, 0.0])
    np.testing.assert_array_equal(js.categories["delay"], np.zeros(3))


def test_cost_of_delay_off_by_default():
    options = [Option.single("go"), Option.single("fastapi")]
    result = compute(inputs(), options, A)
    for opt in result.options:
        np.testing.assert_array_equal(opt.categories["delay"], np.zeros(12))


# --- Comparing options ------------------------------------------------------------------------


def crossing_scenario():
    """FastAPI baseline the team knows vs Go it must hire for, at equal salaries.

    Market "flat": 6,000 a month per seat; fee 20 % x 60,000 = 12,000; vacancy 6,000 x 3.
    Team of 1 who knows Python. 100,000 peak RPS, no business logic or I/O, autoscaling off.
    FastAPI: 100,000 x 0.004 / 0.5 = 800 vCPU -> 200 instances x 73 = 14,600 a month.
    Go: 100,000 x 0.001 / 0.5 = 200 vCPU -> 50 instances x 73 = 3,650 a month.
    Monthly: FastAPI 6,000 + 14,600 = 20,600.
             Go 6,000 + 3,650 + people [12,000 + 6,000, 6,000, 6,000, 0 ...]
               = 27,650, 15,650, 15,650, then 9,650.
    Cumulative: FastAPI 20,600, 41,200, 61,800 ...; Go 27,650, 43,300, 58,950 ...
    Go is behind in months 1 and 2 and ahead from month 3 on.
    """
    return inputs(
        peak_rps=100_000.0,
        app_cpu_ms=0.0,
        io_wait_ms=0.0,
        team_size=1,
        market="flat",
        known={"python": 1},
        horizon_months=12,
    )


def test_break_even_crossing_and_saving_vs_baseline():
    result = compute(crossing_scenario(), [Option.single("fastapi"), Option.single("go")], A)
    py, go = result.options
    np.testing.assert_allclose(py.cumulative[:3], [20_600.0, 41_200.0, 61_800.0])
    np.testing.assert_allclose(go.cumulative[:3], [27_650.0, 43_300.0, 58_950.0])
    assert result.baseline is py
    assert py.break_even_month is None  # the baseline is not compared with itself
    assert go.break_even_month == 3
    # Horizon: FastAPI 20,600 x 12 = 247,200; Go 9,650 x 12 + 30,000 one-offs = 145,800.
    assert py.horizon_total == pytest.approx(247_200.0)
    assert go.horizon_total == pytest.approx(145_800.0)
    assert result.cheapest is go
    assert go.saving_vs_baseline == pytest.approx(101_400.0)
    assert go.saving_pct == pytest.approx(101_400.0 / 247_200.0 * 100)  # 41.02 %
    assert py.saving_vs_baseline == 0.0


def test_break_even_never_within_the_horizon():
    # Reversed: Go is the baseline. FastAPI is ahead in months 1-2 (20,600 <= 27,650;
    # 41,200 <= 43,300) but behind from month 3 to the end, so it never breaks even.
    result = compute(crossing_scenario(), [Option.single("go"), Option.single("fastapi")], A)
    go, py = result.options
    assert py.break_even_month is None
    assert result.cheapest is go
    assert py.saving_vs_baseline == pytest.approx(-101_400.0)


def test_break_even_month_function():
    base = np.array([10.0, 20.0, 30.0, 40.0])
    # Ahead from the start.
    assert engine.break_even_month(np.array([5.0, 10.0, 15.0, 20.0]), base) == 1
    # Equal counts as "at or below".
    assert engine.break_even_month(base.copy(), base) == 1
    # Behind in months 1-2, ahead from month 3.
    assert engine.break_even_month(np.array([15.0, 25.0, 29.0, 35.0]), base) == 3
    # Ahead in month 1, behind in months 2-3, ahead from month 4: the month it *stays*
    # at or below from is 4, not 1.
    assert engine.break_even_month(np.array([5.0, 25.0, 31.0, 39.0]), base) == 4
    # Behind at the end: never.
    assert engine.break_even_month(np.array([5.0, 10.0, 15.0, 41.0]), base) is None


def test_infrastructure_per_100k_rps_and_per_million_requests():
    result, go = single("go", growth_pct=10.0, horizon_months=4)
    # Infra 730, 803, 949, 1,022 at peaks 10,000, 11,000, 12,100, 13,310:
    # per 100K RPS each month = infra / (peak / 100,000) = 7,300, 7,300, 7,842.98, 7,678.44;
    # the figure is their mean.
    per_month = [730 / 0.1, 803 / 0.11, 949 / 0.121, 1022 / 0.1331]
    assert go.infra_per_100k_rps == pytest.approx(sum(per_month) / 4)
    # Requests = 0.5 x 2,628,000 x (10,000 + 11,000 + 12,100 + 13,310) = 60,982,740,000.
    # Infra = 3,504 -> per million = 3,504 / 60,982.74 = 0.05746.
    assert go.infra_per_million_requests == pytest.approx(3_504 / 60_982.74)
    # Every cost per million: (4 x 60,000 + 3,504) / 60,982.74.
    assert go.cost_per_million_requests == pytest.approx(243_504 / 60_982.74)
    assert result.requests.sum() == pytest.approx(60_982_740_000.0)


def test_flat_infra_per_100k_rps():
    # 730 a month at 10,000 RPS -> 730 / 0.1 = 7,300 per 100K RPS.
    # Requests 13,140 million a month -> 730 / 13,140 = 1/18 per million.
    _, go = single("go")
    assert go.infra_per_100k_rps == pytest.approx(7_300.0)
    assert go.infra_per_million_requests == pytest.approx(1 / 18)


def test_monthly_frame_matches_the_arrays():
    options = [Option.single("go"), Option.single("fastapi")]
    result = compute(inputs(horizon_months=3, cost_of_delay=5_000.0, known={}), options, A)
    frame = result.monthly_frame()
    assert list(frame.columns) == [
        "option",
        "month",
        "peak_rps",
        *result.categories,  # no "platform": the hand set prices none
        "total",
        "cumulative",
    ]
    assert len(frame) == 2 * 3  # one row per option and month
    for opt in result.options:
        rows = frame[frame["option"] == opt.name]
        np.testing.assert_array_equal(rows["month"].to_numpy(), [1, 2, 3])
        np.testing.assert_array_equal(rows["peak_rps"].to_numpy(), result.peak_rps)
        for column in result.categories:
            np.testing.assert_array_equal(rows[column].to_numpy(), opt.categories[column])
        np.testing.assert_array_equal(rows["total"].to_numpy(), opt.total)
        np.testing.assert_array_equal(rows["cumulative"].to_numpy(), opt.cumulative)
        # The row sums hold in the table too.
        np.testing.assert_allclose(rows[list(result.categories)].sum(axis=1), rows["total"])
    # Go (17 weeks) is 13 weeks = 3 months later than FastAPI (4) at 5,000/month.
    go_rows = frame[frame["option"] == "go"]
    np.testing.assert_allclose(go_rows["delay"].to_numpy(), [5_000.0] * 3)


# --- Errors ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "bad",
    [
        dict(peak_rps=0.0),
        dict(peak_rps=-1.0),
        dict(avg_to_peak=0.0),
        dict(avg_to_peak=1.5),
        dict(growth_pct=-100.0),
        dict(horizon_months=0),
        dict(horizon_months=2.5),  # would silently become 3 months
        dict(app_cpu_ms=-1.0),
        dict(io_wait_ms=-0.5),
        dict(team_size=0),
        dict(team_size=2.5),
        dict(policy="outsource"),
        dict(commitment_discount_pct=-5.0),
        dict(commitment_discount_pct=100.0),
        dict(target_utilisation_pct=0.0),
        dict(target_utilisation_pct=120.0),
        dict(min_replicas=-1),
        dict(cost_of_delay=-1.0),
        dict(known={"go": -1}),
        dict(peak_rps=math.nan),
        dict(peak_rps=math.inf),
        dict(growth_pct=math.inf),
        dict(io_wait_ms=math.nan),
        dict(app_cpu_ms=math.inf),
        dict(cost_of_delay=math.inf),
        dict(team_size=math.inf),
        dict(min_replicas=math.inf),
        dict(horizon_months=math.inf),
        dict(growth_pct=1e300),  # traffic overflows within the horizon
    ],
)
def test_bad_inputs_raise_model_error(bad):
    with pytest.raises(ModelError):
        compute(inputs(**bad), [Option.single("go")], A)


def test_shares_must_add_to_100_percent():
    option = Option("short", (Service("go", 0.5), Service("fastapi", 0.4)))
    with pytest.raises(ModelError, match="90%"):
        compute(inputs(), [option], A)


@pytest.mark.parametrize("share", [0.0, -0.5, 1.5, math.nan])
def test_each_share_in_range(share):
    option = Option("odd", (Service("go", share), Service("fastapi", 1 - share)))
    with pytest.raises(ModelError):
        compute(inputs(), [option], A)


@pytest.mark.parametrize(
    "override", [dict(app_cpu_ms=-1.0), dict(io_wait_ms=math.nan), dict(app_cpu_ms=math.inf)]
)
def test_service_overrides_must_be_finite_and_non_negative(override):
    option = Option("bad", (Service("go", 1.0, **override),))
    with pytest.raises(ModelError):
        compute(inputs(), [option], A)


def test_option_list_errors():
    with pytest.raises(ModelError, match="at least one option"):
        compute(inputs(), [], A)
    with pytest.raises(ModelError, match="own name"):
        compute(inputs(), [Option.single("go"), Option.single("fastapi", name="go")], A)
    with pytest.raises(ModelError, match="no services"):
        compute(inputs(), [Option("empty", ())], A)


def test_missing_stack_is_named():
    with pytest.raises(engine.MissingAssumption) as err:
        compute(inputs(), [Option.single("rust")], A)
    assert err.value.name == "stack 'rust'"
    assert isinstance(err.value, ModelError)


def test_missing_instance_is_named():
    with pytest.raises(engine.MissingAssumption) as err:
        compute(inputs(instance="huge"), [Option.single("go")], A)
    assert err.value.name == "instance type 'huge'"


def test_missing_market_language_rate_is_named():
    # "eu" has Go figures only; the FastAPI option needs Python ones.
    compute(inputs(market="eu"), [Option.single("go")], A)  # Go alone is fine
    with pytest.raises(engine.MissingAssumption) as err:
        compute(inputs(market="eu"), [Option.single("go"), Option.single("fastapi")], A)
    assert err.value.name == "salary and hiring figures for python engineers in market 'eu'"


@pytest.mark.parametrize(
    "broken",
    [
        lambda a: replace(a, instances={"box": replace(a.instances["box"], vcpu=0.0)}),
        lambda a: replace(a, instances={"box": replace(a.instances["box"], memory_gb=math.nan)}),
        lambda a: replace(
            a, instances={"box": replace(a.instances["box"], price_per_hour=fig(-0.1))}
        ),
        lambda a: replace(a, stacks={"go": replace(a.stacks["go"], rps_per_vcpu=fig(0.0))}),
        lambda a: replace(
            a, stacks={"go": replace(a.stacks["go"], memory_per_inflight_kb=fig(math.nan))}
        ),
        lambda a: replace(a, stacks={"go": replace(a.stacks["go"], cpu_multiplier=fig(math.inf))}),
        lambda a: replace(
            a, rates={("us", "go"): replace(a.rates[("us", "go")], annual_salary=fig(-1.0))}
        ),
    ],
)
def test_figures_out_of_range_raise_instead_of_flowing_into_costs(broken):
    with pytest.raises(ModelError):
        compute(inputs(), [Option.single("go")], broken(A))


def test_a_bad_figure_is_refused_every_time_even_after_good_sets_passed():
    # compute() remembers the stacks, instance types and rates whose figures passed its checks;
    # a set with a bad figure must still be refused, on every call, and the good set accepted.
    compute(inputs(), [Option.single("go")], A)
    broken = replace(A, stacks={**A.stacks, "go": replace(A.stacks["go"], rps_per_vcpu=fig(0.0))})
    for _ in range(2):
        with pytest.raises(ModelError, match="Go net/http's requests per vCPU must be"):
            compute(inputs(), [Option.single("go")], broken)
    compute(inputs(), [Option.single("go")], A)
