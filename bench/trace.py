"""Where an edit's main-thread time goes, from a Chrome performance trace: `make trace-edit`.

Serves `/` as `make run` does (bench/browser.py's make_run), loads it at 1280x900 with the
charts in view, as bench/browser.py does, then records a trace (CDP Tracing, the categories
DevTools' Performance panel records, with its JavaScript sampler) of a few edits of the peak
traffic and prints, for each edit's longest main-thread task, its time by kind of work:
script (by the function at the top of the stack, in the file it comes from), style
recalculation, layout, HTML parsing, paint and the rest. Far less load-sensitive than a task's
wall time: it says what the task did, not how long a busy machine took to do it.

    .venv/bin/python bench/trace.py [--edits 3] [--cpu 1] [--save trace.json]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from browser import edit_peak, make_run, open_calculator  # noqa: E402 - after the path

from tests.browser import CHROMIUM, CHROMIUM_ARGS  # noqa: E402

CATEGORIES = [
    "devtools.timeline",
    "disabled-by-default-devtools.timeline",
    "disabled-by-default-devtools.timeline.frame",
    "v8.execute",
    "blink.user_timing",
    "disabled-by-default-v8.cpu_profiler",
]
WRAP_REACT = """() => {
  const react = window.Plotly.react;
  window.__react = [];
  window.Plotly.react = function (node) {
    const t = performance.now();
    const out = react.apply(this, arguments);
    window.__react.push([node.id, t, performance.now() - t]);
    return out;
  };
}"""
TASKS = ("RunTask", "ThreadControllerImpl::RunTask")
# Trace events by the kind of work they are (DevTools' own grouping).
KINDS = {
    "ParseHTML": "parse HTML",
    "UpdateLayoutTree": "style",
    "RecalculateStyles": "style",
    "Layout": "layout",
    "Paint": "paint",
    "PrePaint": "paint",
    "Layerize": "paint",
    "UpdateLayer": "paint",
    "CompositeLayers": "paint",
    "Commit": "paint",
    "HitTest": "layout",
    "MinorGC": "garbage collection",
    "MajorGC": "garbage collection",
    "V8.GC_SCAVENGER": "garbage collection",
    "V8.GC_MC_BACKGROUND_MARKING": "garbage collection",
    "EvaluateScript": "script",
    "v8.compile": "script (compile)",
    "v8.compileModule": "script (compile)",
    "FunctionCall": "script",
    "TimerFire": "script",
    "EventDispatch": "script",
    "FireAnimationFrame": "script",
    "XHRReadyStateChange": "script",
    "XHRLoad": "script",
    "v8.run": "script",
}


def main_thread(events: list[dict]) -> tuple[int, int]:
    for e in events:
        if e.get("name") == "thread_name" and e["args"]["name"] == "CrRendererMain":
            return e["pid"], e["tid"]
    raise SystemExit("no renderer main thread in the trace")


def self_times(events: list[dict], start: float, end: float) -> dict[str, float]:
    """Self time (ms) of each kind of work between start and end (µs), by nesting."""
    spans = sorted(
        (e for e in events if e.get("ph") == "X" and start <= e["ts"] < end and "dur" in e),
        key=lambda e: (e["ts"], -e["dur"]),
    )
    out: dict[str, float] = defaultdict(float)
    stack: list[tuple[float, str]] = []  # (end, kind)

    def credit(kind: str, us: float) -> None:
        out[kind] += us / 1000

    cursor = start
    for e in spans:
        while stack and stack[-1][0] <= e["ts"]:
            top_end, kind = stack.pop()
            credit(kind, top_end - cursor)
            cursor = top_end
        kind = KINDS.get(e["name"])
        if kind is None:
            kind = stack[-1][1] if stack else "other"
        if stack:
            credit(stack[-1][1], e["ts"] - cursor)
        cursor = e["ts"]
        stack.append((e["ts"] + e["dur"], kind))
    while stack:
        top_end, kind = stack.pop()
        credit(kind, top_end - cursor)
        cursor = top_end
    return out


def samples(events: list[dict], pid: int, tid: int) -> list[tuple[float, str]]:
    """The sampler's (time µs, function @ file) of the main thread."""
    nodes: dict[int, dict] = {}
    out = []
    starts = {
        e["id"]: e["args"]["data"]["startTime"]
        for e in events
        if e.get("name") == "Profile" and e["pid"] == pid and e["tid"] == tid
    }
    times = dict(starts)
    for e in events:
        if e.get("name") != "ProfileChunk" or e.get("id") not in starts:
            continue
        data = e["args"]["data"]
        cpu = data.get("cpuProfile", {})
        for node in cpu.get("nodes", []):
            frame = node["callFrame"]
            url = frame.get("url", "").rsplit("/", 1)[-1].split("?")[0]
            function = frame.get("functionName") or "(anonymous)"
            nodes[node["id"]] = {
                "name": f"{function} @ {url or frame.get('codeType', '')}",
                "parent": node.get("parent"),
            }
        for sample, delta in zip(cpu.get("samples", []), data.get("timeDeltas", []), strict=False):
            times[e["id"]] += delta
            out.append((times[e["id"]], sample))
    return [(t, nodes.get(s, {}).get("name", "?"), s, nodes) for t, s in out]


def by_file(sampled, start: float, end: float) -> dict[str, float]:
    """Share of the JavaScript samples in [start, end) by script file, and by function."""
    files: dict[str, int] = defaultdict(int)
    functions: dict[str, int] = defaultdict(int)
    n = 0
    for t, name, _node, _nodes in sampled:
        if start <= t < end and not name.startswith(("(idle)", "(program)", "(root)")):
            n += 1
            files[name.rsplit(" @ ", 1)[-1]] += 1
            functions[name] += 1
    return n, files, functions


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--edits", type=int, default=3)
    parser.add_argument("--cpu", type=int, default=1, help="CPU throttling rate")
    parser.add_argument("--save", type=Path, help="write the trace here (DevTools opens it)")
    parser.add_argument("--url", help="a server already running, instead of make run")
    args = parser.parse_args()
    from contextlib import nullcontext

    from playwright.sync_api import sync_playwright

    workdir = Path(tempfile.mkdtemp(prefix="costcalc-trace-"))
    serve = nullcontext(args.url) if args.url else make_run(workdir)
    with serve as url, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context, page, _ = open_calculator(browser, url)
        # Each chart's Plotly.react, timed: its synchronous part is the task's chart work.
        page.evaluate(WRAP_REACT)
        cdp = context.new_cdp_session(page)
        cdp.send("Emulation.setCPUThrottlingRate", {"rate": args.cpu})
        browser.start_tracing(page=page, categories=CATEGORIES)
        peak, marks = 6000, []
        for _ in range(args.edits):
            peak += 1000
            marks.append(edit_peak(page, peak, args.cpu))
        reacts = page.evaluate("window.__react")
        trace = json.loads(browser.stop_tracing())
        browser.close()
    if args.save:
        args.save.write_text(json.dumps(trace))
    events = trace["traceEvents"] if isinstance(trace, dict) else trace
    pid, tid = main_thread(events)
    mine = [e for e in events if e.get("pid") == pid and e.get("tid") == tid]
    tasks = sorted(
        (e for e in mine if e.get("name") in TASKS and e.get("ph") == "X"),
        key=lambda e: e["ts"],
    )
    sampled = samples(events, pid, tid)
    # The edits in trace time: from each one's mark to the next (or the trace's end).
    starts = sorted(e["ts"] for e in events if e.get("name") == "costcalc-edit")
    bounds = list(zip(starts, [*starts[1:], float("inf")], strict=True))
    edits = [[t for t in tasks if a <= t["ts"] < b] for a, b in bounds]
    print(
        "Plotly.react per chart (ms, synchronous): "
        + ", ".join(f"{name} {ms:.0f}" for name, _t, ms in reacts)
    )
    for n, edit in enumerate(edits, 1):
        long = [t for t in edit if t["dur"] > 50_000]
        worst = max(edit, key=lambda t: t["dur"])
        busy = sum(t["dur"] for t in edit) / 1000
        print(
            f"edit {n}: {len(edit)} tasks, {busy:.0f} ms busy, {len(long)} over 50 ms, "
            f"longest {worst['dur'] / 1000:.1f} ms; the tasks over 10 ms: "
            + ", ".join(f"{t['dur'] / 1000:.0f}" for t in edit if t["dur"] > 10_000)
        )
        for task in sorted(edit, key=lambda t: -t["dur"])[:3]:
            if task["dur"] < 20_000:
                break
            s, e = task["ts"], task["ts"] + task["dur"]
            kinds = self_times(mine, s, e)
            print(f"  task of {task['dur'] / 1000:.1f} ms:")
            for kind, ms in sorted(kinds.items(), key=lambda kv: -kv[1]):
                if ms >= 0.5:
                    print(f"    {kind:<22} {ms:6.1f} ms")
            count, files, functions = by_file(sampled, s, e)
            if count:
                top = sorted(files.items(), key=lambda kv: -kv[1])[:4]
                shares = ", ".join(f"{f} {c / count:.0%}" for f, c in top)
                print("    JS samples by file: " + shares)
                top = sorted(functions.items(), key=lambda kv: -kv[1])[:6]
                print("    by function: " + ", ".join(f"{f} {c / count:.0%}" for f, c in top))


if __name__ == "__main__":
    main()
