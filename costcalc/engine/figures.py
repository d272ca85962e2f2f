"""The sourced figures, once: what each is called, its unit, whether the insight varies it.

Every figure an assumption set gives for a stack, for a market rate (per language) and for an
instance type is listed here. The model's range checks and the insight's uncertain variables
are read from these tables, so a new figure is added in one place.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class FigureSpec:
    name: str  # attribute of Stack, MarketRate or InstanceType
    owner: str  # "stack", "rate" or "instance"
    words: str  # for sentences: "FastAPI's {words}", "the {words} of Go engineers in ..."
    unit: str  # drives value_text() formatting in the insight
    varies: bool  # drawn in the Monte Carlo and swung in the tornado (docs/insight.md)
    check_words: str  # how compute()'s range check names it when it is out of range
    shown: tuple[str, int] = ("", 4)  # as the set pages and the API list it: (unit in words,
    # most decimals; trailing zeros are dropped)
    positive: bool = False  # must be above zero (a divisor), not just zero or more


def _table(*specs: FigureSpec) -> dict[str, FigureSpec]:
    return {s.name: s for s in specs}


# In the order compute() checks them, which is the order its error for the first bad one
# depends on.
STACK_FIGURES = _table(
    FigureSpec("rps_per_vcpu", "stack", "requests per second per vCPU", "req/s", True,
               "requests per vCPU", ("requests/s per vCPU", 1), positive=True),
    FigureSpec("cpu_multiplier", "stack", "CPU multiplier vs Go", "x", True, "CPU multiplier",
               ("× Go", 2)),
    FigureSpec("memory_per_process_mb", "stack", "memory per process", "MB", True,
               "memory per process", ("MB", 1)),
    FigureSpec("memory_per_inflight_kb", "stack", "memory per in-flight request", "KB", True,
               "memory per in-flight request", ("KB", 1)),
    # A deployment choice, not an uncertain estimate.
    FigureSpec("workers_per_vcpu", "stack", "workers per vCPU", "", False, "workers per vCPU",
               ("per vCPU", 2)),
    FigureSpec("weeks_to_first_api", "stack", "weeks to first production API", "weeks", True,
               "weeks to first production API", ("weeks", 2)),
)  # fmt: skip
RATE_FIGURES = _table(
    FigureSpec("annual_salary", "rate", "annual salary", "USD/year", True, "annual salary",
               ("USD per year", 0)),
    FigureSpec("loaded_multiplier", "rate", "loaded-cost multiplier", "x", True,
               "loaded-cost multiplier", ("× salary", 2)),
    FigureSpec("recruiting_fee_pct", "rate", "recruiting fee", "%", True, "recruiting fee",
               ("% of salary", 1)),
    FigureSpec("time_to_fill_days", "rate", "time to fill a seat", "days", True, "time to fill",
               ("days", 1)),
    FigureSpec("ramp_up_weeks", "rate", "weeks of ramp-up into a new language", "weeks", True,
               "ramp-up weeks", ("weeks", 2)),
)  # fmt: skip
# The instance's price is the one instance figure with a source and a range; vcpu and memory
# are the type's definition (plain numbers, checked but never varied).
INSTANCE_PRICE = FigureSpec(
    "price_per_hour", "instance", "price per hour", "USD/h", True, "price per hour",
    ("USD per hour", 5),
)  # fmt: skip
ALL_FIGURES = {**STACK_FIGURES, **RATE_FIGURES, INSTANCE_PRICE.name: INSTANCE_PRICE}
# name: (unit in words, most decimals), for every sourced figure.
FIGURE_UNITS = {name: f.shown for name, f in ALL_FIGURES.items()}
