"""Every row of a set listed, searched and filtered on its own."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html

from costcalc.text import language_name, number_text

from ..models import AssumptionSet, InstanceType, Market, MarketRate, PlatformPrice, Source, Stack
from .common import (
    URL_FIELDS,
    EditHistory,
    FigureRowAdmin,
    FrozenWhenPublished,
    RowOfSetAdmin,
    count_of,
    figure_rows,
    listed_figures,
)
from .sets import key_figures, link_list, row_links


@admin.register(Source)
class SourceAdmin(FrozenWhenPublished, EditHistory):
    # The publisher is a filter, not a column: with it the list was wider than 1366 pixels.
    list_display = ("key", "title", "date", "link", "assumption_set")
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
        # The site's name only: whole URLs do not wrap, and widened the list past 1366 pixels.
        return format_html(
            '<a href="{}" title="{}" rel="noopener noreferrer">{}</a>',
            obj.url,
            obj.url,
            urlsplit(obj.url).netloc.removeprefix("www.") or obj.url,
        )

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
class StackAdmin(FigureRowAdmin):
    # The figures an analyst compares across stacks; the rest are on each stack's page. Nine
    # figure columns would not fit at 1366 pixels.
    list_display = (
        "name",
        "language",
        *listed_figures(
            Stack, "rps_per_vcpu", "cpu_multiplier", "memory_per_process_mb", "weeks_to_first_api"
        ),
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
    fields = ("assumption_set", ("name", "slug"), "note", "rate_links")
    readonly_fields = ("rate_links",)

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(n_rates=count_of(MarketRate, "market"))

    @admin.display(description="rates (each edited on its own page)")
    def rate_links(self, obj):
        if obj is None or obj.pk is None:
            return "Save the market first; its rates per language can then be added."
        return link_list(
            row_links(
                obj.rates.all(),
                lambda rate: f"{language_name(rate.language)} engineers",
                key_figures("annual_salary", "loaded_multiplier"),
            ),
            f"{reverse('admin:assumptions_marketrate_add')}?market={obj.pk}",
            "Add a market rate",
            obj.assumption_set.is_published,
        )

    @admin.display(description="languages with rates", ordering="n_rates")
    def n_rates(self, obj):
        return obj.n_rates


class MarketSlugFilter(admin.AllValuesFieldListFilter):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.title = "market"


@admin.register(MarketRate)
class MarketRateAdmin(FigureRowAdmin):
    owner_field = "market"
    owner_queryset = Market.objects.filter(
        assumption_set__status=AssumptionSet.Status.DRAFT,
    ).select_related("assumption_set")
    list_display = (
        "language",
        "market",
        *listed_figures(
            MarketRate,
            "annual_salary",
            "loaded_multiplier",
            "recruiting_fee_pct",
            "time_to_fill_days",
        ),
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
class InstanceTypeAdmin(FigureRowAdmin):
    list_display = (
        "name",
        "provider",
        "region",
        "size",
        *listed_figures(InstanceType, "price_per_hour"),
    )
    list_filter = ("assumption_set__status", "assumption_set", "provider", "region")
    list_select_related = ("assumption_set", *InstanceType.source_fields())
    search_fields = ("name", "slug", "provider", "region", "assumption_set__name")

    @admin.display(description="size", ordering="vcpu")
    def size(self, obj):
        # One column, and "vCPU" as it is spelled (a column heading would capitalise it).
        return f"{number_text(obj.vcpu, 2)} vCPU, {number_text(obj.memory_gb, 2)} GB"

    fieldsets = (
        (None, {"fields": ("assumption_set", ("name", "slug"), ("provider", "region"))}),
        ("Size", {"fields": (("vcpu", "memory_gb"),)}),
        ("Figures: base, low, high, source", {"fields": figure_rows(InstanceType)}),
    )


@admin.register(PlatformPrice)
class PlatformPriceAdmin(FigureRowAdmin):
    list_display = ("slug", "name", "kind", "unit", *listed_figures(PlatformPrice, "value"))
    list_filter = ("assumption_set__status", "assumption_set", "kind", "provider")
    list_select_related = ("assumption_set", *PlatformPrice.source_fields())
    search_fields = ("slug", "name", "kind", "provider", "assumption_set__name")
    fieldsets = (
        (
            None,
            {
                "fields": (
                    "assumption_set",
                    ("name", "slug"),
                    ("kind", "unit"),
                    ("provider", "region"),
                )
            },
        ),
        ("Figure: base, low, high, source", {"fields": figure_rows(PlatformPrice)}),
    )
