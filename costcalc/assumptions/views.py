"""Public pages: the published assumption sets, and every figure of one with its source.

Drafts are not public: staff may preview one at its version's address, bannered as such and
never listed; to anyone else it is a 404. A page reads its set in a fixed number of queries
however many rows it has, and formats every number here rather than with template filters.
"""

from __future__ import annotations

import dataclasses
import re
from collections import defaultdict
from dataclasses import dataclass

from django.db import models
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_safe

from costcalc.engine.figures import FIGURE_UNITS
from costcalc.text import language_name, number_text

from .models import AssumptionSet, ExchangeRate, InstanceType, Market, MarketRate, Source, Stack
from .models.changes import changed_figures
from .selectors import is_staff


def web_link(url: str) -> str:
    """The URL if a browser may follow it from our page (no javascript: and the like)."""
    return url if url.lower().startswith(("https://", "http://")) else ""


@dataclass(frozen=True, slots=True)
class FigureRow:
    name: str
    label: str
    help: str
    value: str
    unit: str
    range: str
    source: Source | None


def figure_rows(row: models.Model, sources: dict[int, Source]) -> list[FigureRow]:
    rows = []
    for name in row.figures:
        field = row._meta.get_field(name)
        unit, decimals = FIGURE_UNITS.get(name, ("", 4))
        low, high = getattr(row, f"{name}_low", None), getattr(row, f"{name}_high", None)
        rows.append(
            FigureRow(
                name=name,
                # The unit has its own column: "Annual salary (USD)" is shown as "Annual salary".
                label=re.sub(r"\s*\([^)]*\)$", "", str(field.verbose_name)),
                help=str(field.help_text),
                value=number_text(getattr(row, name), decimals),
                unit=unit,
                range=(
                    f"{number_text(low, decimals)}–{number_text(high, decimals)}"
                    if low is not None and high is not None
                    else ""
                ),
                source=sources.get(getattr(row, f"{name}_source_id")),
            )
        )
    return rows


@require_safe
def set_list(request: HttpRequest) -> HttpResponse:
    """Each published set at its newest version, with its older versions beneath."""
    versions: dict[str, list[AssumptionSet]] = defaultdict(list)
    for aset in AssumptionSet.objects.published().order_by("slug", "-version"):
        versions[aset.slug].append(aset)
    groups = sorted(
        ({"latest": v[0], "older": v[1:]} for v in versions.values()),
        key=lambda g: (g["latest"].name.lower(), g["latest"].slug),
    )
    return render(request, "assumptions/list.html", {"groups": groups})


@require_safe
def set_detail(request: HttpRequest, slug: str, version: int | None = None) -> HttpResponse:
    """One published version (the newest when no version is named) with every figure; for
    staff, a draft's preview at its version's address."""
    versions = list(AssumptionSet.objects.published().filter(slug=slug).order_by("-version"))
    if version is None:
        aset = versions[0] if versions else None
    else:
        aset = next((v for v in versions if v.version == version), None)
        if aset is None and is_staff(request):
            aset = AssumptionSet.objects.filter(slug=slug, version=version).first()
    if aset is None:
        raise Http404("No published assumption set has that name and version.")
    draft = not aset.is_published
    if draft:
        # What publishing it would list, worked out afresh: a draft can change at any save.
        aset.changes = changed_figures(aset)

    sources = {s.pk: s for s in Source.objects.filter(assumption_set=aset)}
    cited_for: dict[int, dict[str, str]] = defaultdict(dict)  # source -> {anchor: label}

    def rows_citing(row, anchor: str, label: str) -> list[FigureRow]:
        rows = figure_rows(row, sources)
        for figure in rows:
            if figure.source is not None:
                cited_for[figure.source.pk][anchor] = label
        return rows

    stacks = [
        (
            stack,
            language_name(stack.language),
            rows_citing(stack, f"stack-{stack.slug}", stack.name),
        )
        for stack in Stack.objects.filter(assumption_set=aset)
    ]
    rates = defaultdict(list)
    for rate in MarketRate.objects.filter(market__assumption_set=aset).order_by("language"):
        rates[rate.market_id].append(rate)
    markets = []
    for market in Market.objects.filter(assumption_set=aset):
        market_rates = []
        for rate in rates[market.pk]:
            anchor = f"market-{market.slug}-{rate.language}"
            label = f"{language_name(rate.language)} engineers, {market.name}"
            market_rates.append(
                (rate, language_name(rate.language), rows_citing(rate, anchor, label))
            )
        markets.append((market, market_rates))
    instances = [
        {
            "row": instance,
            "vcpu": number_text(instance.vcpu, 2),
            "memory_gb": number_text(instance.memory_gb, 2),
            "price": rows_citing(instance, f"instance-{instance.slug}", instance.name)[0],
        }
        for instance in InstanceType.objects.filter(assumption_set=aset)
    ]
    platform = [  # each value in its row's own unit
        {
            "row": price,
            "value": dataclasses.replace(
                rows_citing(price, f"platform-{price.slug}", price.name)[0], unit=price.unit
            ),
        }
        for price in aset.platform_prices.all()
    ]
    rates = []
    for rate in ExchangeRate.objects.filter(assumption_set=aset):
        rate.source = sources.get(rate.source_id)
        cited_for[rate.source_id][f"rate-{rate.currency.lower()}"] = f"{rate.currency} rate"
        rate.value = number_text(rate.per_euro, 6)
        rates.append(rate)
    for source in sources.values():
        source.link = web_link(source.url)
        source.cited_for = list(cited_for[source.pk].items())

    context = {
        "aset": aset,
        "draft": draft,
        "versions": versions,
        "newest": versions[0] if versions else aset,
        # The version its changes were counted from: the published one just below it.
        "before": next((v for v in versions if v.version < aset.version), None),
        "pinned": version is not None,
        "stacks": stacks,
        "markets": markets,
        "instances": instances,
        "platform": platform,
        "exchange_rates": rates,
        "sources": sorted(sources.values(), key=lambda s: s.key),
    }
    response = render(request, "assumptions/detail.html", context)
    if draft:
        patch_cache_control(response, private=True, no_store=True)  # for this staff member only
        response["X-Robots-Tag"] = "noindex"
    return response
