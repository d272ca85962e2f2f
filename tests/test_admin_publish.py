"""Publishing is reviewed: every figure changed since the previous published version, old to
new with its source, and a required note on what changed and why, kept with the version and
shown on the public pages."""

from __future__ import annotations

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from costcalc.assumptions.models import AssumptionSet, MarketRate, Source
from tests.factories import make_set

pytestmark = pytest.mark.django_db


@pytest.fixture
def v2():
    """A draft v2 of a published set, one price and one salary changed, one source retitled."""
    v1 = make_set(slug="pub", name="Published set")
    draft = v1.clone()
    box = draft.instance_types.get(slug="box-4")
    box.price_per_hour = 0.25
    box.save()
    rate = MarketRate.objects.get(market__assumption_set=draft, market__slug="us", language="go")
    rate.annual_salary = rate.annual_salary * 1.1
    rate.save()
    return draft


def review_url(aset) -> str:
    return reverse("admin:assumptions_assumptionset_publish", args=[aset.pk])


def test_the_review_lists_each_changed_figure_old_new_and_source(staff, v2):
    response = staff.get(review_url(v2))

    assert response.status_code == 200
    changes = response.context["changes"]
    assert [(c["row"], c["figure"]) for c in changes] == [
        ("Go engineers, United States", "Annual salary"),
        ("Test box 4", "Price per hour"),
    ]
    price = changes[1]
    assert price["old"].startswith("0.1 ") and price["new"].startswith("0.25 ")
    assert price["source"] == "test"
    content = response.content.decode()
    assert "Test box 4" in content and price["old"] in content and price["new"] in content
    assert 'name="note"' in content
    v2.refresh_from_db()
    assert not v2.is_published


def test_publishing_without_a_note_is_refused_beside_the_field(staff, v2):
    response = staff.post(review_url(v2), {"note": "   "})

    assert response.status_code == 200
    assert response.context["form"].errors["note"] == [
        "Say what changed and why: the version keeps this note."
    ]
    assert "Say what changed and why" in response.content.decode()
    v2.refresh_from_db()
    assert not v2.is_published


def test_publishing_keeps_the_note_and_changes_and_the_public_pages_show_them(staff, client, v2):
    response = staff.post(review_url(v2), {"note": "Prices re-read.\nGo pay from a new survey."})

    assert response.status_code == 302
    v2.refresh_from_db()
    assert v2.is_published
    assert v2.change_note == "Prices re-read.\nGo pay from a new survey."
    assert [c["row"] for c in v2.changes] == ["Go engineers, United States", "Test box 4"]

    client.logout()
    detail = client.get(reverse("assumptions:version", args=["pub", 2])).content.decode()
    assert 'id="changes"' in detail and "since v1" in detail
    assert "Prices re-read." in detail and "Go pay from a new survey." in detail
    assert '<a href="#instance-box-4">Test box 4</a>' in detail
    assert f"<del>{v2.changes[1]['old']}</del>" in detail
    assert f"<ins>{v2.changes[1]['new']}</ins>" in detail
    listing = client.get(reverse("assumptions:list")).content.decode()
    assert "Prices re-read." in listing and "Test box 4" in listing
    # The version before keeps its own page, with nothing of v2's note.
    v1_page = client.get(reverse("assumptions:version", args=["pub", 1])).content.decode()
    assert "Prices re-read." not in v1_page and 'id="changes"' not in v1_page


def test_a_changed_source_is_shown_as_such(staff, v2):
    source = v2.sources.get()
    source.title = "Test figures, second reading"
    source.save()

    changes = staff.get(review_url(v2)).context["changes"]

    assert changes and all(c["source_changed"] for c in changes)
    assert {c["source_title"] for c in changes} == {"Test figures, second reading"}


def test_a_published_sets_review_says_it_never_changes(staff, v2):
    published = AssumptionSet.objects.get(slug="pub", version=1)
    response = staff.get(review_url(published), follow=True)
    (message,) = [str(m) for m in get_messages(response.wsgi_request)]
    assert "A published set never changes; clone it to make a new version." in message


def test_an_incomplete_draft_cannot_be_published_from_its_review(staff, v2):
    v2.instance_types.all().delete()
    response = staff.post(review_url(v2), {"note": "Anything."})
    assert response.status_code == 200
    assert "The set has no instance types." in response.content.decode()
    v2.refresh_from_db()
    assert not v2.is_published


def test_the_review_is_for_staff_only(client, v2):
    response = client.get(review_url(v2))
    assert response.status_code == 302 and "login" in response["Location"]
    assert Source.objects.filter(assumption_set=v2).exists()


def publish_v2(staff, v2, note="Prices re-read.\nGo pay from a new survey."):
    assert staff.post(review_url(v2), {"note": note}).status_code == 302
    v2.refresh_from_db()
    return v2


def test_the_calculator_says_beside_the_set_what_its_version_changed(staff, client, v2):
    publish_v2(staff, v2)
    client.logout()

    page = client.get(reverse("calculator:calculator"), {"assumptions": "pub@2"})

    line = page.content.decode().split('id="set-changes"', 1)[1].split("</div>", 1)[0]
    assert "<strong>v2</strong> — what changed: Prices re-read. Go pay from a new survey." in line
    assert "2 figures changed since the version before" in line
    assert '<a href="/assumptions/pub/v2/#instance-box-4">Test box 4</a>' in line
    assert f"<del>{v2.changes[1]['old']}</del> → <ins>{v2.changes[1]['new']}</ins>" in line
    # v1 changed nothing (it is the first version): no line.
    first = client.get(reverse("calculator:calculator"), {"assumptions": "pub@1"})
    assert 'id="set-changes"' not in first.content.decode()


def test_the_recompute_page_shows_each_figure_that_moved_the_totals(staff, client, v2):
    response = client.post(
        reverse("scenarios:share"), {"title": "Pinned to v1", "query": "assumptions=pub%401"}
    )
    assert response.status_code == 303
    link = response["Location"]
    publish_v2(staff, v2)
    v3 = v2.clone()
    box = v3.instance_types.get(slug="box-2")
    box.price_per_hour = 0.08
    box.save()
    publish_v2(staff, v3, note="A third reading of box 2.")

    page = client.get(f"{link}recompute/").content.decode()

    changes = page.split('id="changes"', 1)[1].split("</section>", 1)[0]
    assert "What changed from version 1 to version 3" in changes
    assert "Prices re-read." in changes and "A third reading of box 2." in changes
    assert "3 figures changed, version 1 → version 3" in changes
    # Each figure from the pinned version straight to the newest, linked on the newest's page.
    assert '<a href="/assumptions/pub/v3/#instance-box-2">Test box 2</a>' in changes
    assert "<del>0.05 USD per hour</del> → <ins>0.08 USD per hour</ins>" in changes
    assert "<del>0.1 USD per hour</del> → <ins>0.25 USD per hour</ins>" in changes
