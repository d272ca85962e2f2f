"""The public assumption pages: published sets only, every figure with its source, escaped."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from costcalc.assumptions.models import InstanceType, Market, MarketRate, Source, Stack
from tests.factories import STACKS, make_set, make_source

pytestmark = pytest.mark.django_db

FIGURE_COUNT = len(STACKS) * len(Stack.figures) + 2 * 3 * len(MarketRate.figures) + 2


def version_url(aset):
    return reverse("assumptions:version", args=[aset.slug, aset.version])


def test_list_shows_newest_published_versions_with_older_ones_beneath(client):
    v1 = make_set(slug="alpha", name="Alpha set")
    v2 = v1.clone()
    v2.summary = "Second look"
    v2.save()
    v2.publish()
    v3 = v2.clone()  # a draft: not public
    make_set(slug="beta", name="Beta set")
    make_set(slug="hidden", name="Hidden draft", published=False)

    response = client.get(reverse("assumptions:list"))

    assert response.status_code == 200
    groups = response.context["groups"]
    assert [(g["latest"].slug, g["latest"].version) for g in groups] == [("alpha", 2), ("beta", 1)]
    assert [old.version for old in groups[0]["older"]] == [1]
    content = response.content.decode()
    assert "Alpha set" in content and "Beta set" in content and "Second look" in content
    assert "Hidden draft" not in content
    assert f'href="{reverse("assumptions:detail", args=["alpha"])}"' in content
    assert f'href="{version_url(v1)}"' in content
    assert f'href="{version_url(v2)}"' in content
    assert version_url(v3) not in content
    assert "1 January 2026" in content


def test_list_without_published_sets(client):
    make_set(published=False)
    response = client.get(reverse("assumptions:list"))
    assert response.status_code == 200
    assert "No assumption set has been published yet." in response.content.decode()


def test_detail_shows_every_figure_with_unit_range_and_source(client):
    aset = make_set()
    aset.notes = "Figures are round.\n\nOn purpose."
    aset.__class__.objects.filter(pk=aset.pk).update(notes=aset.notes)

    response = client.get(reverse("assumptions:detail", args=[aset.slug]))

    assert response.status_code == 200
    assert response.context["aset"] == aset
    content = response.content.decode()
    for slug in STACKS:
        assert f'id="stack-{slug}"' in content
    for market in ("us", "eu-east"):
        assert f'id="market-{market}"' in content
        for language in ("go", "python", "javascript"):
            assert f'id="market-{market}-{language}"' in content
    for instance in ("box-4", "box-2"):
        assert f'id="instance-{instance}"' in content
    assert 'id="source-test"' in content
    # Every figure cites its source, by name and by a link to the source's entry.
    assert content.count('href="#source-test"') == FIGURE_COUNT
    assert content.count('href="https://example.com/t"') == FIGURE_COUNT + 1
    assert "costcalc tests" in content and "1 Jan 2026" in content
    # Values with units and ranges, formatted in Python.
    assert "4,000 <span" in content and "2,000–8,000" in content  # Go requests/s per vCPU
    assert "requests/s per vCPU" in content
    assert "120,000 <span" in content and "USD per year" in content
    assert "30.4 <span" in content  # 365 / 12 days to fill
    assert "0.05 <span" in content and "USD per hour" in content
    for field in ("Requests per second per vCPU", "Annual salary", "Price per hour"):
        assert field in content
    assert "<p>Figures are round.</p>" in content and "<p>On purpose.</p>" in content


def test_detail_of_a_version_and_the_newest(client):
    v1 = make_set()
    v2 = v1.clone()
    Stack.objects.filter(assumption_set=v2, slug="go").update(rps_per_vcpu=5000.0)
    v2.publish()

    newest = client.get(reverse("assumptions:detail", args=[v1.slug]))
    old = client.get(version_url(v1))
    pinned = client.get(version_url(v2))

    assert newest.context["aset"] == v2 and pinned.context["aset"] == v2
    assert old.context["aset"] == v1
    assert "5,000 <span" in newest.content.decode()
    old_content = old.content.decode()
    assert "This is an older version" in old_content
    assert f'href="{version_url(v2)}"' in old_content
    assert "5,000 <span" not in old_content
    assert "This is an older version" not in newest.content.decode()


def test_source_fields_and_notes_are_escaped(client):
    aset = make_set(published=False)
    evil = make_source(
        aset,
        key="evil",
        title="<script>alert(1)</script>",
        url="javascript:alert(2)",
        publisher="<b>Bold</b> & co",
        note='<img src=x onerror="alert(3)">',
    )
    Stack.objects.filter(assumption_set=aset, slug="go").update(cpu_multiplier_source=evil)
    Market.objects.filter(assumption_set=aset, slug="us").update(note="<i>US</i>")
    aset.notes = "<script>alert(4)</script>"
    aset.summary = '"><script>alert(5)</script>'
    aset.save()
    aset.publish()

    response = client.get(version_url(aset))

    content = response.content.decode()
    assert response.status_code == 200
    assert "<script>alert(" not in content
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in content
    assert "&lt;b&gt;Bold&lt;/b&gt; &amp; co" in content
    assert "&lt;img src=x onerror=" in content
    assert "&lt;i&gt;US&lt;/i&gt;" in content
    assert "&lt;script&gt;alert(4)&lt;/script&gt;" in content
    assert "&quot;&gt;&lt;script&gt;alert(5)" in content
    assert 'href="javascript:' not in content  # shown as text, never linked
    assert 'id="source-evil"' in content and 'href="#source-evil"' in content
    list_content = client.get(reverse("assumptions:list")).content.decode()
    assert "<script>alert(" not in list_content


@pytest.mark.parametrize(
    "path",
    [
        "/assumptions/nope/",
        "/assumptions/nope/v1/",
        "/assumptions/test-set/v9/",
        "/assumptions/test-set/v0/",
        "/assumptions/test-set/v3/",  # a draft version of a published set
        "/assumptions/draft-only/",
        "/assumptions/draft-only/v1/",
    ],
)
def test_unknown_and_draft_sets_are_404(client, path):
    v2 = make_set().clone()
    v2.publish()
    assert not v2.clone().is_published  # v3
    make_set(slug="draft-only", published=False)

    assert client.get(path).status_code == 404


def test_draft_latest_does_not_replace_the_published_one(client):
    published = make_set()
    draft = published.clone()
    Stack.objects.filter(assumption_set=draft, slug="go").update(name="Draft stack name")

    response = client.get(reverse("assumptions:detail", args=[published.slug]))

    assert response.context["aset"] == published
    assert "Draft stack name" not in response.content.decode()
    assert f"/v{draft.version}/" not in response.content.decode()


def test_pages_accept_only_get(client):
    make_set()
    assert client.post(reverse("assumptions:list")).status_code == 405
    assert client.post(reverse("assumptions:detail", args=["test-set"])).status_code == 405


def grow(aset, n):
    """Add n more of every kind of row to a draft, all citing a new source."""
    source = Source.objects.create(assumption_set=aset, key="more", title="More")
    for i in range(n):
        Stack.objects.create(
            assumption_set=aset,
            slug=f"s{i}",
            name=f"S{i}",
            language="python",
            **{f: 1.0 for f in Stack.figures},
            **{f: source for f in Stack.source_fields()},
        )
        market = Market.objects.create(assumption_set=aset, slug=f"m{i}", name=f"M{i}")
        for language in ("go", "python", "javascript"):
            MarketRate.objects.create(
                market=market,
                language=language,
                **{f: 1.0 for f in MarketRate.figures},
                **{f: source for f in MarketRate.source_fields()},
            )
        InstanceType.objects.create(
            assumption_set=aset,
            slug=f"i{i}",
            name=f"I{i}",
            provider="P",
            region="r",
            vcpu=1,
            memory_gb=1,
            price_per_hour=1.0,
            price_per_hour_source=source,
        )


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_query_count_does_not_grow_with_the_set(client, django_assert_max_num_queries):
    small = make_set(slug="small")
    big = make_set(slug="big", published=False)
    grow(big, 5)
    big.publish()
    make_set(slug="other").clone().publish()

    with django_assert_max_num_queries(8):
        client.get(version_url(small))
    with django_assert_max_num_queries(8):
        client.get(reverse("assumptions:detail", args=["big"]))
    assert count_queries(client, version_url(small)) == count_queries(client, version_url(big))
    with django_assert_max_num_queries(2):
        client.get(reverse("assumptions:list"))


def test_every_figure_is_one_value_cell(client):
    aset = make_set()
    content = client.get(version_url(aset)).content.decode()
    assert content.count('class="num value"') == FIGURE_COUNT
