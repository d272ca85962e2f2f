"""The numbers the model runs on, as plain frozen values.

The web app builds an :class:`Assumptions` snapshot from a published assumption set; tests and
the command line can build one by hand. The engine never sees the ORM.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from costcalc.text import USD, Display


class ModelError(ValueError):
    """Inputs or assumptions the model cannot compute with; the message says which."""


class MissingAssumption(ModelError):
    """An assumption the scenario needs is not in the set. ``name`` says which one."""

    def __init__(self, name: str):
        self.name = name
        super().__init__(f"The assumption set has no {name}.")


@dataclass(frozen=True, slots=True)
class Source:
    key: str
    title: str
    url: str = ""
    publisher: str = ""
    date: str = ""  # ISO date of publication (or of retrieval when the page has none)
    note: str = ""

    @property
    def basis(self) -> str:
        """What a figure citing this rests on when it is not a measurement: "has no source",
        "is an editorial rule, not a measurement", or "". By the sets' convention
        (docs/assumptions.md) a figure nobody measured cites a source titled "No source found:
        ...", and one set by our own rule a source whose title ends "(our rule)"."""
        if self.title.startswith("No source found"):
            return "has no source"
        if self.title.rstrip().endswith("(our rule)"):
            return "is an editorial rule, not a measurement"
        return ""


@dataclass(frozen=True, slots=True)
class Figure:
    """One number with the range its source gives (low and high are None when it gives one)."""

    base: float
    low: float | None = None
    high: float | None = None
    source: str = ""  # key into Assumptions.sources
    note: str = ""

    @property
    def has_range(self) -> bool:
        return self.low is not None and self.high is not None


@dataclass(frozen=True, slots=True)
class Stack:
    slug: str
    name: str
    language: str
    rps_per_vcpu: Figure  # framework-only requests per second per vCPU
    cpu_multiplier: Figure  # business-logic CPU relative to Go (Go = 1)
    memory_per_process_mb: Figure
    memory_per_inflight_kb: Figure
    workers_per_vcpu: Figure  # 0 means one process per instance using every core (Go)
    weeks_to_first_api: Figure


@dataclass(frozen=True, slots=True)
class Market:
    slug: str
    name: str


@dataclass(frozen=True, slots=True)
class MarketRate:
    market: str
    language: str
    annual_salary: Figure  # USD per year, before employer costs
    loaded_multiplier: Figure  # salary -> cost to the employer
    recruiting_fee_pct: Figure  # % of first-year salary
    time_to_fill_days: Figure
    ramp_up_weeks: Figure  # full-time weeks of output lost retraining into the language


@dataclass(frozen=True, slots=True)
class InstanceType:
    slug: str
    name: str
    provider: str
    region: str
    vcpu: float
    memory_gb: float
    price_per_hour: Figure  # USD, on demand


@dataclass(frozen=True, slots=True)
class PlatformPrice:
    """One price (or allowance) of the platform lines: a managed database instance type, a
    cache, load balancer, egress or observability price (docs/model.md section 7b)."""

    slug: str  # the engine reads the fixed slugs of figures.PLATFORM_PRICES; a "database" row
    # is a managed database instance type a scenario chooses by its slug
    name: str
    kind: str  # "database", "storage", "cache", "load-balancer", "egress", "observability"
    unit: str  # in words, e.g. "USD per hour"
    value: Figure
    provider: str = ""
    region: str = ""


@dataclass(frozen=True, slots=True)
class ExchangeRate:
    """A reference rate as its source quotes it: ``per_euro`` units of ``currency`` a euro."""

    currency: str
    per_euro: float
    date: str  # ISO date the rate is for
    source: str = ""  # key into Assumptions.sources


@dataclass(frozen=True, slots=True)
class Assumptions:
    slug: str
    name: str
    version: int
    as_of: str  # ISO date
    stacks: dict[str, Stack] = field(default_factory=dict)
    markets: dict[str, Market] = field(default_factory=dict)
    rates: dict[tuple[str, str], MarketRate] = field(default_factory=dict)
    instances: dict[str, InstanceType] = field(default_factory=dict)
    sources: dict[str, Source] = field(default_factory=dict)
    # Display only: the model computes in US dollars, whatever currency a page shows.
    exchange_rates: dict[str, ExchangeRate] = field(default_factory=dict)
    # The platform lines' prices, by slug; a set without them costs compute only.
    platform: dict[str, PlatformPrice] = field(default_factory=dict)

    @property
    def currencies(self) -> list[str]:
        """The display currencies the set has a rate for: USD, and with a USD rate against the
        euro, the euro and every currency quoted against it."""
        if "USD" not in self.exchange_rates:
            return ["USD"]
        return ["USD", "EUR", *sorted(c for c in self.exchange_rates if c != "USD")]

    def display(self, code: str) -> Display:
        """Money in ``code``: per US dollar, the rate against the euro over the dollar's (the
        euro's own is 1), dated by the later of the two rates."""
        if code == "USD":
            return USD
        if code not in self.currencies:
            raise MissingAssumption(f"exchange rate for {code}")
        usd = self.exchange_rates["USD"]
        rate = self.exchange_rates.get(code)
        per_euro = rate.per_euro if rate is not None else 1.0
        dated = max(usd.date, rate.date) if rate is not None else usd.date
        source = self.sources.get(usd.source)
        return Display(code, per_euro / usd.per_euro, dated, source.title if source else "")

    @property
    def label(self) -> str:
        return f"{self.name} v{self.version}"

    @property
    def languages(self) -> list[str]:
        return sorted({stack.language for stack in self.stacks.values()})

    def stack(self, slug: str) -> Stack:
        try:
            return self.stacks[slug]
        except KeyError:
            raise MissingAssumption(f"stack '{slug}'") from None

    def instance(self, slug: str) -> InstanceType:
        try:
            return self.instances[slug]
        except KeyError:
            raise MissingAssumption(f"instance type '{slug}'") from None

    @property
    def databases(self) -> list[PlatformPrice]:
        """The managed database instance types a scenario can choose from."""
        return [p for p in self.platform.values() if p.kind == "database"]

    def platform_price(self, slug: str) -> PlatformPrice:
        try:
            return self.platform[slug]
        except KeyError:
            raise MissingAssumption(f"platform price '{slug}'") from None

    def rate(self, market: str, language: str) -> MarketRate:
        try:
            return self.rates[(market, language)]
        except KeyError:
            raise MissingAssumption(
                f"salary and hiring figures for {language} engineers in market '{market}'"
            ) from None
