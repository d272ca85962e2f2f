"""Saving a scenario document as a share link: the one path from a scenario to a saved page.

POST /api/v1/scenarios and the gallery's ``load_examples`` both come through here, so a worked
example is saved exactly as the API saves any scenario, and can never be one the page cannot
show: the page's own computation of the scenario's query is what is stored, after checking
that it gives the figures the API computes.
"""

from __future__ import annotations

import logging

import pydantic
from django.db import transaction

from costcalc import engine
from costcalc.assumptions.selectors import published_sets

from . import exports
from .compute import Computation, canonical, compute, figures_of, save_scenario
from .format import (
    NOT_EXPRESSIBLE,
    Resolved,
    Scenario,
    ScenarioError,
    form_query,
    problem,
    resolve,
)
from .models import Scenario as SavedScenario
from .models import querydict

log = logging.getLogger(__name__)


def page_problems(computation: Computation, mix_at: int | None) -> list[dict]:
    """What the page's form refused in a query form_query wrote (it should refuse nothing)."""
    out = []
    for name, messages in computation.form.errors.items():
        if name == "mix":
            loc = ["options", mix_at] if mix_at is not None else ["options"]
        elif name == "stacks":
            loc = ["options"]
        elif name.startswith("knows_"):
            loc = ["inputs", "knows", name.removeprefix("knows_")]
        elif name == "assumptions":
            loc = ["assumption_set"]
        elif name in computation.form.fields:
            loc = ["inputs", name]
        else:
            loc = []
        out += [problem(loc, f"The page refuses this: {m}", NOT_EXPRESSIBLE) for m in messages]
    if computation.error:
        out.append(problem([], computation.error, "model_error"))
    return out


def page_computation(given: Scenario) -> tuple[Resolved, engine.Result, Computation]:
    """The scenario resolved and computed, and the page's computation of its query.

    Raises ScenarioError when the page cannot show the scenario, or would show other names or
    figures than the API computes.
    """
    resolved = resolve(given)
    query = form_query(given, resolved)
    result = resolved.compute()
    # The page's own computation, as the Share button makes it: it is what the link stores.
    computation = compute(
        querydict(query), resolved.aset, choices=published_sets(), migration=resolved.migration
    )
    if computation.result is None:
        mix_at = next((i for i, o in enumerate(given.options) if o.services), None)
        raise ScenarioError(page_problems(computation, mix_at))
    differences = [
        problem(
            ["options", i],
            f"The page would call this option '{ours.name}', not '{theirs.name}' (it rounds "
            "the shares its own way): give the shares fewer digits to save it.",
            NOT_EXPRESSIBLE,
        )
        for i, (ours, theirs) in enumerate(
            zip(computation.result.options, result.options, strict=True)
        )
        if ours.name != theirs.name
    ]
    if not differences and computation.migration_error:
        raise ScenarioError([problem(["migration"], computation.migration_error, "model_error")])
    if not differences and canonical(
        figures_of(computation.result, computation.migration)
    ) != canonical(figures_of(result, resolved.migrate(result))):
        # Cannot happen while form_query writes what resolve reads: refuse rather than save.
        log.error("the page computes other figures for query %s", query)
        message = "The page computes other figures for this scenario: it can't be saved."
        differences = [problem([], message, NOT_EXPRESSIBLE)]
    if differences:
        raise ScenarioError(differences)
    return resolved, result, computation


@transaction.atomic
def store(computation: Computation, *, title: str, description: str = "", **extra) -> SavedScenario:
    """Save the page's computation (``extra``: save_scenario's, e.g. a worked example's slug).

    Checks that the API can read the saved scenario back; if not, saves nothing.
    """
    saved = save_scenario(computation, title=title, description=description, **extra)
    try:  # what GET answers for it: check it can, or save nothing
        exports.api_document(saved, computation)
    except pydantic.ValidationError as error:
        log.error("saved scenario can't be read back: %s", error)
        message = "A saved scenario can't be read back with these figures: " + "; ".join(
            e["msg"] for e in error.errors()
        )
        raise ScenarioError([problem([], message, NOT_EXPRESSIBLE)]) from None
    return saved
