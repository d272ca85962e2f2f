"""The decision insight as JSON: what the page's "What decides it" panel shows, in numbers.

The API's ``POST /api/v1/insight`` and ``tco --insight`` answer it. It runs the engine's
:func:`~costcalc.engine.insight.analyse` on the resolved scenario exactly as the page's insight
view runs it on the form (same inputs, options and snapshot, so the same seed and draws), and
costs the scenario under the shipped sets the view compares. USD to the cent, as the results
JSON (docs/api.md, "Insight").
"""

from __future__ import annotations

from functools import partial

import numpy as np

from costcalc import engine
from costcalc.assumptions.selectors import published_sets
from costcalc.assumptions.snapshot import simulated, snapshot
from costcalc.calculator.insight_views import SHIPPED_SETS, comparison_sets
from costcalc.engine import insight as ei
from costcalc.engine import yours
from costcalc.engine.kernel import base_params, cost, peak_traffic
from costcalc.text import value_text

from .errors import ScenarioError, problem
from .resolve import Resolved
from .results import cents, display_json, set_json


def analysed(resolved: Resolved) -> ei.Insight:
    """The page's analysis of a resolved scenario; ScenarioError (with its path) if it fails."""
    resolved.compute()  # the results' own checks: the model's errors, amounts past exact cents
    try:
        remembered = partial(simulated, resolved.inputs, resolved.options, resolved.snapshot)
        return ei.analyse(resolved.inputs, resolved.options, resolved.snapshot, simulate=remembered)
    except engine.ModelError as error:
        raise ScenarioError([problem([], str(error), "model_error")]) from None


def category_draws(resolved: Resolved, mc: ei.MonteCarlo) -> np.ndarray:
    """Each option's horizon total by category in each of the Monte Carlo's draws, shape
    (options, categories, draws); over the categories they add up to ``mc.totals``.

    The Monte Carlo's own draws again: the same seed, uniforms and variables as
    :func:`~costcalc.engine.insight.monte_carlo`, with the model's categories kept apart
    (the Monte Carlo keeps only their sum). About a fifth of the insight's time.
    """
    inputs, options = resolved.inputs, resolved.options
    a = yours.apply(resolved.snapshot, inputs.your_figures, inputs.market)
    params = base_params(inputs, options, a)
    u = np.random.Generator(np.random.PCG64(mc.seed)).random((mc.draws, len(mc.variables)))
    for k, v in enumerate(mc.variables):
        column = ei.triangular(u[:, k], v.low, v.base, v.high)[:, None]
        for target in v.targets:
            params[target] = column
    with np.errstate(over="ignore", invalid="ignore"):
        _, costs = cost(inputs, options, a, params, peak_traffic(inputs, float(inputs.peak_rps)))
    horizon = len(mc.bands[0].p10)
    return np.stack(
        [
            np.stack(
                [
                    np.broadcast_to(c.categories[k], (mc.draws, horizon)).sum(axis=-1)
                    for k in engine.CATEGORIES
                ]
            )
            for c in costs
        ]
    )


def category_bands(resolved: Resolved, mc: ei.MonteCarlo) -> np.ndarray:
    """P10/P50/P90 of each option's horizon total by category, shape (options, categories, 3),
    by numpy's default (linear) quantile, the engine's. Each category's quantiles are its own,
    so they do not add up to the total's."""
    return np.moveaxis(np.quantile(category_draws(resolved, mc), ei.QUANTILES, axis=-1), 0, -1)


def flip_sentence(torn: ei.Tornado, bar: ei.Bar) -> str:
    """The page's "Flips the order" cell (present_insight.tornado_rows)."""
    if not bar.flips:
        return ""
    ends = " or ".join(f"{f.direction} {value_text(f.value, bar.variable.unit)}" for f in bar.flips)
    return f"{torn.runner_up} is cheaper when {ends}"


def tornado_json(torn: ei.Tornado | None) -> dict | None:
    if torn is None:
        return None
    return {
        "leader": torn.leader,
        "runner_up": torn.runner_up,
        "base_difference": cents(torn.base_diff),
        "bars": [
            {
                "key": bar.variable.key,
                "assumption": bar.variable.title,
                "label": bar.variable.label,
                "unit": bar.variable.unit,
                "base": bar.variable.base,
                "low": bar.variable.low,
                "high": bar.variable.high,
                "sourced": bar.variable.sourced,
                "basis": bar.variable.basis,
                "difference_at_low": cents(bar.diff_low),
                "difference_at_high": cents(bar.diff_high),
                "span": cents(bar.span),
                "flips": [{"direction": f.direction, "value": f.value} for f in bar.flips],
                "flip": flip_sentence(torn, bar),
            }
            for bar in torn.bars
        ],
    }


def sets_json(resolved: Resolved) -> dict:
    """The same scenario under each shipped set, chosen as the page's panel chooses them."""
    sets = published_sets()
    others = comparison_sets(sets, resolved.aset)
    outcomes = ei.compare_sets(resolved.inputs, resolved.options, [snapshot(s) for s in others])
    in_use = resolved.aset.key
    both = len(outcomes) == 2 and all(o.totals for o in outcomes)
    names = [o.name for o in resolved.options]
    difference = None
    if both:
        first, second = outcomes[0].totals, outcomes[1].totals
        difference = {
            n: round((second[n] - first[n]) / first[n] * 100, 2) if first[n] else None
            for n in names
        }
    return {
        "sets": [
            {
                "key": o.key,
                "name": o.label,
                "in_use": o.key == in_use,
                "cheapest": o.cheapest,
                "error": o.error,
                "totals": {name: cents(total) for name, total in o.totals.items()},
            }
            for o in outcomes
        ],
        "difference_pct": difference,
        "same_answer": (len({o.cheapest for o in outcomes}) == 1) if both else None,
        "missing": [slug for slug in SHIPPED_SETS if slug not in {s.slug for s in others}],
    }


def monte_carlo(resolved: Resolved) -> ei.MonteCarlo:
    """The page's Monte Carlo of a resolved scenario alone (what analyse() draws), for the
    exports' bands: no crossover, tornado or other set."""
    a = yours.apply(resolved.snapshot, resolved.inputs.your_figures, resolved.inputs.market)
    try:
        return ei.monte_carlo(resolved.inputs, resolved.options, a)
    except engine.ModelError as error:
        raise ScenarioError([problem([], str(error), "model_error")]) from None


def uncertainty_json(resolved: Resolved, result: engine.Result, mc: ei.MonteCarlo) -> dict:
    """The insight's ``uncertainty``: P10/P50/P90 of each option's horizon total, by category
    and month by month, and the chance each is cheapest (the exports carry it too)."""
    by_category = category_bands(resolved, mc)
    return {
        "draws": mc.draws,
        "seed": f"{mc.seed:016x}",
        "variables": len(mc.variables),
        "sourced": sum(v.sourced for v in mc.variables),
        "default_spread": ei.DEFAULT_SPREAD,
        "options": [
            {
                "name": band.name,
                "base": cents(option.horizon_total),
                "p10": cents(band.p10[-1]),
                "p50": cents(band.p50[-1]),
                "p90": cents(band.p90[-1]),
                "p_cheapest": band.p_cheapest,
                "categories": {
                    k: dict(zip(("p10", "p50", "p90"), map(cents, by_category[i, j]), strict=True))
                    for j, k in enumerate(engine.CATEGORIES)
                },
                "monthly": [
                    {
                        "month": int(month),
                        "p10": cents(band.p10[m]),
                        "p50": cents(band.p50[m]),
                        "p90": cents(band.p90[m]),
                    }
                    for m, month in enumerate(result.months)
                ],
            }
            for i, (band, option) in enumerate(zip(mc.bands, result.options, strict=True))
        ],
    }


def insight_json(resolved: Resolved) -> dict:
    """The documented insight JSON: POST /api/v1/insight's answer and `tco --insight`'s data."""
    found = analysed(resolved)
    result = found.result
    mc, curve = found.monte_carlo, found.traffic
    uncertainty = uncertainty_json(resolved, result, mc)
    display = resolved.display
    return {
        "assumption_set": set_json(resolved.aset),
        "currency": "USD",
        "display": display_json(
            display,
            [
                {"name": o["name"], **{q: cents(display(o[q])) for q in ("p10", "p50", "p90")}}
                for o in uncertainty["options"]
            ],
        ),
        "horizon": len(result.months),
        "verdict": found.verdict,
        "traffic": {
            "your_rps": curve.user_rps,
            "rps": [round(float(x), 3) for x in curve.rps],
            "totals": {
                name: [cents(x) for x in curve.totals[i]] for i, name in enumerate(curve.names)
            },
            "cheapest_throughout": (
                curve.names[int(curve.cheapest[0])] if not curve.crossovers else None
            ),
            "crossovers": [
                {
                    "from": c.from_,
                    "to": c.to,
                    "rps": c.rps,
                    "below_rps": c.low_rps,
                    "total": cents(c.total),
                    "label": c.label,
                }
                for c in curve.crossovers
            ],
            "tolerance": ei.CROSSOVER_REL_TOL,
        },
        "uncertainty": uncertainty,
        "tornado": tornado_json(found.tornado),
        "hosting": [
            {
                "name": h.option,
                "totals": {m: cents(total) for m, total in h.totals.items()},
                "cheapest": h.cheapest,
                "containers_above_rps": h.containers_above,
                "functions_throughout": h.functions_throughout,
                "label": h.label,
            }
            for h in found.hosting
        ],
        "assumption_sets": sets_json(resolved),
        "scenario": resolved.scenario.model_dump(mode="json", by_alias=True),
    }
