"""The calculator's hybrid: its field ("go:60, fastapi:30, express:10", each service optionally
with its own CPU and I/O times) and its engineers per service ("express:1"), parsed and checked
into the engine's Option. Shared by the page's form and, for the share tolerance, the API.
"""

from __future__ import annotations

import math
import re
from dataclasses import replace

from django.core.exceptions import ValidationError

from costcalc import engine
from costcalc.engine.model import SHARE_TOLERANCE
from costcalc.text import number_text

MIX_PART = re.compile(
    r"^\s*(?P<stack>[a-z0-9][a-z0-9_-]*)\s*:\s*(?P<share>[0-9]+(?:\.[0-9]+)?)\s*%?"
    r"(?::\s*(?P<cpu>[0-9]+(?:\.[0-9]+)?))?(?::\s*(?P<io>[0-9]+(?:\.[0-9]+)?))?\s*$"
)
MAX_MIX_SERVICES = 10
MAX_SERVICE_MS = 60_000  # a service's own CPU or I/O time per request, as the I/O wait field
ENGINEERS_PART = re.compile(
    r"^\s*(?P<stack>[a-z0-9][a-z0-9_-]*)\s*:\s*(?P<n>[0-9]{1,5}(?:\.[0-9]+)?)\s*$"
)
# The engine's tolerance on a mix's shares (a fraction of all requests), in percentage points:
# the page and the API accept what the engine accepts, docs/model.md's ± 0.0001 %.
SHARE_TOLERANCE_PCT = SHARE_TOLERANCE * 100
# Decimals enough to show any total outside the tolerance as other than 100 (with :g,
# 100.00001 read "The shares add up to 100%; make them add up to 100%").
SHARE_SUM_DECIMALS = 6


def share_sum_problem(total_pct: float) -> str | None:
    """What is wrong with shares adding up to ``total_pct`` (None if nothing), for the page's
    hybrid field and the API alike."""
    if abs(total_pct - 100) <= SHARE_TOLERANCE_PCT:
        return None
    total = number_text(total_pct, SHARE_SUM_DECIMALS)
    return f"The shares add up to {total}%; make them add up to 100%."


def parse_mix(text: str, snapshot: engine.Assumptions) -> engine.Option | None:
    """The page's hybrid field ("go:60, fastapi:40:8:100") as an engine option, or None."""
    text = text.strip()
    if not text:
        return None
    parts = [p for p in re.split(r"[,;]", text) if p.strip()]
    if len(parts) > MAX_MIX_SERVICES:
        raise ValidationError(
            "A hybrid can have at most %(n)d services.",
            code="mix_too_many",
            params={"n": MAX_MIX_SERVICES},
        )
    services = []
    seen = set()
    for part in parts:
        match = MIX_PART.match(part.lower())
        if not match:
            raise part_problem(part)
        slug = match["stack"]
        if slug not in snapshot.stacks:
            raise ValidationError(
                "The hybrid names “%(slug)s”, which is not a stack in this assumption set "
                "(it has %(known)s).",
                code="mix_unknown_stack",
                params={"slug": slug[:40], "known": ", ".join(sorted(snapshot.stacks))},
            )
        if slug in seen:
            raise ValidationError(
                "The hybrid names %(slug)s twice: give each stack once.",
                code="mix_repeated",
                params={"slug": slug},
            )
        seen.add(slug)
        share = float(match["share"])
        if not 0 < share <= 100:
            raise ValidationError(
                "In the hybrid, %(slug)s's share must be above 0 and at most 100 (not %(share)s).",
                code="mix_share_range",
                params={"slug": slug, "share": number_text(share)},
            )
        cpu = float(match["cpu"]) if match["cpu"] else None
        io = float(match["io"]) if match["io"] else None
        for value, what in ((cpu, "business-logic CPU"), (io, "I/O wait")):
            if value is not None and not (math.isfinite(value) and value <= MAX_SERVICE_MS):
                raise ValidationError(
                    "In the hybrid, %(slug)s's %(what)s must be at most 60,000 ms per "
                    "request (not %(value)s).",
                    code="mix_time_range",
                    params={"slug": slug, "what": what, "value": number_text(value)[:40]},
                )
        services.append(
            engine.Service(stack=slug, share=share / 100, app_cpu_ms=cpu, io_wait_ms=io, label=slug)
        )
    problem = share_sum_problem(sum(s.share for s in services) * 100)
    if problem:
        raise ValidationError(problem, code="mix_share_sum")
    if len(services) == 1:
        raise ValidationError(
            "A hybrid needs at least two stacks; tick single stacks above.", code="mix_single"
        )
    name = " + ".join(
        f"{snapshot.stacks[s.stack].name.split(' ')[0]} {s.share * 100:g}%" for s in services
    )
    return engine.Option(name=f"Hybrid: {name}", services=tuple(services))


def part_problem(part: str) -> ValidationError:
    """Why a service of the hybrid cannot be read, naming the service and what is wrong.

    Only a part that MIX_PART refused comes here, so what the field accepts is unchanged."""
    shown = part.strip()[:40]
    pieces = [p.strip() for p in part.strip().lower().split(":")]
    slug = pieces[0]
    how = "Write each service of the hybrid as stack:share or stack:share:cpu_ms:io_ms"
    if not re.fullmatch(r"[a-z0-9][a-z0-9_-]*", slug) or len(pieces) > 4:
        return ValidationError(
            "%(how)s, e.g. go:60 or go:60:2:30 (not “%(part)s”).",
            code="mix_syntax",
            params={"how": how, "part": shown},
        )
    if len(pieces) == 1:
        return ValidationError(
            "In the hybrid, give %(slug)s its share of the requests, e.g. %(slug)s:60 "
            "(not “%(part)s”).",
            code="mix_syntax",
            params={"slug": slug[:40], "part": shown},
        )
    number = r"[0-9]+(?:\.[0-9]+)?"
    expected = (  # what each piece after the stack must be, and an example of it
        (number + "%?", "a percentage", f"{slug}:60"),
        (number, "a number of milliseconds", f"{slug}:60:2"),
        (number, "a number of milliseconds", f"{slug}:60:2:30"),
    )
    for piece, what, (pattern, kind, example) in zip(
        pieces[1:], ("share", "business-logic CPU", "I/O wait"), expected, strict=False
    ):
        if not re.fullmatch(pattern, piece):
            return ValidationError(
                "In the hybrid, %(slug)s's %(what)s must be %(kind)s, e.g. %(example)s "
                "(not “%(piece)s”).",
                code="mix_syntax",
                params={
                    "slug": slug[:40],
                    "what": what,
                    "kind": kind,
                    "example": example[:60],
                    "piece": piece[:20],
                },
            )
    return ValidationError(  # e.g. a space inside a number
        "%(how)s, e.g. go:60 or go:60:2:30 (not “%(part)s”).",
        code="mix_syntax",
        params={"how": how, "part": shown},
    )


def parse_engineers(text: str) -> dict[str, float]:
    """The page's "Engineers per service" ("express:1, fastapi:2") as {stack: engineers}."""
    out: dict[str, float] = {}
    for part in (p for p in re.split(r"[,;]", text) if p.strip()):
        match = ENGINEERS_PART.match(part.lower())
        if not match:
            raise ValidationError(
                "Write each service's engineers as stack:engineers, e.g. express:1 "
                "(not “%(part)s”).",
                code="engineers_syntax",
                params={"part": part.strip()[:40]},
            )
        out[match["stack"]] = float(match["n"])
    return out


def place_engineers(
    mix: engine.Option | None, given: dict[str, float], team: int | None
) -> engine.Option:
    """The hybrid with its services' engineers ``given``; ValidationError when they cannot
    be (no hybrid, a stack it lacks, more than the team, or all given but not the team)."""
    if mix is None:
        raise ValidationError(
            "Engineers per service are for a hybrid: describe one first.",
            code="engineers_no_mix",
        )
    stacks = [s.stack for s in mix.services]
    unknown = [slug for slug in given if slug not in stacks]
    if unknown:
        raise ValidationError(
            "%(slug)s is not a service of the hybrid (it has %(stacks)s).",
            code="engineers_unknown",
            params={"slug": unknown[0][:40], "stacks": ", ".join(stacks)},
        )
    if team is not None and sum(given.values()) > team:
        raise ValidationError(
            "These add up to %(n)s, more than the team of %(team)d.",
            code="engineers_more_than_team",
            params={"n": f"{sum(given.values()):g}", "team": team},
        )
    if team is not None and len(given) == len(stacks) and sum(given.values()) != team:
        raise ValidationError(
            "Every service is given engineers, %(n)s in all, but the team has %(team)d: "
            "leave one out to give it the rest.",
            code="engineers_not_the_team",
            params={"n": f"{sum(given.values()):g}", "team": team},
        )
    return replace(
        mix,
        services=tuple(replace(s, engineers=given.get(s.stack)) for s in mix.services),
    )
