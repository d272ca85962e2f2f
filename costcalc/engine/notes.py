"""What the results say about the inputs, beside the figures: figures of yours in use, a team the
language counts do not cover, how a mix's engineers were placed, a current stack not compared.
"""

from __future__ import annotations

from collections.abc import Sequence

from costcalc.text import language_name

from . import kernel, yours
from .assumptions import Assumptions


def all_notes(inputs, options: Sequence, baseline: int, a: Assumptions) -> list[str]:
    return (
        yours.notes(a, inputs.your_figures)
        + team_notes(inputs)
        + baseline_notes(inputs, options, baseline, a)
        + seat_notes(inputs, options, a)
    )


def baseline_notes(inputs, options: Sequence, baseline: int, a: Assumptions) -> list[str]:
    """Say so when the team's current stack is not among the options compared."""
    current = inputs.current_stack
    chosen = options[baseline]
    if not current or (not chosen.is_mix and chosen.services[0].stack == current):
        return []
    return [
        f"The current stack, {a.stack(current).name}, is not among the options compared on "
        f"its own: the others are measured against {chosen.name}, the first."
    ]


def seat_notes(inputs, options: Sequence, a: Assumptions) -> list[str]:
    """Say how a mix's engineers were placed when the user did not place them all."""
    notes = []
    for option in options:
        if not option.is_mix or all(s.engineers is not None for s in option.services):
            continue
        seats = kernel.language_seats(inputs.team_size, option.services, a)
        placed = ", ".join(f"{language_name(x)} {n:.3g}" for x, (_, n) in seats.items())
        notes.append(
            f"{option.name}: engineers follow the request shares where not given ({placed} of "
            f"{inputs.team_size:g}); give each service its own under engineers per service."
        )
    return notes


def team_notes(inputs) -> list[str]:
    """Sentences about the team a reader should see beside the figures."""
    counted = sum(inputs.known.values())
    if counted >= inputs.team_size:
        return []
    missing = inputs.team_size - counted
    return [
        f"The language counts cover {counted:g} of the team's {inputs.team_size:g} engineers: "
        f"the other {missing:g} are taken to know none of the options' languages, so every "
        "option retrains or replaces them."
    ]
