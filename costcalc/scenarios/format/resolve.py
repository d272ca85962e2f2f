"""Resolving a scenario document: find its assumption set, check the document against it, and
build the engine's Inputs, Options and Migration, every default filled in as the page fills it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from costcalc import engine
from costcalc.assumptions.models import AssumptionSet
from costcalc.assumptions.selectors import published_sets
from costcalc.assumptions.snapshot import snapshot
from costcalc.calculator.forms import CalculatorForm
from costcalc.text import Display, money

from .errors import ScenarioError, not_in_set, problem
from .fields import engine_inputs, engine_migration, engine_service
from .schema import (
    OPTION_NAME_MAX,
    AssumptionSetRef,
    MigrationIn,
    OptionIn,
    Scenario,
    ScenarioInputs,
    ServiceIn,
)

# The results are USD to the cent in float64, exact while an amount stays below 2^53 cents
# (about $90 trillion). Past it cents are lost: 100% growth a month for 60 months gave totals
# of 1e18 to 1e20 USD, and a "break-even month" that was rounding, not a saving.
MAX_EXACT_USD = 2**53 / 100
TOO_LARGE = "too_large"


def exact_problem(what: str, amounts: np.ndarray, loc: list) -> dict | None:
    """A problem when the largest of ``amounts`` (USD) is past where cents are exact."""
    largest = float(np.max(np.abs(amounts)))
    if largest < MAX_EXACT_USD:
        return None
    message = (
        f"{what} reaches {money(largest)}, past {money(MAX_EXACT_USD)}, where amounts lose "
        "their cents: lower the traffic (peak_rps, growth_pct), the horizon or the costs."
    )
    return problem(loc, message, TOO_LARGE)


@dataclass(frozen=True)
class Resolved:
    scenario: Scenario  # every default filled in and the set's version pinned
    aset: AssumptionSet
    snapshot: engine.Assumptions
    inputs: engine.Inputs
    options: list[engine.Option]
    migration: engine.Migration | None = None

    @property
    def display(self) -> Display:
        """The currency the scenario shows its figures in (checked against the set)."""
        return self.snapshot.display(self.scenario.inputs.currency)

    def compute(self) -> engine.Result:
        """The engine's result; ScenarioError when it fails or its amounts pass exact cents."""
        try:
            result = engine.compute(self.inputs, self.options, self.snapshot)
        except engine.ModelError as error:
            raise ScenarioError([problem([], str(error), "model_error")]) from None
        too_large = [
            exact_problem(f"The cost of '{option.name}'", option.cumulative, ["inputs"])
            for option in result.options
        ]
        if any(too_large):
            raise ScenarioError([p for p in too_large if p])
        return result

    def migrate(self, result: engine.Result) -> engine.MigrationResult | None:
        """The scenario's migration computed on ``result`` (None when it has none)."""
        if self.migration is None:
            return None
        try:
            migrated = engine.migrate(result, self.migration, self.snapshot)
        except engine.ModelError as error:
            raise ScenarioError([problem(["migration"], str(error), "model_error")]) from None
        too_large = exact_problem("Migrating", migrated.migrating_cumulative, ["migration"])
        if too_large:
            raise ScenarioError([too_large])
        return migrated


def find_set(
    slug: str | None,
    version: int | None = None,
    slug_loc: tuple = ("assumption_set", "slug"),
    version_loc: tuple = ("assumption_set", "version"),
) -> AssumptionSet:
    """The published set called ``slug`` (newest version unless one is named). Raises a 404.

    No slug means the page's default set. The locs say where the slug and version sit in the
    request, for the error's path.
    """
    sets = published_sets()  # the page's list, so both offer the same sets at the same time
    if slug is None:
        if not sets:
            raise ScenarioError([problem([], "No assumption set is published.", "not_found")], 404)
        return sets[0]
    versions = [s for s in sets if s.slug == slug]  # newest first
    if not versions:
        message = f"No published assumption set is called '{slug}'."
        raise ScenarioError([problem(slug_loc, message, "not_found")], 404)
    if version is None:
        return versions[0]
    for aset in versions:
        if aset.version == version:
            return aset
    published = ", ".join(str(v.version) for v in versions)
    message = f"'{slug}' has no published version {version} (published: {published})."
    raise ScenarioError([problem(version_loc, message, "not_found")], 404)


def hybrid_name(services: list[ServiceIn], snap: engine.Assumptions) -> str:
    # The page's name for a hybrid (CalculatorForm.clean_mix), so both show the same names.
    parts = " + ".join(f"{snap.stacks[s.stack].name.split(' ')[0]} {s.share:g}%" for s in services)
    return f"Hybrid: {parts}"


def resolve(scenario: Scenario, assumption_set: AssumptionSetRef | None = None) -> Resolved:
    """Check the scenario against its assumption set and build the engine's values.

    ``assumption_set`` overrides the scenario's own (the command line's --assumption-set).
    Raises ScenarioError: 404 for an unknown set, 422 for what the set does not have, every
    such problem at once.
    """
    ref = assumption_set or scenario.assumption_set
    aset = find_set(ref.slug, ref.version) if ref else find_set(None)
    snap = snapshot(aset)
    errors: list[dict] = []
    filled = fill_inputs(scenario.inputs, snap, errors)
    named, options = build_options(scenario.options, snap, errors)
    migration = pinned_migration = None
    if scenario.migration is not None:
        pinned_migration, migration = build_migration(
            scenario.migration, [o.name for o in options], len(scenario.options), errors
        )
    if not errors:
        errors += hosting_problems(engine_inputs(filled), options, snap)
    if errors:
        raise ScenarioError(errors)
    inputs = engine_inputs(filled)  # as CalculatorForm.inputs() builds them
    pinned = scenario.model_copy(
        update={
            "assumption_set": AssumptionSetRef(slug=aset.slug, version=aset.version),
            "inputs": filled,
            "options": named,
            "migration": pinned_migration,
        }
    )
    return Resolved(pinned, aset, snap, inputs, options, migration)


def hosting_problems(inputs: engine.Inputs, options, snap: engine.Assumptions) -> list[dict]:
    """What the set or the sizes cannot host (section 7e), each at its input's path."""
    for name, text in (
        ("hosting", engine.hosting_problem(inputs, options, snap)),
        ("function_memory_mb", engine.function_memory_problem(inputs, options, snap)),
    ):
        if text:
            return [problem(["inputs", name], f"{text}.", "model_error")]
    return []


def option_index(ref: int | str, names: list[str], count: int, loc: list, errors: list):
    """The index of the option ``ref`` names (an index or a name), or None after an error.

    ``names`` are the options' names, complete only when every option resolved (``count``).
    """
    if isinstance(ref, int):
        if ref < count:
            return ref
        message = f"There are {count} options: give an index from 0 to {count - 1}, or a name."
        errors.append(problem(loc, message, "no_such_option"))
    elif len(names) == count:
        if ref in names:
            return names.index(ref)
        listed = ", ".join(f"'{name}'" for name in names)
        message = f"No option is called '{ref}' (the options are {listed}); or give an index."
        errors.append(problem(loc, message, "no_such_option"))
    return None


def build_migration(
    given: MigrationIn, names: list[str], count: int, errors: list
) -> tuple[MigrationIn | None, engine.Migration | None]:
    """The engine's migration, and the scenario's with its options named by index."""
    current = option_index(given.from_, names, count, ["migration", "from"], errors)
    target = option_index(given.to, names, count, ["migration", "to"], errors)
    if current is None or target is None or len(names) != count:
        return None, None
    if current == target:
        message = "Choose another option than the one migrated from."
        errors.append(problem(["migration", "to"], message, "same_option"))
        return None, None
    pinned = given.model_copy(update={"from_": current, "to": target})
    migration = engine_migration(given, names[current], names[target])
    return pinned, migration


def fill_inputs(given: ScenarioInputs, snap: engine.Assumptions, errors: list) -> ScenarioInputs:
    """The inputs with the set-dependent defaults filled in as the page fills them."""
    form = CalculatorForm(snapshot=snap, set_choices=[])
    market = given.market or form.fields["market"].initial
    if market not in snap.markets:
        errors.append(not_in_set(["inputs", "market"], "a hiring market", market, snap.markets))
    instance = given.instance or form.fields["instance"].initial
    if instance not in snap.instances:
        errors.append(
            not_in_set(["inputs", "instance"], "an instance type", instance, snap.instances)
        )
    # The page's default counts, capped at the team (the page would refuse them instead).
    knows = {
        language: min(form.fields[f"knows_{language}"].initial, given.team_size)
        for language in snap.languages
    }
    for language, count in (given.knows or {}).items():
        loc = ["inputs", "knows", language]
        if language not in knows:
            errors.append(not_in_set(loc, "a language", language, snap.languages))
        elif count > given.team_size:
            message = f"This can't be more than the team size ({given.team_size})."
            errors.append(problem(loc, message, "more_than_team"))
        else:
            knows[language] = count
    if given.currency not in snap.currencies:
        errors.append(
            not_in_set(["inputs", "currency"], "a currency", given.currency, snap.currencies)
        )
    current = given.current_stack
    if current is not None and current not in snap.stacks:
        errors.append(not_in_set(["inputs", "current_stack"], "a stack", current, snap.stacks))
    for slug in given.your_figures.stacks:
        if slug not in snap.stacks:
            loc = ["inputs", "your_figures", "stacks", slug]
            errors.append(not_in_set(loc, "a stack", slug, snap.stacks))
    for language in given.your_figures.languages:
        if language not in snap.languages:
            loc = ["inputs", "your_figures", "languages", language]
            errors.append(not_in_set(loc, "a language", language, snap.languages))
    database = given.database or form.fields["database"].initial
    databases = {p.slug for p in snap.databases}
    if snap.platform and database not in databases | {"none"}:  # no prices: no line to price
        loc = ["inputs", "database"]
        errors.append(not_in_set(loc, "a managed database", database, [*sorted(databases), "none"]))
    problem_text = engine.pricing_problem(
        engine.Inputs(peak_rps=1, instance=instance, pricing=given.pricing), snap
    )
    if problem_text:  # at the field's path, where the engine's would be at []
        errors.append(problem(["inputs", "pricing"], f"{problem_text}.", "no_pricing_figures"))
    update = {"market": market, "instance": instance, "knows": knows, "database": database}
    return given.model_copy(update=update)


def build_options(
    given: list[OptionIn], snap: engine.Assumptions, errors: list
) -> tuple[list[OptionIn], list[engine.Option]]:
    """The engine's options, and the scenario's with their names filled in."""
    named, options = [], []
    for i, option in enumerate(given):
        if option.stack is not None:
            services = [ServiceIn(stack=option.stack, share=100)]
            stack_locs = [["options", i, "stack"]]
        else:
            services = option.services
            stack_locs = [["options", i, "services", j, "stack"] for j in range(len(services))]
        unknown = [
            not_in_set(loc, "a stack", s.stack, snap.stacks)
            for s, loc in zip(services, stack_locs, strict=True)
            if s.stack not in snap.stacks
        ]
        if unknown:
            errors.extend(unknown)
            continue
        if option.name:
            name = option.name
        elif option.stack is not None:
            name = snap.stacks[option.stack].name
        else:
            name = hybrid_name(services, snap)
        if any(o.name == name for o in options):
            message = f"Another option is already called '{name}'; give this one its own name."
            errors.append(problem(["options", i, "name"], message, "duplicate_name"))
        options.append(
            engine.Option(name=name, services=tuple(engine_service(s) for s in services))
        )
        # A generated name past the limit on given names (a mix of seven services makes one)
        # is left out of the scenario sent back: sending that again names it the same way.
        echoed = name if option.name or len(name) <= OPTION_NAME_MAX else None
        named.append(option.model_copy(update={"name": echoed}))
    return named, options
