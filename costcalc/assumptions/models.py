"""Versioned, sourced assumption sets that analysts keep current in the admin.

A set is edited as a draft and then published; a published set never changes again, so that
every figure computed with it can be reproduced. New work starts from a clone of it.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models, transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone

from costcalc.engine.figures import INSTANCE_PRICE, RATE_FIGURES, STACK_FIGURES


class PublishedSetError(ValidationError):
    pass


class InSetManager(models.Manager):
    """Rows named by their set's natural key and their own slug, so fixtures carry no ids."""

    key_field = "slug"

    def get_by_natural_key(self, set_slug, set_version, key):
        return self.get(
            assumption_set__slug=set_slug,
            assumption_set__version=set_version,
            **{self.key_field: key},
        )


class SourceManager(InSetManager):
    key_field = "key"


class MarketRateManager(models.Manager):
    def get_by_natural_key(self, set_slug, set_version, market, language):
        return self.get(
            market__assumption_set__slug=set_slug,
            market__assumption_set__version=set_version,
            market__slug=market,
            language=language,
        )


class AssumptionSetQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=AssumptionSet.Status.PUBLISHED)

    def latest_published(self):
        """The newest published version of each set, in display order."""
        newest = self.published().values("slug").annotate(v=Max("version")).values_list("slug", "v")
        query = models.Q(pk__in=[])
        for slug, version in newest:
            query |= models.Q(slug=slug, version=version)
        return self.published().filter(query)

    def get_by_natural_key(self, slug, version):
        return self.get(slug=slug, version=version)


class AssumptionSet(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"

    slug = models.SlugField(
        help_text="Names the set in links; every version of a set shares it.",
    )
    name = models.CharField(max_length=120)
    version = models.PositiveIntegerField(
        default=1,
        validators=[MinValueValidator(1)],
        help_text="Goes up by one with each clone; a link pins one version.",
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    as_of = models.DateField(
        "as of",
        default=timezone.localdate,
        help_text="The date the figures describe: the newest of their sources' dates, usually.",
    )
    published_at = models.DateTimeField(null=True, blank=True, editable=False)
    summary = models.CharField(
        max_length=300,
        blank=True,
        help_text="One line shown beside the set's name.",
    )
    notes = models.TextField(
        blank=True,
        help_text="What the set assumes that its sources do not say, and how figures were derived.",
    )
    cloned_from = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="clones",
        editable=False,
    )

    objects = AssumptionSetQuerySet.as_manager()

    class Meta:
        verbose_name = "assumption set"
        ordering = ["name", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["slug", "version"], name="unique_set_version"),
        ]

    def __str__(self) -> str:
        return f"{self.name} v{self.version} ({self.get_status_display().lower()})"

    def save(self, *args, **kwargs):
        if self.pk and AssumptionSet.objects.filter(pk=self.pk, status="published").exists():
            raise PublishedSetError(f"{self} is published and can no longer change.")
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("assumptions:version", args=[self.slug, self.version])

    def delete(self, *args, **kwargs):
        if self.is_published:
            raise PublishedSetError(f"{self} is published and can no longer change.")
        return super().delete(*args, **kwargs)

    def natural_key(self):
        return (self.slug, self.version)

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED

    @property
    def key(self) -> str:
        """How forms and links name this exact version."""
        return f"{self.slug}@{self.version}"

    def publish(self) -> None:
        if self.is_published:
            raise PublishedSetError(f"{self} is already published.")
        problems = self.completeness_problems()
        if problems:
            raise ValidationError(problems)
        self.status = self.Status.PUBLISHED
        self.published_at = timezone.now()
        super().save(update_fields=["status", "published_at"])

    def completeness_problems(self) -> list[str]:
        problems = []
        if not self.stacks.exists():
            problems.append("The set has no stacks.")
        if not self.instance_types.exists():
            problems.append("The set has no instance types.")
        languages = set(self.stacks.values_list("language", flat=True))
        for market in self.markets.all():
            have = set(market.rates.values_list("language", flat=True))
            for language in sorted(languages - have):
                problems.append(f"{market.name} has no figures for {language} engineers.")
        if not self.markets.exists():
            problems.append("The set has no hiring markets.")
        return problems

    @transaction.atomic
    def clone(self) -> AssumptionSet:
        """A new draft holding a copy of every figure and source, one version up."""
        newest = AssumptionSet.objects.filter(slug=self.slug).aggregate(v=Max("version"))["v"]
        copy = AssumptionSet.objects.create(
            slug=self.slug,
            name=self.name,
            version=newest + 1,
            summary=self.summary,
            notes=self.notes,
            as_of=self.as_of,
            cloned_from=self,
        )
        sources = {}
        for source in self.sources.all():
            old_pk = source.pk
            source.pk = None
            source.assumption_set = copy
            source.save()
            sources[old_pk] = source
        markets = {}
        for market in self.markets.all():
            old_pk = market.pk
            market.pk = None
            market.assumption_set = copy
            market.save()
            markets[old_pk] = market
        for model in (Stack, InstanceType, MarketRate):
            for row in model.objects.filter(**{model.set_path: self}):
                row.pk = None
                if model is MarketRate:
                    row.market = markets[row.market_id]
                else:
                    row.assumption_set = copy
                for name in model.source_fields():
                    old = getattr(row, f"{name}_id")
                    setattr(row, name, sources.get(old))
                row.save()
        return copy


class InPublishedSet(models.Model):
    """A row of an assumption set: once the set is published, it can no longer change."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.owning_set().is_published:
            raise PublishedSetError("A published assumption set can no longer change.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self.owning_set().is_published:
            raise PublishedSetError("A published assumption set can no longer change.")
        return super().delete(*args, **kwargs)

    def owning_set(self) -> AssumptionSet:
        return self.assumption_set


class NamedInSet:
    """A row its set names by slug: linked at its anchor on the set's page, and loaded from
    fixtures by (set, version, slug)."""

    anchor = ""  # the row's id prefix on the set's page: "stack" gives #stack-go

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return f"{self.assumption_set.get_absolute_url()}#{self.anchor}-{self.slug}"

    def natural_key(self):
        return (*self.assumption_set.natural_key(), self.slug)

    natural_key.dependencies = ["assumptions.assumptionset", "assumptions.source"]


class Source(InPublishedSet):
    assumption_set = models.ForeignKey(
        AssumptionSet,
        on_delete=models.CASCADE,
        related_name="sources",
    )
    key = models.SlugField(
        max_length=60,
        help_text="A short handle, unique within the set (e.g. tfb-r23).",
    )
    title = models.CharField(max_length=300)
    url = models.URLField("URL", max_length=500, blank=True)
    publisher = models.CharField(max_length=200, blank=True)
    date = models.DateField(
        null=True,
        blank=True,
        help_text="When the source was published (or retrieved, if it carries no date).",
    )
    note = models.TextField(
        blank=True,
        help_text="How figures were taken or derived from it, and caveats.",
    )

    set_path = "assumption_set"
    objects = SourceManager()

    class Meta:
        ordering = ["assumption_set", "key"]
        constraints = [
            models.UniqueConstraint(fields=["assumption_set", "key"], name="unique_source_key"),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.publisher}, {self.date})" if self.publisher else self.title

    def get_absolute_url(self) -> str:
        return f"{self.assumption_set.get_absolute_url()}#source-{self.key}"

    def natural_key(self):
        return (*self.assumption_set.natural_key(), self.key)

    natural_key.dependencies = ["assumptions.assumptionset"]


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


# Each figure is four columns (base, low, high, source); figure_fields() writes them the same way
# for every figure, and the class bodies add them with locals().update(), which class scope allows.


class Stack(NamedInSet, FigureModel):
    anchor = "stack"
    assumption_set = models.ForeignKey(
        AssumptionSet,
        on_delete=models.CASCADE,
        related_name="stacks",
    )
    slug = models.SlugField(max_length=40, help_text="Names the stack in links, e.g. fastapi.")
    name = models.CharField(max_length=80, help_text="e.g. FastAPI on Uvicorn")
    language = models.SlugField(max_length=30, help_text=LANGUAGE_HELP)
    locals().update(
        figure_fields(
            "rps_per_vcpu",
            "Requests per second per vCPU",
            "Framework-only throughput (no business logic) per vCPU, from a benchmark.",
        )
    )
    locals().update(
        figure_fields(
            "cpu_multiplier",
            "CPU multiplier vs Go",
            "Business-logic CPU time relative to Go doing the same work (Go = 1).",
        )
    )
    locals().update(
        figure_fields(
            "memory_per_process_mb",
            "Memory per process (MB)",
            "Resident memory of one idle server process.",
        )
    )
    locals().update(
        figure_fields(
            "memory_per_inflight_kb",
            "Memory per in-flight request (KB)",
            "Extra memory each request holds while it is being served.",
        )
    )
    locals().update(
        figure_fields(
            "workers_per_vcpu",
            "Worker processes per vCPU",
            "0 means one process per instance using every core (Go).",
            ranged=False,
        )
    )
    locals().update(
        figure_fields(
            "weeks_to_first_api",
            "Weeks to first production API",
            "How long a team takes to put its first production API live on this stack.",
        )
    )

    objects = InSetManager()
    figures = tuple(STACK_FIGURES)  # the engine lists the sourced figures once

    class Meta:
        ordering = ["assumption_set", "name"]
        constraints = [
            models.UniqueConstraint(fields=["assumption_set", "slug"], name="unique_stack_slug"),
        ]


class Market(NamedInSet, InPublishedSet):
    anchor = "market"
    assumption_set = models.ForeignKey(
        AssumptionSet,
        on_delete=models.CASCADE,
        related_name="markets",
    )
    slug = models.SlugField(max_length=40, help_text="Names the market in links, e.g. us.")
    name = models.CharField(max_length=80, help_text="e.g. United States")
    note = models.TextField(blank=True, help_text="Which countries the figures stand for.")

    objects = InSetManager()

    class Meta:
        verbose_name = "hiring market"
        ordering = ["assumption_set", "name"]
        constraints = [
            models.UniqueConstraint(fields=["assumption_set", "slug"], name="unique_market_slug"),
        ]


class MarketRate(FigureModel):
    market = models.ForeignKey(Market, on_delete=models.CASCADE, related_name="rates")
    language = models.SlugField(max_length=30, help_text=LANGUAGE_HELP)
    locals().update(
        figure_fields(
            "annual_salary",
            "Annual salary (USD)",
            "Gross pay of a mid-senior backend engineer.",
        )
    )
    locals().update(
        figure_fields(
            "loaded_multiplier",
            "Loaded-cost multiplier",
            "Employer cost per unit of salary (benefits, payroll taxes).",
        )
    )
    locals().update(
        figure_fields(
            "recruiting_fee_pct",
            "Recruiting fee (% of salary)",
            "Agency fee as a percentage of first-year salary.",
        )
    )
    locals().update(
        figure_fields(
            "time_to_fill_days",
            "Time to fill (days)",
            "Days from opening a role to a start.",
        )
    )
    locals().update(
        figure_fields(
            "ramp_up_weeks",
            "Ramp-up (weeks)",
            "Full-time weeks of output an engineer loses learning this language.",
        )
    )

    figures = tuple(RATE_FIGURES)
    set_path = "market__assumption_set"
    objects = MarketRateManager()

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
    assumption_set = models.ForeignKey(
        AssumptionSet,
        on_delete=models.CASCADE,
        related_name="instance_types",
    )
    slug = models.SlugField(max_length=40, help_text="e.g. c7i-xlarge")
    name = models.CharField(max_length=80, help_text="e.g. AWS c7i.xlarge")
    provider = models.CharField(max_length=40)
    region = models.CharField(max_length=40)
    vcpu = models.FloatField("vCPU", validators=[MinValueValidator(0.25)])
    memory_gb = models.FloatField("memory (GB)", validators=[MinValueValidator(0.25)])
    locals().update(
        figure_fields(
            "price_per_hour",
            "Price per hour (USD)",
            "On-demand list price.",
        )
    )

    objects = InSetManager()
    figures = (INSTANCE_PRICE.name,)

    class Meta:
        ordering = ["assumption_set", "provider", "name"]
        constraints = [
            models.UniqueConstraint(fields=["assumption_set", "slug"], name="unique_instance_slug"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.vcpu:g} vCPU, {self.memory_gb:g} GB)"
