"""What the API answers, as pydantic models: they are its OpenAPI schema and are checked on output.

The scenario (what it reads, and ScenarioToSave for saving one) is in scenario.py, shared with
the command line.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from .scenario import Scenario


class Problem(BaseModel):
    loc: list[str | int] = Field(
        description="JSON path of the value at fault, from the document's root; [] for the "
        "whole document. Query parameters are under ['query', name]."
    )
    msg: str
    type: str


class ErrorOut(BaseModel):
    detail: str
    errors: list[Problem]


class SetRef(BaseModel):
    slug: str
    version: int
    name: str
    as_of: str = Field(description="ISO date the set's figures describe.")


class Categories(BaseModel):
    """USD by cost category (engine.CATEGORIES)."""

    infrastructure: float
    engineering: float = Field(description="Engineering salaries.")
    people: float = Field(description="Hiring and retraining.")
    delay: float = Field(description="Cost of later launch.")


class Month(BaseModel):
    month: int
    peak_rps: float
    infrastructure: float
    engineering: float
    people: float
    delay: float
    total: float
    cumulative: float


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
    monthly: list[Month]


class MigrationMonth(BaseModel):
    month: int
    staying: float = Field(description="USD: the current option's total this month.")
    migrating: float = Field(description="USD: the sum of the migrating path's lines.")
    rewrite: float
    infrastructure: float
    engineering: float
    people: float
    delay: float
    staying_cumulative: float
    migrating_cumulative: float


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


class CalculateOut(BaseModel):
    assumption_set: SetRef = Field(description="The exact set and version used.")
    horizon: int = Field(description="Months.")
    baseline: str
    cheapest: str
    options: list[OptionOut]
    migration: MigrationOut | None = Field(
        description="The scenario's migration computed on these results; null for none."
    )
    scenario: Scenario = Field(
        description="The scenario as computed: defaults filled in, version pinned. Sending it "
        "again gives the same figures."
    )


class SavedOut(BaseModel):
    slug: str = Field(description="The link's code: /s/<slug>/ on the site.")
    url: str = Field(description="The scenario's page (absolute), the share link.")
    title: str
    assumption_set: SetRef = Field(description="The exact set and version pinned.")
    results: CalculateOut = Field(description="What calculate answers for the same scenario.")


class SavedDetail(BaseModel):
    slug: str
    url: str = Field(description="The scenario's page (absolute), the share link.")
    title: str
    description: str
    created_at: str = Field(description="When it was saved (ISO 8601).")
    assumption_set: SetRef = Field(description="The exact set and version pinned.")
    scenario: Scenario = Field(
        description="The saved inputs as a scenario, every default given and the version "
        "pinned: send it to calculate (or, with a title, to save it again)."
    )
    results: CalculateOut = Field(
        description="Computed again from the saved inputs and the pinned, unchanging set."
    )
    migration: MigrationOut | None = Field(
        description="The migration saved with it (on the page or in the API), as in "
        "results.migration; null for none."
    )


class SetSummary(SetRef):
    summary: str
    newest: bool = Field(description="Whether this is the newest published version.")
    url: str = Field(description="This version in the API.")
    page: str = Field(description="This version's public page.")


class SetList(BaseModel):
    assumption_sets: list[SetSummary]


class FigureOut(BaseModel):
    value: float
    low: float | None
    high: float | None
    unit: str
    source: str = Field(description="Key into the set's sources.")


class StackOut(BaseModel):
    slug: str
    name: str
    language: str
    figures: dict[str, FigureOut]


class RateOut(BaseModel):
    language: str
    figures: dict[str, FigureOut]


class MarketOut(BaseModel):
    slug: str
    name: str
    rates: list[RateOut]


class InstanceOut(BaseModel):
    slug: str
    name: str
    provider: str
    region: str
    vcpu: float
    memory_gb: float
    figures: dict[str, FigureOut]


class SourceOut(BaseModel):
    key: str
    title: str
    url: str
    publisher: str
    date: str
    note: str


class SetDetail(SetRef):
    summary: str
    notes: str
    versions: list[int] = Field(description="Every published version of this set.")
    page: str
    stacks: list[StackOut]
    markets: list[MarketOut]
    instance_types: list[InstanceOut]
    sources: list[SourceOut]


ERRORS: dict[int, Any] = {400: ErrorOut, 404: ErrorOut, 422: ErrorOut}
SAVE_ERRORS: dict[int, Any] = {**ERRORS, 429: ErrorOut}
