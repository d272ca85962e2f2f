"""A saved scenario's exports: CSV of the monthly table, JSON of inputs and results, the
print-ready report, and PNG download of the charts. Figures as in tests/test_scenarios.py.
"""

from __future__ import annotations

import csv
import io
import re

import orjson
from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.cache import caches
from django.test import TestCase

from costcalc.scenarios.exports import CSV_COLUMNS
from costcalc.scenarios.format import parse, resolve
from costcalc.scenarios.models import Scenario
from tests.factories import make_set
from tests.test_scenarios import TOTALS, query_string
from tests.test_scenarios import MigrationPageTests as Hand


class ExportTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.aset = make_set()

    def setUp(self):
        caches["ratelimit"].clear()

    def saved(self, **extra) -> Scenario:
        data = {"title": "Exported", "description": "For the board", "query": query_string()}
        response = self.client.post("/s/", {**data, **extra})
        self.assertEqual(response.status_code, 303)
        return Scenario.objects.get(slug=response["Location"].split("/")[2])

    def test_csv_is_the_monthly_table_of_every_option(self):
        scenario = self.saved()
        response = self.client.get(f"/s/{scenario.slug}/export.csv")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Content-Type"], "text/csv; charset=utf-8")
        self.assertEqual(
            response["Content-Disposition"],
            f'attachment; filename="costcalc-{scenario.slug}.csv"',
        )
        rows = list(csv.reader(io.StringIO(response.content.decode())))
        # Columns in words, as the page's monthly table names them, with the instance count.
        self.assertEqual(rows[0], CSV_COLUMNS)
        self.assertEqual(
            rows[0],
            ["Option", "Month", "Peak RPS", "Instances", "Infrastructure (USD)",
             "Engineering salaries (USD)", "Hiring and retraining (USD)",
             "Cost of later launch (USD)", "Total (USD)", "Cumulative (USD)"],
        )  # fmt: skip
        body = rows[1:]
        self.assertEqual(len(body), 3 * 12)  # options x months
        go = [r for r in body if r[0] == "Go net/http"]
        self.assertEqual([r[1] for r in go], [str(m) for m in range(1, 13)])
        # 3 instances: the $219 of infrastructure is 3 x 730 h x $0.10.
        self.assertEqual(go[0], ["Go net/http", "1", "20000.00", "3", "219.00", "60000.00",
                                 "0.00", "0.00", "60219.00", "60219.00"])  # fmt: skip
        for name, total in TOTALS.items():
            last = [r for r in body if r[0] == name][-1]
            self.assertEqual(last[-1], f"{total:.2f}")

    def test_json_has_inputs_results_and_the_pinned_version(self):
        scenario = self.saved()
        response = self.client.get(f"/s/{scenario.slug}/export.json")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Content-Type"], "application/json")
        self.assertIn("attachment", response["Content-Disposition"])
        data = orjson.loads(response.content)
        self.assertEqual(
            set(data),
            {
                "format",
                "link",
                "slug",
                "title",
                "description",
                "saved_at",
                "assumption_set",
                "inputs",
                "results",
                "migration",
                "figures",
            },
        )
        self.assertEqual(data["link"], f"http://testserver/s/{scenario.slug}/")
        self.assertEqual(data["title"], "Exported")
        self.assertEqual(
            data["assumption_set"],
            {"slug": "test-set", "version": 1, "name": "Test set", "as_of": "2026-01-01"},
        )
        self.assertEqual(data["inputs"]["peak_rps"], ["20000"])
        self.assertIsNone(data["migration"])
        results = data["results"]
        self.assertEqual(results["assumption_set"]["version"], 1)
        self.assertEqual(results["cheapest"], "Go net/http")
        totals = {o["name"]: o["horizon_total"] for o in results["options"]}
        self.assertEqual(totals, {k: float(v) for k, v in TOTALS.items()})
        self.assertEqual(len(results["options"][0]["monthly"]), 12)
        # The results carry the scenario in the API's format: it computes the same again.
        resolved = resolve(parse(results["scenario"]))
        again = {o.name: o.horizon_total for o in resolved.compute().options}
        self.assertEqual(again, totals)
        self.assertEqual(resolved.aset.version, 1)

    def test_json_of_a_migration(self):
        scenario = self.saved(**Hand.MIGRATION)
        data = orjson.loads(self.client.get(f"/s/{scenario.slug}/export.json").content)
        migration = data["migration"]
        self.assertEqual(migration["break_even_month"], 5)
        self.assertEqual(migration["staying_total"], 728_760)
        self.assertEqual(migration["migrating_total"], 724_939)
        self.assertEqual(migration["saving"], 3_821)
        self.assertEqual(len(migration["monthly"]), 12)
        self.assertEqual(migration["monthly"][0]["migrating"], 62_530)
        self.assertEqual(migration["monthly"][0]["rewrite"], 1_800)
        self.assertEqual(data["figures"]["migration"]["break_even_month"], 5)
        # The results, in the API's format, carry it too, and their scenario computes it again.
        results = data["results"]
        self.assertEqual(results["migration"]["break_even_month"], 5)
        self.assertEqual(results["migration"]["saving"], 3_821)
        self.assertEqual(results["scenario"]["migration"]["effort_weeks"], 0.52)
        resolved = resolve(parse(results["scenario"]))
        self.assertEqual(resolved.migrate(resolved.compute()).break_even_month, 5)

    def test_report_is_print_ready(self):
        scenario = self.saved(**Hand.MIGRATION)
        response = self.client.get(f"/s/{scenario.slug}/report/")
        self.assertEqual(response.status_code, 200)
        html = response.content.decode()
        stylesheet = re.search(r'href="(/static/css/scenarios\.[^"]*css)"', html)
        self.assertIsNotNone(stylesheet)
        self.assertIn("<h1>Exported</h1>", html)
        self.assertIn("For the board", html)
        self.assertIn(f'href="http://testserver/s/{scenario.slug}/"', html)
        self.assertIn("Test set version 1</a>, as of 1 January 2026", html)
        self.assertIn("data-print", html)
        # One monthly table per option, a row per month.
        self.assertEqual(html.count("month by month</h2>"), 3)
        self.assertEqual(len(re.findall(r'<tr><th scope="row">\d+</th>', html)), 3 * 12)
        # Each row: peak traffic, the instances billed (Go's 3, as in the CSV), the dollars.
        go = html.split("Go net/http: month by month</h2>", 1)[1]
        self.assertIn('<th scope="col">Peak RPS</th><th scope="col">Instances</th>', go)
        self.assertIn('<tr><th scope="row">1</th><td>20,000</td><td>3</td><td>$219</td>', go)
        self.assertIn("Break-even: <strong>month 5</strong>", html)
        self.assertIn('data-chart="cumulative"', html)
        self.assertIn('data-chart="migration"', html)
        # The stylesheet holds the print rules: A4 pages, no site chrome.
        with open(finders.find("css/scenarios.css")) as f:
            css = f.read()
        print_rules = css.split("@media print", 1)[1]
        self.assertIn("@page { size: A4;", print_rules)
        self.assertIn("header.site, footer.site", print_rules)
        self.assertIn("break-inside: avoid", print_rules)

    def test_charts_download_as_png(self):
        scenario = self.saved()
        html = self.client.get(scenario.get_absolute_url()).content.decode()
        self.assertIn("downloads it as a PNG", html)
        self.assertIn("js/charts", html)
        charts_js = (settings.BASE_DIR / "static/js/charts.js").read_text()
        self.assertRegex(charts_js, r'toImageButtonOptions: \{ format: "png"')

    def test_exports_of_an_unknown_link_are_404(self):
        for path in ("export.csv", "export.json", "report/"):
            self.assertEqual(self.client.get(f"/s/no-such-code/{path}").status_code, 404)

    def test_exports_do_not_change_after_a_republish(self):
        from costcalc.assumptions.snapshot import clear_caches

        scenario = self.saved()
        before = {
            p: self.client.get(f"/s/{scenario.slug}/{p}").content
            for p in ("export.csv", "export.json")
        }
        draft = self.aset.clone()
        draft.stacks.filter(slug="go").update(rps_per_vcpu=1.0)
        draft.publish()
        clear_caches()
        for path, content in before.items():
            self.assertEqual(self.client.get(f"/s/{scenario.slug}/{path}").content, content)
        # Sanity: the new version really does compute other figures.
        response = self.client.post(
            "/s/", {"title": "v2", "query": query_string(assumptions="test-set@2")}
        )
        newer = Scenario.objects.get(slug=response["Location"].split("/")[2])
        self.assertEqual(newer.assumption_set.version, 2)
        self.assertNotEqual(newer.figures, scenario.figures)
