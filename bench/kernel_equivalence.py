"""Old engine (tests/legacy_engine) against the current one over many random scenarios.

    .venv/bin/python bench/kernel_equivalence.py --model 100000 --insight 2000

Prints the counts, the time and the number of mismatches (0 expected); exits 1 on any.
"""

from __future__ import annotations

import argparse
import sys
import time
import traceback
import types
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from costcalc.engine import insight, migration, model  # noqa: E402
from tests.engine_equivalence import check_insight, check_model, random_case  # noqa: E402
from tests.legacy_engine import insight as old_insight  # noqa: E402
from tests.legacy_engine import migration as old_migration  # noqa: E402
from tests.legacy_engine import model as old_model  # noqa: E402

OLD = types.SimpleNamespace(model=old_model, insight=old_insight, migration=old_migration)
NEW = types.SimpleNamespace(model=model, insight=insight, migration=migration)


def run(label: str, count: int, start: int, check) -> int:
    began = time.perf_counter()
    mismatches = 0
    for seed in range(start, start + count):
        try:
            check(seed)
        except AssertionError:
            mismatches += 1
            if mismatches <= 3:
                print(f"{label} seed {seed}:", traceback.format_exc(limit=2), file=sys.stderr)
    took = time.perf_counter() - began
    print(f"{label}: {count} scenarios, {mismatches} mismatches, {took:.1f} s")
    return mismatches


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--model", type=int, default=100_000)
    parser.add_argument("--insight", type=int, default=2_000)
    args = parser.parse_args()

    def model_case(seed):
        inputs, options, a, rng = random_case(seed)
        check_model(OLD, NEW, inputs, options, a, rng)

    def insight_case(seed):
        inputs, options, a, _ = random_case(seed, small=True)
        check_insight(OLD, NEW, inputs, options, a)

    bad = run("compute (explain on/off) + migrate", args.model, 0, model_case)
    bad += run("monte_carlo + tornado + traffic_curve + verdict", args.insight, 10**6, insight_case)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
