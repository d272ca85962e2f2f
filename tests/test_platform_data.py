"""Platform prices (issue 16): the per-set table, its fixtures, pages, API and admin."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from costcalc.assumptions.models import AssumptionSet, PlatformPrice, PublishedSetError
from costcalc.assumptions.snapshot import snapshot
from costcalc.engine.figures import COLD_START, PLATFORM_PRICES, SET_ROWS
from tests.factories import TEST_PLATFORM, make_set

pytestmark = pytest.mark.django_db

# docs/platform-figures.md, tables 1a-1c: the figures each version 3 set carries.
DOC_FIGURES = {
    "rds-pg-t4g-medium": 0.065,
    "rds-pg-r8g-large": 0.239,
    "rds-pg-r8g-xlarge": 0.478,
    "aurora-pg-r7g-large": 0.26,
    "cloudsql-pg-2vcpu-8gb": 2 * 0.0413 + 8 * 0.007,
    "db-storage-gb-month": 0.115,
    "cache-gb-hour": 0.084,
    "cache-minimum-gb": 0.1,
    "cache-ecpu-million": 0.0023,
    "lb-hour": 0.0225,
    "lb-lcu-hour": 0.008,
    "egress-free-gb": 100,
    "egress-tier-1": 0.09,
    "egress-tier-2": 0.085,
    "egress-tier-3": 0.07,
    "egress-tier-4": 0.05,
    "obs-host-month": 23,
    "obs-apm-host-month": 31,
    "obs-log-ingest-gb": 0.5,
    "obs-log-storage-gb-month": 0.03,
}


@pytest.fixture
def shipped():
    call_command("load_assumptions", verbosity=0)
    return AssumptionSet.objects


def test_version_3_sets_carry_the_researched_figures_each_dated_and_sourced(shipped):
    for slug in ("independent-2026", "seed-article-2026"):
        aset = shipped.get(slug=slug, version=3)
        rows = {p.slug: p for p in aset.platform_prices.select_related("value_source")}
        assert {s: p.value for s, p in rows.items()} == pytest.approx(DOC_FIGURES, abs=1e-12)
        assert PLATFORM_PRICES.keys() <= rows.keys()  # every price the engine reads
        for row in rows.values():
            row.full_clean()
            assert row.value_source.date is not None and row.value_source.note
            assert row.kind == PLATFORM_PRICES.get(row.slug, ("database",))[0]
        # the one figure no source gives is derived by a rule that says so, with a wide range
        derived = rows["rds-pg-r8g-large"]
        assert derived.value_source.title.endswith("(our rule)")
        assert derived.value_low < derived.value < derived.value_high


def test_version_4_sets_carry_every_row_the_engine_reads_with_its_kind_and_source(shipped):
    for slug in ("independent-2026", "seed-article-2026"):
        aset = shipped.get(slug=slug, version=4)
        rows = {p.slug: p for p in aset.platform_prices.select_related("value_source")}
        colds = {f"{COLD_START}{s}": ("functions", "") for s in ("fastapi", "express", "go")}
        for name, (kind, _) in (SET_ROWS | colds).items():
            assert rows[name].kind == kind, name
            assert rows[name].value_source.date is not None and rows[name].value_source.note


def test_versions_1_and_2_have_no_platform_prices(shipped):
    # Version 2 was published before platform prices existed: adding them made version 3.
    for aset in shipped.filter(version__lt=3):
        assert not aset.platform_prices.exists()
        assert snapshot(aset).platform == {}


def test_the_snapshot_holds_each_price_with_its_source(shipped):
    snap = snapshot(shipped.get(slug="independent-2026", version=3))
    lb = snap.platform["lb-hour"]
    assert (lb.kind, lb.unit, lb.value.base) == ("load-balancer", "USD per hour", 0.0225)
    assert snap.sources[lb.value.source].date == "2026-05-01"
    assert [d.slug for d in snap.databases] == [
        "aurora-pg-r7g-large",
        "cloudsql-pg-2vcpu-8gb",
        "rds-pg-r8g-large",
        "rds-pg-r8g-xlarge",
        "rds-pg-t4g-medium",
    ]


def test_the_set_page_lists_every_platform_price_with_unit_and_source(client, shipped):
    response = client.get("/assumptions/independent-2026/")
    content = response.content.decode()
    assert 'id="platform-egress-tier-2"' in content
    assert "Internet egress, the next 40 TB" in content and "USD per GB" in content
    assert "AWS data transfer pricing guide" in content
    assert 'id="platform-rds-pg-r8g-large"' in content and "0.2–0.3" in content
    old = client.get("/assumptions/independent-2026/v1/").content.decode()
    assert "This set has no platform prices" in old


def test_the_api_lists_every_platform_price(client, shipped):
    data = client.get("/api/v1/assumption-sets/independent-2026").json()
    prices = {p["slug"]: p for p in data["platform_prices"]}
    # the newest version's: the platform lines' prices, and version 4's pricing and hosting rows
    lines = {
        s for s, p in prices.items() if p["kind"] not in ("pricing", "containers", "functions")
    }
    assert lines == DOC_FIGURES.keys()
    lcu = prices["lb-lcu-hour"]
    assert lcu["kind"] == "load-balancer" and lcu["provider"] == "AWS"
    assert lcu["figures"]["value"] == {
        "value": 0.008,
        "low": None,
        "high": None,
        "unit": "USD per LCU-hour",
        "source": "alb-cloud-horizons",
    }
    old = client.get("/api/v1/assumption-sets/independent-2026?version=1").json()
    assert old["platform_prices"] == []


def test_a_published_sets_prices_never_change_and_a_clone_copies_them():
    aset = make_set(slug="plat", platform=True)
    price = aset.platform_prices.get(slug="lb-hour")
    price.value = 1.0
    with pytest.raises(PublishedSetError):
        price.save()
    clone = aset.clone()
    copied = {p.slug: p.value for p in clone.platform_prices.all()}
    assert copied == {slug: value for slug, (_, _, value) in TEST_PLATFORM.items()}
    assert all(p.value_source.assumption_set_id == clone.pk for p in clone.platform_prices.all())


def url(view, *args):
    return reverse(f"admin:assumptions_platformprice_{view}", args=args)


def post_value(staff, row, **values):
    """Post the row's admin page with its value fields changed to ``values``."""
    fields = ("name", "slug", "kind", "unit", "provider", "region")
    data = {name: getattr(row, name) for name in fields}
    data |= {"value_low": "", "value_high": "", "value_source": row.value_source_id}
    return staff.post(
        url("change", row.pk), {**data, **values, "value_confirmed": "on", "_save": "Save"}
    )


def test_the_admin_edits_a_drafts_prices_and_refuses_a_published_sets(staff):
    draft = make_set(slug="plat-draft", published=False, platform=True)
    published = make_set(slug="plat-pub", platform=True)
    assert staff.get(url("changelist")).status_code == 200
    row = draft.platform_prices.get(slug="egress-tier-1")
    page = staff.get(url("change", row.pk))
    assert page.status_code == 200 and 'name="value"' in page.content.decode()
    response = post_value(staff, row, value="0.2")
    assert response.status_code == 302, response.content.decode()[:2000]
    row.refresh_from_db()
    assert row.value == 0.2
    frozen = published.platform_prices.get(slug="egress-tier-1")
    assert staff.post(url("change", frozen.pk), {"value": "9"}).status_code == 403
    frozen.refresh_from_db()
    assert frozen.value == 0.1
    # the set's page links each of a draft's prices, and offers to add one
    content = staff.get(reverse("admin:assumptions_assumptionset_change", args=[draft.pk]))
    assert "egress-tier-1: Test egress-tier-1" in content.content.decode()
    assert "Add a platform price" in content.content.decode()


def test_a_price_outside_its_range_is_refused_beside_the_field(staff):
    draft = make_set(slug="plat-range", published=False, platform=True)
    row = draft.platform_prices.get(slug="lb-hour")
    response = post_value(staff, row, value="5", value_low="0.01", value_high="0.03")
    assert response.status_code == 200
    assert "value" in response.context["adminform"].form.errors
    assert PlatformPrice.objects.get(pk=row.pk).value == 0.02
