"""The assumption set's page: its own fields, its markets and exchange rates inline and every
other row as a list of links to the row's own page; publishing and cloning as actions.

Each figure is edited on its row's own page. The set's page would otherwise post every figure
of every row at once (468 fields for a shipped set), past Django's limit on posted fields, so
that nothing on it could be saved; a row's own page posts some twenty-five.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join

from costcalc.text import language_name

from ..models import (
    AssumptionSet,
    ExchangeRate,
    InstanceType,
    Market,
    PlatformPrice,
    Source,
    Stack,
)
from ..models.changes import changed_figures, previous_version
from .common import (
    COMPACT_TEXT,
    NEVER_CHANGES,
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
from .imports import CANNOT_IMPORT, IMPORTERS, import_page, import_url


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
        return obj.get_absolute_url()  # a draft's: its preview, for staff only


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


class ExchangeRateForm(forms.ModelForm):
    """A rate as its source quotes it, each field's problem said beside it."""

    class Meta:
        model = ExchangeRate
        fields = ("currency", "per_euro", "date", "source")
        error_messages = {
            "per_euro": {"required": "Give the rate: how many units of the currency a euro buys."},
            "date": {"required": "Give the day the reference rate is for."},
            "source": {"required": "Choose the source that publishes this rate."},
        }

    def clean_per_euro(self):
        rate = self.cleaned_data["per_euro"]
        if rate is not None and not rate > 0:  # also NaN: float fields take "nan"
            raise ValidationError("A rate is a positive number of units per euro.")
        return rate


class ExchangeRateInline(SetInline, admin.TabularInline):
    """The set's reference rates, which only a display currency reads (the model computes in
    US dollars): a few rows, edited on the set's page, read-only once it is published."""

    model = ExchangeRate
    form = ExchangeRateForm
    fields = ("currency", "per_euro", "date", "source")
    verbose_name_plural = "exchange rates (units of each currency per euro; USD needs one too)"


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


def links_column(model, description: str, label, figures=lambda row: ""):
    """A read-only field of the set's page: a link to each of its rows of ``model`` (with the
    row's ``figures``) and, in a draft, one to add a row."""
    opts = model._meta

    @admin.display(description=description)
    def column(self, obj):
        add_url = reverse(f"admin:{opts.app_label}_{opts.model_name}_add")
        return link_list(
            row_links(model.objects.filter(assumption_set=obj), label, figures),
            f"{add_url}?assumption_set={obj.pk}",
            f"Add a {opts.verbose_name}",
            obj.is_published,
        )

    return column


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
    actions = ("clone_sets", "publish_sets", "import_figures")
    readonly_fields = (
        "status",
        "published_at",
        "cloned_from_link",
        "readiness",
        "source_links",
        "stack_links",
        "instance_links",
        "platform_links",
        "import_links",
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
            "Sources, stacks, instance types and platform prices (each edited on its own page)",
            {
                "fields": (
                    "source_links",
                    "stack_links",
                    "instance_links",
                    "platform_links",
                    "import_links",
                )
            },
        ),
    )
    inlines = (SourceInline, MarketInline, ExchangeRateInline)
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
        wanted = SourceInline if obj is None else (MarketInline, ExchangeRateInline)
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

    source_links = links_column(Source, "sources", lambda s: f"{s.key}: {s.title}")
    stack_links = links_column(
        Stack,
        "stacks",
        lambda s: s.name,
        key_figures("rps_per_vcpu", "cpu_multiplier", "memory_per_process_mb"),
    )
    instance_links = links_column(
        InstanceType, "instance types", str, key_figures("price_per_hour")
    )
    platform_links = links_column(
        PlatformPrice, "platform prices", lambda p: f"{p.slug}: {p.name}", key_figures("value")
    )

    @admin.display(description="import figures from a file")
    def import_links(self, obj):
        if obj.is_published:
            return NEVER_CHANGES
        return format_html(
            '<ul class="figure-links">{}</ul>',
            format_html_join(
                "",
                '<li><a href="{}">{}</a></li>',
                ((import_url(obj, kind), i.title) for kind, i in IMPORTERS.items()),
            ),
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
        preview = format_html(
            ' Preview it (staff only): <a href="{}">its page</a>, <a href="{}">the calculator</a>.',
            obj.get_absolute_url(),
            preview_url(obj),
        )
        if not problems:
            return format_html(
                'Yes: the set is complete. <a href="{}">Review its changes and publish it</a>.{}',
                publish_url(obj),
                preview,
            )
        return format_html(
            "Not yet:<ul>{}</ul>{}",
            format_html_join("", "<li>{}</li>", ((p,) for p in problems)),
            preview,
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

    @admin.action(description="Review and publish", permissions=["change"])
    def publish_sets(self, request: HttpRequest, queryset):
        """Opens the review page of the one draft chosen, if it is complete."""
        sets = list(queryset.order_by("slug", "version"))
        if len(sets) != 1:
            self.message_user(
                request,
                "Choose one set to publish: each is reviewed, with its changes, on its own.",
                messages.ERROR,
            )
            return None
        (aset,) = sets
        if aset.is_published:
            self.message_user(request, ALREADY_PUBLISHED.format(aset), messages.ERROR)
            return None
        problems = aset.completeness_problems()
        if problems:
            self.not_published(request, aset, problems)
            return None
        return HttpResponseRedirect(publish_url(aset))

    @admin.action(description="Import figures from a file", permissions=["change"])
    def import_figures(self, request: HttpRequest, queryset):
        """Opens the import page of the one draft chosen: each file goes into one draft."""
        sets = list(queryset.order_by("slug", "version"))
        if len(sets) != 1:
            self.message_user(request, "Choose one draft to import a file into.", messages.ERROR)
            return None
        if sets[0].is_published:
            self.message_user(request, CANNOT_IMPORT.format(sets[0]), messages.ERROR)
            return None
        return HttpResponseRedirect(import_url(sets[0], "techempower"))

    def not_published(self, request, aset, problems) -> None:
        self.message_user(
            request,
            format_html(
                "{} was not published:<ul>{}</ul>",
                aset,
                format_html_join("", "<li>{}</li>", ((p,) for p in problems)),
            ),
            messages.ERROR,
        )

    def get_urls(self):
        publish = path(
            "<path:object_id>/publish/",
            self.admin_site.admin_view(self.publish_view),
            name="assumptions_assumptionset_publish",
        )
        imports = path(
            "<path:object_id>/import/<slug:kind>/",
            self.admin_site.admin_view(self.import_view),
            name="assumptions_assumptionset_import",
        )
        return [publish, imports, *super().get_urls()]

    def import_view(self, request: HttpRequest, object_id: str, kind: str) -> HttpResponse:
        return import_page(self, request, object_id, kind)

    def publish_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        """The review before publishing: every figure changed since the previous published
        version, and the note on what changed and why that the version keeps."""
        aset = self.get_object(request, object_id)
        if aset is None:
            raise Http404("No assumption set has that id.")
        changelist = reverse("admin:assumptions_assumptionset_changelist")
        if aset.is_published:
            self.message_user(request, ALREADY_PUBLISHED.format(aset), messages.ERROR)
            return HttpResponseRedirect(changelist)
        if not self.has_change_permission(request, aset):
            raise PermissionDenied
        problems = aset.completeness_problems()
        form = PublishForm(request.POST if request.method == "POST" else None)
        if request.method == "POST" and not problems and form.is_valid():
            try:
                aset.publish(note=form.cleaned_data["note"])
            except ValidationError as error:
                problems = error.messages
            else:
                self.log_change(request, aset, "Published.")
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
                return HttpResponseRedirect(changelist)
        before = previous_version(aset)
        context = {
            **self.admin_site.each_context(request),
            "title": f"Publish {aset.name} v{aset.version}?",
            "opts": self.opts,
            "original": aset,
            "aset": aset,
            "before": before,
            "changes": changed_figures(aset, before),
            "problems": problems,
            "form": form,
            "media": self.media,
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "admin/assumptions/assumptionset/publish.html", context)


ALREADY_PUBLISHED = (
    "{} is already published. A published set never changes; clone it to make a new version."
)


def preview_url(aset: AssumptionSet) -> str:
    """The calculator with a set chosen: for a draft, its preview (offered to staff only)."""
    return f"{reverse('calculator:calculator')}?{urlencode({'assumptions': aset.key})}"


def publish_url(aset: AssumptionSet) -> str:
    return reverse("admin:assumptions_assumptionset_publish", args=[aset.pk])


class PublishForm(forms.Form):
    note = forms.CharField(
        label="What changed and why",
        widget=forms.Textarea(attrs={"rows": 5, "cols": 80}),
        help_text="Shown with the version on its public page and in the list of sets.",
        error_messages={"required": "Say what changed and why: the version keeps this note."},
    )


# Every row on its own -------------------------------------------------------------------
