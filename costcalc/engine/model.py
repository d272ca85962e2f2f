"""The cost model: inputs and options in, month-by-month costs out.

This module checks the scenario (checks.py), runs it through the formulas of kernel.py
(docs/model.md writes them out so that a reader can check a figure by hand) and builds the
results and, from the kernel's intermediates, their workings (workings.py). pandas is used
only when a caller asks for the monthly table as a DataFrame.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from . import checks, kernel, notes, yours
from .assumptions import Assumptions, ModelError
from .checks import SHARE_TOLERANCE  # noqa: F401  (the model's name, kept for its callers)
from .figures import HOSTING_MODELS, PRICING_MODELS
from .kernel import (  # noqa: F401  (the model's names, kept where callers import them)
    CATEGORIES,
    DAYS_PER_MONTH,
    HOURS_PER_MONTH,
    SECONDS_PER_MONTH,
    WEEKS_PER_MONTH,
    ceil_count,
    spread,
)
from .workings import option_steps

CATEGORY_LABELS = {
    "infrastructure": "Compute",  # the fleets' instance-hours; "platform" is the rest of the bill
    "platform": "Platform services",  # database, cache, load balancer, egress, observability
    "engineering": "Engineering salaries",
    "people": "Hiring and retraining",
    "delay": "Cost of later launch",
}
COMPUTE_ONLY = tuple(c for c in CATEGORIES if c != "platform")  # without platform lines
POLICIES = ("hire", "retrain")
# Months of salary an engineer replaced by a hire is paid on leaving (severance and notice).
# No source in the assumption sets gives it: a stated default the user can change. It ranges
# from nothing (at-will employment) to several months where the law sets severance by tenure.
SEPARATION_MONTHS = 3.0


@dataclass(frozen=True, slots=True)
class Service:
    """Part of an option: one stack serving a share of the requests."""

    stack: str
    share: float = 1.0  # fraction of all requests, 0 < share <= 1
    app_cpu_ms: float | None = None  # overrides the scenario's workload for this service
    io_wait_ms: float | None = None
    label: str = ""
    engineers: float | None = None  # engineers working on it; None: the team by request share


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


OBSERVABILITY = ("per_host", "per_host_apm", "logs")  # "" : no observability line


@dataclass(frozen=True, slots=True)
class Platform:
    """The platform lines' sizes (docs/model.md section 7b): stated defaults, not sourced
    figures, each line off with its "" / False / 0. A set without platform prices costs none
    of them, whatever these say."""

    database: str = "rds-pg-r8g-large"  # a "database" platform price of the set; "": no line
    db_multi_az: bool = True  # a standby instance and a second copy of the storage
    db_replicas: int = 0  # read replicas, each billed as an instance
    db_storage_gb: float = 100.0
    cache: bool = True  # a serverless cache: data stored and processing units
    cache_gb: float = 1.0  # data stored (billed at least the set's minimum)
    cache_ecpu_per_request: float = 1.0  # about one per KB a request reads or writes in it
    load_balancers: int = 1  # 0: no load balancer line
    request_kb: float = 1.0  # on the wire, per request (the load balancer's processed bytes)
    response_kb: float = 2.0  # on the wire, per response (egress, and processed bytes)
    new_connections_per_request: float = 0.1  # 1 = no keep-alive
    egress: bool = True  # responses to the internet at the provider's tiered price
    observability: str = "per_host"  # "per_host", "per_host_apm", "logs"; "": no line
    log_kb_per_request: float = 0.5  # logs mode only
    log_retention_months: float = 1.0  # logs mode only

    @classmethod
    def off(cls) -> Platform:
        """No platform line: the figures the model gave before it had any."""
        return cls(database="", cache=False, load_balancers=0, egress=False, observability="")

    @property
    def any(self) -> bool:
        return bool(self.database or self.cache or self.load_balancers or self.egress
                    or self.observability)  # fmt: skip

    def validate(self) -> None:
        numbers = (
            self.db_storage_gb,
            self.cache_gb,
            self.cache_ecpu_per_request,
            self.request_kb,
            self.response_kb,
            self.new_connections_per_request,
            self.log_kb_per_request,
            self.log_retention_months,
        )
        if not all(math.isfinite(x) and x >= 0 for x in numbers):
            raise ModelError("the platform lines' sizes must be finite numbers, 0 or more")
        for value, what in ((self.db_replicas, "read replicas"), (self.load_balancers,
                                                                  "load balancers")):  # fmt: skip
            if not (math.isfinite(value) and float(value).is_integer() and value >= 0):
                raise ModelError(f"{what} must be a whole number, 0 or more")
        if self.observability not in ("", *OBSERVABILITY):
            raise ModelError(f"observability must be one of {', '.join(OBSERVABILITY)}, or none")


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
    separation_months: float = SEPARATION_MONTHS  # salary paid to each engineer a hire replaces
    hires_per_year: float = 0.0  # team growth: engineers added a year, evenly, month by month
    current_stack: str = ""  # the stack the team runs today: the baseline, when compared
    # Figures of yours in place of the set's (yours.py), e.g. {"stack:go:rps_per_vcpu": 5000.0}
    your_figures: Mapping[str, float] = field(default_factory=dict)
    instance: str = "c7i-xlarge"
    # A pricing model of figures.PRICING_MODELS (section 7d); the discount is a further one on
    # top of it (an enterprise agreement, say), or the whole of it on demand.
    pricing: str = "on_demand"
    # How the services run (figures.HOSTING_MODELS, section 7e): instances of the type above,
    # containers of this size, or functions of this memory with a share of cold starts.
    hosting: str = "instances"
    container_vcpu: float = 1.0
    container_gb: float = 2.0
    function_memory_mb: float = 1769.0  # a full vCPU on AWS Lambda
    cold_start_pct: float = 1.0  # of requests
    commitment_discount_pct: float = 0.0
    target_utilisation_pct: float = 60.0
    min_replicas: int = 2
    autoscaling: bool = True
    cost_of_delay: float = 0.0  # USD per month of later launch
    # A year, for the present values (docs/model.md section 12); every other figure is nominal.
    discount_rate_pct: float = 0.0
    # The platform lines' sizes (section 7b): priced only with a set that has platform prices.
    platform: Platform = Platform()

    def validate(self) -> None:
        checks = [
            (self.peak_rps > 0, "peak RPS must be above zero"),
            (0 < self.avg_to_peak <= 1, "average-to-peak ratio must be above 0 and at most 1"),
            (self.growth_pct > -100, "monthly growth must be above -100%"),
            (self.horizon_months >= 1, "the horizon must be at least one month"),
            (self.app_cpu_ms >= 0 and self.io_wait_ms >= 0, "times per request can't be negative"),
            (self.team_size >= 1, "the team needs at least one engineer"),
            (self.policy in POLICIES, f"policy must be one of {', '.join(POLICIES)}"),
            (self.pricing in PRICING_MODELS, f"pricing must be one of {', '.join(PRICING_MODELS)}"),
            (self.hosting in HOSTING_MODELS, f"hosting must be one of {', '.join(HOSTING_MODELS)}"),
            (
                self.container_vcpu > 0 and self.container_gb > 0,
                "a container needs vCPU and memory",
            ),
            (self.function_memory_mb > 0, "a function needs memory"),
            (0 <= self.cold_start_pct <= 100, "the share of cold starts must be from 0 to 100%"),
            (
                self.hosting != "functions" or self.pricing == "on_demand",
                "functions are priced "
                "on demand (a Lambda Savings Plan has only an 'up to 17%' figure); a further "
                "discount of your own still applies",
            ),
            (0 <= self.commitment_discount_pct < 100, "discount must be from 0 to under 100%"),
            (0 < self.target_utilisation_pct <= 100, "target utilisation must be 1 to 100%"),
            (self.min_replicas >= 0, "minimum replicas can't be negative"),
            (self.cost_of_delay >= 0, "cost of delay can't be negative"),
            (self.separation_months >= 0, "separation pay can't be negative"),
            (self.hires_per_year >= 0, "team growth can't be negative"),
            (0 <= self.discount_rate_pct <= 100, "the discount rate must be from 0 to 100% a year"),
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
            self.container_vcpu,
            self.container_gb,
            self.function_memory_mb,
            self.cold_start_pct,
            self.target_utilisation_pct,
            self.cost_of_delay,
            self.separation_months,
            self.hires_per_year,
            self.discount_rate_pct,
        ]
        if not all(math.isfinite(x) for x in numbers):
            raise ModelError("every input must be a finite number")
        self.platform.validate()


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
        return list(
            map(
                bound,
                self.instances.tolist(),
                self.cpu_instances.tolist(),
                self.memory_instances.tolist(),
            )
        )

    @property
    def bound_at_end(self) -> str:
        """``bound_by`` of the last month, which the cards show, without the others."""
        return bound(
            float(self.instances[-1]),
            float(self.cpu_instances[-1]),
            float(self.memory_instances[-1]),
        )


def bound(instances: float, cpu_instances: float, memory_instances: float) -> str:
    """What set a month's instance count: "cpu", "memory" or "replicas"."""
    if instances > max(cpu_instances, memory_instances):
        return "replicas"  # only the replica floor can lift the count above both
    return "memory" if memory_instances > cpu_instances else "cpu"


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
    # The same at the scenario's discount rate (docs/model.md section 12): at 0, the nominal.
    present_cumulative: np.ndarray = field(init=False)
    present_total: float = field(init=False)
    present_saving: float = 0.0
    present_break_even_month: int | None = None
    # Section 7b's lines, USD per month, by kernel.PLATFORM_LINES name (empty: none priced)
    platform: dict[str, np.ndarray] = field(default_factory=dict)

    def __post_init__(self) -> None:
        # A row per category makes each sum one numpy call. The ufuncs' own reduce and accumulate
        # skip the Python layer of ndarray.sum() and cumsum(), which costs more than the sums.
        lines = np.array([self.categories[c] for c in CATEGORIES])
        self.total = np.add.reduce(lines)
        self.cumulative = np.add.accumulate(self.total)
        self.totals = dict(zip(CATEGORIES, np.add.reduce(lines, axis=1).tolist(), strict=True))
        self.horizon_total = float(self.cumulative[-1])
        self.present_cumulative, self.present_total = self.cumulative, self.horizon_total

    @property
    def name(self) -> str:
        return self.option.name

    @property
    def framework_share(self) -> float | None:
        """The compute line's share of the infrastructure bill (compute and platform) over the
        horizon: how much of it the choice of stack sizes. None without platform lines."""
        if not self.platform:
            return None
        bill = self.totals["infrastructure"] + self.totals["platform"]
        return self.totals["infrastructure"] / bill if bill else None


@dataclass(slots=True)
class Result:
    inputs: Inputs
    assumptions_label: str
    months: np.ndarray
    peak_rps: np.ndarray
    requests: np.ndarray  # requests served per month
    options: list[OptionResult]
    baseline_index: int = 0  # the current stack's option when compared, else the first
    notes: list[str] = field(default_factory=list)  # what the reader should know about inputs
    # What its infrastructure includes, with platform prices (also a note); "" without them.
    infrastructure_note: str = ""

    @property
    def baseline(self) -> OptionResult:
        return self.options[self.baseline_index]

    @property
    def categories(self) -> tuple[str, ...]:
        """The cost categories to show: "platform" only when some option has platform lines
        (a set without platform prices, or every line off, costs what it did before them)."""
        if any(o.platform for o in self.options):
            return CATEGORIES
        return COMPUTE_ONLY

    @property
    def cheapest(self) -> OptionResult:
        return min(self.options, key=lambda o: o.horizon_total)

    def monthly_frame(self):
        """The monthly table, one row per option and month, as a pandas DataFrame."""
        import pandas as pd

        frames = []
        for opt in self.options:
            frame = {"option": opt.name, "month": self.months, "peak_rps": self.peak_rps}
            frame.update({c: opt.categories[c] for c in self.categories})
            frame["total"] = opt.total
            frame["cumulative"] = opt.cumulative
            frames.append(pd.DataFrame(frame))
        return pd.concat(frames, ignore_index=True)


def compute(
    inputs: Inputs, options: Sequence[Option], assumptions: Assumptions, *, explain: bool = True
) -> Result:
    """Cost every option over the horizon. Raises ModelError with a reason on bad input.

    Each option carries its workings (``steps``) unless ``explain`` is false: they are a tenth
    of the work, and a page that fetches them later does not need them now.
    """
    inputs.validate()
    assumptions = yours.apply(assumptions, inputs.your_figures, inputs.market)
    if not options:
        raise ModelError("choose at least one option to compare")
    names = [o.name for o in options]
    if len(set(names)) != len(names):
        raise ModelError("each option needs its own name")
    for option in options:
        checks.check_option(option, assumptions)
        checks.check_engineers(option, inputs.team_size)
        checks.check_figures(option, inputs, assumptions)
    checks.check_platform(inputs, assumptions)
    checks.check_pricing(inputs, assumptions)
    checks.check_hosting(inputs, options, assumptions)
    if inputs.current_stack:
        assumptions.stack(inputs.current_stack)  # raises MissingAssumption, a ModelError

    horizon = int(inputs.horizon_months)
    months = np.arange(1, horizon + 1)
    # Overflow is caught below and reported as a ModelError rather than as a numpy warning.
    with np.errstate(over="ignore"):
        peak = kernel.peak_traffic(inputs, inputs.peak_rps)
        if not np.isfinite(peak).all():
            raise ModelError("traffic grows past any finite number within the horizon")
        requests = peak * inputs.avg_to_peak * SECONDS_PER_MONTH
        params = kernel.base_params(inputs, options, assumptions)
        rows, costs = kernel.cost(inputs, options, assumptions, params, peak)
        fastest = min(c.weeks for c in costs)
        results = [
            _option_result(o, c, rows, inputs, assumptions, fastest, explain)
            for o, c in zip(options, costs, strict=True)
        ]
        baseline = baseline_index(inputs, options)
        _discount(results, inputs.discount_rate_pct)
        _compare(results, results[baseline], requests, peak)
    checks.check_finite(results, requests)
    includes = notes.infrastructure_note(results, assumptions, inputs.hosting)  # section 7c
    return Result(
        inputs=inputs,
        assumptions_label=assumptions.label,
        months=months,
        peak_rps=peak,
        requests=requests,
        options=results,
        baseline_index=baseline,
        notes=[
            *notes.all_notes(inputs, options, baseline, assumptions, peak),
            *filter(None, [includes]),
        ],
        infrastructure_note=includes,
    )


def baseline_index(inputs: Inputs, options: Sequence[Option]) -> int:
    """The option the others are measured against: the team's current stack on its own, when
    it is compared; otherwise the first option."""
    for i, option in enumerate(options):
        if not option.is_mix and option.services[0].stack == inputs.current_stack:
            return i
    return 0


def _option_result(option, costs, rows, inputs, a, fastest, explain) -> OptionResult:
    services = []
    for service, i in zip(option.services, costs.rows, strict=True):
        stack = a.stack(service.stack)
        services.append(
            ServiceResult(
                service=service,
                stack_name=stack.name,
                language=stack.language,
                cpu_seconds_per_request=rows.cpu_seconds[i],
                instances=rows.instances[i],
                infrastructure=rows.infrastructure[i],
                cpu_instances=rows.cpu_instances[i],
                memory_instances=rows.memory_instances[i],
            )
        )
    steps = option_steps(option, costs, rows, fastest, inputs, a, Step) if explain else []
    return OptionResult(
        option=option,
        categories=costs.categories,
        services=services,
        weeks_to_first_api=costs.weeks,
        steps=steps,
        platform=costs.platform,
    )


def _compare(
    results: list[OptionResult], baseline: OptionResult, requests: np.ndarray, peak: np.ndarray
) -> None:
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
        r.present_saving = baseline.present_total - r.present_total
        if r.present_cumulative is r.cumulative:  # no discount rate: the nominal figures
            r.present_break_even_month = r.break_even_month
        else:
            r.present_break_even_month = (
                None
                if r is baseline
                else break_even_month(r.present_cumulative, baseline.present_cumulative)
            )


def _discount(results: list[OptionResult], rate_pct: float) -> None:
    """Each option's cumulative cost in today's money; left as the nominal one at 0%."""
    if not rate_pct:
        return
    factors = kernel.discount_factors(rate_pct, len(results[0].total))
    for r in results:
        r.present_cumulative = np.add.accumulate(r.total * factors)
        r.present_total = float(r.present_cumulative[-1])


def break_even_month(cumulative: np.ndarray, baseline: np.ndarray) -> int | None:
    """First month (1-based) from which ``cumulative`` stays at or below ``baseline``."""
    # A cent of tolerance: sums of the same costs in another order differ in the last bits.
    ahead = cumulative <= baseline + 0.01
    if not ahead[-1]:
        return None
    (behind,) = (~ahead).nonzero()
    return int(behind[-1]) + 2 if behind.size else 1
