"""The insight JSON (insight.py) as pydantic models: the API's OpenAPI schema for it, checked
on output."""

from __future__ import annotations

from pydantic import BaseModel, Field

from .results_schema import DisplayOut, SetRef
from .schema import Scenario


class Crossover(BaseModel):
    from_: str = Field(alias="from", description="The option cheapest just below.")
    to: str = Field(description="The option cheapest just above.")
    rps: float = Field(description="Peak RPS in month 1 from which `to` is cheaper.")
    below_rps: float = Field(description="The bracket's lower end, where `from` still was.")
    total: float = Field(description="USD: `to`'s horizon total at `rps`.")
    label: str = Field(
        description="The sentence the page shows.",
        examples=["Go net/http becomes cheapest above about 778,000 RPS"],
    )


class Traffic(BaseModel):
    your_rps: float = Field(description="The scenario's peak RPS.")
    rps: list[float] = Field(description="The grid of peak RPS (log-spaced) the page charts.")
    totals: dict[str, list[float]] = Field(
        description="Option name -> its horizon total (USD) at each point of `rps`."
    )
    cheapest_throughout: str | None = Field(
        description="The option cheapest across the whole grid; null when there are crossovers."
    )
    crossovers: list[Crossover]
    tolerance: float = Field(description="Crossovers are found to this share of the RPS.")


class Band(BaseModel):
    p10: float
    p50: float
    p90: float


class BandMonth(Band):
    month: int


class OptionBand(BaseModel):
    name: str
    base: float = Field(description="USD: the horizon total at every assumption's base.")
    p10: float = Field(description="USD: the horizon total's 10th percentile of the draws.")
    p50: float
    p90: float
    p_cheapest: float = Field(description="Share (0 to 1) of draws in which it is cheapest.")
    categories: dict[str, Band] = Field(
        description="Each category's own P10/P50/P90 of its horizon total (they do not add "
        "up to the total's)."
    )
    monthly: list[BandMonth] = Field(description="The cumulative cost's band, month by month.")


class Uncertainty(BaseModel):
    draws: int = Field(description="Monte Carlo draws: always the engine's 2,000.")
    seed: str = Field(
        description="The seed (hex), a hash of the inputs and the set's version.",
        examples=["d0d6e4d5d47660d6"],
    )
    variables: int = Field(description="Uncertain assumptions drawn.")
    sourced: int = Field(description="Of them, ranges from their sources (the rest ± spread).")
    default_spread: float = Field(description="The ± share given to a single figure.")
    options: list[OptionBand]


class Flip(BaseModel):
    direction: str = Field(description="'below' or 'above'.")
    value: float = Field(description="The runner-up is cheaper beyond this value.")


class Bar(BaseModel):
    key: str
    assumption: str = Field(description="The page's name for it.")
    label: str = Field(description="Its words in a sentence.")
    unit: str
    base: float
    low: float
    high: float
    sourced: bool = Field(description="Whether the range is its source's (else ± spread).")
    basis: str = Field(description="What the figure rests on when it is not a measurement.")
    difference_at_low: float = Field(description="USD: leader minus runner-up at the low end.")
    difference_at_high: float
    span: float
    flips: list[Flip] = Field(description="Where the order flips, others at base; [] never.")
    flip: str = Field(
        description="The page's sentence for the flips; empty for none.",
        examples=["FastAPI on Uvicorn is cheaper when below $125,972 a year"],
    )


class TornadoOut(BaseModel):
    leader: str
    runner_up: str
    base_difference: float = Field(description="USD: leader minus runner-up at base (<= 0).")
    bars: list[Bar] = Field(description="Largest swing first.")


class SetAnswer(BaseModel):
    key: str = Field(description="slug@version.")
    name: str
    in_use: bool
    cheapest: str | None
    error: str = Field(description="Why it does not compute under this set; empty if it does.")
    totals: dict[str, float] = Field(description="Option name -> horizon total, USD.")


class SetsOut(BaseModel):
    sets: list[SetAnswer] = Field(
        description="Each shipped set: the one in use, and the other's newest version."
    )
    difference_pct: dict[str, float | None] | None = Field(
        description="With two sets: option name -> the second set's total against the first's."
    )
    same_answer: bool | None = Field(description="With two sets: whether the cheapest agrees.")
    missing: list[str] = Field(description="Shipped sets not published here.")


class HostedOut(BaseModel):
    """One option on each hosting model (docs/model.md section 7e)."""

    name: str
    totals: dict[str, float] = Field(
        description="Total over the horizon on instances, containers and functions, USD."
    )
    cheapest: str = Field(examples=["containers"])
    containers_above_rps: float | None = Field(
        description="The starting peak RPS from which containers cost no more than functions "
        "at every larger traffic up to 1,000,000 (to 1%); null when they never do, or always."
    )
    functions_throughout: bool = Field(description="Functions cost less from 0.01 to 1e6 RPS.")
    label: str = Field(examples=["containers beat functions above about 330 RPS"])


class InsightOut(BaseModel):
    """What the page's "What decides it" panel shows, as numbers (docs/api.md, "Insight")."""

    assumption_set: SetRef = Field(description="The exact set and version used.")
    currency: str = Field(description="Of every amount here: the set's, USD.")
    display: DisplayOut
    horizon: int = Field(description="Months.")
    verdict: list[str] = Field(
        description="The verdict's sentences, as the page writes them.",
        examples=[
            [
                "Express 5 is the cheapest option over 24 months at $3,636,447, $918,694 "
                "(20.2%) less than Hybrid: Go 70% + FastAPI 20% + Express 10%.",
                "It is cheapest in 81% of 2,000 simulated cases across the assumptions' "
                "ranges: likely, but not certain.",
                "Express 5 stays cheapest unless the annual salary of Go engineers in United "
                "States is below $115,594 a year.",
            ]
        ],
    )
    traffic: Traffic
    uncertainty: Uncertainty
    tornado: TornadoOut | None = Field(description="What flips it; null for a single option.")
    hosting: list[HostedOut] = Field(
        description="Each option on instances, containers and functions, with the traffic "
        "above which containers beat functions; empty when the set or the instance type's "
        "provider has no container and function prices."
    )
    assumption_sets: SetsOut = Field(description="The other set's answer.")
    scenario: Scenario = Field(description="The scenario as analysed: defaults filled in.")
