"""Saving a scenario that is already saved answers its link: through the API and the page's
Share form, with parameters spelled differently, and never for a different scenario."""

import json
import threading
from io import StringIO

from django.core.cache import caches
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.http import QueryDict
from django.test import TestCase, TransactionTestCase

from costcalc.assumptions.selectors import choose_set, published_sets
from costcalc.scenarios.compute import compute, inputs_key, save_scenario
from costcalc.scenarios.models import Scenario
from tests.test_api import SCENARIO

SAVE = {**SCENARIO, "title": "Our backend", "description": "Q3 plan"}


class SameScenarioSameLink(TestCase):
    @classmethod
    def setUpTestData(cls):
        call_command("load_assumptions", stdout=StringIO())

    def setUp(self):
        caches["ratelimit"].clear()

    def save(self, body: dict):
        return self.client.post(
            "/api/v1/scenarios", json.dumps(body), content_type="application/json"
        )

    def saved(self) -> int:
        return Scenario.objects.filter(is_example=False).count()

    def test_the_api_answers_the_first_link_with_200(self):
        first = self.save(SAVE)
        self.assertEqual(first.status_code, 201, first.content)
        again = self.save({**SAVE, "title": "Another title", "description": ""})
        self.assertEqual(again.status_code, 200, again.content)
        self.assertEqual(again.json()["slug"], first.json()["slug"])
        self.assertEqual(again.json()["url"], first.json()["url"])
        self.assertEqual(again["Location"], first["Location"])
        self.assertEqual(again.json()["title"], "Our backend")  # the first save's
        self.assertEqual(again.json()["results"]["options"], first.json()["results"]["options"])
        self.assertEqual(self.saved(), 1)

    def test_the_same_numbers_spelled_otherwise_are_the_same_scenario(self):
        first = self.save(SAVE)
        # The scenario the API answered, sent back: every default given, the version pinned.
        scenario = first.json()["results"]["scenario"]
        again = self.save({**scenario, "title": "Filled in"})
        self.assertEqual(again.status_code, 200, again.content)
        self.assertEqual(again.json()["slug"], first.json()["slug"])

    def test_a_different_input_version_or_migration_is_a_new_link(self):
        slugs = {self.save(SAVE).json()["slug"]}
        changed = json.loads(json.dumps(SAVE))
        changed["inputs"]["team_size"] = 8
        slugs.add(self.save(changed).json()["slug"])
        older = {**SAVE, "assumption_set": {"slug": "independent-2026", "version": 1}}
        response = self.save(older)
        self.assertEqual(response.status_code, 201, response.content)
        slugs.add(response.json()["slug"])
        migrating = {
            **SAVE,
            "migration": {
                "from": 0,
                "to": 1,
                "effort_weeks": 40,
                "rewrite_months": 6,
                "overlap_months": 1,
            },
        }
        response = self.save(migrating)
        self.assertEqual(response.status_code, 201, response.content)
        slugs.add(response.json()["slug"])
        self.assertEqual(len(slugs), 4)
        self.assertEqual(self.saved(), 4)
        self.assertEqual(self.save(migrating).json()["slug"], response.json()["slug"])

    def test_the_share_form_redirects_to_the_first_link(self):
        query = "peak_rps=80000&team_size=6"
        first = self.client.post("/s/", {"title": "One", "query": query})
        self.assertEqual(first.status_code, 303)
        # The same inputs in another order and spelling: 8e4 is 80000.
        again = self.client.post("/s/", {"title": "Two", "query": "team_size=6&peak_rps=8e4"})
        self.assertEqual(again.status_code, 303)
        self.assertEqual(again["Location"], first["Location"])
        htmx = self.client.post(
            "/s/", {"title": "Three", "query": query}, headers={"HX-Request": "true"}
        )
        self.assertEqual(htmx.status_code, 200)  # not 201: nothing was created
        self.assertIn(first["Location"], htmx.content.decode())
        self.assertEqual(self.saved(), 1)
        # The API's save of the same scenario answers the page's link too.
        slug = first["Location"].strip("/").split("/")[-1]
        document = self.client.get(f"/api/v1/scenarios/{slug}").json()["scenario"]
        self.assertEqual(self.save({**document, "title": "API"}).json()["slug"], slug)

    def test_a_worked_example_is_not_a_saved_link(self):
        call_command("load_examples", stdout=StringIO())
        example = Scenario.objects.filter(is_example=True).first()
        document = self.client.get(f"/api/v1/scenarios/{example.slug}").json()["scenario"]
        response = self.save({**document, "title": "Mine"})
        self.assertEqual(response.status_code, 201, response.content)
        self.assertNotEqual(response.json()["slug"], example.slug)

    def test_the_database_refuses_a_second_row_for_one_scenario(self):
        # What makes two saves at once one link: the loser's insert fails on the unique key
        # (tests/test_sqlite_writes.py races 40 threads on a file database).
        aset = choose_set(published_sets(), None)
        computation = compute(QueryDict("peak_rps=12345"), aset)
        first = save_scenario(computation, title="first")
        self.assertTrue(first.created)
        self.assertEqual(first.inputs_key, inputs_key(computation))
        with self.assertRaises(IntegrityError), transaction.atomic():
            Scenario.objects.create(
                title="copy",
                assumption_set=aset,
                query=first.query,
                figures=first.figures,
                inputs_key=first.inputs_key,
            )
        second = save_scenario(computation, title="second")
        self.assertFalse(second.created)
        self.assertEqual(second.pk, first.pk)


class ConcurrentSaves(TransactionTestCase):
    """Saves of one scenario at once, each in its own transaction on its own connection."""

    def test_twenty_saves_at_once_make_one_link_and_no_error(self):
        if connection.vendor == "sqlite" and connection.is_in_memory_db():
            self.skipTest("threads need a database file or server; SQLite: test_sqlite_writes")
        call_command("load_assumptions", stdout=StringIO())
        aset = choose_set(published_sets(), None)
        computation = compute(QueryDict("peak_rps=54321"), aset)
        start, slugs, errors = threading.Barrier(20), [], []

        def save(n: int) -> None:
            try:
                start.wait()
                with transaction.atomic():
                    slugs.append(save_scenario(computation, title=f"save {n}").slug)
            except Exception as error:  # noqa: BLE001 (reported below)
                errors.append(repr(error))
            finally:
                connection.close()

        threads = [threading.Thread(target=save, args=(n,)) for n in range(20)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        self.assertEqual(errors, [])
        self.assertEqual(len(slugs), 20)
        self.assertEqual(len(set(slugs)), 1)
        self.assertEqual(Scenario.objects.filter(is_example=False).count(), 1)
