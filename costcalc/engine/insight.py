"""Decision insight: where the answer changes with traffic, how sure it is, what flips it.

Pure Python + numpy, like the model: plain inputs, options and an assumption snapshot in,
plain results out. docs/insight.md writes out every method here so a reader can check it.

The model's formulas (docs/model.md) live once, in kernel.py, written with numpy broadcasting
so that one call costs many scenarios at once: every assumption may be a column of draws
(shape ``(N, 1)``) and the peak traffic a grid of starting points (shape ``(G, H)``). compute()
runs the same kernel on one scenario, so the Monte Carlo, the crossover search and the tornado
agree with the calculator's figures to the bit. This module holds only the uncertainty: the
variables, the draws, and what is computed from many runs of the kernel.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields

import numpy as np

from costcalc.text import about, and_list, language_name, money, plural, share_text, value_text

from .assumptions import Assumptions, Figure, ModelError
from .figures import RATE_FIGURES, STACK_FIGURES
from .kernel import PRICE, _languages, _stacks, base_params, monthly_totals, peak_traffic
from .model import Inputs, Option, Result, compute
from .search import SEARCH_PARTS, bracket_search  # noqa: F401  (ei.bracket_search)

DRAWS = 2_000  # Monte Carlo draws: P10/P90 of 2,000 draws move by about 1% between seeds
DEFAULT_SPREAD = 0.10  # ±10% for estimated figures whose source gives a single value
GRID_POINTS = 40  # cost-against-traffic grid, log-spaced
GRID_LOW, GRID_HIGH = 1e3, 1e6  # peak RPS
CROSSOVER_REL_TOL = 1e-4  # bisection stops when the bracket's high/low ratio is below 1 + this
FLIP_REL_TOL = 1e-5  # a tornado flip is found to this share of the distance from base to end
QUANTILES = (0.10, 0.50, 0.90)
SURE, LIKELY = 0.95, 0.75  # P(cheapest) thresholds of the verdict's wording


# field: (words, unit) of the figures that vary, from figures.py. Units drive value_text().
STACK_FIELDS = {n: (f.words, f.unit) for n, f in STACK_FIGURES.items() if f.varies}
RATE_FIELDS = {n: (f.words, f.unit) for n, f in RATE_FIGURES.items() if f.varies}


# --- The uncertain assumptions ---------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Variable:
    """One uncertain assumption: its range, and every place in the model that uses it.

    ``targets`` are keys of the parameter table :func:`base_params` builds:
    ``("stack", slug, field)``, ``("rate", language, field)`` (in the scenario's market) or
    ``("price",)``. One variable can feed several targets: a market figure that the set gives
    once for every language (the same number, source and range) is one uncertain quantity,
    drawn once, not one per language.
    """

    key: str  # stable identifier; variables are always taken in the order of their keys
    label: str  # words for a sentence: "FastAPI's requests per second per vCPU"
    unit: str
    low: float
    base: float
    high: float
    sourced: bool  # True: the source's range; False: the default spread around one value
    targets: tuple[tuple[str, ...], ...]

    @property
    def title(self) -> str:
        return self.label[:1].upper() + self.label[1:]


def figure_range(fig: Figure, default_spread: float) -> tuple[float, float, bool]:
    """(low, high, sourced) for a figure: its own range, else base ± default_spread."""
    if fig.has_range:
        # A base outside its own range is a data slip; widen the range rather than refuse.
        return min(fig.low, fig.base), max(fig.high, fig.base), True
    return fig.base * (1 - default_spread), fig.base * (1 + default_spread), False


def variables(
    inputs: Inputs,
    options: Sequence[Option],
    a: Assumptions,
    default_spread: float = DEFAULT_SPREAD,
) -> list[Variable]:
    """The scenario's uncertain assumptions, ordered by key.

    Included: every figure the scenario's formulas read, except those that are fixed by
    definition or cannot change a result here (docs/insight.md lists the rules): workers per
    vCPU (a deployment choice), a CPU multiplier of exactly 1 without a range (the reference
    stack, Go = 1 by definition), an instance price without a range (a list price is known
    exactly), weeks to first API when there is no cost of delay or nothing to compare, the
    hiring figures under the retrain policy and the ramp-up under the hire policy.
    """
    out: list[Variable] = []
    delay_matters = inputs.cost_of_delay > 0 and len(options) > 1
    for slug in _stacks(options):
        stack = a.stack(slug)
        for name, (words, unit) in STACK_FIELDS.items():
            fig = getattr(stack, name)
            if name == "weeks_to_first_api" and not delay_matters:
                continue
            if name == "cpu_multiplier" and not fig.has_range and fig.base == 1:
                continue
            low, high, sourced = figure_range(fig, default_spread)
            out.append(
                Variable(
                    key=f"stack/{slug}/{name}",
                    label=f"{stack.name}'s {words}",
                    unit=unit,
                    low=low,
                    base=fig.base,
                    high=high,
                    sourced=sourced,
                    targets=(("stack", slug, name),),
                )
            )
    market = a.markets.get(inputs.market)
    market_name = market.name if market else inputs.market
    skip = (
        {"ramp_up_weeks"}
        if inputs.policy == "hire"
        else {"recruiting_fee_pct", "time_to_fill_days"}
    )
    for name, (words, unit) in RATE_FIELDS.items():
        if name in skip:
            continue
        groups: dict[tuple, list[str]] = {}
        for language in _languages(options, a):
            fig = getattr(a.rate(inputs.market, language), name)
            groups.setdefault((fig.base, fig.low, fig.high, fig.source), []).append(language)
        for (base, _, _, _), langs in groups.items():
            fig = getattr(a.rate(inputs.market, langs[0]), name)
            low, high, sourced = figure_range(fig, default_spread)
            who = and_list(language_name(x) for x in langs)
            out.append(
                Variable(
                    key=f"rate/{inputs.market}/{name}/{'+'.join(langs)}",
                    label=f"the {words} of {who} engineers in {market_name}",
                    unit=unit,
                    low=low,
                    base=base,
                    high=high,
                    sourced=sourced,
                    targets=tuple(("rate", x, name) for x in langs),
                )
            )
    inst = a.instance(inputs.instance)
    if inst.price_per_hour.has_range:
        low, high, sourced = figure_range(inst.price_per_hour, default_spread)
        out.append(
            Variable(
                key=f"instance/{inst.slug}/price_per_hour",
                label=f"the price of {inst.name}",
                unit="USD/h",
                low=low,
                base=inst.price_per_hour.base,
                high=high,
                sourced=True,
                targets=(PRICE,),
            )
        )
    return sorted(out, key=lambda v: v.key)


# --- The model, vectorised (kernel.py) -----------------------------------------------------


# --- 1. Cost against traffic -----------------------------------------------------------------


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


# --- 2. Monte Carlo --------------------------------------------------------------------------


def scenario_key(inputs: Inputs, options: Sequence[Option], a: Assumptions) -> str:
    """The scenario as canonical JSON: what the seed is a hash of.

    Built from the parsed values, not the raw query string, so links that differ only in the
    order or spelling of their parameters (10000 or 1e4) describe, and draw, the same thing.
    Numbers are written as floats by Python's shortest round-trip repr, keys sorted.
    """

    def norm(value):
        if isinstance(value, bool) or value is None or isinstance(value, str):
            return value
        if isinstance(value, Mapping):
            return {str(k): norm(v) for k, v in sorted(value.items())}
        return float(value)

    payload = {
        "set": f"{a.slug}@{a.version}",
        "inputs": {f.name: norm(getattr(inputs, f.name)) for f in fields(inputs)},
        "options": [
            [
                o.name,
                [
                    [s.stack, norm(s.share), norm(s.app_cpu_ms), norm(s.io_wait_ms)]
                    for s in o.services
                ],
            ]
            for o in options
        ],
    }
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=True)


def scenario_seed(inputs: Inputs, options: Sequence[Option], a: Assumptions) -> int:
    """The first 8 bytes of SHA-256 of :func:`scenario_key`, as a big-endian integer."""
    digest = hashlib.sha256(scenario_key(inputs, options, a).encode("ascii")).digest()
    return int.from_bytes(digest[:8], "big")


def triangular(u: np.ndarray, low: float, mode: float, high: float) -> np.ndarray:
    """Inverse CDF of the triangular distribution on [low, high] peaking at ``mode``."""
    width = high - low
    if width <= 0:
        return np.full_like(u, mode)
    c = (mode - low) / width
    left = low + np.sqrt(u * width * (mode - low))
    right = high - np.sqrt((1 - u) * width * (high - mode))
    return np.where(u < c, left, right)


def quantiles(x: np.ndarray, qs: Sequence[float]) -> np.ndarray:
    """Quantiles over axis 1 of (options, draws, H): linear between order statistics.

    The definition of numpy.quantile's default method ("linear", Hyndman & Fan type 7), taken
    from one sort along contiguous memory, which is about three times faster here.
    """
    ordered = np.sort(np.ascontiguousarray(np.moveaxis(x, 1, -1)), axis=-1)  # (options, H, N)
    n = ordered.shape[-1]
    out = []
    for q in qs:
        position = (n - 1) * q
        lo = math.floor(position)
        hi = min(lo + 1, n - 1)
        frac = position - lo
        below, above = ordered[..., lo], ordered[..., hi]
        out.append(below + (above - below) * frac)
    return np.stack(out)


@dataclass(slots=True)
class OptionBand:
    name: str
    p10: np.ndarray  # (H,) cumulative cost, 10th percentile of the draws at each month
    p50: np.ndarray
    p90: np.ndarray
    p_cheapest: float  # share of draws in which this option has the smallest horizon total


@dataclass(slots=True)
class MonteCarlo:
    seed: int
    draws: int
    variables: list[Variable]
    bands: list[OptionBand]
    totals: np.ndarray  # (options, draws) horizon totals

    @property
    def p_cheapest(self) -> dict[str, float]:
        return {b.name: b.p_cheapest for b in self.bands}


def monte_carlo(
    inputs: Inputs,
    options: Sequence[Option],
    a: Assumptions,
    *,
    draws: int = DRAWS,
    seed: int | None = None,
    default_spread: float = DEFAULT_SPREAD,
) -> MonteCarlo:
    """Cost the scenario ``draws`` times with every uncertain assumption drawn at once.

    Each variable is triangular(low, base, high), drawn independently by inverse CDF from the
    uniforms of ``numpy.random.Generator(PCG64(seed)).random((draws, K))``, column k for the
    k-th variable in key order. The seed defaults to :func:`scenario_seed`, so a shared link
    draws the same numbers on any machine and with either database.
    """
    if draws < 1:
        raise ModelError("the Monte Carlo needs at least one draw")
    seed = scenario_seed(inputs, options, a) if seed is None else seed
    vs = variables(inputs, options, a, default_spread)
    params = base_params(inputs, options, a)
    u = np.random.Generator(np.random.PCG64(seed)).random((draws, len(vs)))
    for k, v in enumerate(vs):
        column = triangular(u[:, k], v.low, v.base, v.high)[:, None]
        for target in v.targets:
            params[target] = column
    monthly = monthly_totals(
        inputs, options, a, params, peak_traffic(inputs, float(inputs.peak_rps))
    )
    monthly = np.broadcast_to(monthly, (len(options), draws, monthly.shape[-1]))
    cumulative = np.cumsum(monthly, axis=-1)
    totals = cumulative[..., -1]
    wins = np.bincount(np.argmin(totals, axis=0), minlength=len(options))
    q = quantiles(cumulative, QUANTILES)  # (3, options, H)
    bands = [
        OptionBand(o.name, q[0, i], q[1, i], q[2, i], p_cheapest=float(wins[i] / draws))
        for i, o in enumerate(options)
    ]
    return MonteCarlo(seed=seed, draws=draws, variables=vs, bands=bands, totals=totals)


# --- 3. What flips the decision --------------------------------------------------------------


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
    min_span: float = 1.0,
) -> Tornado | None:
    """Swing each uncertain assumption from low to high, one at a time, others at base.

    Records the leader's minus the runner-up's horizon total at each end (the two cheapest
    options at base). Where an end makes it positive (the runner-up cheaper), a bisection
    (:func:`bracket_search`) between base and that end finds the value at which they change
    places, to FLIP_REL_TOL of the distance. Bars shorter than
    ``min_span`` dollars are left out. None when fewer than two options are compared.
    """
    if len(options) < 2:
        return None
    base = base_params(inputs, options, a)
    peak = peak_traffic(inputs, float(inputs.peak_rps))
    at_base = np.cumsum(monthly_totals(inputs, options, a, base, peak), axis=-1)[..., -1]
    order = np.argsort(at_base, kind="stable")
    i_a, i_b = int(order[0]), int(order[1])
    base_diff = float(at_base[i_a] - at_base[i_b])
    vs = variables(inputs, options, a, default_spread)
    if not vs:
        return Tornado(options[i_a].name, options[i_b].name, base_diff, [])

    def diffs(values: np.ndarray, which: np.ndarray) -> np.ndarray:
        """Leader - runner-up with variable which[r] set to values[r] in row r."""
        params = dict(base)
        for k in np.unique(which):
            v = vs[k]
            for target in v.targets:
                column = np.where(which == k, values, base[target])[:, None]
                params[target] = column
        totals = np.cumsum(monthly_totals(inputs, options, a, params, peak), axis=-1)[..., -1]
        totals = np.broadcast_to(totals, (len(options), len(values)))
        return totals[i_a] - totals[i_b]

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


# --- 4. The verdict --------------------------------------------------------------------------

TEMPLATES = {
    "only": "{a} costs {total} over {h}; add another option to compare it with.",
    "tie": "{a} and {b} cost the same over {h}: {total} each.",
    "cheapest": "{a} is the cheapest option over {h} at {total}, {margin} ({pct}) less than {b}.",
    "sure": "Across the assumptions' ranges it is cheapest in {share} of {n} simulated cases, "
    "so the answer holds up.",
    "likely": "It is cheapest in {share} of {n} simulated cases across the assumptions' ranges: "
    "likely, but not certain.",
    "close": "It is cheapest in only {share} of {n} simulated cases ({rival} in {rival_share}): "
    "a close call.",
    "flips": "{a} stays cheapest unless {condition}.",
    "steady": "No single assumption moved across its range makes {b} cheaper; "
    "the one that moves the difference most is {lever}.",
}


def verdict(result: Result, mc: MonteCarlo | None, torn: Tornado | None) -> list[str]:
    """One to three sentences: who is cheapest by how much, how sure, and what would change it."""
    h = plural(len(result.months), "month")
    ranked = sorted(result.options, key=lambda o: o.horizon_total)  # stable: first on a tie
    a = ranked[0]
    if len(ranked) == 1:
        return [TEMPLATES["only"].format(a=a.name, total=money(a.horizon_total), h=h)]
    b = ranked[1]
    margin = b.horizon_total - a.horizon_total
    if margin < 0.5:
        first = TEMPLATES["tie"].format(a=a.name, b=b.name, h=h, total=money(a.horizon_total))
    else:
        pct = margin / b.horizon_total * 100 if b.horizon_total else 0.0
        first = TEMPLATES["cheapest"].format(
            a=a.name,
            b=b.name,
            h=h,
            total=money(a.horizon_total),
            margin=money(margin),
            pct=f"{pct:.1f}%" if pct >= 0.1 else "under 0.1%",
        )
    sentences = [first]
    if mc is not None:
        p = mc.p_cheapest
        share = share_text(p[a.name])
        n = f"{mc.draws:,}"
        if p[a.name] >= SURE:
            sentences.append(TEMPLATES["sure"].format(share=share, n=n))
        elif p[a.name] >= LIKELY:
            sentences.append(TEMPLATES["likely"].format(share=share, n=n))
        else:
            rival = max((name for name in p if name != a.name), key=lambda name: p[name])
            sentences.append(
                TEMPLATES["close"].format(
                    share=share, n=n, rival=rival, rival_share=share_text(p[rival])
                )
            )
    if torn is not None and torn.bars:
        flipping = [bar for bar in torn.bars if bar.flips]
        if flipping:
            sentences.append(TEMPLATES["flips"].format(a=a.name, condition=flipping[0].condition))
        else:
            sentences.append(
                TEMPLATES["steady"].format(b=b.name, lever=torn.bars[0].variable.label)
            )
    return sentences


# --- 5. Seed vs independent ------------------------------------------------------------------


@dataclass(slots=True)
class SetOutcome:
    key: str  # slug@version
    label: str  # "Independent 2026 v1"
    totals: dict[str, float]  # option name -> horizon total; empty when it does not compute
    cheapest: str | None
    error: str = ""


def compare_sets(
    inputs: Inputs, options: Sequence[Option], snapshots: Sequence[Assumptions]
) -> list[SetOutcome]:
    """The same inputs and options costed under each assumption set."""
    out = []
    for a in snapshots:
        key = f"{a.slug}@{a.version}"
        try:
            result = compute(inputs, options, a)
        except ModelError as error:
            out.append(SetOutcome(key, a.label, {}, None, str(error)))
            continue
        totals = {o.name: o.horizon_total for o in result.options}
        out.append(SetOutcome(key, a.label, totals, result.cheapest.name))
    return out


# --- Everything at once ----------------------------------------------------------------------


@dataclass(slots=True)
class Insight:
    result: Result
    traffic: TrafficCurve
    monte_carlo: MonteCarlo
    tornado: Tornado | None
    verdict: list[str]


def analyse(
    inputs: Inputs,
    options: Sequence[Option],
    a: Assumptions,
    *,
    draws: int = DRAWS,
    seed: int | None = None,
    default_spread: float = DEFAULT_SPREAD,
    points: int = GRID_POINTS,
) -> Insight:
    """compute() plus the crossover, Monte Carlo, tornado and verdict for one scenario."""
    result = compute(inputs, options, a)  # validates everything the rest relies on
    traffic = traffic_curve(inputs, options, a, points=points)
    mc = monte_carlo(inputs, options, a, draws=draws, seed=seed, default_spread=default_spread)
    torn = tornado(inputs, options, a, default_spread=default_spread)
    return Insight(result, traffic, mc, torn, verdict(result, mc, torn))
