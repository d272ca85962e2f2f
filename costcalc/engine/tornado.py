"""What flips the decision: each uncertain assumption swung across its range, the others at
base, and the value at which the two cheapest options change places (docs/insight.md,
"What flips it").
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from costcalc.text import value_text

from . import yours
from .assumptions import Assumptions
from .kernel import base_params, monthly_totals, peak_traffic
from .model import Inputs, Option
from .search import bracket_search
from .variables import DEFAULT_SPREAD, Variable, variables

FLIP_REL_TOL = 1e-5  # a tornado flip is found to this share of the distance from base to end


@dataclass(frozen=True, slots=True)
class Flip:
    direction: str  # "below" or "above"
    value: float  # the runner-up is cheaper beyond this value (others at base)


@dataclass(frozen=True, slots=True)
class Bar:
    variable: Variable
    diff_low: float  # leader's total - runner-up's, with this variable at its low end
    diff_high: float
    span: float  # the bar's length: max - min of diff_low, diff_high and the base difference
    flips: tuple[Flip, ...]

    @property
    def condition(self) -> str:
        """ "the X is below 1,234 units", "… is below 1 or above 3"; empty when it never flips."""
        parts = [f"{f.direction} {value_text(f.value, self.variable.unit)}" for f in self.flips]
        return f"{self.variable.label} is {' or '.join(parts)}" if parts else ""


@dataclass(slots=True)
class Tornado:
    leader: str
    runner_up: str
    base_diff: float  # leader's total - runner-up's at base (<= 0)
    bars: list[Bar]  # largest span first


def tornado(
    inputs: Inputs,
    options: Sequence[Option],
    a: Assumptions,
    *,
    default_spread: float = DEFAULT_SPREAD,
    swung: Sequence[Variable] | None = None,
    min_span: float = 1.0,
) -> Tornado | None:
    """Swing each uncertain assumption from low to high, one at a time, others at base.

    Records the leader's minus the runner-up's horizon total at each end (the two cheapest
    options at base). Where an end makes it positive (the runner-up cheaper), a bisection
    (:func:`bracket_search`) between base and that end finds the value at which they change
    places, to FLIP_REL_TOL of the distance. Bars shorter than
    ``min_span`` dollars are left out. None when fewer than two options are compared. The
    variables swung are ``swung`` (the Monte Carlo's, in :func:`~costcalc.engine.insight.analyse`)
    or the scenario's :func:`variables` with ``default_spread``.
    """
    a = yours.apply(a, inputs.your_figures, inputs.market)
    if len(options) < 2:
        return None
    base = base_params(inputs, options, a)
    peak = peak_traffic(inputs, float(inputs.peak_rps))
    at_base = np.cumsum(monthly_totals(inputs, options, a, base, peak), axis=-1)[..., -1]
    order = np.argsort(at_base, kind="stable")
    i_a, i_b = int(order[0]), int(order[1])
    base_diff = float(at_base[i_a] - at_base[i_b])
    vs = variables(inputs, options, a, default_spread) if swung is None else list(swung)
    if not vs:
        return Tornado(options[i_a].name, options[i_b].name, base_diff, [])

    # Only the leader's and the runner-up's totals are read. The others are costed too only
    # when there is a cost of delay: it counts from the fastest option, whichever that is.
    pair = [i_a, i_b] if inputs.cost_of_delay == 0 else list(range(len(options)))
    costed = [options[i] for i in pair]
    j_a, j_b = pair.index(i_a), pair.index(i_b)

    def diffs(values: np.ndarray, which: np.ndarray) -> np.ndarray:
        """Leader - runner-up with variable which[r] set to values[r] in row r."""
        params = dict(base)
        for k in np.unique(which):
            v = vs[k]
            for target in v.targets:
                column = np.where(which == k, values, base[target])[:, None]
                params[target] = column
        totals = np.cumsum(monthly_totals(inputs, costed, a, params, peak), axis=-1)[..., -1]
        totals = np.broadcast_to(totals, (len(costed), len(values)))
        return totals[j_a] - totals[j_b]

    # Both ends of every variable in one call: row 2k is variable k at low, 2k + 1 at high.
    ends_values = np.array([x for v in vs for x in (v.low, v.high)])
    ends = diffs(ends_values, np.repeat(np.arange(len(vs)), 2)).reshape(-1, 2)

    # Search every end that flips, all at once: near is the base side, far the flipping end.
    searches = [(k, e) for k in range(len(vs)) for e in (0, 1) if ends[k, e] > 0]
    found: dict[tuple[int, int], float] = {}
    if searches:
        which = np.array([k for k, _ in searches])
        near = np.array([vs[k].base for k, _ in searches])
        far = np.array([(vs[k].low, vs[k].high)[e] for k, e in searches])

        def flipped(x: np.ndarray) -> np.ndarray:  # (K, m) values of variable which[k]
            return diffs(x.ravel(), np.repeat(which, x.shape[1])).reshape(x.shape) > 0

        _, far = bracket_search(near, far, flipped, tol=np.abs(far - near) * FLIP_REL_TOL)
        found = {s: float(x) for s, x in zip(searches, far, strict=True)}

    bars = []
    for k, v in enumerate(vs):
        lo_d, hi_d = float(ends[k, 0]), float(ends[k, 1])
        span = max(lo_d, hi_d, base_diff) - min(lo_d, hi_d, base_diff)
        if span < min_span:
            continue
        flips = tuple(
            Flip("below" if e == 0 else "above", found[(k, e)]) for e in (0, 1) if (k, e) in found
        )
        bars.append(Bar(variable=v, diff_low=lo_d, diff_high=hi_d, span=span, flips=flips))
    bars.sort(key=lambda b: (-b.span, b.variable.key))
    return Tornado(options[i_a].name, options[i_b].name, base_diff, bars)
