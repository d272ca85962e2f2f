"""What every page of the assumptions admin shares: figure columns, source dropdowns of the
row's own set, and read-only published sets."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.widgets import RelatedFieldWidgetWrapper
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.forms import Textarea
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.html import format_html_join
from simple_history.admin import SimpleHistoryAdmin

from costcalc.text import number_text

from ..models import AssumptionSet, MarketRate, PublishedSetError, Source

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


def frozen_message(*objs) -> str:
    """Why a published set, or a row of one, was not deleted."""
    sets = sorted({str(set_of(obj)) for obj in objs})
    if len(objs) == 1 and isinstance(objs[0], AssumptionSet):
        what = f"{objs[0]} is published"
    elif len(objs) == 1:
        what = f"{objs[0]} belongs to {sets[0]}, which is published"
    else:
        what = f"the selection holds published sets or their rows ({'; '.join(sets)})"
    return f"Nothing was deleted: {what}. {NEVER_CHANGES}"


NEVER_CHANGES = "A published set never changes; clone it to make a new version."


def admin_url(obj) -> str:
    opts = obj._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])


def figure_rows(model) -> tuple[tuple[str, ...], ...]:
    """One fieldset line per figure: base, low, high (where it has a range), source, and the
    box confirming that the source gives a changed value."""
    names = {f.name for f in model._meta.get_fields()}
    rows = []
    for name in model.figures:
        row = [name]
        if f"{name}_low" in names:
            row += [f"{name}_low", f"{name}_high"]
        rows.append((*row, f"{name}_source", f"{name}{CONFIRMED}"))
    return tuple(rows)


CONFIRMED = "_confirmed"
SOURCE_AGAIN = (
    "The value changed but its source did not: choose the source that gives the new value, "
    "or tick “source confirms the new value”."
)


class FigureForm(forms.ModelForm):
    """A figure's value changes only with its source: a changed base, low or high value is
    refused unless its source changes too, or the analyst confirms that the source cited gives
    the new value. Otherwise a figure would silently go on citing a source for a number the
    source does not say."""

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk is None:
            return cleaned  # a new row's sources are all chosen with it
        changed = set(self.changed_data)
        for name in self._meta.model.figures:
            values = {name, f"{name}_low", f"{name}_high"} & set(self.fields)
            if (
                values & changed
                and f"{name}_source" not in changed
                and not cleaned.get(f"{name}{CONFIRMED}")
                and f"{name}_source" in self.fields
            ):
                self.add_error(f"{name}_source", SOURCE_AGAIN)
        return cleaned


def figure_form(model) -> type[forms.ModelForm]:
    """The form class of a figure row's own page: one confirmation box per figure."""
    boxes = {
        f"{name}{CONFIRMED}": forms.BooleanField(
            required=False,
            label="source confirms the new value",
            help_text="Tick when the value changed and the source cited gives the new one.",
        )
        for name in model.figures
    }
    return type(f"{model.__name__}FigureForm", (FigureForm,), boxes)


def figure_text(obj, name: str) -> str:
    base = number_text(getattr(obj, name))
    low, high = getattr(obj, f"{name}_low", None), getattr(obj, f"{name}_high", None)
    if low is None or high is None:
        return base
    return f"{base} ({number_text(low)}–{number_text(high)})"


# Changelist headings for the figures whose names would widen a list past 1366 pixels.
HEADINGS = {
    "rps_per_vcpu": "req/s per vCPU",
    "cpu_multiplier": "CPU vs Go",
    "memory_per_process_mb": "MB per process",
    "weeks_to_first_api": "weeks to first API",
    "annual_salary": "salary (USD)",
    "loaded_multiplier": "loaded ×",
    "recruiting_fee_pct": "fee %",
    "time_to_fill_days": "days to fill",
    "price_per_hour": "USD per hour",
}


def figure_column(model, name: str, description: str = ""):
    """A changelist column showing one figure with its range (under a shorter heading, where
    the figure's name would widen the list)."""

    description = description or HEADINGS.get(name) or model._meta.get_field(name).verbose_name

    @admin.display(description=description, ordering=name)
    def column(obj):
        return figure_text(obj, name)

    column.__name__ = name
    return column


def listed_figures(model, *names: str) -> tuple:
    """The changelist columns of a row of figures after its own: its set, the figures ``names``
    with their ranges, and the sources the row cites."""
    return ("assumption_set", *(figure_column(model, name) for name in names), sources_column)


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
        if field is not None and str(getattr(db_field, "verbose_name", "")).startswith("vCPU"):
            # Django capitalises a label's first letter, which would make it "VCPU".
            field.label = db_field.verbose_name
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
        obj = self.get_object(request, object_id)
        if is_frozen(obj):
            # Django would answer "your account doesn't have permission", true of no one.
            self.message_user(request, frozen_message(obj), messages.ERROR)
            return HttpResponseRedirect(admin_url(obj))
        try:
            return super().delete_view(request, object_id, extra_context)
        except PublishedSetError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())

    def get_actions(self, request):
        actions = super().get_actions(request)
        if "delete_selected" in actions:
            delete, name, description = actions["delete_selected"]

            def delete_selected(modeladmin, request, queryset):
                frozen = [obj for obj in queryset if is_frozen(obj)]
                if frozen:
                    modeladmin.message_user(request, frozen_message(*frozen), messages.ERROR)
                    return None
                return delete(modeladmin, request, queryset)

            actions["delete_selected"] = (delete_selected, name, description)
        return actions

    def view_on_site(self, obj):
        # A draft's page is its preview, for staff only (a 404 to anyone else).
        return obj.get_absolute_url()


class RowOfSetAdmin(FigureFields, FrozenWhenPublished, admin.ModelAdmin):
    """A model admin for the rows of a set: the set is chosen on adding, and fixed after."""

    owner_field = "assumption_set"
    owner_queryset = AssumptionSet.objects.filter(status=AssumptionSet.Status.DRAFT)

    def __init__(self, model, admin_site):
        super().__init__(model, admin_site)
        if getattr(model, "figures", ()):
            # Every row of figures gets its confirmation boxes: a value changes with its source.
            self.form = figure_form(model)

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


class EditHistory(SimpleHistoryAdmin):
    """A row's History page lists each of its edits: who, when, and every field old to new.

    A record only: an old version can be viewed but not saved back, which would skip
    FigureForm's check that a changed value names its source again (and, for a published set,
    be refused by the models). Django-simple-history hides its Revert button when
    SIMPLE_HISTORY_REVERT_DISABLED is set, but would still save a posted form.
    """

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method not in ("GET", "HEAD"):
            raise PermissionDenied("An edit history is read-only.")
        return super().history_form_view(request, object_id, version_id, extra_context)


class FigureRowAdmin(RowOfSetAdmin, EditHistory):
    """A row of figures (stack, market rate, instance type): its page, and its edit history."""


# Inlines on the set's (and a market's) page -----------------------------------------------


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
