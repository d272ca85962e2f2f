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
# Each shipped set version and its file: version 2 of each gives every language its own pay;
# version 3 adds the platform prices, version 4 the hosting and pricing models' figures (a
# published version never changes: its links would).
FILES = {
    "seed-article-2026@1": "seed-article-2026.json",
    "independent-2026@1": "independent-2026.json",
    "seed-article-2026@2": "seed-article-2026-v2.json",
    "independent-2026@2": "independent-2026-v2.json",
    "seed-article-2026@3": "seed-article-2026-v3.json",
    "independent-2026@3": "independent-2026-v3.json",
    "seed-article-2026@4": "seed-article-2026-v4.json",
    "independent-2026@4": "independent-2026-v4.json",
}
KEYS = tuple(FILES)
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
FIGURE_MODELS = (models.Stack, models.MarketRate, models.InstanceType, models.PlatformPrice)
# Every kind of row an assumption set owns, in the fixtures' dependency order.
SET_ROWS = (models.Source, models.Market, *FIGURE_MODELS, models.ExchangeRate)


@pytest.fixture
def loaded():
    call_command("load_assumptions", verbosity=0)
    return {
        key: models.AssumptionSet.objects.get(slug=key.split("@")[0], version=key.split("@")[1])
        for key in KEYS
    }


def rows(model, aset):
    return model.objects.filter(**{model.set_path: aset})


def dump_all() -> str:
    objects = [
        obj for model in (models.AssumptionSet, *SET_ROWS) for obj in model.objects.order_by("pk")
    ]
    return serializers.serialize(
        "json", objects, use_natural_foreign_keys=True, use_natural_primary_keys=True
    )


@pytest.mark.parametrize("key", KEYS)
def test_fixture_files_use_natural_keys_and_dependency_order(key):
    slug, version = key.split("@")
    objects = json.loads((FIXTURE_DIR / FILES[key]).read_text())
    assert all("pk" not in o for o in objects)
    order = [
        "assumptions.assumptionset",
        "assumptions.source",
        "assumptions.market",
        "assumptions.stack",
        "assumptions.marketrate",
        "assumptions.instancetype",
        "assumptions.exchangerate",
        "assumptions.platformprice",
    ]
    ranks = [order.index(o["model"]) for o in objects]
    assert ranks == sorted(ranks)
    for o in objects:
        for name, value in o["fields"].items():
            if name.endswith("_source") or name == "source":
                assert value[:2] == [slug, int(version)]


# The ECB's euro reference rates of 28 February 2025, as the fixtures' source quotes them.
ECB_2025_02_28 = {"USD": 1.0411, "GBP": 0.82608, "INR": 90.9710, "BRL": 6.0712}


def test_every_set_has_the_dated_sourced_reference_rates(loaded):
    for key, aset in loaded.items():
        rates = {r.currency: r for r in rows(models.ExchangeRate, aset)}
        assert {c: r.per_euro for c, r in rates.items()} == ECB_2025_02_28, key
        for rate in rates.values():
            assert rate.date.isoformat() == "2025-02-28"
            assert rate.source.date == rate.date
            assert rate.source.title.startswith("ECB euro foreign exchange reference rates")
            assert "1.0411" in rate.source.note and "0.82608" in rate.source.note
        snap = snapshot(aset)
        assert snap.currencies == ["USD", "EUR", "BRL", "GBP", "INR"]
        # By hand: a dollar is 1 / 1.0411 euro, 0.82608 / 1.0411 pound.
        assert snap.display("EUR").per_usd == 1 / 1.0411
        assert snap.display("GBP").per_usd == 0.82608 / 1.0411
        assert snap.display("INR").per_usd == 90.9710 / 1.0411
        assert snap.display("EUR").date == "2025-02-28"


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
    rps = dict(loaded["seed-article-2026@1"].stacks.values_list("slug", "rps_per_vcpu"))
    go_fastapi = rps["go"] / rps["fastapi"]
    go_express = rps["go"] / rps["express"]
    assert go_fastapi == pytest.approx(142_000 / 38_000, rel=1e-12)
    assert go_express == pytest.approx(142_000 / 19_000, rel=1e-12)
    assert math.floor(go_fastapi * 10) / 10 == 3.7
    assert math.floor(go_express * 10) / 10 == 7.4


def test_seed_weeks_to_first_api_are_the_articles_ranges(loaded):
    stacks = {s.slug: s for s in loaded["seed-article-2026@1"].stacks.all()}
    expected = {"fastapi": (1, 2), "express": (1, 3), "go": (3, 6)}
    for slug, (low, high) in expected.items():
        stack = stacks[slug]
        assert (stack.weeks_to_first_api_low, stack.weeks_to_first_api_high) == (low, high)
        assert stack.weeks_to_first_api == (low + high) / 2


def test_seed_cpu_multiplier_is_the_articles_two_to_ten_range(loaded):
    stacks = {s.slug: s for s in loaded["seed-article-2026@1"].stacks.all()}
    assert stacks["go"].cpu_multiplier == 1
    for slug in ("fastapi", "express"):
        stack = stacks[slug]
        assert (stack.cpu_multiplier_low, stack.cpu_multiplier_high) == (2, 10)
        assert stack.cpu_multiplier == pytest.approx(math.sqrt(20), abs=1e-3)


def test_independent_throughput_comes_from_tfb_round_23(loaded):
    stacks = {s.slug: s for s in loaded["independent-2026@1"].stacks.all()}
    assert stacks["go"].rps_per_vcpu == pytest.approx(388_485 / 56, abs=0.1)
    assert stacks["express"].rps_per_vcpu == pytest.approx(224_163 / 56, abs=0.1)
    fastapi = 224_163 / 56 * 171_055 / 246_627
    assert stacks["fastapi"].rps_per_vcpu == pytest.approx(fastapi, abs=0.1)
    us = models.MarketRate.objects.get(
        market__assumption_set=loaded["independent-2026@1"], market__slug="us", language="go"
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
    article = "FastAPI Performance Benchmarks vs Node.js and Go"
    for source in models.Source.objects.filter(assumption_set__slug="seed-article-2026"):
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
    assert models.AssumptionSet.objects.count() == len(KEYS)


def test_loaddata_again_updates_rows_in_place(loaded):
    before = dump_all()
    for name in FILES.values():
        call_command("loaddata", str(FIXTURE_DIR / name), verbosity=0)
    assert dump_all() == before


def test_version_2_pays_each_language_its_own_salary_in_every_market(loaded):
    for slug in ("independent-2026", "seed-article-2026"):
        v1, v2 = loaded[f"{slug}@1"], loaded[f"{slug}@2"]
        assert v2.cloned_from == v1
        for market in MARKETS:
            pay = dict(
                models.MarketRate.objects.filter(
                    market__assumption_set=v2, market__slug=market
                ).values_list("language", "annual_salary")
            )
            assert len(set(pay.values())) == 3, (slug, market, pay)
            # The survey's premiums: Go above Python above JavaScript/TypeScript everywhere.
            assert pay["go"] > pay["python"] > pay["javascript"], (slug, market, pay)
    # By hand, US: the BLS median 132,270 x the 2019 premiums 1.043, 0.957 and 1.200; the low
    # 79,850 x 1.159 and the high 211,450 x 1.227 for Go.
    us = {
        r.language: r
        for r in models.MarketRate.objects.filter(
            market__assumption_set=loaded["independent-2026@2"], market__slug="us"
        )
    }
    assert us["python"].annual_salary == round(132_270 * 1.043)
    assert us["javascript"].annual_salary == round(132_270 * 0.957)
    assert us["go"].annual_salary == round(132_270 * 1.200)
    assert (us["go"].annual_salary_low, us["go"].annual_salary_high) == (
        round(79_850 * 1.159),
        round(211_450 * 1.227),
    )
    assert us["go"].annual_salary_source.key == "pay-by-language"
    assert us["go"].time_to_fill_days_source.key == "time-to-fill-go"
    assert "editorial rule" in us["go"].time_to_fill_days_source.note


def test_a_team_fluent_in_its_stack_pays_a_different_payroll_per_stack(loaded):
    snap = snapshot(loaded["independent-2026@2"])
    team = {"go": 8, "python": 8, "javascript": 8}
    inputs = engine.Inputs(peak_rps=10_000, team_size=8, known=team)
    result = engine.compute(inputs, [engine.Option.single(s) for s in STACKS], snap)
    payrolls = {o.name: o.totals["engineering"] for o in result.options}
    assert len(set(payrolls.values())) == 3, payrolls
    assert not any(o.totals["people"] for o in result.options)
