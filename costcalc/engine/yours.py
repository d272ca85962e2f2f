"""The user's own figures: any people figure, weeks to first API and throughput per vCPU, given
per scenario in place of the assumption set's.

A figure of yours is keyed ``"stack:<slug>:<field>"`` (a stack's ``rps_per_vcpu`` or
``weeks_to_first_api``) or ``"rate:<language>:<field>"`` (a people figure, in the scenario's
market). It replaces the set's figure in every formula, is cited as "your figure" (source
``YOURS``) in the workings, and is taken as exact: it has no range, so the Monte Carlo and the
tornado do not vary it. The published set itself is never changed: :func:`apply` returns a new
snapshot.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import replace

from costcalc.text import language_name, value_text

from .assumptions import Assumptions, Figure, ModelError, Source
from .figures import RATE_FIGURES, STACK_FIGURES

YOURS = "yours"  # the source key of a user's figure
YOUR_SOURCE = Source(key=YOURS, title="Your figure")
STACK_FIELDS = ("rps_per_vcpu", "weeks_to_first_api")
RATE_FIELDS = tuple(RATE_FIGURES)


def key(owner: str, name: str, field: str) -> str:
    return f"{owner}:{name}:{field}"


def apply(a: Assumptions, yours: Mapping[str, float], market: str) -> Assumptions:
    """The snapshot with ``yours`` in place of the set's figures (``a`` itself if none)."""
    if not yours:
        return a
    stacks, rates = dict(a.stacks), dict(a.rates)
    for k, value in sorted(yours.items()):
        owner, name, field = _parse(k)
        spec = (STACK_FIGURES if owner == "stack" else RATE_FIGURES)[field]
        if not (math.isfinite(value) and (value > 0 if spec.positive else value >= 0)):
            bound = "above zero" if spec.positive else "zero or more"
            raise ModelError(f"your {spec.words} for {name} must be a finite number {bound}")
        figure = Figure(base=value, low=value, high=value, source=YOURS)
        if owner == "stack":
            stacks[name] = replace(a.stack(name), **{field: figure})
        else:
            rate = a.rate(market, name)
            rates[(market, name)] = replace(rate, **{field: figure})
    return replace(a, stacks=stacks, rates=rates, sources={**a.sources, YOURS: YOUR_SOURCE})


def _parse(k: str) -> tuple[str, str, str]:
    parts = k.split(":")
    if len(parts) == 3:
        owner, name, field = parts
        if (owner == "stack" and field in STACK_FIELDS) or (
            owner == "rate" and field in RATE_FIELDS
        ):
            return owner, name, field
    raise ModelError(
        f"'{k}' is not a figure you can give: use stack:<slug>:{'|'.join(STACK_FIELDS)} or "
        f"rate:<language>:<people figure>"
    )


def notes(a: Assumptions, yours: Mapping[str, float]) -> list[str]:
    """The sentence the results show when figures of yours are in use."""
    if not yours:
        return []
    parts = []
    for k, value in sorted(yours.items()):
        owner, name, field = _parse(k)
        spec = (STACK_FIGURES if owner == "stack" else RATE_FIGURES)[field]
        if owner == "stack":
            what = f"{a.stack(name).name}'s {spec.words}"
        else:
            what = f"the {spec.words} of {language_name(name)} engineers"
        parts.append(f"{what}, {value_text(value, spec.unit)}")
    return [f"Your figures in place of the set's: {'; '.join(parts)}."]
