"""The scenario format: one JSON document in, the engine's plain values out, results JSON back.

The API, the `tco` command and the share-link export all go through this module: ``parse``
checks a document's shape, types and bounds; ``resolve`` checks it against the assumption set
it names and builds ``engine.Inputs`` and ``engine.Option``s; ``results_json`` turns the
engine's result into the documented results JSON; ``form_query`` writes a scenario the page can
show as the calculator's query, to save it as a share link. docs/api.md describes the format.

The bounds and defaults of the inputs are the calculator page's: they are read from
``CalculatorForm`` rather than written again, so the page and the API cannot drift apart.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import Decimal
from typing import Annotated, Any, Literal

import orjson
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from costcalc import engine
from costcalc.assumptions.models import AssumptionSet
from costcalc.assumptions.selectors import published_sets
from costcalc.assumptions.snapshot import snapshot
from costcalc.calculator.forms import MAX_MIX_SERVICES, CalculatorForm
from costcalc.scenarios.forms import DESCRIPTION_MAX, TITLE_MAX, MigrationForm

FORM = CalculatorForm.base_fields
MIGRATION_FORM = MigrationForm.base_fields  # the page's "Try a migration" form: same bounds
MAX_OPTIONS = 8
SHARE_TOLERANCE = 1e-6  # percentage points, as the page's hybrid field allows
MONEY_DECIMALS = 2  # cents
RATE_DECIMALS = 4  # the per-million-request rates are often fractions of a cent

SLUG_PATTERN = r"^[-a-zA-Z0-9_]+$"  # Django's SlugField
Slug = Annotated[str, StringConstraints(pattern=SLUG_PATTERN, min_length=1, max_length=50)]


def form_number(name: str) -> Any:
    """A pydantic field with the page's bounds, default and help for the form field ``name``."""
    field = FORM[name]
    unit = getattr(field, "unit", "").strip()
    return Field(
        default=field.initial,
        ge=field.min_value,
        le=field.max_value,
        allow_inf_nan=False,
        title=str(field.label),
        description=f"{field.help_text}" + (f" Unit: {unit}." if unit else ""),
    )


def form_choices(name: str) -> tuple[str, ...]:
    return tuple(value for value, _ in FORM[name].choices)


class Strict(BaseModel):
    # Strict: "8000" is not a number and 1 is not true. Unknown keys are errors, so a typo in a
    # field name is reported instead of silently falling back to the default.
    model_config = ConfigDict(strict=True, extra="forbid")


class AssumptionSetRef(Strict):
    slug: Slug = Field(description="The set's slug, e.g. independent-2026.")
    version: int | None = Field(
        default=None,
        ge=1,
        le=2**31 - 1,
        description="A published version; leave out for the newest published version.",
    )


class ScenarioInputs(Strict):
    """The page's inputs, under the page's field names, with the page's bounds and defaults."""

    peak_rps: float = form_number("peak_rps")
    avg_to_peak_pct: float = form_number("avg_to_peak_pct")
    growth_pct: float = form_number("growth_pct")
    horizon_months: int = form_number("horizon_months")
    app_cpu_ms: float = form_number("app_cpu_ms")
    io_wait_ms: float = form_number("io_wait_ms")
    team_size: int = form_number("team_size")
    market: Slug | None = Field(
        default=None,
        description="A hiring market of the set, e.g. us. Default: the page's (us).",
    )
    knows: dict[Slug, Annotated[int, Field(ge=0, le=FORM["team_size"].max_value)]] | None = Field(
        default=None,
        max_length=20,
        description=(
            'Engineers who already know each language, e.g. {"python": 4}. A language '
            "left out takes the page's default (python 4, javascript 4, go 1, others 0), "
            "capped at team_size. No count may exceed team_size."
        ),
    )
    policy: Literal[form_choices("policy")] = Field(  # type: ignore[valid-type]
        default=FORM["policy"].initial,
        description=str(FORM["policy"].help_text),
    )
    instance: Slug | None = Field(
        default=None,
        description="An instance type of the set, e.g. c7i-xlarge. Default: the page's.",
    )
    discount_pct: float = form_number("discount_pct")
    utilisation_pct: float = form_number("utilisation_pct")
    min_replicas: int = form_number("min_replicas")
    autoscaling: bool = Field(
        default=FORM["autoscaling"].initial == "on",
        description=str(FORM["autoscaling"].help_text),
    )
    cost_of_delay: float = form_number("cost_of_delay")


def service_time(name: str) -> Any:
    field = FORM[name]
    return Field(
        default=None,
        ge=field.min_value,
        le=field.max_value,
        allow_inf_nan=False,
        description=f"This service's own {name} (ms); leave out for the scenario's.",
    )


class ServiceIn(Strict):
    stack: Slug = Field(description="A stack of the set, e.g. go.")
    share: float = Field(
        gt=0,
        le=100,
        allow_inf_nan=False,
        description="Percent of all requests this service serves; a mix's shares add to 100.",
    )
    app_cpu_ms: float | None = service_time("app_cpu_ms")
    io_wait_ms: float | None = service_time("io_wait_ms")
    label: str = Field(default="", max_length=60, description="What it serves, e.g. payments.")


class OptionIn(Strict):
    """One way to serve the traffic: ``{"stack": ...}`` for one stack, or ``services``."""

    name: str | None = Field(
        default=None,
        min_length=1,
        max_length=100,
        description="Default: the stack's name, or 'Hybrid: Go 60% + ...' for a mix.",
    )
    stack: Slug | None = Field(default=None, description="Shorthand: one stack serving 100%.")
    services: list[ServiceIn] | None = Field(
        default=None, min_length=1, max_length=MAX_MIX_SERVICES, description="A mix."
    )

    @field_validator("services")
    @classmethod
    def _shares_add_up(cls, services):
        if services is not None:
            total = sum(s.share for s in services)
            if abs(total - 100) > SHARE_TOLERANCE:
                raise PydanticCustomError(
                    "share_sum",
                    "The shares add up to {total}%; make them add up to 100%.",
                    {"total": f"{total:g}"},
                )
        return services

    @model_validator(mode="after")
    def _stack_or_services(self):
        if (self.stack is None) == (self.services is None):
            raise PydanticCustomError(
                "option_shape", 'Give either "stack" (one stack) or "services" (a mix), not both.'
            )
        return self


def migration_number(name: str) -> Any:
    """A pydantic field with the bounds and help of the page's migration form field ``name``."""
    field = MIGRATION_FORM[name]
    return Field(
        ge=field.min_value,
        le=field.max_value,
        allow_inf_nan=False,
        title=str(field.label),
        description=str(field.help_text),
    )


OPTION_NAME_MAX = 100
OptionRef = (
    Annotated[int, Field(ge=0, le=MAX_OPTIONS - 1)]
    | Annotated[str, StringConstraints(min_length=1, max_length=OPTION_NAME_MAX)]
)
OPTION_REF_HELP = (
    "An option: its 0-based index in options (0 is the baseline), or its name (as given, or "
    "the name the results give it, e.g. 'Go net/http')."
)


class MigrationIn(Strict):
    """Moving from the option run now to another, as the scenario page's migration form."""

    from_: OptionRef = Field(alias="from", description=f"What you run now. {OPTION_REF_HELP}")
    to: OptionRef = Field(description=f"The option migrated to, not the same. {OPTION_REF_HELP}")
    effort_weeks: float = migration_number("rewrite_effort_weeks")
    rewrite_months: float = migration_number("rewrite_months")
    overlap_months: float = migration_number("overlap_months")

    @field_validator("from_", "to", mode="wrap")
    @classmethod
    def _one_problem(cls, value, handler):
        # One problem at the field's path, rather than one for each branch of the union.
        try:
            return handler(value)
        except ValidationError:
            raise PydanticCustomError(
                "option_ref",
                "Name an option by its 0-based index (0 to {last}) or by its name "
                "(1 to {longest} characters).",
                {"last": MAX_OPTIONS - 1, "longest": OPTION_NAME_MAX},
            ) from None


class Scenario(Strict):
    """What to compare: inputs, options (the first is the baseline), and the assumption set."""

    description: str = Field(
        default="", max_length=2000, description="What the scenario is about, for people."
    )
    assumption_set: AssumptionSetRef | None = Field(
        default=None,
        description="Default: the page's default set at its newest published version.",
    )
    inputs: ScenarioInputs = Field(default_factory=ScenarioInputs)
    options: list[OptionIn] = Field(
        min_length=1,
        max_length=MAX_OPTIONS,
        description="1 to 8 options; the first is the baseline that savings are measured against.",
    )
    migration: MigrationIn | None = Field(
        default=None,
        description="Moving from one of the options to another: the cost of staying against "
        "that of migrating, month by month. Null or left out for none.",
    )


class ScenarioToSave(Scenario):
    """A scenario to save as a share link: the scenario, a title, and a shorter description."""

    title: str = Field(
        min_length=1,
        max_length=TITLE_MAX,
        description="The link's heading, as the page's Share form asks for it; runs of white "
        "space become one space.",
    )
    description: str = Field(
        default="",
        max_length=DESCRIPTION_MAX,
        description="What the scenario is about, shown under the title (the page's limit).",
    )

    @field_validator("title")
    @classmethod
    def _tidy_title(cls, title: str) -> str:
        title = " ".join(title.split())  # as the page's Share form tidies it
        if not title:
            raise PydanticCustomError("blank", "Give the scenario a title, not only spaces.")
        return title

    def scenario(self) -> Scenario:
        """The scenario alone, as calculate reads it (already checked: nothing to redo)."""
        return Scenario.model_validate(
            {name: getattr(self, name) for name in Scenario.model_fields}
        )


class ScenarioError(Exception):
    """Problems with a scenario, each with the JSON path (loc) of the value at fault."""

    def __init__(self, errors: list[dict], status: int = 422):
        self.errors = errors
        self.status = status
        super().__init__("; ".join(f"{path_text(e['loc'])}: {e['msg']}" for e in errors))


def problem(loc, msg: str, type_: str) -> dict:
    return {"loc": list(loc), "msg": msg, "type": type_}


def path_text(loc) -> str:
    """["options", 1, "services", 0, "share"] -> "options[1].services[0].share"."""
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "(the scenario)"


def pydantic_problems(error: ValidationError | list[dict]) -> list[dict]:
    """pydantic's errors in our format, without the values sent (they can be large)."""
    errors = error.errors() if isinstance(error, ValidationError) else error
    return [problem(e["loc"], e["msg"], e["type"]) for e in errors]


def parse(data: Any) -> Scenario:
    """Check a decoded JSON document's shape, types and bounds. Raises ScenarioError (422)."""
    try:
        return Scenario.model_validate(data)
    except ValidationError as error:
        raise ScenarioError(pydantic_problems(error)) from None


@dataclass(frozen=True)
class Resolved:
    scenario: Scenario  # every default filled in and the set's version pinned
    aset: AssumptionSet
    snapshot: engine.Assumptions
    inputs: engine.Inputs
    options: list[engine.Option]
    migration: engine.Migration | None = None

    def compute(self) -> engine.Result:
        try:
            return engine.compute(self.inputs, self.options, self.snapshot)
        except engine.ModelError as error:
            raise ScenarioError([problem([], str(error), "model_error")]) from None

    def migrate(self, result: engine.Result) -> engine.MigrationResult | None:
        """The scenario's migration computed on ``result`` (None when it has none)."""
        if self.migration is None:
            return None
        try:
            return engine.migrate(result, self.migration, self.snapshot)
        except engine.ModelError as error:
            raise ScenarioError([problem(["migration"], str(error), "model_error")]) from None


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


def not_in_set(loc, what: str, value: str, known) -> dict:
    return problem(
        loc,
        f"'{value}' is not {what} in this assumption set (it has {', '.join(sorted(known))}).",
        "not_in_set",
    )


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
            scenario.migration, [o.name for o in named], len(scenario.options), errors
        )
    if errors:
        raise ScenarioError(errors)
    inputs = engine.Inputs(  # as CalculatorForm.inputs() builds them from the page's fields
        peak_rps=filled.peak_rps,
        avg_to_peak=filled.avg_to_peak_pct / 100,
        growth_pct=filled.growth_pct,
        horizon_months=filled.horizon_months,
        app_cpu_ms=filled.app_cpu_ms,
        io_wait_ms=filled.io_wait_ms,
        team_size=filled.team_size,
        market=filled.market,
        known=filled.knows,
        policy=filled.policy,
        instance=filled.instance,
        commitment_discount_pct=filled.discount_pct,
        target_utilisation_pct=filled.utilisation_pct,
        min_replicas=filled.min_replicas,
        autoscaling=filled.autoscaling,
        cost_of_delay=filled.cost_of_delay,
    )
    pinned = scenario.model_copy(
        update={
            "assumption_set": AssumptionSetRef(slug=aset.slug, version=aset.version),
            "inputs": filled,
            "options": named,
            "migration": pinned_migration,
        }
    )
    return Resolved(
        scenario=pinned,
        aset=aset,
        snapshot=snap,
        inputs=inputs,
        options=options,
        migration=migration,
    )


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
    migration = engine.Migration(
        current=names[current],
        target=names[target],
        effort_weeks=given.effort_weeks,
        rewrite_months=given.rewrite_months,
        overlap_months=given.overlap_months,
    )
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
    return given.model_copy(update={"market": market, "instance": instance, "knows": knows})


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
            engine.Option(
                name=name,
                services=tuple(
                    engine.Service(
                        stack=s.stack,
                        share=s.share / 100,
                        app_cpu_ms=s.app_cpu_ms,
                        io_wait_ms=s.io_wait_ms,
                        label=s.label or s.stack,
                    )
                    for s in services
                ),
            )
        )
        named.append(option.model_copy(update={"name": name}))
    return named, options


# --- The page's form: a scenario as the calculator's query, to save it as a share link --------

MIX_MAX_LENGTH = CalculatorForm.base_fields["mix"].max_length
NOT_EXPRESSIBLE = "not_expressible"
SHARE_DECIMALS = 9  # what a saved scenario's export keeps of a share (scenarios/exports.py)


def number_text(x: float | int) -> str:
    """A number as the page's fields read it back exactly: 8000, 23456.5, 0.00001 (no exponent,
    which the hybrid field does not read)."""
    if isinstance(x, int):
        return str(x)
    if x.is_integer():
        return str(int(x))
    return format(Decimal(repr(x)), "f")  # repr is the shortest text float() reads back


def mix_text(services: list[ServiceIn], inputs: ScenarioInputs) -> str:
    """The page's hybrid field: "go:60, fastapi:40:8:100" (stack:share[:cpu_ms[:io_ms]])."""
    parts = []
    for s in services:
        part = f"{s.stack}:{number_text(s.share)}"
        if s.app_cpu_ms is not None or s.io_wait_ms is not None:
            # The field gives a service's I/O wait only after its CPU: the scenario's CPU then.
            cpu = inputs.app_cpu_ms if s.app_cpu_ms is None else s.app_cpu_ms
            part += f":{number_text(cpu)}"
            if s.io_wait_ms is not None:
                part += f":{number_text(s.io_wait_ms)}"
        parts.append(part)
    return ", ".join(parts)


def form_query(given: Scenario, resolved: Resolved) -> dict[str, list[str]]:
    """The calculator's query for a scenario the page can show: every field, the set pinned.

    The page compares the single stacks ticked, in its own order (by name; the first is the
    baseline), then at most one hybrid, each under the name it gives it, each hybrid service
    labelled by its stack. A scenario it can't hold raises ScenarioError (422), with the path of
    each option at fault: reordering the options silently would change the baseline.
    """
    snap = resolved.snapshot
    form = CalculatorForm(snapshot=snap, set_choices=[])
    order = [slug for slug, _ in form.fields["stacks"].choices]
    page_order = ", ".join(name for _, name in form.fields["stacks"].choices)
    errors: list[dict] = []
    stacks: list[str] = []
    mix, mix_at = "", None

    def refuse(loc, message: str):
        errors.append(problem(loc, message, NOT_EXPRESSIBLE))

    for i, option in enumerate(given.options):
        if option.stack is not None:
            default = snap.stacks[option.stack].name
        else:
            default = hybrid_name(option.services, snap)
        if option.name is not None and option.name != default:
            refuse(
                ["options", i, "name"],
                f"The page names its options itself: this one would be '{default}'. Leave "
                '"name" out to save it.',
            )
        if option.stack is not None:
            if mix_at is not None:
                refuse(
                    ["options", i],
                    f"The page lists the single stacks before its hybrid (options[{mix_at}]): "
                    "put the hybrid last (a new baseline if it was the first).",
                )
            elif option.stack in stacks:
                refuse(["options", i], f"The page lists '{option.stack}' once.")
            elif stacks and order.index(option.stack) < order.index(stacks[-1]):
                refuse(
                    ["options", i],
                    f"The page lists single stacks by name ({page_order}), the first being the "
                    f"baseline: '{option.stack}' can't follow '{stacks[-1]}'. Put them in that "
                    "order (which changes the baseline) to save it.",
                )
            else:
                stacks.append(option.stack)
            continue
        if mix_at is not None:
            refuse(
                ["options", i],
                f"The page holds one hybrid, and options[{mix_at}] is one already.",
            )
            continue
        mix_at = i
        services = option.services
        if len(services) == 1:
            refuse(
                ["options", i, "services"],
                "The page's hybrid has at least two stacks: for one stack give "
                f'{{"stack": "{services[0].stack}"}}.',
            )
        seen: dict[str, int] = {}
        for j, s in enumerate(services):
            if s.stack in seen:
                refuse(
                    ["options", i, "services", j, "stack"],
                    f"The page's hybrid names each stack once: '{s.stack}' is services"
                    f"[{seen[s.stack]}] already.",
                )
            seen.setdefault(s.stack, j)
            if round(s.share, SHARE_DECIMALS) <= 0:
                refuse(
                    ["options", i, "services", j, "share"],
                    f"A saved scenario keeps shares to {SHARE_DECIMALS} decimal places: give "
                    f"at least {10**-SHARE_DECIMALS:.{SHARE_DECIMALS}f}%.",
                )
            if s.label not in ("", s.stack):
                refuse(
                    ["options", i, "services", j, "label"],
                    f"The page labels each service by its stack ('{s.stack}'): leave "
                    '"label" out to save it.',
                )
        mix = mix_text(services, resolved.scenario.inputs)
        if len(mix) > MIX_MAX_LENGTH:
            refuse(
                ["options", i, "services"],
                f"The page's hybrid field holds {MIX_MAX_LENGTH} characters, and this hybrid "
                f"takes {len(mix)} (“{mix[:40]}…”): use fewer digits.",
            )
    if errors:
        raise ScenarioError(errors)

    inputs = resolved.scenario.inputs
    query: dict[str, list[str]] = {"assumptions": [resolved.aset.key]}
    for name in ScenarioInputs.model_fields:
        value = getattr(inputs, name)
        if name == "knows":
            for language, count in value.items():
                query[f"knows_{language}"] = [str(count)]
        elif name == "autoscaling":
            query[name] = ["on" if value else "off"]
        elif isinstance(value, str):
            query[name] = [value]
        else:
            query[name] = [number_text(value)]
    query["stacks"] = stacks
    query["mix"] = [mix]  # given even when empty: the stacks left out are then unticked
    return query


def dumps(data, indent: bool = False) -> bytes:
    """JSON with orjson; Python's json only when a count passes 64 bits (orjson's limit).

    Instance counts are whole numbers of any size: at the bounds' far end (10M RPS doubling
    monthly for 60 months) they reach 10^24.
    """
    try:
        return orjson.dumps(data, option=orjson.OPT_INDENT_2 if indent else None)
    except TypeError:
        layout = {"indent": 2} if indent else {"separators": (",", ":")}
        return json.dumps(data, ensure_ascii=False, **layout).encode()


def money(x: float) -> float:
    return round(float(x), MONEY_DECIMALS) + 0.0  # + 0.0 turns -0.0 into 0.0


def set_json(aset: AssumptionSet) -> dict:
    """Which exact set a result used: enough to compute it again."""
    return {
        "slug": aset.slug,
        "version": aset.version,
        "name": aset.name,
        "as_of": aset.as_of.isoformat(),
    }


def results_json(resolved: Resolved, result: engine.Result) -> dict:
    """The documented results JSON: the API's answer and the command line's --format json."""
    peak = [round(float(x), 2) for x in result.peak_rps]
    return {
        "assumption_set": set_json(resolved.aset),
        "horizon": len(result.months),
        "baseline": result.baseline.name,
        "cheapest": result.cheapest.name,
        "options": [option_json(option, result, peak) for option in result.options],
        "migration": migration_json(resolved.migrate(result), result),
        "scenario": resolved.scenario.model_dump(mode="json", by_alias=True),
    }


def migration_json(m: engine.MigrationResult | None, result: engine.Result) -> dict | None:
    """A migration's figures: the shape of a saved scenario's export (scenarios/exports.py),
    with the options' indices (from, to) and the migrating path's totals by line."""
    if m is None:
        return None
    names = [option.name for option in result.options]
    mig = m.migration
    lines = engine.MIGRATION_LINES
    return {
        "from": names.index(m.current.name),
        "to": names.index(m.target.name),
        "current": m.current.name,
        "target": m.target.name,
        "effort_weeks": mig.effort_weeks,
        "rewrite_months": mig.rewrite_months,
        "overlap_months": mig.overlap_months,
        "weekly_rate": money(m.weekly_rate),
        "rewrite_cost": money(m.rewrite_cost),
        "staying_total": money(m.staying_total),
        "migrating_total": money(m.migrating_total),
        "saving": money(m.saving),
        "break_even_month": m.break_even_month,
        "totals": {line: money(total) for line, total in m.totals.items()},
        "monthly": [
            {
                "month": int(month),
                "staying": money(m.staying[i]),
                "migrating": money(m.migrating[i]),
                **{line: money(m.lines[line][i]) for line in lines},
                "staying_cumulative": money(m.staying_cumulative[i]),
                "migrating_cumulative": money(m.migrating_cumulative[i]),
            }
            for i, month in enumerate(result.months)
        ],
    }


def option_json(option: engine.OptionResult, result: engine.Result, peak: list[float]) -> dict:
    categories = {c: [money(x) for x in option.categories[c]] for c in engine.CATEGORIES}
    total = [money(x) for x in option.total]
    cumulative = [money(x) for x in option.cumulative]
    return {
        "name": option.name,
        "services": [
            {
                "stack": s.service.stack,
                "stack_name": s.stack_name,
                "language": s.language,
                "label": s.service.label or s.service.stack,  # the page's single stacks
                "share_pct": round(s.service.share * 100, 6),
                "app_cpu_ms": s.service.app_cpu_ms,
                "io_wait_ms": s.service.io_wait_ms,
                "cpu_seconds_per_request": s.cpu_seconds_per_request,
                "infrastructure": money(s.infrastructure.sum()),
                "instances": [int(n) for n in s.instances],
                "bound_by": list(s.bound_by),
            }
            for s in option.services
        ],
        "totals": {c: money(option.totals[c]) for c in engine.CATEGORIES},
        "horizon_total": money(option.horizon_total),
        "saving_vs_baseline": money(option.saving_vs_baseline),
        "saving_pct": round(option.saving_pct, 2) + 0.0,
        "break_even_month": option.break_even_month,
        "infra_per_100k_rps": money(option.infra_per_100k_rps),
        "infra_per_million_requests": round(option.infra_per_million_requests, RATE_DECIMALS),
        "cost_per_million_requests": round(option.cost_per_million_requests, RATE_DECIMALS),
        "weeks_to_first_api": option.weeks_to_first_api,
        "monthly": [
            {
                "month": int(month),
                "peak_rps": peak[m],
                **{c: categories[c][m] for c in engine.CATEGORIES},
                "total": total[m],
                "cumulative": cumulative[m],
            }
            for m, month in enumerate(result.months)
        ],
    }
