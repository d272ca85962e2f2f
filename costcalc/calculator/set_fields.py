"""The calculator form's fields for one assumption set: its markets, instances, databases,
stacks and currencies as choices, a "knows <language>" field per language, a field per figure
a user may give, and each field's default as a query sends it. Built once per published set
(CalculatorForm shares them, read-only)."""

from __future__ import annotations

import copy
import re
from typing import NamedTuple

from django import forms

from costcalc import engine
from costcalc.assumptions.snapshot import derived
from costcalc.text import CURRENCY_NAMES, USD, language_name, money, shown_in

from .fields import NO_LINE, PLATFORM_DEFAULTS, number
from .your_figures import your_figure_fields

DEFAULT_KNOWS = {"python": 4, "javascript": 4, "go": 1}


def instance_label(i: engine.InstanceType) -> str:
    """An instance type as short as the form's select shows whole (about 36 characters):
    "AWS Fargate task, 8 GB, $0.1975/h". The full name read "AWS Fargate task, 4 vCPU / 8 GB
    (Linux/x86) (4 vCPU, 8 GB, $0.19748/h)", cut off at the form's width."""
    short = i.name.split(" (")[0].split(",")[0]
    return f"{short}, {i.memory_gb:g} GB, {money(i.price_per_hour.base, 4)}/h"


# The services' names as the database select shortens them (its label says PostgreSQL).
SERVICE_NAMES = {
    "Amazon RDS for PostgreSQL ": "RDS ",
    "Amazon Aurora PostgreSQL ": "Aurora ",
    "Cloud SQL for PostgreSQL, ": "Cloud SQL ",
}


def database_label(price) -> str:
    """A managed database instance type as short as the form's select shows whole (about 34
    characters): "RDS db.t4g.medium, 4 GiB". The full name, "Amazon RDS for PostgreSQL
    db.t4g.medium (2 vCPU, 4 GiB)", was cut off at the form's width; the set's page and the
    workings give the vCPU."""
    name = re.sub(r"\d+ vCPU, ", "", price.name)
    for long, short in SERVICE_NAMES.items():
        name = name.replace(long, short)
    return name.replace(" (", ", ").replace(")", "")


class SnapshotFields(NamedTuple):
    fields: dict[str, forms.Field]
    language_fields: list[str]
    defaults: dict[str, tuple[str, ...]]  # each field's initial value as a query would send it
    your_fields: dict[str, str]  # "Your figures": field name -> the engine's key (yours.py)
    # Each field's default as it cleans, filled by the first form that cleans it
    # (CalculatorForm._clean_fields)
    cleaned_defaults: dict[str, object]


def snapshot_fields(
    snapshot: engine.Assumptions,
    set_choices: tuple[tuple[str, str], ...],
    declared: dict[str, forms.Field],
) -> SnapshotFields:
    """The calculator's fields for one snapshot and list of sets, from the form's ``declared``
    fields, built once per published set and list (kept with the set's snapshot; a draft's are
    built for each form)."""

    def build() -> SnapshotFields:
        with shown_in(USD):  # kept for every page: the inputs' labels are in the set's USD
            return build_fields(snapshot, set_choices, declared)

    return derived(snapshot, ("calculator-fields", set_choices), build)


def build_fields(
    snapshot: engine.Assumptions,
    set_choices: tuple[tuple[str, str], ...],
    declared: dict[str, forms.Field],
) -> SnapshotFields:
    fields = copy.deepcopy(declared)
    fields["assumptions"].choices = list(set_choices)
    fields["assumptions"].initial = f"{snapshot.slug}@{snapshot.version}"
    fields["market"].choices = [(m.slug, m.name) for m in snapshot.markets.values()]
    fields["market"].initial = (
        "us" if "us" in snapshot.markets else next(iter(snapshot.markets), None)
    )
    fields["instance"].choices = [(i.slug, instance_label(i)) for i in snapshot.instances.values()]
    fields["instance"].initial = (
        "c7i-xlarge" if "c7i-xlarge" in snapshot.instances else next(iter(snapshot.instances), None)
    )
    databases = [(p.slug, database_label(p)) for p in snapshot.databases]
    fields["database"].widget.choices = [*databases, (NO_LINE, "None")]
    slugs = [slug for slug, _ in databases]
    fields["database"].initial = (
        PLATFORM_DEFAULTS.database if PLATFORM_DEFAULTS.database in slugs or not slugs else slugs[0]
    )
    fields["currency"].choices = [(c, f"{c}: {CURRENCY_NAMES[c]}") for c in snapshot.currencies]
    fields["currency"].initial = "USD"
    fields["currency"].error_messages = {
        **fields["currency"].error_messages,
        "invalid_choice": "Choose a currency the assumption set has a rate for: "
        f"{', '.join(snapshot.currencies)}.",
    }
    stack_order = sorted(snapshot.stacks.values(), key=lambda s: s.name)
    fields["stacks"].choices = [(s.slug, s.name) for s in stack_order]
    fields["current_stack"].choices = [("", "None yet (a new build)")] + fields["stacks"].choices
    fields["current_stack"].initial = ""
    fields["stacks"].initial = [s.slug for s in stack_order]
    if {"fastapi", "go"} <= snapshot.stacks.keys():
        fields["mix"].initial = "fastapi:80, go:20"
    language_fields = []
    for language in snapshot.languages:
        name = f"knows_{language}"
        title = language_name(language)
        fields[name] = number(
            f"Engineers who know {title}",
            lo=0,
            hi=10_000,
            integer=True,
            initial=DEFAULT_KNOWS.get(language, 0),
            help_text=f"How many of the team already work in {title}.",
        )
        language_fields.append(name)
    your_fields = {}
    for name, (key, field) in your_figure_fields(snapshot).items():
        fields[name] = field
        your_fields[name] = key
    for name, field in fields.items():
        field.widget.attrs.setdefault("aria-describedby", f"help-{name} err-{name}")
    defaults = {}
    for name, field in fields.items():
        if isinstance(field.initial, list | tuple):
            defaults[name] = tuple(str(v) for v in field.initial)
        elif field.initial is not None:
            defaults[name] = (str(field.initial),)
    return SnapshotFields(fields, language_fields, defaults, your_fields, {})
