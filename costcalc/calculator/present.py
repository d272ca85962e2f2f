"""Turn an engine result into what the page shows: formatted figures and chart specs.

Numbers are formatted here, once, rather than with template filters: over a table of a few
hundred cells the filters cost more than the model itself. Charts are plain dicts in
plotly.js's figure format, serialized once with orjson; building plotly.py figure objects per
request costs milliseconds each.
"""

from __future__ import annotations

from html import escape

import numpy as np
import orjson
from django.urls import reverse
from django.utils.safestring import mark_safe

from costcalc import engine

OPTION_COLOURS = ["#2563eb", "#d97706", "#059669", "#9333ea", "#dc2626", "#0891b2", "#4d7c0f"]
CATEGORY_COLOURS = {
    "infrastructure": "#2563eb",
    "engineering": "#94a3b8",
    "people": "#f59e0b",
    "delay": "#dc2626",
}
UNIT_FORMATS = {
    "USD": "${:,.0f}",
    "USD/month": "${:,.0f} per month",
    "vCPU-s": "{:.6f} vCPU-seconds",
    "vCPU": "{:,.1f} vCPU",
    "instances": "{:,.0f} instances",
    "req/s": "{:,.0f} requests/s",
    "ms": "{:,.2f} ms",
    "KB": "{:,.0f} KB",
    "MB": "{:,.0f} MB",
    "GB": "{:,.0f} GB",
    "weeks": "{:,.1f} weeks",
    "days": "{:,.0f} days",
    "%": "{:,.1f}%",
    "x": "{:,.2f}×",
    "engineers": "{:,.0f} engineers",
}


def money(x: float) -> str:
    return f"-${-x:,.0f}" if x < 0 else f"${x:,.0f}"


def compact_money(x: float) -> str:
    sign = "-" if x < 0 else ""
    x = abs(x)
    for size, suffix in ((1e9, "B"), (1e6, "M"), (1e3, "K")):
        if x >= size:
            return f"{sign}${x / size:,.2f}{suffix}"
    return f"{sign}${x:,.0f}"


def value_text(value: float, unit: str) -> str:
    if unit in UNIT_FORMATS:
        return UNIT_FORMATS[unit].format(value)
    if unit == "" and 0 < value <= 1 and value != int(value):
        return f"{value:.0%}"
    return f"{value:,.4g}"


_citations: dict[tuple[str, int], dict[str, str]] = {}


def citations(snapshot: engine.Assumptions) -> dict[str, str]:
    """Each source of a published set as the HTML that cites it, built once per process."""
    key = (snapshot.slug, snapshot.version)
    if key not in _citations:
        page = reverse("assumptions:version", args=[snapshot.slug, snapshot.version])
        _citations[key] = {
            source_key: (
                f' <span class="cite">(<a href="{page}#source-{escape(source_key)}">'
                f"{escape(s.title)}</a>{', ' + escape(s.date) if s.date else ''})</span>"
            )
            for source_key, s in snapshot.sources.items()
        }
    return _citations[key]


def present(result: engine.Result, snapshot: engine.Assumptions) -> dict:
    cited = citations(snapshot)
    cheapest = result.cheapest
    baseline = result.baseline
    cards = []
    for i, opt in enumerate(result.options):
        cards.append(
            {
                "name": opt.name,
                "accent": i % len(OPTION_COLOURS),  # a CSS class: the CSP allows no inline style
                "services": [
                    {
                        "name": s.stack_name,
                        "share": f"{s.service.share:.0%}",
                        "instances_first": int(s.instances[0]),
                        "instances_last": int(s.instances[-1]),
                        "bound_by": s.bound_by[-1],
                    }
                    for s in opt.services
                ],
                "total": money(opt.horizon_total),
                "total_compact": compact_money(opt.horizon_total),
                "categories": [
                    {"label": engine.CATEGORY_LABELS[c], "value": money(opt.totals[c])}
                    for c in engine.CATEGORIES
                ],
                "is_cheapest": opt is cheapest,
                "is_baseline": opt is baseline,
                "saving": money(abs(opt.saving_vs_baseline)),
                "saving_pct": f"{abs(opt.saving_pct):.1f}%",
                "saves": opt.saving_vs_baseline > 0.005,
                "costs_more": opt.saving_vs_baseline < -0.005,
                "break_even": opt.break_even_month,
                "infra_per_100k": money(opt.infra_per_100k_rps),
                "infra_per_million": f"${opt.infra_per_million_requests:,.3f}",
                "cost_per_million": f"${opt.cost_per_million_requests:,.2f}",
                "weeks": f"{opt.weeks_to_first_api:g}",
                "steps": steps_html(opt.steps, cited),
            }
        )
    horizon = len(result.months)
    return {
        "cards": cards,
        "cheapest": cheapest.name,
        "horizon": horizon,
        "final_peak": f"{result.peak_rps[-1]:,.0f}",
        "table": monthly_table(result),
        "charts_json": charts_json(result),
    }


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
    rows = []
    for month, peak, cells in zip(
        result.months.tolist(), result.peak_rps.tolist(), stacked.tolist(), strict=True
    ):
        figures = "".join(f"<td>{money(v)}</td>" for v in cells)
        rows.append(f'<tr><th scope="row">{month}</th><td>{peak:,.0f}</td>{figures}</tr>')
    return {
        "options": [opt.name for opt in result.options],
        "columns": columns,
        "body": mark_safe("".join(rows)),  # noqa: S308 - numbers formatted above, no text
    }


def charts_json(result: engine.Result) -> str:
    months = result.months
    cumulative = {
        "data": [
            {
                "type": "scatter",
                "mode": "lines+markers",
                "name": opt.name,
                "x": months,
                "y": np.round(opt.cumulative, 2),
                "line": {"color": OPTION_COLOURS[i % len(OPTION_COLOURS)], "width": 2.5},
                "marker": {"size": 4},
                "hovertemplate": "%{y:$,.0f}<extra>" + escape_plotly(opt.name) + "</extra>",
            }
            for i, opt in enumerate(result.options)
        ],
        "layout": base_layout(
            title="Cumulative cost",
            xaxis={"title": {"text": "Month"}, "dtick": max(1, len(months) // 12)},
            yaxis={
                "title": {"text": "USD"},
                "tickprefix": "$",
                "tickformat": "~s",
                "rangemode": "tozero",
            },
            hovermode="x unified",
        ),
    }
    baseline = result.baseline
    difference = {
        "data": [
            {
                "type": "scatter",
                "mode": "lines",
                "name": opt.name,
                "x": months,
                "y": np.round(baseline.cumulative - opt.cumulative, 2),
                "line": {
                    "color": OPTION_COLOURS[i % len(OPTION_COLOURS)],
                    "width": 2.5,
                    "dash": "dot" if opt is baseline else "solid",
                },
                "hovertemplate": "%{y:$,.0f}<extra>" + escape_plotly(opt.name) + "</extra>",
            }
            for i, opt in enumerate(result.options)
        ],
        "layout": base_layout(
            title=f"Cumulative saving against {escape_plotly(baseline.name)} (above zero: cheaper)",
            xaxis={"title": {"text": "Month"}, "dtick": max(1, len(months) // 12)},
            yaxis={
                "title": {"text": "USD saved"},
                "tickprefix": "$",
                "tickformat": "~s",
                "zeroline": True,
                "zerolinewidth": 2,
            },
            hovermode="x unified",
        ),
    }
    n = len(result.options)
    breakdown_data = []
    annotations = []
    for i, opt in enumerate(result.options):
        axis = "" if i == 0 else str(i + 1)
        for c in engine.CATEGORIES:
            breakdown_data.append(
                {
                    "type": "bar",
                    "name": engine.CATEGORY_LABELS[c],
                    "legendgroup": c,
                    "showlegend": i == 0,
                    "x": months,
                    "y": np.round(opt.categories[c], 2),
                    "xaxis": f"x{axis}",
                    "yaxis": f"y{axis}",
                    "marker": {"color": CATEGORY_COLOURS[c]},
                    "hovertemplate": escape_plotly(opt.name)
                    + ", month %{x}: %{y:$,.0f}<extra>"
                    + engine.CATEGORY_LABELS[c]
                    + "</extra>",
                }
            )
        annotations.append(
            {  # subplot titles
                "text": f"<b>{escape_plotly(opt.name)}</b>",
                "xref": f"x{axis} domain",
                "yref": f"y{axis} domain",
                "x": 0.5,
                "y": 1.02,
                "showarrow": False,
                "xanchor": "center",
                "yanchor": "bottom",
            }
        )
    columns = min(n, 2)
    rows = -(-n // columns)
    layout = base_layout(
        title="Monthly cost by category",
        barmode="stack",
        grid={
            "rows": rows,
            "columns": columns,
            "pattern": "independent",
            "ygap": 0.35,
            "xgap": 0.12,
        },
        annotations=annotations,
        height=260 * rows + 120,
    )
    for i in range(n):
        axis = "" if i == 0 else str(i + 1)
        layout[f"xaxis{axis}"] = {"dtick": max(1, len(months) // 6)}
        layout[f"yaxis{axis}"] = {
            "tickprefix": "$",
            "tickformat": "~s",
            "rangemode": "tozero",
            **({"matches": "y"} if i else {}),
        }
    specs = {
        "cumulative": cumulative,
        "difference": difference,
        "breakdown": {"data": breakdown_data, "layout": layout},
    }
    return json_for_script(specs)


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


def escape_plotly(text: str) -> str:
    # Plotly renders a subset of HTML in labels; names are ours, but keep them inert anyway.
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def json_for_script(value) -> str:
    """JSON safe inside <script type="application/json">, as Django's json_script makes it."""
    raw = orjson.dumps(value, option=orjson.OPT_SERIALIZE_NUMPY).decode()
    safe = raw.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")
    return mark_safe(safe)  # noqa: S308 - escaped above for the script context
