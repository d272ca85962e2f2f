"""The results JSON: what the API answers, the command line's --format json prints and a saved
scenario's export holds under ``results``; USD rounded to the cent (docs/api.md).
"""

from __future__ import annotations

import json

import orjson

from costcalc import engine
from costcalc.assumptions.models import AssumptionSet
from costcalc.text import Display, present_value_label

from .resolve import Resolved

MONEY_DECIMALS = 2  # cents
RATE_DECIMALS = 4  # the per-million-request rates are often fractions of a cent


def dumps(data, indent: bool = False) -> bytes:
    """JSON with orjson; Python's json only when a count passes 64 bits (orjson's limit).

    Instance counts are whole numbers of any size: at the bounds' far end (10M RPS doubling
    monthly for 60 months) they reach 10^24.
    """
    try:
        return orjson.dumps(data, option=orjson.OPT_INDENT_2 if indent else None)
    except TypeError:
        layout = {"indent": 2} if indent else {"separators": (",", ":")}
        return json.dumps(data, ensure_ascii=False, **layout).encode()


def cents(x: float) -> float:
    """USD rounded to the cent, never -0.0."""
    return round(float(x), MONEY_DECIMALS) + 0.0  # + 0.0 turns -0.0 into 0.0


def set_json(aset: AssumptionSet) -> dict:
    """Which exact set a result used: enough to compute it again."""
    return {
        "slug": aset.slug,
        "version": aset.version,
        "name": aset.name,
        "as_of": aset.as_of.isoformat(),
    }


def results_json(resolved: Resolved, result: engine.Result) -> dict:
    """The documented results JSON: the API's answer and the command line's --format json."""
    peak = [round(float(x), 2) for x in result.peak_rps]
    display = resolved.display
    migration = resolved.migrate(result)
    return {
        "assumption_set": set_json(resolved.aset),
        "currency": "USD",  # every amount below; ``display`` converts the totals
        "display": display_json(
            display,
            [
                {
                    "name": o.name,
                    "horizon_total": cents(display(o.horizon_total)),
                    "totals": {c: cents(display(o.totals[c])) for c in engine.CATEGORIES},
                    "saving_vs_baseline": cents(display(o.saving_vs_baseline)),
                    **(
                        {"present_total": cents(display(o.present_total))}
                        if result.inputs.discount_rate_pct
                        else {}
                    ),
                }
                for o in result.options
            ],
            migration,
        ),
        "horizon": len(result.months),
        "baseline": result.baseline.name,
        "cheapest": result.cheapest.name,
        "notes": result.notes,
        "options": [option_json(option, result, peak) for option in result.options],
        "migration": migration_json(migration, result),
        "present_value": present_value_json(result),
        "scenario": resolved.scenario.model_dump(mode="json", by_alias=True),
    }


def display_json(
    display: Display, options: list[dict], migration: engine.MigrationResult | None = None
) -> dict:
    """The currency the scenario is shown in, its rate per US dollar with the rate's date and
    source, and ``options``' amounts converted (to the cent of that currency), and a
    ``migration``'s totals (as the page's migration section shows them; None without one, and
    in the insight's answer)."""
    converted = None
    if migration is not None:
        converted = {
            key: cents(display(getattr(migration, key)))
            for key in ("rewrite_cost", "staying_total", "migrating_total", "saving")
        }
    return {
        "currency": display.code,
        "per_usd": display.per_usd,
        "rate_date": display.date or None,
        "source": display.source or None,
        "note": display.note or None,
        "options": options,
        "migration": converted,
    }


def present_value_json(result: engine.Result) -> dict | None:
    """The totals and break-even in today's money at the scenario's discount rate; None at 0%,
    where they are the nominal figures."""
    rate = result.inputs.discount_rate_pct
    if not rate:
        return None
    return {
        "rate_pct": rate,
        "label": present_value_label(rate),
        "options": [
            {
                "name": o.name,
                "horizon_total": cents(o.present_total),
                "saving_vs_baseline": cents(o.present_saving),
                "break_even_month": o.present_break_even_month,
            }
            for o in result.options
        ],
    }


def migration_json(m: engine.MigrationResult | None, result: engine.Result) -> dict | None:
    """A migration's figures: the shape of a saved scenario's export (scenarios/exports.py),
    with the options' indices (from, to) and the migrating path's totals by line."""
    if m is None:
        return None
    names = [option.name for option in result.options]
    mig = m.migration
    lines = engine.MIGRATION_LINES
    return {
        "from": names.index(m.current.name),
        "to": names.index(m.target.name),
        "current": m.current.name,
        "target": m.target.name,
        "effort_weeks": mig.effort_weeks,
        "rewrite_months": mig.rewrite_months,
        "overlap_months": mig.overlap_months,
        "weekly_rate": cents(m.weekly_rate),
        "rewrite_cost": cents(m.rewrite_cost),
        "staying_total": cents(m.staying_total),
        "migrating_total": cents(m.migrating_total),
        "saving": cents(m.saving),
        "break_even_month": m.break_even_month,
        "totals": {line: cents(total) for line, total in m.totals.items()},
        "monthly": [
            {
                "month": int(month),
                "staying": cents(m.staying[i]),
                "migrating": cents(m.migrating[i]),
                **{line: cents(m.lines[line][i]) for line in lines},
                "staying_cumulative": cents(m.staying_cumulative[i]),
                "migrating_cumulative": cents(m.migrating_cumulative[i]),
            }
            for i, month in enumerate(result.months)
        ],
    }


def option_json(option: engine.OptionResult, result: engine.Result, peak: list[float]) -> dict:
    categories = {c: [cents(x) for x in option.categories[c]] for c in engine.CATEGORIES}
    total = [cents(x) for x in option.total]
    cumulative = [cents(x) for x in option.cumulative]
    return {
        "name": option.name,
        "services": [
            {
                "stack": s.service.stack,
                "stack_name": s.stack_name,
                "language": s.language,
                "label": s.service.label or s.service.stack,  # the page's single stacks
                "share_pct": round(s.service.share * 100, 6),
                "app_cpu_ms": s.service.app_cpu_ms,
                "io_wait_ms": s.service.io_wait_ms,
                "cpu_seconds_per_request": s.cpu_seconds_per_request,
                "infrastructure": cents(s.infrastructure.sum()),
                "instances": [int(n) for n in s.instances],
                "bound_by": list(s.bound_by),
            }
            for s in option.services
        ],
        "totals": {c: cents(option.totals[c]) for c in engine.CATEGORIES},
        "horizon_total": cents(option.horizon_total),
        "saving_vs_baseline": cents(option.saving_vs_baseline),
        "saving_pct": round(option.saving_pct, 2) + 0.0,
        "break_even_month": option.break_even_month,
        "infra_per_100k_rps": cents(option.infra_per_100k_rps),
        "infra_per_million_requests": round(option.infra_per_million_requests, RATE_DECIMALS),
        "cost_per_million_requests": round(option.cost_per_million_requests, RATE_DECIMALS),
        "weeks_to_first_api": option.weeks_to_first_api,
        "platform_lines": {k: cents(v.sum()) for k, v in option.platform.items()},
        "framework_share_pct": (
            None if option.framework_share is None else round(option.framework_share * 100, 2)
        ),
        "monthly": [
            {
                "month": int(month),
                "peak_rps": peak[m],
                **{c: categories[c][m] for c in engine.CATEGORIES},
                "total": total[m],
                "cumulative": cumulative[m],
            }
            for m, month in enumerate(result.months)
        ],
    }
