import io
import secrets
import subprocess
import sys

import pytest
from django.core.management import call_command

from costcalc.assumptions.snapshot import clear_caches
from costcalc.serve import ROOT, free_port, prepare, production_env, start_gunicorn, stop
from tests.browser import browser, page  # noqa: F401 (fixtures for every browser test module)


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


@pytest.fixture
def staff(client, django_user_model):
    """The test client logged in as an analyst with every permission: the admin tests' user."""
    user = django_user_model.objects.create_superuser("analyst", "analyst@example.com", "pw-x9!")
    client.force_login(user)
    return client


ADMIN = ("admin", secrets.token_urlsafe(16))


@pytest.fixture(scope="session")
def admin_credentials():
    return ADMIN


@pytest.fixture(scope="session")
def app_server(tmp_path_factory, _collected_static):
    """gunicorn with production settings on a free loopback port, on its own SQLite database
    holding the shipped assumption sets and worked examples."""
    workdir = tmp_path_factory.mktemp("server")
    port = free_port()
    env = production_env(
        f"sqlite:///{workdir / 'db.sqlite3'}",
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        DJANGO_SUPERUSER_PASSWORD=ADMIN[1],
        DJANGO_SITE_URL=f"http://127.0.0.1:{port}",  # share links name the server's own port
    )
    prepare(env, static=False)
    subprocess.run(
        [sys.executable, "manage.py", "createsuperuser", "--noinput", "--username", ADMIN[0]]
        + ["--email", "a@example.com"],
        env=env,
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    server, _ = start_gunicorn(env, port, workers=2, log=workdir / "gunicorn.log")
    yield f"http://127.0.0.1:{port}"
    stop(server)


@pytest.fixture
def shipped_sets(db):
    """The shipped assumption sets, loaded as `make run` loads them."""
    call_command("load_assumptions", stdout=io.StringIO())
