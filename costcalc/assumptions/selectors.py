"""Which published sets exist and which one a request means: the one place that asks.

The calculator, the scenarios and the API all offer the same list, in the same order, so a
link made on one page resolves to the same set on every other.
"""

from __future__ import annotations

import time

from .models import AssumptionSet

DEFAULT_SET = "independent-2026"
PUBLISHED_TTL = 10.0  # seconds another worker may go on offering the older list of sets
_published: tuple[float, list[AssumptionSet]] | None = None


def published_sets() -> list[AssumptionSet]:
    """Every published version, newest first within a set, the default set first of all.

    Cached briefly: a published set never changes, so the only staleness is a newly published
    set appearing up to PUBLISHED_TTL seconds late in other processes; this process forgets at
    once (``forget_published`` runs on every save of a set).
    """
    global _published
    now = time.monotonic()
    if _published is None or now - _published[0] > PUBLISHED_TTL:
        sets = list(AssumptionSet.objects.published().order_by("name", "-version"))
        _published = (now, sorted(sets, key=lambda s: s.slug != DEFAULT_SET))
    return _published[1]


def forget_published(**kwargs) -> None:
    global _published
    _published = None


def choose_set(sets: list[AssumptionSet], key: str | None) -> AssumptionSet:
    """The set the query names, or the default when it names none we know."""
    by_key = {s.key: s for s in sets}
    if key in by_key:
        return by_key[key]
    if key and "@" not in key:  # a bare slug means its newest version
        newest = [s for s in sets if s.slug == key]
        if newest:
            return newest[0]
    return sets[0]


def set_choices(sets: list[AssumptionSet]) -> list[tuple[str, str]]:
    # Short enough for the form's select (268 px of text at 14 px): "(as of ...)" cut it off.
    return [(s.key, f"{s.name} v{s.version}, {s.as_of:%-d %b %Y}") for s in sets]
