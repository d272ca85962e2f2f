"""The JSON API: same figures as the page, the example files, errors with their paths, schema.

The shipped assumption sets are loaded as `make run` loads them; the page is asked the same
scenario through its query string and must show the API's figures.
"""

import json
import re
from html import unescape
from io import StringIO
from urllib.parse import urlencode

import pytest
import schemathesis
from django.conf import settings
from django.core.management import call_command
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.http import QueryDict
from django.test import Client, TestCase, override_settings
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase as HypothesisTestCase
from schemathesis.specs.openapi.checks import positive_data_acceptance

from costcalc import engine
from costcalc.assumptions.models import InstanceType, MarketRate, Source, Stack
from costcalc.assumptions.selectors import choose_set, published_sets, set_choices
from costcalc.assumptions.snapshot import snapshot
from costcalc.calculator.forms import ADDED_PLATFORM, CalculatorForm
from costcalc.scenarios import examples
from costcalc.scenarios.format import FORM, MAX_OPTIONS
from tests.factories import make_set

EXAMPLE_OPTIONS = {
    "fintech-hybrid": ["Express 5", "Hybrid: Go 70% + FastAPI 20% + Express 10%"],
    "startup-8k": ["Express 5", "FastAPI on Uvicorn", "Go net/http"],
    "scaleup-80k": ["Express 5", "FastAPI on Uvicorn", "Go net/http"],
}
NUMBER_INPUTS = [
    "peak_rps",
    "avg_to_peak_pct",
    "growth_pct",
    "horizon_months",
    "app_cpu_ms",
    "io_wait_ms",
    "team_size",
    "discount_pct",
    "utilisation_pct",
    "min_replicas",
    "cost_of_delay",
]
# A scenario the page can show too: single stacks in the page's order, and one hybrid.
SCENARIO = {
    "assumption_set": {"slug": "independent-2026"},
    "inputs": {
        "peak_rps": 23456.5,
        "avg_to_peak_pct": 45,
        "growth_pct": 4.5,
        "horizon_months": 30,
        "app_cpu_ms": 3.5,
        "io_wait_ms": 40,
        "team_size": 7,
        "market": "western-europe",
        "knows": {"python": 5, "javascript": 2, "go": 0},
        "policy": "retrain",
        "instance": "c7g-xlarge",
        "discount_pct": 20,
        "utilisation_pct": 55,
        "min_replicas": 3,
        "autoscaling": False,
        "cost_of_delay": 50000,
    },
    "options": [
        {"stack": "express"},
        {"stack": "go"},
        {
            "services": [
                {"stack": "go", "share": 60},
                {"stack": "fastapi", "share": 30, "app_cpu_ms": 8, "io_wait_ms": 100},
                {"stack": "express", "share": 10},
            ]
        },
    ],
}


def load_example(name: str) -> dict:
    """A worked example's scenario document: examples/NAME.json less its gallery fields."""
    return examples.by_name()[name].document()


def page_query(scenario: dict) -> dict:
    """The page's query string for a (filled-in) scenario the page can express."""
    inputs = scenario["inputs"]
    query = {name: repr(inputs[name]) for name in NUMBER_INPUTS}
    query.update(
        assumptions=f"{scenario['assumption_set']['slug']}@{scenario['assumption_set']['version']}",
        market=inputs["market"],
        policy=inputs["policy"],
        instance=inputs["instance"],
        autoscaling="on" if inputs["autoscaling"] else "off",
        stacks=[o["stack"] for o in scenario["options"] if o["stack"]],
    )
    query.update({f"knows_{lang}": str(n) for lang, n in inputs["knows"].items()})
    # The platform lines: sizes as numbers, switches as the page's on/off, choices as given.
    for name in ADDED_PLATFORM:
        value = inputs[name]
        query[name] = ("on" if value else "off") if isinstance(value, bool) else str(value)
    mixes = [o for o in scenario["options"] if o["services"]]
    assert len(mixes) <= 1, "the page shows one hybrid at most"
    parts = []
    for s in mixes[0]["services"] if mixes else []:
        part = f"{s['stack']}:{s['share']:g}"
        if s["app_cpu_ms"] is not None or s["io_wait_ms"] is not None:
            cpu = inputs["app_cpu_ms"] if s["app_cpu_ms"] is None else s["app_cpu_ms"]
            io = inputs["io_wait_ms"] if s["io_wait_ms"] is None else s["io_wait_ms"]
            part += f":{cpu!r}:{io!r}"
        parts.append(part)
    query["mix"] = ", ".join(parts)
    return query


def card_totals(html: str) -> dict[str, str]:
    """Each option card's name and horizon total, as the page prints them."""
    cards = re.findall(
        r"<h2>(.*?)</h2>.*?<p class=\"total\"><span class=\"figure\">(.*?)</span>", html, re.S
    )
    return {unescape(name): unescape(total) for name, total in cards}


class ShippedSets(TestCase):
    @classmethod
    def setUpTestData(cls):
        call_command("load_assumptions", stdout=StringIO())

    def calculate(self, body, **headers):
        data = body if isinstance(body, str | bytes) else json.dumps(body)
        return self.client.post(
            "/api/v1/calculate", data=data, content_type="application/json", headers=headers
        )


class SameFiguresAsThePage(ShippedSets):
    def assert_page_shows(self, result: dict):
        response = self.client.get("/?" + urlencode(page_query(result["scenario"]), doseq=True))
        self.assertEqual(response.status_code, 200)
        shown = card_totals(response.content.decode())
        self.assertEqual(list(shown), [o["name"] for o in result["options"]])
        for option in result["options"]:
            # The page shows whole dollars, the API cents: the same figure within the page's
            # rounding. (Formatting the cents again can differ by a dollar at exactly x.50.)
            page = float(shown[option["name"]].replace("$", "").replace(",", ""))
            self.assertLessEqual(abs(option["horizon_total"] - page), 0.505, option["name"])

    def test_the_api_gives_the_page_figures(self):
        response = self.calculate(SCENARIO)
        self.assertEqual(response.status_code, 200, response.content)
        result = response.json()
        self.assert_page_shows(result)

        # And to the cent of what the page computes from its form, month by month.
        sets = published_sets()
        aset = choose_set(sets, "independent-2026")
        snap = snapshot(aset)
        query = page_query(result["scenario"])
        form = CalculatorForm.from_query(
            QueryDict(urlencode(query, doseq=True)), snapshot=snap, set_choices=set_choices(sets)
        )
        self.assertTrue(form.is_valid(), form.errors)
        page = engine.compute(form.inputs(), form.options(), snap)
        self.assertEqual(len(page.options), len(result["options"]))
        for ours, theirs in zip(result["options"], page.options, strict=True):
            self.assertEqual(ours["name"], theirs.name)
            self.assertAlmostEqual(ours["horizon_total"], theirs.horizon_total, delta=0.005)
            self.assertAlmostEqual(
                ours["saving_vs_baseline"], theirs.saving_vs_baseline, delta=0.005
            )
            self.assertEqual(ours["break_even_month"], theirs.break_even_month)
            self.assertAlmostEqual(
                ours["infra_per_100k_rps"], theirs.infra_per_100k_rps, delta=0.005
            )
            for category in engine.CATEGORIES:
                self.assertAlmostEqual(
                    ours["totals"][category], theirs.totals[category], delta=0.005
                )
            monthly = [m["total"] for m in ours["monthly"]]
            self.assertEqual(monthly, [round(x, 2) for x in theirs.total])
        self.assertEqual(result["horizon"], 30)
        self.assertEqual(len(result["options"][0]["monthly"]), 30)

    def test_every_example_gives_the_page_figures(self):
        for name in EXAMPLE_OPTIONS:
            with self.subTest(name):
                response = self.calculate(json.dumps(load_example(name)))
                self.assertEqual(response.status_code, 200, response.content)
                self.assert_page_shows(response.json())


class CalculateTests(ShippedSets):
    def test_examples_round_trip(self):
        for name, names in EXAMPLE_OPTIONS.items():
            with self.subTest(name):
                example = load_example(name)
                response = self.calculate(example)
                self.assertEqual(response.status_code, 200, response.content)
                result = response.json()
                self.assertEqual([o["name"] for o in result["options"]], names)
                self.assertEqual(result["baseline"], names[0])
                self.assertIn(result["cheapest"], names)
                self.assertEqual(
                    result["assumption_set"]["slug"], example["assumption_set"]["slug"]
                )
                self.assertEqual(
                    result["assumption_set"]["version"], example["assumption_set"]["version"]
                )
                self.assertEqual(
                    result["scenario"]["inputs"]["peak_rps"], example["inputs"]["peak_rps"]
                )
                # The scenario as computed, sent again, gives the very same answer.
                again = self.calculate(result["scenario"])
                self.assertEqual(again.json(), result)

    def test_results_shape(self):
        example = load_example("fintech-hybrid")
        labels = ["payments", "fraud scoring", "admin panel"]
        for service, label in zip(example["options"][1]["services"], labels, strict=True):
            service["label"] = label  # calculate takes labels (saving does not)
        result = self.calculate(example).json()
        self.assertEqual(
            result["assumption_set"],
            {
                "slug": "seed-article-2026",
                "version": 2,
                "name": "Seed article 2026",
                "as_of": "2026-12-02",
            },
        )
        baseline, hybrid = result["options"]
        self.assertIsNone(baseline["break_even_month"])
        self.assertEqual(baseline["saving_vs_baseline"], 0)
        self.assertEqual(set(hybrid["totals"]), set(engine.CATEGORIES))
        self.assertEqual([s["label"] for s in hybrid["services"]], labels)
        self.assertEqual([s["share_pct"] for s in hybrid["services"]], [70, 20, 10])
        month = hybrid["monthly"][0]
        self.assertEqual(
            list(month),
            ["month", "peak_rps", *engine.CATEGORIES, "total", "cumulative"],
        )
        self.assertEqual(month["peak_rps"], 1_800)
        self.assertEqual(hybrid["monthly"][-1]["cumulative"], hybrid["horizon_total"])
        # Money is rounded to cents everywhere.
        for option in result["options"]:
            money_values = [option["horizon_total"], option["infra_per_100k_rps"]]
            money_values += list(option["totals"].values())
            money_values += [m[c] for m in option["monthly"] for c in engine.CATEGORIES]
            for value in money_values:
                self.assertEqual(value, round(value, 2))

    def test_a_short_scenario_takes_the_page_defaults(self):
        result = self.calculate({"options": [{"stack": "go"}]}).json()
        default = published_sets()[0]
        self.assertEqual(result["assumption_set"]["slug"], default.slug)
        self.assertEqual(result["assumption_set"]["version"], default.version)
        inputs = result["scenario"]["inputs"]
        for name in NUMBER_INPUTS:
            self.assertEqual(inputs[name], FORM[name].initial, name)
        self.assertEqual(inputs["market"], "us")
        self.assertEqual(inputs["instance"], "c7i-xlarge")
        self.assertEqual(inputs["knows"], {"go": 1, "javascript": 4, "python": 4})
        self.assertTrue(inputs["autoscaling"])
        self.assertEqual(result["options"][0]["name"], "Go net/http")

    def test_default_knowledge_is_capped_at_the_team_size(self):
        response = self.calculate({"inputs": {"team_size": 2}, "options": [{"stack": "go"}]})
        self.assertEqual(response.status_code, 200, response.content)
        knows = response.json()["scenario"]["inputs"]["knows"]
        self.assertEqual(knows, {"go": 1, "javascript": 2, "python": 2})

    def test_curl_without_content_type_or_csrf_token(self):
        # `curl --data @file` sends the form content type and no CSRF token.
        client = Client(enforce_csrf_checks=True)
        response = client.post(
            "/api/v1/calculate",
            data=json.dumps(load_example("startup-8k")),
            content_type="application/x-www-form-urlencoded",
        )
        self.assertEqual(response.status_code, 200, response.content)
        self.assertEqual(len(response.json()["options"]), 3)

    def test_any_number_of_options_up_to_eight(self):
        options = [
            {"name": f"Go {i}", "services": [{"stack": "go", "share": 100, "app_cpu_ms": i}]}
            for i in range(MAX_OPTIONS)
        ]
        response = self.calculate({"options": options})
        self.assertEqual(response.status_code, 200, response.content)
        self.assertEqual(len(response.json()["options"]), MAX_OPTIONS)
        response = self.calculate({"options": [*options, {"stack": "go"}]})
        self.assertEqual(response.status_code, 422)
        self.assertEqual(response.json()["errors"][0]["loc"], ["options"])


class ErrorTests(ShippedSets):
    def assert_problems(self, body, status: int, expected: list[tuple[list, str]]):
        response = self.calculate(body)
        self.assertEqual(response.status_code, status, response.content)
        self.assertEqual(response["Content-Type"], "application/json; charset=utf-8")
        errors = response.json()["errors"]
        self.assertEqual([(e["loc"], e["type"]) for e in errors], expected)
        for e in errors:
            self.assertTrue(e["msg"])
        return errors

    def test_malformed_json_is_a_400(self):
        for body in ['{"options": [', "NaN", '{"inputs": {"peak_rps": Infinity}}', b"\xff"]:
            with self.subTest(body):
                errors = self.assert_problems(body, 400, [([], "json_invalid")])
                self.assertIn("not JSON", errors[0]["msg"])

    def test_a_body_past_the_upload_limit_is_a_413(self):
        # Past Django's own limit (2.5 MB) too: the API's cap answers first, in its shape.
        body = '{"description": "' + "x" * settings.DATA_UPLOAD_MAX_MEMORY_SIZE + '"}'
        self.assert_problems(body, 413, [([], "too_large")])

    def test_not_an_object(self):
        self.assert_problems("[]", 422, [([], "model_type")])
        self.assert_problems("", 422, [([], "missing")])

    def test_wrong_types_with_their_paths(self):
        body = {
            "inputs": {"peak_rps": "8000", "horizon_months": 24.5, "autoscaling": "on"},
            "options": [{"services": [{"stack": "go", "share": "100"}]}, {"stack": 7}],
        }
        self.assert_problems(
            body,
            422,
            [
                (["inputs", "peak_rps"], "float_type"),
                (["inputs", "horizon_months"], "int_type"),
                (["inputs", "autoscaling"], "bool_type"),
                (["options", 0, "services", 0, "share"], "float_type"),
                (["options", 1, "stack"], "string_type"),
            ],
        )

    def test_out_of_range_values_use_the_page_bounds(self):
        inputs = {"peak_rps": 0, "growth_pct": 101, "team_size": 10_001, "policy": "fire"}
        errors = self.assert_problems(
            {"inputs": inputs, "options": [{"stack": "go"}]},
            422,
            [
                (["inputs", "peak_rps"], "greater_than_equal"),
                (["inputs", "growth_pct"], "less_than_equal"),
                (["inputs", "team_size"], "less_than_equal"),
                (["inputs", "policy"], "literal_error"),
            ],
        )
        self.assertIn(f"{FORM['peak_rps'].min_value}", errors[0]["msg"])

    def test_option_problems(self):
        body = {
            "options": [
                {"stack": "go", "services": [{"stack": "go", "share": 100}]},
                {},
                {"services": [{"stack": "go", "share": 60}, {"stack": "fastapi", "share": 30}]},
                {"services": [{"stack": "go", "share": 0}]},
                {"stack": "go", "colour": "red"},
            ],
            "migration": {"from": 0, "to": 1},
        }
        self.assert_problems(
            body,
            422,
            [
                (["options", 0], "option_shape"),
                (["options", 1], "option_shape"),
                (["options", 2, "services"], "share_sum"),
                (["options", 3, "services", 0, "share"], "greater_than"),
                (["options", 4, "colour"], "extra_forbidden"),
                (["migration", "effort_weeks"], "missing"),
                (["migration", "rewrite_months"], "missing"),
                (["migration", "overlap_months"], "missing"),
            ],
        )

    def test_what_the_set_does_not_have(self):
        body = {
            "inputs": {
                "market": "mars",
                "instance": "abacus",
                "team_size": 3,
                "knows": {"python": 4, "cobol": 1},
            },
            "options": [
                {"stack": "go"},
                {"services": [{"stack": "go", "share": 50}, {"stack": "rust", "share": 50}]},
                {"name": "Go net/http", "stack": "fastapi"},
            ],
        }
        errors = self.assert_problems(
            body,
            422,
            [
                (["inputs", "market"], "not_in_set"),
                (["inputs", "instance"], "not_in_set"),
                (["inputs", "knows", "python"], "more_than_team"),
                (["inputs", "knows", "cobol"], "not_in_set"),
                (["options", 1, "services", 1, "stack"], "not_in_set"),
                (["options", 2, "name"], "duplicate_name"),
            ],
        )
        self.assertIn("express, fastapi, go", errors[4]["msg"])

    def test_unknown_assumption_set_is_a_404(self):
        self.assert_problems(
            {"assumption_set": {"slug": "nope"}, "options": [{"stack": "go"}]},
            404,
            [(["assumption_set", "slug"], "not_found")],
        )
        self.assert_problems(
            {"assumption_set": {"slug": "independent-2026", "version": 2}, "options": []},
            422,
            [(["options"], "too_short")],
        )
        self.assert_problems(
            {"assumption_set": {"slug": "independent-2026", "version": 2}, "options": [{}]},
            422,
            [(["options", 0], "option_shape")],
        )
        self.assert_problems(
            {
                "assumption_set": {"slug": "independent-2026", "version": 9},
                "options": [{"stack": "go"}],
            },
            404,
            [(["assumption_set", "version"], "not_found")],
        )

    def test_drafts_are_not_there(self):
        make_set(slug="draft-set", published=False)
        self.assert_problems(
            {"assumption_set": {"slug": "draft-set"}, "options": [{"stack": "go"}]},
            404,
            [(["assumption_set", "slug"], "not_found")],
        )

    def test_what_the_model_refuses_is_a_422(self):
        aset = make_set(slug="heavy", published=False)
        Stack.objects.filter(assumption_set=aset, slug="go").update(memory_per_process_mb=9000)
        aset.publish()
        errors = self.assert_problems(
            {
                "assumption_set": {"slug": "heavy"},
                "inputs": {"instance": "box-4"},
                "options": [{"stack": "go"}],
            },
            422,
            [([], "model_error")],
        )
        self.assertIn("too little memory", errors[0]["msg"])

    def test_unknown_paths_answer_json(self):
        response = self.client.get("/api/v1/nothing/here")
        self.assertEqual(response.status_code, 404)
        self.assertEqual(response.json()["errors"][0]["type"], "not_found")
        response = self.client.get("/api/v1/calculate")
        self.assertEqual(response.status_code, 405)


class AssumptionSetTests(ShippedSets):
    def test_the_list_has_published_sets_only(self):
        make_set(slug="draft-set", published=False)
        response = self.client.get("/api/v1/assumption-sets")
        self.assertEqual(response.status_code, 200)
        sets = response.json()["assumption_sets"]
        self.assertEqual(
            [(s["slug"], s["version"], s["newest"]) for s in sets],
            [
                ("independent-2026", 4, True),
                ("independent-2026", 3, False),
                ("independent-2026", 2, False),
                ("independent-2026", 1, False),
                ("seed-article-2026", 4, True),
                ("seed-article-2026", 3, False),
                ("seed-article-2026", 2, False),
                ("seed-article-2026", 1, False),
            ],
        )
        for s in sets:
            self.assertEqual(s["page"], f"/assumptions/{s['slug']}/v{s['version']}/")
            self.assertEqual(self.client.get(s["url"]).status_code, 200)

    def test_every_figure_with_its_source(self):
        for slug in ("independent-2026", "seed-article-2026"):
            with self.subTest(slug):
                data = self.client.get(f"/api/v1/assumption-sets/{slug}").json()
                self.assertEqual(data["versions"], [1, 2, 3, 4])
                sources = {s["key"] for s in data["sources"]}
                self.assertEqual(
                    sources,
                    set(
                        Source.objects.filter(
                            assumption_set__slug=slug, assumption_set__version=4
                        ).values_list("key", flat=True)
                    ),
                )
                figures = [
                    *(f for s in data["stacks"] for f in s["figures"].items()),
                    *(f for m in data["markets"] for r in m["rates"] for f in r["figures"].items()),
                    *(f for i in data["instance_types"] for f in i["figures"].items()),
                ]
                expected = (
                    Stack.objects.filter(
                        assumption_set__slug=slug, assumption_set__version=2
                    ).count()
                    * len(Stack.figures)
                    + MarketRate.objects.filter(
                        market__assumption_set__slug=slug,
                        market__assumption_set__version=2,
                    ).count()
                    * len(MarketRate.figures)
                    + InstanceType.objects.filter(
                        assumption_set__slug=slug, assumption_set__version=2
                    ).count()
                )
                self.assertEqual(len(figures), expected)
                for name, figure in figures:
                    self.assertIn(figure["source"], sources, name)
                    self.assertTrue(figure["unit"], name)
                go = next(s for s in data["stacks"] if s["slug"] == "go")
                row = Stack.objects.get(
                    assumption_set__slug=slug, assumption_set__version=2, slug="go"
                )
                self.assertEqual(go["figures"]["rps_per_vcpu"]["value"], row.rps_per_vcpu)
                self.assertEqual(go["figures"]["rps_per_vcpu"]["low"], row.rps_per_vcpu_low)
                self.assertEqual(
                    go["figures"]["rps_per_vcpu"]["source"], row.rps_per_vcpu_source.key
                )

    def test_unknown_set_or_version_is_a_404(self):
        response = self.client.get("/api/v1/assumption-sets/nope")
        self.assertEqual(response.status_code, 404)
        self.assertEqual(response.json()["errors"][0]["loc"], ["path", "slug"])
        response = self.client.get("/api/v1/assumption-sets/independent-2026?version=9")
        self.assertEqual(response.status_code, 404)
        self.assertEqual(response.json()["errors"][0]["loc"], ["query", "version"])
        response = self.client.get("/api/v1/assumption-sets/independent-2026?version=x")
        self.assertEqual(response.status_code, 422)
        self.assertEqual(response.json()["errors"][0]["loc"], ["query", "version"])


class SchemaAndDocsTests(TestCase):
    def test_scenario_bounds_are_the_form_bounds(self):
        schema = self.client.get("/api/v1/openapi.json").json()
        self.assertTrue(schema["openapi"].startswith("3."))
        properties = schema["components"]["schemas"]["ScenarioInputs"]["properties"]
        for name in NUMBER_INPUTS:
            field = FORM[name]
            self.assertEqual(properties[name]["minimum"], field.min_value, name)
            self.assertEqual(properties[name]["maximum"], field.max_value, name)
            self.assertEqual(properties[name]["default"], field.initial, name)
            kind = "integer" if field.__class__.__name__ == "IntegerField" else "number"
            self.assertEqual(properties[name]["type"], kind, name)
        self.assertEqual(
            set(schema["paths"]),
            {
                "/api/v1/calculate",
                "/api/v1/insight",
                "/api/v1/assumption-sets",
                "/api/v1/assumption-sets/{slug}",
                "/api/v1/scenarios",
                "/api/v1/scenarios/{slug}",
            },
        )

    def test_the_documented_bounds_are_the_form_bounds(self):
        text = (settings.BASE_DIR / "docs" / "api.md").read_text()
        for name in NUMBER_INPUTS:
            row = re.search(rf"^\| `{name}` \|(.*)$", text, re.M)
            self.assertIsNotNone(row, name)
            kind, _, bounds, default = [c.strip() for c in row.group(1).split("|")[:4]]
            field = FORM[name]
            self.assertEqual(
                kind, "integer" if field.__class__.__name__ == "IntegerField" else "number"
            )
            self.assertEqual(bounds, f"{field.min_value:,} – {field.max_value:,}", name)
            self.assertEqual(default, f"{field.initial:,}", name)

    def test_docs_page_keeps_the_csp(self):
        response = self.client.get("/api/v1/docs")
        self.assertEqual(response.status_code, 200)
        html = response.content.decode()
        policy = response["Content-Security-Policy"]
        self.assertRegex(policy, r"script-src 'self'( 'nonce-[^']+')?(;|$)")
        self.assertNotIn("http", policy)
        scripts = re.findall(r"<script\b([^>]*)>", html)
        self.assertEqual(len(scripts), 2)
        for attributes in scripts:
            # Every script is a file of this site: nothing inline, nothing from a CDN.
            self.assertRegex(attributes, r'src="/static/(vendor/swagger-ui|js)/')
        self.assertIn('data-openapi-url="/api/v1/openapi.json"', html)
        self.assertIn("vendor/swagger-ui/swagger-ui", html)
        for path in ("vendor/swagger-ui/swagger-ui-bundle.js", "vendor/swagger-ui/swagger-ui.css"):
            self.assertTrue((settings.BASE_DIR / "static" / path).is_file())


def bounded(name: str):
    field = FORM[name]
    if field.__class__.__name__ == "IntegerField":
        return st.integers(field.min_value, field.max_value)
    return st.floats(field.min_value, field.max_value, allow_nan=False)


STACKS = ["express", "fastapi", "go"]
service = st.fixed_dictionaries(
    {"stack": st.sampled_from(STACKS)},
    optional={"app_cpu_ms": bounded("app_cpu_ms"), "io_wait_ms": bounded("io_wait_ms")},
)


@st.composite
def mixes(draw):
    services = draw(st.lists(service, min_size=1, max_size=4))
    n = len(services) - 1
    cuts = sorted(draw(st.lists(st.integers(1, 99), min_size=n, max_size=n, unique=True)))
    shares = [b - a for a, b in zip([0, *cuts], [*cuts, 100], strict=True)]
    return {"services": [{**s, "share": p} for s, p in zip(services, shares, strict=True)]}


scenarios = st.fixed_dictionaries(
    {
        "inputs": st.fixed_dictionaries({}, optional={n: bounded(n) for n in NUMBER_INPUTS}),
        "options": st.lists(
            st.one_of(st.builds(lambda s: {"stack": s}, st.sampled_from(STACKS)), mixes()),
            min_size=1,
            max_size=MAX_OPTIONS,
        ).map(lambda options: [{**o, "name": f"Option {i}"} for i, o in enumerate(options)]),
    }
)


class AnyScenarioWithinTheBounds(HypothesisTestCase):
    @classmethod
    def setUpTestData(cls):
        call_command("load_assumptions", stdout=StringIO())

    @given(scenario=scenarios)
    @hypothesis_settings(
        max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow]
    )
    def test_is_answered_without_a_server_error(self, scenario):
        response = self.client.post(
            "/api/v1/calculate", data=json.dumps(scenario), content_type="application/json"
        )
        if response.status_code == 422:  # totals past exact cents (100% growth for years)
            self.assertEqual(
                [e["type"] for e in response.json()["errors"]],
                ["too_large"] * len(response.json()["errors"]),
            )
            return
        self.assertEqual(response.status_code, 200, response.content[:500])
        self.assertEqual(len(response.json()["options"]), len(scenario["options"]))


# Schemathesis asks the running app for its schema, as a client would, with the host name
# "localhost"; tests run with production's settings, which allow no host until told to.
with override_settings(ALLOWED_HOSTS=["localhost"]):
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())


@pytest.fixture
def shipped_sets(db, settings):
    call_command("load_assumptions", stdout=StringIO())
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "localhost"]
    # Schemathesis calls the WSGI app directly, so each request's end would close the database
    # connection (CONN_MAX_AGE) inside the test's transaction: on PostgreSQL that ends the test.
    # Django's own test client keeps the connection open the same way.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@schema.parametrize()
@hypothesis_settings(
    max_examples=100,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    database=None,
)
def test_schemathesis_finds_no_failure(case, shipped_sets):
    """Fuzzing every operation from its schema: no server error, every answer as documented."""
    # The in-process WSGI client asks for gzip but does not unpack it: ask for plain bodies.
    # A schema-valid scenario may still name a stack or market its set lacks (the sets are
    # data, not schema): that is a documented 422, so "valid data accepted" is not checked.
    case.call_and_validate(
        headers={"Accept-Encoding": "identity"}, excluded_checks=[positive_data_acceptance]
    )


class PeopleInputsTests(ShippedSets):
    """The team inputs and your figures through the API, saved, and shown on the link's page."""

    SCENARIO = {
        "inputs": {
            "team_size": 10,
            "knows": {"javascript": 10, "go": 0, "python": 0},
            "current_stack": "go",
            "separation_months": 1.5,
            "hires_per_year": 6,
            "your_figures": {
                "stacks": {"go": {"rps_per_vcpu": 5000.0}},
                "languages": {"go": {"annual_salary": 200000.0, "time_to_fill_days": 90.0}},
            },
        },
        "options": [
            {"stack": "express"},
            {"stack": "go"},
            {
                "services": [
                    {"stack": "go", "share": 70, "engineers": 3},
                    {"stack": "express", "share": 30},
                ]
            },
        ],
    }

    def test_calculate_uses_them_and_the_saved_link_shows_the_same(self):
        result = self.calculate(self.SCENARIO).json()
        self.assertEqual(result["baseline"], "Go net/http")  # the current stack
        self.assertTrue(result["notes"][0].startswith("Your figures in place of the set's:"))
        self.assertIn("the annual salary of Go engineers, $200,000 a year", result["notes"][0])
        hybrid = result["options"][2]
        self.assertEqual(result["scenario"]["options"][2]["services"][0]["engineers"], 3)
        # The scenario sent back gives the same answer.
        self.assertEqual(self.calculate(result["scenario"]).json(), result)
        # By hand against the engine: the same inputs straight into compute().
        snap = snapshot(choose_set(published_sets(), "independent-2026"))
        inputs = engine.Inputs(
            **{
                **vars_of_defaults(),
                "team_size": 10,
                "known": {"javascript": 10, "go": 0, "python": 0},
                "current_stack": "go",
                "separation_months": 1.5,
                "hires_per_year": 6.0,
                "your_figures": {
                    "stack:go:rps_per_vcpu": 5000.0,
                    "rate:go:annual_salary": 200000.0,
                    "rate:go:time_to_fill_days": 90.0,
                },
            }
        )
        mix = engine.Option(
            hybrid["name"],
            (
                engine.Service("go", 0.7, engineers=3.0, label="go"),
                engine.Service("express", 0.3, label="express"),
            ),
        )
        options = [
            engine.Option.single("express", "Express 5"),
            engine.Option.single("go", "Go net/http"),
            mix,
        ]
        direct = engine.compute(inputs, options, snap)
        for ours, theirs in zip(result["options"], direct.options, strict=True):
            self.assertAlmostEqual(ours["horizon_total"], theirs.horizon_total, delta=0.005)
        # Saved, the link's page shows the same totals and the note.
        saved = self.client.post(
            "/api/v1/scenarios",
            data=json.dumps({**self.SCENARIO, "title": "People"}),
            content_type="application/json",
        )
        self.assertEqual(saved.status_code, 201, saved.content)
        page = self.client.get(saved.json()["url"]).content.decode()
        for option in result["options"]:
            self.assertIn(f"${option['horizon_total']:,.0f}", page)
        self.assertIn("Your figures in place of the set", page)
        self.assertIn("(your figure)", page)

    def test_their_problems_have_paths(self):
        bad = json.loads(json.dumps(self.SCENARIO))
        bad["inputs"]["current_stack"] = "cobol"
        bad["inputs"]["your_figures"] = {"stacks": {"rust": {"rps_per_vcpu": 1.0}}}
        response = self.calculate(bad)
        self.assertEqual(response.status_code, 422, response.content)
        self.assertEqual(
            [(e["loc"], e["type"]) for e in response.json()["errors"]],
            [
                (["inputs", "current_stack"], "not_in_set"),
                (["inputs", "your_figures", "stacks", "rust"], "not_in_set"),
            ],
        )
        bad = json.loads(json.dumps(self.SCENARIO))
        bad["inputs"]["your_figures"] = {"languages": {"go": {"salary": 1}}}
        errors = self.calculate(bad).json()["errors"]
        self.assertEqual(errors[0]["loc"], ["inputs", "your_figures", "languages", "go", "salary"])
        bad = json.loads(json.dumps(self.SCENARIO))
        bad["options"][2]["services"][0]["engineers"] = 11
        errors = self.calculate(bad).json()["errors"]
        self.assertIn("are more than the team (10)", errors[0]["msg"])


def vars_of_defaults() -> dict:
    """engine.Inputs as the page's defaults make it (the API fills the same defaults)."""
    sets = published_sets()
    aset = choose_set(sets, "independent-2026")
    form = CalculatorForm.from_query(
        QueryDict(""), snapshot=snapshot(aset), set_choices=set_choices(sets)
    )
    assert form.is_valid(), form.errors
    inputs = form.inputs()
    return {f: getattr(inputs, f) for f in inputs.__dataclass_fields__}
