import pytest

from costcalc.assumptions.snapshot import clear_caches
from costcalc.calculator import present


@pytest.fixture(autouse=True)
def _fresh_snapshots():
    # Tests rebuild the database; a process-wide snapshot cache must not outlive one test.
    clear_caches()
    present._citations.clear()
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
