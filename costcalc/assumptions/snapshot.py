"""Turn an assumption set in the database into the engine's plain, frozen snapshot."""

from __future__ import annotations

import dataclasses
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, NamedTuple, TypeVar

from costcalc import engine
from costcalc.engine import insight as ei

from .models import AssumptionSet, ExchangeRate, InstanceType, Market, MarketRate, Source, Stack
from .selectors import forget_published

T = TypeVar("T")


def figure(row, name: str) -> engine.Figure:
    return engine.Figure(
        base=getattr(row, name),
        low=getattr(row, f"{name}_low", None),
        high=getattr(row, f"{name}_high", None),
        source=getattr(row, f"{name}_source").key,
    )


def plain(cls: type[T], row, **values) -> T:
    """The engine's dataclass ``cls`` from the row's attributes of the same names.

    ``values`` are the fields that are not plain attributes (figures, dates, related slugs).
    """
    names = (f.name for f in dataclasses.fields(cls) if f.name not in values)
    return cls(**{name: getattr(row, name) for name in names}, **values)


def figures(row) -> dict[str, engine.Figure]:
    return {name: figure(row, name) for name in type(row).figures}


def build_snapshot(aset: AssumptionSet) -> engine.Assumptions:
    """Read every figure of a set in seven queries."""

    def related(model):
        return model.objects.select_related(*model.source_fields())

    sources = Source.objects.filter(assumption_set=aset)
    stacks = related(Stack).filter(assumption_set=aset)
    rates = related(MarketRate).select_related("market").filter(market__assumption_set=aset)
    return engine.Assumptions(
        slug=aset.slug,
        name=aset.name,
        version=aset.version,
        as_of=aset.as_of.isoformat(),
        stacks={s.slug: plain(engine.Stack, s, **figures(s)) for s in stacks},
        markets={
            m.slug: plain(engine.Market, m) for m in Market.objects.filter(assumption_set=aset)
        },
        rates={
            (r.market.slug, r.language): plain(
                engine.MarketRate, r, market=r.market.slug, **figures(r)
            )
            for r in rates
        },
        instances={
            i.slug: plain(engine.InstanceType, i, **figures(i))
            for i in related(InstanceType).filter(assumption_set=aset)
        },
        sources={
            s.key: plain(engine.Source, s, date=s.date.isoformat() if s.date else "")
            for s in sources
        },
        exchange_rates={
            r.currency: engine.ExchangeRate(
                r.currency, r.per_euro, r.date.isoformat(), r.source.key
            )
            for r in related(ExchangeRate).filter(assumption_set=aset)
        },
        platform={
            p.slug: plain(engine.PlatformPrice, p, **figures(p))
            for p in aset.platform_prices.select_related("value_source")
        },
    )


SETS_HELD = 16  # published set versions a process keeps; a page offers about four
DERIVED_PER_SET = 32  # things derived from one set (fields per list of sets, citations per prefix)


class _Entry(NamedTuple):
    snapshot: engine.Assumptions
    derived: dict[Hashable, Any]


_sets: OrderedDict[tuple[str, int, str], _Entry] = OrderedDict()
_lock = threading.Lock()


def snapshot(aset: AssumptionSet) -> engine.Assumptions:
    """A published set never changes, so its snapshot is built once per process; a draft's,
    which can change at any save, on every call.

    Keyed by slug, version and publication time: a set unpublished, edited and published
    again, or a database rebuilt under the same process (as tests do), gets a new key.
    """
    if not aset.is_published:
        return build_snapshot(aset)
    key = (aset.slug, aset.version, aset.published_at.isoformat())
    with _lock:
        entry = _sets.get(key)
        if entry is not None:
            _sets.move_to_end(key)
            return entry.snapshot
    built = _Entry(build_snapshot(aset), {})  # outside the lock: five queries
    with _lock:
        entry = _sets.setdefault(key, built)
        while len(_sets) > SETS_HELD:
            _sets.popitem(last=False)
    return entry.snapshot


def _entry_of(snap: engine.Assumptions) -> _Entry | None:
    """The cache entry holding this very snapshot, if it is a cached published one."""
    with _lock:
        for (slug, version, _), entry in reversed(_sets.items()):
            if slug == snap.slug and version == snap.version and entry.snapshot is snap:
                return entry
    return None


def derived(snap: engine.Assumptions, name: Hashable, build: Callable[[], T]) -> T:
    """What another layer derives from a snapshot (form fields, citations), kept beside it.

    ``name`` says what it is and anything else it depends on. Entries live and die with their
    set's snapshot; a draft's snapshot is not cached, so what is derived from it is built on
    every call.
    """
    entry = _entry_of(snap)
    if entry is None:
        return build()
    try:
        return entry.derived[name]
    except KeyError:
        pass
    value = build()
    with _lock:
        if len(entry.derived) >= DERIVED_PER_SET:
            entry.derived.clear()
        return entry.derived.setdefault(name, value)


class Recent:
    """The last ``size`` values built, by key, the least recently used dropped first: for what
    is derived from a set per scenario (kept in the set's entry with :func:`derived`, so it
    lives and dies with the set, and a draft's is built on every call)."""

    def __init__(self, size: int):
        self.size = size
        self._items: OrderedDict[Hashable, Any] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable, build: Callable[[], T]) -> T:
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
        value = build()  # outside the lock: another thread may build the same, and both agree
        with self._lock:
            self._items[key] = value
            while len(self._items) > self.size:
                self._items.popitem(last=False)
        return value

    def __len__(self) -> int:
        return len(self._items)


SIMULATIONS_PER_SET = 32  # Monte Carlos a set's entry keeps: 4 options x 2,000 draws is 64 KB


def simulated(inputs: engine.Inputs, options, snap: engine.Assumptions):
    """The scenario's Monte Carlo (engine.insight.monte_carlo, its own seed and draws),
    remembered per set for the scenarios seen last.

    A page asks for it twice, for the verdict line's "how sure" and for the decision panel
    (about 9 ms each time), and the calculator's first page, the same for every visitor, once
    per view. Keyed by the scenario's canonical form, from which the seed is drawn.
    """
    recent = derived(snap, "simulations", lambda: Recent(SIMULATIONS_PER_SET))
    key = ei.scenario_key(inputs, options, snap)
    return recent.get(key, lambda: ei.monte_carlo(inputs, options, snap))


def clear_caches() -> None:
    """Forget every set: the snapshots, what was derived from them, and the list of sets."""
    forget_published()
    with _lock:
        _sets.clear()
