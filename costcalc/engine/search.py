"""Searches on the vectorised model: where a yes/no answer about the costs switches.

:func:`bracket_search` narrows many brackets at once; :func:`traffic_where_cheaper` uses it to
find the peak RPS at which one option starts to cost less than another. Both call the model
on whole arrays of candidate points per round, so a search costs a few dozen model calls, not
one per step of a scalar bisection.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from .assumptions import Assumptions, ModelError
from .kernel import base_params, monthly_totals, peak_traffic
from .model import Inputs, Option, compute

SEARCH_PARTS = 64  # pieces each bracket is split into per search round (2 would be bisection)
TRAFFIC_LOW, TRAFFIC_HIGH = 1.0, 10_000_000.0  # the calculator's bounds on peak RPS
TRAFFIC_REL_TOL = 1e-3  # examples.flip_traffic's tolerance: high / low at most 1.001


def bracket_search(near, far, changed, *, tol, parts: int = SEARCH_PARTS, max_rounds: int = 60):
    """Narrow each bracket [near, far] to one where ``changed`` switches from False to True.

    ``changed`` is False at every ``near`` and True at every ``far`` (either may be the larger
    number). It is called with a (K, parts - 1) array of points, all brackets at once, and
    answers True or False for each. Each round splits every bracket into ``parts`` equal
    pieces and keeps the first piece, counting from ``near``, whose ends disagree: bisection
    when ``parts`` is 2, and with more parts the same invariant in fewer (vectorised) rounds.
    Rounds stop once every bracket is at most ``tol`` wide (a number or one per bracket).
    Returns the final (near, far): ``changed`` is False at near and True at far, so a
    switching point lies between them, whatever steps the function takes on the way.
    """
    near = np.array(near, dtype=float)
    far = np.array(far, dtype=float)
    t = np.arange(1, parts) / parts
    rows = np.arange(len(near))
    for _ in range(max_rounds):
        if not np.any(np.abs(far - near) > tol):
            break
        xs = near[:, None] + (far - near)[:, None] * t
        hit = np.asarray(changed(xs), dtype=bool)
        j = np.where(hit.any(axis=1), hit.argmax(axis=1), parts - 1)
        ends = np.concatenate([near[:, None], xs, far[:, None]], axis=1)
        near, far = ends[rows, j], ends[rows, j + 1]
    return near, far


def _option_index(options: Sequence[Option], which: int | str) -> int:
    if isinstance(which, int):
        if not 0 <= which < len(options):
            raise ModelError(f"there is no option number {which}")
        return which
    for i, option in enumerate(options):
        if option.name == which:
            return i
    raise ModelError(f"'{which}' is not one of the options compared")


def traffic_where_cheaper(
    inputs: Inputs,
    options: Sequence[Option],
    a: Assumptions,
    *,
    first: int | str = 0,
    second: int | str = 1,
    low: float = TRAFFIC_LOW,
    high: float = TRAFFIC_HIGH,
    rel_tol: float = TRAFFIC_REL_TOL,
) -> float | None:
    """The month-1 peak RPS above which option ``second`` costs less than ``first``.

    Everything but the peak RPS stays as ``inputs`` has it. None when ``second`` already costs
    less at ``low`` or still does not at ``high``. Otherwise the search on log RPS
    (:func:`bracket_search`, 64 points a round) keeps ``second`` not cheaper at the bracket's
    low end and cheaper at its high end, and returns the high end once high / low is at most
    1 + ``rel_tol``. Instance counts are whole numbers, so the difference is a step function
    that may cross more than once; the answer is then one of the crossings, as with a
    bisection. Replaces costcalc/scenarios/examples.py:flip_traffic (a scalar bisection that
    called compute() once per step): ``traffic_where_cheaper(inputs, options, snapshot)``
    answers its question, to its tolerance, with ``first=0, second=1`` and its bounds.
    Options are numbers (0-based) or names. Totals are compute()'s horizon totals to the bit.
    """
    bracket = _traffic_bracket(
        inputs, options, a, first=first, second=second, low=low, high=high, rel_tol=rel_tol
    )
    return None if bracket is None else bracket[1]


def _traffic_bracket(
    inputs: Inputs,
    options: Sequence[Option],
    a: Assumptions,
    *,
    first: int | str,
    second: int | str,
    low: float,
    high: float,
    rel_tol: float,
) -> tuple[float, float] | None:
    """(low, high) peak RPS: ``second`` not cheaper at low, cheaper at high; or None."""
    compute(inputs, options, a, explain=False)  # validates what the vectorised model assumes
    i, j = _option_index(options, first), _option_index(options, second)
    params = base_params(inputs, options, a)

    def cheaper(log_rps: np.ndarray) -> np.ndarray:
        rps = np.exp(log_rps.ravel())
        monthly = monthly_totals(inputs, options, a, params, peak_traffic(inputs, rps[:, None]))
        totals = np.cumsum(monthly, axis=-1)[..., -1]  # summed as compute() sums them
        return (totals[j] < totals[i]).reshape(log_rps.shape)

    ends = cheaper(np.log(np.array([[float(low), float(high)]])))[0]
    if ends[0] or not ends[1]:
        return None
    near, far = bracket_search([math.log(low)], [math.log(high)], cheaper, tol=math.log1p(rel_tol))
    return float(np.exp(near[0])), float(np.exp(far[0]))
