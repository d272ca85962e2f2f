"""Hosting models (issue 16) in the shipped sets, on the page and in the API's scenario
document: AWS Fargate and Lambda figures and each stack's cold start in version 4 of both sets,
refused beside the field (or at its path) where they cannot be priced."""

import re
from html import unescape
from urllib.parse import urlencode

import pytest

from costcalc.assumptions.models import PlatformPrice
from tests.factories import field_errors, recalc_page

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true", "HX-Target": "results", "HX-Trigger": "calc-form"}
# docs/platform-figures.md, tables 1d and 1f.
RATES = {
    "aws-container-vcpu-hour": 0.04048,
    "aws-container-gb-hour": 0.004445,
    "aws-function-gb-second": 0.0000166667,
    "aws-function-million-requests": 0.20,
    "aws-function-mb-per-vcpu": 1769,
}
COLD_STARTS = {  # stack: (ms, low, high)
    "independent-2026": {"fastapi": (225, 150, 300), "express": (225, 150, 300),
                         "go": (150, 100, 200)},
    "seed-article-2026": {"fastapi": (750, 500, 1000), "express": (1500, 1000, 2000),
                          "go": (0, 0, 200)},
}  # fmt: skip


BASE = {"stacks": ["go", "express"], "mix": "", "peak_rps": "1000"}


def page(client, **query) -> str:
    return recalc_page(client, BASE, **query)


def calculate(client, version: int = 4, options=({"stack": "go"},), **inputs):
    scenario = {
        "assumption_set": {"slug": "independent-2026", "version": version},
        "inputs": {"peak_rps": 1000, **inputs},
        "options": list(options),
    }
    return client.post("/api/v1/calculate", data=scenario, content_type="application/json")


def test_version_4_of_both_sets_prices_fargate_lambda_and_each_cold_start(shipped_sets):
    for slug, cold in COLD_STARTS.items():
        rows = {
            r.slug: r
            for r in PlatformPrice.objects.filter(
                assumption_set__slug=slug, assumption_set__version=4,
                kind__in=["containers", "functions"],
            )
        }  # fmt: skip
        assert {s: rows[s].value for s in RATES} == RATES, slug
        for stack, figure in cold.items():
            row = rows[f"cold-start-{stack}"]
            assert (row.value, row.value_low, row.value_high) == figure, (slug, stack)
            assert row.unit == "ms" and row.value_source.date
        assert all(r.value_source.note for r in rows.values())


def test_the_page_prices_containers_and_functions(client, shipped_sets):
    for hosting in ("containers", "functions"):
        assert field_errors(page(client, hosting=hosting)) == {}, hosting
    query = urlencode({"hosting": "functions", "option": "0", "peak_rps": "1000"})
    workings = unescape(client.get(f"/workings/?{query}", headers=HTMX).content.decode())
    assert "AWS Lambda, x86, per GB-second" in workings and "cold start on a function" in workings


def test_what_the_page_refuses_beside_its_field(client, shipped_sets):
    errors = field_errors(page(client, hosting="functions", assumptions="independent-2026@3"))
    assert errors == {
        "hosting": "Independent 2026 v3 has no prices for functions: choose version 4 or "
        "later, or instances."
    }
    errors = field_errors(page(client, hosting="containers", instance="gcp-c3-highcpu-4"))
    assert errors["hosting"].startswith("Containers are priced on AWS only")
    errors = field_errors(page(client, hosting="functions", pricing="spot"))
    assert errors == {"pricing": "Functions are priced on demand: choose on demand, or instances."}
    errors = field_errors(page(client, hosting="functions", function_memory_mb="100"))
    assert errors["function_memory_mb"] == "Function memory must be at least 128 MB."


def test_the_api_carries_the_hosting_inputs(client, shipped_sets):
    answer = calculate(client, hosting="functions", function_memory_mb=1024, cold_start_pct=2)
    assert answer.status_code == 200, answer.content
    inputs = answer.json()["scenario"]["inputs"]
    assert (inputs["hosting"], inputs["function_memory_mb"], inputs["cold_start_pct"]) == (
        "functions",
        1024,
        2,
    )
    doubled = calculate(client, peak_rps=2000, hosting="functions")
    single = calculate(client, hosting="functions")
    compute = [r.json()["options"][0]["totals"]["infrastructure"] for r in (doubled, single)]
    assert compute[0] == pytest.approx(2 * compute[1], abs=0.02)  # linear in requests
    refused = calculate(client, version=3, hosting="containers")
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["loc"] == ["inputs", "hosting"]
    small = calculate(client, options=({"stack": "fastapi"},), hosting="functions",
                      function_memory_mb=128)  # fmt: skip
    assert small.status_code == 200  # 48.8 MB and 32 KB fit in 128 MB


def hosting_rows(html: str) -> list[tuple[str, str]]:
    return re.findall(r'<tr><th scope="row">([^<]+)</th>(.*?)</tr>', html.split("table hosting")[1])


def test_what_decides_it_compares_the_hosting_models(client, shipped_sets):
    query = urlencode({"stacks": ["go", "express"], "mix": "", "peak_rps": "10000"}, doseq=True)
    # The htmx panel leaves the comparison for when it scrolls into view...
    panel = unescape(
        client.get(f"/insight/?{query}", headers={"HX-Request": "true"}).content.decode()
    )
    assert "<h3>Instances, containers or functions?</h3>" in panel
    assert "table hosting" not in panel
    (later,) = re.findall(r'id="hosting"[^>]* hx-get="([^"]+)" hx-trigger="intersect once"', panel)
    assert later == f"/insight/hosting/?{query}"
    part = unescape(client.get(later, headers={"HX-Request": "true"}).content.decode())
    assert part.startswith('<div id="hosting"') and "<h3>Instances, containers" in part
    rows = hosting_rows(part)
    assert sorted(name for name, _ in rows[:2]) == ["Express 5", "Go net/http"]  # the order shown
    assert all(
        re.search(r"Containers beat functions above about [\d,.]+ RPS", r) for _, r in rows[:2]
    )
    # ...the page of its own (no JavaScript, or a history restore) shows it in place, the same.
    page_html = unescape(client.get(f"/insight/?{query}").content.decode())
    assert hosting_rows(page_html)[:2] == rows[:2] and "intersect once" not in page_html
    # Followed by hand, the part's address leads to that page; a query that does not compute
    # gets its message where the table would go, not a 500.
    followed = client.get(later)
    assert followed.status_code == 302 and followed.url == f"/insight/?{query}"
    bad = client.get("/insight/hosting/?peak_rps=-5&stacks=go", headers={"HX-Request": "true"})
    assert bad.status_code == 200 and 'class="field-error"' in bad.content.decode()
    # The API's insight gives the same comparison, as numbers.
    scenario = {"inputs": {"peak_rps": 10000}, "options": [{"stack": "go"}, {"stack": "express"}]}
    found = client.post("/api/v1/insight", data=scenario, content_type="application/json").json()
    go = next(h for h in found["hosting"] if h["name"] == "Go net/http")
    assert set(go["totals"]) == {
        "instances",
        "containers",
        "functions",
    }
    assert go["containers_above_rps"] > 0 and go["label"].startswith("containers beat functions")
    # Under version 3 (no container or function prices) the panel leaves the comparison out.
    old = urlencode(
        {"stacks": ["go", "express"], "mix": "", "assumptions": "independent-2026@3"}, doseq=True
    )
    html = client.get(f"/insight/?{old}", headers={"HX-Request": "true"}).content.decode()
    assert "Instances, containers or functions?" not in html
    assert "Instances, containers" not in client.get(f"/insight/?{old}").content.decode()
    part = client.get(f"/insight/hosting/?{old}", headers={"HX-Request": "true"})
    assert part.status_code == 200 and part.content == b""
