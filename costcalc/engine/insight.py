"""Decision insight: where the answer changes with traffic, how sure it is, what flips it.

Pure Python + numpy, like the model: plain inputs, options and an assumption snapshot in,
plain results out. docs/insight.md writes out every method so a reader can check it.

The model's formulas (docs/model.md) live once, in kernel.py, written with numpy broadcasting
so that one call costs many scenarios at once: every assumption may be a column of draws
(shape ``(N, 1)``) and the peak traffic a grid of starting points (shape ``(G, H)``). compute()
runs the same kernel on one scenario, so the Monte Carlo, the crossover search and the tornado
agree with the calculator's figures to the bit. The insight holds only the uncertainty:
variables.py (what is uncertain, and its range), crossover.py (cost against traffic),
tornado.py (what flips it) and, here, the Monte Carlo, the verdict and :func:`analyse`, which
runs them all. Their names are importable from here.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import MISSING, Field, dataclass, fields

import numpy as np

from costcalc.text import money, plural, share_text

from . import yours
from .assumptions import Assumptions, ModelError
from .crossover import (  # noqa: F401  (the insight's names, importable from here)
    CROSSOVER_REL_TOL,
    GRID_POINTS,
    Crossover,
    TrafficCurve,
    traffic_curve,
)
from .hosting import Hosted, comparable, compare_hosting
from .kernel import base_params, monthly_totals, peak_traffic, prices_platform
from .model import Inputs, Option, OptionResult, Platform, Result, compute
from .search import SEARCH_PARTS, bracket_search  # noqa: F401
from .tornado import FLIP_REL_TOL, Bar, Flip, Tornado, tornado  # noqa: F401
from .variables import DEFAULT_SPREAD, Variable, figure_range, variables  # noqa: F401

DRAWS = 2_000  # Monte Carlo draws: P10/P90 of 2,000 draws move by about 1% between seeds
QUANTILES = (0.10, 0.50, 0.90)
SURE, LIKELY = 0.95, 0.75  # P(cheapest) thresholds of the verdict's wording


# --- 2. Monte Carlo --------------------------------------------------------------------------


# Inputs the model gained after scenario_key() was first defined (docs/insight.md, "Seed").
SINCE_SEEDED = frozenset(
    {"separation_months", "current_stack", "your_figures", "hires_per_year", "pricing", "hosting"}
    | {"container_vcpu", "container_gb", "function_memory_mb", "cold_start_pct"}
)
# Inputs that change no draw (only how the totals are discounted): never in the seed, so a
# discount rate leaves the bands as they are. (Saved links tell them apart: inputs_key.)
NOT_SEEDED = frozenset({"discount_rate_pct"})


def default_of(f: Field):
    return f.default_factory() if f.default is MISSING else f.default


def scenario_key(inputs: Inputs, options: Sequence[Option], a: Assumptions) -> str:
    """The scenario as canonical JSON: what the seed is a hash of.

    Built from the parsed values, not the raw query string, so links that differ only in the
    order or spelling of their parameters (10000 or 1e4) describe, and draw, the same thing.
    Numbers are written as floats by Python's shortest round-trip repr, keys sorted. Inputs
    added after the seed was defined (SINCE_SEEDED) are left out while at their defaults, so a
    scenario that does not use them keeps the draws its links have always shown.
    """

    def norm(value):
        if isinstance(value, bool) or value is None or isinstance(value, str):
            return value
        if isinstance(value, Mapping):
            return {str(k): norm(v) for k, v in sorted(value.items())}
        if isinstance(value, Platform):
            return norm({f.name: getattr(value, f.name) for f in fields(value)})
        return float(value)

    # Platform lines, added later, only when they are priced: a scenario without them keeps
    # the draws it always had.
    unpriced = set() if prices_platform(inputs, a) else {"platform"}

    payload = {
        "set": f"{a.slug}@{a.version}",
        "inputs": {
            f.name: norm(getattr(inputs, f.name))
            for f in fields(inputs)
            if f.name not in NOT_SEEDED
            and f.name not in unpriced
            and not (f.name in SINCE_SEEDED and getattr(inputs, f.name) == default_of(f))
        },
        "options": [
            [
                o.name,
                [
                    [s.stack, norm(s.share), norm(s.app_cpu_ms), norm(s.io_wait_ms)]
                    # engineers, added later, only when given (as SINCE_SEEDED)
                    + ([] if s.engineers is None else [norm(s.engineers)])
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
    a = yours.apply(a, inputs.your_figures, inputs.market)
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
    # A copy, not a view: a view would keep every draw's every month (1.5 MB for four options)
    # alive for as long as the result is remembered (assumptions/snapshot.simulated).
    totals = cumulative[..., -1].copy()
    wins = np.bincount(np.argmin(totals, axis=0), minlength=len(options))
    q = quantiles(cumulative, QUANTILES)  # (3, options, H)
    bands = [
        OptionBand(o.name, q[0, i], q[1, i], q[2, i], p_cheapest=float(wins[i] / draws))
        for i, o in enumerate(options)
    ]
    return MonteCarlo(seed=seed, draws=draws, variables=vs, bands=bands, totals=totals)


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
    "weak": "{a} stays cheapest unless {condition}; weak ground: that figure {basis}.",
    "steady": "No single assumption moved across its range makes {b} cheaper; "
    "the one that moves the difference most is {lever}.",
}


@dataclass(frozen=True, slots=True)
class Lead:
    """Who is cheapest at base figures, and by how much over the runner-up."""

    leader: OptionResult
    runner_up: OptionResult | None  # None with one option
    margin: float  # runner-up's horizon total minus the leader's (>= 0)
    pct: float  # the margin as a share of the runner-up's total, in percent

    @property
    def tied(self) -> bool:
        """Totals within 50 cents: the same in whole dollars."""
        return self.runner_up is not None and self.margin < 0.5

    @property
    def pct_text(self) -> str:
        return f"{self.pct:.1f}%" if self.pct >= 0.1 else "under 0.1%"


def lead(result: Result) -> Lead:
    """The verdict's first sentence in figures: cheap (a sort of the options), so the
    calculator's every recalculation can show it."""
    ranked = sorted(result.options, key=lambda o: o.horizon_total)  # stable: first on a tie
    if len(ranked) == 1:
        return Lead(ranked[0], None, 0.0, 0.0)
    a, b = ranked[0], ranked[1]
    margin = b.horizon_total - a.horizon_total
    pct = margin / b.horizon_total * 100 if b.horizon_total else 0.0
    return Lead(a, b, margin, pct)


def verdict(result: Result, mc: MonteCarlo | None, torn: Tornado | None) -> list[str]:
    """One to three sentences: who is cheapest by how much, how sure, and what would change it."""
    h = plural(len(result.months), "month")
    ahead = lead(result)
    a, b = ahead.leader, ahead.runner_up
    if b is None:
        return [TEMPLATES["only"].format(a=a.name, total=money(a.horizon_total), h=h)]
    if ahead.tied:
        first = TEMPLATES["tie"].format(a=a.name, b=b.name, h=h, total=money(a.horizon_total))
    else:
        first = TEMPLATES["cheapest"].format(
            a=a.name,
            b=b.name,
            h=h,
            total=money(a.horizon_total),
            margin=money(ahead.margin),
            pct=ahead.pct_text,
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
            bar = flipping[0]
            basis = bar.variable.basis
            template = TEMPLATES["weak" if basis else "flips"]
            sentences.append(template.format(a=a.name, condition=bar.condition, basis=basis))
        else:
            sentences.append(
                TEMPLATES["steady"].format(b=b.name, lever=torn.bars[0].variable.label)
            )
    return sentences


@dataclass(frozen=True, slots=True)
class Sureness:
    """How sure the lead is, for the one line above the calculator's cards."""

    tied: bool  # the lead is within the uncertainty: no option should be called cheapest
    text: str  # "effectively a tie; cheapest in 91% of 2,000 simulations"


def how_sure(result: Result, mc: MonteCarlo) -> Sureness | None:
    """The verdict's "how sure" in a few words, from its thresholds (SURE, LIKELY), and
    whether the lead is within the uncertainty. None with one option.

    At SURE or above the lead holds up, however small. Below it, a lead smaller than half the
    leader's own P10 to P90 band is "effectively a tie": the estimate is not that precise,
    even when most draws keep the order (they move every option together). Otherwise, below
    LIKELY it is the verdict's "close call". Either way no option is called the cheapest.
    """
    ahead = lead(result)
    if ahead.runner_up is None:
        return None
    p = mc.p_cheapest[ahead.leader.name]
    band = next(b for b in mc.bands if b.name == ahead.leader.name)
    half_band = (band.p90[-1] - band.p10[-1]) / 2
    cases = f"cheapest in {share_text(p)} of {mc.draws:,} simulations"
    if p >= SURE:
        return Sureness(False, f"the lead holds up; {cases}")
    if ahead.tied or ahead.margin < half_band:
        return Sureness(True, f"effectively a tie; {cases}")
    if p < LIKELY:
        return Sureness(True, f"a close call; {cases}")
    return Sureness(False, f"likely, not certain; {cases}")


def sureness(
    inputs: Inputs,
    options: Sequence[Option],
    a: Assumptions,
    result: Result,
    *,
    mc: MonteCarlo | None = None,
) -> Sureness | None:
    """:func:`how_sure` for ``result``, the scenario computed: the Monte Carlo of
    :func:`analyse` alone (about 9 ms of its 16), or ``mc``, the scenario's, when known."""
    if len(options) < 2:
        return None
    return how_sure(result, mc if mc is not None else monte_carlo(inputs, options, a))


# --- 5. Seed vs independent ------------------------------------------------------------------


@dataclass(slots=True)
class SetOutcome:
    key: str  # slug@version
    label: str  # "Independent 2026 v1"
    totals: dict[str, float]  # option name -> horizon total; empty when it does not compute
    cheapest: str | None
    error: str = ""


def compare_sets(
    inputs: Inputs,
    options: Sequence[Option],
    snapshots: Sequence[Assumptions],
    *,
    known: Insight | None = None,
) -> list[SetOutcome]:
    """The same inputs and options costed under each assumption set; the set ``known`` was
    analysed with is not costed again (its result is the analysis's)."""
    out = []
    for a in snapshots:
        key = f"{a.slug}@{a.version}"
        try:
            if known is not None and known.snapshot is a:
                result = known.result
            else:
                result = compute(inputs, options, a, explain=False)
        except ModelError as error:
            out.append(SetOutcome(key, a.label, {}, None, str(error)))
            continue
        totals = {o.name: o.horizon_total for o in result.options}
        out.append(SetOutcome(key, a.label, totals, result.cheapest.name))
    return out


# --- Everything at once ----------------------------------------------------------------------


@dataclass(slots=True)
class Insight:
    snapshot: Assumptions  # the set analysed, as given (before the user's own figures)
    result: Result
    traffic: TrafficCurve
    monte_carlo: MonteCarlo
    tornado: Tornado | None
    verdict: list[str]
    # Each option on instances, containers and functions; [] when the set cannot price them,
    # None when left for later (analyse(hosting=False)).
    hosting: list[Hosted] | None


def analyse(
    inputs: Inputs,
    options: Sequence[Option],
    a: Assumptions,
    *,
    points: int = GRID_POINTS,
    simulate: Callable[[], MonteCarlo] | None = None,
    hosting: bool = True,
    **draws,
) -> Insight:
    """compute() plus the crossover, Monte Carlo, tornado and verdict for one scenario.

    ``draws`` are :func:`monte_carlo`'s settings (draws, seed, default_spread). Or
    ``simulate`` gives the scenario's Monte Carlo with its own settings (one remembered, say),
    called once compute() has accepted the scenario. The tornado swings the variables the
    Monte Carlo drew, so both speak of the same ranges. Without ``hosting`` the hosting
    comparison is left out (None) where the set can price it, for a caller that fetches it
    apart: it costs a fifth of the analysis.
    """
    given = a
    a = yours.apply(a, inputs.your_figures, inputs.market)
    # Validates everything the rest relies on; the insight shows no workings.
    result = compute(inputs, options, a, explain=False)
    traffic = traffic_curve(inputs, options, a, points=points)
    mc = simulate() if simulate is not None else monte_carlo(inputs, options, a, **draws)
    torn = tornado(inputs, options, a, swung=mc.variables)
    if hosting:
        hosted = compare_hosting(inputs, options, a)
    else:
        hosted = None if comparable(inputs, options, a) else []
    return Insight(given, result, traffic, mc, torn, verdict(result, mc, torn), hosted)
