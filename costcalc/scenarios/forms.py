"""Forms: sharing a scenario (with an optional migration), planning a migration, comparing."""

from __future__ import annotations

import re

from django import forms
from django.core.exceptions import ValidationError

from costcalc import engine

TITLE_MAX = 120
DESCRIPTION_MAX = 1000
QUERY_MAX = 6000
MAX_EFFORT_WEEKS = 100_000
MAX_MONTHS = 120
# Saving a scenario writes a row: each client may save SHARE_LIMIT in SHARE_WINDOW seconds, on
# the page and through the API alike.
SHARE_LIMIT = 10
SHARE_WINDOW = 60


def amount_field(label, help_text, *, most, unit, required, initial=None, widget=None):
    """A non-negative number up to ``most`` (in ``unit``), with messages that name the field."""
    return forms.FloatField(
        label=label,
        required=required,
        min_value=0,
        max_value=most,
        initial=initial,
        help_text=help_text,
        widget=widget or forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"}),
        error_messages={
            "required": f"Enter the {label.lower()}.",
            "invalid": f"{label} must be a number.",
            "min_value": f"{label} can't be negative.",
            "max_value": f"{label} must be at most {most:,} {unit}.",
        },
    )


def months_field(label: str, help_text: str, *, required: bool, initial=None, widget=None):
    return amount_field(
        label,
        help_text,
        most=MAX_MONTHS,
        unit="months",
        required=required,
        initial=initial,
        widget=widget,
    )


def effort_field(*, required: bool, initial=None, widget=None):
    return amount_field(
        "Rewrite effort",
        "Engineer-weeks of rewriting, on top of the team's normal work.",
        most=MAX_EFFORT_WEEKS,
        unit="engineer-weeks",
        required=required,
        initial=initial,
        widget=widget,
    )


class ShareForm(forms.Form):
    """POST /s/: the calculator's query string, a title, and optionally a migration."""

    title = forms.CharField(
        max_length=TITLE_MAX,
        help_text="Shown as the shared page's heading and in link previews.",
        error_messages={
            "required": "Give the scenario a title.",
            "max_length": f"Keep the title to {TITLE_MAX} characters.",
        },
    )
    description = forms.CharField(
        required=False,
        max_length=DESCRIPTION_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Optional: what it is about.",
        error_messages={"max_length": f"Keep the description to {DESCRIPTION_MAX} characters."},
    )
    query = forms.CharField(required=False, max_length=QUERY_MAX, widget=forms.HiddenInput)
    migration_from = forms.CharField(required=False, max_length=120, widget=forms.HiddenInput)
    migration_to = forms.CharField(required=False, max_length=120, widget=forms.HiddenInput)
    rewrite_effort_weeks = effort_field(required=False, widget=forms.HiddenInput)
    rewrite_months = months_field("Rewrite duration", "", required=False, widget=forms.HiddenInput)
    overlap_months = months_field(
        "Months of running both", "", required=False, widget=forms.HiddenInput
    )

    MIGRATION_FIELDS = (
        "migration_from",
        "migration_to",
        "rewrite_effort_weeks",
        "rewrite_months",
        "overlap_months",
    )

    def __init__(self, *args, id_prefix: str = "share", **kwargs):
        kwargs.setdefault("auto_id", f"{id_prefix}-%s")
        super().__init__(*args, **kwargs)
        self.fields["title"].widget.attrs.update({"maxlength": TITLE_MAX, "autocomplete": "off"})
        self.fields["description"].widget.attrs["maxlength"] = DESCRIPTION_MAX

    def clean_title(self) -> str:
        title = " ".join(self.cleaned_data["title"].split())
        if not title:
            raise ValidationError("Give the scenario a title.", code="required")
        return title

    def clean(self):
        data = super().clean()
        given = [name for name in self.MIGRATION_FIELDS if data.get(name) not in (None, "")]
        self.migration = None
        if given and len(given) != len(self.MIGRATION_FIELDS):
            raise ValidationError(
                "A migration needs the current and target options, the effort, the rewrite "
                "duration and the months of running both.",
                code="migration_incomplete",
            )
        if given:
            self.migration = engine.Migration(
                current=data["migration_from"],
                target=data["migration_to"],
                effort_weeks=data["rewrite_effort_weeks"],
                rewrite_months=data["rewrite_months"],
                overlap_months=data["overlap_months"],
            )
        return data


class MigrationForm(forms.Form):
    """GET /s/<slug>/migration/: try a migration between two of a scenario's options."""

    migration_from = forms.ChoiceField(
        label="From (what you run now)",
        error_messages={"invalid_choice": "Choose one of the options compared."},
    )
    migration_to = forms.ChoiceField(
        label="To",
        error_messages={"invalid_choice": "Choose one of the options compared."},
    )
    rewrite_effort_weeks = effort_field(required=True, initial=12)
    rewrite_months = months_field(
        "Rewrite duration",
        "Months until the target runs in production.",
        required=True,
        initial=3,
    )
    overlap_months = months_field(
        "Months of running both",
        "After the rewrite, both run until the old one is switched off.",
        required=True,
        initial=1,
    )

    def __init__(self, *args, options: list[str], **kwargs):
        kwargs.setdefault("auto_id", "migrate-%s")
        super().__init__(*args, **kwargs)
        choices = [(name, name) for name in options]
        self.fields["migration_from"].choices = choices
        self.fields["migration_to"].choices = choices
        if options:
            self.fields["migration_from"].initial = options[0]
            self.fields["migration_to"].initial = options[-1]

    def clean(self):
        data = super().clean()
        if data.get("migration_from") and data.get("migration_from") == data.get("migration_to"):
            self.add_error("migration_to", "Choose another option than the current one.")
        return data

    def migration(self) -> engine.Migration:
        d = self.cleaned_data
        return engine.Migration(
            current=d["migration_from"],
            target=d["migration_to"],
            effort_weeks=d["rewrite_effort_weeks"],
            rewrite_months=d["rewrite_months"],
            overlap_months=d["overlap_months"],
        )


SLUG_IN_TEXT = re.compile(r"(?:/s/)?([-A-Za-z0-9_]{1,64})/?(?:[?#].*)?$")


def slug_from(text: str) -> str | None:
    """A scenario's code from its code or its link ("https://host/s/<code>/")."""
    text = text.strip()
    if not text:
        return None
    match = SLUG_IN_TEXT.search(text)
    return match.group(1) if match else None
