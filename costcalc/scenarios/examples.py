"""The worked scenarios of the gallery: the founding article's claims, each put to the model.

``load_examples`` saves each one under a fixed slug (so its link never changes) against the
newest published version of its assumption set. What the model answers (the "finding") is
worked out from the computed figures when the example is loaded and stored with it, so the
words always match the pinned figures. Figures from the article: docs/assumptions.md and
the seed-figures reference; the article is Acquaint Softtech, "FastAPI Performance Benchmarks
vs Node.js and Go: What the Numbers Actually Mean", 2026-05-01.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace

from django.http import QueryDict

from costcalc import engine
from costcalc.assumptions.models import AssumptionSet
from costcalc.text import about, money, per_month, percent

from .compute import Computation, compute, save_scenario
from .models import Scenario

ARTICLE = (
    'Acquaint Softtech, "FastAPI Performance Benchmarks vs Node.js and Go: What the Numbers '
    'Actually Mean", 1 May 2026'
)
# The fields every example gives, so none depends on the calculator's defaults.
BASE = {
    "avg_to_peak_pct": "50",
    "horizon_months": "24",
    "market": "us",
    "policy": "hire",
    "instance": "c7i-xlarge",
    "discount_pct": "0",
    "utilisation_pct": "60",
    "min_replicas": "2",
    "autoscaling": "on",
    "cost_of_delay": "0",
    "mix": "",
}


class ExampleError(Exception):
    pass


@dataclass(frozen=True)
class Example:
    slug: str
    title: str
    set_slug: str
    inputs: dict[str, str | list[str]]
    claim: str
    description: str
    narrative: str
    finding: Callable[[Computation], str] | None = None
    # (from option, to option, engineer-weeks, rewrite months, months of running both); the
    # options by their position in the comparison.
    migration: tuple[int, int, float, float, float] | None = None
    # Figures a source reports, shown beside the modelled ones: "before" and "after" (USD a
    # month) compare the first two options; ``explain`` says in words why they differ.
    reported: dict = field(default_factory=dict)
    explain: Callable[[Computation], list[str]] | None = None

    def query(self, aset: AssumptionSet) -> QueryDict:
        q = QueryDict(mutable=True)
        for key, value in {**BASE, **self.inputs, "assumptions": aset.key}.items():
            if isinstance(value, list):
                q.setlist(key, value)
            else:
                q[key] = value
        return q


# --- Words from figures ------------------------------------------------------------------------


def people_note(option: engine.OptionResult) -> str:
    people = option.totals["people"]
    return f" (of which {money(people)} hiring or retraining)" if people > 0.5 else ""


def totals_sentence(result: engine.Result) -> str:
    horizon = len(result.months)
    parts = [f"{o.name} {money(o.horizon_total)}{people_note(o)}" for o in result.options]
    cheapest = result.cheapest
    text = f"Over {horizon} months: {'; '.join(parts)}. Cheapest: {cheapest.name}"
    if cheapest is not result.baseline:
        text += (
            f", {money(cheapest.saving_vs_baseline)} ({cheapest.saving_pct:.1f}%) less than "
            f"{result.baseline.name}"
        )
    return text + "."


def infra_sentence(result: engine.Result) -> str:
    parts = [
        f"{o.name} {money(o.categories['infrastructure'][0])} in month 1"
        + (
            f", {money(o.categories['infrastructure'][-1])} in month {len(result.months)}"
            if abs(o.categories["infrastructure"][-1] - o.categories["infrastructure"][0]) > 0.5
            else ""
        )
        for o in result.options
    ]
    return "Infrastructure: " + "; ".join(parts) + "."


def option_named(result: engine.Result, start: str) -> engine.OptionResult:
    return next(o for o in result.options if o.name.startswith(start))


# --- 1. The fintech hybrid migration ------------------------------------------------------------

FINTECH_REPORTED_BEFORE = 42_000.0
FINTECH_REPORTED_AFTER = 18_000.0
FINTECH_CONTAINERS = 12


def fintech_finding(c: Computation) -> str:
    r, m = c.result, c.migration
    before, after = r.options[0], r.options[1]
    infra_before = float(before.categories["infrastructure"][0])
    infra_after = float(after.categories["infrastructure"][0])
    one_offs = m.rewrite_cost + after.totals["people"]
    reported_saving = FINTECH_REPORTED_BEFORE - FINTECH_REPORTED_AFTER
    if m.break_even_month:
        verdict = f"the migration breaks even in month {m.break_even_month}"
    else:
        verdict = (
            f"the migration does not pay for itself within {len(r.months)} months: migrating "
            f"costs {money(-m.saving)} more than staying"
        )
    return "\n\n".join(
        [
            f"At list prices the {FINTECH_CONTAINERS} Express containers cost "
            f"{per_month(infra_before)} and the hybrid {per_month(infra_after)}: "
            f"{money(infra_before - infra_after)} a month less "
            f"({percent((infra_before - infra_after) / infra_before * 100)}), against the reported "
            f"{money(reported_saving)} "
            f"({percent(reported_saving / FINTECH_REPORTED_BEFORE * 100)}).",
            f"Moving costs {money(m.rewrite_cost)} of rewriting ({m.migration.effort_weeks:g} "
            f"engineer-weeks at {money(m.weekly_rate)}) and {money(after.totals['people'])} of "
            f"retraining the team into Go, so at list prices {verdict}.",
            f"At the reported prices, a saving of {money(reported_saving)} a month would repay "
            f"those {money(one_offs)} in about {one_offs / reported_saving:.1f} months (a "
            "back-of-the-envelope figure: the model cannot price what the reported bill "
            "contains beyond instance-hours).",
        ]
    )


def fintech_explanation(c: Computation) -> list[str]:
    inst = c.snapshot.instance(c.form.cleaned_data["instance"])
    month = engine.HOURS_PER_MONTH * inst.price_per_hour.base
    per_container = FINTECH_REPORTED_BEFORE / FINTECH_CONTAINERS
    return [
        f"The report implies {money(per_container)} per container-month "
        f"({money(FINTECH_REPORTED_BEFORE)} / {FINTECH_CONTAINERS}). At list price a container "
        f"of {inst.vcpu:g} vCPU and {inst.memory_gb:g} GB ({inst.name}) costs 730 h × "
        f"${inst.price_per_hour.base:g} = {money(month)} a month, so "
        f"{FINTECH_CONTAINERS} cost about {money(FINTECH_CONTAINERS * month)}; an EC2 instance "
        "of the same size costs about $130 a month. The reported bill is "
        f"{per_container / month:.0f} times the list price of the compute.",
        "So the reported figures must include costs the article does not name: databases, "
        "load balancers, data transfer, observability, support, reserved headroom or staff. "
        "The model prices instance-hours only, so its figures are the compute part of such a "
        "bill; the reported 57% applies to the whole of it, which the model cannot check.",
        "The split of traffic (payments 70%, fraud scoring 20%, admin 10%) and each service's "
        "CPU per request (2 ms, 6 ms and 2 ms, with 30 ms of I/O) are our assumptions: the "
        "article gives neither. The traffic, 1,800 requests per second at peak, is what keeps "
        "exactly 12 such containers at 60% CPU with this set's Express figures.",
    ]


# --- 2 and 3. Hybrid patterns ------------------------------------------------------------------


def pattern_1_finding(c: Computation) -> str:
    r = c.result
    fastapi, go = option_named(r, "FastAPI"), option_named(r, "Go")
    hybrid = option_named(r, "Hybrid")
    go_cut = fastapi.totals["infrastructure"] - go.totals["infrastructure"]
    hybrid_cut = fastapi.totals["infrastructure"] - hybrid.totals["infrastructure"]
    knows_go = c.form.cleaned_data["knows_go"]
    if hybrid.totals["people"] < 0.5:
        hiring = f"without hiring: the {knows_go} engineers who know Go cover its share"
    else:
        hiring = f"with {money(hybrid.totals['people'])} of hiring"
    return "\n\n".join(
        [
            totals_sentence(r),
            infra_sentence(r),
            f"Moving everything to Go would cut infrastructure by {money(go_cut)} over the "
            f"horizon; moving the hot endpoints alone cuts {money(hybrid_cut)} "
            f"({percent(hybrid_cut / go_cut * 100) if go_cut > 0 else 'none'} of that) {hiring}, "
            f"while Go alone needs {money(go.totals['people'])} of hiring.",
        ]
    )


def pattern_2_finding(c: Computation) -> str:
    r = c.result
    hybrid = option_named(r, "Hybrid")
    singles = [o for o in r.options if o is not hybrid]
    cheapest_single = min(singles, key=lambda o: o.horizon_total)
    diff = cheapest_single.horizon_total - hybrid.horizon_total
    how = f"costs {money(diff)} less" if diff >= 0 else f"costs {money(-diff)} more"
    least_hiring = min(r.options, key=lambda o: o.totals["people"]) is hybrid
    why = (
        "each part of the team keeps working in a language it knows, so the mix needs the "
        f"least hiring ({money(hybrid.totals['people'])})"
        if least_hiring
        else f"its hiring costs {money(hybrid.totals['people'])}"
    )
    return "\n\n".join(
        [
            totals_sentence(r),
            infra_sentence(r),
            f"The mix {how} than the cheapest single stack ({cheapest_single.name}): {why}.",
        ]
    )


def pattern_3_finding(c: Computation) -> str:
    r, m = c.result, c.migration
    lines = [
        infra_sentence(r),
        f"Extracting the Go services costs {money(m.rewrite_cost)} of rewriting "
        f"({m.migration.effort_weeks:g} engineer-weeks over {m.migration.rewrite_months:g} "
        f"months, then {m.migration.overlap_months:g} month of running both) and "
        f"{money(m.target.totals['people'])} of hiring. Break-even: "
        + (f"month {m.break_even_month}" if m.break_even_month else "not within the horizon")
        + f"; over {len(r.months)} months migrating "
        + (f"saves {money(m.saving)}." if m.saving > 0 else f"costs {money(-m.saving)} more."),
    ]
    # The same extraction at a third of the traffic: the pattern's "only where it pays".
    lower = 15_000
    small = engine.compute(replace(c.form.inputs(), peak_rps=lower), c.form.options(), c.snapshot)
    small_m = engine.migrate(small, m.migration, c.snapshot)
    lines.append(
        f"At {lower:,} requests per second instead, the same extraction "
        + (
            f"breaks even in month {small_m.break_even_month}"
            if small_m.break_even_month
            else "does not pay for itself within the horizon"
        )
        + f" ({'saving' if small_m.saving > 0 else 'costing'} {money(abs(small_m.saving))}"
        + ("" if small_m.saving > 0 else " more")
        + "): measure first, as the pattern says."
    )
    return "\n\n".join(lines)


# --- 5 and 6. 8,000 against 80,000 RPS -----------------------------------------------------------


def scale_finding(c: Computation) -> str:
    r = c.result
    horizon = len(r.months)
    infra = {o.name: float(o.categories["infrastructure"][0]) for o in r.options}
    low, high = min(infra, key=infra.get), max(infra, key=infra.get)
    gap = infra[high] - infra[low]
    cheapest = r.cheapest
    dearest = max(r.options, key=lambda o: o.horizon_total)
    spread = (dearest.horizon_total - cheapest.horizon_total) / cheapest.horizon_total * 100
    people = [o.totals["people"] for o in r.options]
    people_gap = max(people) - min(people)
    infra_totals = [o.totals["infrastructure"] for o in r.options]
    infra_gap = max(infra_totals) - min(infra_totals)
    eng = [o.totals["engineering"] for o in r.options]
    same = " (the same for every stack here)" if max(eng) - min(eng) < 1 else ""
    if people_gap > infra_gap:
        driver = (
            f"What separates the options most is hiring (from {money(min(people))} to "
            f"{money(max(people))}), not infrastructure ({money(infra_gap)} between the "
            "cheapest and the dearest fleet over the horizon)."
        )
    else:
        driver = (
            f"What separates the options most is infrastructure ({money(infra_gap)} between "
            f"the cheapest and the dearest fleet over the horizon), more than hiring "
            f"({money(people_gap)})."
        )
    return "\n\n".join(
        [
            f"Infrastructure runs from {per_month(infra[low])} ({low}) to "
            f"{per_month(infra[high])} ({high}): {high} costs {infra[high] / infra[low]:.1f} "
            f"times as much, a gap of {money(gap * horizon)} over {horizon} months, "
            f"{gap * horizon / cheapest.horizon_total * 100:.1f}% of the cheapest option's "
            "total cost.",
            totals_sentence(r),
            f"All costs counted, the dearest option ({dearest.name}) costs {spread:.1f}% more "
            f"than the cheapest ({cheapest.name}); salaries{same} are "
            f"{percent(min(eng) / max(o.horizon_total for o in r.options) * 100)} or more of every "
            f"total. {driver}",
        ]
    )


# --- 7. Ship fast in Python, or run cheap in Go ------------------------------------------------

FLIP_LOW, FLIP_HIGH = 1.0, 10_000_000.0  # the calculator's bounds on peak RPS


def flip_traffic(c: Computation, snapshot: engine.Assumptions) -> float | None:
    """The peak RPS above which the second option (Go) costs less over the horizon.

    Bisection on peak RPS with every other input fixed; instance counts are whole numbers, so
    the difference is a step function and the answer is one crossing, to 0.1%.
    """
    inputs, options = c.form.inputs(), c.form.options()

    def go_cheaper(rps: float) -> bool:
        r = engine.compute(replace(inputs, peak_rps=rps), options, snapshot)
        return r.options[1].horizon_total < r.options[0].horizon_total

    lo, hi = FLIP_LOW, FLIP_HIGH
    if go_cheaper(lo) or not go_cheaper(hi):
        return None
    while hi / lo > 1.001:
        mid = (lo * hi) ** 0.5
        if go_cheaper(mid):
            hi = mid
        else:
            lo = mid
    return hi


def with_weeks(snapshot: engine.Assumptions, weeks: dict[str, float]) -> engine.Assumptions:
    stacks = dict(snapshot.stacks)
    for slug, value in weeks.items():
        figure = replace(stacks[slug].weeks_to_first_api, base=value, low=None, high=None)
        stacks[slug] = replace(stacks[slug], weeks_to_first_api=figure)
    return replace(snapshot, stacks=stacks)


def ship_fast_finding(c: Computation) -> str:
    r = c.result
    fastapi, go = r.options
    horizon = len(r.months)
    delay = c.form.cleaned_data["cost_of_delay"]
    weeks_gap = go.weeks_to_first_api - fastapi.weeks_to_first_api
    ratio = go.categories["infrastructure"][0] and (
        fastapi.categories["infrastructure"][0] / go.categories["infrastructure"][0]
    )
    winner = r.cheapest
    flip = flip_traffic(c, c.snapshot)
    article = with_weeks(c.snapshot, {"fastapi": 6.0, "go": 14.0})
    article_flip = flip_traffic(c, article)
    article_delay = 8 / (52 / 12) * delay
    budget = article_delay / (0.3 * horizon)
    flip_text = (
        f"Go becomes the cheaper choice above about {about(flip)} requests per second at "
        "peak; below that, shipping first in Python wins."
        if flip
        else "Neither option overtakes the other anywhere in the calculator's range of traffic."
    )
    article_text = (
        f"about {about(article_flip)} requests per second" if article_flip else "no traffic"
    )
    return "\n\n".join(
        [
            f"With this set's figures FastAPI ships in {fastapi.weeks_to_first_api:g} weeks and "
            f"Go in {go.weeks_to_first_api:g}: Go launches {weeks_gap:g} weeks later, which "
            f"costs {money(go.totals['delay'])} at {per_month(delay)} of delay. At "
            f"{c.form.cleaned_data['peak_rps']:,.0f} requests per second FastAPI's "
            f"infrastructure is {ratio:.1f} times Go's, not 30% more: "
            f"{per_month(fastapi.categories['infrastructure'][0])} against "
            f"{per_month(go.categories['infrastructure'][0])}.",
            f"{winner.name} wins over {horizon} months, by "
            f"{money(abs(fastapi.horizon_total - go.horizon_total))}. {flip_text}",
            "With the article's own 6 and 14 weeks (8 weeks apart, worth "
            f"{money(article_delay)} of delay; a what-if, not a published set), the flip moves "
            f"to {article_text}. On the article's terms alone (Python 30% dearer on "
            f"infrastructure, 8 weeks sooner), Python wins over {horizon} months while Go's "
            f"infrastructure bill stays under 8 / (52/12) × {money(delay)} / (0.3 × {horizon}) "
            f"= {per_month(budget)}.",
            "The whole team knows both languages here, so no option pays for hiring and only "
            "speed and infrastructure differ.",
        ]
    )


# --- The gallery ---------------------------------------------------------------------------------

SCALE_NARRATIVE = (
    "The article says a backend at 8,000 requests per second at peak runs equally well on "
    "FastAPI, Express or Go, and one at 80,000 does not. “Equally well” is taken here as "
    "“costs about the same to own”: the same workload (2 ms of business logic and 30 ms of I/O "
    "per request, flat traffic) under each stack, with the team hiring whoever a stack needs. "
    "The claim is tested at both traffic levels under both published assumption sets: "
    "the independent one (TechEmpower-based throughput) and the article's own figures."
)

EXAMPLES: list[Example] = [
    Example(
        slug="fintech-hybrid",
        title="The fintech hybrid migration: as reported and as modelled",
        set_slug="seed-article-2026",
        inputs={
            "peak_rps": "1800",
            "growth_pct": "0",
            "app_cpu_ms": "2.8",
            "io_wait_ms": "30",
            "team_size": "10",
            "policy": "retrain",
            "knows_python": "2",
            "knows_javascript": "10",
            "knows_go": "1",
            "instance": "fargate-4vcpu-8gb",
            "autoscaling": "off",
            "stacks": ["express"],
            "mix": "go:70:2:30, fastapi:20:6:30, express:10:2:30",
        },
        claim=(
            "12 Node.js Express containers of 4 vCPU and 8 GB cost $42,000 a month; moved to "
            "Go for the core payment endpoint, FastAPI for ML fraud detection and Express 5 "
            "for the legacy admin panel, they cost $18,000 a month: 57% less."
        ),
        description=(
            "The article's worked case, priced at list prices: 12 Express containers on "
            "Fargate (4 vCPU, 8 GB) against a Go, FastAPI and Express hybrid, with the "
            "migration between them."
        ),
        narrative=(
            "The article reports the case in monthly infrastructure cost only. Here the 12 "
            "containers are 12 Fargate tasks of 4 vCPU and 8 GB at list price, with a flat fleet "
            "(autoscaling off, as a fixed fleet of 12 is described), and the hybrid serves the "
            "same traffic with its own fleet per service. A team of 10 who all know JavaScript "
            "(2 know Python, 1 knows Go) retrains into the languages the hybrid needs, and the "
            "move itself is a migration: 20 engineer-weeks of rewriting over 3 months, then a "
            "month of running both (our assumptions).\n\n"
            "Shown side by side: the reported figures and the model's, with why they differ."
        ),
        finding=fintech_finding,
        migration=(0, 1, 20, 3, 1),
        reported={
            "before": FINTECH_REPORTED_BEFORE,
            "after": FINTECH_REPORTED_AFTER,
            "before_label": "12 Express containers",
            "after_label": "Go + FastAPI + Express hybrid",
            "source": ARTICLE + ", worked case.",
        },
        explain=fintech_explanation,
    ),
    Example(
        slug="pattern-1-hot-endpoints-in-go",
        title="Pattern 1: FastAPI primary, the hottest endpoints in Go",
        set_slug="independent-2026",
        inputs={
            "peak_rps": "20000",
            "growth_pct": "4",
            "app_cpu_ms": "3.75",
            "io_wait_ms": "35",
            "team_size": "8",
            "knows_python": "8",
            "knows_javascript": "0",
            "knows_go": "2",
            "stacks": ["fastapi", "go"],
            "mix": "fastapi:75:3:40, go:25:6:20",
        },
        claim=(
            "FastAPI as the primary stack, with the 2 to 5 hottest endpoints (payments, search, "
            "real-time pricing) moved to Go."
        ),
        description=(
            "A Python team at 20,000 RPS growing 4% a month: all FastAPI, all Go, or FastAPI "
            "with its CPU-heavy quarter of the traffic in Go."
        ),
        narrative=(
            "The hot endpoints carry a quarter of the requests but the heaviest work (6 ms of "
            "CPU and 20 ms of I/O per request, against 3 ms and 40 ms for the rest); every "
            "option serves the same average workload (3.75 ms, 35 ms). The team of 8 knows "
            "Python; 2 of them know Go. Engineering is split by share of requests, so the "
            "hybrid's Go part needs 2 engineers and all-Go needs 8 (docs/model.md)."
        ),
        finding=pattern_1_finding,
    ),
    Example(
        slug="pattern-2-ml-realtime-internal",
        title="Pattern 2: FastAPI for ML, Node.js for real time, Go for internal services",
        set_slug="independent-2026",
        inputs={
            "peak_rps": "30000",
            "growth_pct": "3",
            "app_cpu_ms": "4.3",
            "io_wait_ms": "17.5",
            "team_size": "12",
            "knows_python": "6",
            "knows_javascript": "5",
            "knows_go": "3",
            "stacks": ["express", "fastapi", "go"],
            "mix": "fastapi:30:12:40, express:40:1:10, go:30:1:5",
        },
        claim=(
            "FastAPI for ML model serving and data APIs, Node.js for WebSockets, chat and "
            "notifications, Go for internal services (rate limiting, auth proxies, sidecars)."
        ),
        description=(
            "A mixed team of 12 at 30,000 RPS: each part of the system in the stack the "
            "article recommends for it, against one stack for everything."
        ),
        narrative=(
            "ML serving takes 30% of the requests with 12 ms of CPU and 40 ms of I/O each; "
            "real-time traffic 40% with 1 ms and 10 ms; internal services 30% with 1 ms and "
            "5 ms. The single stacks serve the same average workload (4.3 ms, 17.5 ms). The team "
            "of 12 has 6 Python, 5 JavaScript and 3 Go engineers.\n\n"
            "A limit to keep in mind: the model scales business-logic CPU by a per-stack "
            "multiplier, but ML inference in Python runs mostly in native libraries (NumPy, "
            "PyTorch), so FastAPI's cost for the ML share is, if anything, overstated."
        ),
        finding=pattern_2_finding,
    ),
    Example(
        slug="pattern-3-monolith-then-go",
        title="Pattern 3: a FastAPI monolith, Go extracted later",
        set_slug="independent-2026",
        inputs={
            "peak_rps": "50000",
            "growth_pct": "5",
            "app_cpu_ms": "4",
            "io_wait_ms": "30",
            "team_size": "6",
            "knows_python": "6",
            "knows_javascript": "0",
            "knows_go": "2",
            "stacks": ["fastapi"],
            "mix": "fastapi:60:2:35, go:40:7:22.5",
        },
        claim=(
            "Start with a FastAPI monolith and extract Go services only where measurement "
            "shows a cost or latency problem."
        ),
        description=(
            "A FastAPI monolith at 50,000 RPS growing 5% a month extracts its CPU-heavy 40% "
            "into Go: when does the rewrite pay for itself?"
        ),
        narrative=(
            "The monolith is the current option; the target keeps 60% of the traffic in FastAPI "
            "(2 ms of CPU, 35 ms of I/O) and moves the CPU-heavy 40% (7 ms, 22.5 ms) to Go. "
            "The extraction takes 16 engineer-weeks over 3 months, then both run for a month "
            "before the old paths are switched off (our assumptions). The team of 6 knows "
            "Python and 2 of them know Go; the third Go seat is hired."
        ),
        finding=pattern_3_finding,
        migration=(0, 1, 16, 3, 1),
    ),
    *[
        Example(
            slug=f"{size}-{set_key}",
            title=f"{label} at {rps:,} RPS ({set_name} assumptions)",
            set_slug=set_slug,
            inputs={
                "peak_rps": str(rps),
                "growth_pct": "0",
                "app_cpu_ms": "2",
                "io_wait_ms": "30",
                "team_size": str(team),
                "knows_python": str(py),
                "knows_javascript": str(js),
                "knows_go": str(go),
                "stacks": ["express", "fastapi", "go"],
            },
            claim=(
                "A backend at 8,000 RPS peak runs equally well on FastAPI, Express or Go; one "
                "at 80,000 RPS does not."
            ),
            description=description,
            narrative=SCALE_NARRATIVE,
            finding=scale_finding,
        )
        for size, label, rps, team, py, js, go, description in (
            (
                "startup-8k",
                "A startup",
                8000,
                6,
                4,
                3,
                1,
                "6 backend engineers (4 know Python, 3 JavaScript, 1 Go) at a flat 8,000 RPS.",
            ),
            (
                "scaleup-80k",
                "A scale-up",
                80000,
                30,
                15,
                15,
                3,
                "30 backend engineers (15 know Python, 15 JavaScript, 3 Go) at a flat 80,000 RPS.",
            ),
        )
        for set_key, set_slug, set_name in (
            ("independent", "independent-2026", "independent"),
            ("seed-article", "seed-article-2026", "the article's"),
        )
    ],
    Example(
        slug="python-6-weeks-vs-go-14-weeks",
        title="Ship in Python sooner, or run Go cheaper? Where it flips",
        set_slug="independent-2026",
        inputs={
            "peak_rps": "10000",
            "growth_pct": "0",
            "app_cpu_ms": "2",
            "io_wait_ms": "30",
            "team_size": "8",
            "knows_python": "8",
            "knows_javascript": "0",
            "knows_go": "8",
            "cost_of_delay": "50000",
            "stacks": ["fastapi", "go"],
        },
        claim=(
            "A team that ships in Python in 6 weeks but pays 30% more on infrastructure usually "
            "wins against a team that ships in Go in 14 weeks."
        ),
        description=(
            "FastAPI against Go at 10,000 RPS when each month of later launch costs $50,000: "
            "who wins over 24 months, and at what traffic does it flip?"
        ),
        narrative=(
            "The trade-off is speed against running cost: the later launch is charged as a cost "
            "of delay of $50,000 a month (our assumption: revenue or savings the launch "
            "brings), and the infrastructure each stack needs is modelled from the set's "
            "throughput figures rather than taken as 30%. Weeks to first production API come "
            "from the assumption set, which has 1.5 weeks for FastAPI and 4.5 for Go (the "
            "midpoints of the article's own ranges), not the claim's 6 and 14; the finding "
            "gives both. The traffic at which the answer flips is found by bisection on peak "
            "RPS, everything else fixed."
        ),
        finding=ship_fast_finding,
    ),
]


def newest(set_slug: str) -> AssumptionSet:
    aset = AssumptionSet.objects.published().filter(slug=set_slug).order_by("-version").first()
    if aset is None:
        raise ExampleError(
            f"No published assumption set '{set_slug}': run `manage.py load_assumptions` first."
        )
    return aset


def load(example: Example, order: int) -> Scenario | None:
    """Save one example under its fixed slug; None if it is already there."""
    if Scenario.objects.filter(slug=example.slug).exists():
        return None
    aset = newest(example.set_slug)
    query = example.query(aset)
    base = compute(query, aset)
    if not base.ok:
        raise ExampleError(f"{example.slug}: {'; '.join(base.problems())}")
    migration = None
    if example.migration:
        i, j, effort, rewrite, overlap = example.migration
        names = [o.name for o in base.result.options]
        migration = engine.Migration(names[i], names[j], effort, rewrite, overlap)
    c = compute(query, aset, migration=migration)
    if not c.ok:
        raise ExampleError(f"{example.slug}: {'; '.join(c.problems())}")
    reported = {}
    if example.reported:
        names = [o.name for o in c.result.options]
        reported = {
            **example.reported,
            "current": names[0],
            "target": names[1],
            "explanation": example.explain(c) if example.explain else [],
        }
    return save_scenario(
        c,
        slug=example.slug,
        title=example.title,
        description=example.description,
        is_example=True,
        example_order=order,
        claim=example.claim,
        narrative=example.narrative,
        finding=example.finding(c) if example.finding else "",
        reported=reported,
    )
