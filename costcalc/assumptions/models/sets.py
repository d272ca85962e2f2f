"""The assumption set, its lifecycle (draft, published, cloned) and its sources."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models, transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords


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
    change_note = models.TextField(
        "what changed and why",
        blank=True,
        help_text="Written when the version is published, and shown with it.",
    )
    # The figures that differ from the previous published version, as published (see
    # changes.changed_figures): stored, since neither version can change afterwards.
    changes = models.JSONField(default=list, blank=True, editable=False)
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

    def publish(self, note: str = "") -> None:
        """Publish the set with its note on what changed and why (the admin requires one),
        keeping the figures that changed since the previous published version."""
        from .changes import changed_figures  # it reads the figure rows, which build on us

        if self.is_published:
            raise PublishedSetError(f"{self} is already published.")
        problems = self.completeness_problems()
        if problems:
            raise ValidationError(problems)
        self.changes = changed_figures(self)
        self.change_note = note.strip()
        self.status = self.Status.PUBLISHED
        self.published_at = timezone.now()
        super().save(update_fields=["status", "published_at", "change_note", "changes"])

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
        from .currencies import ExchangeRate  # they build on this module
        from .figures import InstanceType, MarketRate, PlatformPrice, Stack

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

        def copied(rows) -> dict:
            """Each row saved again in the copy: {its old primary key: the new row}."""
            out = {}
            for row in rows:
                old_pk, row.pk, row.assumption_set = row.pk, None, copy
                row.save()
                out[old_pk] = row
            return out

        sources = copied(self.sources.all())
        markets = copied(self.markets.all())
        for model in (Stack, InstanceType, MarketRate, ExchangeRate, PlatformPrice):
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


def in_set(related_name: str) -> models.ForeignKey:
    """The set a row belongs to; deleting a draft set deletes its rows."""
    return models.ForeignKey(AssumptionSet, on_delete=models.CASCADE, related_name=related_name)


def unique_in_set(field: str, name: str) -> models.UniqueConstraint:
    """One row of a set per ``field`` value: what its links and fixtures name the row by."""
    return models.UniqueConstraint(fields=["assumption_set", field], name=name)


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
    assumption_set = in_set("sources")
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
    history = HistoricalRecords()  # what a figure cites changes with it: kept alike

    class Meta:
        ordering = ["assumption_set", "key"]
        constraints = [unique_in_set("key", "unique_source_key")]

    def __str__(self) -> str:
        return f"{self.title} ({self.publisher}, {self.date})" if self.publisher else self.title

    def get_absolute_url(self) -> str:
        return f"{self.assumption_set.get_absolute_url()}#source-{self.key}"

    def natural_key(self):
        return (*self.assumption_set.natural_key(), self.key)

    natural_key.dependencies = ["assumptions.assumptionset"]
