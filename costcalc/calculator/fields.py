"""The calculator's number field: bounds, unit and messages a person can act on."""

from __future__ import annotations

from django import forms

from costcalc import engine

PLATFORM_DEFAULTS = engine.Platform()  # the platform lines' stated sizes
NO_LINE = "none"  # the database and observability choices' "no such line"


def number(label, *, lo, hi, initial, help_text, step="any", unit="", integer=False):
    field_class = forms.IntegerField if integer else forms.FloatField
    field = field_class(
        label=label,
        min_value=lo,
        max_value=hi,
        initial=initial,
        help_text=help_text,
        error_messages={
            "required": f"Enter {label}.",
            # Django's IntegerField calls 2.5 "invalid" as it does "x": say what it takes.
            "invalid": f"{label} must be a {'whole ' if integer else ''}number.",
            # Django fills these with %-formatting: a literal % must be doubled.
            "min_value": f"{label} must be at least {lo:,}{unit}.".replace("%", "%%"),
            "max_value": f"{label} must be at most {hi:,}{unit}.".replace("%", "%%"),
        },
    )
    field.widget.attrs.update({"step": "1" if integer else step, "inputmode": "decimal"})
    field.unit = unit  # as it follows a number: "%", " ms"
    field.unit_label = unit.strip()  # as the label shows it: "(USD per month)"
    return field
