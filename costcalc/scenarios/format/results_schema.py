"""The results JSON as pydantic models: the API's OpenAPI schema for it, checked on output."""

from __future__ import annotations

from pydantic import BaseModel, Field, create_model

from costcalc import engine

from .schema import Scenario


class Categories(BaseModel):
    """USD by cost category (engine.CATEGORIES)."""

    infrastructure: float = Field(description="Compute: the fleet's instance-hours.")
    platform: float = Field(
        description="Platform services: managed database, cache, load balancer, internet "
        "egress, observability (docs/model.md section 7b); 0 without platform lines."
    )
    engineering: float = Field(description="Engineering salaries.")
    people: float = Field(description="Hiring and retraining.")
    delay: float = Field(description="Cost of later launch.")


def month_model(name: str, first: dict, lines: tuple[str, ...], last: tuple[str, ...]):
    """A month of a monthly series: ``first``, USD by line (in the engine's order), ``last``."""
    usd = {line: (float, ...) for line in (*lines, *last)}
    return create_model(name, month=(int, ...), **first, **usd)


Month = month_model("Month", {"peak_rps": (float, ...)}, engine.CATEGORIES, ("total", "cumulative"))


class ServiceOut(BaseModel):
    stack: str
    stack_name: str
    language: str
    label: str
    share_pct: float
    app_cpu_ms: float | None = Field(description="null: the scenario's app_cpu_ms.")
    io_wait_ms: float | None = Field(description="null: the scenario's io_wait_ms.")
    cpu_seconds_per_request: float
    infrastructure: float = Field(description="USD over the horizon.")
    instances: list[int] = Field(description="Billed instances, month by month.")
    bound_by: list[str] = Field(description="What set the count each month: cpu, memory, replicas.")


class OptionOut(BaseModel):
    name: str
    services: list[ServiceOut]
    totals: Categories
    horizon_total: float
    saving_vs_baseline: float = Field(description="USD; negative when it costs more.")
    saving_pct: float
    break_even_month: int | None = Field(
        description="First month from which it stays at or below the baseline's cumulative "
        "cost; null for the baseline and when not within the horizon."
    )
    infra_per_100k_rps: float = Field(description="USD per month per 100,000 peak RPS.")
    infra_per_million_requests: float
    cost_per_million_requests: float
    weeks_to_first_api: float
    platform_lines: dict[str, float] = Field(
        description="USD over the horizon by platform line (database, cache, load_balancer, "
        "egress, observability); empty without platform lines."
    )
    framework_share_pct: float | None = Field(
        description="Compute's share of the infrastructure bill (compute and platform), %: "
        "how much of it the stack decides. null without platform lines."
    )
    monthly: list[Month]


MigrationMonth = month_model(
    "MigrationMonth",
    {
        "staying": (float, Field(description="USD: the current option's total this month.")),
        "migrating": (float, Field(description="USD: the sum of the migrating path's lines.")),
    },
    engine.MIGRATION_LINES,
    ("staying_cumulative", "migrating_cumulative"),
)


class MigrationLines(Categories):
    """USD over the horizon on the migrating path, by line (engine.MIGRATION_LINES)."""

    rewrite: float = Field(description="The rewrite effort at the target's loaded rate.")


class MigrationOut(BaseModel):
    """Moving from one option to another: staying against migrating (docs/model.md)."""

    from_: int = Field(alias="from", description="Index of the option run now.")
    to: int = Field(description="Index of the option migrated to.")
    current: str = Field(description="The option run now (its name).")
    target: str = Field(description="The option migrated to (its name).")
    effort_weeks: float = Field(description="Engineer-weeks of rewriting.")
    rewrite_months: float = Field(description="Months until the target runs in production.")
    overlap_months: float = Field(description="Months of running both after the rewrite.")
    weekly_rate: float = Field(description="USD per engineer-week in the target's languages.")
    rewrite_cost: float = Field(description="USD: effort x weekly rate.")
    staying_total: float = Field(description="USD over the horizon staying on the current one.")
    migrating_total: float = Field(description="USD over the horizon migrating.")
    saving: float = Field(description="staying_total - migrating_total; negative: it costs more.")
    break_even_month: int | None = Field(
        description="First month from which migrating's cumulative cost stays at or below "
        "staying's; null when not within the horizon."
    )
    totals: MigrationLines
    monthly: list[MigrationMonth]


class SetRef(BaseModel):
    slug: str
    version: int
    name: str
    as_of: str = Field(description="ISO date the set's figures describe.")


class PresentOption(BaseModel):
    name: str
    horizon_total: float = Field(
        description="USD in today's money: the sum of total(m) x (1 + rate)^(-(m - 1)/12)."
    )
    saving_vs_baseline: float = Field(description="The baseline's horizon_total minus this one.")
    break_even_month: int | None = Field(
        description="First month from which its discounted cumulative cost stays at or below "
        "the baseline's; null for the baseline and when not within the horizon."
    )


class PresentValue(BaseModel):
    """The totals and break-even discounted at the scenario's discount_rate_pct."""

    rate_pct: float = Field(description="The annual discount rate, %.")
    label: str = Field(examples=["present value at 8%/year"])
    options: list[PresentOption]


class DisplayOut(BaseModel):
    """The scenario's display currency (inputs.currency): the rate and the converted totals."""

    currency: str = Field(examples=["EUR"])
    per_usd: float = Field(description="Units of the currency per US dollar (1 for USD).")
    rate_date: str | None = Field(description="ISO date of the reference rate; null for USD.")
    source: str | None = Field(description="Where the rate is from; null for USD.")
    note: str | None = Field(description="The sentence the page shows; null for USD.")
    options: list[dict] = Field(
        description="Each option's name and its amounts in the currency: horizon_total, "
        "totals by category, saving_vs_baseline (and present_total with a discount rate), "
        "or for the insight its p10, p50 and p90."
    )
    migration: dict[str, float] | None = Field(
        None,
        description="With a migration: its rewrite_cost, staying_total, migrating_total and "
        "saving in the currency (the results' migration keeps US dollars).",
    )


class CalculateOut(BaseModel):
    """The results JSON: what calculate answers and `tco --format json` prints."""

    assumption_set: SetRef = Field(description="The exact set and version used.")
    currency: str = Field(description="Of every amount here: the set's, USD.")
    display: DisplayOut
    horizon: int = Field(description="Months.")
    baseline: str
    cheapest: str
    notes: list[str] = Field(
        description="What to know about the inputs: figures of yours in use, a team the "
        "language counts do not cover, how a mix's engineers were placed, a current stack "
        "not compared."
    )
    options: list[OptionOut]
    migration: MigrationOut | None = Field(
        description="The scenario's migration computed on these results; null for none."
    )
    present_value: PresentValue | None = Field(
        default=None,
        description="The totals and break-even in today's money; null when discount_rate_pct "
        "is 0 (they are the nominal figures then).",
    )
    scenario: Scenario = Field(
        description="The scenario as computed: defaults filled in, version pinned. Sending it "
        "again gives the same figures."
    )
