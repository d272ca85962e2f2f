"""`manage.py tco FILE.json`: the calculator on the command line, for notebooks and pipelines.

It reads the same scenario JSON as POST /api/v1/calculate (docs/api.md) and prints the
comparison as a table, the monthly series as CSV, or the API's results JSON; with --insight,
what POST /api/v1/insight answers (the page's "What decides it"), as text or JSON. Errors go to
standard error, each with the JSON path of the value at fault, and the exit status is 1.
"""

from __future__ import annotations

import sys
from pathlib import Path

import orjson
from django.core.management.base import BaseCommand, CommandError
from pydantic import ValidationError

from costcalc import engine
from costcalc.scenarios.examples import by_name
from costcalc.scenarios.format import (
    AssumptionSetRef,
    Resolved,
    ScenarioError,
    dumps,
    insight_json,
    parse,
    path_text,
    pydantic_problems,
    resolve,
    results_json,
)
from costcalc.text import display, money, percent, present_value_label, shown_in, value_text

FORMATS = ("table", "csv", "json")


class Command(BaseCommand):
    help = (
        "Compare the options of a scenario (the JSON that POST /api/v1/calculate takes; see "
        "docs/api.md) over its horizon and print the result."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", help="A scenario JSON file; - reads standard input.")
        parser.add_argument(
            "--example",
            metavar="NAME",
            help="Run a worked example of the gallery, examples/NAME.json without its gallery "
            "fields (e.g. fintech-hybrid).",
        )
        parser.add_argument(
            "--format",
            choices=FORMATS,
            default="table",
            help="table: the comparison; csv: the monthly series of every option; "
            "json: the API's results JSON. Default: table.",
        )
        parser.add_argument(
            "--insight",
            action="store_true",
            help="What decides it, as on the page: the verdict, crossovers against traffic, "
            "P10/P50/P90 and the chance each option is cheapest, what flips the answer and "
            "the other set's answer (with --format json: POST /api/v1/insight's JSON).",
        )
        parser.add_argument(
            "--discount-rate",
            metavar="PCT",
            type=float,
            help="An annual discount rate, %%, in place of the file's inputs.discount_rate_pct: "
            "the totals and break-even also as present value.",
        )
        parser.add_argument(
            "--assumption-set",
            metavar="SLUG[@VERSION]",
            help="Use this published assumption set instead of the file's (newest version "
            "unless @VERSION is given).",
        )

    def handle(self, *args, **options):
        path, data = self.scenario_data(options["file"], options["example"])
        if options["discount_rate"] is not None and isinstance(data, dict):
            # Checked with the document, so a bad rate is reported at its path like any input.
            data = {**data, "inputs": {**data.get("inputs", {}), "discount_rate_pct": options[
                "discount_rate"]}}  # fmt: skip
        if options["insight"] and options["format"] == "csv":
            raise CommandError("--insight prints a table or JSON, not CSV.")
        try:
            scenario = parse(data)
            override = set_ref(options["assumption_set"])
            resolved = resolve(scenario, override)
            # In the scenario's currency, as the page and the API show it: the amounts and the
            # sentences (JSON amounts stay US dollars, with the rate beside them, as the API's).
            with shown_in(resolved.display):
                if options["insight"]:
                    found = insight_json(resolved)
                else:
                    result = resolved.compute()
        except ScenarioError as error:
            lines = [f"  {path_text(e['loc'])}: {e['msg']}" for e in error.errors]
            message = f"{path}: the scenario can't be computed:\n" + "\n".join(lines)
            raise CommandError(message) from None
        with shown_in(resolved.display):
            if options["insight"]:
                if options["format"] == "json":
                    self.stdout.write(dumps(found, indent=True).decode())
                else:
                    self.stdout.write(insight_text(found))
            elif options["format"] == "json":
                self.stdout.write(dumps(results_json(resolved, result), indent=True).decode())
            elif options["format"] == "csv":
                frame = result.monthly_frame()
                self.stdout.write(frame.to_csv(index=False, float_format="%.2f"), ending="")
            else:
                self.stdout.write(table(resolved, result))

    def scenario_data(self, file: str | None, example: str | None):
        """Where the scenario comes from, for messages, and its decoded JSON."""
        if bool(file) == bool(example):
            raise CommandError("Give a scenario file or --example NAME (one of them).")
        if file:
            return file, self.read(file)
        examples = by_name()
        if example not in examples:
            there_are = ", ".join(sorted(examples))
            raise CommandError(f"There is no example called '{example}' (there are: {there_are}).")
        found = examples[example]
        return f"{found.path.parent.name}/{found.path.name}", found.document()

    def read(self, path: str):
        try:
            raw = sys.stdin.buffer.read() if path == "-" else Path(path).read_bytes()
        except OSError as error:
            raise CommandError(f"Can't read {path}: {error.strerror or error}") from None
        try:
            return orjson.loads(raw)
        except orjson.JSONDecodeError as error:
            raise CommandError(f"{path} is not JSON: {error}") from None


def set_ref(text: str | None) -> AssumptionSetRef | None:
    """--assumption-set's "slug" or "slug@version", checked like a scenario's assumption_set."""
    if not text:
        return None
    slug, at, version = text.partition("@")
    data = {"slug": slug}
    if at:
        data["version"] = int(version) if version.isdigit() else version
    try:
        return AssumptionSetRef.model_validate(data)
    except ValidationError as error:
        problems = pydantic_problems(error)
        for p in problems:
            p["loc"] = ["--assumption-set", *p["loc"]]
        raise ScenarioError(problems) from None


def share_cell(share: float | None) -> str:
    return "–" if share is None else percent(share * 100, 1)


def table(resolved: Resolved, result: engine.Result) -> str:
    """The comparison as an aligned text table: one column per option, the baseline first."""
    horizon = len(result.months)
    snap = resolved.snapshot
    rows: list[tuple[str, list[str]]] = []
    for category in result.categories:
        label = engine.CATEGORY_LABELS[category]
        rows.append((label, [money(o.totals[category]) for o in result.options]))
    rows.append((f"Total over {horizon} months", [money(o.horizon_total) for o in result.options]))
    rows.append(("Saving vs baseline", [saving(o, result) for o in result.options]))
    rows.append(("Break-even month", [break_even(o, result, horizon) for o in result.options]))
    if rate := result.inputs.discount_rate_pct:
        pv = present_value_label(rate)
        rows.append((f"Total, {pv}", [money(o.present_total) for o in result.options]))
        rows.append((f"Break-even, {pv}", [break_even(o, result, horizon, present=True)
                                          for o in result.options]))  # fmt: skip
    rows.append(
        ("Infra per 100K RPS per month", [money(o.infra_per_100k_rps) for o in result.options])
    )
    shares = [o.framework_share for o in result.options]
    if any(x is not None for x in shares):  # with platform lines: the framework's share
        rows.append(("Framework's share of infra", [share_cell(x) for x in shares]))
    rows.append(("Weeks to first API", [f"{o.weeks_to_first_api:g}" for o in result.options]))

    header = ("", [o.name for o in result.options])
    label_width = max(len(label) for label, _ in [header, *rows])
    widths = [
        max(len(cells[i]) for _, cells in [header, *rows]) for i in range(len(result.options))
    ]

    def line(label: str, cells: list[str]) -> str:
        text = label.ljust(label_width)
        for cell, width in zip(cells, widths, strict=True):
            text += "  " + cell.rjust(width)
        return text.rstrip()

    first, last = result.peak_rps[0], result.peak_rps[-1]
    lines = [
        f"Assumption set: {snap.name} v{snap.version} ({snap.slug}, as of {snap.as_of})",
        f"Peak load: {first:,.0f} RPS in month 1, {last:,.0f} RPS in month {horizon}",
        *currency_line(),
        "",
        line(*header),
        *(line(label, cells) for label, cells in rows),
        "",
        f"Cheapest over {horizon} months: {result.cheapest.name}",
        *(f"Note: {note}" for note in result.notes),
    ]
    return "\n".join(lines)


def saving(option: engine.OptionResult, result: engine.Result) -> str:
    if option is result.baseline:
        return "baseline"
    return f"{money(option.saving_vs_baseline)} ({option.saving_pct:+.1f}%)"


def break_even(
    option: engine.OptionResult, result: engine.Result, horizon: int, present: bool = False
) -> str:
    if option is result.baseline:
        return "-"
    month = option.present_break_even_month if present else option.break_even_month
    if month is None:
        return f"not within {horizon}"
    return f"month {month}"


def currency_line() -> list[str]:
    """The display currency's note, when the amounts are not in US dollars."""
    shown = display()
    return [shown.note] if shown.converted else []


def insight_text(found: dict) -> str:
    """The insight JSON as the page's panel reads: its figures, as the page formats them."""
    horizon = found["horizon"]
    aset = found["assumption_set"]
    traffic, mc, torn = found["traffic"], found["uncertainty"], found["tornado"]
    lines = [
        f"Assumption set: {aset['name']} v{aset['version']} ({aset['slug']}, as of "
        f"{aset['as_of']})",
        *currency_line(),
        "",
        *found["verdict"],
        "",
        "Cost against traffic (everything else as given, your traffic "
        f"{traffic['your_rps']:,.0f} RPS):",
    ]
    if traffic["crossovers"]:
        lines += [f"  {c['label']}." for c in traffic["crossovers"]]
    elif traffic["cheapest_throughout"] and len(mc["options"]) > 1:
        low, high = traffic["rps"][0], traffic["rps"][-1]
        lines.append(
            f"  {traffic['cheapest_throughout']} is the cheapest option all the way from "
            f"{low:,.0f} to {high:,.0f} peak RPS."
        )
    lines += [
        "",
        f"How sure ({mc['draws']:,} simulated cases, seed {mc['seed']}), total over "
        f"{horizon} months:",
    ]
    header = ["P10", "Base", "P90", "Cheapest in"]
    rows = [
        [
            o["name"],
            money(o["p10"]),
            money(o["base"]),
            money(o["p90"]),
            f"{o['p_cheapest'] * 100:.1f}%",
        ]
        for o in mc["options"]
    ]
    lines += aligned(["", *header], rows)
    if torn is not None and torn["bars"]:
        lines += [
            "",
            f"What flips it: {torn['leader']} minus {torn['runner_up']} "
            f"({money(torn['base_difference'])} at base), one assumption at each end:",
        ]
        lines += aligned(
            ["", "Base", "Low end", "High end", "Flips the order"],
            [
                [
                    bar["assumption"],
                    value_text(bar["base"], bar["unit"]),
                    money(bar["difference_at_low"]),
                    money(bar["difference_at_high"]),
                    bar["flip"] or "no",
                ]
                for bar in torn["bars"]
            ],
            left_last=True,
        )
    if found["hosting"]:
        lines += ["", f"Instances, containers or functions (total over {horizon} months):"]
        lines += aligned(
            ["", "Instances", "Containers", "Functions", "Containers or functions"],
            [
                [
                    h["name"],
                    *(money(h["totals"][m]) for m in ("instances", "containers", "functions")),
                    h["label"],
                ]
                for h in found["hosting"]
            ],  # fmt: skip
            left_last=True,
        )
    sets = found["assumption_sets"]
    if sets["sets"]:
        lines += ["", "Under each shipped assumption set:"]
        for s in sets["sets"]:
            answer = s["error"] or f"{s['cheapest']} is cheapest"
            in_use = " (in use)" if s["in_use"] else ""
            lines.append(f"  {s['name']}{in_use}: {answer}")
        if sets["same_answer"] is not None:
            lines.append("  Same answer." if sets["same_answer"] else "  A different answer.")
    return "\n".join(lines)


def aligned(header: list[str], rows: list[list[str]], *, left_last: bool = False) -> list[str]:
    """Rows under a header: the first column left-aligned, the others right-aligned (the last
    left-aligned too with ``left_last``, for words)."""
    table_rows = [header, *rows]
    widths = [max(len(r[i]) for r in table_rows) for i in range(len(header))]
    last = len(header) - 1

    def cell(i: int, text: str) -> str:
        return (
            text.ljust(widths[i]) if i == 0 or (left_last and i == last) else text.rjust(widths[i])
        )

    return [
        ("  " + "  ".join(cell(i, text) for i, text in enumerate(row))).rstrip()
        for row in table_rows
    ]
