"""A saved scenario's exports: CSV of the monthly table, the XLSX spreadsheet (read back with
pandas), JSON of the scenario document and results, each with the Monte Carlo's bands, the
print-ready report, and PNG download of the charts. Figures as in tests/test_scenarios.py.
"""

from __future__ import annotations

import csv
import io
import json
import re

import orjson
import pandas as pd
from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.cache import caches
from django.test import TestCase

from costcalc import engine
from costcalc.scenarios.compute import compute_scenario
from costcalc.scenarios.exports import CSV_COLUMNS, XLSX_TYPE
from costcalc.scenarios.format import parse, resolve
from costcalc.scenarios.models import Scenario
from tests.factories import TEST_SOURCE, make_set
from tests.test_scenarios import TOTALS, query_string
from tests.test_scenarios import MigrationPageTests as Hand


class ExportCase(TestCase):
    """A saved scenario to export, and the API's insight to compare its bands with."""

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

    def insight_bands(self, scenario: Scenario) -> dict:
        """POST /api/v1/insight's bands for the saved scenario's document, by option name."""
        document = orjson.loads(self.client.get(f"/s/{scenario.slug}/export.json").content)
        response = self.client.post(
            "/api/v1/insight",
            data=json.dumps(document["scenario"]),
            content_type="application/json",
        )
        self.assertEqual(response.status_code, 200)
        return {o["name"]: o for o in response.json()["uncertainty"]["options"]}


class ExportTests(ExportCase):
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
             "Cost of later launch (USD)", "Total (USD)", "Cumulative (USD)",
             "Cumulative P10 (USD)", "Cumulative P50 (USD)", "Cumulative P90 (USD)"],
        )  # fmt: skip
        body = rows[1:]
        self.assertEqual(len(body), 3 * 12)  # options x months
        go = [r for r in body if r[0] == "Go net/http"]
        self.assertEqual([r[1] for r in go], [str(m) for m in range(1, 13)])
        # 3 instances: the $219 of infrastructure is 3 x 730 h x $0.10.
        self.assertEqual(go[0][:10], ["Go net/http", "1", "20000.00", "3", "219.00", "60000.00",
                                      "0.00", "0.00", "60219.00", "60219.00"])  # fmt: skip
        for name, total in TOTALS.items():
            last = [r for r in body if r[0] == name][-1]
            self.assertEqual(last[9], f"{total:.2f}")
        # The band of the cumulative cost, each month: the insight's, to the cent.
        bands = self.insight_bands(scenario)
        for row in body:
            month = bands[row[0]]["monthly"][int(row[1]) - 1]
            self.assertEqual(row[10:], [f"{month[q]:.2f}" for q in ("p10", "p50", "p90")])
            self.assertLessEqual(float(row[10]), float(row[11]))
            self.assertLessEqual(float(row[11]), float(row[12]))

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
                "scenario",
                "results",
                "uncertainty",
            },
        )
        self.assertEqual(data["format"], "costcalc-scenario/2")
        self.assertEqual(data["link"], f"http://testserver/s/{scenario.slug}/")
        self.assertEqual(data["title"], "Exported")
        self.assertEqual(
            data["assumption_set"],
            {"slug": "test-set", "version": 1, "name": "Test set", "as_of": "2026-01-01"},
        )
        # The inputs are the API's document, numbers as numbers (not the query's ["20000"]).
        self.assertEqual(data["scenario"]["inputs"]["peak_rps"], 20000)
        self.assertEqual(data["scenario"]["assumption_set"], {"slug": "test-set", "version": 1})
        results = data["results"]
        self.assertIsNone(results["migration"])
        self.assertNotIn("scenario", results)  # given once, at the top
        self.assertEqual(results["assumption_set"]["version"], 1)
        self.assertEqual(results["cheapest"], "Go net/http")
        totals = {o["name"]: o["horizon_total"] for o in results["options"]}
        self.assertEqual(totals, {k: float(v) for k, v in TOTALS.items()})
        self.assertEqual(len(results["options"][0]["monthly"]), 12)
        # The scenario, in the API's format, computes the same again.
        resolved = resolve(parse(data["scenario"]))
        again = {o.name: o.horizon_total for o in resolved.compute().options}
        self.assertEqual(again, totals)
        self.assertEqual(resolved.aset.version, 1)
        # Rounded as the API rounds: the results are POST /api/v1/calculate's answer.
        response = self.client.post(
            "/api/v1/calculate", data=json.dumps(data["scenario"]), content_type="application/json"
        )
        answer = response.json()
        del answer["scenario"]
        self.assertEqual(results, answer)
        # The bands are the insight's, same seed and draws.
        self.assertEqual(
            {o["name"]: o for o in data["uncertainty"]["options"]}, self.insight_bands(scenario)
        )
        self.assertEqual(data["uncertainty"]["draws"], 2000)

    def test_json_of_a_migration(self):
        scenario = self.saved(**Hand.MIGRATION)
        data = orjson.loads(self.client.get(f"/s/{scenario.slug}/export.json").content)
        migration = data["results"]["migration"]
        self.assertEqual(migration["break_even_month"], 5)
        self.assertEqual(migration["staying_total"], 728_760)
        self.assertEqual(migration["migrating_total"], 724_939)
        self.assertEqual(migration["saving"], 3_821)
        self.assertEqual(len(migration["monthly"]), 12)
        self.assertEqual(migration["monthly"][0]["migrating"], 62_530)
        self.assertEqual(migration["monthly"][0]["rewrite"], 1_800)
        # The scenario, in the API's format, carries it and computes it again.
        self.assertEqual(data["scenario"]["migration"]["effort_weeks"], 0.52)
        resolved = resolve(parse(data["scenario"]))
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
        for path in ("export.csv", "export.json", "export.xlsx", "report/"):
            self.assertEqual(self.client.get(f"/s/no-such-code/{path}").status_code, 404)

    def test_exports_do_not_change_after_a_republish(self):
        from costcalc.assumptions.snapshot import clear_caches

        scenario = self.saved()
        before = {
            p: self.client.get(f"/s/{scenario.slug}/{p}").content
            for p in ("export.csv", "export.json", "export.xlsx")
        }
        draft = self.aset.clone()
        draft.stacks.filter(slug="go").update(rps_per_vcpu=1.0)
        draft.publish()
        clear_caches()
        for path, content in before.items():
            again = self.client.get(f"/s/{scenario.slug}/{path}").content
            if not path.endswith(".xlsx"):
                self.assertEqual(again, content)
                continue
            # A spreadsheet's bytes hold the time it was written: compare what it holds.
            old, new = (pd.read_excel(io.BytesIO(x), sheet_name=None) for x in (content, again))
            self.assertEqual(list(new), list(old))
            for name, frame in new.items():
                pd.testing.assert_frame_equal(frame, old[name])
        # Sanity: the new version really does compute other figures.
        response = self.client.post(
            "/s/", {"title": "v2", "query": query_string(assumptions="test-set@2")}
        )
        newer = Scenario.objects.get(slug=response["Location"].split("/")[2])
        self.assertEqual(newer.assumption_set.version, 2)
        self.assertNotEqual(newer.figures, scenario.figures)


class SpreadsheetTests(ExportCase):
    """The XLSX read back with pandas: every sheet against compute() and the insight."""

    def sheets(self, scenario: Scenario) -> dict[str, pd.DataFrame]:
        response = self.client.get(f"/s/{scenario.slug}/export.xlsx")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Content-Type"], XLSX_TYPE)
        self.assertEqual(
            response["Content-Disposition"],
            f'attachment; filename="costcalc-{scenario.slug}.xlsx"',
        )
        return pd.read_excel(io.BytesIO(response.content), sheet_name=None)

    def test_the_scenario_page_links_it(self):
        scenario = self.saved()
        html = self.client.get(scenario.get_absolute_url()).content.decode()
        self.assertIn(f'href="/s/{scenario.slug}/export.xlsx" download', html)

    def test_four_sheets(self):
        sheets = self.sheets(self.saved())
        self.assertEqual(list(sheets), ["Inputs", "Monthly", "Bands", "Sources"])

    def test_inputs_sheet(self):
        scenario = self.saved()
        inputs = self.sheets(scenario)["Inputs"]
        self.assertEqual(list(inputs.columns), ["Group", "Input", "Value"])
        value = dict(zip(inputs["Input"], inputs["Value"], strict=True))
        self.assertEqual(value["Title"], "Exported")
        self.assertEqual(value["Link"], f"http://testserver/s/{scenario.slug}/")
        self.assertEqual(value["Name"], "Test set version 1")
        self.assertEqual(value["As of"], "2026-01-01")
        self.assertEqual(value["Peak RPS"], "20,000")

    def test_monthly_sheet_is_compute(self):
        scenario = self.saved()
        monthly = self.sheets(scenario)["Monthly"]
        self.assertEqual(list(monthly.columns), CSV_COLUMNS)
        result = compute_scenario(scenario).result
        self.assertEqual(len(monthly), len(result.options) * 12)
        for option in result.options:
            rows = monthly[monthly["Option"] == option.name]
            self.assertEqual(rows["Month"].tolist(), list(range(1, 13)))
            for k in result.categories:  # no platform column: the test set has no prices
                column = f"{engine.CATEGORY_LABELS[k]} (USD)"
                self.assertEqual(rows[column].tolist(), option.categories[k].tolist())
            self.assertEqual(rows["Cumulative (USD)"].tolist(), option.cumulative.tolist())
        go = monthly[monthly["Option"] == "Go net/http"].iloc[0]
        # By hand: 3 instances x 730 h x $0.10 = $219, 4 engineers x $15,000 = $60,000.
        self.assertEqual((go["Instances"], go["Infrastructure (USD)"]), (3, 219))
        self.assertEqual(go["Engineering salaries (USD)"], 60_000)
        last = monthly.groupby("Option")["Cumulative (USD)"].last().to_dict()
        self.assertEqual(last, {k: float(v) for k, v in TOTALS.items()})

    def test_bands_sheet_is_the_insight(self):
        scenario = self.saved()
        bands = self.sheets(scenario)["Bands"]
        insight = self.insight_bands(scenario)
        result = compute_scenario(scenario).result
        self.assertEqual(len(bands), len(result.options) * (1 + len(result.categories)))
        for option in result.options:
            rows = bands[bands["Option"] == option.name].set_index("Category")
            want = insight[option.name]
            total = rows.loc["Total"]
            self.assertEqual(total["Base (USD)"], option.horizon_total)
            self.assertEqual(
                [total["P10 (USD)"], total["P50 (USD)"], total["P90 (USD)"]],
                [want["p10"], want["p50"], want["p90"]],
            )
            self.assertEqual(total["Chance cheapest"], want["p_cheapest"])
            for k in result.categories:
                row = rows.loc[engine.CATEGORY_LABELS[k]]
                self.assertEqual(row["Base (USD)"], option.totals[k])
                q = want["categories"][k]
                self.assertEqual(
                    [row["P10 (USD)"], row["P50 (USD)"], row["P90 (USD)"]],
                    [q["p10"], q["p50"], q["p90"]],
                )
        self.assertAlmostEqual(bands["Chance cheapest"].sum(), 1.0)

    def test_sources_sheet_names_every_figure_used(self):
        sources = self.sheets(self.saved())["Sources"]
        # Two stacks (the hybrid is of the same two) x six figures, two languages x five, the
        # instance type's price.
        self.assertEqual(len(sources), 2 * 6 + 2 * 5 + 1)
        self.assertEqual(set(sources["Source"]), {TEST_SOURCE["title"]})
        self.assertEqual(set(sources["Date"]), {"2026-01-01"})
        self.assertEqual(set(sources["Link"]), {TEST_SOURCE["url"]})
        by = sources.set_index(["Figure of", "Figure"])
        price = by.loc[("Test box 4", "price per hour")]
        self.assertEqual((price["Value"], price["Unit"]), (0.1, "USD per hour"))
        salary = by.loc[("Go engineers, United States", "annual salary")]
        self.assertEqual((salary["Value"], salary["Unit"]), (120_000, "USD per year"))
        rps = by.loc[("Go net/http", "requests per second per vCPU")]
        self.assertEqual(rps["Low"] * 4, rps["High"])  # the range, from half to twice

    def test_a_figure_of_yours_is_cited_as_yours(self):
        scenario = self.saved(query=query_string(yours_go_rps_per_vcpu=5000))
        sources = self.sheets(scenario)["Sources"].set_index(["Figure of", "Figure"])
        rps = sources.loc[("Go net/http", "requests per second per vCPU")]
        self.assertEqual(rps["Value"], 5000)
        self.assertNotEqual(rps["Source"], TEST_SOURCE["title"])
