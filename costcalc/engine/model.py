"""The cost model: inputs and options in, month-by-month costs out.

docs/model.md writes out every formula here so that a reader can check a figure by hand.
Arithmetic runs on numpy arrays over the months of the horizon; pandas is used only when a
caller asks for the monthly table as a DataFrame.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from .assumptions import Assumptions, InstanceType, ModelError, Stack
from .figures import INSTANCE_PRICE, RATE_FIGURES, STACK_FIGURES

HOURS_PER_MONTH = 730  # the cloud providers' billing convention (8,760 h / 12)
SECONDS_PER_MONTH = HOURS_PER_MONTH * 3600
WEEKS_PER_MONTH = 52 / 12
DAYS_PER_MONTH = 365 / 12
CATEGORIES = ("infrastructure", "engineering", "people", "delay")
CATEGORY_LABELS = {
    "infrastructure": "Infrastructure",
    "engineering": "Engineering salaries",
    "people": "Hiring and retraining",
    "delay": "Cost of later launch",
}
POLICIES = ("hire", "retrain")
SHARE_TOLERANCE = 1e-6


@dataclass(frozen=True, slots=True)
class Service:
    """Part of an option: one stack serving a share of the requests."""

    stack: str
    share: float = 1.0  # fraction of all requests, 0 < share <= 1
    app_cpu_ms: float | None = None  # overrides the scenario's workload for this service
    io_wait_ms: float | None = None
    label: str = ""


@dataclass(frozen=True, slots=True)
class Option:
    """One way to serve the traffic: a single stack or a mix of services."""

    name: str
    services: tuple[Service, ...]

    @classmethod
    def single(cls, stack: str, name: str = "") -> Option:
        return cls(name=name or stack, services=(Service(stack=stack),))

    @property
    def is_mix(self) -> bool:
        return len(self.services) > 1


@dataclass(frozen=True, slots=True)
class Inputs:
    peak_rps: float
    avg_to_peak: float = 0.5
    growth_pct: float = 0.0  # per month
    horizon_months: int = 24
    app_cpu_ms: float = 0.0  # business logic per request, as Go would run it
    io_wait_ms: float = 0.0
    team_size: int = 5
    market: str = "us"
    known: Mapping[str, int] = field(default_factory=dict)  # language -> engineers knowing it
    policy: str = "hire"
    instance: str = "c7i-xlarge"
    commitment_discount_pct: float = 0.0
    target_utilisation_pct: float = 60.0
    min_replicas: int = 2
    autoscaling: bool = True
    cost_of_delay: float = 0.0  # USD per month of later launch

    def validate(self) -> None:
        checks = [
            (self.peak_rps > 0, "peak RPS must be above zero"),
            (0 < self.avg_to_peak <= 1, "average-to-peak ratio must be above 0 and at most 1"),
            (self.growth_pct > -100, "monthly growth must be above -100%"),
            (self.horizon_months >= 1, "the horizon must be at least one month"),
            (self.app_cpu_ms >= 0 and self.io_wait_ms >= 0, "times per request can't be negative"),
            (self.team_size >= 1, "the team needs at least one engineer"),
            (self.policy in POLICIES, f"policy must be one of {', '.join(POLICIES)}"),
            (0 <= self.commitment_discount_pct < 100, "discount must be from 0 to under 100%"),
            (0 < self.target_utilisation_pct <= 100, "target utilisation must be 1 to 100%"),
            (self.min_replicas >= 0, "minimum replicas can't be negative"),
            (self.cost_of_delay >= 0, "cost of delay can't be negative"),
            (all(n >= 0 for n in self.known.values()), "engineer counts can't be negative"),
        ]
        for ok, message in checks:
            if not ok:
                raise ModelError(message)
        # Counts must be whole: a horizon of 2.5 months would silently become 3 months, and an
        # infinite team or replica floor would make every cost infinite.
        counts = [
            (self.horizon_months, "the horizon"),
            (self.team_size, "the team size"),
            (self.min_replicas, "minimum replicas"),
        ]
        for value, what in counts:
            if not (math.isfinite(value) and float(value).is_integer()):
                raise ModelError(f"{what} must be a whole number")
        numbers = [
            self.peak_rps,
            self.avg_to_peak,
            self.growth_pct,
            self.app_cpu_ms,
            self.io_wait_ms,
            self.commitment_discount_pct,
            self.target_utilisation_pct,
            self.cost_of_delay,
        ]
        if not all(math.isfinite(x) for x in numbers):
            raise ModelError("every input must be a finite number")


@dataclass(frozen=True, slots=True)
class Step:
    """One line of "how this was computed": a formula, the values it took, what it gave."""

    label: str
    formula: str
    result: float
    unit: str
    values: tuple[tuple[str, float, str, str], ...] = ()  # (name, value, unit, source key)


@dataclass(slots=True)
class ServiceResult:
    service: Service
    stack_name: str
    language: str
    cpu_seconds_per_request: float
    instances: np.ndarray  # billed instances per month
    infrastructure: np.ndarray  # USD per month
    cpu_instances: np.ndarray  # instances the CPU load needs, per month
    memory_instances: np.ndarray  # instances the in-flight requests' memory needs, per month

    @property
    def bound_by(self) -> list[str]:
        """Per month: what set the instance count, "cpu", "memory" or "replicas"."""
        # Worked out when read: few callers read it, and the page recalculates on every keystroke.
        needed = np.maximum(self.cpu_instances, self.memory_instances)
        return np.where(
            self.instances > needed,  # only the replica floor can lift the count above both
            "replicas",
            np.where(self.memory_instances > self.cpu_instances, "memory", "cpu"),
        ).tolist()


@dataclass(slots=True)
class OptionResult:
    option: Option
    categories: dict[str, np.ndarray]
    services: list[ServiceResult]
    weeks_to_first_api: float
    steps: list[Step]
    total: np.ndarray = field(init=False)
    cumulative: np.ndarray = field(init=False)
    totals: dict[str, float] = field(init=False)
    horizon_total: float = field(init=False)
    saving_vs_baseline: float = 0.0
    saving_pct: float = 0.0
    break_even_month: int | None = None
    infra_per_100k_rps: float = 0.0
    infra_per_million_requests: float = 0.0
    cost_per_million_requests: float = 0.0

    def __post_init__(self) -> None:
        # A row per category makes each sum one numpy call. The ufuncs' own reduce and accumulate
        # skip the Python layer of ndarray.sum() and cumsum(), which costs more than the sums.
        lines = np.array([self.categories[c] for c in CATEGORIES])
        self.total = np.add.reduce(lines)
        self.cumulative = np.add.accumulate(self.total)
        self.totals = dict(zip(CATEGORIES, np.add.reduce(lines, axis=1).tolist(), strict=True))
        self.horizon_total = float(self.cumulative[-1])

    @property
    def name(self) -> str:
        return self.option.name


@dataclass(slots=True)
class Result:
    inputs: Inputs
    assumptions_label: str
    months: np.ndarray
    peak_rps: np.ndarray
    requests: np.ndarray  # requests served per month
    options: list[OptionResult]

    @property
    def baseline(self) -> OptionResult:
        return self.options[0]

    @property
    def cheapest(self) -> OptionResult:
        return min(self.options, key=lambda o: o.horizon_total)

    def monthly_frame(self):
        """The monthly table, one row per option and month, as a pandas DataFrame."""
        import pandas as pd

        frames = []
        for opt in self.options:
            frame = {"option": opt.name, "month": self.months, "peak_rps": self.peak_rps}
            frame.update(opt.categories)
            frame["total"] = opt.total
            frame["cumulative"] = opt.cumulative
            frames.append(pd.DataFrame(frame))
        return pd.concat(frames, ignore_index=True)


def spread(amount: float, months: float, horizon: int) -> np.ndarray:
    """Charge ``amount`` evenly over the first ``months`` months (fractions allowed).

    What falls after the horizon is not charged: the model reports the horizon only.
    """
    if amount == 0:
        return np.zeros(horizon)
    if months <= 0:
        out = np.zeros(horizon)
        out[0] = amount
        return out
    # The part of month m within the first n months, clamp(min(m, n) - (m - 1), 0, 1) in
    # docs/model.md, equals clamp(n - (m - 1), 0, 1): one numpy call fewer. The month starts are
    # floats because converting integers costs numpy more than the arithmetic on a few dozen.
    overlap = (months - np.arange(horizon, dtype=float)).clip(0.0, 1.0)
    return amount * overlap / months


def ceil_count(x: np.ndarray) -> np.ndarray:
    # Rounding before the ceiling keeps 4.000000000001 vCPU from buying a fifth instance;
    # both operations are monotone, so more load never buys fewer instances. (The method, not
    # np.round(): the same rounding without a Python layer around it.)
    return np.ceil(x.round(9))


def compute(
    inputs: Inputs, options: Sequence[Option], assumptions: Assumptions, *, explain: bool = True
) -> Result:
    """Cost every option over the horizon. Raises ModelError with a reason on bad input.

    Each option carries its workings (``steps``) unless ``explain`` is false: they are a tenth
    of the work, and a page that fetches them later does not need them now.
    """
    inputs.validate()
    if not options:
        raise ModelError("choose at least one option to compare")
    names = [o.name for o in options]
    if len(set(names)) != len(names):
        raise ModelError("each option needs its own name")
    for option in options:
        _check_option(option, assumptions)
        _check_figures(option, inputs, assumptions)

    horizon = int(inputs.horizon_months)
    months = np.arange(1, horizon + 1)
    growth = 1 + inputs.growth_pct / 100
    # Overflow is caught below and reported as a ModelError rather than as a numpy warning.
    with np.errstate(over="ignore"):
        peak = inputs.peak_rps * growth ** (months - 1.0)
        if not np.isfinite(peak).all():
            raise ModelError("traffic grows past any finite number within the horizon")
        requests = peak * inputs.avg_to_peak * SECONDS_PER_MONTH

        weeks = {o.name: _weeks_to_first_api(o, assumptions) for o in options}
        fastest = min(weeks.values())
        # Every service of every option is costed in one pass; each option takes its own, in order.
        services = [s for o in options for s in o.services]
        costed = iter(_cost_services(services, inputs, assumptions, peak, explain))
        results = [
            _cost_option(
                o,
                [next(costed) for _ in o.services],
                inputs,
                assumptions,
                horizon,
                weeks[o.name],
                fastest,
                explain,
            )
            for o in options
        ]
        _compare(results, requests, peak)
    _check_finite(results, requests)
    return Result(
        inputs=inputs,
        assumptions_label=assumptions.label,
        months=months,
        peak_rps=peak,
        requests=requests,
        options=results,
    )


def _check_option(option: Option, assumptions: Assumptions) -> None:
    if not option.services:
        raise ModelError(f"option '{option.name}' has no services")
    total = 0.0
    for service in option.services:
        assumptions.stack(service.stack)
        if not 0 < service.share <= 1:
            raise ModelError(f"each share in '{option.name}' must be above 0% and at most 100%")
        for t in (service.app_cpu_ms, service.io_wait_ms):
            if t is not None and not (t >= 0 and math.isfinite(t)):
                raise ModelError(f"times per request in '{option.name}' must be 0 or more")
        total += service.share
    if abs(total - 1) > SHARE_TOLERANCE:
        raise ModelError(f"the shares of '{option.name}' add up to {total:.0%}, not 100%")


def _require(value: float, what: str, *, positive: bool = False) -> None:
    ok = math.isfinite(value) and (value > 0 if positive else value >= 0)
    if not ok:
        bound = "above zero" if positive else "zero or more"
        raise ModelError(f"{what} must be a finite number {bound}, not {value!r}")


# Stacks, instance types and market rates are frozen, and the site reuses a published set's
# snapshot across requests, so each of these objects needs its figures checked once, not on
# every recalculation. Only objects that passed are remembered, so a bad figure raises the same
# error every time. The value is the object itself: holding it keeps its id from being reused.
_FIGURES_CHECKED: dict[int, object] = {}
_FIGURES_CHECKED_MAX = 1024  # a few published sets hold a few dozen objects; tests make more


def _figures_checked(obj: object) -> bool:
    return _FIGURES_CHECKED.get(id(obj)) is obj


def _remember_checked(obj: object) -> None:
    if len(_FIGURES_CHECKED) >= _FIGURES_CHECKED_MAX:
        _FIGURES_CHECKED.clear()
    _FIGURES_CHECKED[id(obj)] = obj


def _check_figures(option: Option, inputs: Inputs, a: Assumptions) -> None:
    """Every assumption the option uses must be a finite number in its range.

    A NaN, an infinity or a negative figure in the set would otherwise flow silently into every
    month's cost; a zero-vCPU or zero-memory instance would divide by zero.
    """
    inst = a.instance(inputs.instance)
    if not _figures_checked(inst):
        _require(inst.vcpu, f"{inst.name}'s vCPU count", positive=True)
        _require(inst.memory_gb, f"{inst.name}'s memory", positive=True)
        _require(inst.price_per_hour.base, f"{inst.name}'s {INSTANCE_PRICE.check_words}")
        _remember_checked(inst)
    for service in option.services:
        stack = a.stack(service.stack)
        if not _figures_checked(stack):
            for spec in STACK_FIGURES.values():
                value = getattr(stack, spec.name).base
                _require(value, f"{stack.name}'s {spec.check_words}", positive=spec.positive)
            _remember_checked(stack)
        rate = a.rate(inputs.market, stack.language)
        if not _figures_checked(rate):
            for spec in RATE_FIGURES.values():
                _require(
                    getattr(rate, spec.name).base,
                    f"the {spec.check_words} of {stack.language} engineers in '{inputs.market}'",
                )
            _remember_checked(rate)


def _check_finite(results: list[OptionResult], requests: np.ndarray) -> None:
    # Inputs and figures are finite, but their products can still overflow (say 10^300 RPS).
    # An infinity or a NaN in any month of any line, or of any instance count (priced into the
    # infrastructure line), carries through the sums into the option's running total: checking
    # the running totals checks everything they are built from.
    arrays = [requests, *(r.cumulative for r in results)]
    summaries = [
        x
        for r in results
        for x in (
            r.infra_per_100k_rps,
            r.infra_per_million_requests,
            r.cost_per_million_requests,
            r.saving_vs_baseline,
            r.saving_pct,
        )
    ]
    if not (np.isfinite(np.concatenate(arrays)).all() and all(map(math.isfinite, summaries))):
        raise ModelError("the numbers grow past what can be computed; check traffic and growth")


def _weeks_to_first_api(option: Option, assumptions: Assumptions) -> float:
    # A mix launches when its slowest service is ready.
    return max(assumptions.stack(s.stack).weeks_to_first_api.base for s in option.services)


def _cost_option(
    option: Option,
    costed: list[tuple[ServiceResult, list[Step]]],
    inputs: Inputs,
    a: Assumptions,
    horizon: int,
    weeks: float,
    fastest_weeks: float,
    explain: bool,
) -> OptionResult:
    """Sections 7-10 of docs/model.md for one option, given its services' costs."""
    services = [service for service, _ in costed]
    steps = [step for _, workings in costed for step in workings] if explain else None
    infrastructure = sum(s.infrastructure for s in services)

    share_by_language: dict[str, float] = {}
    for s in services:
        share_by_language[s.language] = share_by_language.get(s.language, 0.0) + s.service.share

    engineering_month = 0.0
    people = np.zeros(horizon)
    for language, share in sorted(share_by_language.items()):
        rate = a.rate(inputs.market, language)
        loaded_month = rate.annual_salary.base * rate.loaded_multiplier.base / 12
        seats = inputs.team_size * share
        engineering_month += seats * loaded_month
        if steps is not None:  # None: no one will read the workings
            steps.append(
                Step(
                    label=f"Engineering, {language} seats",
                    formula="team size x share of requests x annual salary"
                    " x loaded multiplier / 12",
                    result=seats * loaded_month,
                    unit="USD/month",
                    values=(
                        ("team size", inputs.team_size, "engineers", ""),
                        (f"share served in {language}", share, "", ""),
                        (
                            "annual salary",
                            rate.annual_salary.base,
                            "USD",
                            rate.annual_salary.source,
                        ),
                        (
                            "loaded multiplier",
                            rate.loaded_multiplier.base,
                            "x",
                            rate.loaded_multiplier.source,
                        ),
                    ),
                )
            )
        people += _people_one_offs(inputs, rate, language, seats, horizon, steps)
    engineering = np.full(horizon, engineering_month)

    delay_weeks = weeks - fastest_weeks
    delay_months = delay_weeks / WEEKS_PER_MONTH
    delay = spread(delay_months * inputs.cost_of_delay, delay_months, horizon)
    if steps is not None:  # None: no one will read the workings
        steps.append(
            Step(
                label="Cost of later launch",
                formula="(weeks to first production API - fastest option's weeks) / (52/12) "
                "x cost of delay per month",
                result=float(delay.sum()),
                unit="USD",
                values=(
                    ("weeks to first production API", weeks, "weeks", _slowest_source(option, a)),
                    ("fastest option's weeks", fastest_weeks, "weeks", ""),
                    ("cost of delay", inputs.cost_of_delay, "USD/month", ""),
                ),
            )
        )
    return OptionResult(
        option=option,
        categories={
            "infrastructure": infrastructure,
            "engineering": engineering,
            "people": people,
            "delay": delay,
        },
        services=services,
        weeks_to_first_api=weeks,
        steps=steps or [],
    )


def _slowest_source(option: Option, a: Assumptions) -> str:
    slowest = max(option.services, key=lambda s: a.stack(s.stack).weeks_to_first_api.base)
    return a.stack(slowest.stack).weeks_to_first_api.source


def _column(values: Sequence[float]) -> np.ndarray:
    """One number per service as a column, to broadcast against the months."""
    return np.array(values, dtype=float)[:, np.newaxis]


def _cost_services(
    services: Sequence[Service],
    inputs: Inputs,
    a: Assumptions,
    peak: np.ndarray,
    explain: bool,
) -> list[tuple[ServiceResult, list[Step]]]:
    """Sections 2-7 of docs/model.md for each service, with its workings when ``explain``.

    Each service's figures form a column (a row per service) against the months, so each
    formula below is one numpy operation for every service at once: over a few dozen months,
    numpy's cost per call, not the arithmetic, is what takes the time.
    """
    inst = a.instance(inputs.instance)
    stacks = [a.stack(s.stack) for s in services]
    app_cpu_ms = [inputs.app_cpu_ms if s.app_cpu_ms is None else s.app_cpu_ms for s in services]
    io_ms = [inputs.io_wait_ms if s.io_wait_ms is None else s.io_wait_ms for s in services]
    cpu_s = [  # rps_per_vcpu is checked above zero by _check_figures
        1 / stack.rps_per_vcpu.base + stack.cpu_multiplier.base * ms / 1000
        for stack, ms in zip(stacks, app_cpu_ms, strict=True)
    ]
    utilisation = inputs.target_utilisation_pct / 100
    processes, free_mb = [], []
    for stack in stacks:
        n = max(1, math.ceil(stack.workers_per_vcpu.base * inst.vcpu))
        free = inst.memory_gb * 1024 - n * stack.memory_per_process_mb.base
        if free <= 0:
            raise ModelError(f"{inst.name} has too little memory for {n} {stack.name} processes")
        processes.append(n)
        free_mb.append(free)

    # Billed capacity follows average load when the fleet autoscales, peak load otherwise.
    share = _column([s.share for s in services])
    load = peak * share * (inputs.avg_to_peak if inputs.autoscaling else 1.0)
    vcpu_needed = load * _column(cpu_s) / utilisation
    # Little's law: arrival rate x time in system
    in_flight = load * _column([c + ms / 1000 for c, ms in zip(cpu_s, io_ms, strict=True)])
    kb_per_request = _column([stack.memory_per_inflight_kb.base for stack in stacks])
    # vCPU needed over vCPU per instance, and in-flight memory over the memory an instance has
    # free for it: both counted in one ceil_count, which is several numpy calls at any size.
    cpu_instances, memory_instances = ceil_count(
        np.array([vcpu_needed / inst.vcpu, in_flight * kb_per_request / 1024 / _column(free_mb)])
    )

    instances = np.maximum(np.maximum(cpu_instances, memory_instances), inputs.min_replicas)
    hourly = inst.price_per_hour.base * (1 - inputs.commitment_discount_pct / 100)
    infrastructure = instances * HOURS_PER_MONTH * hourly

    costed = []
    for i, (service, stack) in enumerate(zip(services, stacks, strict=True)):
        result = ServiceResult(
            service=service,
            stack_name=stack.name,
            language=stack.language,
            cpu_seconds_per_request=cpu_s[i],
            instances=instances[i],
            infrastructure=infrastructure[i],
            cpu_instances=cpu_instances[i],
            memory_instances=memory_instances[i],
        )
        workings = []
        if explain:  # False: no one will read the workings
            workings = _service_steps(
                service,
                stack,
                inst,
                inputs,
                app_cpu_ms=app_cpu_ms[i],
                cpu_s=cpu_s[i],
                utilisation=utilisation,
                processes=processes[i],
                load=load[i],
                vcpu_needed=vcpu_needed[i],
                in_flight=in_flight[i],
                memory_instances=memory_instances[i],
                instances=instances[i],
                infrastructure=infrastructure[i],
            )
        costed.append((result, workings))
    return costed


def _service_steps(
    service: Service,
    stack: Stack,
    inst: InstanceType,
    inputs: Inputs,
    *,
    app_cpu_ms: float,
    cpu_s: float,
    utilisation: float,
    processes: int,
    load: np.ndarray,
    vcpu_needed: np.ndarray,
    in_flight: np.ndarray,
    memory_instances: np.ndarray,
    instances: np.ndarray,
    infrastructure: np.ndarray,
) -> list[Step]:
    """How one service's costs were computed, in month 1."""
    who = f"{stack.name}" + (
        f" ({service.label or service.stack}, {service.share:.0%})" if service.share < 1 else ""
    )
    return [
        Step(
            label=f"{who}: CPU seconds per request",
            formula="1 / requests per vCPU + CPU multiplier x business-logic ms / 1000",
            result=cpu_s,
            unit="vCPU-s",
            values=(
                (
                    "requests per second per vCPU",
                    stack.rps_per_vcpu.base,
                    "req/s",
                    stack.rps_per_vcpu.source,
                ),
                (
                    "CPU multiplier vs Go",
                    stack.cpu_multiplier.base,
                    "x",
                    stack.cpu_multiplier.source,
                ),
                ("business-logic CPU", app_cpu_ms, "ms", ""),
            ),
        ),
        Step(
            label=f"{who}: vCPU needed in month 1",
            formula="share x "
            + ("average" if inputs.autoscaling else "peak")
            + " RPS x CPU seconds per request / target utilisation",
            result=float(vcpu_needed[0]),
            unit="vCPU",
            values=(
                ("share of requests", service.share, "", ""),
                ("RPS billed for", float(load[0] / service.share), "req/s", ""),
                ("target utilisation", utilisation, "", ""),
            ),
        ),
        Step(
            label=f"{who}: memory instances in month 1",
            formula="in-flight requests (RPS x (CPU s + I/O wait s)) x KB per request"
            " / 1024 / (instance MB - processes x MB per process)",
            result=float(memory_instances[0]),
            unit="instances",
            values=(
                ("in-flight requests", float(in_flight[0]), "", ""),
                (
                    "memory per in-flight request",
                    stack.memory_per_inflight_kb.base,
                    "KB",
                    stack.memory_per_inflight_kb.source,
                ),
                ("processes per instance", processes, "", stack.workers_per_vcpu.source),
                (
                    "memory per process",
                    stack.memory_per_process_mb.base,
                    "MB",
                    stack.memory_per_process_mb.source,
                ),
                ("instance memory", inst.memory_gb, "GB", inst.price_per_hour.source),
            ),
        ),
        Step(
            label=f"{who}: infrastructure in month 1",
            formula="max(min replicas, ceil(vCPU / vCPU per instance), memory instances) "
            "x 730 h x price per hour x (1 - commitment discount)",
            result=float(infrastructure[0]),
            unit="USD/month",
            values=(
                ("instances", float(instances[0]), "", ""),
                ("vCPU per instance", inst.vcpu, "", inst.price_per_hour.source),
                ("minimum replicas", inputs.min_replicas, "", ""),
                (
                    "price per hour",
                    inst.price_per_hour.base,
                    "USD",
                    inst.price_per_hour.source,
                ),
                ("commitment discount", inputs.commitment_discount_pct / 100, "", ""),
            ),
        ),
    ]


def _people_one_offs(inputs, rate, language: str, seats: float, horizon: int, steps) -> np.ndarray:
    """Hiring or retraining the engineers a language needs beyond those who know it."""
    needed = max(1, math.ceil(round(seats, 9)))
    known = min(inputs.known.get(language, 0), inputs.team_size)
    shortfall = max(0, needed - known)
    loaded_year = rate.annual_salary.base * rate.loaded_multiplier.base
    if shortfall == 0:
        return np.zeros(horizon)
    if inputs.policy == "hire":
        fee = shortfall * rate.annual_salary.base * rate.recruiting_fee_pct.base / 100
        vacancy_months = rate.time_to_fill_days.base / DAYS_PER_MONTH
        # While a seat is empty its work is not done: valued at what the seat would cost.
        vacancy = shortfall * loaded_year / 12 * vacancy_months
        if steps is not None:  # None: no one will read the workings
            steps.append(
                Step(
                    label=f"Hiring {shortfall} {language} engineer(s)",
                    formula="hires x (salary x recruiting fee % "
                    "+ loaded monthly cost x months to fill)",
                    result=fee + vacancy,
                    unit="USD",
                    values=(
                        ("engineers needed", needed, "", ""),
                        ("engineers who know it", known, "", ""),
                        (
                            "annual salary",
                            rate.annual_salary.base,
                            "USD",
                            rate.annual_salary.source,
                        ),
                        (
                            "recruiting fee",
                            rate.recruiting_fee_pct.base,
                            "%",
                            rate.recruiting_fee_pct.source,
                        ),
                        (
                            "time to fill",
                            rate.time_to_fill_days.base,
                            "days",
                            rate.time_to_fill_days.source,
                        ),
                    ),
                )
            )
        one_offs = spread(vacancy, vacancy_months, horizon)
        one_offs[0] += fee  # charged in month 1
        return one_offs
    ramp_months = rate.ramp_up_weeks.base / WEEKS_PER_MONTH
    lost = shortfall * loaded_year / 52 * rate.ramp_up_weeks.base
    if steps is not None:  # None: no one will read the workings
        steps.append(
            Step(
                label=f"Retraining {shortfall} engineer(s) into {language}",
                formula="engineers x loaded weekly cost x weeks of output lost ramping up",
                result=lost,
                unit="USD",
                values=(
                    ("engineers needed", needed, "", ""),
                    ("engineers who know it", known, "", ""),
                    ("annual salary", rate.annual_salary.base, "USD", rate.annual_salary.source),
                    (
                        "loaded multiplier",
                        rate.loaded_multiplier.base,
                        "x",
                        rate.loaded_multiplier.source,
                    ),
                    ("ramp-up", rate.ramp_up_weeks.base, "weeks", rate.ramp_up_weeks.source),
                ),
            )
        )
    return spread(lost, ramp_months, horizon)


def _compare(results: list[OptionResult], requests: np.ndarray, peak: np.ndarray) -> None:
    baseline = results[0]
    total_requests = float(requests.sum())
    infrastructure = np.array([r.categories["infrastructure"] for r in results])
    # The mean over the months, as a sum over a count: np.mean's Python layer costs more.
    infra_per_100k = np.add.reduce(infrastructure / (peak / 100_000), axis=1) / len(peak)
    for r, per_100k_rps in zip(results, infra_per_100k.tolist(), strict=True):
        r.infra_per_100k_rps = per_100k_rps
        r.infra_per_million_requests = r.totals["infrastructure"] / total_requests * 1e6
        r.cost_per_million_requests = r.horizon_total / total_requests * 1e6
        r.saving_vs_baseline = baseline.horizon_total - r.horizon_total
        r.saving_pct = (
            r.saving_vs_baseline / baseline.horizon_total * 100 if baseline.horizon_total else 0.0
        )
        r.break_even_month = (
            None if r is baseline else break_even_month(r.cumulative, baseline.cumulative)
        )


def break_even_month(cumulative: np.ndarray, baseline: np.ndarray) -> int | None:
    """First month (1-based) from which ``cumulative`` stays at or below ``baseline``."""
    # A cent of tolerance: sums of the same costs in another order differ in the last bits.
    ahead = cumulative <= baseline + 0.01
    if not ahead[-1]:
        return None
    (behind,) = (~ahead).nonzero()
    return int(behind[-1]) + 2 if behind.size else 1
