"""How each figure was computed: the Step lines of an option's workings.

Every number shown is read from the kernel's intermediates (costcalc/engine/kernel.py) or from
the assumption set's figures; no formula is worked out again here.
"""

from __future__ import annotations

from costcalc.text import language_name, plural

from .assumptions import Assumptions, InstanceType, Stack


def service_steps(service, stack: Stack, inst: InstanceType, inputs, rows, i: int, step) -> list:
    """How one service's costs were computed, in month 1 (row ``i`` of the kernel's services)."""
    who = f"{stack.name}" + (
        f" ({service.label or service.stack}, {service.share:.0%})" if service.share < 1 else ""
    )
    load = rows.load[i]

    def month_1(what: str, formula: str, row, unit: str, *values) -> object:
        return step(f"{who}: {what} in month 1", formula, float(row[i][0]), unit, values)

    return [
        step(
            label=f"{who}: CPU seconds per request",
            formula="1 / requests per vCPU + CPU multiplier x business-logic ms / 1000",
            result=rows.cpu_seconds[i],
            unit="vCPU-s",
            values=(
                _figure("requests per second per vCPU", stack.rps_per_vcpu, "req/s"),
                _figure("CPU multiplier vs Go", stack.cpu_multiplier, "x"),
                ("business-logic CPU", rows.app_cpu_ms[i], "ms", ""),
            ),
        ),
        month_1(
            "vCPU needed",
            f"share x {'average' if inputs.autoscaling else 'peak'} RPS"
            " x CPU seconds per request / target utilisation",
            rows.vcpu_needed,
            "vCPU",
            ("share of requests", service.share, "", ""),
            ("RPS billed for", float(load[0] / service.share), "req/s", ""),
            ("target utilisation", rows.utilisation, "", ""),
        ),
        month_1(
            "memory instances",
            "in-flight requests (RPS x (CPU s + I/O wait s)) x KB per request"
            " / 1024 / (instance MB - processes x MB per process)",
            rows.memory_instances,
            "instances",
            ("in-flight requests", float(rows.in_flight[i][0]), "", ""),
            _figure("memory per in-flight request", stack.memory_per_inflight_kb, "KB"),
            ("processes per instance", rows.processes[i], "", stack.workers_per_vcpu.source),
            _figure("memory per process", stack.memory_per_process_mb, "MB"),
            ("instance memory", inst.memory_gb, "GB", inst.price_per_hour.source),
        ),
        month_1(
            "infrastructure",
            "max(min replicas, ceil(vCPU / vCPU per instance), memory instances) "
            "x 730 h x price per hour x (1 - commitment discount)",
            rows.infrastructure,
            "USD/month",
            ("instances", float(rows.instances[i][0]), "", ""),
            ("vCPU per instance", inst.vcpu, "", inst.price_per_hour.source),
            ("minimum replicas", inputs.min_replicas, "", ""),
            _figure("price per hour", inst.price_per_hour, "USD/h"),
            ("commitment discount", inputs.commitment_discount_pct / 100, "", ""),
        ),
    ]


def language_steps(lang, rate, inputs, step) -> list:
    """The engineering seats of one language, and its hiring or retraining when any."""
    language = language_name(lang.language)  # "JavaScript", as the notes and figures name it
    steps = [
        step(
            label=f"Engineering, {language} seats",
            formula="engineers x annual salary x loaded multiplier / 12",
            result=lang.engineering,
            unit="USD/month",
            values=(
                (f"engineers in {language}", lang.seats, "engineers", ""),
                (f"share of requests served in {language}", lang.share, "", ""),
                _figure("annual salary", rate.annual_salary, "USD/year"),
                _figure("loaded multiplier", rate.loaded_multiplier, "x"),
            ),
        )
    ]
    if lang.hires_per_month:
        steps.append(
            step(
                label=f"Team growth, {language} seats",
                formula="over months m = 1..H: hires a month x (m x loaded monthly cost"
                " + salary x recruiting fee %); each new seat's first months to fill are"
                " output lost, valued at what the seat costs",
                result=float((lang.growth_pay + lang.growth_hiring).sum()),
                unit="USD",
                values=(
                    (f"{language} engineers hired a month", lang.hires_per_month, "", ""),
                    ("engineers hired a year, whole team", inputs.hires_per_year, "", ""),
                    _figure("annual salary", rate.annual_salary, "USD"),
                    _figure("loaded multiplier", rate.loaded_multiplier, "x"),
                    _figure("recruiting fee", rate.recruiting_fee_pct, "%"),
                    _figure("time to fill", rate.time_to_fill_days, "days"),
                ),
            )
        )
    if lang.shortfall == 0:
        return steps
    counts = (
        ("engineers needed", lang.needed, "", ""),
        ("engineers who know it", lang.known, "", ""),
        _figure("annual salary", rate.annual_salary, "USD/year"),
    )
    if inputs.policy == "hire":
        label = f"Hiring {plural(lang.shortfall, f'{language} engineer')}"
        formula = (
            "hires x (salary x recruiting fee % + monthly salary x separation months"
            " + loaded monthly cost x months to fill)"
        )
        result = lang.fee + lang.separation + lang.vacancy
        figures = (
            _figure("recruiting fee", rate.recruiting_fee_pct, "%"),
            ("separation pay", inputs.separation_months, "months of salary", ""),
            _figure("time to fill", rate.time_to_fill_days, "days"),
        )
    else:
        label = f"Retraining {plural(lang.shortfall, 'engineer')} into {language}"
        formula = "engineers x loaded weekly cost x weeks of output lost ramping up"
        result = lang.lost
        figures = (
            _figure("loaded multiplier", rate.loaded_multiplier, "x"),
            _figure("ramp-up", rate.ramp_up_weeks, "weeks"),
        )
    steps.append(
        step(label=label, formula=formula, result=result, unit="USD", values=counts + figures)
    )
    return steps


def _figure(words: str, fig, unit: str) -> tuple:
    """A figure of the set as a Step value: (words, value, unit, source key)."""
    return (words, fig.base, unit, fig.source)


def delay_step(option, costs, fastest_weeks, inputs, a: Assumptions, step):
    slowest = max(option.services, key=lambda s: a.stack(s.stack).weeks_to_first_api.base)
    return step(
        label="Cost of later launch",
        formula="(weeks to first production API - fastest option's weeks) / (52/12) "
        "x cost of delay per month",
        result=float(costs.categories["delay"].sum()),
        unit="USD",
        values=(
            (
                "weeks to first production API",
                costs.weeks,
                "weeks",
                a.stack(slowest.stack).weeks_to_first_api.source,
            ),
            ("fastest option's weeks", fastest_weeks, "weeks", ""),
            ("cost of delay", inputs.cost_of_delay, "USD/month", ""),
        ),
    )


def option_steps(option, costs, rows, fastest_weeks, inputs, a: Assumptions, step) -> list:
    """The workings of one option: its services', its languages' and its delay's."""
    inst = a.instance(inputs.instance)
    steps = []
    for service, i in zip(option.services, costs.rows, strict=True):
        steps += service_steps(service, a.stack(service.stack), inst, inputs, rows, i, step)
    for lang in costs.languages:
        steps += language_steps(lang, a.rate(inputs.market, lang.language), inputs, step)
    steps.append(delay_step(option, costs, fastest_weeks, inputs, a, step))
    return steps
