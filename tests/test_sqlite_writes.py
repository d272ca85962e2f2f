"""SQLite takes concurrent saves: 40 writer threads, each on its own connection, one file; and
40 saves of one scenario at once make one link.

Measured with SQLite's defaults (a rollback journal, deferred transactions, 5 s timeout):
35 and 39 of the 40 writers stopped on "database is locked" (26 and 5 of the 200 saves made).
With WAL and a 20 s timeout but deferred transactions: 38 and 39 (a transaction that read
first cannot take the write lock later, whatever the timeout). With BEGIN IMMEDIATE too: 0.
It runs in a child process with the production settings module on a file database of its own,
whatever database the suite runs on.
"""

import os
import secrets
import subprocess
import sys

from costcalc.serve import ROOT, production_env

WRITERS = 40
SAVES_EACH = 5

SCRIPT = """
import sys, threading, time
import django

django.setup()
from django.core.management import call_command
from django.db import connection, transaction
from django.http import QueryDict

call_command("migrate", verbosity=0)
call_command("load_assumptions", verbosity=0)
from costcalc.assumptions.models import AssumptionSet
from costcalc.ratelimit import hit
from costcalc.scenarios.compute import compute, save_scenario
from costcalc.scenarios.models import Scenario

print("journal", connection.cursor().execute("PRAGMA journal_mode").fetchone()[0])
aset = AssumptionSet.objects.published().first()
writers, each = int(sys.argv[1]), int(sys.argv[2])
# Each save a scenario of its own (saving the same one again returns its link, no write).
computations = [compute(QueryDict(f"cost_of_delay={k + 1}"), aset) for k in range(writers * each)]
same = compute(QueryDict(""), aset)
now = 60.0 * (time.time() // 60)  # one window, even if the run crosses a minute
errors, start = [], threading.Barrier(writers)  # errors: writers that stopped
links = set()


def writer(n):
    start.wait()
    try:
        for i in range(each):
            # As a save request writes: the rate-limit counter (every writer as one client,
            # so all count on one key), then the scenario; the two in one transaction, as
            # under ATOMIC_REQUESTS, reading before writing.
            with transaction.atomic():
                hit("share", "one client", limit=10**6, window=60, now=now)
                save_scenario(computations[n * each + i], title=f"writer {n} save {i}")
        # Then every writer saves one same scenario at once: one link, and no error.
        start.wait()
        with transaction.atomic():
            links.add(save_scenario(same, title=f"writer {n} same").slug)
    except Exception as error:
        errors.append(repr(error))
    finally:
        connection.close()


threads = [threading.Thread(target=writer, args=(n,)) for n in range(writers)]
for t in threads:
    t.start()
for t in threads:
    t.join()
print("saved", Scenario.objects.filter(is_example=False).count())
print("links", len(links))
print("counted", hit("share", "one client", limit=10**6, window=60, now=now).count - 1)
print(f"errors {len(errors)}", *sorted(set(errors))[:3], sep="\\n")
"""


def test_forty_writers_on_a_file_database_all_succeed(tmp_path):
    env = production_env(
        f"sqlite:///{tmp_path / 'writes.sqlite3'}", DJANGO_SECRET_KEY=secrets.token_urlsafe(50)
    )
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(WRITERS), str(SAVES_EACH)],
        env={**env, "PYTHONPATH": str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")},
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    lines = result.stdout.splitlines()
    assert "journal wal" in lines
    assert "errors 0" in lines, result.stdout
    assert f"saved {WRITERS * SAVES_EACH + 1}" in lines
    assert "links 1" in lines
    assert f"counted {WRITERS * SAVES_EACH}" in lines  # the rate limit's atomic incr
