"""Migrations in the API's scenario format: computed as engine.migrate computes them, checked
with JSON paths, saved with a scenario and read back, and shown by the link's page.

The shipped assumption sets are loaded as `make run` loads them.
"""

import json
from io import StringIO

from django.core.cache import caches
from django.core.management import call_command
from django.test import TestCase

from costcalc import engine
from costcalc.scenarios.format import MIGRATION_FORM, parse, resolve
from costcalc.scenarios.models import Scenario as SavedScenario

CENT = 0.01  # the API rounds USD to the cent
MIGRATION = {"from": 0, "to": 1, "effort_weeks": 40, "rewrite_months": 4, "overlap_months": 2}
SCENARIO = {
    # Version 1, where Go's pay equals Express's: the migration breaks even within the horizon.
    "assumption_set": {"slug": "independent-2026", "version": 1},
    "inputs": {"peak_rps": 200000, "horizon_months": 36, "team_size": 6},
    "options": [{"stack": "express"}, {"stack": "go"}],
    "migration": MIGRATION,
}


class MigrationApiTestCase(TestCase):
    @classmethod
    def setUpTestData(cls):
        call_command("load_assumptions", stdout=StringIO())

    def setUp(self):
        caches["ratelimit"].clear()  # saving is rate-limited in the cache

    def post(self, path, body):
        return self.client.post(path, data=json.dumps(body), content_type="application/json")

    def calculate(self, body):
        response = self.post("/api/v1/calculate", body)
        self.assertEqual(response.status_code, 200, response.content)
        return response.json()

    def assert_problems(self, body, expected):
        response = self.post("/api/v1/calculate", body)
        self.assertEqual(response.status_code, 422, response.content)
        errors = response.json()["errors"]
        self.assertEqual([(e["loc"], e["type"]) for e in errors], expected)
        for e in errors:
            self.assertTrue(e["msg"])
        return errors

    def engine_migration(self, body=SCENARIO) -> engine.MigrationResult:
        resolved = resolve(parse({**body, "migration": None}))
        result = resolved.compute()
        names = [o.name for o in result.options]
        m = body["migration"]
        migration = engine.Migration(
            current=names[m["from"]],
            target=names[m["to"]],
            effort_weeks=m["effort_weeks"],
            rewrite_months=m["rewrite_months"],
            overlap_months=m["overlap_months"],
        )
        return engine.migrate(result, migration, resolved.snapshot)


class CalculateTests(MigrationApiTestCase):
    def test_same_figures_as_the_engine(self):
        data = self.calculate(SCENARIO)
        expected = self.engine_migration()
        m = data["migration"]
        self.assertEqual(data["assumption_set"]["slug"], "independent-2026")
        self.assertEqual((m["from"], m["to"]), (0, 1))
        self.assertEqual(m["current"], data["options"][0]["name"])
        self.assertEqual(m["target"], data["options"][1]["name"])
        self.assertEqual(m["break_even_month"], expected.break_even_month)
        self.assertIsNotNone(m["break_even_month"])  # the example is one that breaks even
        self.assertAlmostEqual(m["staying_total"], expected.staying_total, delta=CENT)
        self.assertAlmostEqual(m["migrating_total"], expected.migrating_total, delta=CENT)
        self.assertAlmostEqual(m["saving"], expected.saving, delta=CENT)
        self.assertEqual(set(m["totals"]), set(engine.MIGRATION_LINES))
        for line, total in expected.totals.items():
            self.assertAlmostEqual(m["totals"][line], total, delta=CENT)
        self.assertEqual(len(m["monthly"]), 36)
        self.assertEqual([row["month"] for row in m["monthly"]], list(range(1, 37)))
        last = m["monthly"][-1]
        self.assertAlmostEqual(last["staying_cumulative"], expected.staying_total, delta=CENT)
        self.assertAlmostEqual(last["migrating_cumulative"], expected.migrating_total, delta=CENT)
        for row, staying, migrating in zip(
            m["monthly"], expected.staying, expected.migrating, strict=True
        ):
            self.assertAlmostEqual(row["staying"], staying, delta=CENT)
            self.assertAlmostEqual(row["migrating"], migrating, delta=CENT)
        # Staying is the current option's own series.
        self.assertEqual(m["staying_total"], data["options"][0]["horizon_total"])
        # The scenario echoed back names the options by index, and computes the same again.
        self.assertEqual(data["scenario"]["migration"], MIGRATION)
        self.assertEqual(self.calculate(data["scenario"]), data)

    def test_not_within_the_horizon_is_null(self):
        body = {**SCENARIO, "inputs": {**SCENARIO["inputs"], "peak_rps": 20000}}
        m = self.calculate(body)["migration"]
        self.assertIsNone(self.engine_migration(body).break_even_month)
        self.assertIsNone(m["break_even_month"])
        self.assertLess(m["saving"], 0)

    def test_by_name(self):
        by_index = self.calculate(SCENARIO)
        names = [o["name"] for o in by_index["options"]]
        body = {**SCENARIO, "migration": {**MIGRATION, "from": names[0], "to": names[1]}}
        self.assertEqual(self.calculate(body), by_index)
        mixed = {**SCENARIO, "migration": {**MIGRATION, "from": 0, "to": names[1]}}
        self.assertEqual(self.calculate(mixed)["migration"], by_index["migration"])

    def test_no_migration_is_null(self):
        data = self.calculate({**SCENARIO, "migration": None})
        self.assertIsNone(data["migration"])
        self.assertIsNone(data["scenario"]["migration"])
        body = {k: v for k, v in SCENARIO.items() if k != "migration"}
        self.assertIsNone(self.calculate(body)["migration"])


class ProblemTests(MigrationApiTestCase):
    def with_migration(self, **changes):
        return {**SCENARIO, "migration": {**MIGRATION, **changes}}

    def test_unknown_index_and_name(self):
        self.assert_problems(self.with_migration(to=2), [(["migration", "to"], "no_such_option")])
        self.assert_problems(
            self.with_migration(**{"from": "Rust"}), [(["migration", "from"], "no_such_option")]
        )
        self.assert_problems(self.with_migration(to=-1), [(["migration", "to"], "option_ref")])
        self.assert_problems(
            self.with_migration(**{"from": 1.0, "to": ""}),
            [(["migration", "from"], "option_ref"), (["migration", "to"], "option_ref")],
        )

    def test_same_option(self):
        self.assert_problems(self.with_migration(to=0), [(["migration", "to"], "same_option")])
        errors = self.assert_problems(
            self.with_migration(to="Express 5"), [(["migration", "to"], "same_option")]
        )
        self.assertIn("another option", errors[0]["msg"])

    def test_bounds_are_the_pages(self):
        most = MIGRATION_FORM["rewrite_effort_weeks"].max_value
        self.assert_problems(
            self.with_migration(effort_weeks=most + 1),
            [(["migration", "effort_weeks"], "less_than_equal")],
        )
        self.assert_problems(
            self.with_migration(effort_weeks=-1),
            [(["migration", "effort_weeks"], "greater_than_equal")],
        )
        months = MIGRATION_FORM["rewrite_months"].max_value
        self.assert_problems(
            self.with_migration(rewrite_months=months + 1, overlap_months="1"),
            [
                (["migration", "rewrite_months"], "less_than_equal"),
                (["migration", "overlap_months"], "float_type"),
            ],
        )

    def test_shape(self):
        body = {**SCENARIO, "migration": {"from": 0, "to": 1, "effort_weeks": 4, "speed": 1}}
        self.assert_problems(
            body,
            [
                (["migration", "rewrite_months"], "missing"),
                (["migration", "overlap_months"], "missing"),
                (["migration", "speed"], "extra_forbidden"),
            ],
        )


class SaveTests(MigrationApiTestCase):
    def test_round_trip_to_get_and_the_page(self):
        body = {**SCENARIO, "title": "Express to Go"}
        response = self.post("/api/v1/scenarios", body)
        self.assertEqual(response.status_code, 201, response.content)
        saved = response.json()
        calculated = self.calculate(SCENARIO)
        self.assertEqual(saved["results"]["migration"], calculated["migration"])
        month = calculated["migration"]["break_even_month"]

        stored = SavedScenario.objects.get(slug=saved["slug"])
        self.assertEqual(stored.migration_from, calculated["options"][0]["name"])
        self.assertEqual(stored.migration_to, calculated["options"][1]["name"])
        self.assertEqual(stored.rewrite_effort_weeks, 40)
        self.assertEqual(stored.figures["migration"]["break_even_month"], month)

        got = self.client.get(f"/api/v1/scenarios/{saved['slug']}")
        self.assertEqual(got.status_code, 200, got.content)
        detail = got.json()
        self.assertEqual(detail["migration"], calculated["migration"])
        self.assertEqual(detail["results"]["migration"], calculated["migration"])
        self.assertEqual(detail["scenario"]["migration"], MIGRATION)
        # GET's scenario computes the same migration again.
        again = self.calculate(detail["scenario"])
        self.assertEqual(again["migration"], calculated["migration"])

        html = self.client.get(f"/s/{saved['slug']}/").content.decode()
        self.assertIn(f"Break-even: <strong>month {month}</strong>", html)

    def test_a_saved_scenario_without_one(self):
        body = {**SCENARIO, "migration": None, "title": "No move"}
        response = self.post("/api/v1/scenarios", body)
        self.assertEqual(response.status_code, 201, response.content)
        detail = self.client.get(f"/api/v1/scenarios/{response.json()['slug']}").json()
        self.assertIsNone(detail["migration"])
        self.assertIsNone(detail["results"]["migration"])
