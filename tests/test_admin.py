"""The admin: every assumption listed and filtered, drafts edited, published sets frozen."""

import pytest
from django.contrib import messages
from django.contrib.messages import get_messages
from django.urls import reverse

from costcalc.assumptions.admin import AssumptionSetAdmin
from costcalc.assumptions.models import (
    AssumptionSet,
    InstanceType,
    Market,
    MarketRate,
    Source,
    Stack,
)
from tests.factories import make_set

pytestmark = pytest.mark.django_db

MODELS = (AssumptionSet, Source, Stack, Market, MarketRate, InstanceType)


@pytest.fixture
def published():
    return make_set(slug="pub", name="Published set")


@pytest.fixture
def draft():
    return make_set(slug="draft", name="Draft set", published=False)


def url(model, view="changelist", *args):
    return reverse(f"admin:assumptions_{model._meta.model_name}_{view}", args=args)


def messages_of(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def form_data(response) -> dict:
    """The POST a browser would send for an admin change page, left as it was shown."""
    data = {}

    def add(form):
        for name in form.fields:
            value = form[name].value()
            if value is None or value is False:
                continue
            data[form.add_prefix(name)] = "on" if value is True else value

    add(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        add(inline.formset.management_form)
        for form in inline.formset.forms:
            add(form)
    data["_save"] = "Save"
    return data


def inline_prefix(response, model) -> str:
    for inline in response.context["inline_admin_formsets"]:
        if inline.formset.model is model:
            return inline.formset.prefix
    raise AssertionError(f"no {model.__name__} inline")


# Access ---------------------------------------------------------------------------------


def test_anonymous_users_are_sent_to_login(client, published, draft):
    stack = Stack.objects.filter(assumption_set=draft).first()
    urls = [reverse("admin:index")]
    for model in MODELS:
        urls += [url(model), url(model, "add")]
    urls += [
        url(AssumptionSet, "change", draft.pk),
        url(AssumptionSet, "delete", published.pk),
        url(Stack, "change", stack.pk),
    ]
    for target in urls:
        for method in (client.get, client.post):
            response = method(target)
            assert response.status_code == 302, target
            assert response["Location"].startswith(reverse("admin:login")), target
    assert AssumptionSet.objects.count() == 2


# Listing, searching, filtering --------------------------------------------------------


def test_every_changelist_loads_with_search_and_filters(staff, published, draft):
    pub, dft = published.pk, draft.pk
    cases = {
        AssumptionSet: [
            ("", 2),
            ("?q=draft", 1),
            ("?status__exact=published", 1),
            ("?slug=draft", 1),
        ],
        Source: [
            ("", 2),
            ("?q=Test+figures", 2),
            (f"?assumption_set__id__exact={pub}", 1),
            ("?assumption_set__status__exact=draft", 1),
        ],
        Stack: [
            ("", 6),
            ("?q=fastapi", 2),
            ("?language=go", 2),
            (f"?assumption_set__id__exact={dft}&language=python", 1),
        ],
        Market: [("", 4), ("?q=Eastern", 2), (f"?assumption_set__id__exact={pub}", 2)],
        MarketRate: [
            ("", 12),
            ("?q=python", 4),
            (f"?market__assumption_set__id__exact={pub}", 6),
            ("?market__slug=us&language=go", 2),
            ("?market__assumption_set__status__exact=draft", 6),
        ],
        InstanceType: [
            ("", 4),
            ("?q=box+4", 2),
            ("?q=box-2", 2),
            ("?provider=Test", 4),
            (f"?assumption_set__id__exact={dft}&region=test-1", 2),
        ],
    }
    for model, queries in cases.items():
        for query, count in queries:
            response = staff.get(url(model) + query)
            assert response.status_code == 200, (model, query)
            assert response.context["cl"].result_count == count, (model, query)


def test_changelists_show_figures_and_sources(staff, published):
    content = staff.get(url(Stack)).content.decode()
    assert "4,000 (2,000–8,000)" in content
    assert f'href="{url(Source, "change", published.sources.get().pk)}"' in content
    content = staff.get(url(AssumptionSet)).content.decode()
    assert "Published set" in content


def test_every_change_and_add_page_loads(staff, published, draft):
    for aset in (published, draft):
        rows = [
            aset,
            aset.sources.first(),
            aset.stacks.first(),
            aset.markets.first(),
            MarketRate.objects.filter(market__assumption_set=aset).first(),
            aset.instance_types.first(),
        ]
        for row in rows:
            response = staff.get(url(type(row), "change", row.pk))
            assert response.status_code == 200, row
    for model in MODELS:
        assert staff.get(url(model, "add")).status_code == 200, model


def test_source_dropdowns_offer_only_the_sets_own_sources(staff, published, draft):
    response = staff.get(url(Stack, "change", draft.stacks.first().pk))
    field = response.context["adminform"].form.fields["rps_per_vcpu_source"]
    assert [str(v) for v, _ in field.choices if v] == [str(draft.sources.get().pk)]

    response = staff.get(
        url(
            MarketRate, "change", MarketRate.objects.filter(market__assumption_set=draft).first().pk
        )
    )
    field = response.context["adminform"].form.fields["annual_salary_source"]
    assert [str(v) for v, _ in field.choices if v] == [str(draft.sources.get().pk)]


# Actions --------------------------------------------------------------------------------


def test_clone_action_makes_the_next_version_with_the_same_figures(staff, published):
    response = staff.post(
        url(AssumptionSet),
        {"action": "clone_sets", "_selected_action": [published.pk]},
        follow=True,
    )

    copy = AssumptionSet.objects.get(slug="pub", version=2)
    assert copy.status == AssumptionSet.Status.DRAFT and copy.cloned_from == published
    (message,) = messages_of(response)
    assert "v2" in message and url(AssumptionSet, "change", copy.pk) in message
    new_source = copy.sources.get()
    assert new_source.pk != published.sources.get().pk and new_source.key == "test"
    for model, path, order in (
        (Stack, "assumption_set", ["slug"]),
        (InstanceType, "assumption_set", ["slug"]),
        (MarketRate, "market__assumption_set", ["market__slug", "language"]),
    ):
        old_rows = model.objects.filter(**{path: published}).order_by(*order)
        new_rows = model.objects.filter(**{path: copy}).order_by(*order)
        assert len(new_rows) == len(old_rows) > 0
        for old, new in zip(old_rows, new_rows, strict=True):
            for name in model.figures:
                assert getattr(new, name) == getattr(old, name)
                assert getattr(new, f"{name}_source") == new_source
    published.refresh_from_db()
    assert published.is_published


def test_publish_action_opens_the_review_of_a_complete_draft(staff, draft):
    response = staff.post(
        url(AssumptionSet),
        {"action": "publish_sets", "_selected_action": [draft.pk]},
    )
    review = reverse("admin:assumptions_assumptionset_publish", args=[draft.pk])
    assert response.status_code == 302 and response["Location"] == review
    draft.refresh_from_db()
    assert not draft.is_published

    response = staff.post(review, {"note": "First version."}, follow=True)

    draft.refresh_from_db()
    assert draft.is_published and draft.published_at is not None
    assert draft.change_note == "First version."
    (message,) = messages_of(response)
    assert message.startswith("Published Draft set v1")
    assert staff.get(url(AssumptionSet, "change", draft.pk)).status_code == 200


def test_publish_action_refuses_an_incomplete_draft(staff, draft):
    MarketRate.objects.filter(market__slug="us", language="python").delete()
    InstanceType.objects.filter(assumption_set=draft).delete()

    response = staff.post(
        url(AssumptionSet),
        {"action": "publish_sets", "_selected_action": [draft.pk]},
        follow=True,
    )

    draft.refresh_from_db()
    assert draft.status == AssumptionSet.Status.DRAFT and draft.published_at is None
    (message,) = get_messages(response.wsgi_request)
    assert message.level == messages.ERROR
    assert "was not published" in str(message)
    assert "The set has no instance types." in str(message)
    assert "United States has no figures for python engineers." in str(message)


def test_publish_action_refuses_a_published_set(staff, published):
    published_at = published.published_at
    response = staff.post(
        url(AssumptionSet),
        {"action": "publish_sets", "_selected_action": [published.pk]},
        follow=True,
    )
    published.refresh_from_db()
    assert published.published_at == published_at
    (message,) = messages_of(response)
    assert "already published" in message


# A published set is frozen ------------------------------------------------------------


def test_published_set_change_page_is_read_only(staff, published):
    response = staff.get(url(AssumptionSet, "change", published.pk))

    assert response.status_code == 200
    content = response.content.decode()
    assert 'name="_save"' not in content and 'name="name"' not in content
    assert "Published set" in content
    for inline in response.context["inline_admin_formsets"]:
        assert not inline.has_change_permission and not inline.has_add_permission
        assert not inline.has_delete_permission


def test_posting_to_a_published_set_changes_nothing(staff, published, draft):
    response = staff.post(
        url(AssumptionSet, "change", published.pk),
        {
            "name": "Hacked",
            "as_of": "2026-01-01",
            "_save": "Save",
        },
    )
    assert response.status_code == 403
    published.refresh_from_db()
    assert published.name == "Published set"

    stack = published.stacks.get(slug="go")
    response = staff.post(url(Stack, "change", stack.pk), {"rps_per_vcpu": "1"})
    assert response.status_code == 403
    stack.refresh_from_db()
    assert stack.rps_per_vcpu == 4000.0

    source = published.sources.get()
    assert staff.post(url(Source, "change", source.pk), {"title": "x"}).status_code == 403
    source.refresh_from_db()
    assert source.title == "Test figures"


def test_adding_a_row_to_a_published_set_is_refused(staff, published):
    response = staff.post(
        url(Market, "add"),
        {
            "assumption_set": published.pk,
            "name": "Nowhere",
            "slug": "nowhere",
            "rates-TOTAL_FORMS": "0",
            "rates-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    assert "assumption_set" in response.context["adminform"].form.errors
    assert not Market.objects.filter(slug="nowhere").exists()


NEVER_CHANGES = "A published set never changes; clone it to make a new version."


def test_deleting_a_published_set_or_its_rows_is_refused_saying_why(staff, published):
    stack = published.stacks.first()
    for model, pk in ((AssumptionSet, published.pk), (Stack, stack.pk)):
        target = url(model, "delete", pk)
        for response in (staff.get(target), staff.post(target, {"post": "yes"})):
            assert response.status_code == 302
            assert response["Location"] == url(model, "change", pk)
            message = messages_of(response)[-1]  # earlier ones were never shown, so kept
            assert message.startswith("Nothing was deleted: ") and message.endswith(NEVER_CHANGES)
            assert "permission" not in message

        selected = {"action": "delete_selected", "_selected_action": [pk]}
        for data in (selected, {**selected, "post": "yes"}):
            response = staff.post(url(model), data)
            assert response.status_code == 302
            message = messages_of(response)[-1]
            assert NEVER_CHANGES in message and str(published) in message
    message = messages_of(staff.get(url(AssumptionSet, "delete", published.pk)))[-1]
    assert message == f"Nothing was deleted: {published} is published. {NEVER_CHANGES}"
    assert AssumptionSet.objects.filter(pk=published.pk).exists()
    assert Stack.objects.filter(pk=stack.pk).exists()


def test_a_draft_is_still_deleted_from_the_list(staff, draft):
    selected = {"action": "delete_selected", "_selected_action": [draft.pk], "post": "yes"}
    response = staff.post(url(AssumptionSet), selected)
    assert response.status_code in (200, 302)
    assert not AssumptionSet.objects.filter(pk=draft.pk).exists()


def test_the_admin_is_branded_and_spells_vcpu(staff, draft):
    content = staff.get(reverse("admin:index")).content.decode()
    assert "costcalc workshop" in content and "Django administration" not in content
    instance = draft.instance_types.first()
    for page in (url(InstanceType), url(InstanceType, "change", instance.pk), url(Stack)):
        content = staff.get(page).content.decode()
        assert "vCPU" in content and "VCPU" not in content and "Vcpu" not in content, page


# Editing a draft ------------------------------------------------------------------------


def test_editing_a_draft_on_its_page_saves_the_set_and_its_markets(staff, draft):
    page = staff.get(url(AssumptionSet, "change", draft.pk))
    data = form_data(page)
    data["name"] = "Renamed draft"
    markets = inline_prefix(page, Market)
    index = next(i for i in range(3) if data[f"{markets}-{i}-slug"] == "us")
    data[f"{markets}-{index}-note"] = "The fifty states."

    response = staff.post(url(AssumptionSet, "change", draft.pk), data)

    assert response.status_code == 302, response.context and [
        f.errors for i in response.context["inline_admin_formsets"] for f in i.formset.forms
    ]
    draft.refresh_from_db()
    assert draft.name == "Renamed draft"
    assert draft.markets.get(slug="us").note == "The fifty states."


def test_a_new_set_is_added_with_its_sources(staff):
    page = staff.get(url(AssumptionSet, "add"))
    assert [i.formset.model for i in page.context["inline_admin_formsets"]] == [Source]
    prefix = inline_prefix(page, Source)
    response = staff.post(
        url(AssumptionSet, "add"),
        {
            "name": "New set",
            "slug": "new",
            "version": "1",
            "as_of": "2026-02-01",
            f"{prefix}-TOTAL_FORMS": "1",
            f"{prefix}-INITIAL_FORMS": "0",
            f"{prefix}-0-key": "bench",
            f"{prefix}-0-title": "A benchmark",
            f"{prefix}-0-url": "https://example.com/b",
            "_save": "Save",
        },
    )
    assert response.status_code == 302
    aset = AssumptionSet.objects.get(slug="new")
    assert aset.status == AssumptionSet.Status.DRAFT
    assert aset.sources.get().title == "A benchmark"


def test_low_above_base_is_shown_beside_the_field(staff, draft):
    stack = draft.stacks.get(slug="go")
    page = staff.get(url(Stack, "change", stack.pk))
    data = form_data(page)
    data["rps_per_vcpu_low"] = "5000"  # base is 4000

    response = staff.post(url(Stack, "change", stack.pk), data)

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert errors["rps_per_vcpu"] == ["The base value must lie within its low..high range."]
    assert "The base value must lie within its low..high range." in response.content.decode()
    stack.refresh_from_db()
    assert stack.rps_per_vcpu_low == 2000.0


def test_a_price_outside_its_range_is_shown_on_the_instance_types_page(staff, draft):
    instance = draft.instance_types.first()
    data = form_data(staff.get(url(InstanceType, "change", instance.pk)))
    data["price_per_hour_low"] = "9"
    data["price_per_hour_high"] = "10"

    response = staff.post(url(InstanceType, "change", instance.pk), data)

    assert response.status_code == 200
    assert "price_per_hour" in response.context["adminform"].form.errors
    assert not InstanceType.objects.filter(price_per_hour_low=9).exists()


def test_a_source_of_another_set_is_refused_beside_the_field(staff, draft, published):
    stack = draft.stacks.get(slug="go")
    data = form_data(staff.get(url(Stack, "change", stack.pk)))
    data["cpu_multiplier_source"] = published.sources.get().pk

    response = staff.post(url(Stack, "change", stack.pk), data)

    assert response.status_code == 200
    assert "cpu_multiplier_source" in response.context["adminform"].form.errors
    stack.refresh_from_db()
    assert stack.cpu_multiplier_source.assumption_set == draft


def test_adding_a_stack_citing_another_sets_source_is_refused(staff, draft):
    other = make_set(slug="other", published=False)
    data = {"assumption_set": draft.pk, "name": "Gin", "slug": "gin", "language": "go"}
    for name in Stack.figures:
        data[name] = "1"
        data[f"{name}_source"] = draft.sources.get().pk
    data["weeks_to_first_api_source"] = other.sources.get().pk

    response = staff.post(url(Stack, "add"), data)

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["weeks_to_first_api_source"] == [
        "Cite a source of this same assumption set."
    ]
    data["weeks_to_first_api_source"] = draft.sources.get().pk
    assert staff.post(url(Stack, "add"), data).status_code == 302
    assert draft.stacks.filter(slug="gin").exists()


def test_a_drafts_row_can_be_deleted(staff, draft):
    stack = draft.stacks.get(slug="go")
    response = staff.post(url(Stack, "delete", stack.pk), {"post": "yes"})
    assert response.status_code == 302
    assert not draft.stacks.filter(slug="go").exists()


def test_view_on_site_leads_a_draft_to_its_preview(staff, published, draft):
    assert staff.get(url(AssumptionSet, "change", published.pk)).context["has_absolute_url"]
    page = staff.get(url(AssumptionSet, "change", draft.pk))
    assert page.context["has_absolute_url"] and "View on site" in page.content.decode()
    # Its page is the staff-only preview (tests/test_preview.py): staff see it.
    assert staff.get(draft.get_absolute_url()).status_code == 200


def test_a_refusal_by_the_models_is_a_message_not_a_server_error(staff, published, monkeypatch):
    # As if the set were published between the permission check and the save.
    monkeypatch.setattr(AssumptionSetAdmin, "has_change_permission", lambda *a, **k: True)
    data = form_data(staff.get(url(AssumptionSet, "change", published.pk)))
    data["name"] = "Changed"

    response = staff.post(url(AssumptionSet, "change", published.pk), data, follow=True)

    assert response.status_code == 200
    assert any("can no longer change" in m for m in messages_of(response))
    published.refresh_from_db()
    assert published.name == "Published set"
