"""The platform lines' inputs (issue 16) on the page, in the API's scenario document, share
links and the `tco` command: on by default with a set that prices them, easy to turn off, and
bad values answered beside their field or at their path."""

import io
import json
import re
from html import unescape
from urllib.parse import urlencode

import pytest
from django.core.management import call_command
from django.http import QueryDict

from costcalc import engine
from costcalc.assumptions.models import AssumptionSet
from costcalc.assumptions.selectors import published_sets, set_choices
from costcalc.assumptions.snapshot import snapshot
from costcalc.calculator.forms import CalculatorForm
from costcalc.scenarios.format.query import form_query, page_document
from costcalc.scenarios.format.resolve import resolve
from costcalc.scenarios.format.schema import parse
from costcalc.scenarios.models import Scenario
from tests.factories import make_set

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true", "HX-Target": "results", "HX-Trigger": "calc-form"}
CARD_LINE = '<th scope="row">Platform services</th>'  # a line of each option's card
# Every platform line off, as a query and as the document's inputs.
OFF = {
    "database": "none",
    "cache": "off",
    "load_balancers": "0",
    "egress": "off",
    "observability": "none",
}
OFF_DOCUMENT = {
    "database": "none",
    "cache": False,
    "load_balancers": 0,
    "egress": False,
    "observability": "none",
}
BASE = {"assumptions": "plat@1", "peak_rps": "10000", "stacks": ["go", "fastapi"], "mix": ""}


@pytest.fixture
def priced():
    """make_set()'s round test set with the round test platform prices (one database, db-box)."""
    return make_set(slug="plat", platform=True)


def page(client, **changes) -> str:
    query = urlencode({**BASE, **changes}, doseq=True)
    return unescape(client.get(f"/?{query}", headers=HTMX).content.decode())


def field_error(html: str, name: str) -> str:
    match = re.search(rf'<p class="field-error" id="err-{name}"[^>]*>(.*?)</p>', html, re.S)
    assert match, f"no error for {name}"
    return unescape(match.group(1)).strip()


def calculate(client, inputs: dict, options=({"stack": "go"}, {"stack": "fastapi"})):
    scenario = {
        "assumption_set": {"slug": "plat", "version": 1},
        "inputs": inputs,
        "options": list(options),
    }
    return client.post("/api/v1/calculate", data=scenario, content_type="application/json")


def test_the_page_prices_the_platform_lines_by_default_and_not_when_they_are_off(client, priced):
    assert CARD_LINE in page(client)
    assert CARD_LINE not in page(client, **OFF)
    # a set without platform prices shows what it always did, whatever the inputs say
    make_set(slug="bare")
    assert CARD_LINE not in page(client, assumptions="bare@1")


def test_bad_platform_inputs_are_answered_beside_their_fields(client, priced):
    html = page(
        client,
        database="db-nope",
        load_balancers="1.5",
        response_kb="-1",
        observability="tea-leaves",
        db_replicas="16",
    )
    assert "one of the set's managed databases (db-box)" in field_error(html, "database")
    assert field_error(html, "load_balancers") == "Load balancers must be a whole number."
    assert field_error(html, "response_kb") == "Average response size must be at least 0 KB."
    assert "tea-leaves" in field_error(html, "observability")
    assert field_error(html, "db_replicas") == "Read replicas must be at most 15."


def test_the_database_choice_is_checked_against_the_set_and_coded(priced):
    snap = snapshot(priced)
    sets = set_choices(published_sets())
    form = CalculatorForm.from_query(
        QueryDict(urlencode({**BASE, "database": "db-nope"}, doseq=True)),
        snapshot=snap,
        set_choices=sets,
    )
    assert not form.is_valid()
    assert form.errors.as_data()["database"][0].code == "unknown_database"
    # a set without platform prices takes any database: it prices no line
    bare = make_set(slug="bare")
    form = CalculatorForm.from_query(
        QueryDict(urlencode({**BASE, "assumptions": "bare@1", "database": "db-nope"}, doseq=True)),
        snapshot=snapshot(bare),
        set_choices=set_choices(published_sets()),
    )
    assert form.is_valid(), form.errors


def test_the_api_prices_the_platform_lines_and_says_the_frameworks_share(client, priced):
    response = calculate(client, {})
    assert response.status_code == 200, response.content
    options = response.json()["options"]
    for option in options:
        assert option["totals"]["platform"] > 0
        assert set(option["platform_lines"]) == {
            "database",
            "cache",
            "load_balancer",
            "egress",
            "observability",
        }
        compute = option["totals"]["infrastructure"]
        share = compute / (compute + option["totals"]["platform"]) * 100
        assert option["framework_share_pct"] == pytest.approx(share, abs=0.01)
    go, fastapi = options
    for line in ("database", "cache", "load_balancer", "egress"):  # stack-independent
        assert go["platform_lines"][line] == fastapi["platform_lines"][line]
    off = calculate(client, OFF_DOCUMENT).json()["options"][0]
    assert off["totals"]["platform"] == 0 and off["platform_lines"] == {}
    assert off["framework_share_pct"] is None


def test_the_api_answers_bad_platform_inputs_at_their_path(client, priced):
    cases = [
        ({"response_kb": -1}, ["inputs", "response_kb"]),
        ({"load_balancers": 1.5}, ["inputs", "load_balancers"]),
        ({"observability": "tea-leaves"}, ["inputs", "observability"]),
        ({"cache": "yes"}, ["inputs", "cache"]),
        ({"database": "db-nope"}, ["inputs", "database"]),
    ]
    for inputs, loc in cases:
        response = calculate(client, inputs)
        assert response.status_code == 422, (inputs, response.content)
        errors = response.json()["errors"]
        assert [e["loc"] for e in errors] == [loc], errors
    error = calculate(client, {"database": "db-nope"}).json()["errors"][0]
    assert error["type"] == "not_in_set"
    assert error["msg"] == (
        "'db-nope' is not a managed database in this assumption set (it has db-box, none)."
    )


def test_a_document_and_its_share_link_carry_every_platform_input(priced):
    given = {
        "assumption_set": {"slug": "plat", "version": 1},
        "inputs": {
            "database": "db-box",
            "db_multi_az": False,
            "db_replicas": 2,
            "db_storage_gb": 250,
            "cache": False,
            "load_balancers": 2,
            "request_kb": 0.5,
            "response_kb": 8,
            "new_connections_per_request": 1,
            "observability": "logs",
            "log_kb_per_request": 1.5,
            "log_retention_months": 3,
        },
        "options": [{"stack": "fastapi"}, {"stack": "go"}],
    }
    resolved = resolve(parse(given))
    q = resolved.inputs.platform
    assert (q.database, q.db_multi_az, q.db_replicas, q.db_storage_gb) == ("db-box", False, 2, 250)
    assert (q.cache, q.load_balancers, q.response_kb, q.observability) == (False, 2, 8, "logs")
    query = form_query(parse(given), resolved)
    assert query["database"] == ["db-box"] and query["observability"] == ["logs"]
    assert query["cache"] == ["off"] and query["db_multi_az"] == ["off"]
    form = CalculatorForm.from_query(
        QueryDict(urlencode(query, doseq=True)),
        snapshot=resolved.snapshot,
        set_choices=set_choices(published_sets()),
    )
    assert form.is_valid(), form.errors
    assert form.inputs() == resolved.inputs  # the link computes what the document does
    back = page_document(form, AssumptionSet.objects.get(slug="plat"))
    assert resolve(back).inputs == resolved.inputs


def test_a_scenario_saved_before_the_platform_lines_keeps_its_figures(priced):
    # A query saved before the platform fields existed reads them as every line off.
    form = CalculatorForm.from_query(
        Scenario(query={k: v if isinstance(v, list) else [v] for k, v in BASE.items()}).querydict(),
        snapshot=snapshot(priced),
        set_choices=set_choices(published_sets()),
    )
    assert form.is_valid(), form.errors
    assert not form.inputs().platform.any
    # while a new link that leaves them out takes the defaults: every line on
    fresh = CalculatorForm.from_query(
        QueryDict(urlencode(BASE, doseq=True)),
        snapshot=snapshot(priced),
        set_choices=set_choices(published_sets()),
    )
    assert fresh.is_valid(), fresh.errors
    assert fresh.inputs().platform == engine.Platform(database="db-box")


def test_the_tco_command_carries_the_platform_inputs(priced, tmp_path):
    path = tmp_path / "scenario.json"
    document = {
        "assumption_set": {"slug": "plat", "version": 1},
        "inputs": {"response_kb": 4},
        "options": [{"stack": "go"}],
    }
    path.write_text(json.dumps(document))
    out = io.StringIO()
    call_command("tco", str(path), "--format", "json", stdout=out)
    lines = json.loads(out.getvalue())["options"][0]["platform_lines"]
    document["inputs"]["response_kb"] = 2
    path.write_text(json.dumps(document))
    out = io.StringIO()
    call_command("tco", str(path), "--format", "json", stdout=out)
    halved = json.loads(out.getvalue())["options"][0]["platform_lines"]
    assert lines["egress"] > halved["egress"] > 0
    assert lines["database"] == halved["database"]
    out = io.StringIO()
    call_command("tco", str(path), stdout=out)
    assert "Platform services" in out.getvalue()


# --- What infrastructure includes, and the framework's share (docs/model.md section 7c) -----


def test_each_card_gives_the_frameworks_share_of_the_infrastructure_bill(client, priced):
    html = page(client)
    shares = re.findall(
        r"<dt>Framework's share of the infrastructure bill</dt><dd>(.*?)</dd>", html
    )
    assert len(shares) == 2  # one per option, in the page's order: FastAPI, then Go
    scenario = calculate(client, {}, [{"stack": "fastapi"}, {"stack": "go"}]).json()
    for text, option in zip(shares, scenario["options"], strict=True):
        assert text.startswith(f"{option['framework_share_pct']:.1f}% of $")
        assert "(compute $" in text and ", platform $" in text
    assert "Framework's share" not in page(client, **OFF)


def test_the_results_say_what_infrastructure_includes(client, priced):
    notes = calculate(client, {}).json()["notes"]
    assert notes[-1].startswith(
        "Infrastructure is compute (the fleets' instance-hours) plus platform: managed "
        "database, cache, load balancer, internet egress and observability. The framework's "
        "share of that bill, its compute: Go net/http "
    )
    off = calculate(client, OFF_DOCUMENT).json()["notes"]
    assert off[-1].startswith("Infrastructure here is compute only")
    assert "Infrastructure here is compute only" in page(client, **OFF)
    # a set without platform prices says nothing new: its results are as they always were
    make_set(slug="bare")
    bare = {"assumption_set": {"slug": "bare", "version": 1}, "options": [{"stack": "go"}]}
    response = client.post("/api/v1/calculate", data=bare, content_type="application/json")
    assert not any("Infrastructure" in note for note in response.json()["notes"])


def test_the_tco_table_gives_the_platform_line_and_the_frameworks_share(priced, tmp_path):
    path = tmp_path / "scenario.json"
    path.write_text(json.dumps({"assumption_set": {"slug": "plat"}, "options": [{"stack": "go"}]}))
    out = io.StringIO()
    call_command("tco", str(path), stdout=out)
    lines = out.getvalue().splitlines()
    assert any(line.startswith("Platform services") for line in lines)
    share = next(line for line in lines if line.startswith("Framework's share of infra"))
    assert share.rstrip().endswith("%")


def test_a_share_link_keeps_the_platform_inputs_and_its_report_says_what_infra_includes(
    client, priced
):
    body = {
        "title": "Platform on",
        "assumption_set": {"slug": "plat", "version": 1},
        "inputs": {"response_kb": 8, "observability": "per_host_apm"},
        "options": [{"stack": "fastapi"}, {"stack": "go"}],
    }
    saved = client.post("/api/v1/scenarios", data=body, content_type="application/json")
    assert saved.status_code == 201, saved.content
    slug = saved.json()["slug"]
    stored = Scenario.objects.get(slug=slug)
    assert stored.query["response_kb"] == ["8"]
    assert stored.query["observability"] == ["per_host_apm"]
    report = unescape(client.get(f"/s/{slug}/report/").content.decode())
    assert '<th scope="col">Platform services</th>' in report
    assert "Infrastructure is compute (the fleets' instance-hours) plus platform" in report
    # the link's page computes what the API did
    again = calculate(client, {k: v for k, v in body["inputs"].items()}, body["options"])
    detail = client.get(f"/api/v1/scenarios/{slug}").json()
    assert detail["results"]["options"][0]["totals"] == again.json()["options"][0]["totals"]
