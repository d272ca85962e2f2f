"""One per-set cache: snapshots of published sets and what other layers derive from them."""

import pytest

from costcalc.assumptions import snapshot as cache
from costcalc.assumptions.models import AssumptionSet, Source, Stack
from costcalc.assumptions.selectors import set_choices
from costcalc.assumptions.snapshot import clear_caches, derived, snapshot
from costcalc.calculator.forms import CalculatorForm
from costcalc.calculator.present import citations
from costcalc.calculator.set_fields import snapshot_fields
from tests.factories import make_set

pytestmark = pytest.mark.django_db


def test_a_published_set_is_built_once_and_its_derived_entries_kept_with_it():
    aset = make_set()
    first = snapshot(aset)
    assert snapshot(AssumptionSet.objects.get(pk=aset.pk)) is first
    calls = []
    build = lambda: calls.append(1) or object()  # noqa: E731
    assert derived(first, "thing", build) is derived(first, "thing", build)
    assert len(calls) == 1
    choices = tuple(set_choices([aset]))
    assert snapshot_fields(first, choices, CalculatorForm.base_fields) is snapshot_fields(
        first, choices, CalculatorForm.base_fields
    )
    assert citations(first) is citations(first)


def test_a_draft_is_never_cached_nor_what_is_derived_from_it():
    aset = make_set(published=False)
    first = snapshot(aset)
    Stack.objects.filter(assumption_set=aset, slug="go").update(name="Go, edited")
    second = snapshot(aset)
    assert second is not first
    assert second.stacks["go"].name == "Go, edited"
    choices = tuple(set_choices([aset]))
    assert snapshot_fields(second, choices, CalculatorForm.base_fields) is not snapshot_fields(
        second, choices, CalculatorForm.base_fields
    )
    Source.objects.filter(assumption_set=aset).update(title="Edited title")
    assert "Edited title" in citations(snapshot(aset))["test"]
    assert not cache._sets


def test_a_set_published_again_after_an_edit_is_not_served_stale():
    aset = make_set()
    before = snapshot(aset)
    cited = citations(before)
    # Back to a draft (only the database can do that), edited, and published again.
    AssumptionSet.objects.filter(pk=aset.pk).update(status="draft", published_at=None)
    aset.refresh_from_db()
    Source.objects.filter(assumption_set=aset).update(title="Corrected title")
    Stack.objects.filter(assumption_set=aset, slug="go").update(name="Go, corrected")
    aset.publish()
    after = snapshot(aset)
    assert after is not before
    assert after.stacks["go"].name == "Go, corrected"
    assert "Corrected title" in citations(after)["test"]
    assert citations(after) is not cited


def test_two_sets_never_share_entries():
    one, two = make_set(), make_set(slug="other-set", name="Other set")
    a, b = snapshot(one), snapshot(two)
    assert a is not b
    assert derived(a, "name", lambda: a.slug) == "test-set"
    assert derived(b, "name", lambda: b.slug) == "other-set"
    version_two = make_set(version=2)
    assert derived(snapshot(version_two), "name", lambda: "v2") == "v2"
    assert derived(a, "name", lambda: "rebuilt") == "test-set"


def test_the_cache_is_bounded(monkeypatch):
    monkeypatch.setattr(cache, "SETS_HELD", 2)
    monkeypatch.setattr(cache, "DERIVED_PER_SET", 3)
    sets = [make_set(version=v) for v in (1, 2, 3)]
    snaps = [snapshot(s) for s in sets]
    assert len(cache._sets) == 2
    assert snapshot(sets[0]) is not snaps[0]  # the oldest was let go, and is built again
    newest = snapshot(sets[2])
    for i in range(10):
        derived(newest, i, lambda i=i: i)
        assert len(cache._sets[("test-set", 3, sets[2].published_at.isoformat())].derived) <= 3


def test_one_call_forgets_everything():
    aset = make_set()
    first = snapshot(aset)
    derived(first, "thing", object)
    clear_caches()
    assert not cache._sets
    assert snapshot(aset) is not first
