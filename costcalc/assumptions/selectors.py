"""Which published sets exist and which one a request means: the one place that asks.

The calculator, the scenarios and the API all offer the same list, in the same order, so a
link made on one page resolves to the same set on every other. Staff are offered the drafts
too, after the published sets, to preview them (``offered_sets``); nothing is ever saved or
shared against a draft.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.utils.functional import SimpleLazyObject

from .models import AssumptionSet

DEFAULT_SET = "independent-2026"
PUBLISHED_TTL = 10.0  # seconds another worker may go on offering the older list of sets
# (when read, the sets, their choices for the form's select)
_published: tuple[float, list[AssumptionSet], tuple[tuple[str, str], ...]] | None = None


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
        sets.sort(key=lambda s: s.slug != DEFAULT_SET)
        _published = (now, sets, _choices(sets))
    return _published[1]


def is_staff(request) -> bool:
    user = getattr(request, "user", None)
    if user is None:
        return False
    # Without a session cookie nobody is signed in: saying so without evaluating the lazy user
    # skips loading an empty session on every visitor's recalculation.
    if isinstance(user, SimpleLazyObject) and settings.SESSION_COOKIE_NAME not in request.COOKIES:
        return False
    return bool(user.is_active and user.is_staff)


def offered_sets(request) -> list[AssumptionSet]:
    """The sets a request may compute with: every published one and, for staff only, every
    draft after them, to preview it. Drafts are read on each request (they change at any
    save); a visitor's list is published_sets() itself, and a draft's key means nothing to it.
    """
    sets = published_sets()
    if not is_staff(request):
        return sets
    drafts = AssumptionSet.objects.filter(status=AssumptionSet.Status.DRAFT)
    return [*sets, *drafts.order_by("name", "-version")]


def draft_named(key: str | None) -> AssumptionSet | None:
    """The draft a set's key ("slug@version") names, if it names one."""
    slug, at, version = (key or "").partition("@")
    if not at or not version.isdigit():
        return None
    drafts = AssumptionSet.objects.filter(status=AssumptionSet.Status.DRAFT)
    return drafts.filter(slug=slug, version=int(version)).first()


DRAFT_NOT_SAVED = (
    "{} is a draft preview: it is not published, so nothing can be saved or shared with it. "
    "Publish it first, or choose a published set."
)


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


def set_choices(sets: list[AssumptionSet]) -> tuple[tuple[str, str], ...]:
    """The form's choice of set, for a list of sets. The published list's are built when it is
    read: formatting four dates on every recalculation cost 0.67 M of its 7.0 M instructions
    (callgrind, stop 27)."""
    cached = _published
    if cached is not None and sets is cached[1]:
        return cached[2]
    return _choices(sets)


def _choices(sets: list[AssumptionSet]) -> tuple[tuple[str, str], ...]:
    # Short enough for the form's select (268 px of text at 14 px): "(as of ...)" cut it off.
    return tuple((s.key, f"{s.name} v{s.version}, {_when(s)}") for s in sets)


def _when(aset: AssumptionSet) -> str:
    return f"{aset.as_of:%-d %b %Y}" if aset.is_published else "draft preview"
