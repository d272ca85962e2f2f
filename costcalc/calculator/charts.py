"""The charts' shared parts: plain dicts in plotly.js's figure format, serialized once.

Building plotly.py figure objects per request costs milliseconds each. The calculator's three
cost charts, redrawn on every keystroke, send only their numbers (charts_json), and the browser
builds their figures (static/js/charts.js, styled by CHART_STYLE); every other chart (the
decision panel's, a scenario's migration and comparisons) is built on the server from the
layout, axes and hovers here. Money is shown in the display currency (costcalc/text.py).
"""

from __future__ import annotations

import numpy as np
import orjson
from django.utils.safestring import mark_safe

from costcalc import engine
from costcalc.text import Display, display, money

OPTION_COLOURS = ["#2563eb", "#d97706", "#059669", "#9333ea", "#dc2626", "#0891b2", "#4d7c0f"]
CATEGORY_COLOURS = {
    "infrastructure": "#2563eb",
    "platform": "#0891b2",
    "engineering": "#94a3b8",
    "people": "#f59e0b",
    "delay": "#dc2626",
}


def chart_totals(result: engine.Result) -> dict:
    """What the charts show, as a table for a page without JavaScript: each option's horizon
    total by category, and its saving against the baseline (the cumulative and difference
    charts' last month)."""
    return {
        "columns": [engine.CATEGORY_LABELS[c] for c in result.categories],
        "baseline": result.baseline.name,
        "rows": [
            {
                "name": opt.name,
                "categories": [money(opt.totals[c]) for c in result.categories],
                "total": money(opt.horizon_total),
                "saving": "baseline" if opt is result.baseline else money(opt.saving_vs_baseline),
            }
            for opt in result.options
        ],
    }


def charts_json(result: engine.Result) -> str:
    """The figures the calculator's three cost charts plot, for static/js/charts.js to draw.

    Only the numbers travel: the browser builds the plotly figures from them (see
    ``costFigures`` there), styled by ``CHART_STYLE``. The charts are redrawn on every
    keystroke; as full figures their specs were three fifths of a recalculation's bytes, and
    building and compressing them a tenth of its server time.
    """
    # In the display currency and to the cent in two calls rather than one per trace.
    shown = display()
    cumulative = shown_amounts(np.stack([opt.cumulative for opt in result.options]))
    categories = shown_amounts(
        np.stack([[opt.categories[c] for c in engine.CATEGORIES] for opt in result.options])
    )
    costs = {
        "style": CHART_STYLE if not shown.converted else currency_style(shown),
        "months": result.months,
        "options": [
            {
                "name": opt.name,
                "cumulative": cumulative[i],
                "categories": categories[i],
            }
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


# Tick labels in plain money: whole dollars (cents below a dollar) up to a thousand, SI
# prefixes from there ("$40k", "$1.2M"). d3's "~s" alone wrote half a dollar "$500m".
MONEY_TICKS = {
    "tickprefix": "$",
    "tickformat": "~s",
    "tickformatstops": [
        {"dtickrange": [None, 1], "value": ",.2~f"},
        {"dtickrange": [1, 1000], "value": ",~f"},
    ],
}


def usd_axis(*, from_zero: bool = True, **extra) -> dict:
    """A chart axis in the display currency (US dollars unless text.shown_in says), its code
    as title and its symbol on the ticks; ``from_zero``: costs, which never go below it."""
    shown = display()
    axis = {"title": {"text": shown.code}, **money_ticks()}
    if from_zero:
        axis["rangemode"] = "tozero"
    return {**axis, **extra}


def money_ticks() -> dict:
    """MONEY_TICKS with the display currency's symbol."""
    shown = display()
    return MONEY_TICKS if not shown.converted else {**MONEY_TICKS, "tickprefix": shown.symbol}


def money_hover(field: str) -> str:
    """A hover template's whole-unit amount of ``field`` ("y", "customdata[0]") in the display
    currency: d3's "$" is always the dollar, so another currency's symbol is written before."""
    shown = display()
    if not shown.converted:
        return f"%{{{field}:$,.0f}}"
    return f"{shown.symbol}%{{{field}:,.0f}}"


def shown_amounts(usd, decimals: int = 2) -> np.ndarray:
    """US-dollar amounts (a number, a list or an array) in the display currency, to the cent
    (or ``decimals``), for a server-built chart whose axis and hovers usd_axis() and
    money_hover() label."""
    shown = np.round(np.asarray(usd, dtype=float) * display().per_usd, decimals)
    return shown.astype(np.int64) if decimals <= 0 else shown  # "3245308", not "3245308.0"


def month_axis(horizon: int) -> dict:
    return {"title": {"text": "Month"}, "dtick": max(1, horizon // 12)}


def vertical_line(x: float, colour: str, *, width: float = 1.5, dash: str = "dash") -> dict:
    """A line across the whole plot at ``x``: a break-even month, the user's traffic, a base."""
    return {
        "type": "line",
        "xref": "x",
        "yref": "paper",
        "x0": x,
        "x1": x,
        "y0": 0,
        "y1": 1,
        "line": {"color": colour, "width": width, "dash": dash},
    }


# What the browser needs to style the cost charts as the server styles every other chart.
CHART_STYLE = {
    "layout": base_layout(),
    "money_axis": MONEY_TICKS,
    "colours": OPTION_COLOURS,
    "categories": [
        {"key": c, "label": engine.CATEGORY_LABELS[c], "colour": CATEGORY_COLOURS[c]}
        for c in engine.CATEGORIES
    ],
}


def currency_style(shown: Display) -> dict:
    """CHART_STYLE for money in another currency than US dollars: its symbol on the ticks and
    hovers (static/js/charts.js reads ``currency``)."""
    return {
        **CHART_STYLE,
        "money_axis": money_ticks(),
        "currency": {"code": shown.code, "symbol": shown.symbol},
    }


def escape_plotly(text: str) -> str:
    # Plotly renders a subset of HTML in labels; names are ours, but keep them inert anyway.
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def json_for_script(value) -> str:
    """JSON safe inside <script type="application/json">, as Django's json_script makes it."""
    raw = orjson.dumps(value, option=orjson.OPT_SERIALIZE_NUMPY).decode()
    safe = raw.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")
    return mark_safe(safe)  # noqa: S308 - escaped above for the script context
