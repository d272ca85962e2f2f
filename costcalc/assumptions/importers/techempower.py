"""TechEmpower Framework Benchmarks: requests per second per vCPU from a run's results.json.

The toolset writes one results.json per run: ``uuid``, ``name``, ``environmentDescription``,
``startTime`` (Unix milliseconds), ``concurrencyLevels`` and ``rawData[test][framework]``, a list
with one entry per concurrency level holding wrk's ``totalRequests``, the ``5xx`` count of
non-2xx/3xx responses when there were any, and ``startTime``/``endTime`` as Unix *seconds*
(``date +%s`` around each wrk run, toolset/wrk/concurrency.sh).

Per framework: successful requests per second at each level = (totalRequests - 5xx) /
(endTime - startTime); its throughput is the best level, as TechEmpower's own tables rank it,
because the lowest levels (16 connections) measure the load generator's latency, not the
server's capacity. A stack maps to several frameworks (variants of the same framework on other
servers or serialisers); its base is the median of their throughputs, so that one tuned or one
broken variant does not set the figure, and low/high are the slowest and fastest variant. Every
figure is divided by the run's CPU count: results.json does not record the machine, so the
caller gives it (Round 23's physical servers have 56 logical CPUs, counted as 56 vCPU).
"""

from __future__ import annotations

import datetime
import json
import statistics
from dataclasses import dataclass, field
from pathlib import Path

from . import BadFile, Figure

# Tests whose levels are concurrency (the query and update tests step through query counts).
TESTS = ("json", "plaintext", "db", "fortune")

# The TechEmpower test names of each shipped stack: the framework's default test and its
# variants on the same framework and server (a test is named "<framework>-<variant>" in the
# results). Go net/http is TechEmpower's "go" (frameworks/Go/go-std) with its pgx variants, not
# fasthttp, Gin or Echo (other servers or frameworks); FastAPI is served by Uvicorn, alone or
# under Gunicorn, not Hypercorn or NGINX Unit; Express is "express" and its database variants.
DEFAULT_MAP: dict[str, tuple[str, ...]] = {
    "go": ("go", "go-pgx-easyjson", "go-pgx-prefork", "go-pgx-prefork-easyjson"),
    "fastapi": ("fastapi", "fastapi-gunicorn-orjson", "fastapi-uvicorn", "fastapi-uvicorn-orjson"),
    "express": (
        "express",
        "express-postgres",
        "express-postgresjs",
        "express-mysql",
        "express-mongodb",
    ),
}


@dataclass(frozen=True)
class Variant:
    framework: str
    rps: float  # successful requests per second at its best level, the whole machine
    level: str  # the concurrency at which it peaked


@dataclass
class Run:
    uuid: str
    name: str
    date: datetime.date | None
    environment: str
    test: str
    cpus: float
    figures: dict[str, Figure] = field(default_factory=dict)  # stack slug -> per vCPU
    variants: dict[str, list[Variant]] = field(default_factory=dict)
    missing: dict[str, list[str]] = field(default_factory=dict)  # frameworks not in the run

    @property
    def url(self) -> str:
        return f"https://www.techempower.com/benchmarks/#section=test&runid={self.uuid}&test={self.test}"


def parse_map(entries: list[str]) -> dict[str, tuple[str, ...]]:
    """``["go=go,go=gin", "express=express"]`` -> {"go": ("go", "gin"), "express": ("express",)}."""
    out: dict[str, list[str]] = {}
    for entry in entries:
        for pair in filter(None, (p.strip() for p in entry.split(","))):
            stack, sep, framework = pair.partition("=")
            if not sep or not stack.strip() or not framework.strip():
                raise ValueError(f"--map takes stack=framework pairs, not {pair!r}")
            out.setdefault(stack.strip(), []).append(framework.strip())
    return {stack: tuple(frameworks) for stack, frameworks in out.items()}


def read(
    path: str | Path,
    *,
    stacks: dict[str, tuple[str, ...]],
    cpus: float,
    test: str = "json",
) -> Run:
    """The figures for ``stacks`` ({slug: framework names}) from the results file at ``path``.

    A framework the run does not have is listed in ``missing``; a stack none of whose
    frameworks ran gets no figure. Raises BadFile for anything the format does not allow."""

    if test not in TESTS:
        raise BadFile(path, "--test", f"{test!r} is not one of {', '.join(TESTS)}")
    if not cpus > 0:
        raise BadFile(path, "--cpus", "the run's CPU count must be above 0")
    try:
        data = json.loads(Path(path).read_text())
    except FileNotFoundError:
        raise BadFile(path, "file", "no such file") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise BadFile(path, "file", f"not JSON ({error})") from None
    if not isinstance(data, dict) or not isinstance(data.get("rawData"), dict):
        raise BadFile(path, "rawData", "no rawData: not a TechEmpower results.json")
    uuid = data.get("uuid")
    if not isinstance(uuid, str) or not uuid:
        raise BadFile(path, "uuid", "the run has no uuid to cite")
    results = data["rawData"].get(test)
    if not isinstance(results, dict):
        raise BadFile(path, f"rawData.{test}", f"the run has no {test} test")
    levels = data.get("concurrencyLevels") or []

    run = Run(
        uuid=uuid,
        name=str(data.get("name") or uuid),
        date=_date(path, data),
        environment=str(data.get("environmentDescription") or ""),
        test=test,
        cpus=cpus,
    )
    for stack, frameworks in stacks.items():
        found = []
        for framework in frameworks:
            if framework not in results:
                run.missing.setdefault(stack, []).append(framework)
                continue
            where = f"rawData.{test}.{framework}"
            frame = _levels(path, where, results[framework])
            rps = (frame["totalRequests"] - frame["5xx"]) / (frame["endTime"] - frame["startTime"])
            best = int(rps.idxmax())
            level = str(levels[best]) if best < len(levels) else f"level {best + 1}"
            found.append(Variant(framework, float(rps[best]), level))
        if found:
            per_vcpu = [v.rps / cpus for v in found]
            run.figures[stack] = Figure(
                base=round(statistics.median(per_vcpu), 1),
                low=round(min(per_vcpu), 1),
                high=round(max(per_vcpu), 1),
            )
            run.variants[stack] = found
    return run


def _levels(path, where: str, entries):
    """One framework's levels as a DataFrame of numbers, checked."""
    import pandas as pd

    if not isinstance(entries, list) or not entries:
        raise BadFile(path, where, "expected a list of concurrency levels")
    for i, entry in enumerate(entries):
        if not isinstance(entry, dict):
            raise BadFile(path, f"{where}[{i}]", "expected an object")
        for key in ("totalRequests", "startTime", "endTime"):
            value = entry.get(key)
            if key not in entry:
                raise BadFile(path, f"{where}[{i}]", f"no {key}")
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise BadFile(path, f"{where}[{i}]", f"{key} {value!r} is not a number")
        if not entry["endTime"] > entry["startTime"]:
            raise BadFile(path, f"{where}[{i}]", "endTime is not after startTime")
        errors = entry.get("5xx", 0)
        if isinstance(errors, bool) or not isinstance(errors, int | float):
            raise BadFile(path, f"{where}[{i}]", f"5xx {errors!r} is not a number")
    frame = pd.DataFrame(entries, columns=["totalRequests", "5xx", "startTime", "endTime"])
    return frame.fillna({"5xx": 0}).astype(float)


def _date(path, data) -> datetime.date | None:
    """The run's day (UTC) from its startTime, in milliseconds since 1970."""
    start = data.get("startTime")
    if start is None:
        return None
    if isinstance(start, bool) or not isinstance(start, int | float):
        raise BadFile(path, "startTime", f"{start!r} is not a time in milliseconds")
    return datetime.datetime.fromtimestamp(start / 1000, tz=datetime.UTC).date()
