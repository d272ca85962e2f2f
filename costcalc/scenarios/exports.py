"""A saved scenario's exports: the monthly table as CSV, and inputs + results as JSON.

The JSON's ``results`` is the API's results format (costcalc/api/scenario.py, docs/api.md),
whose ``scenario`` member is a document POST /api/v1/calculate accepts; the calculator's own
inputs, the stored figures and the migration sit beside it.
"""

from __future__ import annotations

from costcalc import engine
from costcalc.api.scenario import (
    AssumptionSetRef,
    MigrationIn,
    OptionIn,
    Resolved,
    ScenarioInputs,
    ServiceIn,
    results_json,
)
from costcalc.api.scenario import Scenario as ApiScenario

from .compute import Computation
from .models import Scenario

CSV_COLUMNS = ["option", "month", "peak_rps", *engine.CATEGORIES, "total", "cumulative"]
EXPORT_FORMAT = "costcalc-scenario/1"
API_NAME_MAX = 100  # the API's limit on an option's name


def monthly_csv(result: engine.Result) -> str:
    """One row per option and month, in a fixed column order, in USD to the cent."""
    frame = result.monthly_frame()[CSV_COLUMNS]
    return frame.to_csv(index=False, float_format="%.2f", lineterminator="\n")


def api_document(scenario: Scenario, c: Computation) -> ApiScenario:
    """The scenario in the API's format, every default given and the set's version pinned."""
    d = c.form.cleaned_data
    inputs = ScenarioInputs(
        peak_rps=d["peak_rps"],
        avg_to_peak_pct=d["avg_to_peak_pct"],
        growth_pct=d["growth_pct"],
        horizon_months=d["horizon_months"],
        app_cpu_ms=d["app_cpu_ms"],
        io_wait_ms=d["io_wait_ms"],
        team_size=d["team_size"],
        market=d["market"],
        knows={name.removeprefix("knows_"): d[name] for name in c.form.language_fields},
        policy=d["policy"],
        instance=d["instance"],
        discount_pct=d["discount_pct"],
        utilisation_pct=d["utilisation_pct"],
        min_replicas=d["min_replicas"],
        autoscaling=d["autoscaling"] == "on",
        cost_of_delay=d["cost_of_delay"],
    )
    options = []
    for option in c.form.options():
        name = option.name if len(option.name) <= API_NAME_MAX else None
        if option.is_mix:
            services = [
                ServiceIn(
                    stack=s.stack,
                    share=round(s.share * 100, 9),
                    app_cpu_ms=s.app_cpu_ms,
                    io_wait_ms=s.io_wait_ms,
                    label=s.label,
                )
                for s in option.services
            ]
            options.append(OptionIn(name=name, services=services))
        else:
            options.append(OptionIn(name=name, stack=option.services[0].stack))
    migration = None
    if c.migration is not None:
        names = [option.name for option in c.result.options]
        m = c.migration.migration
        migration = MigrationIn.model_validate(
            {
                "from": names.index(m.current),
                "to": names.index(m.target),
                "effort_weeks": m.effort_weeks,
                "rewrite_months": m.rewrite_months,
                "overlap_months": m.overlap_months,
            }
        )
    return ApiScenario(
        description=(scenario.description or scenario.title)[:2000],
        assumption_set=AssumptionSetRef(slug=c.aset.slug, version=c.aset.version),
        inputs=inputs,
        options=options,
        migration=migration,
    )


def migration_json(m: engine.MigrationResult | None) -> dict | None:
    if m is None:
        return None
    mig = m.migration
    return {
        "current": m.current.name,
        "target": m.target.name,
        "effort_weeks": mig.effort_weeks,
        "rewrite_months": mig.rewrite_months,
        "overlap_months": mig.overlap_months,
        "weekly_rate": round(m.weekly_rate, 2),
        "rewrite_cost": round(m.rewrite_cost, 2),
        "staying_total": round(m.staying_total, 2),
        "migrating_total": round(m.migrating_total, 2),
        "saving": round(m.saving, 2) + 0.0,
        "break_even_month": m.break_even_month,
        "monthly": [
            {
                "month": i + 1,
                "staying": round(float(m.staying[i]), 2),
                "migrating": round(float(m.migrating[i]), 2),
                **{line: round(float(m.lines[line][i]), 2) + 0.0 for line in m.lines},
                "staying_cumulative": round(float(m.staying_cumulative[i]), 2),
                "migrating_cumulative": round(float(m.migrating_cumulative[i]), 2),
            }
            for i in range(len(m.staying))
        ],
    }


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
        "migration": migration_json(c.migration),
        "figures": scenario.figures,
    }
