"""Pricing models (issue 16) in the shipped sets, on the page, in the API's scenario document
and in `tco`: sourced figures in version 4, refused with a message where a set has none."""

import io
import json
import re
from html import unescape
from urllib.parse import urlencode

import pytest
from django.core.management import call_command

from costcalc import engine
from costcalc.assumptions.models import AssumptionSet, PlatformPrice
from costcalc.assumptions.snapshot import snapshot
from tests.factories import field_errors, recalc_page

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true", "HX-Target": "results", "HX-Trigger": "calc-form"}
# docs/platform-figures.md, table 1e: slug: (value, low, high); GCP's CUDs are single figures.
TABLE_1E = {
    "aws-commit-1yr": (30, 30, 41),
    "aws-commit-3yr": (48, 48, 58),
    "aws-spot": (50, 50, 70),
    "gcp-commit-1yr": (37, None, None),
    "gcp-commit-3yr": (55, None, None),
    "gcp-spot": (60, 60, 91),
    "spot-overhead": (10, 0, 30),
}
SETS = ("independent-2026", "seed-article-2026")


BASE = {"stacks": ["go", "express"], "mix": "", "peak_rps": "10000"}


def page(client, **query) -> str:
    return recalc_page(client, BASE, **query)


def compute_line(slug_version: str, **inputs) -> float:
    slug, version = slug_version.split("@")
    a = snapshot(AssumptionSet.objects.get(slug=slug, version=version))
    given = engine.Inputs(peak_rps=10000, **inputs)
    result = engine.compute(given, [engine.Option.single("go")], a)
    return result.options[0].totals["infrastructure"]


def test_version_4_of_both_sets_carries_table_1e_with_sources(shipped_sets):
    for slug in SETS:
        rows = {
            r.slug: r
            for r in PlatformPrice.objects.filter(
                assumption_set__slug=slug, assumption_set__version=4, kind="pricing"
            )
        }
        assert rows.keys() == TABLE_1E.keys(), slug
        for key, (value, low, high) in TABLE_1E.items():
            row = rows[key]
            assert (row.value, row.value_low, row.value_high) == (value, low, high), key
            assert row.value_source.date and row.value_source.note, key
        # the overhead has no source, and its source says so
        assert rows["spot-overhead"].value_source.title.endswith("(no source)")
        assert not PlatformPrice.objects.filter(
            assumption_set__slug=slug, assumption_set__version=3, kind="pricing"
        ).exists()


def test_the_assumptions_page_lists_the_pricing_figures_with_their_sources(client, shipped_sets):
    html = unescape(client.get("/assumptions/independent-2026/v4/").content.decode())
    assert "AWS EC2 spot discount" in html and "Pricing model" in html
    assert "Spot interruption overhead (no source)" in html


def test_a_pricing_model_on_the_page_is_the_engines(client, shipped_sets):
    assert "field-error" not in page(client, pricing="commit_3yr", assumptions="independent-2026@4")
    query = urlencode({"pricing": "commit_3yr", "assumptions": "independent-2026@4", "option": "0"})
    workings = unescape(client.get(f"/workings/?{query}", headers=HTMX).content.decode())
    assert "AWS compute, 3-year commitment (Savings Plan, no upfront)" in workings
    assert "(1 - commitment's discount)" in workings
    on_demand = compute_line("independent-2026@4")
    committed = compute_line("independent-2026@4", pricing="commit_3yr")
    assert committed == pytest.approx(on_demand * 0.52)


def test_a_set_without_pricing_figures_says_so_beside_the_field(client, shipped_sets):
    html = page(client, pricing="spot", assumptions="independent-2026@3")
    assert field_errors(html)["pricing"] == (
        "Independent 2026 v3 has no spot figures for AWS: choose version 4 or later, on "
        "demand, or a further discount of your own."
    )
    assert "field-error" not in page(client, pricing="on_demand", assumptions="independent-2026@3")


def test_a_link_of_before_pricing_models_keeps_its_discount(client, shipped_sets):
    # No pricing in the link: on demand, with its discount as the whole of it.
    query = urlencode({"discount_pct": "20", "assumptions": "independent-2026@4"})
    html = unescape(client.get(f"/?{query}").content.decode())
    assert re.search(r'<option value="on_demand" selected>', html)
    assert compute_line("independent-2026@4", commitment_discount_pct=20) == pytest.approx(
        compute_line("independent-2026@4") * 0.8
    )


def test_the_api_takes_a_pricing_model_and_refuses_one_the_set_lacks(client, shipped_sets):
    def calculate(version: int, pricing: str):
        scenario = {
            "assumption_set": {"slug": "independent-2026", "version": version},
            "inputs": {"peak_rps": 10000, "pricing": pricing},
            "options": [{"stack": "go"}],
        }
        return client.post("/api/v1/calculate", data=scenario, content_type="application/json")

    answer = calculate(4, "spot")
    assert answer.status_code == 200, answer.content
    (option,) = answer.json()["options"]
    (on_demand,) = calculate(4, "on_demand").json()["options"]
    # the same fleet at 50 % off with 10 % of overhead (to the cent of each rounded figure)
    expected = on_demand["totals"]["infrastructure"] * 0.5 * 1.1
    assert option["totals"]["infrastructure"] == pytest.approx(expected, abs=0.02)
    assert answer.json()["scenario"]["inputs"]["pricing"] == "spot"
    refused = calculate(3, "commit_1yr")
    assert refused.status_code == 422
    (error,) = refused.json()["errors"]
    assert error["loc"] == ["inputs", "pricing"]
    assert error["msg"].startswith("Independent 2026 v3 has no 1-year commitment figures for AWS")
    bad = calculate(4, "reserved")
    assert bad.status_code == 422
    assert any(e["loc"][-1] == "pricing" for e in bad.json()["errors"]), bad.json()


def test_tco_prices_a_spot_scenario(shipped_sets, tmp_path):
    def run(pricing: str) -> dict:
        path = tmp_path / f"{pricing}.json"
        document = {"inputs": {"peak_rps": 10000, "pricing": pricing}, "options": [{"stack": "go"}]}
        path.write_text(json.dumps(document))
        out = io.StringIO()
        call_command("tco", str(path), "--format", "json", stdout=out)
        return json.loads(out.getvalue())

    spot, on_demand = run("spot"), run("on_demand")
    assert spot["scenario"]["inputs"]["pricing"] == "spot"
    assert spot["scenario"]["assumption_set"]["version"] == 4  # the newest
    compute = [r["options"][0]["totals"]["infrastructure"] for r in (spot, on_demand)]
    assert compute[0] == pytest.approx(compute[1] * 0.5 * 1.1, abs=0.02)
