"""The rows of sourced figures a set holds: stacks, hiring markets and their rates, instance
types. Each figure is a base value, a range where the source gives one, and the source."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from simple_history.models import HistoricalRecords

from costcalc.engine.figures import (
    INSTANCE_PRICE,
    PLATFORM_KINDS,
    PLATFORM_VALUE,
    RATE_FIGURES,
    STACK_FIGURES,
)

from .sets import (
    AssumptionSet,
    InPublishedSet,
    InSetManager,
    MarketRateManager,
    NamedInSet,
    Source,
    in_set,
    unique_in_set,
)


def figure_fields(name: str, verbose: str, help_text: str, *, ranged: bool = True) -> dict:
    """The base value, its range where the source gives one, and the source itself."""
    fields = {
        name: models.FloatField(verbose, validators=[MinValueValidator(0)], help_text=help_text),
        f"{name}_source": models.ForeignKey(
            Source,
            # A cited source can't be deleted on its own, but goes with its whole set.
            on_delete=models.RESTRICT,
            related_name="+",
            verbose_name=f"source of {verbose.lower()}",
        ),
    }
    if ranged:
        fields[f"{name}_low"] = models.FloatField(
            f"{verbose}: low",
            null=True,
            blank=True,
            validators=[MinValueValidator(0)],
        )
        fields[f"{name}_high"] = models.FloatField(
            f"{verbose}: high",
            null=True,
            blank=True,
            validators=[MinValueValidator(0)],
        )
    return fields


def figure_table(figures: dict[str, tuple[str, str]], *, unranged=frozenset()) -> dict:
    """The columns of every figure of ``figures``, {name: (verbose name, help text)}, in order;
    those ``unranged`` have no range."""
    columns = {}
    for name, (verbose, help_text) in figures.items():
        columns |= figure_fields(name, verbose, help_text, ranged=name not in unranged)
    return columns


class FigureModel(InPublishedSet):
    """A row of sourced figures belonging to one assumption set."""

    figures: tuple[str, ...] = ()
    set_path = "assumption_set"

    class Meta:
        abstract = True

    @classmethod
    def source_fields(cls) -> list[str]:
        return [f"{name}_source" for name in cls.figures]

    def clean(self):
        errors = {}
        for name in self.figures:
            low = getattr(self, f"{name}_low", None)
            base = getattr(self, name)
            high = getattr(self, f"{name}_high", None)
            if (low is None) != (high is None):
                errors[f"{name}_low"] = "Give both ends of the range, or neither."
            elif low is not None and base is not None and not low <= base <= high:
                errors[name] = "The base value must lie within its low..high range."
            source = getattr(self, f"{name}_source", None) if self._source_set(name) else None
            if source is not None and self._set_id() and source.assumption_set_id != self._set_id():
                errors[f"{name}_source"] = "Cite a source of this same assumption set."
        if errors:
            raise ValidationError(errors)

    def _source_set(self, name: str) -> bool:
        return getattr(self, f"{name}_source_id", None) is not None

    def _set_id(self):
        return self.assumption_set_id


LANGUAGE_HELP = "Lower case, e.g. python, javascript, go: stacks of one language share salaries."


# Every row of figures keeps its edit history (django-simple-history: who, when, each field old
# to new), shown on its admin page's History: a figure's value alone does not say who changed it.

# Each figure is four columns (base, low, high, source); figure_table() writes them the same
# way for every figure of a table {name: (verbose name, help text)}, and each class body adds
# them with locals().update(), which class scope allows.


class Stack(NamedInSet, FigureModel):
    anchor = "stack"
    assumption_set = in_set("stacks")
    slug = models.SlugField(max_length=40, help_text="Names the stack in links, e.g. fastapi.")
    name = models.CharField(max_length=80, help_text="e.g. FastAPI on Uvicorn")
    language = models.SlugField(max_length=30, help_text=LANGUAGE_HELP)
    locals().update(
        figure_table(
            {
                "rps_per_vcpu": (
                    "Requests per second per vCPU",
                    "Framework-only throughput (no business logic) per vCPU, from a benchmark.",
                ),
                "cpu_multiplier": (
                    "CPU multiplier vs Go",
                    "Business-logic CPU time relative to Go doing the same work (Go = 1).",
                ),
                "memory_per_process_mb": (
                    "Memory per process (MB)",
                    "Resident memory of one idle server process.",
                ),
                "memory_per_inflight_kb": (
                    "Memory per in-flight request (KB)",
                    "Extra memory each request holds while it is being served.",
                ),
                "workers_per_vcpu": (
                    "Worker processes per vCPU",
                    "0 means one process per instance using every core (Go).",
                ),
                "weeks_to_first_api": (
                    "Weeks to first production API",
                    "How long a team takes to put its first production API live on this stack.",
                ),
            },
            unranged={"workers_per_vcpu"},
        )
    )

    objects = InSetManager()
    figures = tuple(STACK_FIGURES)  # the engine lists the sourced figures once
    history = HistoricalRecords()

    class Meta:
        ordering = ["assumption_set", "name"]
        constraints = [unique_in_set("slug", "unique_stack_slug")]


class Market(NamedInSet, InPublishedSet):
    anchor = "market"
    assumption_set = in_set("markets")
    slug = models.SlugField(max_length=40, help_text="Names the market in links, e.g. us.")
    name = models.CharField(max_length=80, help_text="e.g. United States")
    note = models.TextField(blank=True, help_text="Which countries the figures stand for.")

    objects = InSetManager()

    class Meta:
        verbose_name = "hiring market"
        ordering = ["assumption_set", "name"]
        constraints = [unique_in_set("slug", "unique_market_slug")]


class MarketRate(FigureModel):
    market = models.ForeignKey(Market, on_delete=models.CASCADE, related_name="rates")
    language = models.SlugField(max_length=30, help_text=LANGUAGE_HELP)
    locals().update(
        figure_table(
            {
                "annual_salary": (
                    "Annual salary (USD)",
                    "Gross pay of a mid-senior backend engineer.",
                ),
                "loaded_multiplier": (
                    "Loaded-cost multiplier",
                    "Employer cost per unit of salary (benefits, payroll taxes).",
                ),
                "recruiting_fee_pct": (
                    "Recruiting fee (% of salary)",
                    "Agency fee as a percentage of first-year salary.",
                ),
                "time_to_fill_days": (
                    "Time to fill (days)",
                    "Days from opening a role to a start.",
                ),
                "ramp_up_weeks": (
                    "Ramp-up (weeks)",
                    "Full-time weeks of output an engineer loses learning this language.",
                ),
            }
        )
    )

    figures = tuple(RATE_FIGURES)
    set_path = "market__assumption_set"
    objects = MarketRateManager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "market rate"
        ordering = ["market", "language"]
        constraints = [
            models.UniqueConstraint(fields=["market", "language"], name="unique_market_language"),
        ]

    def __str__(self) -> str:
        return f"{self.language} engineers in {self.market}"

    def get_absolute_url(self) -> str:
        return self.market.get_absolute_url()

    def owning_set(self) -> AssumptionSet:
        return self.market.assumption_set

    def _set_id(self):
        return self.market.assumption_set_id if self.market_id else None

    def natural_key(self):
        return (*self.market.natural_key(), self.language)

    natural_key.dependencies = ["assumptions.market", "assumptions.source"]


class InstanceType(NamedInSet, FigureModel):
    anchor = "instance"
    assumption_set = in_set("instance_types")
    slug = models.SlugField(max_length=40, help_text="e.g. c7i-xlarge")
    name = models.CharField(max_length=80, help_text="e.g. AWS c7i.xlarge")
    provider = models.CharField(max_length=40)
    region = models.CharField(max_length=40)
    vcpu = models.FloatField("vCPU", validators=[MinValueValidator(0.25)])
    memory_gb = models.FloatField("memory (GB)", validators=[MinValueValidator(0.25)])
    locals().update(
        figure_table(
            {
                "price_per_hour": ("Price per hour (USD)", "On-demand list price."),
            }
        )
    )

    objects = InSetManager()
    figures = (INSTANCE_PRICE.name,)
    history = HistoricalRecords()

    class Meta:
        ordering = ["assumption_set", "provider", "name"]
        constraints = [unique_in_set("slug", "unique_instance_slug")]

    def __str__(self) -> str:
        return f"{self.name} ({self.vcpu:g} vCPU, {self.memory_gb:g} GB)"


class PlatformPrice(NamedInSet, FigureModel):
    """A price of the platform lines (docs/model.md section 7b): a managed database instance
    type, or one of the fixed prices the engine reads by slug (engine/figures.py,
    PLATFORM_PRICES). A set without any costs compute only, as before they existed."""

    anchor = "platform"
    assumption_set = in_set("platform_prices")
    slug = models.SlugField(
        max_length=40,
        help_text="A database instance type's own slug (e.g. rds-pg-r8g-large), or one of the "
        "names the model reads (e.g. lb-hour, egress-tier-1).",
    )
    name = models.CharField(max_length=120, help_text="e.g. Amazon RDS for PostgreSQL db.r8g.large")
    kind = models.CharField(max_length=20, choices=list(PLATFORM_KINDS.items()))
    unit = models.CharField(max_length=40, help_text="In words, e.g. USD per hour, GB per month.")
    provider = models.CharField(max_length=40, blank=True)
    region = models.CharField(max_length=40, blank=True)
    locals().update(
        figure_table(
            {
                PLATFORM_VALUE.name: (
                    "Value",
                    "The list price (or allowance) in the row's unit.",
                ),
            }
        )
    )

    objects = InSetManager()
    figures = (PLATFORM_VALUE.name,)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "platform price"
        ordering = ["assumption_set", "kind", "slug"]
        constraints = [unique_in_set("slug", "unique_platform_slug")]
