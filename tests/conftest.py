import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from costcalc.assumptions.snapshot import clear_caches


@pytest.fixture(autouse=True)
def _fresh_snapshots():
    # Tests rebuild the database; a process-wide snapshot cache must not outlive one test.
    from django.core.cache import caches
    from django.core.cache.backends.db import DatabaseCache

    clear_caches()  # every set's snapshot and what was derived from it, and the list of sets
    for cache in caches.all():  # rendered pages and rate-limit counters
        # A table in the test database is emptied by each test's rollback; clearing it here
        # would need the database in tests that have none.
        if not isinstance(cache, DatabaseCache):
            cache.clear()
    yield


@pytest.fixture(scope="session", autouse=True)
def _collected_static():
    """Tests run with production's hashed, compressed static files: collect them when stale.

    Collecting takes about 25 s (brotli over plotly.js), so it runs only when a file under
    static/ is newer than the manifest.
    """
    from django.conf import settings
    from django.core.management import call_command

    manifest = settings.STATIC_ROOT / "staticfiles.json"
    built = manifest.stat().st_mtime if manifest.exists() else 0
    sources = (p for d in settings.STATICFILES_DIRS for p in d.rglob("*") if p.is_file())
    if any(p.stat().st_mtime > built for p in sources):
        call_command("collectstatic", interactive=False, verbosity=0)


ADMIN = ("admin", secrets.token_urlsafe(16))


@pytest.fixture(scope="session")
def admin_credentials():
    return ADMIN


@pytest.fixture(scope="session")
def app_server(tmp_path_factory, _collected_static):
    """gunicorn with production settings on a free loopback port, on its own SQLite database
    holding the shipped assumption sets (and examples, where the project has them)."""
    root = Path(__file__).resolve().parent.parent
    workdir = tmp_path_factory.mktemp("server")
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{workdir / 'db.sqlite3'}",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SUPERUSER_PASSWORD": ADMIN[1],
    }
    env.pop("DJANGO_DEBUG", None)
    manage = [sys.executable, str(root / "manage.py")]

    def run(*args):
        subprocess.run([*manage, *args], env=env, cwd=root, check=True, capture_output=True)

    run("migrate", "--noinput")
    run("load_assumptions")
    commands = subprocess.run(
        [*manage, "help", "--commands"], env=env, cwd=root, capture_output=True, text=True
    ).stdout.split()
    if "load_examples" in commands:
        run("load_examples")
    run("createsuperuser", "--noinput", "--username", ADMIN[0], "--email", "a@example.com")

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    log = open(workdir / "gunicorn.log", "w")  # noqa: SIM115 - closed below
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "costcalc.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
        ],
        env=env,
        cwd=root,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            with urllib.request.urlopen(base + "/healthz", timeout=2) as response:
                if response.status == 200:
                    break
        except OSError:
            if time.monotonic() > deadline or server.poll() is not None:
                server.kill()
                log.close()
                raise RuntimeError((workdir / "gunicorn.log").read_text()) from None
            time.sleep(0.1)
    yield base
    server.terminate()
    server.wait(timeout=30)
    log.close()
