"""POST /api/v1/insight and `tco --insight`: the page's "What decides it" panel as numbers.

The page's panel (/insight/) is asked the same scenario through its query string; the API's
figures must be what the view's analyse() gives, to the cent, and the sentences it renders.
"""

import json
import tempfile
from html import escape
from io import StringIO
from urllib.parse import urlencode

import numpy as np
from django.core.cache import caches
from django.core.management import call_command
from django.http import QueryDict
from django.test import TestCase, override_settings

from costcalc.assumptions.selectors import choose_set, published_sets, set_choices
from costcalc.assumptions.snapshot import snapshot
from costcalc.calculator.forms import CalculatorForm
from costcalc.engine import insight as ei
from costcalc.scenarios.format import Scenario, resolve
from costcalc.scenarios.format.insight import category_draws
from costcalc.text import money
from tests.test_api import SCENARIO, page_query


class InsightTestCase(TestCase):
    @classmethod
    def setUpTestData(cls):
        call_command("load_assumptions", stdout=StringIO())

    def setUp(self):
        caches["ratelimit"].clear()  # the insight's rate limit counts in the cache

    def insight(self, body, **extra):
        data = body if isinstance(body, str | bytes) else json.dumps(body)
        return self.client.post(
            "/api/v1/insight", data=data, content_type="application/json", **extra
        )


class SameInsightAsThePage(InsightTestCase):
    def page_analysis(self, scenario: dict):
        """analyse() as the insight view calls it, on the form of the page's query."""
        sets = published_sets()
        aset = choose_set(sets, f"{scenario['assumption_set']['slug']}")
        snap = snapshot(aset)
        query = urlencode(page_query(scenario), doseq=True)
        form = CalculatorForm.from_query(
            QueryDict(query), snapshot=snap, set_choices=set_choices(sets)
        )
        self.assertTrue(form.is_valid(), form.errors)
        return query, ei.analyse(form.inputs(), form.options(), snap)

    def test_the_figures_are_the_page_panels_to_the_cent(self):
        response = self.insight(SCENARIO)
        self.assertEqual(response.status_code, 200, response.content[:2000])
        ours = response.json()
        query, page = self.page_analysis(ours["scenario"])

        self.assertEqual(ours["verdict"], page.verdict)
        self.assertEqual(len(ours["verdict"]), 3)
        mc = page.monte_carlo
        self.assertEqual(ours["uncertainty"]["seed"], f"{mc.seed:016x}")
        self.assertEqual(ours["uncertainty"]["draws"], ei.DRAWS)
        self.assertEqual(ours["uncertainty"]["variables"], len(mc.variables))
        for band, theirs, option in zip(
            ours["uncertainty"]["options"], mc.bands, page.result.options, strict=True
        ):
            self.assertEqual(band["name"], theirs.name)
            self.assertEqual(band["base"], round(option.horizon_total, 2))
            for q in ("p10", "p50", "p90"):
                self.assertEqual(band[q], round(float(getattr(theirs, q)[-1]), 2), q)
                monthly = [m[q] for m in band["monthly"]]
                self.assertEqual(monthly, [round(float(x), 2) for x in getattr(theirs, q)])
            self.assertEqual(band["p_cheapest"], theirs.p_cheapest)
            self.assertLessEqual(band["p10"], band["p50"])
            self.assertLessEqual(band["p50"], band["p90"])
        self.assertAlmostEqual(sum(b["p_cheapest"] for b in ours["uncertainty"]["options"]), 1)

        curve = page.traffic
        self.assertEqual(
            [(c["from"], c["to"], c["rps"], c["label"]) for c in ours["traffic"]["crossovers"]],
            [(c.from_, c.to, c.rps, c.label) for c in curve.crossovers],
        )
        for i, name in enumerate(curve.names):
            self.assertEqual(
                ours["traffic"]["totals"][name], [round(float(x), 2) for x in curve.totals[i]]
            )

        torn = page.tornado
        self.assertEqual(ours["tornado"]["leader"], torn.leader)
        self.assertEqual(ours["tornado"]["runner_up"], torn.runner_up)
        self.assertEqual(len(ours["tornado"]["bars"]), len(torn.bars))
        for bar, theirs in zip(ours["tornado"]["bars"], torn.bars, strict=True):
            self.assertEqual(bar["key"], theirs.variable.key)
            self.assertEqual(bar["difference_at_low"], round(theirs.diff_low, 2))
            self.assertEqual(bar["difference_at_high"], round(theirs.diff_high, 2))
            self.assertEqual(
                [(f["direction"], f["value"]) for f in bar["flips"]],
                [(f.direction, f.value) for f in theirs.flips],
            )
        self.assertTrue(any(bar["flips"] for bar in ours["tornado"]["bars"]))

        # And what the page's panel renders for the same query: the sentences and figures.
        html = self.client.get(f"/insight/?{query}").content.decode()
        for sentence in ours["verdict"]:
            self.assertIn(escape(sentence), html)
        self.assertIn(f"Seed {ours['uncertainty']['seed']}", html)
        for band in ours["uncertainty"]["options"]:
            self.assertIn(f"<td>{band['p_cheapest'] * 100:.1f}%</td>", html)
            self.assertIn(f"<td>{money(band['base'])}</td>", html)
        for c in ours["traffic"]["crossovers"]:
            self.assertIn(f"<li>{escape(c['label'])}.</li>", html)
        for bar in ours["tornado"]["bars"]:
            if bar["flip"]:
                self.assertIn(f"<td>{escape(bar['flip'])}</td>", html)

        # The other set's answer, as the page's table shows it.
        sets = ours["assumption_sets"]
        self.assertEqual([s["in_use"] for s in sets["sets"]], [True, False])
        self.assertEqual(sets["missing"], [])
        for s in sets["sets"]:
            self.assertIn(escape(s["name"]), html)
            for total in s["totals"].values():
                self.assertIn(money(total), html)
        self.assertEqual(sets["same_answer"], len({s["cheapest"] for s in sets["sets"]}) == 1)

    def test_the_category_bands_are_of_the_monte_carlos_own_draws(self):
        resolved = resolve(Scenario.model_validate(SCENARIO))
        mc = ei.analyse(resolved.inputs, resolved.options, resolved.snapshot).monte_carlo
        draws = category_draws(resolved, mc)
        # Per draw, the categories add up to the total the Monte Carlo drew: the same draws.
        np.testing.assert_allclose(draws.sum(axis=1), mc.totals, rtol=1e-12)
        ours = self.insight(SCENARIO).json()["uncertainty"]["options"]
        for i, option in enumerate(ours):
            for j, (name, band) in enumerate(option["categories"].items()):
                expected = np.quantile(draws[i, j], ei.QUANTILES)
                self.assertEqual(list(band.values()), [round(float(x), 2) for x in expected])
                self.assertLessEqual(band["p10"], band["p90"], name)
        # The delay is the fixed cost of delay (50,000 a month) times a drawn launch gap:
        # the Go option launches later than Express in some draws, not in others.
        self.assertEqual(ours[0]["categories"]["delay"]["p10"], 0)

    def test_one_option_has_no_tornado(self):
        response = self.insight({"options": [{"stack": "go"}]})
        self.assertEqual(response.status_code, 200, response.content)
        data = response.json()
        self.assertIsNone(data["tornado"])
        self.assertEqual(data["uncertainty"]["options"][0]["p_cheapest"], 1.0)
        self.assertIn("add another option to compare it with", data["verdict"][0])


class Errors(InsightTestCase):
    def test_a_bad_document_answers_its_path(self):
        bad = json.loads(json.dumps(SCENARIO))
        bad["inputs"]["peak_rps"] = -5
        bad["options"][2]["services"][0]["stack"] = "cobol"
        response = self.insight(bad)
        self.assertEqual(response.status_code, 422)
        self.assertTrue(response["Content-Type"].startswith("application/json"))
        locs = [e["loc"] for e in response.json()["errors"]]
        self.assertIn(["inputs", "peak_rps"], locs)
        response = self.insight({**SCENARIO, "options": [{"stack": "cobol"}]})
        self.assertEqual(response.status_code, 422)
        self.assertEqual(response.json()["errors"][0]["loc"], ["options", 0, "stack"])
        response = self.insight(b"{not json")
        self.assertEqual(response.status_code, 400)
        self.assertEqual(response.json()["errors"][0]["type"], "json_invalid")

    @override_settings(RATE_LIMITS={"insight": 2})
    def test_past_its_rate_a_client_gets_429(self):
        for _ in range(2):
            self.assertEqual(self.insight({"options": [{"stack": "go"}]}).status_code, 200)
        response = self.insight({"options": [{"stack": "go"}]})
        self.assertEqual(response.status_code, 429)
        self.assertEqual(response.json()["errors"][0]["type"], "rate_limited")
        self.assertTrue(1 <= int(response["Retry-After"]) <= 60)
        # calculate is not limited by it
        calculated = self.client.post(
            "/api/v1/calculate", json.dumps(SCENARIO), content_type="application/json"
        )
        self.assertEqual(calculated.status_code, 200)
        other = self.insight({"options": [{"stack": "go"}]}, REMOTE_ADDR="10.0.0.9")
        self.assertEqual(other.status_code, 200)

    @override_settings(RATE_LIMITS={"insight": 3})
    def test_a_larger_scenario_counts_for_more(self):
        stacks = ("express", "fastapi", "go")
        mix = [{"stack": stacks[j % 3], "share": 10, "label": f"s{j}"} for j in range(10)]
        large = {
            "inputs": {"horizon_months": 60},
            "options": [{"name": "a", "services": mix}, {"name": "b", "services": mix[::-1]}],
        }
        # 2 options of 10 services over 60 months: 1,200 service-months, 3 units of 480.
        self.assertEqual(self.insight(large).status_code, 200)
        self.assertEqual(self.insight({"options": [{"stack": "go"}]}).status_code, 429)


class Schema(InsightTestCase):
    def test_the_schema_lists_the_endpoint_with_its_models_and_examples(self):
        schema = self.client.get("/api/v1/openapi.json").json()
        post = schema["paths"]["/api/v1/insight"]["post"]
        self.assertEqual(post["operationId"], "insight")
        body = post["requestBody"]["content"]["application/json"]
        self.assertEqual(body["schema"]["$ref"], "#/components/schemas/Scenario")
        self.assertIn("fintech-hybrid", body["examples"])
        ok = post["responses"]["200"]["content"]["application/json"]["schema"]
        self.assertEqual(ok["$ref"], "#/components/schemas/InsightOut")
        self.assertIn("Retry-After", post["responses"]["429"]["headers"])
        self.assertTrue({"400", "413", "422", "429", "500"} <= set(post["responses"]))
        models = schema["components"]["schemas"]
        for name in ("InsightOut", "Uncertainty", "OptionBand", "TornadoOut", "Crossover"):
            self.assertIn(name, models)
        self.assertIn("p_cheapest", models["OptionBand"]["required"])


class CommandLine(InsightTestCase):
    def tco(self, *args) -> str:
        out = StringIO()
        call_command("tco", *args, stdout=out)
        return out.getvalue()

    def test_tco_insight_prints_the_verdict_and_bands(self):
        api = self.insight(SCENARIO).json()
        with tempfile.NamedTemporaryFile("w", suffix=".json") as f:
            json.dump(SCENARIO, f)
            f.flush()
            text = self.tco(f.name, "--insight")
            as_json = json.loads(self.tco(f.name, "--insight", "--format", "json"))
        for sentence in api["verdict"]:
            self.assertIn(sentence, text)
        for band in api["uncertainty"]["options"]:
            self.assertIn(money(band["p10"]), text)
            self.assertIn(money(band["p90"]), text)
            self.assertIn(f"{band['p_cheapest'] * 100:.1f}%", text)
        for c in api["traffic"]["crossovers"]:
            self.assertIn(c["label"], text)
        self.assertIn(f"seed {api['uncertainty']['seed']}", text)
        self.assertIn("Seed article 2026", text)
        self.assertEqual(as_json, api)

    def test_tco_insight_refuses_csv(self):
        from django.core.management.base import CommandError

        with self.assertRaisesMessage(CommandError, "--insight prints a table or JSON"):
            self.tco("--example", "fintech-hybrid", "--insight", "--format", "csv")
