"""A scenario's two encodings: the JSON document and the calculator page's query.

Saved scenarios and share links store the page's query; the API and the command line speak
the document. ``form_query`` writes a document as the query the page shows (refusing what the
page can't hold, with the path of each option at fault); ``page_document`` reads the page's
form back as a document. Both go through the one table of fields.py.
"""

from __future__ import annotations

from costcalc import engine
from costcalc.assumptions.models import AssumptionSet
from costcalc.calculator.forms import CalculatorForm

from .errors import NOT_EXPRESSIBLE, ScenarioError, problem
from .fields import (
    INPUTS,
    SHARE_DECIMALS,
    document_inputs,
    document_migration,
    document_service,
    number_text,
)
from .resolve import Resolved, hybrid_name
from .schema import (
    DOCUMENT_DESCRIPTION_MAX,
    OPTION_NAME_MAX,
    AssumptionSetRef,
    OptionIn,
    Scenario,
    ScenarioInputs,
    ServiceIn,
)

MIX_MAX_LENGTH = CalculatorForm.base_fields["mix"].max_length


def refused(loc, message: str) -> dict:
    return problem(loc, message, NOT_EXPRESSIBLE)


# --- The document as the page's query ----------------------------------------------------------


def form_query(given: Scenario, resolved: Resolved) -> dict[str, list[str]]:
    """The calculator's query for a scenario the page can show: every field, the set pinned.

    The page compares the single stacks ticked, in its own order (by name; the first is the
    baseline), then at most one hybrid, each under the name it gives it, each hybrid service
    labelled by its stack. A scenario it can't hold raises ScenarioError (422), with the path of
    each option at fault: reordering the options silently would change the baseline.
    """
    snap = resolved.snapshot
    choices = CalculatorForm(snapshot=snap, set_choices=[]).fields["stacks"].choices
    errors = name_problems(given.options, snap)
    stacks = page_stacks(given.options, choices, errors)
    mix = page_mix(given.options, resolved.scenario.inputs, errors)
    if errors:
        errors.sort(key=lambda e: e["loc"][1])  # option by option, each one's in turn
        raise ScenarioError(errors)
    return {
        "assumptions": [resolved.aset.key],
        **inputs_query(resolved.scenario.inputs),
        "stacks": stacks,
        "mix": [mix],  # given even when empty: the stacks left out are then unticked
        "mix_engineers": [mix_engineers(given.options)],
    }


def mix_engineers(options: list[OptionIn]) -> str:
    """The page's "Engineers per service" for the hybrid: "express:1, fastapi:2"."""
    mix = next((o for o in options if o.stack is None), None)
    if mix is None:
        return ""
    return ", ".join(
        f"{s.stack}:{number_text(s.engineers)}" for s in mix.services if s.engineers is not None
    )


def inputs_query(inputs: ScenarioInputs) -> dict[str, list[str]]:
    return {k: v for f in INPUTS for k, v in f.query(getattr(inputs, f.name)).items()}


def name_problems(options: list[OptionIn], snap: engine.Assumptions) -> list[dict]:
    """The options named otherwise than the page names them."""
    errors = []
    for i, option in enumerate(options):
        if option.stack is not None:
            default = snap.stacks[option.stack].name
        else:
            default = hybrid_name(option.services, snap)
        if option.name is not None and option.name != default:
            message = (
                f"The page names its options itself: this one would be '{default}'. Leave "
                '"name" out to save it.'
            )
            errors.append(refused(["options", i, "name"], message))
    return errors


def page_stacks(options: list[OptionIn], choices, errors: list) -> list[str]:
    """The page's ticked single stacks, which it lists in its own order before its hybrid."""
    order = [slug for slug, _ in choices]
    page_order = ", ".join(name for _, name in choices)
    mix_at = next((i for i, o in enumerate(options) if o.stack is None), None)
    stacks: list[str] = []
    for i, option in enumerate(options):
        if option.stack is None:
            continue
        if mix_at is not None and mix_at < i:
            message = (
                f"The page lists the single stacks before its hybrid (options[{mix_at}]): "
                "put the hybrid last (a new baseline if it was the first)."
            )
        elif option.stack in stacks:
            message = f"The page lists '{option.stack}' once."
        elif stacks and order.index(option.stack) < order.index(stacks[-1]):
            message = (
                f"The page lists single stacks by name ({page_order}), the first being the "
                f"baseline: '{option.stack}' can't follow '{stacks[-1]}'. Put them in that "
                "order (which changes the baseline) to save it."
            )
        else:
            stacks.append(option.stack)
            continue
        errors.append(refused(["options", i], message))
    return stacks


def page_mix(options: list[OptionIn], inputs: ScenarioInputs, errors: list) -> str:
    """The page's hybrid field for the scenario's one hybrid ("" for none)."""
    hybrids = [i for i, o in enumerate(options) if o.services is not None]
    if not hybrids:
        return ""
    at, *others = hybrids
    for i in others:
        message = f"The page holds one hybrid, and options[{at}] is one already."
        errors.append(refused(["options", i], message))
    services = options[at].services
    errors.extend(service_problems(at, services))
    mix = mix_text(services, inputs)
    if len(mix) > MIX_MAX_LENGTH:
        message = (
            f"The page's hybrid field holds {MIX_MAX_LENGTH} characters, and this hybrid "
            f"takes {len(mix)} (“{mix[:40]}…”): use fewer digits."
        )
        errors.append(refused(["options", at, "services"], message))
    return mix


def service_problems(i: int, services: list[ServiceIn]) -> list[dict]:
    """What the page's hybrid field can't say of options[i]'s services."""
    loc = ["options", i, "services"]
    errors = []
    if len(services) == 1:
        message = (
            "The page's hybrid has at least two stacks: for one stack give "
            f'{{"stack": "{services[0].stack}"}}.'
        )
        errors.append(refused(loc, message))
    seen: dict[str, int] = {}
    for j, s in enumerate(services):
        if s.stack in seen:
            message = (
                f"The page's hybrid names each stack once: '{s.stack}' is services"
                f"[{seen[s.stack]}] already."
            )
            errors.append(refused([*loc, j, "stack"], message))
        seen.setdefault(s.stack, j)
        if round(s.share, SHARE_DECIMALS) <= 0:
            message = (
                f"A saved scenario keeps shares to {SHARE_DECIMALS} decimal places: give "
                f"at least {10**-SHARE_DECIMALS:.{SHARE_DECIMALS}f}%."
            )
            errors.append(refused([*loc, j, "share"], message))
        if s.label not in ("", s.stack):
            message = (
                f"The page labels each service by its stack ('{s.stack}'): leave "
                '"label" out to save it.'
            )
            errors.append(refused([*loc, j, "label"], message))
    return errors


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


# --- The page's form as the document -----------------------------------------------------------


def page_document(
    form: CalculatorForm,
    aset: AssumptionSet,
    description: str = "",
    migration: engine.Migration | None = None,
) -> Scenario:
    """The scenario of a valid page form as a document, every default given, the set pinned."""
    options = form.options()
    names = [option.name for option in options]
    return Scenario(
        description=description[:DOCUMENT_DESCRIPTION_MAX],
        assumption_set=AssumptionSetRef(slug=aset.slug, version=aset.version),
        inputs=ScenarioInputs(**document_inputs(form)),
        options=[document_option(option) for option in options],
        migration=document_migration(migration, names) if migration is not None else None,
    )


def document_option(option: engine.Option) -> OptionIn:
    name = option.name if len(option.name) <= OPTION_NAME_MAX else None
    if option.is_mix:
        return OptionIn(name=name, services=[document_service(s) for s in option.services])
    return OptionIn(name=name, stack=option.services[0].stack)
