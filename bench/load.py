"""A bounded load test, run by hand: `make load`.

gunicorn with production settings on a free loopback port, loaded for at most 60 s over at
most 50 connections with a mix of page views, recalculations, assumption pages and share-link
reads (when the project has shared scenarios). Prints requests, errors and latency
percentiles; zero errors is the bar. Traffic goes to 127.0.0.1 only.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import signal
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench import (  # noqa: E402 - the sibling module, found through the path set above
    HTMX_HEADERS,
    free_port,
    get,
    prepare,
    production_env,
    random_recalc_path,
    run_python,
    run_wrk,
    start_gunicorn,
)

MIXED = """
local share = "%(share)s"
local threads = 0
local seed = 0
function setup(thread)
  threads = threads + 1
  thread:set("seed", threads)
end
function init(args)
  math.randomseed(os.time() * 100 + seed)
end
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=30, help="at most 60")
    parser.add_argument("--connections", type=int, default=50, help="at most 50")
    parser.add_argument("--workers", type=int, default=(os.cpu_count() or 1) * 2 + 1)
    args = parser.parse_args()
    seconds = max(1, min(args.seconds, 60))
    connections = max(1, min(args.connections, 50))

    workdir = Path(tempfile.mkdtemp(prefix="costcalc-load-"))
    env = production_env(f"sqlite:///{workdir / 'load.sqlite3'}")
    prepare(env)
    port = free_port()
    proc, startup = start_gunicorn(env, port, args.workers)
    try:
        share = "/s/fintech-hybrid/" if get(port, "/s/fintech-hybrid/")[0] == 200 else ""
        if shutil.which("wrk"):
            script = MIXED % {"share": share}
            load = run_wrk(port, "mixed", "/", seconds, connections, script=script)
        else:
            choices = ["/", "/assumptions/independent-2026/", share or "/"]

            def path(rng: random.Random) -> str:
                return random_recalc_path(rng) if rng.random() < 0.45 else rng.choice(choices)

            load = run_python(port, "mixed", path, seconds, connections, HTMX_HEADERS)
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=30)
        shutil.rmtree(workdir, ignore_errors=True)

    print(
        f"\ncostcalc load: gunicorn x{args.workers}, {connections} connections, {seconds} s, "
        f"mix of recalculations, first pages, assumption pages"
        f"{' and share links' if share else ' (no share links yet)'}; start-up {startup:.2f} s"
    )
    print(
        f"requests {load.requests}, errors {load.errors}, {load.rps:.1f} req/s, "
        f"p50 {load.p50_ms:.1f} ms, p99 {load.p99_ms:.1f} ms"
    )
    if load.errors:
        raise SystemExit(f"{load.errors} errors")


if __name__ == "__main__":
    main()
