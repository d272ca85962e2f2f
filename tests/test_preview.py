"""Previewing a draft set: staff open its page and run the calculator with it, bannered as a
draft and never offered for saving or sharing; to anyone else a draft does not exist."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from costcalc.assumptions.models import AssumptionSet
from costcalc.scenarios.models import Scenario
from tests.factories import make_set

pytestmark = pytest.mark.django_db

BANNER = "Draft preview: not published; links to it work only for staff."
HTMX_RESULTS = {"HX-Request": "true", "HX-Target": "results", "HX-Trigger-Name": "peak_rps"}


@pytest.fixture
def draft():
    """v2 of a published set, its instances' prices doubled: a draft."""
    make_set(slug="pub", name="Published set")
    v2 = AssumptionSet.objects.get(slug="pub", version=1).clone()
    for box in v2.instance_types.all():
        box.price_per_hour *= 2
        box.save()
    return v2


def draft_page() -> str:
    return reverse("assumptions:version", args=["pub", 2])


def calculator(client, key="pub@2", headers=None):
    return client.get(reverse("calculator:calculator"), {"assumptions": key}, headers=headers)


def test_a_drafts_page_is_a_404_to_visitors(client, draft):
    assert client.get(draft_page()).status_code == 404


def test_staff_see_a_drafts_page_bannered_with_what_publishing_would_change(staff, draft):
    response = staff.get(draft_page())

    assert response.status_code == 200
    content = response.content.decode()
    assert BANNER in content
    assert 'name="robots" content="noindex"' in content and "permanent link" not in content
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    assert "What would change in v2 since v1" in content
    assert '<a href="#instance-box-4">Test box 4</a>' in content
    assert "<del>0.1 USD per hour</del> → <ins>0.2 USD per hour</ins>" in content
    assert "/?assumptions=pub%402" in content  # the calculator with the draft
    draft.refresh_from_db()
    assert draft.changes == []  # worked out for the page, not stored: it is still a draft


def test_a_sets_own_address_and_the_list_never_show_a_draft_even_to_staff(staff, draft):
    newest = staff.get(reverse("assumptions:detail", args=["pub"]))
    assert newest.context["aset"].version == 1 and BANNER not in newest.content.decode()
    listing = staff.get(reverse("assumptions:list")).content.decode()
    assert "/assumptions/pub/v2/" not in listing and "v2" not in listing


def test_staff_run_the_calculator_with_a_draft_never_offered_to_save(staff, draft):
    response = calculator(staff)

    assert response.status_code == 200
    assert response.context["aset"] == draft
    choices = dict(response.context["form"].fields["assumptions"].choices)
    assert choices["pub@2"] == "Published set v2, draft preview"
    assert choices["pub@1"] == "Published set v1, 1 Jan 2026"
    content = response.content.decode()
    assert BANNER in content
    assert 'id="share-form"' not in content and 'action="/s/"' not in content


def test_the_calculator_computes_with_the_drafts_figures(staff, draft):
    def infrastructure(response):
        results = response.context["results"]
        assert results is not None, response.context["form"].errors
        return [row["categories"] for row in results["chart_totals"]["rows"]]

    published, previewed = calculator(staff, "pub@1"), calculator(staff, "pub@2")
    assert published.context["aset"].version == 1 and previewed.context["aset"] == draft
    assert infrastructure(published) != infrastructure(previewed)
    assert BANNER not in published.content.decode()


def test_a_drafts_results_fragment_updates_no_share_form(staff, draft):
    fragment = calculator(staff, headers=HTMX_RESULTS).content.decode()
    assert 'id="results"' in fragment
    assert 'id="share-query"' not in fragment and 'id="share-result"' not in fragment


def test_visitors_are_never_offered_or_given_a_draft(client, draft):
    response = calculator(client)

    assert response.context["aset"].is_published
    assert "pub@2" not in dict(response.context["form"].fields["assumptions"].choices)
    content = response.content.decode()
    assert BANNER not in content and "draft preview" not in content
    assert "Choose one of the published assumption sets." in content


def test_the_parts_loaded_later_use_the_draft_for_staff_only(staff, draft):
    insight = reverse("calculator:insight")
    assert staff.get(insight, {"assumptions": "pub@2"}).context["aset"] == draft
    visitor = Client().get(insight, {"assumptions": "pub@2"})
    assert visitor.context["aset"].is_published


@pytest.mark.parametrize("who", ["staff", "visitor"])
def test_saving_a_scenario_with_a_draft_is_refused_with_a_clear_message(staff, draft, who):
    client = staff if who == "staff" else Client()
    response = client.post(
        reverse("scenarios:share"), {"title": "Preview", "query": "assumptions=pub%402"}
    )

    assert response.status_code == 400
    assert (
        "pub@2 is a draft preview: it is not published, so nothing can be saved or shared "
        "with it. Publish it first, or choose a published set."
    ) in response.content.decode()
    assert not Scenario.objects.exists()


def test_the_admin_links_a_drafts_previews(staff, draft):
    page = staff.get(reverse("admin:assumptions_assumptionset_change", args=[draft.pk]))
    content = page.content.decode()
    assert 'href="/assumptions/pub/v2/"' in content
    assert 'href="/?assumptions=pub%402"' in content


def test_staff_are_known_by_their_session_and_a_visitor_without_one_loads_none(rf, staff, draft):
    from django.contrib.auth.middleware import AuthenticationMiddleware
    from django.contrib.sessions.middleware import SessionMiddleware
    from django.utils.functional import empty

    from costcalc.assumptions.selectors import is_staff, offered_sets

    def through_middleware(request):
        SessionMiddleware(lambda r: None).process_request(request)
        AuthenticationMiddleware(lambda r: None).process_request(request)
        return request

    visitor = through_middleware(rf.get("/"))
    assert not is_staff(visitor)
    assert visitor.user._wrapped is empty  # decided without loading the session's user
    assert all(s.is_published for s in offered_sets(visitor))
    # The staff client's session cookie, on a request of its own.
    signed_in = rf.get("/")
    signed_in.COOKIES = dict((k, m.value) for k, m in staff.cookies.items())
    signed_in = through_middleware(signed_in)
    assert is_staff(signed_in)
    assert draft in offered_sets(signed_in)
    # A cookie naming no session is a visitor too.
    stale = rf.get("/")
    stale.COOKIES = {"sessionid": "no-such-session"}
    assert not is_staff(through_middleware(stale))
