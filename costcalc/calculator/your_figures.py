"""The calculator's "Your figures": a field for each figure of the set a user may give in place
of the set's (engine/yours.py), named yours_<stack or language>_<figure>, blank for the set's.
"""

from __future__ import annotations

from django import forms

from costcalc import engine
from costcalc.text import language_name

from .fields import number

# "Your figures": the page's bounds for each figure a user may give (the unit as the form shows
# it). Wide on purpose: they only keep out typing slips; the engine checks the rest.
YOUR_BOUNDS = {
    "rps_per_vcpu": (0.001, 10_000_000, " req/s"),
    "weeks_to_first_api": (0, 520, " weeks"),
    "annual_salary": (0, 10_000_000, " USD"),
    "loaded_multiplier": (0, 10, "×"),
    "recruiting_fee_pct": (0, 100, "%"),
    "time_to_fill_days": (0, 3_650, " days"),
    "ramp_up_weeks": (0, 520, " weeks"),
}


YOURS_PREFIX = "yours_"


def your_field_name(slug: str, figure: str) -> str:
    """The page's field for a figure of yours: yours_go_rps_per_vcpu, yours_python_..."""
    return f"{YOURS_PREFIX}{slug}_{figure}"


def your_figure_fields(snapshot: engine.Assumptions) -> dict[str, tuple[str, forms.Field]]:
    """{field name: (engine key, field)} for every figure of the set a user may give."""
    figures = {**engine.figures.STACK_FIGURES, **engine.figures.RATE_FIGURES}
    rows = [
        ("stack", s.slug, s.name, name)
        for s in sorted(snapshot.stacks.values(), key=lambda s: s.name)
        for name in engine.yours.STACK_FIELDS
    ] + [
        ("rate", x, f"{language_name(x)} engineers", name)
        for x in snapshot.languages
        for name in engine.yours.RATE_FIELDS
    ]
    out = {}
    for owner, slug, who, name in rows:
        lo, hi, unit = YOUR_BOUNDS[name]
        field = number(
            f"{who}: {figures[name].words}",
            lo=lo,
            hi=hi,
            initial=None,
            unit=unit,
            help_text="Blank: the set's figure" + (" for the market." if owner == "rate" else "."),
        )
        field.required = False
        out[your_field_name(slug, name)] = (engine.yours.key(owner, slug, name), field)
    return out
