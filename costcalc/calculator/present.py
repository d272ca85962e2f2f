"""Turn an engine result into what the page shows: formatted figures and chart data.

Numbers are formatted here, once (with costcalc/text.py), rather than with template filters.
The HTML comes from the partials of templates/calculator/_fragments.html, compiled once, except
for the two fragments too hot for the template engine, the cards (every keystroke) and the
monthly table's cells: those are built as strings and tested against their partials.

The charts' data and shared parts are in charts.py.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache, lru_cache
from html import escape

import numpy as np
from django.template.loader import get_template
from django.urls import get_script_prefix, reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from costcalc import engine
from costcalc.assumptions.snapshot import derived
from costcalc.engine import insight as ei
from costcalc.text import (
    and_list,
    compact_money,
    display,
    long_date,
    money,
    month_text,
    percent,
    present_value_label,
    value_text,
)

from .charts import OPTION_COLOURS, chart_totals, charts_json


def whole_dollars(figures: np.ndarray) -> list[list[int]]:
    """Each figure rounded as money() rounds it (half to even), rows of Python ints."""
    rounded = np.rint(figures)
    if np.abs(rounded).max(initial=0) < 2**62:
        return rounded.astype(np.int64).tolist()
    # Growth compounding for years can pass int64; Python's ints have no limit.
    return [[int(v) for v in row] for row in rounded.tolist()]


def money_cells(values: list[int]) -> str:
    """Whole units of money, already in the display currency, as table cells (as money()
    writes them); the common all-positive row takes the fast path."""
    symbol = display().symbol
    if min(values) >= 0:
        return f"<td>{symbol}" + f"</td><td>{symbol}".join(map("{:,}".format, values)) + "</td>"
    return "".join(
        f"<td>-{symbol}{-v:,}</td>" if v < 0 else f"<td>{symbol}{v:,}</td>" for v in values
    )


def url(viewname: str, *args) -> str:
    """``reverse()``, remembered: the links of a recalculation are the same every time, and
    each reverse() cost about 2% of one."""
    return _reverse(viewname, args, get_script_prefix())


@lru_cache(maxsize=256)
def _reverse(viewname: str, args: tuple, prefix: str) -> str:
    return reverse(viewname, args=args)  # under ``prefix``, which reverse() reads itself


def citations(snapshot: engine.Assumptions) -> dict[str, str]:
    """Each source of a set as the HTML that cites it, built once per published set."""
    prefix = get_script_prefix()
    return derived(snapshot, ("citations", prefix), lambda: build_citations(snapshot))


def build_citations(snapshot: engine.Assumptions) -> dict[str, str]:
    page = url("assumptions:version", snapshot.slug, snapshot.version)
    citation = fragment("citation")
    cited = {
        key: citation.render({"page": page, "key": key, "source": source})
        for key, source in snapshot.sources.items()
    }
    # A figure the user gave cites no page of the set: it is theirs (engine/yours.py).
    cited[engine.yours.YOURS] = mark_safe('<span class="cite yours">(your figure)</span>')
    return cited


def present(
    result: engine.Result,
    snapshot: engine.Assumptions,
    *,
    deferred_query: str | None = None,
    sure: ei.Sureness | None = None,
    differences: bool = False,
) -> dict:
    """What the results section shows.

    With ``deferred_query`` (the calculator's query string) the parts read on demand, each
    option's workings and the monthly table, are left out: the page fetches them with that
    query when they are opened. ``sure`` is how sure the lead is (ei.sureness(), the Monte
    Carlo: several recalculations); without it the verdict line asks for it from
    ``sure_url`` and the leader's badge's place waits empty for the answer. With ``differences`` the
    cards' and the table's cost categories are only those that differ between the options.
    """
    horizon = len(result.months)
    deferred = deferred_query is not None
    cited = {} if deferred else citations(snapshot)
    prefix = get_script_prefix()  # once: each read goes through asgiref's Local

    def link(viewname: str) -> str:
        return _reverse(viewname, (), prefix)

    workings = f"{link('calculator:workings')}?{deferred_query}&option=" if deferred else ""
    steps = [None if deferred else steps_html(opt.steps, cited) for opt in result.options]
    shown = categories_shown(result, differences)
    same = [engine.CATEGORY_LABELS[c] for c in result.categories if c not in shown]
    cards = cards_html(result, steps, workings, sure=sure, categories=shown)
    return {
        "cards": cards,
        "cheapest": result.cheapest.name,
        "lead": lead_line(result),
        "sure": sure,
        "sure_pending": sure is None,
        "sure_url": link("calculator:sure"),
        "horizon": horizon,
        "final_peak": f"{result.peak_rps[-1]:,.0f}",
        "table": None if deferred else monthly_table(result, shown),
        # Only a full page draws it (inside <noscript>): a page without JavaScript is always one.
        "chart_totals": None if deferred else chart_totals(result),
        "differences": differences and len(result.options) > 1,
        "compared": len(result.options) > 1,
        "same_lines": and_list(same) if same else "",
        "monthly_url": f"{link('calculator:monthly')}?{deferred_query}" if deferred else "",
        "set_line": set_line(snapshot, prefix),
        "notes": result.notes,
        "insight_url": link("calculator:insight"),
        "charts_json": charts_json(result),
        "present_value": present_value_rows(result),
        "currency_note": display().note,
        "currency": display().code,
    }


def present_value_rows(result: engine.Result) -> dict | None:
    """The totals and break-even in today's money, when a discount rate is given."""
    rate = result.inputs.discount_rate_pct
    if not rate:
        return None
    baseline = result.baseline
    return {
        "label": present_value_label(rate),
        "baseline": baseline.name,
        "rows": [
            {
                "name": o.name,
                "total": money(o.present_total),
                "saving": None if o is baseline else money(o.present_saving),
                "break_even": None if o is baseline else month_text(o.present_break_even_month),
            }
            for o in result.options
        ],
    }


def set_line(snapshot: engine.Assumptions, prefix: str | None = None) -> str:
    """ "Computed with <set>, figures as of <date>.": built once per published set, since the
    date filter and the lookups cost a recalculation's template 0.03 ms (a fifth of it).
    ``prefix``: the script prefix, if the caller has read it."""
    prefix = get_script_prefix() if prefix is None else prefix
    return derived(snapshot, ("set_line", prefix), lambda: build_set_line(snapshot))


def build_set_line(snapshot: engine.Assumptions) -> str:
    page = url("assumptions:version", snapshot.slug, snapshot.version)
    return format_html(
        'Computed with <a href="{}">{}</a>, figures as of {}.',
        page,
        snapshot.label,
        long_date(snapshot.as_of),
    )


@cache
def fragment(name: str):
    """One partial of templates/calculator/_fragments.html, compiled on first use."""
    return get_template(f"calculator/_fragments.html#{name}")


def categories_shown(result: engine.Result, differences: bool) -> Sequence[str]:
    """Every cost category, or with ``differences`` (and options to differ) those that do."""
    return differing(result) if differences and len(result.options) > 1 else result.categories


def differing(result: engine.Result) -> list[str]:
    """The cost categories whose monthly figures are not the same, to the dollar, for every
    option: the lines a view of the differences keeps."""
    first = result.options[0]
    return [
        c
        for c in result.categories
        if any(
            not np.array_equal(np.rint(o.categories[c]), np.rint(first.categories[c]))
            for o in result.options[1:]
        )
    ]


def lead_line(result: engine.Result) -> str:
    """The verdict line's cheap part, for every recalculation: who leads at base figures, by
    how much and over what; "" with one option."""
    ahead = ei.lead(result)
    over = f"over {len(result.months)} months"
    a, b = ahead.leader, ahead.runner_up
    if b is None:
        return ""
    if ahead.tied:
        return f"{a.name} and {b.name} cost the same {over}"
    return f"{a.name} by {compact_money(ahead.margin)} ({ahead.pct_text}) {over}"


def badge_state(result: engine.Result, sure: ei.Sureness | None) -> str:
    """The leader's "Cheapest" badge: "shown" when the lead is beyond the uncertainty,
    "pending" (an empty place until the Monte Carlo says) when that is not known yet, "hidden"
    (an empty place) when the lead is within it, none for a single option. The empty place is
    kept so that a "how sure" answer still in flight when Back restores the page finds it."""
    if len(result.options) < 2:
        return ""
    if sure is None:
        return "pending"
    return "hidden" if sure.tied else "shown"


def cards_html(
    result: engine.Result,
    steps: list[str | None],
    workings_url: str,
    *,
    sure: ei.Sureness | None = None,
    categories: Sequence[str] = engine.CATEGORIES,
) -> str:
    """The options' cards. The workings are ``steps`` (safe HTML) or, where None, fetched from
    ``workings_url`` plus the option's index once "How this was computed" is opened. Each
    card's table of totals has a line per one of ``categories``."""
    horizon = len(result.months)
    leader, badge = result.cheapest, badge_state(result, sure)
    cards = [
        card(
            i,
            opt,
            badge=badge if opt is leader else "",
            baseline=opt is result.baseline,
            current=result.inputs.current_stack,
            steps=steps[i],
            workings_url=None if steps[i] is not None else f"{workings_url}{i}",
            categories=categories,
        )
        for i, opt in enumerate(result.options)
    ]
    return cards_markup(cards, f"over {horizon} months")


def cards_markup(cards: list[dict], over: str) -> str:
    """The ``cards`` partial's HTML, built as strings: the one fragment rendered on every
    keystroke. Through the template engine the cards took 1.3 ms of a 5 ms recalculation
    (four options); as strings, 0.1 ms. tests/test_fragments.py holds it to the partial."""
    parts = []
    for c in cards:
        services = "".join(
            f"<div><dt>{escape(s['name'])}"
            + (f" ({escape(s['share'])})" if s["share"] else "")
            + f" instances</dt><dd>{escape(s['first'])} → {escape(s['last'])}, "
            f"{escape(s['bound_by'])}-bound at the end</dd></div>\n"
            for s in c["services"]
        )
        categories = "".join(
            f'<tr><th scope="row">{escape(label)}</th><td>{escape(figure)}</td></tr>'
            for label, figure in c["categories"]
        )
        how = ""
        if c["workings_url"]:
            how = (
                f' hx-get="{escape(c["workings_url"])}" hx-trigger="toggle once"'
                ' hx-target="find .steps" hx-swap="innerHTML"'
            )
        steps = c["steps"]
        if steps is None:
            steps = '<li class="loading">Loading the workings…</li>'
        total = escape(c["total"])
        share = ""
        if c.get("framework_share"):  # with platform lines: the framework's share of the bill
            share = (
                "<div><dt>Framework's share of the infrastructure bill</dt>"
                f"<dd>{escape(c['framework_share'])}</dd></div>\n"
            )
        parts.append(
            f'<li class="card accent-{c["accent"]}{" cheapest" if c["badge"] == "shown" else ""}">'
            f"<h2>{escape(c['name'])}</h2>"
            + badge_markup(c["badge"], over)
            + f'<p class="total"><span class="figure">{total}</span>'
            f' <span class="muted">{escape(over)}</span></p>\n'
            f'<p class="saving">{escape(c["verdict"])}</p>\n'
            '<dl class="facts"><div><dt>Compute per 100K peak RPS</dt>'
            f"<dd>{escape(c['per_100k'])} per month</dd></div>\n"
            "<div><dt>Compute per million requests</dt>"
            f"<dd>{escape(c['infra_per_million'])}</dd></div>\n"
            "<div><dt>All costs per million requests</dt>"
            f"<dd>{escape(c['cost_per_million'])}</dd></div>\n"
            f"<div><dt>Weeks to first production API</dt><dd>{escape(c['weeks'])}</dd></div>\n"
            + share
            + f"{services}</dl>\n"
            f'<details class="how"{how} data-keep-open="how-{c["index"]}">'
            "<summary>How this was computed</summary>"
            '<table class="mini"><caption>Horizon total by category</caption>'
            f'<tbody>{categories}<tr class="sum"><th scope="row">Total</th><td>{total}</td></tr>'
            f'</tbody></table>\n<ol class="steps">{steps}</ol></details></li>\n'
        )
    return mark_safe("".join(parts))  # noqa: S308 - every text part escaped above


def badge_markup(state: str, over: str) -> str:
    """The leader's badge, or while "pending" its empty place, which the verdict line's answer
    (the ``sure`` partial) fills or leaves empty by its id."""
    if state in ("pending", "hidden"):
        return '<span id="cheapest-badge"></span>'
    return f'<p class="badge" id="cheapest-badge">Cheapest {escape(over)}</p>' if state else ""


def cards_reference(cards: list[dict], over: str) -> str:
    """What ``cards_markup`` must build, from its template."""
    return fragment("cards").render({"cards": cards, "over": over})


def card(
    i: int,
    opt: engine.OptionResult,
    *,
    badge: str,
    baseline: bool,
    steps: str | None,
    workings_url: str | None,
    current: str = "",
    categories: Sequence[str] = engine.CATEGORIES,
) -> dict:
    """One option's card, its figures formatted for the ``cards`` fragment."""
    saving = money(abs(opt.saving_vs_baseline))
    pct = f"{abs(opt.saving_pct):.1f}%"
    month = opt.break_even_month
    if baseline and opt.option.services[0].stack == current and not opt.option.is_mix:
        verdict = "Your current stack: savings are measured against it."
    elif baseline:
        verdict = "Baseline: savings are measured against this option."
    elif opt.saving_vs_baseline > 0.005:
        ahead = f", ahead from month {month}" if month else ""
        verdict = f"Saves {saving} ({pct}) against the baseline{ahead}."
    elif opt.saving_vs_baseline < -0.005:
        ahead = f", though ahead from month {month}" if month else ""
        verdict = f"Costs {saving} ({pct}) more than the baseline{ahead}."
    else:
        verdict = "Costs the same as the baseline."
    shared = len(opt.services) > 1
    return {
        "index": i,
        "accent": i % len(OPTION_COLOURS),
        "badge": badge,
        "name": opt.name,
        "total": money(opt.horizon_total),
        "verdict": verdict,
        "per_100k": money(opt.infra_per_100k_rps),
        "infra_per_million": money(opt.infra_per_million_requests, 3),
        "cost_per_million": money(opt.cost_per_million_requests, 2),
        "weeks": f"{opt.weeks_to_first_api:g}",
        "services": [
            {
                "name": s.stack_name,
                "share": f"{s.service.share:.0%}" if shared else "",
                "first": f"{int(s.instances[0]):,}",
                "last": f"{int(s.instances[-1]):,}",
                "bound_by": s.bound_at_end,
            }
            for s in opt.services
        ],
        "categories": [(engine.CATEGORY_LABELS[c], money(opt.totals[c])) for c in categories],
        "framework_share": framework_share_text(opt),
        "steps": steps,
        "workings_url": workings_url,
    }


def framework_share_text(opt: engine.OptionResult) -> str:
    """ "18.1% of $96,750 (compute $17,520, platform $79,230)": the compute's share of the
    infrastructure bill over the horizon (docs/model.md section 7c); "" without platform."""
    share = opt.framework_share
    if share is None:
        return ""
    compute, platform = opt.totals["infrastructure"], opt.totals["platform"]
    return (
        f"{percent(share * 100, 1)} of {money(compute + platform)} "
        f"(compute {money(compute)}, platform {money(platform)})"
    )


def steps_html(steps: list[engine.Step], cited: dict[str, str]) -> str:
    """ "How this was computed" as list items, each value with its source's citation."""
    return fragment("steps").render(
        {
            "steps": [
                {
                    "label": step.label,
                    "result": value_text(step.result, step.unit),
                    "formula": step.formula,
                    "values": [
                        (name, value_text(value, unit), cited.get(key, ""))
                        for name, value, unit, key in step.values
                    ],
                }
                for step in steps
            ]
        }
    )


def monthly_table(result: engine.Result, categories: Sequence[str] = engine.CATEGORIES) -> dict:
    """The monthly figures, months down and each option's instances and ``categories`` across."""
    columns = [
        "Instances",
        *(engine.CATEGORY_LABELS[c] for c in categories),
        "Total",
        "Cumulative",
    ]
    stacked = np.column_stack(
        [
            column
            for opt in result.options
            for column in [
                option_instances(opt),
                *(opt.categories[c] for c in categories),
                opt.total,
                opt.cumulative,
            ]
        ]
    )
    shown = display()
    if shown.converted:  # every column but each option's instances, in the display currency
        money_column = np.arange(stacked.shape[1]) % len(columns) != 0
        stacked = np.where(money_column, stacked * shown.per_usd, stacked)
    options = [opt.name for opt in result.options]
    return {
        "currency": shown.code,
        "options": options,
        "columns": columns,
        "head": fragment("table-head").render({"options": options, "columns": columns}),
        "body": table_rows(
            result.months.tolist(), result.peak_rps.tolist(), whole_dollars(stacked), len(columns)
        ),
    }


def option_instances(opt: engine.OptionResult) -> np.ndarray:
    """The instances an option bills each month, all its services together (one instance type)."""
    return np.add.reduce([s.instances for s in opt.services])


def table_rows(months: list[int], peaks: list[float], cells: list[list[int]], width: int) -> str:
    """The table's body: a row per month, its peak traffic, then per option ``width`` cells:
    its instance count, then whole dollars.

    Built as strings: through the template engine (the ``table-rows`` partial, which
    tests/test_fragments.py holds this to) 24 months of four options took 5 to 9 ms, as
    strings 0.3 to 0.5 ms.
    """
    rows = [
        f'<tr><th scope="row">{month}</th><td>{peak:,.0f}</td>'
        + "".join(
            f"<td>{row[i]:,}</td>{money_cells(row[i + 1 : i + width])}"
            for i in range(0, len(row), width)
        )
        + "</tr>"
        for month, peak, row in zip(months, peaks, cells, strict=True)
    ]
    return mark_safe("".join(rows))  # noqa: S308 - numbers formatted here


def table_rows_reference(
    months: list[int], peaks: list[float], cells: list[list[int]], width: int
) -> str:
    """What ``table_rows`` must build, from its template."""
    rows = [
        {
            "month": month,
            "peak": f"{peak:,.0f}",
            "cells": [f"{v:,}" if j % width == 0 else money(v) for j, v in enumerate(row)],
        }
        for month, peak, row in zip(months, peaks, cells, strict=True)
    ]
    return fragment("table-rows").render({"rows": rows})
