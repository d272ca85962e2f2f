"""What the scenario pages show: inputs as text, migrations, differences, and chart specs.

Charts are plotly.js figures as plain dicts, like the calculator's (calculator/present.py), and
every name that reaches a chart goes through ``escape_plotly``.
"""

from __future__ import annotations

import numpy as np
import orjson
from django.utils.safestring import mark_safe

from costcalc import engine
from costcalc.calculator import charts as chart
from costcalc.calculator.forms import CalculatorForm
from costcalc.calculator.present import option_instances, whole_dollars
from costcalc.text import money, month_text, number_text

DASHES = ["solid", "dash", "dot", "dashdot", "longdash", "longdashdot"]


# --- Inputs ------------------------------------------------------------------------------------


def input_groups(form: CalculatorForm) -> list[tuple[str, list[tuple[str, str]]]]:
    """The scenario's inputs as (group, [(label, value)]) in the calculator's order."""
    groups = []
    for title, fields in form.fieldsets():
        rows = []
        for bound in fields:
            if bound.name in form.your_fields and form.cleaned_data.get(bound.name) is None:
                continue  # a figure of yours left blank: the set's, like every other figure
            rows.append((str(bound.label), input_text(form, bound.name)))
        if rows:
            groups.append((title, rows))
    return groups


def input_text(form: CalculatorForm, name: str) -> str:
    field = form.fields[name]
    value = form.cleaned_data.get(name) if form.is_valid() else form.data.get(name)
    if name == "mix":
        return form.data.get("mix", "").strip() or "none"
    if name == "stacks":
        labels = dict(field.choices)
        chosen = field.choices_order(form.cleaned_data.get("stacks", []))
        return ", ".join(labels[s] for s in chosen) or "none"
    if hasattr(field, "choices"):
        return str(dict(field.choices).get(value, value))
    if isinstance(value, int | float):
        unit = getattr(field, "unit", "")
        return f"{number_text(value, 4)}{unit}"
    return str(value)


# --- Migration -----------------------------------------------------------------------------------


def months_text(x: float) -> str:
    return f"{number_text(x, 2)} month{'' if x == 1 else 's'}"


def present_migration(m: engine.MigrationResult) -> dict:
    mig = m.migration
    return {
        "current": m.current.name,
        "target": m.target.name,
        "effort": number_text(mig.effort_weeks, 2),
        "rewrite_months": months_text(mig.rewrite_months),
        "overlap_months": months_text(mig.overlap_months),
        "cutover": months_text(mig.cutover_months),
        "weekly_rate": money(m.weekly_rate),
        "rewrite_cost": money(m.rewrite_cost),
        "staying_total": money(m.staying_total),
        "migrating_total": money(m.migrating_total),
        "saving": money(abs(m.saving)),
        "saves": m.saving > 0.005,
        "break_even": m.break_even_month,
        "break_even_text": month_text(m.break_even_month),
        "lines": [
            {"label": engine.MIGRATION_LABELS[line], "value": money(m.totals[line])}
            for line in engine.MIGRATION_LINES
        ],
    }


def migration_chart(m: engine.MigrationResult) -> dict:
    """Cumulative cost of staying and of migrating, the break-even month marked.

    Month m is drawn at x = m and covers x = m - 0.5 .. m + 0.5, so the rewrite (t = 0 .. R)
    is shaded from 0.5 to R + 0.5 and the overlap from R + 0.5 to T + 0.5.
    """
    months = np.arange(1, len(m.staying) + 1)
    horizon = len(months)
    data = [
        {
            "type": "scatter",
            "mode": "lines+markers",
            "name": chart.escape_plotly(name),
            "x": months,
            "y": chart.shown_amounts(cumulative),
            "line": {"color": colour, "width": 2.5},
            "marker": {"size": 4},
            "hovertemplate": f"{chart.money_hover('y')}<extra>{label}</extra>",
        }
        for name, cumulative, colour, label in (
            (f"Stay on {m.current.name}", m.staying_cumulative, chart.OPTION_COLOURS[0], "Staying"),
            (
                f"Migrate to {m.target.name}",
                m.migrating_cumulative,
                chart.OPTION_COLOURS[1],
                "Migrating",
            ),
        )
    ]
    mig = m.migration
    shapes, annotations = [], []
    rewrite_end = min(mig.rewrite_months, horizon) + 0.5
    cutover = min(mig.cutover_months, horizon) + 0.5
    for x0, x1, label, colour, y in (
        (0.5, rewrite_end, "rewrite", "rgba(217,119,6,0.10)", 0.02),
        (rewrite_end, cutover, "both running", "rgba(37,99,235,0.08)", 0.09),
    ):
        if x1 > x0:
            shapes.append(
                {
                    "type": "rect",
                    "xref": "x",
                    "yref": "paper",
                    "x0": x0,
                    "x1": x1,
                    "y0": 0,
                    "y1": 1,
                    "fillcolor": colour,
                    "line": {"width": 0},
                    "layer": "below",
                }
            )
            annotations.append(
                {
                    "x": (x0 + x1) / 2,
                    "y": y,
                    "xref": "x",
                    "yref": "paper",
                    "text": label,
                    "showarrow": False,
                    "font": {"size": 11, "color": "#475569"},
                }
            )
    if m.break_even_month:
        b = m.break_even_month
        shapes.append(chart.vertical_line(b, "#047857", width=2))
        annotations.append(
            {
                "x": b,
                "y": float(chart.shown_amounts(m.migrating_cumulative[b - 1])),
                "xref": "x",
                "yref": "y",
                "text": f"Break-even: month {b}",
                "showarrow": True,
                "arrowhead": 2,
                "ax": 40,
                "ay": -40,
                "font": {"color": "#047857"},
            }
        )
    else:
        annotations.append(
            {
                "x": 1,
                "y": 0.02,
                "xref": "paper",
                "yref": "paper",
                "xanchor": "right",
                "yanchor": "bottom",
                "text": "No break-even within the horizon",
                "showarrow": False,
                "font": {"color": "#b91c1c"},
            }
        )
    layout = chart.base_layout(
        title="Cumulative cost: staying or migrating",
        xaxis=chart.month_axis(horizon),
        yaxis=chart.usd_axis(),
        hovermode="x unified",
        shapes=shapes,
        annotations=annotations,
    )
    return {"data": data, "layout": layout}


def migration_saving_chart(m: engine.MigrationResult) -> dict:
    """How far migrating is ahead of staying, month by month: above zero, it is cheaper."""
    months = np.arange(1, len(m.staying) + 1)
    ahead = m.staying_cumulative - m.migrating_cumulative
    shapes = []
    if m.break_even_month:
        b = m.break_even_month
        shapes.append(chart.vertical_line(b, "#047857", width=2))
    data = [
        {
            "type": "bar",
            "name": "Migrating ahead (+) or behind (−)",
            "x": months,
            "y": chart.shown_amounts(ahead),
            "marker": {"color": ["#047857" if v >= -0.01 else "#b91c1c" for v in ahead]},
            "hovertemplate": f"{chart.money_hover('y')}<extra>Staying minus migrating</extra>",
        }
    ]
    title = "Cumulative saving of migrating (above zero: ahead)"
    if m.break_even_month:
        title += f"; break-even in month {m.break_even_month}"
    layout = chart.base_layout(
        title=title,
        xaxis=chart.month_axis(len(months)),
        yaxis=chart.usd_axis(from_zero=False, zeroline=True, zerolinewidth=2),
        showlegend=False,
        shapes=shapes,
        height=300,
    )
    return {"data": data, "layout": layout}


def with_charts(charts_json: str, **extra: dict) -> str:
    """The calculator's chart specs with more charts added, for one #chart-specs element."""
    specs = orjson.loads(charts_json.encode())
    specs.update(extra)
    return chart.json_for_script(specs)


# --- Recompute: old against new ---------------------------------------------------------------


def differences(
    old: engine.Result, old_keys: list[str], new: engine.Result, new_keys: list[str]
) -> list[dict]:
    """Per option (matched by stack, or "mix" for the hybrid): old and new totals."""
    new_by_key = dict(zip(new_keys, new.options, strict=True))
    rows = []
    for key, before in zip(old_keys, old.options, strict=True):
        after = new_by_key.get(key)
        row = {"name": before.name, "old": money(before.horizon_total), "new": "", "change": ""}
        if after is None:
            row["missing"] = True
            rows.append(row)
            continue
        change = after.horizon_total - before.horizon_total
        pct = change / before.horizon_total * 100 if before.horizon_total else 0.0
        row.update(
            new_name=after.name,
            new=money(after.horizon_total),
            change=signed_money(change),
            change_pct=f"{pct:+.1f}%",
            direction="up" if change > 0.005 else ("down" if change < -0.005 else "same"),
            categories=[
                {
                    "label": engine.CATEGORY_LABELS[c],
                    "old": money(before.totals[c]),
                    "new": money(after.totals[c]),
                    "change": signed_money(after.totals[c] - before.totals[c]),
                }
                for c in engine.CATEGORIES
            ],
        )
        rows.append(row)
    return rows


def signed_money(x: float) -> str:
    if abs(x) < 0.005:
        return money(0)
    return f"+{money(x)}" if x > 0 else money(x)


def old_new_chart(old: engine.Result, new: engine.Result, old_label: str, new_label: str) -> dict:
    data = []
    for result, label, dash in ((old, old_label, "dot"), (new, new_label, "solid")):
        for i, opt in enumerate(result.options):
            data.append(
                {
                    "type": "scatter",
                    "mode": "lines",
                    "name": f"{chart.escape_plotly(opt.name)} ({chart.escape_plotly(label)})",
                    "x": result.months,
                    "y": chart.shown_amounts(opt.cumulative),
                    "line": {
                        "color": chart.OPTION_COLOURS[i % len(chart.OPTION_COLOURS)],
                        "width": 2.5,
                        "dash": dash,
                    },
                    "hovertemplate": f"{chart.money_hover('y')}<extra>"
                    + chart.escape_plotly(f"{opt.name}, {label}")
                    + "</extra>",
                }
            )
    return {
        "data": data,
        "layout": chart.base_layout(
            title="Cumulative cost: dotted with the pinned version, solid with the newest",
            xaxis=chart.month_axis(len(new.months)),
            yaxis=chart.usd_axis(),
            hovermode="x unified",
        ),
    }


# --- Compare ---------------------------------------------------------------------------------


def compare_inputs(entries: list[tuple[str, CalculatorForm]]) -> list[dict]:
    """The scenarios' inputs side by side: per group of the calculator, a row per input with
    each scenario's value ("–" where it has none, e.g. a figure of yours) and whether they
    differ. ``entries``: (the set's name and version, the scenario's form)."""
    groups: dict[str, dict[str, list[str]]] = {"Assumption set": {"Set": []}}
    for i, (set_name, form) in enumerate(entries):
        groups["Assumption set"]["Set"].append(set_name)
        for title, rows in input_groups(form):
            group = groups.setdefault(title, {})
            for label, value in rows:
                group.setdefault(label, ["–"] * i).append(value)
        for group in groups.values():  # an input this scenario lacks
            for values in group.values():
                values.extend(["–"] * (i + 1 - len(values)))
    return [
        {
            "title": title,
            "rows": [
                {"label": label, "values": values, "differs": len(set(values)) > 1}
                for label, values in rows.items()
            ],
        }
        for title, rows in groups.items()
    ]


def compare_results(results: list[engine.Result | None]) -> list[dict]:
    """Each option's horizon total and totals by category in every scenario, and the change
    from the first scenario that has it: a row per figure, options by name in order of first
    appearance. A scenario that did not compute, or lacks the option, shows "–"."""
    names: list[str] = []
    by_name: list[dict[str, engine.OptionResult]] = []
    for result in results:
        options = {o.name: o for o in result.options} if result is not None else {}
        by_name.append(options)
        names += [name for name in options if name not in names]

    def row(label: str, figures: list[float | None], *, total: bool) -> dict:
        first = next((x for x in figures if x is not None), None)
        cells = []
        for x in figures:
            if x is None:
                cells.append({"value": "–", "change": ""})
            else:
                same = first is None or abs(x - first) < 0.005
                cells.append({"value": money(x), "change": "" if same else signed_money(x - first)})
        # Differs: between the scenarios that have the option (one lacking it is no change).
        differs = len({c["value"] for c in cells if c["value"] != "–"}) > 1
        classes = " ".join(name for name, on in (("sum", total), ("differs", differs)) if on)
        return {"label": label, "cells": cells, "differs": differs, "classes": classes}

    out = []
    for name in names:
        options = [o.get(name) for o in by_name]
        rows = [row("Total", [o.horizon_total if o else None for o in options], total=True)]
        rows += [
            row(
                engine.CATEGORY_LABELS[c],
                [o.totals[c] if o else None for o in options],
                total=False,
            )
            for c in engine.CATEGORIES
        ]
        out.append({"name": name, "rows": rows})
    return out


def compare_chart(entries: list[tuple[str, engine.Result]]) -> dict:
    """Every option of every scenario on one chart: a colour per scenario, a dash per option."""
    data = []
    longest = 1
    for i, (title, result) in enumerate(entries):
        longest = max(longest, len(result.months))
        for j, opt in enumerate(result.options):
            name = f"{title}: {opt.name}"
            data.append(
                {
                    "type": "scatter",
                    "mode": "lines",
                    "name": chart.escape_plotly(name),
                    "legendgroup": f"s{i}",
                    "x": result.months,
                    "y": chart.shown_amounts(opt.cumulative),
                    "line": {
                        "color": chart.OPTION_COLOURS[i % len(chart.OPTION_COLOURS)],
                        "width": 2.5,
                        "dash": DASHES[j % len(DASHES)],
                    },
                    "hovertemplate": f"{chart.money_hover('y')}<extra>"
                    + chart.escape_plotly(name)
                    + "</extra>",
                }
            )
    return {
        "data": data,
        "layout": chart.base_layout(
            title="Cumulative cost of every option of every scenario",
            xaxis=chart.month_axis(longest),
            yaxis=chart.usd_axis(),
            hovermode="closest",
            legend={"orientation": "h", "x": 0, "y": -0.18, "yanchor": "top"},
            margin={"l": 64, "r": 16, "t": 56, "b": 40},
            height=420 + 20 * len(data),
        ),
    }


# --- Report: one monthly table per option ----------------------------------------------------


def monthly_tables(result: engine.Result) -> list[dict]:
    """Each option's months as table rows (numbers only, so the body is built as HTML here):
    peak traffic, the instances it bills, then its dollars."""
    tables = []
    for opt in result.options:
        columns = np.column_stack(
            [*(opt.categories[c] for c in result.categories), opt.total, opt.cumulative]
        )
        instances = whole_dollars(option_instances(opt)[None, :])[0]  # whole counts
        rows = []
        for month, peak, count, cells in zip(
            result.months.tolist(),
            result.peak_rps.tolist(),
            instances,
            columns.tolist(),
            strict=True,
        ):
            figures = "".join(f"<td>{money(v)}</td>" for v in cells)
            rows.append(
                f'<tr><th scope="row">{month}</th><td>{peak:,.0f}</td><td>{count:,}</td>'
                f"{figures}</tr>"
            )
        tables.append(
            {
                "name": opt.name,
                "body": mark_safe("".join(rows)),  # noqa: S308 - numbers formatted above
            }
        )
    return tables


# --- Link previews ---------------------------------------------------------------------------


def og_description(headline: dict | None, description: str) -> str:
    parts = []
    if headline:
        parts.append(
            f"Cheapest over {headline['horizon']} months: {headline['name']} at "
            f"{money(headline['total'])}."
        )
    if description:
        text = " ".join(description.split())
        parts.append(text if len(text) <= 200 else text[:199].rstrip() + "…")
    return " ".join(parts)
