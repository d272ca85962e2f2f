"""The shipped assumption sets: they load, are complete and sourced, and the engine runs on them."""

import json
import math
from pathlib import Path

import pytest
from django.conf import settings
from django.core import serializers
from django.core.management import call_command

from costcalc import engine
from costcalc.assumptions import models
from costcalc.assumptions.snapshot import snapshot

pytestmark = pytest.mark.django_db

FIXTURE_DIR = Path(settings.FIXTURE_DIRS[0])
FILES = {"seed-article-2026": "seed-article-2026.json", "independent-2026": "independent-2026.json"}
SLUGS = tuple(FILES)
STACKS = {"fastapi": "python", "express": "javascript", "go": "go"}
MARKETS = ("us", "western-europe", "eastern-europe", "india", "latin-america")
INSTANCES = {
    "c7i-xlarge": "us-east-1",
    "c7g-xlarge": "us-east-1",
    "m7i-xlarge": "us-east-1",
    "fargate-4vcpu-8gb": "us-east-1",
    "gcp-c3-highcpu-4": "us-central1",
    "gcp-n2-standard-4": "us-central1",
}
FIGURE_MODELS = (models.Stack, models.MarketRate, models.InstanceType)
# Every kind of row an assumption set owns, in the fixtures' dependency order.
SET_ROWS = (models.Source, models.Market, *FIGURE_MODELS)


@pytest.fixture
def loaded():
    call_command("load_assumptions", verbosity=0)
    return {slug: models.AssumptionSet.objects.get(slug=slug, version=1) for slug in SLUGS}


def rows(model, aset):
    return model.objects.filter(**{model.set_path: aset})


def dump_all() -> str:
    objects = [
        obj for model in (models.AssumptionSet, *SET_ROWS) for obj in model.objects.order_by("pk")
    ]
    return serializers.serialize(
        "json", objects, use_natural_foreign_keys=True, use_natural_primary_keys=True
    )


@pytest.mark.parametrize("slug", SLUGS)
def test_fixture_files_use_natural_keys_and_dependency_order(slug):
    objects = json.loads((FIXTURE_DIR / FILES[slug]).read_text())
    assert all("pk" not in o for o in objects)
    order = [
        "assumptions.assumptionset",
        "assumptions.source",
        "assumptions.market",
        "assumptions.stack",
        "assumptions.marketrate",
        "assumptions.instancetype",
    ]
    ranks = [order.index(o["model"]) for o in objects]
    assert ranks == sorted(ranks)
    for o in objects:
        for name, value in o["fields"].items():
            if name.endswith("_source"):
                assert value[:2] == [slug, 1]


def test_both_sets_load_published_and_complete(loaded):
    for slug, aset in loaded.items():
        assert aset.is_published, slug
        assert aset.published_at is not None
        assert aset.as_of is not None
        assert aset.summary and aset.notes
        assert aset.completeness_problems() == []


def test_required_stacks_markets_rates_and_instances_exist_in_both_sets(loaded):
    for aset in loaded.values():
        assert dict(aset.stacks.values_list("slug", "language")) == STACKS
        assert set(aset.markets.values_list("slug", flat=True)) == set(MARKETS)
        for market in aset.markets.all():
            assert set(market.rates.values_list("language", flat=True)) == set(STACKS.values())
        assert dict(aset.instance_types.values_list("slug", "region")) == INSTANCES
        for inst in aset.instance_types.all():
            assert inst.vcpu == 4


def test_seed_throughput_keeps_the_articles_ratios(loaded):
    rps = dict(loaded["seed-article-2026"].stacks.values_list("slug", "rps_per_vcpu"))
    go_fastapi = rps["go"] / rps["fastapi"]
    go_express = rps["go"] / rps["express"]
    assert go_fastapi == pytest.approx(142_000 / 38_000, rel=1e-12)
    assert go_express == pytest.approx(142_000 / 19_000, rel=1e-12)
    assert math.floor(go_fastapi * 10) / 10 == 3.7
    assert math.floor(go_express * 10) / 10 == 7.4


def test_seed_weeks_to_first_api_are_the_articles_ranges(loaded):
    stacks = {s.slug: s for s in loaded["seed-article-2026"].stacks.all()}
    expected = {"fastapi": (1, 2), "express": (1, 3), "go": (3, 6)}
    for slug, (low, high) in expected.items():
        stack = stacks[slug]
        assert (stack.weeks_to_first_api_low, stack.weeks_to_first_api_high) == (low, high)
        assert stack.weeks_to_first_api == (low + high) / 2


def test_seed_cpu_multiplier_is_the_articles_two_to_ten_range(loaded):
    stacks = {s.slug: s for s in loaded["seed-article-2026"].stacks.all()}
    assert stacks["go"].cpu_multiplier == 1
    for slug in ("fastapi", "express"):
        stack = stacks[slug]
        assert (stack.cpu_multiplier_low, stack.cpu_multiplier_high) == (2, 10)
        assert stack.cpu_multiplier == pytest.approx(math.sqrt(20), abs=1e-3)


def test_independent_throughput_comes_from_tfb_round_23(loaded):
    stacks = {s.slug: s for s in loaded["independent-2026"].stacks.all()}
    assert stacks["go"].rps_per_vcpu == pytest.approx(388_485 / 56, abs=0.1)
    assert stacks["express"].rps_per_vcpu == pytest.approx(224_163 / 56, abs=0.1)
    fastapi = 224_163 / 56 * 171_055 / 246_627
    assert stacks["fastapi"].rps_per_vcpu == pytest.approx(fastapi, abs=0.1)
    us = models.MarketRate.objects.get(
        market__assumption_set=loaded["independent-2026"], market__slug="us", language="go"
    )
    assert (us.annual_salary, us.annual_salary_low, us.annual_salary_high) == (
        132_270,
        79_850,
        211_450,
    )
    assert (us.loaded_multiplier_low, us.loaded_multiplier_high) == (1.42, 1.54)


def test_instance_prices_are_the_sourced_list_prices(loaded):
    expected = {
        "c7i-xlarge": 0.1785,
        "c7g-xlarge": 0.1450,
        "m7i-xlarge": 0.2016,
        "fargate-4vcpu-8gb": 4 * 0.04048 + 8 * 0.004445,
        "gcp-c3-highcpu-4": 0.170104,
        "gcp-n2-standard-4": 0.194236,
    }
    for aset in loaded.values():
        prices = dict(aset.instance_types.values_list("slug", "price_per_hour"))
        assert prices == pytest.approx(expected, abs=1e-9)


def test_every_source_has_a_title_a_date_and_a_note(loaded):
    for aset in loaded.values():
        for source in aset.sources.all():
            assert source.title.strip(), source.key
            assert source.date is not None, source.key
            assert source.note.strip(), source.key
            source.full_clean()
            if source.title.startswith("No source found"):
                assert "assumption" in source.note, source.key


def test_seed_sources_say_when_the_article_gives_no_figure(loaded):
    seed = loaded["seed-article-2026"]
    article = "FastAPI Performance Benchmarks vs Node.js and Go"
    for source in seed.sources.all():
        if not source.title.startswith(article):
            assert source.note.startswith("The article gives no figure; taken from"), source.key


def test_every_figure_is_sourced_in_its_set_and_within_its_range(loaded):
    for aset in loaded.values():
        for model in FIGURE_MODELS:
            for row in rows(model, aset):
                row.full_clean()  # both ends or neither, low <= base <= high, same-set source
                for name in model.figures:
                    base = getattr(row, name)
                    assert math.isfinite(base) and base >= 0, (row, name)
                    assert getattr(row, f"{name}_source").assumption_set_id == aset.pk
                    low = getattr(row, f"{name}_low", None)
                    high = getattr(row, f"{name}_high", None)
                    if low is not None or high is not None:
                        assert low <= base <= high, (row, name, low, base, high)


def test_engine_runs_on_every_market_and_instance_of_both_sets(loaded):
    options = [engine.Option.single(s) for s in STACKS]
    for aset in loaded.values():
        snap = snapshot(aset)
        for market in MARKETS:
            for instance in INSTANCES:
                inputs = engine.Inputs(peak_rps=10_000, instance=instance, market=market)
                result = engine.compute(inputs, options, snap)
                for option in result.options:
                    total = option.horizon_total
                    assert math.isfinite(total) and total > 0, (aset, market, instance)
                    assert option.totals["infrastructure"] > 0


def test_load_assumptions_twice_changes_nothing(loaded):
    before = dump_all()
    counts = {m: m.objects.count() for m in SET_ROWS}
    call_command("load_assumptions", verbosity=0)
    assert dump_all() == before
    assert {m: m.objects.count() for m in counts} == counts
    assert models.AssumptionSet.objects.count() == len(SLUGS)


def test_loaddata_again_updates_rows_in_place(loaded):
    before = dump_all()
    for name in FILES.values():
        call_command("loaddata", str(FIXTURE_DIR / name), verbosity=0)
    assert dump_all() == before
