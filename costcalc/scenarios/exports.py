"""A saved scenario's exports: the monthly table as CSV, and inputs + results as JSON.

The JSON's ``results`` is the API's results format (costcalc/scenarios/format/, docs/api.md),
whose ``scenario`` member is a document POST /api/v1/calculate accepts; the calculator's own
inputs, the stored figures and the migration sit beside it.
"""

from __future__ import annotations

from costcalc import engine
from costcalc.calculator.present import option_instances
from costcalc.scenarios.format import Resolved, page_document, results_json
from costcalc.scenarios.format import Scenario as Document
from costcalc.scenarios.format import migration_json as results_migration_json

from .compute import Computation
from .models import Scenario

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
}
CSV_COLUMNS = list(CSV_HEADER.values())
EXPORT_FORMAT = "costcalc-scenario/1"


def monthly_csv(result: engine.Result) -> str:
    """One row per option and month, in a fixed column order: the instances each option bills
    (all its services), then USD to the cent."""
    frame = result.monthly_frame()
    frame.insert(
        frame.columns.get_loc("peak_rps") + 1,
        "instances",
        [int(n) for opt in result.options for n in option_instances(opt).tolist()],
    )
    frame = frame[list(CSV_HEADER)].rename(columns=CSV_HEADER)
    return frame.to_csv(index=False, float_format="%.2f", lineterminator="\n")


def api_document(scenario: Scenario, c: Computation) -> Document:
    """The scenario in the API's format, every default given and the set's version pinned."""
    migration = c.migration.migration if c.migration is not None else None
    return page_document(c.form, c.aset, scenario.description or scenario.title, migration)


def migration_json(m: engine.MigrationResult | None, result: engine.Result) -> dict | None:
    """The results' migration without what the export's figures leave out."""
    full = results_migration_json(m, result)
    if full is None:
        return None
    return {key: value for key, value in full.items() if key not in ("from", "to", "totals")}


def scenario_json(scenario: Scenario, c: Computation, link: str) -> dict:
    aset = c.aset
    resolved = Resolved(
        scenario=api_document(scenario, c),
        aset=aset,
        snapshot=c.snapshot,
        inputs=c.form.inputs(),
        options=c.form.options(),
        migration=c.migration.migration if c.migration is not None else None,
    )
    return {
        "format": EXPORT_FORMAT,
        "link": link,
        "slug": scenario.slug,
        "title": scenario.title,
        "description": scenario.description,
        "saved_at": scenario.created_at.isoformat(),
        "assumption_set": {
            "slug": aset.slug,
            "version": aset.version,
            "name": aset.name,
            "as_of": aset.as_of.isoformat(),
        },
        "inputs": scenario.query,
        "results": results_json(resolved, c.result),
        "migration": migration_json(c.migration, c.result),
        "figures": scenario.figures,
    }
