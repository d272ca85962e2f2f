"""A bounded load test, run by hand: `make load`.

The production setup of `make serve` on loopback (nginx in front of gunicorn's sync workers,
production settings, a SQLite file database), loaded in three phases, each bounded in time
and connections, traffic to 127.0.0.1 only:

1. mixed: at most 60 s over at most 50 connections, page views, recalculations, assumption
   pages and share-link reads; requests, errors and latency percentiles.
2. slow clients: 50 connections each sending a header line every 5 s (never finishing their
   request) while /healthz is asked every 2 s; first straight at gunicorn, as docs/deploy.md
   used to bind it, then through nginx. Through nginx every /healthz must answer.
3. concurrent saves: 200 saves (POST /api/v1/scenarios) from 40 clients at once, through
   nginx; every one must answer 201. The save limit (10 a minute per client, and all clients
   here are 127.0.0.1) is lifted for this run with DJANGO_RATE_LIMITS=share=100000.

Zero errors is the bar: it exits non-zero otherwise.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import os
import random
import shutil
import socket
import statistics
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench import (  # noqa: E402 - the sibling module, found through the path set above
    HTMX_HEADERS,
    WRK_SEEDED,
    random_recalc_path,
    run_python,
    run_wrk,
)
from costcalc.serve import (  # noqa: E402
    ROOT,
    behind_nginx,
    free_port,
    get,
    prepare,
    production_env,
)

SLOW_CONNECTIONS = 50
SLOW_LINE_EVERY = 5.0  # seconds between a slow client's header lines
PROBE_EVERY = 2.0  # seconds between /healthz probes
SAVES, SAVERS = 200, 40

MIXED = (
    WRK_SEEDED
    + """
local share = "%(share)s"
request = function()
  local r = math.random()
  if r < 0.45 then
    local path = string.format(
      "/?peak_rps=%%d&growth_pct=%%.1f&io_wait_ms=%%d&team_size=%%d",
      math.random(1000, 2000000), math.random() * 20 - 5, math.random(0, 400),
      math.random(8, 60))
    return wrk.format("GET", path, {["HX-Request"]="true", ["HX-Target"]="results",
                                    ["HX-Trigger"]="calc-form"})
  elseif r < 0.65 then
    return wrk.format("GET", "/")
  elseif r < 0.80 and share ~= "" then
    return wrk.format("GET", share)
  elseif r < 0.90 then
    return wrk.format("GET", "/assumptions/independent-2026/")
  else
    return wrk.format("GET", "/?peak_rps=" .. math.random(1000, 90000))
  end
end
"""
)


def mixed(port: int, share: str, seconds: int, connections: int):
    if shutil.which("wrk"):
        return run_wrk(port, "mixed", "/", seconds, connections, script=MIXED % {"share": share})
    choices = ["/", "/assumptions/independent-2026/", share or "/"]

    def path(rng: random.Random) -> str:
        return random_recalc_path(rng) if rng.random() < 0.45 else rng.choice(choices)

    return run_python(port, "mixed", path, seconds, connections, HTMX_HEADERS)


def slow_clients(port: int, seconds: float) -> tuple[int, int, int]:
    """50 connections that send a header line every 5 s and never end their request, while
    /healthz is asked every 2 s (2 s to answer): (answered, asked, slow connections dropped
    by the server and opened again)."""
    stop_at = time.monotonic() + seconds
    dropped = 0

    def open_slow() -> socket.socket:
        sock = socket.create_connection(("127.0.0.1", port), timeout=5)
        sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        return sock

    def keep_slow() -> None:
        nonlocal dropped
        socks = [open_slow() for _ in range(SLOW_CONNECTIONS)]
        n = 0
        while time.monotonic() < stop_at:
            time.sleep(min(SLOW_LINE_EVERY, max(0.0, stop_at - time.monotonic())))
            n += 1
            for i, sock in enumerate(socks):
                try:
                    sock.sendall(f"X-Slow-{n}: {'x' * 8}\r\n".encode())
                except OSError:  # the server gave up on it: a fresh one takes its place
                    dropped += 1
                    sock.close()
                    with contextlib.suppress(OSError):
                        socks[i] = open_slow()
        for sock in socks:
            sock.close()

    slow = threading.Thread(target=keep_slow)
    slow.start()
    time.sleep(1)  # let the slow clients take their connections first
    answered = asked = 0
    while time.monotonic() < stop_at - PROBE_EVERY:
        asked += 1
        with contextlib.suppress(OSError, http.client.HTTPException):
            answered += get(port, "/healthz", timeout=PROBE_EVERY)[0] == 200
        time.sleep(PROBE_EVERY)
    slow.join()
    return answered, asked, dropped


def concurrent_saves(port: int) -> tuple[int, list[str], list[float]]:
    """200 saves from 40 clients at once: (saved, what the others answered, latencies)."""
    example = json.loads((ROOT / "examples" / "startup-8k-independent.json").read_text())
    document = {key: example[key] for key in ("assumption_set", "inputs", "options")}
    start = threading.Barrier(SAVERS)

    def saver(n: int) -> list[tuple[int | str, float]]:
        start.wait()
        answers = []
        for i in range(SAVES // SAVERS):
            body = json.dumps({**document, "title": f"load {n}-{i}"})
            t = time.perf_counter()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            try:
                conn.request(
                    "POST", "/api/v1/scenarios", body, {"Content-Type": "application/json"}
                )
                response = conn.getresponse()
                answer = response.status
                if answer != 201:
                    answer = f"{answer} {response.read()[:200]!r}"
            except OSError as error:
                answer = repr(error)
            finally:
                conn.close()
            answers.append((answer, time.perf_counter() - t))
        return answers

    with ThreadPoolExecutor(SAVERS) as pool:
        results = [a for answers in pool.map(saver, range(SAVERS)) for a in answers]
    failed = [str(answer) for answer, _ in results if answer != 201]
    return len(results) - len(failed), failed, [t for _, t in results]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=30, help="mixed load, at most 60")
    parser.add_argument("--connections", type=int, default=50, help="at most 50")
    parser.add_argument("--slow-seconds", type=int, default=30, help="per target, at most 60")
    parser.add_argument("--workers", type=int, default=(os.cpu_count() or 1) * 2 + 1)
    args = parser.parse_args()
    seconds = max(1, min(args.seconds, 60))
    connections = max(1, min(args.connections, 50))
    slow_seconds = max(10, min(args.slow_seconds, 60))

    workdir = Path(tempfile.mkdtemp(prefix="costcalc-load-"))
    env = production_env(
        f"sqlite:///{workdir / 'load.sqlite3'}",
        DJANGO_RATE_LIMITS="share=100000",
        DJANGO_TRUSTED_PROXIES="127.0.0.1",
    )
    prepare(env)
    front = free_port()
    try:
        with behind_nginx(env, f"127.0.0.1:{front}", workdir / "nginx", args.workers) as served:
            startup = served.startup
            share = "/s/fintech-hybrid/" if get(front, "/s/fintech-hybrid/")[0] == 200 else ""
            load = mixed(front, share, seconds, connections)
            direct = slow_clients(served.upstream, slow_seconds)
            fronted = slow_clients(front, slow_seconds)
            saved, failed, save_times = concurrent_saves(front)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)

    print(
        f"\ncostcalc load: nginx in front of gunicorn x{args.workers}, SQLite; "
        f"start-up {startup:.2f} s"
    )
    print(
        f"mixed ({connections} connections, {seconds} s, recalculations, first pages, "
        f"assumption pages{' and share links' if share else ''}): requests {load.requests}, "
        f"errors {load.errors}, {load.rps:.1f} req/s, p50 {load.p50_ms:.1f} ms, "
        f"p99 {load.p99_ms:.1f} ms"
    )
    for name, (answered, asked, dropped) in (
        ("straight at gunicorn", direct),
        ("through nginx", fronted),
    ):
        print(
            f"slow clients ({SLOW_CONNECTIONS} connections, a header line every "
            f"{SLOW_LINE_EVERY:.0f} s, {slow_seconds} s) {name}: /healthz answered {answered} "
            f"of {asked}; slow connections dropped by the server {dropped}"
        )
    ordered = sorted(save_times)
    print(
        f"concurrent saves ({SAVES} from {SAVERS} clients at once, through nginx): "
        f"saved {saved}, failed {len(failed)}, p50 {statistics.median(ordered) * 1000:.0f} ms, "
        f"max {ordered[-1] * 1000:.0f} ms"
    )
    for answer in sorted(set(failed))[:5]:
        print(f"  {answer}")
    problems = []
    if load.errors:
        problems.append(f"{load.errors} errors under the mixed load")
    if fronted[0] != fronted[1]:
        problems.append(f"/healthz failed {fronted[1] - fronted[0]} times behind nginx")
    if failed:
        problems.append(f"{len(failed)} saves failed")
    if problems:
        raise SystemExit("; ".join(problems))


if __name__ == "__main__":
    main()
