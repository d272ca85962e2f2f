"""The formulas of docs/model.md, written once, on numpy arrays.

Every figure may be a number or a column of draws (shape ``(N, 1)``), and the peak traffic a
row of months (``(H,)``) or a grid of starting points (``(G, H)``): the batch shape is what
they broadcast to. Services are rows: each formula is one numpy operation for every service
of every option at once, because over a few dozen months numpy's cost per call, not the
arithmetic, is what takes the time.

:func:`costcalc.engine.compute` runs one scenario through :func:`cost` and reads its
intermediates into results and workings; the insight runs many scenarios in one call; the
migration spreads its rewrite with :func:`spread`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import reduce

import numpy as np

from .assumptions import Assumptions, ModelError
from .figures import COLD_START, RATE_FIGURES, STACK_FIGURES

HOURS_PER_MONTH = 730  # the cloud providers' billing convention (8,760 h / 12)
SECONDS_PER_MONTH = HOURS_PER_MONTH * 3600
WEEKS_PER_MONTH = 52 / 12
DAYS_PER_MONTH = 365 / 12
CATEGORIES = ("infrastructure", "platform", "engineering", "people", "delay")
# Section 7b, in the order they add up to the platform category.
PLATFORM_LINES = ("database", "cache", "load_balancer", "egress", "observability")
PER_HOST = {  # observability priced per host: the prices per host and month it adds up
    "per_host": ("obs-host-month",),
    "per_host_apm": ("obs-host-month", "obs-apm-host-month"),
}
GB_PER_TB = 1024  # our sources do not say 1,000 or 1,024: the larger tiers, the dearer reading
EGRESS_TIERS_TB = (10, 50, 150)  # where each egress price ends (the last runs on)
KB_PER_GB = 1e6  # sizes on the wire: a KB is 1,000 bytes, a GB 10^9
PRICE = ("price",)  # the instance type's price per hour in the figure table

RATE_FIELDS = [n for n, f in RATE_FIGURES.items() if f.varies]


# --- Section 1: traffic -----------------------------------------------------------------------


def peak_traffic(inputs, start_rps) -> np.ndarray:
    """Peak RPS per month, for one starting peak or a column of them (overflow unchecked)."""
    months = np.arange(1, int(inputs.horizon_months) + 1)
    growth = 1 + inputs.growth_pct / 100
    with np.errstate(over="ignore"):
        return start_rps * growth ** (months - 1.0)


# --- Spreading a cost over months (sections 9-10, and the migration) --------------------------


def months_before(t, horizon: int) -> np.ndarray:
    """The fraction of each month m = 1..H that falls before time t (in months from the start).

    clamp(t - (m - 1), 0, 1): 1 for months wholly before t, 0 for months wholly after it. It
    equals docs/model.md's clamp(min(m, t) - (m - 1), 0, 1). The month starts are floats:
    converting integers costs numpy more than the arithmetic on a few dozen.
    """
    return (t - np.arange(horizon, dtype=float)).clip(0.0, 1.0)


def spread(amount, months, horizon: int) -> np.ndarray:
    """Charge ``amount`` evenly over the first ``months`` months (fractions allowed).

    Numbers or arrays. A duration of zero or less puts the whole amount in month 1 (it is
    charged as one month: amount x 1 / 1). What falls after the horizon is not charged.
    """
    if not (amount.any() if isinstance(amount, np.ndarray) else amount):
        return np.zeros(horizon)  # nothing to charge (the usual case for delay and one-offs)
    if isinstance(months, np.ndarray):
        months = np.where(months > 0, months, 1.0)
    elif not months > 0:
        months = 1.0
    return amount * months_before(months, horizon) / months


def ceil_count(x: np.ndarray) -> np.ndarray:
    # Rounding before the ceiling keeps 4.000000000001 vCPU from buying a fifth instance;
    # both operations are monotone, so more load never buys fewer instances. (The method, not
    # np.round(): the same rounding without a Python layer around it.)
    return np.ceil(x.round(9))


# --- The figure table -------------------------------------------------------------------------


def _stacks(options) -> list[str]:
    return sorted({s.stack for o in options for s in o.services})


def _languages(options, a: Assumptions) -> list[str]:
    return sorted({a.stack(s.stack).language for o in options for s in o.services})


def base_params(inputs, options: Sequence, a: Assumptions) -> dict:
    """Every figure the scenario's formulas read, at its base value.

    Keys: ``("stack", slug, field)``, ``("rate", language, field)`` (in the scenario's market)
    and ``("price",)``; the insight replaces some values with columns of draws.
    """
    params: dict[tuple[str, ...], float] = {}
    for slug in _stacks(options):
        stack = a.stack(slug)
        for name in STACK_FIGURES:
            params[("stack", slug, name)] = getattr(stack, name).base
    for language in _languages(options, a):
        rate = a.rate(inputs.market, language)
        for name in RATE_FIELDS:
            params[("rate", language, name)] = getattr(rate, name).base
    params[PRICE] = a.instance(inputs.instance).price_per_hour.base
    if prices_platform(inputs, a):
        for slug in platform_slugs(inputs.platform):
            params[("platform", slug)] = a.platform_price(slug).value.base
    for slug in pricing_slugs(inputs, a) + hosting_slugs(inputs, options):
        params[("platform", slug)] = a.platform_price(slug).value.base
    return params


# --- Section 7e: hosting models ---------------------------------------------------------------


def hosting_slugs(inputs, options: Sequence) -> list[str]:
    """The set's figures the scenario's hosting model reads: none on instances; AWS Fargate's
    rates for containers; AWS Lambda's, and each stack's cold start, for functions."""
    if inputs.hosting == "containers":
        return ["aws-container-vcpu-hour", "aws-container-gb-hour"]
    if inputs.hosting == "functions":
        rates = ["aws-function-gb-second", "aws-function-million-requests"]
        return [*rates, "aws-function-mb-per-vcpu", *(COLD_START + s for s in _stacks(options))]
    return []


def fleet_unit(inputs, a: Assumptions, p: Mapping) -> tuple[str, float, float, object]:
    """What a fleet is counted in: (its name, vCPU, memory in GB, on-demand price an hour).
    An instance of the type chosen, or a container of the scenario's size at Fargate's rates."""
    if inputs.hosting != "containers":
        inst = a.instance(inputs.instance)
        return inst.name, inst.vcpu, inst.memory_gb, p[PRICE]
    vcpu, gb = inputs.container_vcpu, inputs.container_gb
    hourly = vcpu * p[("platform", "aws-container-vcpu-hour")]
    hourly = hourly + gb * p[("platform", "aws-container-gb-hour")]
    return f"A {vcpu:g} vCPU, {gb:g} GB container", vcpu, gb, hourly


# --- Section 7d: pricing models ---------------------------------------------------------------


def pricing_slugs(inputs, a: Assumptions) -> list[str]:
    """The set's figures the scenario's pricing model reads: none on demand, else the
    instance's provider's discount (and spot's overhead), e.g. "aws-commit-1yr"."""
    if inputs.pricing == "on_demand":
        return []
    provider = a.instance(inputs.instance).provider.lower()
    if inputs.pricing == "spot":
        return [f"{provider}-spot", "spot-overhead"]
    return [f"{provider}-{inputs.pricing.replace('_', '-')}"]


def price_factor(inputs, a: Assumptions, p: Mapping):
    """What compute is billed at, as a share of its on-demand list price: the pricing model's
    discount (spot's grown by its overhead), times the scenario's further discount. On demand
    it is the further discount alone, as before pricing models existed."""
    further = 1 - inputs.commitment_discount_pct / 100
    figures = [p[("platform", slug)] for slug in pricing_slugs(inputs, a)]
    if not figures:
        return further
    if inputs.pricing == "spot":
        spot, overhead = figures
        return (1 - spot / 100) * (1 + overhead / 100) * further
    (commitment,) = figures
    return (1 - commitment / 100) * further


# --- Section 7b: platform lines ---------------------------------------------------------------


def prices_platform(inputs, a: Assumptions) -> bool:
    """Whether the scenario has platform lines: some line on, and a set with platform prices."""
    return bool(a.platform) and inputs.platform.any


def platform_slugs(q) -> list[str]:
    """The platform prices the lines of ``q`` (a model.Platform) read, in line order."""
    slugs = []
    if q.database:
        slugs += [q.database, "db-storage-gb-month"]
    if q.cache:
        slugs += ["cache-gb-hour", "cache-minimum-gb", "cache-ecpu-million"]
    if q.load_balancers:
        slugs += ["lb-hour", "lb-lcu-hour"]
    if q.egress:
        slugs += ["egress-free-gb", "egress-tier-1", "egress-tier-2", "egress-tier-3"]
        slugs += ["egress-tier-4"]
    if q.observability == "logs":
        slugs += ["obs-log-ingest-gb", "obs-log-storage-gb-month"]
    elif q.observability:
        slugs += list(PER_HOST[q.observability])
    return slugs


def egress_cost(gb, p: Mapping):
    """The month's internet egress bill for ``gb`` GB: each tier's price on the part of the
    volume within it, the first ``egress-free-gb`` free. Non-decreasing in the volume and in
    every price."""
    edges = [p[("platform", "egress-free-gb")], *(t * GB_PER_TB for t in EGRESS_TIERS_TB)]
    cost = 0.0
    for tier, low in enumerate(edges, start=1):
        part = gb - low
        if tier < len(edges):
            part = np.minimum(part, np.maximum(edges[tier] - low, 0.0))
        cost = cost + p[("platform", f"egress-tier-{tier}")] * np.maximum(part, 0.0)
    return cost


def platform_lines(inputs, p: Mapping, peak: np.ndarray) -> dict[str, np.ndarray]:
    """Section 7b's lines that do not depend on the stack, USD per month (shape of ``peak``,
    broadcast with the figures'): the same for every option of the scenario."""
    q = inputs.platform
    average = peak * inputs.avg_to_peak  # requests per second, on average
    requests = average * SECONDS_PER_MONTH
    lines = {}
    if q.database:
        copies = 2 if q.db_multi_az else 1  # Multi-AZ: a standby instance and its storage
        instances = copies + q.db_replicas
        monthly = HOURS_PER_MONTH * p[("platform", q.database)] * instances
        monthly = monthly + q.db_storage_gb * p[("platform", "db-storage-gb-month")] * copies
        lines["database"] = np.zeros(peak.shape) + monthly
    if q.cache:
        stored = np.maximum(q.cache_gb, p[("platform", "cache-minimum-gb")])
        lines["cache"] = (
            HOURS_PER_MONTH * stored * p[("platform", "cache-gb-hour")]
            + requests * q.cache_ecpu_per_request * p[("platform", "cache-ecpu-million")] / 1e6
        )
    if q.load_balancers:
        # Capacity units on average load, the larger of two dimensions: new connections (25 a
        # second per unit) and bytes processed (1 GB an hour per unit).
        units = np.maximum(
            average * q.new_connections_per_request / 25,
            average * (q.request_kb + q.response_kb) * 3600 / KB_PER_GB,
        )
        lines["load_balancer"] = HOURS_PER_MONTH * (
            q.load_balancers * p[("platform", "lb-hour")] + p[("platform", "lb-lcu-hour")] * units
        )
    if q.egress:
        lines["egress"] = egress_cost(requests * q.response_kb / KB_PER_GB, p)
    if q.observability == "logs":
        logs = requests * q.log_kb_per_request / KB_PER_GB  # GB a month
        lines["observability"] = logs * (
            p[("platform", "obs-log-ingest-gb")]
            + q.log_retention_months * p[("platform", "obs-log-storage-gb-month")]
        )
    return lines


def per_host_month(inputs, p: Mapping):
    """Observability per host and month, when it is priced per host (else None)."""
    slugs = PER_HOST.get(inputs.platform.observability)
    return None if slugs is None else sum(p[("platform", slug)] for slug in slugs)


# --- Sections 2-10 ----------------------------------------------------------------------------


@dataclass(slots=True)
class Services:
    """Sections 2-7 for every service, a row each: arrays of shape ``(S, *batch, H)``."""

    app_cpu_ms: list[float]
    io_wait_ms: list[float]
    cpu_seconds: list  # CPU seconds per request, per service
    processes: list[int]  # worker processes per instance
    free_mb: list  # instance memory left for in-flight requests
    utilisation: float
    load: np.ndarray  # requests per second billed for
    vcpu_needed: np.ndarray
    in_flight: np.ndarray
    cpu_instances: np.ndarray
    memory_instances: np.ndarray
    instances: np.ndarray
    infrastructure: np.ndarray  # USD per month


@dataclass(slots=True)
class Language:
    """Sections 8-9 for one language of one option."""

    language: str
    share: float  # of the option's requests
    seats: float
    loaded_month: object  # loaded monthly cost of an engineer
    engineering: object  # seats x loaded_month, USD per month
    needed: int
    known: int
    shortfall: int
    fee: object = 0.0  # hiring: recruiting fees, charged in month 1
    separation: object = 0.0  # hiring: the pay of the engineers the hires replace, month 1
    vacancy: object = 0.0  # hiring: output lost until each hire starts
    vacancy_months: object = 0.0
    lost: object = 0.0  # retraining: output lost while ramping up
    ramp_months: object = 0.0
    hires_per_month: float = 0.0  # team growth: seats added a month in this language
    growth_pay: object = 0.0  # team growth: the added seats' pay, USD per month
    growth_hiring: object = 0.0  # team growth: their fees and vacancy, USD per month


@dataclass(slots=True)
class OptionCosts:
    rows: list[int]  # the option's services' rows in Services
    weeks: object  # weeks to first production API (the slowest service's)
    languages: list[Language]
    categories: dict[str, np.ndarray]
    platform: dict[str, np.ndarray]  # section 7b's lines, USD per month (none: no platform)


def _rows(values: Sequence, nd: int, drawn: bool) -> np.ndarray:
    """One value per service as rows of shape ``(S, 1.., *figure shape)`` with 1 + nd axes.

    ``drawn``: some figure may be an array (else every value is a number: the faster path).
    """
    if not drawn:
        return np.array(values, dtype=float).reshape((len(values),) + (1,) * nd)
    arrays = np.broadcast_arrays(*values)
    shape = arrays[0].shape
    return np.array(arrays, dtype=float).reshape((len(values),) + (1,) * (nd - len(shape)) + shape)


def _batch_ndim(p: Mapping, peak: np.ndarray) -> tuple[int, bool]:
    """(axes of the batch shape, whether any figure is an array)."""
    arrays = [v.ndim for v in p.values() if isinstance(v, np.ndarray)]
    return max([peak.ndim, *arrays]), bool(arrays)


def cost_services(services: Sequence, inputs, a: Assumptions, p: Mapping, peak) -> Services:
    """Sections 2-7 of docs/model.md for each service."""
    unit, unit_vcpu, unit_gb, unit_price = fleet_unit(inputs, a, p)
    nd, drawn = _batch_ndim(p, peak)
    stacks = [a.stack(s.stack) for s in services]
    app_cpu_ms = [inputs.app_cpu_ms if s.app_cpu_ms is None else s.app_cpu_ms for s in services]
    io_ms = [inputs.io_wait_ms if s.io_wait_ms is None else s.io_wait_ms for s in services]
    cpu_s = [  # rps_per_vcpu is checked above zero by compute()
        1 / p[("stack", s.stack, "rps_per_vcpu")]
        + p[("stack", s.stack, "cpu_multiplier")] * ms / 1000
        for s, ms in zip(services, app_cpu_ms, strict=True)
    ]
    if inputs.hosting == "functions":
        return function_services(services, inputs, p, peak, app_cpu_ms, io_ms, cpu_s, nd, drawn)
    utilisation = inputs.target_utilisation_pct / 100
    processes, free_mb = [], []
    for service, stack in zip(services, stacks, strict=True):
        n = max(1, math.ceil(p[("stack", service.stack, "workers_per_vcpu")] * unit_vcpu))
        per_process = p[("stack", service.stack, "memory_per_process_mb")]
        free = unit_gb * 1024 - n * per_process
        if (free <= 0).any() if isinstance(free, np.ndarray) else free <= 0:
            drawn = " within the range of its memory per process"
            raise ModelError(
                f"{unit} has too little memory for {n} {stack.name} processes"
                + (drawn if isinstance(free, np.ndarray) else "")
            )
        processes.append(n)
        free_mb.append(free)

    # Billed capacity follows average load when the fleet autoscales, peak load otherwise.
    share = _rows([s.share for s in services], nd, drawn)
    load = peak * share * (inputs.avg_to_peak if inputs.autoscaling else 1.0)
    vcpu_needed = load * _rows(cpu_s, nd, drawn) / utilisation
    # Little's law: arrival rate x time in system
    in_system = [c + ms / 1000 for c, ms in zip(cpu_s, io_ms, strict=True)]  # seconds
    in_flight = load * _rows(in_system, nd, drawn)
    kb_per_request = _rows(
        [p[("stack", s.stack, "memory_per_inflight_kb")] for s in services], nd, drawn
    )
    # vCPU needed over vCPU per instance, and in-flight memory over the memory an instance has
    # free for it: both counted in one ceil_count, which is several numpy calls at any size.
    counts = [
        vcpu_needed / unit_vcpu,
        in_flight * kb_per_request / 1024 / _rows(free_mb, nd, drawn),
    ]
    if drawn:  # arrays of draws: one stacked copy would cost more than a second call
        cpu_instances, memory_instances = ceil_count(counts[0]), ceil_count(counts[1])
    else:
        cpu_instances, memory_instances = ceil_count(np.array(counts))
    instances = np.maximum(np.maximum(cpu_instances, memory_instances), inputs.min_replicas)
    hourly = unit_price * price_factor(inputs, a, p)
    infrastructure = instances * HOURS_PER_MONTH * hourly
    return Services(
        app_cpu_ms=app_cpu_ms,
        io_wait_ms=io_ms,
        cpu_seconds=cpu_s,
        processes=processes,
        free_mb=free_mb,
        utilisation=utilisation,
        load=load,
        vcpu_needed=vcpu_needed,
        in_flight=in_flight,
        cpu_instances=cpu_instances,
        memory_instances=memory_instances,
        instances=instances,
        infrastructure=infrastructure,
    )


def function_services(services, inputs, p, peak, app_cpu_ms, io_ms, cpu_s, nd, drawn) -> Services:
    """Section 7e, functions: each request billed for its memory over its time, with a share of
    cold starts, plus a price per request; no instances (and so no per-host monitoring)."""
    memory = inputs.function_memory_mb
    # Lambda's CPU follows its memory: a full vCPU at the set's MB per vCPU, a share below it;
    # one request at a time takes no more than one vCPU.
    vcpu = min(1.0, memory / p[("platform", "aws-function-mb-per-vcpu")])
    seconds = [
        c / vcpu + ms / 1000 + inputs.cold_start_pct / 100 * p[("platform", COLD_START + s.stack)]
        / 1000
        for s, c, ms in zip(services, cpu_s, io_ms, strict=True)
    ]  # fmt: skip
    share = _rows([s.share for s in services], nd, drawn)
    load = peak * share * inputs.avg_to_peak  # functions bill the requests, never the peak
    requests = load * SECONDS_PER_MONTH
    per_request = p[("platform", "aws-function-million-requests")] / 1e6 + (
        memory / 1024 * _rows(seconds, nd, drawn) * p[("platform", "aws-function-gb-second")]
    )
    # On demand only (checked): the further discount alone, as for instances on demand.
    infrastructure = requests * per_request * (1 - inputs.commitment_discount_pct / 100)
    none = np.zeros(np.broadcast_shapes(load.shape, infrastructure.shape))
    return Services(
        app_cpu_ms=app_cpu_ms,
        io_wait_ms=io_ms,
        cpu_seconds=cpu_s,
        processes=[1] * len(services),
        free_mb=[memory] * len(services),
        utilisation=1.0,
        load=load,
        vcpu_needed=none,
        in_flight=load
        * _rows(
            [c + ms / 1000 for c, ms in zip(cpu_s, io_ms, strict=True)], nd, drawn
        ),  # fmt: skip
        cpu_instances=none,
        memory_instances=none,
        instances=none,
        infrastructure=infrastructure,
    )


def language_seats(team: int, services: Sequence, a: Assumptions) -> dict[str, tuple[float, float]]:
    """Section 8: each language's (share of the requests, engineers), in language order.

    Engineers follow the request shares unless a service gives its own; the rest of the team
    is then spread over the services without a figure, by their shares.
    """
    shares: dict[str, float] = {}
    for s in services:
        language = a.stack(s.stack).language
        shares[language] = shares.get(language, 0.0) + s.share
    if all(s.engineers is None for s in services):
        return {x: (share, team * share) for x, share in sorted(shares.items())}
    left = team - sum(s.engineers for s in services if s.engineers is not None)
    by_share = sum(s.share for s in services if s.engineers is None)
    seats: dict[str, float] = {}
    for s in services:
        language = a.stack(s.stack).language
        own = s.engineers if s.engineers is not None else left * s.share / by_share
        seats[language] = seats.get(language, 0.0) + own
    return {x: (shares[x], seats[x]) for x in sorted(shares)}


def _language(inputs, p: Mapping, language: str, share: float, seats: float, horizon: int):
    """Sections 8-9 for one language: (its figures, its hiring or retraining per month)."""
    salary = p[("rate", language, "annual_salary")]
    multiplier = p[("rate", language, "loaded_multiplier")]
    loaded_month = salary * multiplier / 12
    # A fraction of a seat still needs an engineer; a language given no engineers needs none.
    needed = max(1, math.ceil(round(seats, 9))) if seats > 0 else 0
    known = min(inputs.known.get(language, 0), inputs.team_size)
    out = Language(
        language=language,
        share=share,
        seats=seats,
        loaded_month=loaded_month,
        engineering=seats * loaded_month,
        needed=needed,
        known=known,
        shortfall=max(0, needed - known),
    )
    if out.shortfall == 0:
        return out, np.zeros(horizon)
    loaded_year = salary * multiplier
    if inputs.policy == "hire":
        # The team stays at its size: each hire replaces an engineer who does not know the
        # language. That engineer stays on the payroll until the hire starts, so the seat's
        # work on this stack is lost for the time to fill (valued at what the seat costs, and
        # charged once: the payroll pays the leaver, not a second salary), and then leaves with
        # the separation pay.
        out.fee = out.shortfall * salary * p[("rate", language, "recruiting_fee_pct")] / 100
        out.separation = out.shortfall * salary / 12 * inputs.separation_months
        out.vacancy_months = p[("rate", language, "time_to_fill_days")] / DAYS_PER_MONTH
        out.vacancy = out.shortfall * loaded_year / 12 * out.vacancy_months
        # Fee and separation are charged in month 1, when the decision is made: spread over no
        # time.
        one_off = out.fee + out.separation
        return out, spread(one_off, 0, horizon) + spread(out.vacancy, out.vacancy_months, horizon)
    ramp_weeks = p[("rate", language, "ramp_up_weeks")]
    out.ramp_months = ramp_weeks / WEEKS_PER_MONTH
    out.lost = out.shortfall * loaded_year / 52 * ramp_weeks
    return out, spread(out.lost, out.ramp_months, horizon)


def _grow(lang: Language, p: Mapping, horizon: int) -> None:
    """Section 9b, team growth in one language: the added seats' pay and their hiring.

    A seat opens at the start of each month (``hires_per_month`` of one); its hire starts
    after the time to fill. In month m the seats opened so far are r x m, and those still
    empty r x min(fill, m) (the sum over their ages j = 0..m-1 of clamp(fill - j, 0, 1)).
    An empty seat is output lost, valued at what the seat costs, as for a replacement hire.
    """
    r = lang.hires_per_month
    months = np.arange(1.0, horizon + 1.0)
    fill = p[("rate", lang.language, "time_to_fill_days")] / DAYS_PER_MONTH
    empty = r * np.minimum(fill, months)
    fee = r * p[("rate", lang.language, "annual_salary")]
    fee = fee * p[("rate", lang.language, "recruiting_fee_pct")] / 100
    lang.growth_pay = (r * months - empty) * lang.loaded_month
    lang.growth_hiring = empty * lang.loaded_month + fee


def cost(
    inputs, options: Sequence, a: Assumptions, p: Mapping, peak: np.ndarray
) -> tuple[Services | None, list[OptionCosts]]:
    """Sections 2-10 for every option: the services' rows and each option's categories.

    The rows are None when some figure is an array of draws (see below).

    Assumes the scenario is valid (compute() checks it); overflow is left to the caller.
    """
    horizon = peak.shape[-1]
    services = [s for o in options for s in o.services]
    _, drawn = _batch_ndim(p, peak)
    platform = prices_platform(inputs, a)
    per_host = per_host_month(inputs, p) if platform else None
    if drawn:
        # Service by service, keeping only the bill: arrays of draws are large, one service's
        # fit in the cache, and holding every service's intermediates alive cost the Monte
        # Carlo 30% more (12.8 against 9.9 ms for 2,000 draws of the default scenario), as
        # each new array then lands on fresh memory. Only compute() reads the rows.
        rows = None
        infrastructure_rows, instance_rows = [], []
        for s in services:
            one = cost_services([s], inputs, a, p, peak)
            infrastructure_rows.append(one.infrastructure[0])
            if per_host is not None:  # the fleet's hosts, only when observability needs them
                instance_rows.append(one.instances[0])
    else:
        rows = cost_services(services, inputs, a, p, peak)
        infrastructure_rows, instance_rows = rows.infrastructure, rows.instances
    shared = platform_lines(inputs, p, peak) if platform else {}
    # A mix launches when its slowest service is ready; delay counts from the fastest option.
    biggest, smallest = (np.maximum, np.minimum) if drawn else (max, min)
    weeks = [
        reduce(biggest, [p[("stack", s.stack, "weeks_to_first_api")] for s in o.services])
        for o in options
    ]
    fastest = reduce(smallest, weeks)
    out = []
    start = 0
    for option, option_weeks in zip(options, weeks, strict=True):
        index = list(range(start, start + len(option.services)))
        start += len(option.services)
        infrastructure = sum(infrastructure_rows[i] for i in index)
        lines = dict(shared)
        if per_host is not None:  # follows the option's fleet: billed instances are hosts
            lines["observability"] = sum(instance_rows[i] for i in index) * per_host
        platform_total = (
            sum(lines[k] for k in PLATFORM_LINES if k in lines) if lines else np.zeros(horizon)
        )
        engineering_month = 0.0
        people = np.zeros(horizon)
        languages = []
        growth = np.zeros(horizon)
        for language, (share, seats) in language_seats(
            inputs.team_size, option.services, a
        ).items():
            figures, one_offs = _language(inputs, p, language, share, seats, horizon)
            engineering_month = engineering_month + figures.engineering
            people = people + one_offs
            if inputs.hires_per_year:
                # New seats join each language as the team is split today (seats sum to T).
                figures.hires_per_month = inputs.hires_per_year / 12 * seats / inputs.team_size
                _grow(figures, p, horizon)
                growth = growth + figures.growth_pay
                people = people + figures.growth_hiring
            languages.append(figures)
        delay_months = (option_weeks - fastest) / WEEKS_PER_MONTH
        delay = spread(delay_months * inputs.cost_of_delay, delay_months, horizon)
        categories = {
            "infrastructure": infrastructure,
            "platform": platform_total,
            "engineering": growth + engineering_month,
            "people": people,
            "delay": delay,
        }
        out.append(OptionCosts(index, option_weeks, languages, categories, lines))
    return rows, out


def monthly_totals(
    inputs, options: Sequence, a: Assumptions, params: Mapping, peak: np.ndarray
) -> np.ndarray:
    """Every option's monthly total, shape ``(options, *batch, H)``.

    ``params`` maps each key of :func:`base_params` to a number or an array of shape
    ``(N, 1)``; ``peak`` is the peak RPS per month, shape ``(H,)`` or ``(G, H)``. Assumes
    compute() has accepted the scenario; raises ModelError when a drawn figure makes the model
    impossible or the numbers overflow.
    """
    with np.errstate(over="ignore", invalid="ignore"):
        _, costs = cost(inputs, options, a, params, peak)
        totals = [sum(c.categories[k] for k in CATEGORIES) for c in costs]
        out = np.stack(np.broadcast_arrays(*totals))
    if not np.all(np.isfinite(out)):
        raise ModelError("the numbers grow past what can be computed; check traffic and growth")
    return out


# --- Section 12: present value ------------------------------------------------------------------


def discount_factors(rate_pct: float, horizon: int) -> np.ndarray:
    """Each month's costs in today's money at ``rate_pct`` a year: (1 + r)^(-(m - 1)/12).

    A month's costs are paid at its start, so month 1's are today's money and a rate of 0
    gives factors of exactly 1 (docs/model.md, section 12).
    """
    months = np.arange(horizon)
    return (1 + rate_pct / 100) ** (-months / 12)
