"""What the model answers in a worked scenario, in words: one function per ``finding`` kind of
examples/*.json, each writing its sentences from the computed figures (and the parameters the
file gives it), so the words always match the pinned figures.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from costcalc import engine
from costcalc.engine.search import traffic_where_cheaper
from costcalc.text import about, money, number_text, per_month, percent

from .compute import Computation

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


def overview(result: engine.Result, *more: str) -> str:
    """The totals and the infrastructure in words, then ``more`` paragraphs."""
    return "\n\n".join([totals_sentence(result), infra_sentence(result), *more])


def option_named(result: engine.Result, start: str) -> engine.OptionResult:
    return next(o for o in result.options if o.name.startswith(start))


def containers(option: engine.OptionResult) -> int:
    """The instances an option runs in month 1."""
    return int(sum(s.instances[0] for s in option.services))


def capacity(c: Computation, option: engine.OptionResult, count: int) -> float:
    """The most peak RPS ``count`` instances of a single-stack option carry at target CPU."""
    inputs, inst = c.result.inputs, c.snapshot.instance(c.result.inputs.instance)
    billed = 1 if not inputs.autoscaling else inputs.avg_to_peak  # peak or average load
    cpu_s = option.services[0].cpu_seconds_per_request
    return count * inst.vcpu * inputs.target_utilisation_pct / 100 / cpu_s / billed


# --- A migration, beside the reported figures when a source gives them ---------------------------


def migration_finding(c: Computation, reported: dict, compare_fleet: int = 0, **_) -> str:
    r, m = c.result, c.migration
    before, after = m.current, m.target
    infra_before = float(before.categories["infrastructure"][0])
    infra_after = float(after.categories["infrastructure"][0])
    one_offs = m.rewrite_cost + after.totals["people"]
    stack = before.name.split(" ")[0]
    cut = infra_before - infra_after
    lines = [
        f"At list prices the {containers(before)} {stack} containers cost "
        f"{per_month(infra_before)} and the hybrid {per_month(infra_after)}: "
        f"{money(cut)} a month less ({percent(cut / infra_before * 100)})"
    ]
    if reported:
        saving = reported["before"] - reported["after"]
        lines[0] += (
            f", against the reported {money(saving)} ({percent(saving / reported['before'] * 100)})"
        )
    lines[0] += "."
    if compare_fleet:
        lines[0] += (
            f" {number_text(r.inputs.peak_rps)} requests per second at peak need "
            f"{containers(before)} of them; the reported {compare_fleet} carry at most "
            f"{number_text(round(capacity(c, before, compare_fleet)))} with these figures."
        )
    if m.break_even_month:
        verdict = (
            f"the migration breaks even in month {m.break_even_month} and saves "
            f"{money(m.saving)} over {len(r.months)} months"
        )
    else:
        verdict = (
            f"the migration does not pay for itself within {len(r.months)} months: migrating "
            f"costs {money(-m.saving)} more than staying"
        )
    lines.append(
        f"Moving costs {money(m.rewrite_cost)} of rewriting ({m.migration.effort_weeks:g} "
        f"engineer-weeks at {money(m.weekly_rate)}) and {money(after.totals['people'])} of "
        f"retraining the team into Go, so at list prices {verdict}."
    )
    if reported:
        saving = reported["before"] - reported["after"]
        lines.append(
            f"At the reported prices, a saving of {money(saving)} a month would repay "
            f"those {money(one_offs)} in about {one_offs / saving:.1f} months (a "
            "back-of-the-envelope figure: the model cannot price what the reported bill "
            "contains beyond instance-hours)."
        )
    return "\n\n".join(lines)


def reported_explanation(c: Computation, reported: dict) -> list[str]:
    """Why the reported figures and the modelled ones differ, from both."""
    r, m = c.result, c.migration
    before, after = m.current, m.target
    inst = c.snapshot.instance(r.inputs.instance)
    month = engine.HOURS_PER_MONTH * inst.price_per_hour.base
    fleet = reported["containers"]
    per_container = reported["before"] / fleet
    shares = ", ".join(
        f"{s.stack_name.split(' ')[0]} {percent(s.service.share * 100)} at "
        f"{number_text(s.service.app_cpu_ms)} ms of CPU"
        for s in after.services
    )
    express = before.services[0]
    return [
        f"The report implies {money(per_container)} per container-month "
        f"({money(reported['before'])} / {fleet}). At list price a container "
        f"of {inst.vcpu:g} vCPU and {inst.memory_gb:g} GB ({inst.name}) costs 730 h × "
        f"${inst.price_per_hour.base:g} = {money(month)} a month, so "
        f"{fleet} cost about {money(fleet * month)}; an EC2 instance "
        "of the same size costs about $130 a month. The reported bill is "
        f"{per_container / month:.0f} times the list price of the compute.",
        "So the reported figures must include costs the article does not name: databases, "
        "load balancers, data transfer, observability, support, reserved headroom or staff. "
        "The model prices instance-hours only, so its figures are the compute part of such a "
        f"bill; the reported {percent(100 - reported['after'] / reported['before'] * 100)} "
        "applies to the whole of it, which the model cannot check.",
        f"The split of traffic ({shares}, each with {number_text(r.inputs.io_wait_ms)} ms of "
        "I/O) is our assumption: the article gives none. So is the traffic, derived from the "
        f"reported {fleet} containers: with this set's figures each {express.stack_name} "
        f"request takes {express.cpu_seconds_per_request:.4f} vCPU-seconds, so {fleet} "
        f"containers at {percent(r.inputs.target_utilisation_pct)} CPU carry at most "
        f"{number_text(round(capacity(c, before, fleet)))} requests per second and "
        f"{fleet - 1} at most {number_text(round(capacity(c, before, fleet - 1)))}; "
        f"{number_text(r.inputs.peak_rps)} at peak needs exactly {containers(before)}.",
    ]


# --- Hybrid patterns ---------------------------------------------------------------------------


def hot_endpoints_finding(c: Computation, **_) -> str:
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
    return overview(
        r,
        f"Moving everything to Go would cut infrastructure by {money(go_cut)} over the "
        f"horizon; moving the hot endpoints alone cuts {money(hybrid_cut)} "
        f"({percent(hybrid_cut / go_cut * 100) if go_cut > 0 else 'none'} of that) {hiring}, "
        f"while Go alone needs {money(go.totals['people'])} of hiring.",
    )


def mix_by_team_finding(c: Computation, **_) -> str:
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
    return overview(
        r, f"The mix {how} than the cheapest single stack ({cheapest_single.name}): {why}."
    )


def extraction_finding(c: Computation, also_at_rps: float, **_) -> str:
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
    # The same extraction at other traffic: the pattern's "only where it pays".
    small = engine.compute(
        replace(c.form.inputs(), peak_rps=also_at_rps), c.form.options(), c.snapshot
    )
    small_m = engine.migrate(small, m.migration, c.snapshot)
    lines.append(
        f"At {number_text(also_at_rps)} requests per second instead, the same extraction "
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


# --- 8,000 against 80,000 RPS --------------------------------------------------------------------


def scale_finding(c: Computation, **_) -> str:
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


# --- Ship fast in Python, or run cheap in Go ------------------------------------------------

FLIP_LOW, FLIP_HIGH = 1.0, 10_000_000.0  # the calculator's bounds on peak RPS


def flip_traffic(c: Computation, snapshot: engine.Assumptions) -> float | None:
    """The peak RPS above which the second option costs less over the horizon than the first,
    every other input of ``c`` fixed, with ``snapshot``'s figures; None when neither overtakes
    the other within the calculator's bounds on peak RPS (the engine's search, to 0.1%)."""
    return traffic_where_cheaper(
        c.form.inputs(), c.form.options(), snapshot, low=FLIP_LOW, high=FLIP_HIGH
    )


def with_weeks(snapshot: engine.Assumptions, weeks: dict[str, float]) -> engine.Assumptions:
    stacks = dict(snapshot.stacks)
    for slug, value in weeks.items():
        figure = replace(stacks[slug].weeks_to_first_api, base=value, low=None, high=None)
        stacks[slug] = replace(stacks[slug], weeks_to_first_api=figure)
    return replace(snapshot, stacks=stacks)


def flip_finding(
    c: Computation, claimed_weeks: dict[str, float], claimed_premium_pct: float, **_
) -> str:
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
    claimed = with_weeks(c.snapshot, claimed_weeks)
    claimed_flip = flip_traffic(c, claimed)
    py, gw = claimed_weeks["fastapi"], claimed_weeks["go"]
    claimed_gap = gw - py
    claimed_delay = claimed_gap / (52 / 12) * delay
    premium = claimed_premium_pct / 100
    budget = claimed_delay / (premium * horizon)
    flip_text = (
        f"Go becomes the cheaper choice above about {about(flip)} requests per second at "
        "peak; below that, shipping first in Python wins."
        if flip
        else "Neither option overtakes the other anywhere in the calculator's range of traffic."
    )
    claimed_text = (
        f"about {about(claimed_flip)} requests per second" if claimed_flip else "no traffic"
    )
    return "\n\n".join(
        [
            f"With this set's figures FastAPI ships in {fastapi.weeks_to_first_api:g} weeks and "
            f"Go in {go.weeks_to_first_api:g}: Go launches {weeks_gap:g} weeks later, which "
            f"costs {money(go.totals['delay'])} at {per_month(delay)} of delay. At "
            f"{c.form.cleaned_data['peak_rps']:,.0f} requests per second FastAPI's "
            f"infrastructure is {ratio:.1f} times Go's, not {percent(claimed_premium_pct)} more: "
            f"{per_month(fastapi.categories['infrastructure'][0])} against "
            f"{per_month(go.categories['infrastructure'][0])}.",
            f"{winner.name} wins over {horizon} months, by "
            f"{money(abs(fastapi.horizon_total - go.horizon_total))}. {flip_text}",
            f"With the article's own {py:g} and {gw:g} weeks ({claimed_gap:g} weeks apart, worth "
            f"{money(claimed_delay)} of delay; a what-if, not a published set), the flip moves "
            f"to {claimed_text}. On the article's terms alone (Python "
            f"{percent(claimed_premium_pct)} dearer on infrastructure, {claimed_gap:g} weeks "
            f"sooner), Python wins over {horizon} months while Go's infrastructure bill stays "
            f"under {claimed_gap:g} / (52/12) × {money(delay)} / ({premium:g} × {horizon}) "
            f"= {per_month(budget)}.",
            "The whole team knows both languages here, so no option pays for hiring and only "
            "speed and infrastructure differ.",
        ]
    )


FINDINGS: dict[str, Callable[..., str]] = {
    "migration": migration_finding,
    "hot-endpoints": hot_endpoints_finding,
    "mix-by-team": mix_by_team_finding,
    "extraction": extraction_finding,
    "scale": scale_finding,
    "flip": flip_finding,
}
