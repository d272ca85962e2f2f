"""Turn an assumption set in the database into the engine's plain, frozen snapshot."""

from __future__ import annotations

from functools import lru_cache

from costcalc import engine

from .models import AssumptionSet, InstanceType, Market, MarketRate, Source, Stack
from .selectors import forget_published


def figure(row, name: str) -> engine.Figure:
    return engine.Figure(
        base=getattr(row, name),
        low=getattr(row, f"{name}_low", None),
        high=getattr(row, f"{name}_high", None),
        source=getattr(row, f"{name}_source").key,
    )


def build_snapshot(aset: AssumptionSet) -> engine.Assumptions:
    """Read every figure of a set in five queries."""
    sources = {
        s.key: engine.Source(
            key=s.key,
            title=s.title,
            url=s.url,
            publisher=s.publisher,
            date=s.date.isoformat() if s.date else "",
            note=s.note,
        )
        for s in Source.objects.filter(assumption_set=aset)
    }

    def related(model):
        return model.objects.select_related(*model.source_fields())

    stacks = {
        s.slug: engine.Stack(
            slug=s.slug,
            name=s.name,
            language=s.language,
            **{name: figure(s, name) for name in Stack.figures},
        )
        for s in related(Stack).filter(assumption_set=aset)
    }
    markets = {
        m.slug: engine.Market(slug=m.slug, name=m.name)
        for m in Market.objects.filter(assumption_set=aset)
    }
    rates = {
        (r.market.slug, r.language): engine.MarketRate(
            market=r.market.slug,
            language=r.language,
            **{name: figure(r, name) for name in MarketRate.figures},
        )
        for r in related(MarketRate).select_related("market").filter(market__assumption_set=aset)
    }
    instances = {
        i.slug: engine.InstanceType(
            slug=i.slug,
            name=i.name,
            provider=i.provider,
            region=i.region,
            vcpu=i.vcpu,
            memory_gb=i.memory_gb,
            price_per_hour=figure(i, "price_per_hour"),
        )
        for i in related(InstanceType).filter(assumption_set=aset)
    }
    return engine.Assumptions(
        slug=aset.slug,
        name=aset.name,
        version=aset.version,
        as_of=aset.as_of.isoformat(),
        stacks=stacks,
        markets=markets,
        rates=rates,
        instances=instances,
        sources=sources,
    )


@lru_cache(maxsize=64)
def _published_snapshot(pk: int, published_at: str) -> engine.Assumptions:
    return build_snapshot(AssumptionSet.objects.get(pk=pk))


def snapshot(aset: AssumptionSet) -> engine.Assumptions:
    """A published set never changes, so its snapshot is built once per process.

    The publication time is part of the key: a database rebuilt under the same process (as
    tests do) can give a primary key to another set.
    """
    if aset.is_published:
        return _published_snapshot(aset.pk, aset.published_at.isoformat())
    return build_snapshot(aset)


def clear_caches() -> None:
    forget_published()
    _published_snapshot.cache_clear()
