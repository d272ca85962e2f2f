"""Cost against traffic: each option's total over a grid of starting peaks, and where the
cheapest option changes (docs/insight.md, "Cost against traffic").
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from costcalc.text import about

from . import yours
from .assumptions import Assumptions
from .kernel import base_params, monthly_totals, peak_traffic
from .model import Inputs, Option
from .search import bracket_search

GRID_POINTS = 40  # cost-against-traffic grid, log-spaced
GRID_LOW, GRID_HIGH = 1e3, 1e6  # peak RPS
CROSSOVER_REL_TOL = 1e-4  # bisection stops when the bracket's high/low ratio is below 1 + this


@dataclass(frozen=True, slots=True)
class Crossover:
    """Where the cheapest option changes as peak RPS rises: ``to`` is cheapest just above."""

    rps: float  # first RPS found where ``to`` is cheaper (the bracket's upper end)
    low_rps: float  # the bracket's lower end, where ``from_`` was still cheapest
    from_: str
    to: str
    total: float  # ``to``'s horizon total at ``rps``

    @property
    def label(self) -> str:
        return f"{self.to} becomes cheapest above about {about(self.rps)} RPS"


@dataclass(slots=True)
class TrafficCurve:
    names: list[str]
    rps: np.ndarray  # (G,) starting peak RPS, log-spaced
    totals: np.ndarray  # (options, G) horizon totals
    cheapest: np.ndarray  # (G,) index of the cheapest option at each point
    user_rps: float
    crossovers: list[Crossover]


def traffic_curve(
    inputs: Inputs,
    options: Sequence[Option],
    a: Assumptions,
    *,
    points: int = GRID_POINTS,
    low: float = GRID_LOW,
    high: float = GRID_HIGH,
    rel_tol: float = CROSSOVER_REL_TOL,
) -> TrafficCurve:
    """Each option's horizon total against the month-1 peak RPS, and where the cheapest changes.

    Everything but the peak RPS stays as the scenario has it (growth, average load, team...).
    The grid runs from ``low`` to ``high`` (widened to include the user's RPS), log-spaced.
    Wherever two neighbouring grid points have different cheapest options, bisection on log RPS
    (:func:`bracket_search`, every bracket at once) narrows the bracket until high/low <
    1 + rel_tol. Costs are step functions of RPS (whole instances), so the cheapest option may
    switch back and forth several times inside one grid cell; the search keeps an invariant
    (``from_`` cheapest at the low end, not at the high end) and so converges on one true
    switching point, to within the tolerance. A switch and a switch back that both fall
    between two grid points are not seen (docs/insight.md).
    """
    a = yours.apply(a, inputs.your_figures, inputs.market)
    params = base_params(inputs, options, a)
    lo = min(low, inputs.peak_rps)
    hi = max(high, inputs.peak_rps)
    grid = np.geomspace(lo, hi, points)
    names = [o.name for o in options]

    def horizon_totals(rps: np.ndarray) -> np.ndarray:
        """(options, K) horizon totals, summed as compute() sums them (a running sum)."""
        monthly = monthly_totals(inputs, options, a, params, peak_traffic(inputs, rps[:, None]))
        return np.cumsum(monthly, axis=-1)[..., -1]

    totals = horizon_totals(grid)
    cheapest = np.argmin(totals, axis=0)

    crossovers: list[Crossover] = []
    # Brackets still to search: (log low, log high, index cheapest at the low end, end index).
    pending = [
        (math.log(grid[i]), math.log(grid[i + 1]), int(cheapest[i]), int(cheapest[i + 1]))
        for i in range(points - 1)
        if cheapest[i] != cheapest[i + 1]
    ]
    while pending:
        leader = np.array([b[2] for b in pending])

        def left(x: np.ndarray, leader=leader) -> np.ndarray:  # (K, m) log RPS
            cheapest_at = np.argmin(horizon_totals(np.exp(x.ravel())), axis=0)
            return cheapest_at.reshape(x.shape) != leader[:, None]

        lo_x, hi_x = bracket_search(
            np.array([b[0] for b in pending]),
            np.array([b[1] for b in pending]),
            left,
            tol=math.log1p(rel_tol),
        )
        at_hi = horizon_totals(np.exp(hi_x))
        new = np.argmin(at_hi, axis=0)
        following = []
        for k, (_, end_x, from_i, end_i) in enumerate(pending):
            to_i = int(new[k])
            crossovers.append(
                Crossover(
                    rps=float(np.exp(hi_x[k])),
                    low_rps=float(np.exp(lo_x[k])),
                    from_=names[from_i],
                    to=names[to_i],
                    total=float(at_hi[to_i, k]),
                )
            )
            if to_i != end_i:  # a third option is cheapest in between: search on from here
                following.append((float(hi_x[k]), end_x, to_i, end_i))
        pending = following
    crossovers.sort(key=lambda c: c.rps)
    return TrafficCurve(
        names=names,
        rps=grid,
        totals=totals,
        cheapest=cheapest,
        user_rps=float(inputs.peak_rps),
        crossovers=crossovers,
    )
