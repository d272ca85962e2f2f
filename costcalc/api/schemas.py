"""What the API's endpoints answer, as pydantic models: their OpenAPI schema, checked on output.

The scenario (what it reads, and ScenarioToSave for saving one) and the results JSON are the
scenario format's (costcalc/scenarios/format/), shared with the command line and the exports.
"""

from __future__ import annotations

import dataclasses
from typing import Any, get_type_hints

from pydantic import BaseModel, Field, create_model

from costcalc import engine
from costcalc.engine.figures import ALL_FIGURES
from costcalc.scenarios.format import CalculateOut, MigrationOut, Scenario, SetRef


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


# An instance type as the engine defines it (slug, name, provider, region, vCPU, memory), then
# its sourced figures: the fields are the engine dataclass's, so the two cannot drift apart.
INSTANCE_DEFINITION = tuple(
    f.name for f in dataclasses.fields(engine.InstanceType) if f.name not in ALL_FIGURES
)
InstanceOut = create_model(
    "InstanceOut",
    **{name: (get_type_hints(engine.InstanceType)[name], ...) for name in INSTANCE_DEFINITION},
    figures=(dict[str, FigureOut], ...),
)


class PlatformPriceOut(BaseModel):
    slug: str = Field(examples=["rds-pg-r8g-large"])
    name: str
    kind: str = Field(
        description="database, storage, cache, load-balancer, egress or observability"
    )
    unit: str = Field(description="The value's unit, in words.", examples=["USD per hour"])
    provider: str
    region: str
    figures: dict[str, FigureOut]


class ExchangeRateOut(BaseModel):
    currency: str = Field(examples=["GBP"])
    per_euro: float = Field(description="Units of the currency one euro buys, as quoted.")
    date: str = Field(description="The day the reference rate is for (ISO).")
    source: str = Field(description="Key into the set's sources.")


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
    platform_prices: list[PlatformPriceOut] = Field(
        description="The platform lines' prices (managed database, cache, load balancer, "
        "egress, observability); none: the set's infrastructure is compute only."
    )
    exchange_rates: list[ExchangeRateOut] = Field(
        description="The reference rates a display currency converts at (inputs.currency): "
        "display only, every figure above is in US dollars."
    )
    sources: list[SourceOut]


ERRORS: dict[int, Any] = {status: ErrorOut for status in (400, 404, 413, 422, 500)}
SAVE_ERRORS: dict[int, Any] = {**ERRORS, **{status: ErrorOut for status in (403, 415, 429)}}
INSIGHT_ERRORS: dict[int, Any] = {**ERRORS, 429: ErrorOut}
