"""Compute a scenario: the calculator's form and engine, on a pinned assumption-set version.

Sharing, the scenario pages, the exports and the worked examples all come through here, so a
stored scenario is computed exactly as the calculator computed it when it was shared.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

import orjson
from django.db import IntegrityError, transaction
from django.http import QueryDict

from costcalc import engine
from costcalc.assumptions.models import AssumptionSet
from costcalc.assumptions.selectors import set_choices
from costcalc.assumptions.snapshot import snapshot
from costcalc.calculator.forms import CalculatorForm
from costcalc.engine.insight import scenario_key

from .models import Scenario, new_slug


@dataclass
class Computation:
    aset: AssumptionSet
    snapshot: engine.Assumptions
    form: CalculatorForm
    result: engine.Result | None = None
    migration: engine.MigrationResult | None = None
    error: str = ""  # the engine's refusal, when the form was valid but the model was not
    migration_error: str = ""
    option_keys: list[str] = field(default_factory=list)  # stable ids of the options, in order

    @property
    def ok(self) -> bool:
        return self.result is not None and not self.migration_error

    def problems(self) -> list[str]:
        """Every reason the scenario did not compute, as sentences."""
        out = []
        for name, errors in self.form.errors.items():
            label = self.form.fields[name].label if name in self.form.fields else ""
            for error in errors:
                out.append(f"{label}: {error}" if label else str(error))
        if self.error:
            out.append(self.error)
        if self.migration_error:
            out.append(f"Migration: {self.migration_error}")
        return out


def compute(
    query: QueryDict,
    aset: AssumptionSet,
    *,
    choices: list[AssumptionSet] | None = None,
    migration: engine.Migration | None = None,
) -> Computation:
    """The calculator's inputs in ``query`` computed with ``aset``.

    ``choices`` are the sets the form accepts (by default only ``aset``): sharing passes every
    published set, so that a query naming an unknown set is an error, as on the calculator.
    """
    snap = snapshot(aset)
    form = CalculatorForm.from_query(
        query, snapshot=snap, set_choices=set_choices(choices or [aset])
    )
    out = Computation(aset=aset, snapshot=snap, form=form)
    if not form.is_valid():
        return out
    try:
        out.result = engine.compute(form.inputs(), form.options(), snap)
    except engine.ModelError as error:
        out.error = str(error)
        return out
    stacks = form.fields["stacks"].choices_order(form.cleaned_data["stacks"])
    out.option_keys = [*stacks, *(["mix"] if form.cleaned_data.get("mix") else [])]
    if migration is not None:
        try:
            out.migration = engine.migrate(out.result, migration, snap)
        except engine.ModelError as error:
            out.migration_error = str(error)
    return out


def normalized_query(form: CalculatorForm) -> dict[str, list[str]]:
    """Every field of the form as the page received it, defaults filled in.

    Stored in full, so that a later change of the calculator's defaults cannot change a saved
    scenario.
    """
    return {name: form.data.getlist(name) for name in form.fields}


def figures_of(result: engine.Result, migration: engine.MigrationResult | None = None) -> dict:
    """The figures stored with a scenario, to check that it still computes the same."""
    figures = {
        "horizon": len(result.months),
        "cheapest": result.cheapest.name,
        "options": [
            {
                "name": o.name,
                "horizon_total": o.horizon_total,
                "totals": {c: o.totals[c] for c in result.categories},
                "break_even_month": o.break_even_month,
            }
            for o in result.options
        ],
    }
    if migration is not None:
        figures["migration"] = {
            "current": migration.current.name,
            "target": migration.target.name,
            "staying_total": migration.staying_total,
            "migrating_total": migration.migrating_total,
            "rewrite_cost": migration.rewrite_cost,
            "break_even_month": migration.break_even_month,
        }
    return figures


def canonical(figures: dict) -> bytes:
    """One byte string per set of figures: keys sorted (PostgreSQL's jsonb reorders them)."""
    return orjson.dumps(figures, option=orjson.OPT_SORT_KEYS)


def compute_scenario(scenario: Scenario) -> Computation:
    return compute(scenario.querydict(), scenario.assumption_set, migration=scenario.migration)


class NotComputable(Exception):
    def __init__(self, computation: Computation):
        self.computation = computation
        super().__init__("; ".join(computation.problems()))


def inputs_key(computation: Computation) -> str:
    """What makes two saves the same scenario: SHA-256 of the parsed inputs and options with
    the pinned set (engine.insight.scenario_key, what the Monte Carlo's seed hashes, so that
    "80000" and "8e4" are one scenario) and the migration. Titles and descriptions are not in
    it: the first save's stay. What the seed leaves out (the discount rate) is added while it is
    given, and the display currency while it is not USD, so that the keys of links saved before
    them stay as they were."""
    form = computation.form
    migration = computation.migration.migration if computation.migration else None
    payload: dict = {
        "scenario": scenario_key(form.inputs(), form.options(), computation.snapshot),
        "migration": None
        if migration is None
        else [
            migration.current,
            migration.target,
            float(migration.effort_weeks),
            float(migration.rewrite_months),
            float(migration.overlap_months),
        ],
    }
    if rate := form.inputs().discount_rate_pct:
        payload["discount_rate_pct"] = float(rate)
    if (currency := form.cleaned_data["currency"]) != "USD":
        payload["currency"] = currency
    return hashlib.sha256(orjson.dumps(payload, option=orjson.OPT_SORT_KEYS)).hexdigest()


def same_scenario(key: str) -> Scenario | None:
    return Scenario.objects.filter(inputs_key=key, is_example=False).first()


@transaction.atomic
def save_scenario(
    computation: Computation,
    *,
    title: str,
    description: str = "",
    slug: str | None = None,
    **extra,
) -> Scenario:
    """Store a computed scenario with its figures. Raises NotComputable if it did not compute.

    A scenario equal to a saved link (inputs_key; worked examples aside) is not saved again:
    that link is returned, with ``created`` False (True on a new one).
    """
    if not computation.ok:
        raise NotComputable(computation)
    key = inputs_key(computation)
    dedupe = slug is None and not extra.get("is_example")
    if dedupe and (existing := same_scenario(key)) is not None:
        existing.created = False
        return existing
    query = normalized_query(computation.form)
    query["assumptions"] = [computation.aset.key]
    migration = computation.migration.migration if computation.migration else None
    fields = {
        "title": title,
        "description": description,
        "assumption_set": computation.aset,
        "query": query,
        "figures": figures_of(computation.result, computation.migration),
        "inputs_key": key,
        **extra,
    }
    if migration is not None:
        fields.update(
            migration_from=migration.current,
            migration_to=migration.target,
            rewrite_effort_weeks=migration.effort_weeks,
            rewrite_months=migration.rewrite_months,
            overlap_months=migration.overlap_months,
        )
    if slug is not None:
        saved = Scenario.objects.create(slug=slug, **fields)
        saved.created = True
        return saved
    # 72 random bits make a collision all but impossible; check anyway rather than fail.
    for _ in range(5):
        candidate = new_slug()
        if Scenario.objects.filter(slug=candidate).exists():
            continue
        try:
            # A savepoint: a save of the same scenario committed meanwhile (PostgreSQL makes
            # this insert wait for it) fails the unique key, and that save's link is the answer.
            with transaction.atomic():
                saved = Scenario.objects.create(slug=candidate, **fields)
        except IntegrityError:
            existing = same_scenario(key) if dedupe else None
            if existing is not None:
                existing.created = False
                return existing
            continue  # the slug was taken meanwhile
        saved.created = True
        return saved
    raise RuntimeError("could not find a free link code")
