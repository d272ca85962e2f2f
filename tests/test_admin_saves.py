"""Every admin page of a draft saves as a browser would post it, with the shipped sets.

The data posted is read from the rendered page (not from the form objects), so that a page
posting more fields than Django accepts, or a field the page renders but the form refuses,
fails here as it would for an analyst.
"""

from __future__ import annotations

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse

from costcalc.assumptions.admin.common import figure_text
from costcalc.assumptions.models import AssumptionSet, InstanceType, MarketRate, Source, Stack
from tests.factories import posted

pytestmark = pytest.mark.django_db


def field_count(data: dict[str, list[str]]) -> int:
    return sum(len(values) for values in data.values())


@pytest.fixture
def shipped_draft(staff):
    """A draft cloned from a shipped set as the admin's clone action makes it."""
    call_command("load_assumptions", verbosity=0)
    shipped = AssumptionSet.objects.published().order_by("slug", "-version").first()
    response = staff.post(
        reverse("admin:assumptions_assumptionset_changelist"),
        {"action": "clone_sets", "_selected_action": [shipped.pk]},
    )
    assert response.status_code == 302
    return AssumptionSet.objects.get(slug=shipped.slug, version=shipped.version + 1)


def within_range(row, name: str) -> float:
    """A new value for a figure that its range (if any) still holds."""
    base, low = getattr(row, name), getattr(row, f"{name}_low")
    new = (low + base) / 2 if low is not None and low != base else base * 1.01
    if getattr(row, f"{name}_high") is not None and low == base:
        new = (base + getattr(row, f"{name}_high")) / 2
    assert new != base
    return new


def change_url(obj) -> str:
    return reverse(f"admin:assumptions_{obj._meta.model_name}_change", args=[obj.pk])


def save_with(staff, obj, changes: dict[str, str], tick: tuple[str, ...] = (), expect=302):
    """Post the page back as shown, with ``changes`` typed in and the ``tick`` boxes ticked."""
    page = staff.get(change_url(obj))
    assert page.status_code == 200
    content = page.content.decode()
    data = posted(content)
    assert "_save" in data, "the page offers no Save"
    for name, value in changes.items():
        assert name in data, f"{name} is not on {change_url(obj)}"
        data[name] = [value]
    for name in tick:
        assert f'type="checkbox" name="{name}"' in content, f"no box {name}"
        data[name] = ["on"]
    # Django refuses the whole post past this many fields; every page must stay under it.
    assert field_count(data) < settings.DATA_UPLOAD_MAX_NUMBER_FIELDS, field_count(data)

    response = staff.post(change_url(obj), data)

    errors = response.context and response.context["adminform"].form.errors
    assert response.status_code == expect, errors
    return response


def test_the_sets_own_page_saves_its_name_date_summary_and_notes(staff, shipped_draft):
    save_with(
        staff,
        shipped_draft,
        {
            "name": "Renamed set",
            "as_of": "2026-12-01",
            "summary": "Prices of December 2026.",
            "notes": "Throughput from round 23.\nPrices re-read on 1 December.",
        },
    )

    shipped_draft.refresh_from_db()
    assert shipped_draft.name == "Renamed set"
    assert shipped_draft.as_of.isoformat() == "2026-12-01"
    assert shipped_draft.summary == "Prices of December 2026."
    assert shipped_draft.notes == "Throughput from round 23.\nPrices re-read on 1 December."


def test_the_sets_page_links_every_row_to_its_own_page(staff, shipped_draft):
    content = staff.get(change_url(shipped_draft)).content.decode()
    rows = [
        *shipped_draft.sources.all(),
        *shipped_draft.stacks.all(),
        *shipped_draft.instance_types.all(),
        *MarketRate.objects.filter(market__assumption_set=shipped_draft),
    ]
    assert len(rows) > 20
    for row in rows:
        assert f'href="{change_url(row)}"' in content, row
    # The links carry each row's key figures, e.g. a stack's requests per vCPU.
    stack = shipped_draft.stacks.first()
    assert figure_text(stack, "rps_per_vcpu") in content


def test_a_market_inline_saves_on_the_sets_page(staff, shipped_draft):
    page = staff.get(change_url(shipped_draft))
    data = posted(page.content.decode())
    name_field = next(n for n in data if n.endswith("-0-name") and "market" in n)
    market = shipped_draft.markets.get(name=data[name_field][0])
    save_with(staff, shipped_draft, {name_field: "Renamed market"})
    market.refresh_from_db()
    assert market.name == "Renamed market"


# A row of each kind that holds figures, from the shipped draft, and the figure changed on it.
FIGURE_ROWS = {
    "stack": (lambda aset: aset.stacks.order_by("slug").first(), "rps_per_vcpu"),
    "market rate": (
        lambda aset: MarketRate.objects.filter(market__assumption_set=aset).first(),
        "annual_salary",
    ),
    "instance type": (lambda aset: aset.instance_types.first(), "price_per_hour"),
}


@pytest.mark.parametrize("kind", FIGURE_ROWS)
def test_a_figure_rows_own_page_saves_a_figure(staff, shipped_draft, kind):
    first_row, figure = FIGURE_ROWS[kind]
    row = first_row(shipped_draft)
    new = within_range(row, figure)
    save_with(staff, row, {figure: str(new)}, tick=(f"{figure}_confirmed",))
    row.refresh_from_db()
    assert getattr(row, figure) == new


def test_a_markets_and_a_sources_own_pages_save(staff, shipped_draft):
    market = shipped_draft.markets.first()
    save_with(staff, market, {"note": "Countries paid alike."})
    market.refresh_from_db()
    assert market.note == "Countries paid alike."

    source = shipped_draft.sources.first()
    save_with(staff, source, {"title": "A retitled source"})
    source.refresh_from_db()
    assert source.title == "A retitled source"


def test_add_links_fill_in_the_set(staff, shipped_draft):
    content = staff.get(change_url(shipped_draft)).content.decode()
    for model in (Source, Stack, InstanceType):
        add = reverse(f"admin:assumptions_{model._meta.model_name}_add")
        assert f'href="{add}?assumption_set={shipped_draft.pk}"' in content
        page = staff.get(f"{add}?assumption_set={shipped_draft.pk}")
        assert page.context["adminform"].form.initial["assumption_set"] == str(shipped_draft.pk)


# A figure changes with its source ----------------------------------------------------

SOURCE_AGAIN = "The value changed but its source did not"


def test_a_changed_price_citing_the_same_source_is_refused(staff, shipped_draft):
    instance = shipped_draft.instance_types.first()
    old = instance.price_per_hour

    response = save_with(
        staff,
        instance,
        {"price_per_hour": str(within_range(instance, "price_per_hour"))},
        expect=200,
    )

    (error,) = response.context["adminform"].form.errors["price_per_hour_source"]
    assert error.startswith(SOURCE_AGAIN) and "source confirms the new value" in error
    assert SOURCE_AGAIN in response.content.decode()
    instance.refresh_from_db()
    assert instance.price_per_hour == old


def test_a_changed_range_alone_is_refused_too(staff, shipped_draft):
    stack = shipped_draft.stacks.exclude(rps_per_vcpu_low=None).first()
    response = save_with(
        staff, stack, {"rps_per_vcpu_low": str(stack.rps_per_vcpu_low * 0.9)}, expect=200
    )
    assert "rps_per_vcpu_source" in response.context["adminform"].form.errors


def test_a_changed_value_saves_with_a_new_source(staff, shipped_draft):
    instance = shipped_draft.instance_types.first()
    other = (
        Source.objects.filter(assumption_set=shipped_draft)
        .exclude(pk=instance.price_per_hour_source_id)
        .first()
    )
    new = within_range(instance, "price_per_hour")

    save_with(staff, instance, {"price_per_hour": str(new), "price_per_hour_source": str(other.pk)})

    instance.refresh_from_db()
    assert instance.price_per_hour == new and instance.price_per_hour_source == other


def test_other_fields_and_unchanged_figures_save_without_confirmation(staff, shipped_draft):
    stack = shipped_draft.stacks.first()
    save_with(staff, stack, {"name": "Renamed stack"})
    stack.refresh_from_db()
    assert stack.name == "Renamed stack"
