"""How each figure was computed: the Step lines of an option's workings.

Every number shown is read from the kernel's intermediates (costcalc/engine/kernel.py) or from
the assumption set's figures; no formula is worked out again here.
"""

from __future__ import annotations

from costcalc.text import language_name, plural

from . import kernel
from .assumptions import Assumptions, InstanceType, Stack


def service_steps(service, stack: Stack, inst: InstanceType, inputs, a, rows, i, step) -> list:
    """How one service's costs were computed, in month 1 (row ``i`` of the kernel's services)."""
    who = f"{stack.name}" + (
        f" ({service.label or service.stack}, {service.share:.0%})" if service.share < 1 else ""
    )
    load = rows.load[i]

    def month_1(what: str, formula: str, row, unit: str, *values) -> object:
        return step(f"{who}: {what} in month 1", formula, float(row[i][0]), unit, values)

    if inputs.hosting == "functions":
        return function_steps(service, stack, inputs, a, rows, i, who, month_1, step)
    return [
        cpu_step(who, stack, rows, i, step),
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
            ("instance memory", shape(inst, inputs)[1], "GB", shape(inst, inputs)[2]),
        ),
        month_1(
            "infrastructure",
            "max(min replicas, ceil(vCPU / vCPU per instance), memory instances) "
            f"x 730 h x price per hour{pricing_formula(inputs)} x (1 - further discount)",
            rows.infrastructure,
            "USD/month",
            ("instances", float(rows.instances[i][0]), "", ""),
            ("vCPU per instance", shape(inst, inputs)[0], "", shape(inst, inputs)[2]),
            ("minimum replicas", inputs.min_replicas, "", ""),
            *unit_price(inst, inputs, a),
            *pricing_values(inputs, a),
            ("further discount", inputs.commitment_discount_pct / 100, "", ""),
        ),
    ]


def cpu_step(who: str, stack: Stack, rows, i: int, step):
    """Section 2 for one service: its CPU seconds a request, on any hosting model."""
    return step(
        label=f"{who}: CPU seconds per request",
        formula="1 / requests per vCPU + CPU multiplier x business-logic ms / 1000",
        result=rows.cpu_seconds[i],
        unit="vCPU-s",
        values=(
            _figure("requests per second per vCPU", stack.rps_per_vcpu, "req/s"),
            _figure("CPU multiplier vs Go", stack.cpu_multiplier, "x"),
            ("business-logic CPU", rows.app_cpu_ms[i], "ms", ""),
        ),
    )


def function_steps(service, stack, inputs, a: Assumptions, rows, i, who, month_1, step) -> list:
    """A service on functions (section 7e): its requests, each one's billed seconds, the bill."""

    def price(slug: str, unit: str) -> tuple:
        figure = a.platform_price(slug)
        return (figure.name, figure.value.base, unit, figure.value.source)

    cold = a.platform_price(f"cold-start-{service.stack}")
    return [
        cpu_step(who, stack, rows, i, step),
        month_1(
            "functions",
            "share x average RPS x 2,628,000 s x (price per request + memory GB x (CPU s / "
            "min(1, memory MB / MB per vCPU) + I/O wait s + cold-start share x cold start s) x "
            "price per GB-second) x (1 - further discount)",
            rows.infrastructure,
            "USD/month",
            ("requests a second, on average", float(rows.load[i][0]), "req/s", ""),
            ("function memory", inputs.function_memory_mb, "MB", ""),
            price("aws-function-mb-per-vcpu", "MB"),
            ("I/O wait", rows.io_wait_ms[i], "ms", ""),
            ("cold-start share", inputs.cold_start_pct / 100, "", ""),
            (cold.name, cold.value.base, "ms", cold.value.source),
            price("aws-function-gb-second", "USD"),
            price("aws-function-million-requests", "USD"),
            ("further discount", inputs.commitment_discount_pct / 100, "", ""),
        ),
    ]


def pricing_formula(inputs) -> str:
    """The pricing model's part of the compute line's formula (section 7d)."""
    if inputs.pricing == "on_demand":
        return ""
    if inputs.pricing == "spot":
        return " x (1 - spot discount) x (1 + spot overhead)"
    return " x (1 - commitment's discount)"


def shape(inst, inputs) -> tuple:
    """(vCPU, memory GB, source) of what the fleet counts: an instance, or a container."""
    if inputs.hosting == "containers":
        return inputs.container_vcpu, inputs.container_gb, ""
    return inst.vcpu, inst.memory_gb, inst.price_per_hour.source


def unit_price(inst, inputs, a: Assumptions) -> list[tuple]:
    """The price an hour of what the fleet counts: the instance type's, or a container's from
    its vCPU and GB at the set's rates (section 7e)."""
    if inputs.hosting != "containers":
        return [_figure("price per hour", inst.price_per_hour, "USD/h")]
    vcpu, gb = (a.platform_price(s) for s in ("aws-container-vcpu-hour", "aws-container-gb-hour"))
    return [
        ("container vCPU", inputs.container_vcpu, "", ""),
        (vcpu.name, vcpu.value.base, "USD/h", vcpu.value.source),
        ("container memory", inputs.container_gb, "GB", ""),
        (gb.name, gb.value.base, "USD/h", gb.value.source),
    ]


def pricing_values(inputs, a: Assumptions) -> list[tuple]:
    """The pricing model's figures as Step values, shares as the discount is (0.3 for 30%)."""
    values = []
    for slug in kernel.pricing_slugs(inputs, a):
        figure = a.platform_price(slug)
        values.append((figure.name, figure.value.base / 100, "", figure.value.source))
    return values


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
                    _figure("annual salary", rate.annual_salary, "USD/year"),
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
        steps += service_steps(service, a.stack(service.stack), inst, inputs, a, rows, i, step)
    for lang in costs.languages:
        steps += language_steps(lang, a.rate(inputs.market, lang.language), inputs, step)
    steps.append(delay_step(option, costs, fastest_weeks, inputs, a, step))
    return steps
