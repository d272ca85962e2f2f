"""The admin in which analysts keep assumption sets current, each figure beside its source.

A draft is edited in one place (the set's page, with its sources, stacks, markets and instance
types inline; a market's page holds its rates); every row can also be listed, searched and
filtered on its own. Publishing and cloning are actions on the set list. A published set is
read-only everywhere: the models refuse to change it, and the admin never offers to.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.admin.widgets import RelatedFieldWidgetWrapper
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.forms import Textarea
from django.http import HttpRequest, HttpResponseRedirect
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from costcalc.text import number_text

from .models import (
    AssumptionSet,
    InstanceType,
    Market,
    MarketRate,
    PublishedSetError,
    Source,
    Stack,
)

# Set on the request while a form for rows of one set is built, so that every source dropdown
# in it offers that set's sources only.
SOURCES_OF = "_assumptions_sources_of"

# Links without a scheme are taken as https (Django 6's default).
URL_FIELDS = {models.URLField: {"assume_scheme": "https"}}
COMPACT_TEXT = {
    models.TextField: {"widget": Textarea(attrs={"rows": 2, "cols": 40})},
    **URL_FIELDS,
}


def set_of(obj) -> AssumptionSet:
    """The assumption set a row (or the set itself) belongs to."""
    if isinstance(obj, AssumptionSet):
        return obj
    if isinstance(obj, MarketRate):
        return obj.market.assumption_set
    return obj.assumption_set


def is_frozen(obj) -> bool:
    return obj is not None and obj.pk is not None and set_of(obj).is_published


def admin_url(obj) -> str:
    opts = obj._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])


def figure_rows(model) -> tuple[tuple[str, ...], ...]:
    """One fieldset line per figure: base, low, high (where it has a range) and source."""
    names = {f.name for f in model._meta.get_fields()}
    rows = []
    for name in model.figures:
        row = [name]
        if f"{name}_low" in names:
            row += [f"{name}_low", f"{name}_high"]
        rows.append((*row, f"{name}_source"))
    return tuple(rows)


def figure_text(obj, name: str) -> str:
    base = number_text(getattr(obj, name))
    low, high = getattr(obj, f"{name}_low", None), getattr(obj, f"{name}_high", None)
    if low is None or high is None:
        return base
    return f"{base} ({number_text(low)}–{number_text(high)})"


def figure_column(model, name: str):
    """A changelist column showing one figure with its range."""

    @admin.display(description=model._meta.get_field(name).verbose_name, ordering=name)
    def column(obj):
        return figure_text(obj, name)

    column.__name__ = name
    return column


@admin.display(description="sources")
def sources_column(obj):
    cited = {}
    for name in obj.source_fields():
        source = getattr(obj, name)
        cited[source.pk] = source
    return format_html_join(
        ", ",
        '<a href="{}" title="{}">{}</a>',
        ((admin_url(s), s.title, s.key) for s in sorted(cited.values(), key=lambda s: s.key)),
    )


def source_label(source: Source) -> str:
    return f"{source.key}: {source.title}"


def source_label_with_set(source: Source) -> str:
    return f"{source.assumption_set.slug} v{source.assumption_set.version} · {source_label(source)}"


class FigureFields:
    """Figure forms: short labels within a figure's line, and the row's own set's sources.

    A source dropdown offers the sources of the row's set (of any draft, when adding a row
    whose set is not chosen yet).
    """

    class Media:
        css = {"all": ["css/assumptions.css"]}

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        # "Requests per second per vCPU: [ ] low: [ ] high: [ ] source: [ ]"
        for end in ("low", "high", "source"):
            if field is not None and db_field.name.endswith(f"_{end}"):
                field.label = end
        if db_field.related_model is Source and isinstance(
            getattr(field, "widget", None), RelatedFieldWidgetWrapper
        ):
            # Sources are added and deleted in their own section, not from a figure's line.
            field.widget.can_add_related = field.widget.can_delete_related = False
        return field

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.related_model is not Source:
            return super().formfield_for_foreignkey(db_field, request, **kwargs)
        aset = getattr(request, SOURCES_OF, None)
        if aset is not None:
            kwargs["queryset"] = Source.objects.filter(assumption_set=aset)
            label = source_label
        else:
            kwargs["queryset"] = Source.objects.filter(
                assumption_set__status=AssumptionSet.Status.DRAFT,
            ).select_related("assumption_set")
            label = source_label_with_set
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        field.label_from_instance = label
        # Evaluate the choices once: every form of a formset would query them again.
        field.choices = list(field.choices)
        return field


class FrozenWhenPublished:
    """Published sets, and every row of one, can be viewed but not changed or deleted.

    Should the models refuse a change all the same (a set published while its form was open),
    the analyst sees the reason rather than a server error.
    """

    def has_change_permission(self, request, obj=None):
        return not is_frozen(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not is_frozen(obj) and super().has_delete_permission(request, obj)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except PublishedSetError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())

    def delete_view(self, request, object_id, extra_context=None):
        try:
            return super().delete_view(request, object_id, extra_context)
        except PublishedSetError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())

    def view_on_site(self, obj):
        # Drafts are not public; their pages would be a 404.
        return obj.get_absolute_url() if set_of(obj).is_published else None


class RowOfSetAdmin(FigureFields, FrozenWhenPublished, admin.ModelAdmin):
    """A model admin for the rows of a set: the set is chosen on adding, and fixed after."""

    owner_field = "assumption_set"
    owner_queryset = AssumptionSet.objects.filter(status=AssumptionSet.Status.DRAFT)

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None and self.owner_field not in fields:
            fields.append(self.owner_field)  # moving a row would strand its sources
        return fields

    def get_form(self, request, obj=None, change=False, **kwargs):
        setattr(request, SOURCES_OF, set_of(obj) if obj is not None else None)
        return super().get_form(request, obj, change, **kwargs)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == self.owner_field:
            kwargs["queryset"] = self.owner_queryset.all()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


# Inlines on the set's (and a market's) page -----------------------------------------------


class SetInline(FigureFields):
    """Rows edited on their parent's page; read-only when the parent's set is published."""

    extra = 0
    formfield_overrides = COMPACT_TEXT

    def has_add_permission(self, request, obj=None):
        return not is_frozen(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return not is_frozen(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not is_frozen(obj) and super().has_delete_permission(request, obj)

    def get_formset(self, request, obj=None, **kwargs):
        setattr(request, SOURCES_OF, set_of(obj) if obj is not None else None)
        return super().get_formset(request, obj, **kwargs)

    def view_on_site(self, obj):
        return obj.get_absolute_url() if set_of(obj).is_published else None


class SourceInline(SetInline, admin.StackedInline):
    model = Source
    fields = (("key", "title"), ("url", "publisher", "date"), "note")


class StackInline(SetInline, admin.StackedInline):
    model = Stack
    show_change_link = True
    fieldsets = (
        (None, {"fields": (("name", "slug", "language"),)}),
        ("Figures: base, low, high, source", {"fields": figure_rows(Stack)}),
    )


class MarketInline(SetInline, admin.TabularInline):
    model = Market
    fields = ("name", "slug", "note", "rate_languages")
    readonly_fields = ("rate_languages",)
    show_change_link = True
    verbose_name_plural = "hiring markets (open one to edit its rates per language)"

    @admin.display(description="rates for")
    def rate_languages(self, obj):
        if obj.pk is None:
            return "—"
        return ", ".join(rate.language for rate in obj.rates.all()) or "none yet"

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("rates")


class InstanceTypeInline(SetInline, admin.StackedInline):
    model = InstanceType
    show_change_link = True
    fieldsets = (
        (None, {"fields": (("name", "slug"), ("provider", "region"), ("vcpu", "memory_gb"))}),
        ("Figures: base, low, high, source", {"fields": figure_rows(InstanceType)}),
    )


class MarketRateInline(SetInline, admin.StackedInline):
    model = MarketRate
    fieldsets = (
        (None, {"fields": ("language",)}),
        ("Figures: base, low, high, source", {"fields": figure_rows(MarketRate)}),
    )


# The set --------------------------------------------------------------------------------


def count_of(model, path: str):
    rows = (
        model.objects.filter(**{path: OuterRef("pk")})
        .order_by()
        .values(path)
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(rows), 0)


def count_column(annotation: str, description: str):
    """A list column showing a count the changelist's queryset annotates, sortable by it."""

    @admin.display(description=description, ordering=annotation)
    def column(self, obj):
        return getattr(obj, annotation)

    column.__name__ = annotation
    return column


@admin.register(AssumptionSet)
class AssumptionSetAdmin(FrozenWhenPublished, admin.ModelAdmin):
    class Media:
        css = {"all": ["css/assumptions.css"]}

    list_display = (
        "name",
        "version",
        "status",
        "as_of",
        "published_at",
        "n_sources",
        "n_stacks",
        "n_markets",
        "n_instances",
    )
    list_filter = ("status", "slug")
    search_fields = ("name", "slug", "summary", "notes")
    ordering = ("name", "-version")
    actions = ("clone_sets", "publish_sets")
    readonly_fields = ("status", "published_at", "cloned_from_link", "readiness")
    fieldsets = (
        (None, {"fields": ("name", ("slug", "version"), "status", "readiness")}),
        ("Dates", {"fields": (("as_of", "published_at"),)}),
        ("Description", {"fields": ("summary", "notes")}),
        ("History", {"fields": ("cloned_from_link",)}),
    )
    inlines = (SourceInline, StackInline, MarketInline, InstanceTypeInline)

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                n_sources=count_of(Source, "assumption_set"),
                n_stacks=count_of(Stack, "assumption_set"),
                n_markets=count_of(Market, "assumption_set"),
                n_instances=count_of(InstanceType, "assumption_set"),
            )
        )

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None:
            fields += ["slug", "version"]  # a clone takes the next version of the same slug
        return fields

    def get_inline_instances(self, request, obj=None):
        inlines = super().get_inline_instances(request, obj)
        if obj is None:
            # Figures cite sources of their own set, which exist only once the set is saved.
            inlines = [i for i in inlines if isinstance(i, SourceInline)]
        return inlines

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None:
            note = (
                "Save the set with its sources first; its stacks, markets and instance types "
                "can then be added here, each figure citing one of those sources."
            )
            first = (fieldsets[0][0], {**fieldsets[0][1], "description": note})
            fieldsets = (first, *fieldsets[1:])
        return fieldsets

    n_sources = count_column("n_sources", "sources")
    n_stacks = count_column("n_stacks", "stacks")
    n_markets = count_column("n_markets", "markets")
    n_instances = count_column("n_instances", "instance types")

    @admin.display(description="cloned from")
    def cloned_from_link(self, obj):
        if obj.cloned_from is None:
            return "—"
        return format_html('<a href="{}">{}</a>', admin_url(obj.cloned_from), obj.cloned_from)

    @admin.display(description="ready to publish?")
    def readiness(self, obj):
        if obj is None or obj.pk is None:
            return "—"
        if obj.is_published:
            return format_html(
                'Published; read-only. <a href="{}">Public page</a>. Clone it to make changes.',
                obj.get_absolute_url(),
            )
        problems = obj.completeness_problems()
        if not problems:
            return "Yes: the set is complete."
        return format_html(
            "Not yet:<ul>{}</ul>",
            format_html_join("", "<li>{}</li>", ((p,) for p in problems)),
        )

    @admin.action(description="Clone to a new draft", permissions=["add"])
    def clone_sets(self, request: HttpRequest, queryset) -> None:
        for aset in queryset.order_by("slug", "version"):
            copy = aset.clone()
            self.message_user(
                request,
                format_html(
                    'Cloned {} to a new draft: <a href="{}">{} v{}</a>.',
                    aset,
                    admin_url(copy),
                    copy.name,
                    copy.version,
                ),
                messages.SUCCESS,
            )

    @admin.action(description="Publish", permissions=["change"])
    def publish_sets(self, request: HttpRequest, queryset) -> None:
        for aset in queryset.order_by("slug", "version"):
            if aset.is_published:
                self.message_user(
                    request,
                    f"{aset} is already published; clone it to make a new version.",
                    messages.ERROR,
                )
                continue
            problems = aset.completeness_problems()
            if not problems:
                try:
                    aset.publish()
                except ValidationError as error:
                    problems = error.messages
            if problems:
                self.message_user(
                    request,
                    format_html(
                        "{} was not published:<ul>{}</ul>",
                        aset,
                        format_html_join("", "<li>{}</li>", ((p,) for p in problems)),
                    ),
                    messages.ERROR,
                )
                continue
            self.message_user(
                request,
                format_html(
                    'Published {} v{}: <a href="{}">public page</a>.',
                    aset.name,
                    aset.version,
                    aset.get_absolute_url(),
                ),
                messages.SUCCESS,
            )


# Every row on its own -------------------------------------------------------------------


@admin.register(Source)
class SourceAdmin(FrozenWhenPublished, admin.ModelAdmin):
    list_display = ("key", "title", "publisher", "date", "link", "assumption_set")
    list_display_links = ("key", "title")
    list_filter = ("assumption_set__status", "assumption_set", "publisher")
    list_select_related = ("assumption_set",)
    search_fields = ("key", "title", "publisher", "url", "note", "assumption_set__name")
    fields = ("assumption_set", "key", "title", "url", "publisher", "date", "note")
    formfield_overrides = URL_FIELDS

    @admin.display(description="URL", ordering="url")
    def link(self, obj):
        if not obj.url.lower().startswith(("https://", "http://")):
            return obj.url
        return format_html('<a href="{}" rel="noopener noreferrer">{}</a>', obj.url, obj.url)

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None:
            fields.append("assumption_set")
        return fields

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "assumption_set":
            kwargs["queryset"] = AssumptionSet.objects.filter(
                status=AssumptionSet.Status.DRAFT,
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Stack)
class StackAdmin(RowOfSetAdmin):
    list_display = (
        "name",
        "language",
        "assumption_set",
        *(figure_column(Stack, name) for name in Stack.figures),
        sources_column,
    )
    list_filter = ("assumption_set__status", "assumption_set", "language")
    list_select_related = ("assumption_set", *Stack.source_fields())
    search_fields = ("name", "slug", "language", "assumption_set__name", "assumption_set__slug")
    fieldsets = (
        (None, {"fields": ("assumption_set", ("name", "slug", "language"))}),
        ("Figures: base, low, high, source", {"fields": figure_rows(Stack)}),
    )


@admin.register(Market)
class MarketAdmin(RowOfSetAdmin):
    list_display = ("name", "slug", "assumption_set", "n_rates")
    list_filter = ("assumption_set__status", "assumption_set")
    list_select_related = ("assumption_set",)
    search_fields = ("name", "slug", "note", "assumption_set__name", "assumption_set__slug")
    fields = ("assumption_set", ("name", "slug"), "note")
    inlines = (MarketRateInline,)

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(n_rates=count_of(MarketRate, "market"))

    @admin.display(description="languages with rates", ordering="n_rates")
    def n_rates(self, obj):
        return obj.n_rates


class MarketSlugFilter(admin.AllValuesFieldListFilter):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.title = "market"


@admin.register(MarketRate)
class MarketRateAdmin(RowOfSetAdmin):
    owner_field = "market"
    owner_queryset = Market.objects.filter(
        assumption_set__status=AssumptionSet.Status.DRAFT,
    ).select_related("assumption_set")
    list_display = (
        "language",
        "market",
        "assumption_set",
        *(figure_column(MarketRate, name) for name in MarketRate.figures),
        sources_column,
    )
    list_filter = (
        "market__assumption_set__status",
        "market__assumption_set",
        "language",
        ("market__slug", MarketSlugFilter),
    )
    list_select_related = ("market__assumption_set", *MarketRate.source_fields())
    search_fields = ("language", "market__name", "market__slug", "market__assumption_set__name")
    fieldsets = (
        (None, {"fields": (("market", "language"),)}),
        ("Figures: base, low, high, source", {"fields": figure_rows(MarketRate)}),
    )

    @admin.display(description="assumption set", ordering="market__assumption_set")
    def assumption_set(self, obj):
        return obj.market.assumption_set

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "market":
            field.label_from_instance = lambda m: f"{m.name} ({m.assumption_set})"
        return field


@admin.register(InstanceType)
class InstanceTypeAdmin(RowOfSetAdmin):
    list_display = (
        "name",
        "provider",
        "region",
        "vcpu",
        "memory_gb",
        "assumption_set",
        figure_column(InstanceType, "price_per_hour"),
        sources_column,
    )
    list_filter = ("assumption_set__status", "assumption_set", "provider", "region")
    list_select_related = ("assumption_set", *InstanceType.source_fields())
    search_fields = ("name", "slug", "provider", "region", "assumption_set__name")
    fieldsets = (
        (None, {"fields": ("assumption_set", ("name", "slug"), ("provider", "region"))}),
        ("Size", {"fields": (("vcpu", "memory_gb"),)}),
        ("Figures: base, low, high, source", {"fields": figure_rows(InstanceType)}),
    )
