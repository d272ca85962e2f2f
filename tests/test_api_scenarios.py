"""Saving scenarios through the API: share links with the page's figures, what the page can't
hold, titles, the rate limit, and reading a saved scenario back.

The shipped assumption sets and worked examples are loaded as `make run` loads them.
"""

import json
import re
from io import StringIO

from django.core.cache import caches
from django.core.management import call_command
from django.test import Client, TestCase

from costcalc.scenarios import examples as worked_examples
from costcalc.scenarios.compute import canonical, compute_scenario, figures_of
from costcalc.scenarios.forms import SHARE_LIMIT
from costcalc.scenarios.models import Scenario
from costcalc.text import money
from tests.factories import fresh_window
from tests.test_api import SCENARIO, card_totals

SLUG = re.compile(r"^[A-Za-z0-9_-]{12}$")
SAVE = {**SCENARIO, "title": "Our backend", "description": "Q3 plan"}


def distinct(k: int) -> dict:
    """SAVE made a scenario of its own by its cost of delay (saving one twice answers its link)."""
    inputs = {**SAVE.get("inputs", {}), "cost_of_delay": 1000 * (k + 1)}
    return {**SAVE, "inputs": inputs}


class SavingTestCase(TestCase):
    @classmethod
    def setUpTestData(cls):
        call_command("load_assumptions", stdout=StringIO())
        call_command("load_examples", stdout=StringIO())

    def setUp(self):
        caches["ratelimit"].clear()  # the rate limit counts in the cache

    def post(self, path, body, client=None, **extra):
        data = body if isinstance(body, str | bytes) else json.dumps(body)
        return (client or self.client).post(
            path, data=data, content_type="application/json", **extra
        )

    def save(self, body, **extra):
        return self.post("/api/v1/scenarios", body, **extra)

    def calculate(self, body):
        response = self.post("/api/v1/calculate", body)
        self.assertEqual(response.status_code, 200, response.content)
        return response.json()

    def assert_problems(self, response, status: int, expected: list[tuple[list, str]]):
        self.assertEqual(response.status_code, status, response.content)
        self.assertEqual(response["Content-Type"], "application/json; charset=utf-8")
        body = response.json()
        self.assertEqual(set(body), {"detail", "errors"})
        errors = body["errors"]
        self.assertEqual([(e["loc"], e["type"]) for e in errors], expected)
        for e in errors:
            self.assertTrue(e["msg"])
        return errors


class SaveTests(SavingTestCase):
    def test_round_trip(self):
        response = self.save(SAVE)
        self.assertEqual(response.status_code, 201, response.content)
        saved = response.json()
        slug = saved["slug"]
        self.assertRegex(slug, SLUG)
        self.assertEqual(saved["url"], f"http://testserver/s/{slug}/")
        self.assertEqual(response["Location"], f"/api/v1/scenarios/{slug}")
        self.assertEqual(saved["title"], "Our backend")
        self.assertEqual(saved["assumption_set"]["slug"], "independent-2026")
        self.assertEqual(saved["assumption_set"]["version"], 4)  # the newest when none is named
        # The very answer calculate gives for the same scenario.
        self.assertEqual(saved["results"], self.calculate({**SCENARIO, "description": "Q3 plan"}))

        # GET gives the same results, and a scenario calculate takes for them again.
        got = self.client.get(f"/api/v1/scenarios/{slug}")
        self.assertEqual(got.status_code, 200, got.content)
        detail = got.json()
        self.assertEqual(
            {k: detail[k] for k in ("slug", "url", "title", "description")},
            {"slug": slug, "url": saved["url"], "title": "Our backend", "description": "Q3 plan"},
        )
        self.assertIsNone(detail["migration"])
        self.assertEqual(detail["assumption_set"], saved["assumption_set"])
        self.assertEqual(detail["results"]["options"], saved["results"]["options"])
        for key in ("assumption_set", "horizon", "baseline", "cheapest"):
            self.assertEqual(detail["results"][key], saved["results"][key], key)
        self.assertEqual(detail["scenario"], detail["results"]["scenario"])
        again = self.calculate(detail["scenario"])
        self.assertEqual(again["options"], saved["results"]["options"])

        # The link's page shows the same horizon totals, as the page formats them.
        scenario = Scenario.objects.get(slug=slug)
        self.assertEqual(scenario.description, "Q3 plan")
        html = self.client.get(saved["url"]).content.decode()
        stored = {o["name"]: money(o["horizon_total"]) for o in scenario.figures["options"]}
        self.assertEqual(card_totals(html), stored)
        for option in saved["results"]["options"]:
            page = float(stored[option["name"]].replace("$", "").replace(",", ""))
            self.assertLessEqual(abs(option["horizon_total"] - page), 0.505, option["name"])

        # The stored query is the page's and reproduces the figures, here and in the calculator.
        query = scenario.query
        self.assertEqual(query["assumptions"], ["independent-2026@4"])
        self.assertEqual(query["stacks"], ["express", "go"])
        self.assertEqual(query["mix"], ["go:60, fastapi:30:8:100, express:10"])
        self.assertEqual(query["peak_rps"], ["23456.5"])
        self.assertEqual(query["knows_python"], ["5"])
        self.assertEqual(query["autoscaling"], ["off"])
        recomputed = compute_scenario(scenario)
        self.assertEqual(canonical(figures_of(recomputed.result)), canonical(scenario.figures))
        calculator = self.client.get(scenario.calculator_url()).content.decode()
        self.assertEqual(card_totals(calculator), stored)

    def test_defaults_short_numbers_and_a_mix_alone(self):
        body = {
            "title": "  Just   a hybrid ",
            "inputs": {"app_cpu_ms": 0.00001},
            "options": [
                {
                    "name": "Hybrid: Go 33.3333% + FastAPI 66.6667%",
                    "services": [
                        {"stack": "go", "share": 100 / 3, "io_wait_ms": 12.5},
                        {"stack": "fastapi", "share": 200 / 3, "label": "fastapi"},
                    ],
                }
            ],
        }
        response = self.save(body)
        self.assertEqual(response.status_code, 201, response.content)
        saved = response.json()
        self.assertEqual(saved["title"], "Just a hybrid")
        scenario = Scenario.objects.get(slug=saved["slug"])
        self.assertEqual(
            scenario.query["mix"],
            ["go:33.333333333333336:0.00001:12.5, fastapi:66.66666666666667"],
        )
        self.assertEqual(scenario.query["stacks"], [])
        self.assertEqual(scenario.query["peak_rps"], ["10000"])
        figures = {o["name"]: o["horizon_total"] for o in scenario.figures["options"]}
        self.assertEqual(
            {o["name"]: round(figures[o["name"]], 2) for o in saved["results"]["options"]},
            {o["name"]: o["horizon_total"] for o in saved["results"]["options"]},
        )
        del body["title"]
        self.assertEqual(saved["results"], self.calculate(body))

    def test_every_example_can_be_saved_as_the_docs_offer_it(self):
        schema = self.client.get("/api/v1/openapi.json").json()
        operation = schema["paths"]["/api/v1/scenarios"]["post"]
        examples = operation["requestBody"]["content"]["application/json"]["examples"]
        self.assertEqual(list(examples), [e.slug for e in worked_examples.read()])
        for name, example in examples.items():
            caches["ratelimit"].clear()  # more examples than one client's allowance a minute
            with self.subTest(name):
                response = self.save(example["value"])
                self.assertEqual(response.status_code, 201, response.content)

    def test_no_csrf_token_needed(self):
        client = Client(enforce_csrf_checks=True)
        self.assertEqual(self.save(SAVE, client=client).status_code, 201)

    def test_what_the_page_cannot_hold(self):
        go, express, fastapi = ({"stack": s} for s in ("go", "express", "fastapi"))
        mix = {"services": [{"stack": "go", "share": 50}, {"stack": "fastapi", "share": 50}]}
        cases = [
            # Out of the page's order: saving it in order would change the baseline.
            ([go, express], [(["options", 1], "not_expressible")]),
            ([mix, go], [(["options", 1], "not_expressible")]),
            (
                [express, mix, {**mix, "name": "Another"}],
                [(["options", 2, "name"], "n"), (["options", 2], "n")],
            ),
            ([{**go, "name": "Go"}], [(["options", 0, "name"], "not_expressible")]),
            (
                [{"services": [{"stack": "go", "share": 50, "label": "api"}, mix["services"][1]]}],
                [(["options", 0, "services", 0, "label"], "not_expressible")],
            ),
            (
                [{"services": [{"stack": "go", "share": 50}, {"stack": "go", "share": 50}]}],
                [(["options", 0, "services", 1, "stack"], "not_expressible")],
            ),
            (
                [{"services": [{"stack": "go", "share": 100}]}],
                [(["options", 0, "services"], "not_expressible")],
            ),
            (
                [
                    {
                        "services": [
                            {"stack": s, "share": 10, "app_cpu_ms": 1 / 3, "io_wait_ms": 2 / 3}
                            for s in ["go", "fastapi", "express"] * 3 + ["go"]
                        ]
                    }
                ],
                [
                    *[
                        (["options", 0, "services", j, "stack"], "not_expressible")
                        for j in range(3, 10)
                    ],
                    (["options", 0, "services"], "not_expressible"),
                ],
            ),
            (
                [
                    {
                        "services": [
                            {"stack": "go", "share": 1e-10},
                            {"stack": "fastapi", "share": 100},
                        ]
                    }
                ],
                [(["options", 0, "services", 0, "share"], "n")],
            ),
            (  # The page rounds 1.562545% to 1.56254% in its name, the API to 1.56255%.
                [
                    express,
                    {
                        "services": [
                            {"stack": "go", "share": 1.562545},
                            {"stack": "fastapi", "share": 98.437455},
                        ]
                    },
                ],
                [(["options", 1], "n")],
            ),
            ([fastapi, fastapi], [(["options", 1, "name"], "duplicate_name")]),
        ]
        for options, expected in cases:
            expected = [(loc, "not_expressible" if t == "n" else t) for loc, t in expected]
            with self.subTest(options=options):
                caches["ratelimit"].clear()  # every POST counts towards the limit, as on the page
                response = self.save({"title": "t", "options": options})
                self.assert_problems(response, 422, expected)
        errors = self.assert_problems(
            self.save({"title": "t", "options": [go, express]}),
            422,
            [(["options", 1], "not_expressible")],
        )
        self.assertIn("Express 5, FastAPI on Uvicorn, Go net/http", errors[0]["msg"])
        self.assertFalse(Scenario.objects.filter(is_example=False).exists())

    def test_title_and_description(self):
        body = {k: v for k, v in SAVE.items() if k != "title"}
        self.assert_problems(self.save(body), 422, [(["title"], "missing")])
        for title, kind in (
            ("", "string_too_short"),
            ("   ", "blank"),
            ("x" * 121, "string_too_long"),
            (7, "string_type"),
        ):
            with self.subTest(title=title):
                self.assert_problems(self.save({**body, "title": title}), 422, [(["title"], kind)])
        self.assert_problems(
            self.save({**SAVE, "description": "x" * 1001}),
            422,
            [(["description"], "string_too_long")],
        )
        self.assertEqual(self.save({**SAVE, "title": "x" * 120}).status_code, 201)
        self.assertFalse(Scenario.objects.filter(title="").exists())

    def test_unknown_assumption_set_is_a_404(self):
        self.assert_problems(
            self.save({**SAVE, "assumption_set": {"slug": "nope"}}),
            404,
            [(["assumption_set", "slug"], "not_found")],
        )
        self.assert_problems(
            self.save({**SAVE, "assumption_set": {"slug": "independent-2026", "version": 9}}),
            404,
            [(["assumption_set", "version"], "not_found")],
        )


class RateLimitTests(SavingTestCase):
    def test_the_limit_answers_429_with_retry_after(self):
        fresh_window()  # the count must not cross a window
        for k in range(SHARE_LIMIT):
            self.assertEqual(self.save(distinct(k)).status_code, 201)
        response = self.save(distinct(SHARE_LIMIT))
        errors = self.assert_problems(response, 429, [([], "rate_limited")])
        self.assertIn("Too many requests: at most 10 a minute.", errors[0]["msg"])
        self.assertTrue(1 <= int(response["Retry-After"]) <= 60)
        self.assertEqual(Scenario.objects.filter(is_example=False).count(), SHARE_LIMIT)
        # One allowance with the page's Share button; reading is not limited.
        self.assertEqual(self.client.post("/s/", {"title": "t"}).status_code, 429)
        slug = Scenario.objects.filter(is_example=False).first().slug
        self.assertEqual(self.client.get(f"/api/v1/scenarios/{slug}").status_code, 200)
        # Another client has its own allowance (and saving a saved scenario answers its link).
        self.assertEqual(self.save(distinct(0), REMOTE_ADDR="10.0.0.2").status_code, 200)


class ReadTests(SavingTestCase):
    def test_unknown_slug_is_a_404(self):
        response = self.client.get("/api/v1/scenarios/nothing-here")
        self.assert_problems(response, 404, [(["path", "slug"], "not_found")])
        response = self.client.get("/api/v1/scenarios/not.a.slug")
        self.assert_problems(response, 422, [(["path", "slug"], "string_pattern_mismatch")])

    def test_worked_examples_read_back(self):
        migrations = 0
        for slug in (e.slug for e in worked_examples.read()):
            with self.subTest(slug):
                response = self.client.get(f"/api/v1/scenarios/{slug}")
                self.assertEqual(response.status_code, 200, response.content)
                detail = response.json()
                scenario = Scenario.objects.get(slug=slug)
                self.assertEqual(detail["created_at"], scenario.created_at.isoformat())
                self.assertEqual(
                    (detail["assumption_set"]["slug"], detail["assumption_set"]["version"]),
                    (scenario.assumption_set.slug, scenario.assumption_set.version),
                )
                self.assertEqual(
                    {o["name"]: o["horizon_total"] for o in detail["results"]["options"]},
                    {o["name"]: round(o["horizon_total"], 2) for o in scenario.figures["options"]},
                )
                self.assertEqual((detail["migration"] is None), (scenario.migration is None))
                if scenario.migration is not None:
                    migrations += 1
                    self.assertEqual(detail["migration"]["target"], scenario.migration_to)
                again = self.calculate(detail["scenario"])
                self.assertEqual(again["options"], detail["results"]["options"])
        self.assertEqual(migrations, 3)  # the fintech case, its 140,000 RPS what-if, pattern 3


class SchemaTests(TestCase):
    def test_both_endpoints_are_in_the_schema(self):
        schema = self.client.get("/api/v1/openapi.json").json()
        save = schema["paths"]["/api/v1/scenarios"]["post"]
        body = save["requestBody"]["content"]["application/json"]["schema"]
        self.assertEqual(body["$ref"], "#/components/schemas/ScenarioToSave")
        to_save = schema["components"]["schemas"]["ScenarioToSave"]
        self.assertIn("title", to_save["required"])
        self.assertEqual(to_save["properties"]["title"]["maxLength"], 120)
        self.assertEqual(
            set(save["responses"]),
            {"200", "201", "400", "403", "404", "413", "415", "422", "429", "500"},
        )
        self.assertIn("Retry-After", save["responses"]["429"]["headers"])
        self.assertIn("Location", save["responses"]["201"]["headers"])
        read = schema["paths"]["/api/v1/scenarios/{slug}"]["get"]
        self.assertEqual(set(read["responses"]), {"200", "404", "409", "422"})
        error = {"$ref": "#/components/schemas/ErrorOut"}
        for operation, status in ((save, "429"), (save, "422"), (read, "404")):
            content = operation["responses"][status]["content"]["application/json"]
            self.assertEqual(content["schema"], error)
