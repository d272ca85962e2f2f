import pytest

from costcalc.assumptions.snapshot import _published_snapshot


@pytest.fixture(autouse=True)
def _fresh_snapshots():
    # Tests rebuild the database; a process-wide snapshot cache must not outlive one test.
    _published_snapshot.cache_clear()
    yield


@pytest.fixture(scope="session", autouse=True)
def _collected_static():
    """Tests run with production's hashed, compressed static files; collect them if missing."""
    from django.conf import settings
    from django.core.management import call_command

    if not (settings.STATIC_ROOT / "staticfiles.json").exists():
        call_command("collectstatic", interactive=False, verbosity=0)
