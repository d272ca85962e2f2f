"""The assumption set's page: its own fields, its markets inline and every other row as a list
of links to the row's own page; publishing and cloning as actions.

Each figure is edited on its row's own page. The set's page would otherwise post every figure
of every row at once (468 fields for a shipped set), past Django's limit on posted fields, so
that nothing on it could be saved; a row's own page posts some twenty-five.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from costcalc.text import language_name

from ..models import AssumptionSet, InstanceType, Market, Source, Stack
from .common import (
    COMPACT_TEXT,
    SOURCES_OF,
    FigureFields,
    FrozenWhenPublished,
    admin_url,
    count_column,
    count_of,
    figure_text,
    is_frozen,
    set_of,
)


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


class MarketInline(SetInline, admin.TabularInline):
    model = Market
    fields = ("name", "slug", "note", "rate_links")
    readonly_fields = ("rate_links",)
    show_change_link = True
    verbose_name_plural = "hiring markets (follow a language to edit its rates)"

    @admin.display(description="rates for")
    def rate_links(self, obj):
        if obj.pk is None:
            return "—"
        return row_links(obj.rates.all(), lambda rate: language_name(rate.language)) or ("none yet")

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("rates")


def row_links(rows, label, figures=lambda row: ""):
    """Links to each row's own page, with its key figures after each."""
    return format_html_join(
        "",
        '<li><a href="{}">{}</a>{}</li>',
        ((admin_url(row), label(row), figures(row)) for row in rows),
    )


def link_list(items, add_url: str, add_label: str, frozen: bool):
    add = (
        ""
        if frozen
        else format_html('<p><a class="addlink" href="{}">{}</a></p>', add_url, add_label)
    )
    if not items:
        return format_html("<p>None yet.</p>{}", add)
    return format_html('<ul class="figure-links">{}</ul>{}', items, add)


def key_figures(*names):
    """ " · rps per vCPU 4,000 (2,000–8,000) · …": a row's figures as its link shows them."""

    def text(row):
        return format_html_join(
            "",
            " · {}: {}",
            ((row._meta.get_field(n).verbose_name, figure_text(row, n)) for n in names),
        )

    return text


# The set --------------------------------------------------------------------------------


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
    readonly_fields = (
        "status",
        "published_at",
        "cloned_from_link",
        "readiness",
        "source_links",
        "stack_links",
        "instance_links",
    )
    fieldsets = (
        (None, {"fields": ("name", ("slug", "version"), "status", "readiness")}),
        ("Dates", {"fields": (("as_of", "published_at"),)}),
        ("Description", {"fields": ("summary", "notes")}),
        ("History", {"fields": ("cloned_from_link",)}),
    )
    # Shown once the set exists: each row on its own page, so that this page stays small.
    row_fieldsets = (
        (
            "Sources, stacks and instance types (each edited on its own page)",
            {"fields": ("source_links", "stack_links", "instance_links")},
        ),
    )
    inlines = (SourceInline, MarketInline)
    formfield_overrides = COMPACT_TEXT

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
        # A new set is added with its sources, which its figures then cite; once it exists its
        # sources are listed as links (27 of them inline would be 190 fields more).
        wanted = SourceInline if obj is None else MarketInline
        return [i for i in inlines if isinstance(i, wanted)]

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None:
            note = (
                "Save the set with its sources first; its stacks, markets and instance types "
                "can then be added here, each figure citing one of those sources."
            )
            first = (fieldsets[0][0], {**fieldsets[0][1], "description": note})
            return (first, *fieldsets[1:])
        return (*fieldsets, *self.row_fieldsets)

    def _links(self, obj, model, rows, label, figures=lambda row: ""):
        opts = model._meta
        add_url = reverse(f"admin:{opts.app_label}_{opts.model_name}_add")
        return link_list(
            row_links(rows, label, figures),
            f"{add_url}?assumption_set={obj.pk}",
            f"Add a {opts.verbose_name}",
            obj.is_published,
        )

    @admin.display(description="sources")
    def source_links(self, obj):
        return self._links(obj, Source, obj.sources.all(), lambda s: f"{s.key}: {s.title}")

    @admin.display(description="stacks")
    def stack_links(self, obj):
        return self._links(
            obj,
            Stack,
            obj.stacks.all(),
            lambda s: s.name,
            key_figures("rps_per_vcpu", "cpu_multiplier", "memory_per_process_mb"),
        )

    @admin.display(description="instance types")
    def instance_links(self, obj):
        return self._links(
            obj,
            InstanceType,
            obj.instance_types.all(),
            str,
            key_figures("price_per_hour"),
        )

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
