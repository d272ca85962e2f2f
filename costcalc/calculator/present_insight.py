"""Turn the engine's decision insight into what the insight panel shows.

As in present.py, numbers are formatted here once and charts are plain dicts in plotly.js's
figure format, serialized once with orjson (json_for_script). The panel's specs go into their
own ``<script type="application/json" id="insight-specs">``; charts.js draws every
``[data-insight-chart=NAME]`` element from it, as it draws ``[data-chart]`` from
``#chart-specs``.
"""

from __future__ import annotations

import math

import numpy as np

from costcalc import engine
from costcalc.engine import insight as ei
from costcalc.text import compact_money, display, money, value_text

from . import charts as chart

TORNADO_BARS = 10  # the chart shows the largest swings; the table lists them all


def colour(i: int) -> str:
    return chart.OPTION_COLOURS[i % len(chart.OPTION_COLOURS)]


def translucent(hex_colour: str, alpha: float) -> str:
    r, g, b = (int(hex_colour[k : k + 2], 16) for k in (1, 3, 5))
    return f"rgba({r},{g},{b},{alpha})"


def present_insight(ins: ei.Insight, comparison: dict) -> dict:
    """Everything the insight partial needs; ``comparison`` comes from set_comparison()."""
    result = ins.result
    mc = ins.monte_carlo
    horizon = len(result.months)
    names = [o.name for o in result.options]
    p = mc.p_cheapest
    bands = [
        {
            "name": band.name,
            "accent": i % len(chart.OPTION_COLOURS),
            "p10": money(band.p10[-1]),
            "base": money(opt.horizon_total),
            "p90": money(band.p90[-1]),
            "p_cheapest": f"{p[band.name] * 100:.1f}%",
        }
        for i, (band, opt) in enumerate(zip(mc.bands, result.options, strict=True))
    ]
    sourced = sum(v.sourced for v in mc.variables)
    return {
        "verdict": ins.verdict,
        "currency_note": display().note,  # as the results section names the rate and date
        "horizon": horizon,
        "user_rps": f"{ins.traffic.user_rps:,.0f}",
        "grid_low": f"{ins.traffic.rps[0]:,.0f}",
        "grid_high": f"{ins.traffic.rps[-1]:,.0f}",
        "grid_points": len(ins.traffic.rps),
        "tolerance": f"{ei.CROSSOVER_REL_TOL:.2%}",
        "crossovers": [c.label for c in ins.traffic.crossovers],
        "only_cheapest": names[int(ins.traffic.cheapest[0])],
        "bands": bands,
        "draws": f"{mc.draws:,}",
        "seed": f"{mc.seed:016x}",
        "variables": len(mc.variables),
        "sourced": sourced,
        "defaulted": len(mc.variables) - sourced,
        "default_spread": f"{ei.DEFAULT_SPREAD:.0%}",
        "tornado": tornado_rows(ins.tornado),
        "comparison": comparison,
        "hosting": hosting_rows(ins.hosting) if ins.hosting is not None else None,  # None: later
        "specs_json": chart.json_for_script(
            {
                "traffic": traffic_chart(ins, horizon),
                "bands": bands_chart(ins),
                **({"tornado": tornado_chart(ins.tornado, horizon)} if ins.tornado else {}),
            }
        ),
    }


def hosting_rows(hosted: list[ei.Hosted]) -> list[dict]:
    """The rows of "Instances, containers or functions?"."""
    return [
        {
            "name": h.option,
            "totals": [money(h.totals[m]) for m in engine.HOSTING_MODELS],
            "cheapest": engine.HOSTING_MODELS[h.cheapest],
            "label": h.label[:1].upper() + h.label[1:],
        }
        for h in hosted
    ]


def range_text(v: ei.Variable) -> str:
    span = f"{value_text(v.low, v.unit)} to {value_text(v.high, v.unit)}"
    return span if v.sourced else f"{span} (±{ei.DEFAULT_SPREAD:.0%} assumed: one figure given)"


def tornado_rows(torn: ei.Tornado | None) -> dict | None:
    if torn is None:
        return None
    return {
        "leader": torn.leader,
        "runner_up": torn.runner_up,
        "base_diff": money(torn.base_diff),
        "rows": [
            {
                "label": bar.variable.title,
                "range": range_text(bar.variable),
                "base": value_text(bar.variable.base, bar.variable.unit),
                "at_low": money(bar.diff_low),
                "at_high": money(bar.diff_high),
                "flip": (
                    f"{torn.runner_up} is cheaper when "
                    + " or ".join(
                        f"{f.direction} {value_text(f.value, bar.variable.unit)}" for f in bar.flips
                    )
                    if bar.flips
                    else ""
                ),
            }
            for bar in torn.bars
        ],
    }


# The decision panel's curves in whole units, as their hovers and ticks show them: the cents
# were 0.9 KB of the panel's 7.8 KB compressed (the default scenario).
WHOLE = 0


def traffic_chart(ins: ei.Insight, horizon: int) -> dict:
    curve = ins.traffic
    data = [
        {
            "type": "scatter",
            "mode": "lines",
            "name": name,
            "x": np.round(curve.rps, 3),
            "y": chart.shown_amounts(curve.totals[i], WHOLE),
            "line": {"color": colour(i), "width": 2.5},
            "hovertemplate": f"%{{x:,.0f}} RPS: {chart.money_hover('y')}<extra>"
            + chart.escape_plotly(name)
            + "</extra>",
        }
        for i, name in enumerate(curve.names)
    ]
    annotations = [
        {
            # On a log axis plotly places annotations by log10 of the value (shapes by the value).
            "x": math.log10(curve.user_rps),
            "y": 0.02,
            "xref": "x",
            "yref": "paper",
            "text": f"Your traffic: {curve.user_rps:,.0f} RPS",
            "showarrow": False,
            "xanchor": "left",
            "yanchor": "bottom",
            "xshift": 4,
            "bgcolor": "rgba(255,255,255,0.85)",
        }
    ]
    for k, c in enumerate(curve.crossovers):
        annotations.append(
            {
                "x": math.log10(c.rps),
                "y": float(chart.shown_amounts(c.total)),
                "xref": "x",
                "yref": "y",
                "text": chart.escape_plotly(c.label),
                "showarrow": True,
                "arrowhead": 2,
                "ax": 0,
                "ay": -40 - 28 * (k % 3),
                "bgcolor": "rgba(255,255,255,0.85)",
            }
        )
    if curve.crossovers:
        data.append(
            {
                "type": "scatter",
                "mode": "markers",
                "name": "Crossovers",
                "showlegend": False,
                "x": [round(c.rps, 3) for c in curve.crossovers],
                "y": chart.shown_amounts([c.total for c in curve.crossovers], WHOLE),
                "marker": {"symbol": "diamond", "size": 10, "color": "#0f172a"},
                "text": [chart.escape_plotly(c.label) for c in curve.crossovers],
                "hovertemplate": "%{text}<extra></extra>",
            }
        )
    return {
        "data": data,
        "layout": chart.base_layout(
            title=f"Total over {horizon} months against peak traffic",
            xaxis={"title": {"text": "Peak RPS in month 1 (log scale)"}, "type": "log"},
            yaxis=chart.usd_axis(),
            shapes=[chart.vertical_line(curve.user_rps, "#334155")],
            annotations=annotations,
            hovermode="closest",
        ),
    }


def bands_chart(ins: ei.Insight) -> dict:
    months = ins.result.months
    data = []
    hover_y, hover_p10, hover_p90 = (
        chart.money_hover(f) for f in ("y", "customdata[0]", "customdata[1]")
    )
    for i, (band, opt) in enumerate(zip(ins.monte_carlo.bands, ins.result.options, strict=True)):
        name = chart.escape_plotly(band.name)
        common = {"type": "scatter", "mode": "lines", "x": months, "legendgroup": f"o{i}"}
        data.append(
            {
                **common,
                "y": chart.shown_amounts(band.p10, WHOLE),
                "line": {"width": 0, "color": colour(i)},
                "showlegend": False,
                "hoverinfo": "skip",
                "name": f"{band.name} P10",
            }
        )
        data.append(
            {
                **common,
                "y": chart.shown_amounts(band.p90, WHOLE),
                "fill": "tonexty",
                "fillcolor": translucent(colour(i), 0.14),
                "line": {"width": 0, "color": colour(i)},
                "showlegend": False,
                "hoverinfo": "skip",
                "name": f"{band.name} P10 to P90",
            }
        )
        data.append(
            {
                **common,
                "name": band.name,
                "y": chart.shown_amounts(opt.cumulative, WHOLE),
                "line": {"color": colour(i), "width": 2.5},
                "customdata": chart.shown_amounts(np.column_stack([band.p10, band.p90]), WHOLE),
                "hovertemplate": f"{hover_y} (P10 {hover_p10}, P90 {hover_p90})<extra>"
                + name
                + "</extra>",
            }
        )
    return {
        "data": data,
        "layout": chart.base_layout(
            title=f"Cumulative cost with its P10 to P90 band ({ins.monte_carlo.draws:,} draws)",
            xaxis=chart.month_axis(len(months)),
            yaxis=chart.usd_axis(),
            hovermode="x unified",
        ),
    }


def tornado_chart(torn: ei.Tornado, horizon: int) -> dict:
    bars = torn.bars[:TORNADO_BARS]
    labels = [chart.escape_plotly(b.variable.title) for b in bars]
    base = float(chart.shown_amounts(torn.base_diff))
    hover = chart.money_hover("customdata[1]")

    def trace(name: str, end: str, fill: str) -> dict:
        values = [getattr(b.variable, end) for b in bars]
        diffs = [getattr(b, f"diff_{end}") for b in bars]
        return {
            "type": "bar",
            "orientation": "h",
            "name": name,
            "y": labels,
            "x": chart.shown_amounts([d - torn.base_diff for d in diffs]),
            "base": base,
            "marker": {"color": fill},
            "customdata": [
                [value_text(v, b.variable.unit), float(chart.shown_amounts(d))]
                for v, d, b in zip(values, diffs, bars, strict=True)
            ],
            "hovertemplate": f"at %{{customdata[0]}}: {hover}<extra>%{{y}}</extra>",
        }

    leader, runner = chart.escape_plotly(torn.leader), chart.escape_plotly(torn.runner_up)
    return {
        "data": [
            trace("Assumption at the low end of its range", "low", "#0891b2"),
            trace("At the high end", "high", "#d97706"),
        ],
        "layout": chart.base_layout(
            title=f"What moves {leader}'s lead",
            barmode="overlay",
            margin={"l": 64, "r": 16, "t": 84, "b": 84},
            xaxis={
                "title": {
                    "text": f"{leader} minus {runner}, total over {horizon} months "
                    f"({display().code})"
                    f"<br>right of 0: {runner} is cheaper"
                },
                **chart.money_ticks(),
                "zeroline": True,
                "zerolinewidth": 2,
            },
            yaxis={"autorange": "reversed", "automargin": True},
            shapes=[
                {
                    "type": "line",
                    "xref": "x",
                    "yref": "paper",
                    "x0": base,
                    "x1": base,
                    "y0": 0,
                    "y1": 1,
                    "line": {"color": "#334155", "width": 1.5, "dash": "dot"},
                }
            ],
            height=190 + 34 * max(1, len(bars)),
        ),
    }


def set_comparison(
    outcomes: list[ei.SetOutcome], names: list[str], current_key: str, missing: list[str]
) -> dict:
    """The seed-vs-independent table: each option's total under each set, the cheapest under
    each, and (with two sets) how far the second set's figure is from the first's."""
    columns = [
        {
            "label": o.label,
            "key": o.key,
            "is_current": o.key == current_key,
            "error": o.error,
            "cheapest": o.cheapest or "",
        }
        for o in outcomes
    ]
    both = len(outcomes) == 2 and all(o.totals for o in outcomes)
    rows = []
    for name in names:
        cells = []
        for o in outcomes:
            total = o.totals.get(name)
            cells.append(
                {
                    "value": money(total) if total is not None else "n/a",
                    "compact": compact_money(total) if total is not None else "n/a",
                    "is_cheapest": o.cheapest == name,
                }
            )
        row = {"name": name, "cells": cells, "change": ""}
        if both:
            first, second = outcomes[0].totals[name], outcomes[1].totals[name]
            row["change"] = f"{(second - first) / first * 100:+.1f}%" if first else ""
        rows.append(row)
    cheapest = [o.cheapest for o in outcomes if o.cheapest]
    return {
        "columns": columns,
        "rows": rows,
        "two": both,
        "agree": both and len(set(cheapest)) == 1,
        "missing": missing,
    }
