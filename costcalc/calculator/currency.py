"""The display currency of a calculator request: its query's ``currency`` at the chosen set's
dated reference rate (docs/api.md, "Currencies").

The model computes in the set's US dollars; a view wrapped in :func:`in_display_currency`
renders with every money() and compact_money() converted (costcalc/text.py ``shown_in``),
so the cards, tables, workings, verdict and insight all show one currency.
"""

from __future__ import annotations

from functools import wraps

from django.http import HttpRequest, HttpResponse, QueryDict

from costcalc import engine
from costcalc.assumptions.selectors import choose_set, published_sets
from costcalc.assumptions.snapshot import snapshot
from costcalc.text import USD, Display, shown_in


def display_of(query: QueryDict) -> Display:
    """The currency ``query`` asks for, if its set has a rate for it; else US dollars (the
    form then says what is wrong with the field)."""
    code = query.get("currency", "USD")
    if code == "USD":
        return USD
    sets = published_sets()
    if not sets:
        return USD
    snap = snapshot(choose_set(sets, query.get("assumptions")))
    try:
        return snap.display(code)
    except engine.ModelError:
        return USD


def in_display_currency(view):
    """Render ``view`` in the display currency its request's query names."""

    @wraps(view)
    def converted(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        display = display_of(request.GET)
        if display is USD:
            return view(request, *args, **kwargs)
        with shown_in(display):
            return view(request, *args, **kwargs)

    return converted
