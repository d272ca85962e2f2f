"""A saved scenario's exports: the monthly table as CSV and as a spreadsheet, and the scenario
document with its results as JSON; each carries the Monte Carlo's bands (docs/api.md, "Exports").

The JSON is the API's: ``scenario`` is a document POST /api/v1/calculate accepts, ``results``
its answer and ``uncertainty`` the insight's (POST /api/v1/insight), rounded as the API rounds.
The spreadsheet (XLSX, pandas with openpyxl, imported only here) holds the same figures in
sheets people open: inputs, monthly figures, bands and the source of every figure used (and
the present values, given a discount rate).
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

from costcalc import engine
from costcalc.calculator.present import option_instances
from costcalc.engine.figures import (
    ALL_FIGURES,
    FIGURE_UNITS,
    INSTANCE_PRICE,
    RATE_FIGURES,
    STACK_FIGURES,
)
from costcalc.engine.kernel import _languages, _stacks
from costcalc.scenarios.format import (
    Resolved,
    monte_carlo,
    page_document,
    present_value_json,
    results_json,
    set_json,
    uncertainty_json,
)
from costcalc.scenarios.format import Scenario as Document
from costcalc.text import USD, Display, language_name

from .compute import Computation
from .models import Scenario
from .present import input_groups

if TYPE_CHECKING:  # pandas is imported by the exports alone: serving pages never loads it
    import pandas as pd

# The export's columns as a spreadsheet shows them: words, with the money's unit, in the page's
# monthly table's order. (The `tco` command's CSV keeps the engine's keys, for scripts.)
CSV_HEADER = {
    "option": "Option",
    "month": "Month",
    "peak_rps": "Peak RPS",
    "instances": "Instances",
    **{c: f"{engine.CATEGORY_LABELS[c]} (USD)" for c in engine.CATEGORIES},
    "total": "Total (USD)",
    "cumulative": "Cumulative (USD)",
    # The Monte Carlo's band of the cumulative cost (docs/insight.md): low, likely, high.
    "p10": "Cumulative P10 (USD)",
    "p50": "Cumulative P50 (USD)",
    "p90": "Cumulative P90 (USD)",
}
# Without platform lines (a set without platform prices, or every line off) the CSV has no
# platform column: the columns it always had.
CSV_COLUMNS = [words for key, words in CSV_HEADER.items() if key != "platform"]
EXPORT_FORMAT = "costcalc-scenario/2"  # 2: the API's document and results, with the bands
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
BAND_COLUMNS = ["Option", "Category", "Base (USD)", "P10 (USD)", "P50 (USD)", "P90 (USD)",
                "Chance cheapest"]  # fmt: skip
SOURCE_COLUMNS = ["Figure of", "Figure", "Value", "Low", "High", "Unit", "Source", "Publisher",
                  "Date", "Link"]  # fmt: skip


def resolved(scenario: Scenario, c: Computation) -> Resolved:
    """The saved scenario as the API resolves a document: the same inputs, options and set."""
    migration = c.migration.migration if c.migration is not None else None
    return Resolved(
        scenario=api_document(scenario, c),
        aset=c.aset,
        snapshot=c.snapshot,
        inputs=c.form.inputs(),
        options=c.form.options(),
        migration=migration,
    )


def uncertainty(scenario: Scenario, c: Computation) -> dict:
    """The insight's bands of the saved scenario: the page's and the API's seed and draws."""
    r = resolved(scenario, c)
    return uncertainty_json(r, c.result, monte_carlo(r))


def monthly_frame(result: engine.Result, bands: dict) -> pd.DataFrame:
    """One row per option and month in the CSV's columns: the instances each option bills (all
    its services), USD, and the band of the cumulative cost."""
    frame = result.monthly_frame()
    frame.insert(
        frame.columns.get_loc("peak_rps") + 1,
        "instances",
        [int(n) for opt in result.options for n in option_instances(opt).tolist()],
    )
    for q in ("p10", "p50", "p90"):
        frame[q] = [month[q] for option in bands["options"] for month in option["monthly"]]
    keys = [k for k in CSV_HEADER if k not in engine.CATEGORIES or k in result.categories]
    return frame[keys].rename(columns=CSV_HEADER)


def monthly_csv(result: engine.Result, bands: dict, shown: Display = USD) -> str:
    """The monthly frame as CSV, to the cent of the display currency its headers name; in
    another currency than US dollars, on every row the rate used and its date (as the
    spreadsheet's Inputs sheet and the JSON's ``display`` give them)."""
    frame = in_currency(monthly_frame(result, bands), shown)
    if shown.converted:  # the rate as text: the money's two places would cut it to 0.96
        frame = frame.assign(
            **{
                "Currency": shown.code,
                f"{shown.code} per US dollar": f"{shown.per_usd:.6g}",
                "Rate date": shown.date,
            }  # fmt: skip
        )
    return frame.to_csv(index=False, float_format="%.2f", lineterminator="\n")


def in_currency(frame: pd.DataFrame, shown: Display) -> pd.DataFrame:
    """Every "(USD)" column in the display currency, named so: "Total (EUR)"."""
    if not shown.converted:
        return frame
    usd = [c for c in frame.columns if c.endswith("(USD)")]
    frame = frame.copy()
    frame[usd] = frame[usd].astype(float) * shown.per_usd
    return frame.rename(columns={c: c.replace("(USD)", f"({shown.code})") for c in usd})


def api_document(scenario: Scenario, c: Computation) -> Document:
    """The scenario in the API's format, every default given and the set's version pinned."""
    migration = c.migration.migration if c.migration is not None else None
    return page_document(c.form, c.aset, scenario.description or scenario.title, migration)


def scenario_json(scenario: Scenario, c: Computation, link: str, *, bands: bool = True) -> dict:
    """The saved scenario as the API gives it: its document, the results and (unless
    ``bands`` is False: GET /api/v1/scenarios/<slug> has no Monte Carlo) the bands."""
    r = resolved(scenario, c)
    results = results_json(r, c.result)
    document = results.pop("scenario")  # once, at the top
    return {
        "format": EXPORT_FORMAT,
        "link": link,
        "slug": scenario.slug,
        "title": scenario.title,
        "description": scenario.description,
        "saved_at": scenario.created_at.isoformat(),
        "assumption_set": set_json(c.aset),
        "scenario": document,
        "results": results,
        "uncertainty": uncertainty_json(r, c.result, monte_carlo(r)) if bands else None,
    }


# --- The spreadsheet ----------------------------------------------------------------------------


def inputs_frame(scenario: Scenario, c: Computation, link: str) -> pd.DataFrame:
    """The scenario's words, its pinned set and every input as the page lists them."""
    import pandas as pd

    aset = c.aset
    rows = [
        ("Scenario", "Title", scenario.title),
        ("Scenario", "Description", scenario.description),
        ("Scenario", "Link", link),
        ("Scenario", "Saved", scenario.created_at.date().isoformat()),
        ("Assumption set", "Name", f"{aset.name} version {aset.version}"),
        ("Assumption set", "As of", aset.as_of.isoformat()),
    ]
    shown = c.form.display()
    if shown.converted:
        rows += [
            ("Currency", "Shown in", shown.code),
            ("Currency", f"{shown.code} per US dollar", shown.per_usd),
            ("Currency", "Rate of", shown.date),
            ("Currency", "Rate from", shown.note),
        ]
    rows += [
        (group, label, value) for group, fields in input_groups(c.form) for label, value in fields
    ]
    return pd.DataFrame(rows, columns=["Group", "Input", "Value"])


def bands_frame(result: engine.Result, bands: dict) -> pd.DataFrame:
    """Each option's horizon total and each category's: base, P10, P50, P90; the chance that it
    is cheapest on the total's row."""
    import pandas as pd

    rows = []
    for option, band in zip(result.options, bands["options"], strict=True):
        rows.append((option.name, "Total", band["base"], band["p10"], band["p50"], band["p90"],
                     band["p_cheapest"]))  # fmt: skip
        for k in result.categories:
            q = band["categories"][k]
            base = round(float(option.totals[k]), 2)
            rows.append((option.name, engine.CATEGORY_LABELS[k], base, q["p10"], q["p50"],
                         q["p90"], None))  # fmt: skip
    return pd.DataFrame(rows, columns=BAND_COLUMNS)


def figures_used(inputs: engine.Inputs, options, a: engine.Assumptions) -> list[tuple]:
    """Every sourced figure the scenario's formulas read (kernel.base_params' table), with the
    figures you gave in place of the set's: (owner, figure name, Figure, Source or None)."""
    a = engine.yours.apply(a, inputs.your_figures, inputs.market)
    market = a.markets.get(inputs.market)
    market_name = market.name if market else inputs.market
    out = []
    for slug in _stacks(options):
        stack = a.stack(slug)
        out += [(stack.name, name, getattr(stack, name)) for name in STACK_FIGURES]
    for language in _languages(options, a):
        rate = a.rate(inputs.market, language)
        who = f"{language_name(language)} engineers, {market_name}"
        out += [(who, name, getattr(rate, name)) for name in RATE_FIGURES]
    inst = a.instance(inputs.instance)
    out.append((inst.name, INSTANCE_PRICE.name, inst.price_per_hour))
    return [(owner, name, fig, a.sources.get(fig.source)) for owner, name, fig in out]


def sources_frame(c: Computation) -> pd.DataFrame:
    """The value, range, unit and source (with its date) of every figure used."""
    import pandas as pd

    rows = []
    for owner, name, fig, source in figures_used(c.form.inputs(), c.form.options(), c.snapshot):
        rows.append((
            owner, ALL_FIGURES[name].words, fig.base, fig.low, fig.high, FIGURE_UNITS[name][0],
            source.title if source else "", source.publisher if source else "",
            source.date if source else "", source.url if source else "",
        ))  # fmt: skip
    return pd.DataFrame(rows, columns=SOURCE_COLUMNS)


def scenario_xlsx(scenario: Scenario, c: Computation, link: str) -> bytes:
    """The spreadsheet: Inputs, Monthly, Bands and Sources sheets."""
    import pandas as pd

    bands = uncertainty(scenario, c)
    shown = c.form.display()
    sheets = {
        "Inputs": inputs_frame(scenario, c, link),
        "Monthly": in_currency(monthly_frame(c.result, bands), shown),
        "Bands": in_currency(bands_frame(c.result, bands), shown),
        "Sources": sources_frame(c),  # the set's own figures, in its US dollars
    }
    if (pv := present_value_json(c.result)) is not None:
        sheets["Present value"] = pd.DataFrame(
            [(o["name"], o["horizon_total"], o["saving_vs_baseline"], o["break_even_month"])
             for o in pv["options"]],
            columns=["Option", f"Total, {pv['label']} (USD)", "Saving vs baseline (USD)",
                     "Break-even month"],
        ).pipe(in_currency, shown)  # fmt: skip
    out = io.BytesIO()
    with pd.ExcelWriter(out, engine="openpyxl") as writer:
        for name, frame in sheets.items():
            frame.to_excel(writer, sheet_name=name, index=False)
            sheet = writer.sheets[name]
            sheet.freeze_panes = "A2"  # the header row stays as the figures scroll
            for column in sheet.columns:  # wide enough to read the words without resizing
                width = max(len(str(cell.value or "")) for cell in column)
                sheet.column_dimensions[column[0].column_letter].width = min(width + 2, 60)
    return out.getvalue()
