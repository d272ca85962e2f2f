"""Saved scenarios: the calculator's inputs pinned to one published assumption-set version.

A scenario is saved once and then never changes: its page recomputes from the stored inputs
and the pinned, immutable assumption set, so its figures are the same forever. The figures
computed when it was saved are stored as well, so that this can be checked.
"""

from __future__ import annotations

import secrets
from urllib.parse import urlencode

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone

from costcalc import engine
from costcalc.assumptions.models import AssumptionSet
from costcalc.calculator.forms import ADDED_LATER

SLUG_BYTES = 9  # 72 random bits -> 12 characters of A-Z a-z 0-9 - _


def new_slug() -> str:
    return secrets.token_urlsafe(SLUG_BYTES)


# A migration plan: the names of the option run now and the one migrated to, and its figures;
# all of them given, or none.
PLAN_NAMES = ("migration_from", "migration_to")
PLAN_FIGURES = ("rewrite_effort_weeks", "rewrite_months", "overlap_months")
# What a saved scenario may never change: they decide its figures.
FROZEN_FIELDS = (
    *PLAN_NAMES,
    *PLAN_FIGURES,
    "slug",
    "query",
    "assumption_set_id",
    "figures",
    "created_at",
    "inputs_key",
)


def plan_name(verbose_name: str, help_text: str) -> models.CharField:
    """An option's name in the migration plan, or blank when the scenario plans none."""
    return models.CharField(verbose_name, max_length=120, blank=True, help_text=help_text)


def plan_figure(verbose_name: str) -> models.FloatField:
    """A figure of the migration plan: zero or more, or null when the scenario plans none."""
    return models.FloatField(verbose_name, null=True, blank=True, validators=[MinValueValidator(0)])


class FrozenScenarioError(ValidationError):
    pass


class Scenario(models.Model):
    slug = models.CharField(
        max_length=64,
        unique=True,
        default=new_slug,
        editable=False,
        help_text="The link's code: random and unguessable for shared scenarios.",
    )
    title = models.CharField(max_length=120, help_text="Shown as the page's heading.")
    description = models.TextField(
        blank=True,
        max_length=1000,
        help_text="Optional: what the scenario is about.",
    )
    assumption_set = models.ForeignKey(
        AssumptionSet,
        on_delete=models.PROTECT,
        related_name="scenarios",
        limit_choices_to={"status": AssumptionSet.Status.PUBLISHED},
        help_text="The exact published version the figures are computed with.",
    )
    query = models.JSONField(
        "inputs",
        help_text="The calculator's inputs, every field given: {field: [values]}.",
    )
    migration_from = plan_name("migrating from", "The current option's name, for a migration.")
    migration_to = plan_name("migrating to", "The target option's name.")
    rewrite_effort_weeks = plan_figure("rewrite effort (engineer-weeks)")
    rewrite_months = plan_figure("rewrite duration (months)")
    overlap_months = plan_figure("months of running both")
    inputs_key = models.CharField(
        max_length=64,
        blank=True,
        default="",
        editable=False,
        help_text="SHA-256 of the parsed inputs, options, pinned set and migration: saving the "
        "same again returns this link. Empty for links saved before it was kept.",
    )
    figures = models.JSONField(
        help_text="Each option's horizon total and totals by category when it was saved.",
    )
    created_at = models.DateTimeField("saved", default=timezone.now, editable=False)

    # Worked examples, shown in the gallery.
    is_example = models.BooleanField(
        "worked example",
        default=False,
        help_text="Listed in the gallery of worked scenarios.",
    )
    example_order = models.PositiveSmallIntegerField(
        default=0,
        validators=[MaxValueValidator(1000)],
        help_text="Position in the gallery.",
    )
    claim = models.CharField(
        "claim tested",
        max_length=300,
        blank=True,
        help_text="The article's claim the example tests.",
    )
    narrative = models.TextField(blank=True, help_text="What the example shows and why.")
    finding = models.TextField(
        blank=True,
        help_text="What the model answers, worked out when the example was loaded.",
    )
    reported = models.JSONField(
        "as reported",
        default=dict,
        blank=True,
        help_text="Figures a source reports, shown beside the modelled ones.",
    )

    class Meta:
        verbose_name = "saved scenario"
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["is_example", "example_order"])]
        constraints = [
            # One link per scenario: what makes saving the same inputs twice, even at the same
            # moment, return the first link (a partial unique index, in SQLite and PostgreSQL
            # alike; "", a link saved before the key was kept, never conflicts).
            models.UniqueConstraint(
                fields=["inputs_key"],
                condition=Q(is_example=False) & ~Q(inputs_key=""),
                name="one_link_per_scenario",
            ),
            models.CheckConstraint(
                name="migration_all_or_nothing",
                condition=(
                    Q(
                        **dict.fromkeys(PLAN_NAMES, ""),
                        **{f"{name}__isnull": True for name in PLAN_FIGURES},
                    )
                    | (
                        ~Q(migration_from="")
                        & ~Q(migration_to="")
                        & Q(**{f"{name}__isnull": False for name in PLAN_FIGURES})
                    )
                ),
            ),
        ]

    # Not a field: save_scenario() says whether it made this link (False: the same scenario
    # had been saved before, and this is that link).
    created = True

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        if self.assumption_set_id and not self.assumption_set.is_published:
            raise ValidationError("A scenario can only pin a published assumption set.")
        if self.pk:
            saved = Scenario.objects.filter(pk=self.pk).values(*FROZEN_FIELDS).first()
            if saved and any(saved[f] != getattr(self, f) for f in FROZEN_FIELDS):
                raise FrozenScenarioError(
                    "A saved scenario's inputs and figures never change; share it again to "
                    "make a new link."
                )
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("scenarios:detail", args=[self.slug])

    def clean(self):
        if self.assumption_set_id and not self.assumption_set.is_published:
            raise ValidationError({"assumption_set": "Choose a published assumption set."})

    # --- Inputs ----------------------------------------------------------------------------

    def querydict(self) -> QueryDict:
        """The stored inputs; fields added to the calculator since it was saved (ADDED_LATER)
        take the value that keeps its figures."""
        return querydict({**{k: [v] for k, v in ADDED_LATER.items()}, **self.query})

    def query_string(self) -> str:
        return urlencode([(k, v) for k, values in self.query.items() for v in values])

    def calculator_url(self) -> str:
        return f"{reverse('calculator:calculator')}?{self.query_string()}"

    @property
    def migration(self) -> engine.Migration | None:
        if not self.migration_from:
            return None
        return engine.Migration(
            current=self.migration_from,
            target=self.migration_to,
            effort_weeks=self.rewrite_effort_weeks,
            rewrite_months=self.rewrite_months,
            overlap_months=self.overlap_months,
        )

    # --- Stored figures --------------------------------------------------------------------

    @property
    def headline(self) -> dict | None:
        """The cheapest option and its horizon total, from the figures stored when saved."""
        options = self.figures.get("options") or []
        cheapest = next((o for o in options if o["name"] == self.figures.get("cheapest")), None)
        if cheapest is None:
            return None
        return {
            "name": cheapest["name"],
            "total": cheapest["horizon_total"],
            "horizon": self.figures.get("horizon"),
        }


def querydict(query: dict[str, list[str]]) -> QueryDict:
    q = QueryDict(mutable=True)
    for key, values in query.items():
        q.setlist(key, [str(v) for v in values])
    return q
