"""The same stack on instances, containers and functions (docs/model.md section 7e), and the
traffic above which containers beat functions for it: "when should we leave Lambda?".
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np

from costcalc.text import about

from . import yours
from .assumptions import Assumptions
from .checks import function_memory_problem, hosting_problem
from .figures import HOSTING_MODELS
from .kernel import base_params, monthly_totals, peak_traffic
from .model import Inputs, Option
from .search import bracket_search

# Functions win at low traffic, where a container fleet's floor of replicas costs more than
# the requests: the grid starts far below the cost-against-traffic chart's.
GRID_LOW, GRID_HIGH, GRID_POINTS = 0.01, 1e6, 25  # peak RPS, log-spaced (3 points a decade)
# The search stops when the bracket's high/low ratio is below 1 + this: the answer is given to
# two figures ("about 330 RPS"). In eighths, a few points a round: with 64 (the tornado's), each
# round costed some 250 points for every option, 6 of the comparison's 11 ms.
REL_TOL, PARTS = 1e-2, 8


@dataclass(frozen=True, slots=True)
class Hosted:
    """One single-stack option's horizon total on each hosting model the set can price."""

    option: str
    totals: dict[str, float]  # hosting model -> total over the horizon
    containers_above: float | None  # peak RPS above which containers beat functions, for good
    functions_throughout: bool  # functions cost less at every traffic of the grid

    @property
    def cheapest(self) -> str:
        return min(self.totals, key=self.totals.get)

    @property
    def label(self) -> str:
        """ "Containers beat functions above about 140 RPS" and the like."""
        if self.containers_above is not None:
            return f"containers beat functions above about {about(self.containers_above)} RPS"
        if self.functions_throughout:
            return (
                f"functions cost less at every traffic from {about(GRID_LOW)} to "
                f"{about(GRID_HIGH)} RPS"
            )
        return "containers cost less at every traffic of the range"


def on(inputs: Inputs, hosting: str) -> Inputs:
    """The scenario on ``hosting``; functions on demand, the only way they are priced."""
    pricing = "on_demand" if hosting == "functions" else inputs.pricing
    return replace(inputs, hosting=hosting, pricing=pricing)


def comparable(inputs: Inputs, options: Sequence[Option], a: Assumptions) -> bool:
    """Whether the set and the provider price every option on containers and on functions: a
    few lookups, so a page can say whether to offer the comparison without costing it."""
    return not any(
        hosting_problem(given, options, a) or function_memory_problem(given, options, a)
        for given in (on(inputs, "containers"), on(inputs, "functions"))
    )


def compare_hosting(inputs: Inputs, options: Sequence[Option], a: Assumptions) -> list[Hosted]:
    """Every option on every hosting model, with the containers-functions crossover; [] when
    the set or the provider cannot price containers and functions. Assumes compute() has
    accepted the scenario. All options are costed together, as the results cost them (a cost
    of delay counts from the fastest), a few numpy passes for all of them at once."""
    a = yours.apply(a, inputs.your_figures, inputs.market)
    if not comparable(inputs, options, a):
        return []
    ways = {h: on(inputs, h) for h in HOSTING_MODELS}
    params = {h: base_params(given, options, a) for h, given in ways.items()}

    def totals(hosting: str, rps: np.ndarray) -> np.ndarray:
        """(options, K) horizon totals at each starting peak, summed as compute() sums them."""
        given = ways[hosting]
        peak = peak_traffic(given, rps[:, None])
        monthly = monthly_totals(given, options, a, params[hosting], peak)
        return np.cumsum(monthly, axis=-1)[..., -1]

    def difference(rps: np.ndarray) -> np.ndarray:
        """(options, K): containers' total minus functions'."""
        return totals("containers", rps) - totals("functions", rps)

    grid = np.geomspace(GRID_LOW, GRID_HIGH, GRID_POINTS)
    # The scenario's own peak rides along with the grid: one pass for each model.
    points = np.append(grid, float(inputs.peak_rps))
    at = {h: totals(h, points) for h in ("containers", "functions")}
    here = {h: at[h][:, -1] for h in at}
    here["instances"] = totals("instances", points[-1:])[:, 0]
    cheaper = (at["containers"] - at["functions"])[
        :, :-1
    ] <= 0  # (options, G): containers cost no more
    # For good from the last grid point where functions still win: one bracket per option.
    searched = [i for i in range(len(options)) if cheaper[i, -1] and not cheaper[i].all()]
    above: dict[int, float] = {}
    if searched:
        last = [int(np.flatnonzero(~cheaper[i])[-1]) for i in searched]
        rows = np.array(searched)

        def changed(x: np.ndarray) -> np.ndarray:  # (brackets, m) log peak RPS
            at = difference(np.exp(x.ravel())).reshape(len(options), *x.shape)
            return at[rows, np.arange(len(rows))] <= 0

        _, far = bracket_search(
            np.log(grid[last]),
            np.log(grid[np.array(last) + 1]),
            changed,
            tol=math.log1p(REL_TOL),
            parts=PARTS,
        )
        above = {i: float(np.exp(x)) for i, x in zip(searched, far, strict=True)}
    return [
        Hosted(
            option.name,
            {h: float(here[h][i]) for h in HOSTING_MODELS},  # in the models' order
            above.get(i),
            functions_throughout=not cheaper[i].any(),
        )
        for i, option in enumerate(options)
    ]
