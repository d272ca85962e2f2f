"""The sourced figures, once: what each is called, its unit, whether the insight varies it.

Every figure an assumption set gives for a stack, for a market rate (per language) and for an
instance type is listed here. The model's range checks and the insight's uncertain variables
are read from these tables, so a new figure is added in one place.
"""

from __future__ import annotations

from dataclasses import dataclass, replace


@dataclass(frozen=True, slots=True)
class FigureSpec:
    name: str  # attribute of Stack, MarketRate or InstanceType
    words: str  # for sentences: "FastAPI's {words}", "the {words} of Go engineers in ..."
    unit: str  # drives value_text() formatting in the insight
    shown: tuple[str, int]  # as the set pages and the API list it: (unit in words, most
    # decimals; trailing zeros are dropped)
    varies: bool = True  # drawn in the Monte Carlo and swung in the tornado (docs/insight.md)
    check_words: str = ""  # how compute()'s range check names it (default: the words)
    positive: bool = False  # must be above zero (a divisor), not just zero or more
    owner: str = ""  # "stack", "rate" or "instance": set by the table it is in

    def __post_init__(self) -> None:
        if not self.check_words:
            object.__setattr__(self, "check_words", self.words)


def _table(owner: str, *specs: FigureSpec) -> dict[str, FigureSpec]:
    return {s.name: replace(s, owner=owner) for s in specs}


# In the order compute() checks them, which is the order its error for the first bad one
# depends on.
STACK_FIGURES = _table(
    "stack",
    FigureSpec("rps_per_vcpu", "requests per second per vCPU", "req/s", ("requests/s per vCPU", 1),
               check_words="requests per vCPU", positive=True),
    FigureSpec("cpu_multiplier", "CPU multiplier vs Go", "x", ("× Go", 2),
               check_words="CPU multiplier"),
    FigureSpec("memory_per_process_mb", "memory per process", "MB", ("MB", 1)),
    FigureSpec("memory_per_inflight_kb", "memory per in-flight request", "KB", ("KB", 1)),
    # A deployment choice, not an uncertain estimate.
    FigureSpec("workers_per_vcpu", "workers per vCPU", "", ("per vCPU", 2), varies=False),
    FigureSpec("weeks_to_first_api", "weeks to first production API", "weeks", ("weeks", 2)),
)  # fmt: skip
RATE_FIGURES = _table(
    "rate",
    FigureSpec("annual_salary", "annual salary", "USD/year", ("USD per year", 0)),
    FigureSpec("loaded_multiplier", "loaded-cost multiplier", "x", ("× salary", 2)),
    FigureSpec("recruiting_fee_pct", "recruiting fee", "%", ("% of salary", 1)),
    FigureSpec("time_to_fill_days", "time to fill a seat", "days", ("days", 1),
               check_words="time to fill"),
    FigureSpec("ramp_up_weeks", "weeks of ramp-up into a new language", "weeks", ("weeks", 2),
               check_words="ramp-up weeks"),
)  # fmt: skip
# The instance's price is the one instance figure with a source and a range; vcpu and memory
# are the type's definition (plain numbers, checked but never varied).
(INSTANCE_PRICE,) = _table(
    "instance", FigureSpec("price_per_hour", "price per hour", "USD/h", ("USD per hour", 5))
).values()
ALL_FIGURES = {**STACK_FIGURES, **RATE_FIGURES, INSTANCE_PRICE.name: INSTANCE_PRICE}
# name: (unit in words, most decimals), for every sourced figure.
FIGURE_UNITS = {name: f.shown for name, f in ALL_FIGURES.items()}

# The platform lines' prices (docs/model.md section 7b): each a row of the set named by its slug,
# with its own unit; the engine reads these slugs, and a database line the "database" row the
# scenario chooses. Each row has one figure, its value.
PLATFORM_VALUE = FigureSpec("value", "value", "", ("", 6), owner="platform")
FIGURE_UNITS[PLATFORM_VALUE.name] = PLATFORM_VALUE.shown  # the row's own unit is beside it
# The rows of the set the engine reads by slug, each with its kind: slug: (kind, what it is, in
# words). The platform lines' from version 3 of the shipped sets, the pricing and hosting
# models' from version 4.
SET_ROWS = {
    "db-storage-gb-month": ("storage", "managed database storage"),
    "cache-gb-hour": ("cache", "cache data stored"),
    "cache-minimum-gb": ("cache", "cache data billed at least"),
    "cache-ecpu-million": ("cache", "cache processing per million ECPU"),
    "lb-hour": ("load-balancer", "load balancer hour"),
    "lb-lcu-hour": ("load-balancer", "load balancer capacity unit hour"),
    "egress-free-gb": ("egress", "internet egress free each month"),
    "egress-tier-1": ("egress", "internet egress price up to 10 TB"),
    "egress-tier-2": ("egress", "internet egress price for the next 40 TB"),
    "egress-tier-3": ("egress", "internet egress price for the next 100 TB"),
    "egress-tier-4": ("egress", "internet egress price over 150 TB"),
    "obs-host-month": ("observability", "infrastructure monitoring per host"),
    "obs-apm-host-month": ("observability", "APM per host"),
    "obs-log-ingest-gb": ("observability", "log ingestion per GB"),
    "obs-log-storage-gb-month": ("observability", "log storage per GB-month"),
    # Pricing models (section 7d), per provider: the discount off on demand of a 1- and a
    # 3-year commitment and of spot capacity, and spot's overhead.
    "aws-commit-1yr": ("pricing", "AWS 1-year commitment discount"),
    "aws-commit-3yr": ("pricing", "AWS 3-year commitment discount"),
    "aws-spot": ("pricing", "AWS spot discount"),
    "gcp-commit-1yr": ("pricing", "GCP 1-year committed-use discount"),
    "gcp-commit-3yr": ("pricing", "GCP 3-year committed-use discount"),
    "gcp-spot": ("pricing", "GCP spot discount"),
    "spot-overhead": ("pricing", "spot interruption overhead"),
    # Hosting models (section 7e): containers per vCPU-hour and GB-hour (AWS Fargate),
    # functions per request and GB-second (AWS Lambda); each stack's cold start is COLD_START.
    "aws-container-vcpu-hour": ("containers", "container vCPU-hour"),
    "aws-container-gb-hour": ("containers", "container GB-hour"),
    "aws-function-gb-second": ("functions", "function GB-second"),
    "aws-function-million-requests": ("functions", "function requests, per million"),
    "aws-function-mb-per-vcpu": ("functions", "function memory per full vCPU"),
}
MODEL_KINDS = ("pricing", "containers", "functions")  # the rows version 4 added
PLATFORM_PRICES = {slug: row for slug, row in SET_ROWS.items() if row[0] not in MODEL_KINDS}
# The scenario's choices, each in words.
PRICING_MODELS = {
    "on_demand": "on demand",
    "commit_1yr": "1-year commitment",
    "commit_3yr": "3-year commitment",
    "spot": "spot",
}
HOSTING_MODELS = {h: h for h in ("instances", "containers", "functions")}
COLD_START = "cold-start-"  # + a stack's slug: its cold start in ms (kind "functions")
PLATFORM_KINDS = {
    "database": "Managed database instance",
    "storage": "Database storage",
    "cache": "Cache",
    "load-balancer": "Load balancer",
    "egress": "Internet egress",
    "observability": "Observability",
    "pricing": "Pricing model",
    "containers": "Containers",
    "functions": "Functions",
}
