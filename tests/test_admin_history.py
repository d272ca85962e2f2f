"""Each figure's edit history: an admin edit records who made it, when, and every field old to
new, and the row's History page in the admin shows it; the history is a record only."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from costcalc.assumptions.models import InstanceType, MarketRate
from tests.factories import make_set, posted

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft():
    return make_set(slug="pub", name="Published set").clone()


def change_url(obj) -> str:
    return reverse(f"admin:assumptions_{obj._meta.model_name}_change", args=[obj.pk])


def history_url(obj) -> str:
    return reverse(f"admin:assumptions_{obj._meta.model_name}_history", args=[obj.pk])


def edit(staff, obj, **changes):
    """Post a row's admin page back as shown, with ``changes`` typed in."""
    data = posted(staff.get(change_url(obj)).content.decode())
    data.update({name: [value] for name, value in changes.items()})
    response = staff.post(change_url(obj), data)
    assert response.status_code == 302, response.content.decode()[:2000]


def test_an_admin_edit_records_who_when_and_old_and_new(staff, draft):
    box = draft.instance_types.get(slug="box-4")
    before = timezone.now()

    edit(staff, box, price_per_hour="0.25", price_per_hour_confirmed="on")

    latest = box.history.order_by("-history_date").first()
    assert latest.history_type == "~"
    assert latest.history_user.username == "analyst"
    assert before <= latest.history_date <= timezone.now()
    delta = latest.diff_against(latest.prev_record)
    assert [(c.field, c.old, c.new) for c in delta.changes] == [("price_per_hour", 0.1, 0.25)]
    # The clone that made the row is its first record.
    assert [r.history_type for r in box.history.order_by("history_date")] == ["+", "~"]


def test_the_history_page_shows_the_edit_old_to_new_and_who(staff, draft):
    rate = MarketRate.objects.get(market__assumption_set=draft, market__slug="us", language="go")
    edit(staff, rate, annual_salary="132000", annual_salary_confirmed="on")

    page = staff.get(history_url(rate))

    assert page.status_code == 200
    content = page.content.decode()
    assert 'id="change-history"' in content
    assert "Annual salary (USD)" in content  # the field as the form names it
    assert "120000.0" in content and "132000.0" in content
    assert "analyst" in content
    assert "Revert" not in content  # a record, not a way back


def test_each_edit_is_kept_in_order_on_the_page_of_a_published_sets_row_too(staff, draft):
    box = draft.instance_types.get(slug="box-2")
    edit(staff, box, price_per_hour="0.06", price_per_hour_confirmed="on")
    edit(staff, box, price_per_hour="0.07", price_per_hour_confirmed="on")
    draft.publish(note="Prices re-read.")

    values = [r.price_per_hour for r in box.history.order_by("history_date")]
    assert values == [0.05, 0.06, 0.07]
    # A published set's rows cannot change, but their history can still be read.
    assert staff.get(history_url(box)).status_code == 200


def test_an_old_version_cannot_be_saved_back_from_the_history(staff, draft):
    box = draft.instance_types.get(slug="box-4")
    edit(staff, box, price_per_hour="0.25", price_per_hour_confirmed="on")
    first = box.history.order_by("history_date").first()
    url = reverse("admin:assumptions_instancetype_simple_history", args=[box.pk, first.history_id])

    assert staff.get(url).status_code == 200
    response = staff.post(url, posted(staff.get(change_url(box)).content.decode()))

    assert response.status_code == 403
    assert InstanceType.objects.get(pk=box.pk).price_per_hour == 0.25


def test_a_source_edit_is_recorded_too(staff, draft):
    source = draft.sources.get(key="test")
    edit(staff, source, title="Test figures, second reading")

    latest = source.history.order_by("-history_date").first()
    assert latest.history_user.username == "analyst"
    changes = latest.diff_against(latest.prev_record).changes
    assert [(c.field, c.old, c.new) for c in changes] == [
        ("title", "Test figures", "Test figures, second reading")
    ]


def test_the_history_is_for_staff_only(client, draft):
    box = draft.instance_types.get(slug="box-4")
    response = client.get(history_url(box))
    assert response.status_code == 302 and "login" in response["Location"]
