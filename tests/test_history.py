"""Back, Forward and caches: a history restore gets the full page, every answer that depends on
htmx's headers says so in Vary, and the verdict line above the cards (issue 14)."""

import re

from django.core.cache import caches
from django.test import TestCase

from costcalc.scenarios.models import Scenario
from tests.factories import make_set
from tests.test_views import HTMX, query

RESTORE = {"HX-Request": "true", "HX-History-Restore-Request": "true"}
HTMX_VARY = {"HX-Request", "HX-Target", "HX-Trigger-Name", "HX-History-Restore-Request"}


def vary(response) -> set[str]:
    return {h.strip() for h in response.get("Vary", "").split(",") if h.strip()}


def verdict_line(html: str) -> str:
    match = re.search(r'<p class="verdict-line" id="verdict-line">(.*?)</p>', html, re.S)
    assert match, "no verdict line"
    return re.sub(r"<[^>]+>", "", match.group(1))


class HistoryRestoreTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        make_set()

    def test_a_history_restore_gets_the_full_page_with_its_inputs(self):
        html = self.client.get(query(peak_rps="30000"), headers=RESTORE).content.decode()
        self.assertIn("<html", html)
        self.assertIn('<header class="site">', html)
        self.assertIn('<nav aria-label="Site">', html)
        self.assertIn('<form id="calc-form"', html)
        self.assertRegex(html, r'<input[^>]*name="peak_rps"[^>]*value="30000"')
        self.assertIn('<section class="results" aria-label="Results">', html)
        # A full page's share form, not the <div> of a redrawn form.
        self.assertIn('<form class="share-form" id="share-form" method="post"', html)
        # The scripts already run in the page htmx swaps this body into: not sent again.
        self.assertNotIn("<script src=", html)
        self.assertIn('id="chart-specs"', html)  # data, not a script to run

    def test_a_plain_request_and_a_keystroke_still_get_page_and_fragment(self):
        page = self.client.get(query(peak_rps="30000")).content.decode()
        self.assertIn("<header", page)
        self.assertIn("<script src=", page)
        fragment = self.client.get(query(peak_rps="30000"), headers=HTMX).content.decode()
        self.assertTrue(fragment.lstrip().startswith('<div id="results"'))

    def test_every_calculator_answer_varies_on_the_htmx_headers(self):
        answers = {
            "page": self.client.get(query()),
            "fragment": self.client.get(query(), headers=HTMX),
            "restore": self.client.get(query(), headers=RESTORE),
            "workings": self.client.get(
                query(option="0").replace("/?", "/workings/?", 1), headers={"HX-Request": "true"}
            ),
            "workings, no htmx": self.client.get(query().replace("/?", "/workings/?", 1)),
            "monthly": self.client.get(
                query().replace("/?", "/monthly/?", 1), headers={"HX-Request": "true"}
            ),
            "insight": self.client.get(query().replace("/?", "/insight/?", 1)),
            "insight fragment": self.client.get(
                query().replace("/?", "/insight/?", 1), headers={"HX-Request": "true"}
            ),
            "sure": self.client.get(
                query().replace("/?", "/insight/sure/?", 1), headers={"HX-Request": "true"}
            ),
        }
        for name, response in answers.items():
            with self.subTest(name):
                self.assertIn(response.status_code, (200, 302))
                self.assertLessEqual(HTMX_VARY, vary(response))


class ScenarioPageCacheTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        make_set()

    def test_an_htmx_request_never_fills_the_shared_pages_cache(self):
        caches["ratelimit"].clear()
        data = {"title": "Ours", "description": "", "query": query()[2:]}
        self.assertEqual(self.client.post("/s/", data).status_code, 303)
        slug = Scenario.objects.get().slug
        first = self.client.get(f"/s/{slug}/", headers=HTMX).content.decode()
        self.assertIn('hx-swap-oob="true"', first)  # the results' out-of-band parts
        page = self.client.get(f"/s/{slug}/")
        self.assertNotIn("hx-swap-oob", page.content.decode())
        self.assertLessEqual(HTMX_VARY | {"Accept-Encoding"}, vary(page))


class VerdictLineTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        make_set()

    def test_the_full_page_says_who_leads_by_how_much_and_how_sure(self):
        html = self.client.get(query()).content.decode()
        line = verdict_line(html)
        # Go leads the hybrid by 12 x (511 - 219) = $3,504, 0.5% of the hybrid's $726,132.
        self.assertTrue(line.startswith("Go net/http by $3.50K (0.5%) over 12 months: "), line)
        self.assertRegex(line, r"; cheapest in (all|\d+%) of 2,000 simulations$")

    def test_a_fragment_leaves_how_sure_to_a_request_of_its_own(self):
        html = self.client.get(query(), headers=HTMX).content.decode()
        line = verdict_line(html)
        self.assertEqual(line, "Go net/http by $3.50K (0.5%) over 12 months: how sure?")
        sure_url = "/insight/sure/?" + query()[2:].replace("&", "&amp;")
        self.assertIn(f'<span id="verdict-sure" hx-get="{sure_url}"', html)
        self.assertIn('<span id="cheapest-badge"></span>', html)  # its place, empty for now
        self.assertNotIn("Cheapest over", html)

    def test_how_sure_answers_the_words_and_the_badge_out_of_band(self):
        html = self.client.get(
            query().replace("/?", "/insight/sure/?", 1), headers={"HX-Request": "true"}
        ).content.decode()
        full = verdict_line(self.client.get(query()).content.decode())
        words = re.search(r'<span id="verdict-sure">(.*?)</span>', html).group(1)
        self.assertTrue(full.endswith(words), (full, words))
        tied = "effectively a tie" in words
        badge = '<p class="badge" id="cheapest-badge" hx-swap-oob="true">Cheapest over 12 months'
        empty = '<span id="cheapest-badge" hx-swap-oob="true"></span>'
        self.assertIn(empty if tied else badge, html)

    def test_how_sure_without_htmx_is_the_decision_panel(self):
        response = self.client.get(query().replace("/?", "/insight/sure/?", 1))
        self.assertEqual(response.status_code, 302)
        self.assertTrue(response["Location"].startswith("/insight/?assumptions="))

    def test_how_sure_for_inputs_that_do_not_compute_is_empty(self):
        bad = query(peak_rps="0").replace("/?", "/insight/sure/?", 1)
        html = self.client.get(bad, headers={"HX-Request": "true"}).content.decode()
        self.assertEqual(html.strip(), '<span id="verdict-sure"></span>')

    def test_one_option_has_no_verdict_line_and_no_badge(self):
        html = self.client.get(query(stacks=["go"], mix="")).content.decode()
        self.assertNotIn('id="verdict-line"', html)
        self.assertNotIn("Cheapest over", html)
