"""Turn an engine result into what the page shows: formatted figures and chart data.

Numbers are formatted here, once, rather than with template filters: over a table of a few
hundred cells the filters cost more than the model itself. Charts built here are plain dicts
in plotly.js's figure format, serialized once with orjson; building plotly.py figure objects
per request costs milliseconds each. The three cost charts redrawn on every keystroke send
only their numbers, and the browser builds their figures.
"""

from __future__ import annotations

from functools import lru_cache
from html import escape

import numpy as np
import orjson
from django.urls import get_script_prefix, reverse
from django.utils.safestring import mark_safe

from costcalc import engine
from costcalc.text import money, value_text

OPTION_COLOURS = ["#2563eb", "#d97706", "#059669", "#9333ea", "#dc2626", "#0891b2", "#4d7c0f"]
CATEGORY_COLOURS = {
    "infrastructure": "#2563eb",
    "engineering": "#94a3b8",
    "people": "#f59e0b",
    "delay": "#dc2626",
}


def whole_dollars(figures: np.ndarray) -> list[list[int]]:
    """Each figure rounded as money() rounds it (half to even), rows of Python ints."""
    rounded = np.rint(figures)
    if np.abs(rounded).max(initial=0) < 2**62:
        return rounded.astype(np.int64).tolist()
    # Growth compounding for years can pass int64; Python's ints have no limit.
    return [[int(v) for v in row] for row in rounded.tolist()]


def money_cells(values: list[int]) -> str:
    """Whole dollars as table cells; the common all-positive row takes the fast path."""
    if min(values) >= 0:
        return "<td>$" + "</td><td>$".join(map("{:,}".format, values)) + "</td>"
    return "".join(f"<td>{money(v)}</td>" for v in values)


def url(viewname: str, *args) -> str:
    """``reverse()``, remembered: the links of a recalculation are the same every time, and
    each reverse() cost about 2% of one."""
    return _reverse(viewname, args, get_script_prefix())


@lru_cache(maxsize=256)
def _reverse(viewname: str, args: tuple, prefix: str) -> str:
    return reverse(viewname, args=args)  # under ``prefix``, which reverse() reads itself


_citations: dict[tuple[str, int], dict[str, str]] = {}


def citations(snapshot: engine.Assumptions) -> dict[str, str]:
    """Each source of a published set as the HTML that cites it, built once per process."""
    key = (snapshot.slug, snapshot.version)
    if key not in _citations:
        page = url("assumptions:version", snapshot.slug, snapshot.version)
        _citations[key] = {
            source_key: (
                f' <span class="cite">(<a href="{page}#source-{escape(source_key)}">'
                f"{escape(s.title)}</a>{', ' + escape(s.date) if s.date else ''})</span>"
            )
            for source_key, s in snapshot.sources.items()
        }
    return _citations[key]


def present(
    result: engine.Result, snapshot: engine.Assumptions, *, deferred_query: str | None = None
) -> dict:
    """What the results section shows.

    With ``deferred_query`` (the calculator's query string) the parts read on demand, each
    option's workings and the monthly table, are left out: the page fetches them with that
    query when they are opened.
    """
    horizon = len(result.months)
    deferred = deferred_query is not None
    cited = {} if deferred else citations(snapshot)
    workings = f"{url('calculator:workings')}?{deferred_query}&option=" if deferred else ""
    cards = "".join(
        card_html(
            i,
            opt,
            horizon,
            cheapest=opt is result.cheapest,
            baseline=opt is result.baseline,
            steps=None if deferred else steps_html(opt.steps, cited),
            workings_url=f"{workings}{i}",
        )
        for i, opt in enumerate(result.options)
    )
    return {
        "cards": mark_safe(cards),  # noqa: S308 - built by card_html, which escapes its text
        "cheapest": result.cheapest.name,
        "horizon": horizon,
        "final_peak": f"{result.peak_rps[-1]:,.0f}",
        "table": None if deferred else monthly_table(result),
        "monthly_url": f"{url('calculator:monthly')}?{deferred_query}" if deferred else "",
        "set_url": url("assumptions:version", snapshot.slug, snapshot.version),
        "insight_url": url("calculator:insight"),
        "charts_json": charts_json(result),
    }


def card_html(
    i: int,
    opt: engine.OptionResult,
    horizon: int,
    *,
    cheapest: bool,
    baseline: bool,
    steps: str | None,
    workings_url: str,
) -> str:
    """One option's card, as an HTML string for the reason the table is one.

    Through the template engine the four cards took 0.5 ms of a recalculation, more than the
    model; as strings, a twentieth of that. The workings are ``steps`` (safe HTML) or, when
    left out, fetched from ``workings_url`` once "How this was computed" is opened.
    """
    name = escape(opt.name)
    over = f"over {horizon} months"
    saving = money(abs(opt.saving_vs_baseline))
    pct = f"{abs(opt.saving_pct):.1f}%"
    month = opt.break_even_month
    if baseline:
        verdict = "Baseline: savings are measured against this option."
    elif opt.saving_vs_baseline > 0.005:
        ahead = f", ahead from month {month}" if month else ""
        verdict = f"Saves {saving} ({pct}) against the baseline{ahead}."
    elif opt.saving_vs_baseline < -0.005:
        ahead = f", though ahead from month {month}" if month else ""
        verdict = f"Costs {saving} ({pct}) more than the baseline{ahead}."
    else:
        verdict = "Costs the same as the baseline."
    services = "".join(
        f"<div><dt>{escape(s.stack_name)}"
        f"{f' ({s.service.share:.0%})' if len(opt.services) > 1 else ''} instances</dt>"
        f"<dd>{int(s.instances[0]):,} → {int(s.instances[-1]):,}, "
        f"{s.bound_by[-1]}-bound at the end</dd></div>"
        for s in opt.services
    )
    categories = "".join(
        f'<tr><th scope="row">{engine.CATEGORY_LABELS[c]}</th><td>{money(opt.totals[c])}</td></tr>'
        for c in engine.CATEGORIES
    )
    total = money(opt.horizon_total)
    how = ""
    if steps is None:
        how = (
            f' hx-get="{escape(workings_url)}" hx-trigger="toggle once"'
            ' hx-target="find .steps" hx-swap="innerHTML"'
        )
        steps = '<li class="loading">Loading the workings…</li>'
    how += f' data-keep-open="how-{i}"'
    return (
        f'<li class="card accent-{i % len(OPTION_COLOURS)}{" cheapest" if cheapest else ""}">'
        f"<h2>{name}</h2>"
        + (f'<p class="badge">Cheapest {over}</p>' if cheapest else "")
        + f'<p class="total"><span class="figure">{total}</span>'
        f' <span class="muted">{over}</span></p>'
        f'<p class="saving">{verdict}</p>'
        '<dl class="facts">'
        "<div><dt>Infrastructure per 100K peak RPS</dt>"
        f"<dd>{money(opt.infra_per_100k_rps)} per month</dd></div>"
        "<div><dt>Infrastructure per million requests</dt>"
        f"<dd>${opt.infra_per_million_requests:,.3f}</dd></div>"
        "<div><dt>All costs per million requests</dt>"
        f"<dd>${opt.cost_per_million_requests:,.2f}</dd></div>"
        f"<div><dt>Weeks to first production API</dt><dd>{opt.weeks_to_first_api:g}</dd></div>"
        f"{services}</dl>"
        f'<details class="how"{how}><summary>How this was computed</summary>'
        '<table class="mini"><caption>Horizon total by category</caption>'
        f'<tbody>{categories}<tr class="sum"><th scope="row">Total</th><td>{total}</td></tr>'
        f'</tbody></table><ol class="steps">{steps}</ol></details></li>'
    )


def steps_html(steps: list[engine.Step], cited: dict[str, str]) -> str:
    """ "How this was computed" as list items, built here for the same reason as the table."""
    items = []
    for step in steps:
        values = [
            f"<li>{escape(name)}: {escape(value_text(value, unit))}{cited.get(key, '')}</li>"
            for name, value, unit, key in step.values
        ]
        items.append(
            f"<li><p><strong>{escape(step.label)}</strong> = "
            f"{escape(value_text(step.result, step.unit))}</p>"
            f'<p class="formula"><code>{escape(step.formula)}</code></p>'
            f"<ul>{''.join(values)}</ul></li>"
        )
    return mark_safe("".join(items))  # noqa: S308 - every text part escaped above


def monthly_table(result: engine.Result) -> dict:
    """The monthly figures, months down and each option's categories across.

    The body is built here as one HTML string: a few hundred cells through the template
    engine's loop cost more than the whole model.
    """
    columns = [engine.CATEGORY_LABELS[c] for c in engine.CATEGORIES] + ["Total", "Cumulative"]
    stacked = np.column_stack(
        [
            column
            for opt in result.options
            for column in [
                *(opt.categories[c] for c in engine.CATEGORIES),
                opt.total,
                opt.cumulative,
            ]
        ]
    )
    dollars = whole_dollars(stacked)
    rows = [
        f'<tr><th scope="row">{month}</th><td>{peak:,.0f}</td>{money_cells(cells)}</tr>'
        for month, peak, cells in zip(
            result.months.tolist(), result.peak_rps.tolist(), dollars, strict=True
        )
    ]
    groups = "".join(
        f'<th scope="colgroup" colspan="{len(columns)}">{escape(opt.name)}</th>'
        for opt in result.options
    )
    headings = "".join(f'<th scope="col">{c}</th>' for c in columns) * len(result.options)
    return {
        "options": [opt.name for opt in result.options],
        "columns": columns,
        # Text escaped above; the rest are numbers formatted here.
        "head": mark_safe(  # noqa: S308
            f'<tr><td colspan="2"></td>{groups}</tr>'
            f'<tr><th scope="col">Month</th><th scope="col">Peak RPS</th>{headings}</tr>'
        ),
        "body": mark_safe("".join(rows)),  # noqa: S308
    }


def charts_json(result: engine.Result) -> str:
    """The figures the calculator's three cost charts plot, for static/js/charts.js to draw.

    Only the numbers travel: the browser builds the plotly figures from them (see
    ``costFigures`` there), styled by ``CHART_STYLE``. The charts are redrawn on every
    keystroke; as full figures their specs were three fifths of a recalculation's bytes, and
    building and compressing them a tenth of its server time.
    """
    # Rounded to the cent in two calls rather than one per trace.
    cumulative = np.stack([opt.cumulative for opt in result.options]).round(2)
    categories = np.stack(
        [[opt.categories[c] for c in engine.CATEGORIES] for opt in result.options]
    ).round(2)
    costs = {
        "style": CHART_STYLE,
        "months": result.months,
        # The first option is the baseline, as on the cards.
        "options": [
            {"name": opt.name, "cumulative": cumulative[i], "categories": categories[i]}
            for i, opt in enumerate(result.options)
        ],
    }
    return json_for_script({"costs": costs})


def base_layout(**extra) -> dict:
    layout = {
        "margin": {"l": 64, "r": 16, "t": 84, "b": 48},
        "font": {"family": "system-ui, -apple-system, Segoe UI, sans-serif", "size": 13},
        "legend": {"orientation": "h", "x": 0, "y": 1.0, "yanchor": "bottom"},
        "paper_bgcolor": "rgba(0,0,0,0)",
        "plot_bgcolor": "rgba(0,0,0,0)",
        "height": 380,
    }
    title = extra.pop("title", None)
    if title:
        layout["title"] = {"text": title, "x": 0, "xanchor": "left"}
    layout.update(extra)
    return layout


# What the browser needs to style the cost charts as the server styles every other chart.
CHART_STYLE = {
    "layout": base_layout(),
    "colours": OPTION_COLOURS,
    "categories": [
        {"key": c, "label": engine.CATEGORY_LABELS[c], "colour": CATEGORY_COLOURS[c]}
        for c in engine.CATEGORIES
    ],
}


def escape_plotly(text: str) -> str:
    # Plotly renders a subset of HTML in labels; names are ours, but keep them inert anyway.
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def json_for_script(value) -> str:
    """JSON safe inside <script type="application/json">, as Django's json_script makes it."""
    raw = orjson.dumps(value, option=orjson.OPT_SERIALIZE_NUMPY).decode()
    safe = raw.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")
    return mark_safe(safe)  # noqa: S308 - escaped above for the script context
