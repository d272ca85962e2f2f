import pytest

from costcalc.assumptions.snapshot import _published_snapshot


@pytest.fixture(autouse=True)
def _fresh_snapshots():
    # Tests rebuild the database; a process-wide snapshot cache must not outlive one test.
    _published_snapshot.cache_clear()
    yield
