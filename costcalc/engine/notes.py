"""What the results say about the inputs, beside the figures: figures of yours in use, a team the
language counts do not cover, how a mix's engineers were placed, a current stack not compared,
traffic that compounds past the peak the inputs may give.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from costcalc.text import about_words, and_list, language_name, number_text, percent

from . import kernel, yours
from .assumptions import Assumptions

# The most peak traffic the inputs may give (the page's field and the API read it): the figures
# the sets' benchmarks support are for fleets of this order, not for billions of requests.
MAX_PEAK_RPS = 10_000_000


def all_notes(
    inputs, options: Sequence, baseline: int, a: Assumptions, peaks: np.ndarray | None = None
) -> list[str]:
    """``peaks``: the peak per month, if the caller has it (kernel.peak_traffic)."""
    return (
        growth_notes(inputs, peaks)
        + yours.notes(a, inputs.your_figures)
        + team_notes(inputs)
        + baseline_notes(inputs, options, baseline, a)
        + seat_notes(inputs, options, a)
    )


def growth_notes(inputs, peaks: np.ndarray | None = None) -> list[str]:
    """Say so when growth compounds the peak past MAX_PEAK_RPS within the horizon.

    A warning, not a refusal: such a scenario still computes (saved ones keep their figures),
    but 100% a month for 60 months from 10,000 RPS ends near 5.8 x 10^21 RPS, and a reader
    should see that before trusting the totals.
    """
    if peaks is None:
        peaks = kernel.peak_traffic(inputs, inputs.peak_rps)
    if inputs.peak_rps > MAX_PEAK_RPS or not peaks.max() > MAX_PEAK_RPS:
        return []
    past = np.flatnonzero(peaks > MAX_PEAK_RPS)
    return [
        f"Growth of {number_text(inputs.growth_pct)}% a month compounds the peak past "
        f"{MAX_PEAK_RPS:,} requests per second, the most the calculator takes, in month "
        f"{past[0] + 1}, and to {about_words(float(peaks[-1]))} by month {len(peaks)}: the "
        "costs buy a fleet for that traffic as if it could be served. Check the growth rate "
        "or shorten the horizon."
    ]


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


LINE_WORDS = {
    "database": "managed database",
    "cache": "cache",
    "load_balancer": "load balancer",
    "egress": "internet egress",
    "observability": "observability",
}


COMPUTE_WORDS = {  # what compute is, by hosting model (section 7e)
    "instances": "the fleets' instance-hours",
    "containers": "the containers' vCPU- and GB-hours",
    "functions": "the functions' requests and GB-seconds",
}


def infrastructure_note(options, a: Assumptions, hosting: str = "instances") -> str:
    """What the infrastructure of the results (``options``: OptionResults) includes, for a set
    with platform prices (docs/model.md section 7c): "" for a set without, which costs compute
    alone as it always did."""
    if not a.platform:
        return ""
    priced = [o for o in options if o.platform]
    if not priced:
        return (
            f"Infrastructure here is compute only, {COMPUTE_WORDS[hosting]}: every platform "
            "line (managed database, cache, load balancer, internet egress, observability) is off."
        )
    lines = and_list(LINE_WORDS[k] for k in kernel.PLATFORM_LINES if k in priced[0].platform)
    shares = "; ".join(
        f"{o.name} {percent(o.framework_share * 100, 1)}"
        for o in priced
        if o.framework_share is not None
    )
    note = f"Infrastructure is compute ({COMPUTE_WORDS[hosting]}) plus platform: {lines}."
    if shares:
        note += f" The framework's share of that bill, its compute: {shares}."
    return note
