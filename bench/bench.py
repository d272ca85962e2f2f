"""Benchmark the calculator as production runs it, by hand: `make bench` (`PROFILE=1` to profile).

Starts gunicorn with production settings on a free loopback port, loads each path with wrk
(or a Python client when wrk is missing) for a bounded time, and prints requests per second,
p50 and p99 latency, page weight, worker memory and start-up time against the budgets of the
performance issue. Its last line is `recalc/healthz throughput ratio: R`.
"""

from __future__ import annotations

import argparse
import gzip
import http.client
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from costcalc.serve import free_port, get, prepare, production_env, start_gunicorn, stop

ROOT = Path(__file__).resolve().parent.parent
HTMX_HEADERS = {"HX-Request": "true", "HX-Target": "results", "HX-Trigger": "calc-form"}
# Every request says what a browser says: compressed answers are part of the cost.
ACCEPT = {"Accept-Encoding": "gzip, deflate, br"}
RECALC = "recalculation, 3 options (htmx)"
# The performance issue's recalculation compares three options; the calculator's default
# compares four (three stacks and a hybrid of two), measured beside it.
THREE_OPTIONS = "/?stacks=express&stacks=fastapi&stacks=go&mix=&"
SHARED = "shared scenario page"
# Each wrk thread seeds its own generator, so that two threads do not send the same paths.
WRK_SEEDED = """
local seed = 0
function setup(thread)
  seed = seed + 1
  thread:set("seed", seed)
end
function init(args)
  math.randomseed(seed * 7919 + os.time())
end
"""
WRK_RECALC = (
    WRK_SEEDED
    + """
local n = 0
request = function()
  n = n + 1
  local path = string.format(
    "PREFIXpeak_rps=%d&growth_pct=%.1f&app_cpu_ms=%.2f&io_wait_ms=%d&team_size=%d",
    math.random(1000, 2000000), math.random() * 20 - 5, math.random() * 20,
    math.random(0, 400), math.random(8, 60))
  return wrk.format("GET", path, {["HX-Request"]="true", ["HX-Target"]="TARGET",
                                  ["HX-Trigger"]="TRIGGER",
                                  ["Accept-Encoding"]="gzip, deflate, br"})
end
"""
)


@dataclass
class Load:
    name: str
    rps: float
    p50_ms: float
    p99_ms: float
    errors: int
    requests: int


def worker_rss_mb(master_pid: int) -> list[float]:
    children = subprocess.run(
        ["pgrep", "-P", str(master_pid)], capture_output=True, text=True
    ).stdout.split()
    sizes = []
    for pid in children:
        status = Path(f"/proc/{pid}/status")
        if status.exists():
            match = re.search(r"VmRSS:\s+(\d+) kB", status.read_text())
            if match:
                sizes.append(int(match.group(1)) / 1024)
    return sizes


def run_wrk(
    port: int,
    name: str,
    path: str,
    seconds: int,
    connections: int,
    headers: dict | None = None,
    script: str | None = None,
) -> Load:
    command = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", "--timeout", "5s"]
    for key, value in (headers or {}).items():
        command += ["-H", f"{key}: {value}"]
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as lua:
        lua.write(script or "")
    if script:
        command += ["-s", lua.name]
    output = subprocess.run(
        [*command, f"http://127.0.0.1:{port}{path}"], capture_output=True, text=True, check=True
    ).stdout
    os.unlink(lua.name)

    def latency(label: str) -> float:
        value, unit = re.search(rf"{label}\s+([\d.]+)(us|ms|s)", output).groups()
        return float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit]

    errors = 0
    for pattern in (
        r"Non-2xx or 3xx responses: (\d+)",
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)",
    ):
        match = re.search(pattern, output)
        if match:
            errors += sum(int(g) for g in match.groups())
    return Load(
        name=name,
        rps=float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        p50_ms=latency("50%"),
        p99_ms=latency("99%"),
        errors=errors,
        requests=int(re.search(r"(\d+) requests in", output).group(1)),
    )


def run_python(
    port: int, name: str, paths, seconds: int, connections: int, headers: dict | None = None
) -> Load:
    """A bounded closed-loop client for machines without wrk: one thread per connection."""
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()
    stop = time.perf_counter() + seconds

    def worker(seed: int) -> None:
        nonlocal errors
        rng = random.Random(seed)
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        mine, bad = [], 0
        while time.perf_counter() < stop:
            path = paths(rng) if callable(paths) else paths
            t = time.perf_counter()
            try:
                conn.request("GET", path, headers=headers or {})
                response = conn.getresponse()
                response.read()
                if response.status != 200:
                    bad += 1
            except OSError:
                bad += 1
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            mine.append(time.perf_counter() - t)
        with lock:
            latencies.extend(mine)
            errors += bad

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(connections)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - started
    ordered = sorted(latencies)
    return Load(
        name=name,
        rps=len(ordered) / elapsed,
        p50_ms=statistics.median(ordered) * 1000,
        p99_ms=ordered[int(len(ordered) * 0.99) - 1] * 1000,
        errors=errors,
        requests=len(ordered),
    )


def wrk_script(prefix: str, target: str, trigger: str) -> str:
    return (
        WRK_RECALC.replace("PREFIX", prefix).replace("TARGET", target).replace("TRIGGER", trigger)
    )


def random_recalc_path(rng: random.Random, prefix: str = "/?") -> str:
    return (
        f"{prefix}peak_rps={rng.randint(1000, 2_000_000)}&growth_pct={rng.uniform(-5, 15):.1f}"
        f"&app_cpu_ms={rng.uniform(0, 20):.2f}&io_wait_ms={rng.randint(0, 400)}"
        f"&team_size={rng.randint(8, 60)}"
    )


def decompress(body: bytes, encoding: str) -> bytes:
    if encoding == "gzip":
        return gzip.decompress(body)
    if encoding == "br":
        import brotli

        return brotli.decompress(body)
    return body


def page_weight(port: int) -> tuple[int, int, list[tuple[str, int, str]]]:
    """Bytes a browser receives for / on a first visit and a repeat visit (assets cached)."""
    accept = ACCEPT
    status, body, headers = get(port, "/", accept)
    assert status == 200, status
    html_bytes = len(body)
    html = decompress(body, headers.get("Content-Encoding", ""))
    assets = re.findall(rb'(?:src|href)="(/static/[^"]+)"', html)
    rows = [("/ (HTML)", html_bytes, headers.get("Content-Encoding", "identity"))]
    total = html_bytes
    for asset in dict.fromkeys(a.decode() for a in assets):
        status, content, asset_headers = get(port, asset, accept)
        assert status == 200, (asset, status)
        cache = asset_headers.get("Cache-Control", "")
        rows.append(
            (asset, len(content), f"{asset_headers.get('Content-Encoding', 'identity')}; {cache}")
        )
        total += len(content)
    # The page then asks for its decision panel: dynamic, so fetched on every visit.
    fragments = 0
    for fragment in re.findall(rb'hx-get="(/insight/[^"]*)"', html):
        status, content, fragment_headers = get(
            port, fragment.decode().replace("&amp;", "&"), {**accept, **HTMX_HEADERS}
        )
        assert status == 200, (fragment, status)
        rows.append(
            (fragment.decode(), len(content), fragment_headers.get("Content-Encoding", "identity"))
        )
        fragments += len(content)
    # Hashed static files are served "immutable" for a year: a repeat visit fetches the HTML
    # and the fragments.
    return total + fragments, html_bytes + fragments, rows


def profile(env: dict, rounds: int) -> None:
    """Where a recalculation's server time goes, stage by stage, measured in this process."""
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.http import QueryDict
    from django.template.loader import render_to_string
    from django.test import RequestFactory
    from django.utils.text import compress_string
    from django_htmx.middleware import HtmxDetails

    from costcalc import engine
    from costcalc.assumptions.selectors import choose_set, published_sets, set_choices
    from costcalc.assumptions.snapshot import snapshot
    from costcalc.calculator.forms import CalculatorForm
    from costcalc.calculator.present import present

    rng = random.Random(1)
    factory = RequestFactory()
    names = ("sets + snapshot", "form", "engine", "present + charts", "template", "gzip")
    stages = {name: [] for name in names}
    for _ in range(rounds):
        path = random_recalc_path(rng, THREE_OPTIONS)
        request = factory.get(path, headers=HTMX_HEADERS)
        request.htmx = HtmxDetails(request)
        t0 = time.perf_counter()
        sets = published_sets()
        aset = choose_set(sets, None)
        snap = snapshot(aset)
        t1 = time.perf_counter()
        query = QueryDict(path[2:])
        form = CalculatorForm.from_query(query, snapshot=snap, set_choices=set_choices(sets))
        assert form.is_valid(), form.errors
        t2 = time.perf_counter()
        result = engine.compute(form.inputs(), form.options(), snap, explain=False)
        t3 = time.perf_counter()
        results = present(result, snap, deferred_query=query.urlencode())
        t4 = time.perf_counter()
        html = render_to_string(
            "calculator/page.html#results",
            {"form": form, "aset": aset, "results": results},
            request=request,
        )
        t5 = time.perf_counter()
        compress_string(html.encode(), max_random_bytes=100)  # as GZipMiddleware does
        t6 = time.perf_counter()
        times = (t0, t1, t2, t3, t4, t5, t6)
        for name, start, end in zip(names, times, times[1:], strict=False):
            stages[name].append((end - start) * 1000)
    total = sum(statistics.median(v) for v in stages.values())
    print(f"\nprofile of {rounds} recalculations, 3 options, in this process (ms per request):")
    print(f"  {'stage':<18} {'median':>7} {'mean':>7} {'share':>7}")
    for name, values in stages.items():
        median = statistics.median(values)
        print(f"  {name:<18} {median:7.2f} {statistics.mean(values):7.2f} {median / total:7.1%}")
    print(f"  {'total':<18} {total:7.2f}")
    print("  (the rest of a request is Django's middleware and gunicorn, as for /healthz)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=10, help="per path (at most 60)")
    parser.add_argument("--connections", type=int, default=10, help="at most 50")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--profile", action="store_true", help="also profile a recalculation")
    parser.add_argument("--python-client", action="store_true", help="do not use wrk")
    args = parser.parse_args()
    seconds = max(1, min(args.seconds, 60))
    connections = max(1, min(args.connections, 50))

    workdir = Path(tempfile.mkdtemp(prefix="costcalc-bench-"))
    db_url = os.environ.get("DATABASE_URL") or f"sqlite:///{workdir / 'bench.sqlite3'}"
    env = production_env(db_url)
    prepare(env)
    port = free_port()
    proc, startup = start_gunicorn(env, port, args.workers)
    use_wrk = shutil.which("wrk") and not args.python_client
    try:
        first_visit, repeat_visit, rows = page_weight(port)
        # (name, path prefix, htmx target and trigger, or None for a plain page view)
        paths = [
            ("/healthz", "/healthz", None),
            (RECALC, THREE_OPTIONS, ("results", "calc-form")),
            ("recalculation, 4 options (the default)", "/?", ("results", "calc-form")),
            ("calculator first page", "/", None),
            (SHARED, "/s/fintech-hybrid/", None),  # a worked example's shared page
            # Fetched after a recalculation only when seen or opened; no budget, shown so
            # that the whole cost of a change of input is in view.
            ("decision panel (when scrolled to)", "/insight/?", ("insight", "insight")),
            ("monthly table (when opened)", "/monthly/?", ("monthly", "monthly")),
        ]
        loads = []
        for name, path, htmx in paths:
            if use_wrk:
                script = wrk_script(path, *htmx) if htmx else None
                loads.append(run_wrk(port, name, path, seconds, connections, ACCEPT, script=script))
            else:
                headers = {**ACCEPT, **(HTMX_HEADERS if htmx else {})}
                target = partial(random_recalc_path, prefix=path) if htmx else path
                loads.append(run_python(port, name, target, seconds, connections, headers))
        rss = worker_rss_mb(proc.pid)
    finally:
        stop(proc)

    client = "wrk" if use_wrk else "python client"
    print(
        f"\ncostcalc bench: gunicorn x{args.workers} (production settings), {client}, "
        f"{connections} connections, {seconds} s per path, {os.cpu_count()} CPUs"
    )
    print(f"{'path':<40} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'errors':>7} {'requests':>9}")
    for load in loads:
        print(
            f"{load.name:<40} {load.rps:>9.1f} {load.p50_ms:>8.2f} {load.p99_ms:>8.2f} "
            f"{load.errors:>7} {load.requests:>9}"
        )
    print("\npage weight of / (compressed, as a browser receives it):")
    for path, size, how in rows:
        print(f"  {size / 1024:9.1f} KB  {path}  [{how}]")
    print(f"  first visit {first_visit / 1024:.1f} KB; repeat visit {repeat_visit / 1024:.1f} KB")

    by_name = {load.name: load for load in loads}
    healthz, recalc, shared = by_name["/healthz"], by_name[RECALC], by_name[SHARED]
    ratio = recalc.rps / healthz.rps
    shared_ratio = shared.rps / healthz.rps
    checks = [
        ("shared page throughput >= 50% of /healthz", shared_ratio >= 0.5, f"{shared_ratio:.0%}"),
        ("recalc throughput >= 25% of /healthz", ratio >= 0.25, f"{ratio:.0%}"),
        ("recalc p99 <= 40 ms", recalc.p99_ms <= 40, f"{recalc.p99_ms:.1f} ms"),
        ("first visit <= 400 KB", first_visit <= 400 * 1024, f"{first_visit / 1024:.1f} KB"),
        ("repeat visit <= 25 KB", repeat_visit <= 25 * 1024, f"{repeat_visit / 1024:.1f} KB"),
        (
            "worker RSS <= 150 MB",
            bool(rss) and max(rss) <= 150,
            ", ".join(f"{r:.0f} MB" for r in rss),
        ),
        ("start to first answer <= 3 s", startup <= 3, f"{startup:.2f} s"),
        (
            "zero errors",
            all(load.errors == 0 for load in loads),
            str(sum(load.errors for load in loads)),
        ),
    ]
    print("\nbudgets:")
    for label, ok, figure in checks:
        print(f"  [{'ok' if ok else 'MISSED'}] {label}: {figure}")
    if args.profile:
        profile(env, rounds=300)
    shutil.rmtree(workdir, ignore_errors=True)
    print(f"recalc/healthz throughput ratio: {ratio:.2f}")


if __name__ == "__main__":
    main()
