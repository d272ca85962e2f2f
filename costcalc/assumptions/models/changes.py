"""What changed in a set since the previous published version of it: each figure, old to new.

Worked out when a set is reviewed for publishing and stored with it when it is published (a
published set never changes, and neither does its predecessor), so that the public pages show
it without reading the previous version again.
"""

from __future__ import annotations

import re

from costcalc.engine.figures import FIGURE_UNITS
from costcalc.text import language_name, number_text

from .figures import InstanceType, MarketRate, PlatformPrice, Stack
from .sets import AssumptionSet, Source


def previous_version(aset: AssumptionSet) -> AssumptionSet | None:
    """The newest published version of the same set below this one."""
    return (
        AssumptionSet.objects.published()
        .filter(slug=aset.slug, version__lt=aset.version)
        .order_by("-version")
        .first()
    )


def _value_text(row, name: str) -> str:
    unit, decimals = FIGURE_UNITS.get(name, ("", 4))
    base = number_text(getattr(row, name), decimals)
    low, high = getattr(row, f"{name}_low", None), getattr(row, f"{name}_high", None)
    text = f"{base} {unit}".strip()
    if low is not None and high is not None:
        text += f" ({number_text(low, decimals)}–{number_text(high, decimals)})"
    return text


def _rows(aset: AssumptionSet) -> dict[tuple, tuple[str, str, object]]:
    """{a row's key across versions: (its label, its anchor on the set's page, the row)}."""
    rows: dict[tuple, tuple[str, str, object]] = {}
    for stack in Stack.objects.filter(assumption_set=aset):
        rows[("stack", stack.slug)] = (stack.name, f"stack-{stack.slug}", stack)
    rates = MarketRate.objects.filter(market__assumption_set=aset).select_related("market")
    for rate in rates.order_by("market__name", "language"):
        label = f"{language_name(rate.language)} engineers, {rate.market.name}"
        anchor = f"market-{rate.market.slug}-{rate.language}"
        rows[("rate", rate.market.slug, rate.language)] = (label, anchor, rate)
    for instance in InstanceType.objects.filter(assumption_set=aset):
        rows[("instance", instance.slug)] = (instance.name, f"instance-{instance.slug}", instance)
    for price in PlatformPrice.objects.filter(assumption_set=aset):
        rows[("platform", price.slug)] = (price.name, f"platform-{price.slug}", price)
    return rows


def _source_identity(source: Source | None) -> tuple:
    if source is None:
        return ()
    return (source.key, source.title, source.url, source.publisher, source.date)


def _label(model, name: str) -> str:
    # "Annual salary (USD)" -> "Annual salary": the unit is written beside the values.
    return re.sub(r"\s*\([^)]*\)$", "", str(model._meta.get_field(name).verbose_name))


def changed_figures(aset: AssumptionSet, before: AssumptionSet | None = None) -> list[dict]:
    """Every figure whose value, range or source differs from the previous published version.

    Each change is a plain dict (stored as JSON with the published set): the row and figure,
    the old and new values as text ("" for a row added or removed), and the source now cited.
    A first version has no changes: everything in it is new.
    """
    before = before if before is not None else previous_version(aset)
    if before is None:
        return []
    sources = {s.pk: s for s in Source.objects.filter(assumption_set__in=[aset, before])}
    old_rows, new_rows = _rows(before), _rows(aset)
    changes = []
    for key in [*new_rows, *(k for k in old_rows if k not in new_rows)]:
        label, anchor, new = new_rows.get(key, (None, None, None))
        old_label, old_anchor, old = old_rows.get(key, (None, None, None))
        model = type(new if new is not None else old)
        for name in model.figures:
            new_source = sources.get(getattr(new, f"{name}_source_id")) if new else None
            old_source = sources.get(getattr(old, f"{name}_source_id")) if old else None
            new_text = _value_text(new, name) if new is not None else ""
            old_text = _value_text(old, name) if old is not None else ""
            if new_text == old_text and _source_identity(new_source) == _source_identity(
                old_source
            ):
                continue
            cited = new_source or old_source
            changes.append(
                {
                    "row": label or old_label,
                    "anchor": anchor or old_anchor,
                    "figure": _label(model, name),
                    "old": old_text,
                    "new": new_text,
                    "source": cited.key if cited else "",
                    "source_title": cited.title if cited else "",
                    "source_changed": old is not None
                    and new is not None
                    and _source_identity(new_source) != _source_identity(old_source),
                }
            )
    return changes
