"""Share links: saving, immutability across a republish, recompute, rate limit, CSRF, escaping,
migrations, comparisons, and the gallery's worked scenarios.

Figures use tests/factories.py's round test set and tests/test_views.py's full query: flat
20,000 RPS, no autoscaling, 50 % target utilisation, 4-vCPU boxes at $0.10/h, a team of 4 at
$15,000 a month each. Per month: FastAPI 10 boxes = $730, Go 3 boxes = $219, the hybrid (Go
50 % + FastAPI 50 %) 7 boxes = $511; engineering $60,000 for every option; no one-offs.
"""

from __future__ import annotations

import re
import string
from html import unescape
from urllib.parse import urlencode

from django.core.cache import caches
from django.core.management import CommandError, call_command
from django.http import QueryDict
from django.test import Client, TestCase
from django.utils.html import escape

from costcalc.assumptions.models import InstanceType
from costcalc.assumptions.snapshot import clear_caches
from costcalc.calculator.forms import ADDED_LATER
from costcalc.ratelimit import hit
from costcalc.scenarios import examples, findings
from costcalc.scenarios.compute import canonical, compute, compute_scenario, figures_of
from costcalc.scenarios.forms import SHARE_LIMIT
from costcalc.scenarios.models import FrozenScenarioError, Scenario, new_slug, querydict
from costcalc.text import about, money
from tests.factories import fresh_window, make_set
from tests.test_views import FULL, chart_specs

HTMX = {"HX-Request": "true", "HX-Target": "share-result"}
XSS = "<script>alert(1)</script>"
XSS_ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"
ATTRIBUTE_XSS = '"><img src=x onerror=alert(1)>'
TOTALS = {  # 12 months of (infrastructure + engineering), worked out above
    "FastAPI": 12 * (730 + 60_000),
    "Go net/http": 12 * (219 + 60_000),
    "Hybrid: Go 50% + FastAPI 50%": 12 * (511 + 60_000),
}


def query_string(**changes) -> str:
    return urlencode({**FULL, **changes}, doseq=True)


def another(k: int) -> str:
    """A query of its own, by its cost of delay: saving one query twice answers its first link."""
    return query_string(cost_of_delay=1000 * (k + 1))


def share(client, title="Our backend", description="", headers=None, **data):
    payload = {"title": title, "description": description, "query": query_string(), **data}
    return client.post("/s/", payload, headers=headers or {})


def results_section(html: str) -> str:
    match = re.search(r'<section class="results".*?<div id="results-more"', html, re.S)
    assert match, "no results section"
    return match.group(0)


class ShareTestCase(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.aset = make_set()

    def setUp(self):
        caches["ratelimit"].clear()  # the rate limit counts in the cache

    def shared(self, **kwargs) -> Scenario:
        response = share(self.client, **kwargs)
        self.assertEqual(response.status_code, 303, response.content.decode()[:2000])
        slug = response["Location"].strip("/").split("/")[-1]
        return Scenario.objects.get(slug=slug)


class ShareTests(ShareTestCase):
    def test_sharing_saves_the_inputs_and_redirects_to_the_link(self):
        response = share(self.client, title="  Our   backend ", description="Q3 plan")
        self.assertEqual(response.status_code, 303)
        scenario = Scenario.objects.get()
        self.assertEqual(response["Location"], f"/s/{scenario.slug}/")
        self.assertEqual(scenario.title, "Our backend")  # white space tidied
        self.assertEqual(scenario.description, "Q3 plan")
        self.assertEqual(scenario.assumption_set, self.aset)
        # Every field is stored, so later changes to the calculator's defaults change nothing.
        self.assertEqual(scenario.query["assumptions"], ["test-set@1"])
        self.assertEqual(scenario.query["peak_rps"], ["20000"])
        self.assertEqual(scenario.query["stacks"], ["fastapi", "go"])
        self.assertEqual(scenario.query["knows_python"], ["4"])
        stored = {o["name"]: o["horizon_total"] for o in scenario.figures["options"]}
        self.assertEqual(stored, {name: float(total) for name, total in TOTALS.items()})
        self.assertEqual(scenario.figures["cheapest"], "Go net/http")

    def test_a_short_query_is_stored_in_full(self):
        response = share(self.client, query="peak_rps=80000")
        scenario = Scenario.objects.get(slug=response["Location"].split("/")[2])
        self.assertEqual(scenario.query["peak_rps"], ["80000"])
        self.assertEqual(scenario.query["growth_pct"], ["3"])  # the default, written down
        self.assertEqual(scenario.query["mix"], ["fastapi:80, go:20"])

    def test_htmx_share_answers_the_link_fragment(self):
        response = share(self.client, headers=HTMX)
        self.assertEqual(response.status_code, 201)
        html = response.content.decode()
        self.assertNotIn("<html", html)
        scenario = Scenario.objects.get()
        self.assertIn(f'value="http://testserver/s/{scenario.slug}/"', html)
        self.assertIn('data-copy="share-link"', html)

    def test_the_calculator_offers_the_share_form_with_its_query(self):
        html = self.client.get("/?" + query_string()).content.decode()
        form = html.split('<form class="share-form"', 1)[1].split("</form>", 1)[0]
        self.assertIn('method="post" action="/s/"', form)
        self.assertIn('hx-post="/s/"', form)
        self.assertIn('name="csrfmiddlewaretoken"', form)
        query = unescape(re.search(r'name="query" value="([^"]*)"', form).group(1))
        self.assertIn("peak_rps=20000", query)
        self.assertTrue(re.search(r'src="/static/js/share\.[^"]*js"', html), "no share.js")
        # The fragment of each keystroke leaves the form on the page, above the results, and
        # points its query at the new inputs out of band.
        fragment = self.client.get(
            "/?" + query_string(peak_rps="30000"),
            headers={"HX-Request": "true", "HX-Target": "results", "HX-Trigger": "calc-form"},
        ).content.decode()
        self.assertNotIn("<form", fragment)
        self.assertNotIn('id="share"', fragment)
        self.assertNotIn('name="csrfmiddlewaretoken"', fragment)
        oob = re.search(
            r'<input type="hidden" name="query" value="([^"]*)" id="share-query"'
            r' hx-swap-oob="true">',
            fragment,
        )
        self.assertIsNotNone(oob)
        self.assertEqual(QueryDict(unescape(oob.group(1)))["peak_rps"], "30000")
        cleared = re.search(r'<div id="share-result"[^>]*hx-swap-oob="true"></div>', fragment)
        self.assertIsNotNone(cleared)
        # Choosing another assumption set redraws the whole calculator: the form comes again,
        # naming the new set, posted by a button (the fragment holds no form of its own).
        redrawn = self.client.get(
            "/?" + query_string(peak_rps="30000"),
            headers={
                "HX-Request": "true",
                "HX-Target": "calculator",
                "HX-Trigger": "id_assumptions",
                "HX-Trigger-Name": "assumptions",
            },
        ).content.decode()
        share = redrawn.split('<details class="share" id="share">', 1)[1].split("</details>", 1)[0]
        self.assertNotIn('hx-preserve="true"></details>', redrawn)
        self.assertIn('name="csrfmiddlewaretoken"', share)
        self.assertIn('hx-post="/s/" hx-include="#share-form"', share)
        self.assertIn("peak_rps=30000", unescape(share))

    def test_slugs_are_long_random_and_unique(self):
        alphabet = set(string.ascii_letters + string.digits + "-_")
        # Eight scenarios (the same one again would answer its first link).
        slugs = {self.shared(title=f"n{i}", query=another(i)).slug for i in range(8)}
        slugs |= {new_slug() for _ in range(2000)}
        self.assertEqual(len(slugs), 2008)
        for slug in slugs:
            self.assertGreaterEqual(len(slug), 12)
            self.assertLessEqual(set(slug), alphabet)

    def test_a_title_is_required_and_bounded(self):
        for title, message in (
            ("", "Give the scenario a title."),
            ("   ", "Give the scenario a title."),
            ("x" * 121, "Keep the title to 120 characters."),
        ):
            with self.subTest(title=title):
                response = share(self.client, title=title)
                self.assertEqual(response.status_code, 400)
                self.assertIn(message, response.content.decode())
        self.assertFalse(Scenario.objects.exists())

    def test_inputs_that_do_not_compute_are_not_saved(self):
        response = share(self.client, query=query_string(peak_rps="0"), headers=HTMX)
        self.assertEqual(response.status_code, 400)
        self.assertIn("Peak RPS: Peak RPS must be at least 1.", response.content.decode())
        response = share(self.client, query=query_string(assumptions="test-set@2"))
        self.assertEqual(response.status_code, 400)
        self.assertIn("Choose one of the published assumption sets.", response.content.decode())
        self.assertFalse(Scenario.objects.exists())

    def test_only_published_sets_can_be_pinned(self):
        make_set(slug="draft", published=False)
        response = share(self.client, query=query_string(assumptions="draft@1"))
        self.assertEqual(response.status_code, 400)

    def test_share_is_post_only(self):
        self.assertEqual(self.client.get("/s/").status_code, 405)


class CsrfAndRateLimitTests(ShareTestCase):
    def test_csrf_is_enforced(self):
        client = Client(enforce_csrf_checks=True)
        self.assertEqual(share(client).status_code, 403)
        self.assertEqual(share(client, headers=HTMX).status_code, 403)
        # With the token the calculator's share form carries, it goes through.
        html = client.get("/").content.decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
        response = share(client, csrfmiddlewaretoken=token)
        self.assertEqual(response.status_code, 303)

    def test_the_limit_answers_429_with_a_message(self):
        fresh_window()  # the count must not cross a window
        for k in range(SHARE_LIMIT):
            self.assertEqual(share(self.client, query=another(k)).status_code, 303)
        response = share(self.client, query=another(SHARE_LIMIT))
        self.assertEqual(response.status_code, 429)
        html = response.content.decode()
        self.assertIn("Too many requests: at most 10 a minute. Please try again in", html)
        self.assertTrue(1 <= int(response["Retry-After"]) <= 60)
        # htmx gets the same message as a fragment it can show in place.
        response = share(self.client, headers=HTMX)
        self.assertEqual(response.status_code, 429)
        self.assertNotIn("<html", response.content.decode())
        self.assertIn("Too many requests", response.content.decode())
        self.assertEqual(Scenario.objects.count(), SHARE_LIMIT)
        # Another client has its own allowance.
        payload = {"title": "Another client", "query": query_string()}
        other = self.client.post("/s/", payload, REMOTE_ADDR="10.0.0.2")
        self.assertEqual(other.status_code, 303)

    def test_windows_are_counted_separately(self):
        for _ in range(3):
            self.assertTrue(hit("t", "c", limit=3, window=60, now=120.0).allowed)
        limited = hit("t", "c", limit=3, window=60, now=179.5)
        self.assertFalse(limited.allowed)
        self.assertEqual(limited.retry_after, 1)
        self.assertTrue(hit("t", "c", limit=3, window=60, now=180.0).allowed)


class ImmutabilityTests(ShareTestCase):
    def republish_with_dearer_boxes(self):
        """Clone v1, double box-4's price in the draft, publish it as v2."""
        draft = self.aset.clone()
        box = InstanceType.objects.get(assumption_set=draft, slug="box-4")
        box.price_per_hour = 0.2
        box.save()
        draft.publish()
        clear_caches()
        return draft

    def test_a_scenario_saved_before_a_field_existed_keeps_its_figures(self):
        # Saved with a shortfall to hire for, then stored as a scenario saved before separation
        # pay and the current stack existed would be: without those fields. Its figures are
        # the ones the model gave then, with no separation pay.
        scenario = self.shared(query=query_string(knows_go="0", separation_months="0"))
        old = {k: v for k, v in scenario.query.items() if k not in ADDED_LATER}
        Scenario.objects.filter(pk=scenario.pk).update(query=old)  # as stored back then
        scenario.refresh_from_db()
        recomputed = compute_scenario(scenario)
        self.assertEqual(canonical(figures_of(recomputed.result)), canonical(scenario.figures))
        # A new link without the field takes today's default, which pays the leavers.
        fresh = compute(querydict(scenario.query), self.aset)
        go = next(o for o in fresh.result.options if o.name == "Go net/http")
        stored = next(o for o in scenario.figures["options"] if o["name"] == "Go net/http")
        self.assertGreater(go.totals["people"], stored["totals"]["people"])

    def test_the_inputs_list_names_only_the_figures_of_yours_given(self):
        plain = self.client.get(self.shared().get_absolute_url()).content.decode()
        self.assertNotIn("Your figures", plain)
        mine = self.shared(query=query_string(yours_go_annual_salary="200000"))
        html = self.client.get(mine.get_absolute_url()).content.decode()
        inputs = html.split('id="inputs-title"', 1)[1].split("</section>", 1)[0]
        self.assertEqual(inputs.count("Your figures"), 1)
        self.assertIn("Go engineers: annual salary", inputs)
        self.assertNotIn("requests per second per vCPU", inputs)

    def test_a_link_shows_the_same_figures_after_a_republish(self):
        scenario = self.shared()
        before = self.client.get(scenario.get_absolute_url()).content.decode()
        csv_before = self.client.get(f"/s/{scenario.slug}/export.csv").content
        self.assertIn("Computed with <a", before)
        self.assertIn("Test set version 1</a>, as of 1 January 2026", before)

        v2 = self.republish_with_dearer_boxes()
        self.assertEqual(v2.version, 2)
        after = self.client.get(scenario.get_absolute_url()).content.decode()
        # Byte for byte: the whole results section, the CSV, and the figures.
        self.assertEqual(results_section(after), results_section(before))
        self.assertEqual(self.client.get(f"/s/{scenario.slug}/export.csv").content, csv_before)
        scenario.refresh_from_db()
        recomputed = compute_scenario(scenario)
        self.assertEqual(canonical(figures_of(recomputed.result)), canonical(scenario.figures))
        for name, total in TOTALS.items():
            self.assertIn(money(total), results_section(after), name)
        # The page says a newer version exists, and still pins its own.
        self.assertIn("Test set version 2, as of 1 January 2026", after)
        self.assertIn("assumptions=test-set%401", scenario.calculator_url())

    def test_a_shared_scenario_can_not_be_changed(self):
        scenario = self.shared()
        scenario.query = {**scenario.query, "peak_rps": ["1"]}
        with self.assertRaises(FrozenScenarioError):
            scenario.save()
        scenario.refresh_from_db()
        scenario.figures["cheapest"] = "FastAPI"
        with self.assertRaises(FrozenScenarioError):
            scenario.save()
        scenario.refresh_from_db()
        scenario.title = "Renamed"  # words may be corrected
        scenario.save()

    def test_the_cached_page_follows_corrected_words(self):
        scenario = self.shared()
        self.assertNotIn("Renamed", self.client.get(scenario.get_absolute_url()).content.decode())
        scenario.title = "Renamed"
        scenario.save()
        self.assertIn(
            "<h1>Renamed</h1>", self.client.get(scenario.get_absolute_url()).content.decode()
        )

    def test_the_decision_panel_uses_the_scenario_inputs(self):
        scenario = self.shared()
        html = self.client.get(scenario.get_absolute_url()).content.decode()
        self.assertIn(f'hx-get="/insight/?{escape(scenario.query_string())}"', html)
        # htmx itself, or the panel would say "Working out..." for ever.
        self.assertRegex(html, r'<script src="/static/vendor/htmx-2\.min\.[0-9a-f]+\.js">')

    def test_recompute_shows_old_and_new_side_by_side(self):
        scenario = self.shared()
        self.republish_with_dearer_boxes()
        html = self.client.get(f"/s/{scenario.slug}/recompute/").content.decode()
        self.assertIn("Version 1 (pinned)", html)
        self.assertIn("Version 2 (newest)", html)
        # Twice the price: every fleet's monthly cost doubles, 12 months of it added.
        for name, infra, total in (
            ("FastAPI", 730, TOTALS["FastAPI"]),
            ("Go net/http", 219, TOTALS["Go net/http"]),
            ("Hybrid: Go 50% + FastAPI 50%", 511, TOTALS["Hybrid: Go 50% + FastAPI 50%"]),
        ):
            row = html.split(f'<th scope="row">{name}', 1)[1].split("</tr>", 1)[0]
            self.assertIn(money(total), row)
            self.assertIn(money(total + 12 * infra), row)
            self.assertIn(f"+{money(12 * infra)} (+{12 * infra / total * 100:.1f}%)", row)
        self.assertIn("Compute", html)
        specs = chart_specs(html)
        self.assertEqual(len(specs["recompute"]["data"]), 6)  # 3 options, old and new
        # Sharing again pins version 2 under a new link; the old one stays as it was.
        query = unescape(re.search(r'name="query" value="([^"]*)"', html).group(1))
        self.assertIn("assumptions=test-set%402", query)
        response = share(self.client, query=query, title="Again")
        new = Scenario.objects.get(slug=response["Location"].split("/")[2])
        self.assertEqual(new.assumption_set.version, 2)
        self.assertNotEqual(new.slug, scenario.slug)
        old = Scenario.objects.get(slug=scenario.slug)
        self.assertEqual(old.assumption_set.version, 1)
        self.assertEqual(old.figures, scenario.figures)

    def test_recompute_when_nothing_newer_is_published(self):
        scenario = self.shared()
        html = self.client.get(f"/s/{scenario.slug}/recompute/").content.decode()
        self.assertIn("is still the newest published version", html)
        self.assertIn("$0 (+0.0%)", html)

    def test_open_in_calculator_reproduces_the_figures(self):
        scenario = self.shared()
        html = self.client.get(scenario.get_absolute_url()).content.decode()
        link = unescape(re.search(r'href="(/\?[^"]+)" *>Open in calculator', html).group(1))
        calculator = self.client.get(link).content.decode()
        self.assertNotIn('class="alert"', calculator)
        for total in TOTALS.values():
            self.assertIn(money(total), calculator)
        self.assertIn('name="peak_rps" value="20000"', calculator)


class HybridOnlyLinkTests(ShareTestCase):
    """A link naming only a hybrid compares it with the default stacks; the form with every
    stack unticked, and every saved scenario so made, keeps the hybrid alone."""

    HYBRID = "Hybrid: Go 50% + FastAPI 50%"

    def options_shown(self, html: str) -> list[str]:
        return [unescape(n) for n in re.findall(r"<h2>(.*?)</h2>", results_section(html))]

    def test_a_link_naming_only_a_hybrid_keeps_the_default_stacks(self):
        html = self.client.get("/?" + urlencode({"mix": "go:50, fastapi:50"})).content.decode()
        self.assertEqual(
            self.options_shown(html), ["Express 5", "FastAPI", "Go net/http", self.HYBRID]
        )

    def test_the_form_with_every_stack_unticked_compares_the_hybrid_alone(self):
        # The form sends every field but an unticked checkbox: no stacks means none ticked.
        html = self.client.get("/?" + query_string(stacks=[])).content.decode()
        self.assertEqual(self.options_shown(html), [self.HYBRID])

    def test_a_saved_hybrid_alone_keeps_its_meaning(self):
        scenario = self.shared(query=query_string(stacks=[]))
        self.assertEqual(scenario.query["stacks"], [])
        self.assertEqual([o["name"] for o in scenario.figures["options"]], [self.HYBRID])
        html = self.client.get(scenario.get_absolute_url()).content.decode()
        self.assertNotIn("<h2>Express 5</h2>", html)
        # Its "Open in calculator" link drops the empty stacks, and still means the hybrid alone.
        link = unescape(re.search(r'href="(/\?[^"]+)" *>Open in calculator', html).group(1))
        self.assertNotIn("stacks=", link)
        self.assertEqual(self.options_shown(self.client.get(link).content.decode()), [self.HYBRID])
        # Stored as before the fields added since existed, it computes the same figures.
        old = {k: v for k, v in scenario.query.items() if k not in ADDED_LATER}
        Scenario.objects.filter(pk=scenario.pk).update(query=old)
        scenario.refresh_from_db()
        recomputed = compute_scenario(scenario)
        self.assertEqual(canonical(figures_of(recomputed.result)), canonical(scenario.figures))


class ScenarioPageTests(ShareTestCase):
    def test_page_lists_inputs_exports_and_open_graph(self):
        scenario = self.shared(title="Q3 plan", description="Which stack for the API?")
        html = self.client.get(scenario.get_absolute_url()).content.decode()
        self.assertIn("<h1>Q3 plan</h1>", html)
        self.assertIn("Which stack for the API?", html)
        for href in ("export.csv", "export.json", "report/", "recompute/"):
            self.assertIn(f'href="/s/{scenario.slug}/{href}"', html)
        self.assertIn("<dt>Peak RPS</dt><dd>20,000</dd>", html)
        self.assertIn("<dt>Autoscaling</dt><dd>Off: pay for peak load</dd>", html)
        self.assertIn('<meta property="og:title" content="Q3 plan">', html)
        self.assertIn('<meta property="og:type" content="website">', html)
        self.assertIn(
            f'<meta property="og:url" content="http://testserver/s/{scenario.slug}/">', html
        )
        description = re.search(r'<meta property="og:description" content="([^"]*)"', html)
        self.assertEqual(
            unescape(description.group(1)),
            f"Cheapest over 12 months: Go net/http at {money(TOTALS['Go net/http'])}. "
            "Which stack for the API?",
        )
        self.assertIn("downloads it as a PNG", html)
        self.assertNotIn('class="share-form"', html)  # no share form inside a shared page
        # Nothing is typed on a shared page: it shows everything, the monthly table open.
        self.assertIn('<details class="monthly" data-keep-open="monthly" open>', html)
        self.assertIn('<table class="table">', html)
        self.assertNotIn('hx-get="/workings/', html)

    def test_unknown_link_is_404(self):
        self.assertEqual(self.client.get("/s/nope-nope-nope/").status_code, 404)


class EscapingTests(ShareTestCase):
    def test_titles_and_descriptions_are_escaped_everywhere(self):
        for k, payload in enumerate((XSS, ATTRIBUTE_XSS)):
            with self.subTest(payload=payload):
                caches["ratelimit"].clear()
                one = self.shared(title=payload, description=payload, query=another(2 * k))
                two = self.shared(
                    title=f"two {payload}", description=payload, query=another(2 * k + 1)
                )
                Scenario.objects.filter(pk=one.pk).update(is_example=True, claim=payload)
                pages = [
                    one.get_absolute_url(),
                    f"/s/{one.slug}/report/",
                    f"/s/{one.slug}/recompute/",
                    "/scenarios/",
                    f"/compare/?s={one.slug}&s={two.slug}",
                    f"/s/{one.slug}/migration/?migration_from=FastAPI&migration_to=Go+net%2Fhttp"
                    "&rewrite_effort_weeks=1&rewrite_months=1&overlap_months=0",
                ]
                for url in pages:
                    response = self.client.get(url)
                    self.assertEqual(response.status_code, 200, url)
                    html = response.content.decode()
                    self.assertNotIn(payload, html, url)
                    self.assertNotIn("<img src=x", html, url)
                    if payload == XSS:
                        self.assertIn(XSS_ESCAPED, html, url)
                html = self.client.get(one.get_absolute_url()).content.decode()
                tags = re.findall(
                    r'<meta (?:property|name)="(?:og|twitter|description)[^>]*>', html
                )
                self.assertEqual(len(tags), 9)
                for tag in tags:
                    self.assertNotIn("<script", tag)
                    self.assertEqual(tag.count('"'), 4, tag)  # no attribute broken out of
                fragment = share(self.client, title=payload, headers=HTMX).content.decode()
                self.assertNotIn(payload, fragment)

    def test_titles_are_inert_in_chart_labels(self):
        one = self.shared(title=XSS)
        two = self.shared(title="other", query=another(0))
        html = self.client.get(f"/compare/?s={one.slug}&s={two.slug}").content.decode()
        specs = html.split('id="chart-specs">', 1)[1].split("</script>", 1)[0]
        self.assertNotIn("<", specs)
        names = [t["name"] for t in chart_specs(html)["compare"]["data"]]
        self.assertIn("&lt;script&gt;alert(1)&lt;/script&gt;: FastAPI", names)


class MigrationPageTests(ShareTestCase):
    """FastAPI to Go in the test set: 0.52 engineer-weeks at 180,000 / 52 a week = $1,800 in
    month 1 (R = 1, O = 0). Migrating: 1,800 + 730 + 60,000 = 62,530 in month 1, then Go's
    60,219. Staying: 60,730 a month. Month 4: 243,187 > 242,920; month 5: 303,406 <= 303,650:
    break-even month 5. Over 12 months: 728,760 against 62,530 + 11 x 60,219 = 724,939.
    """

    MIGRATION = {
        "migration_from": "FastAPI",
        "migration_to": "Go net/http",
        "rewrite_effort_weeks": "0.52",
        "rewrite_months": "1",
        "overlap_months": "0",
    }

    def test_a_shared_migration_reports_its_break_even(self):
        scenario = self.shared(**self.MIGRATION)
        self.assertEqual(scenario.migration_from, "FastAPI")
        self.assertEqual(scenario.figures["migration"]["break_even_month"], 5)
        self.assertAlmostEqual(scenario.figures["migration"]["migrating_total"], 724_939, 6)
        html = self.client.get(scenario.get_absolute_url()).content.decode()
        self.assertIn("Break-even: <strong>month 5</strong>", html)
        self.assertIn("staying costs $728,760 and migrating $724,939", html)
        self.assertIn("migrating saves $3,821", html)
        specs = chart_specs(html)
        self.assertEqual(
            [t["name"] for t in specs["migration"]["data"]],
            ["Stay on FastAPI", "Migrate to Go net/http"],
        )
        notes = [a["text"] for a in specs["migration"]["layout"]["annotations"]]
        self.assertIn("Break-even: month 5", notes)
        marker = [s for s in specs["migration"]["layout"]["shapes"] if s["type"] == "line"]
        self.assertEqual(marker[0]["x0"], 5)
        self.assertEqual(specs["migration"]["data"][1]["y"][4], 303_406)

    def test_preview_then_save_as_a_new_link(self):
        scenario = self.shared()
        url = f"/s/{scenario.slug}/migration/?" + urlencode(self.MIGRATION)
        html = self.client.get(url).content.decode()
        self.assertIn("Migration (a preview: not saved)", html)
        self.assertIn("Break-even: <strong>month 5</strong>", html)
        form = html.split('<form class="save-migration"', 1)[1].split("</form>", 1)[0]
        fields = dict(re.findall(r'name="([^"]+)" value="([^"]*)"', form))
        fields = {k: unescape(v) for k, v in fields.items() if k != "csrfmiddlewaretoken"}
        self.assertEqual(fields["migration_to"], "Go net/http")
        response = self.client.post("/s/", fields)
        saved = Scenario.objects.get(slug=response["Location"].split("/")[2])
        self.assertEqual(saved.figures["migration"]["break_even_month"], 5)
        self.assertEqual(saved.title, "Our backend: migrating to Go net/http")
        self.assertIsNone(Scenario.objects.get(slug=scenario.slug).migration)

    def test_the_preview_page_without_a_migration_offers_the_form(self):
        scenario = self.shared()
        response = self.client.get(f"/s/{scenario.slug}/migration/")
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Plan a migration between these options")
        self.assertNotContains(response, 'class="save-migration"')

    def test_no_break_even_and_bad_migrations(self):
        scenario = self.shared()
        never = {**self.MIGRATION, "rewrite_effort_weeks": "520"}
        html = self.client.get(
            f"/s/{scenario.slug}/migration/?" + urlencode(never)
        ).content.decode()
        self.assertIn("Break-even: <strong>not within the horizon</strong>", html)
        same = {**self.MIGRATION, "migration_to": "FastAPI"}
        response = self.client.get(f"/s/{scenario.slug}/migration/?" + urlencode(same))
        self.assertEqual(response.status_code, 400)
        self.assertIn("Choose another option than the current one.", response.content.decode())
        response = share(self.client, migration_from="FastAPI", migration_to="Go net/http")
        self.assertEqual(response.status_code, 400)
        self.assertIn("A migration needs", response.content.decode())
        response = share(self.client, **{**self.MIGRATION, "migration_to": "Rust"})
        self.assertEqual(response.status_code, 400)
        self.assertIn("Migration: the target option &#x27;Rust&#x27;", response.content.decode())


class CompareTests(ShareTestCase):
    def test_two_scenarios_side_by_side(self):
        one = self.shared(title="Flat")
        two = self.shared(title="Busier", query=query_string(peak_rps="40000"))
        html = self.client.get(
            f"/compare/?s={one.slug}&s=http://testserver/s/{two.slug}/"
        ).content.decode()
        self.assertIn(">Flat</a>", html)
        self.assertIn(">Busier</a>", html)
        for total in TOTALS.values():
            self.assertIn(money(total), html)
        traces = chart_specs(html)["compare"]["data"]
        self.assertEqual(len(traces), 6)
        self.assertEqual(traces[0]["name"], "Flat: FastAPI")
        self.assertEqual(traces[0]["y"][-1], TOTALS["FastAPI"])

    def test_inputs_and_results_side_by_side_with_the_differences_marked(self):
        one = self.shared(title="Flat")
        two = self.shared(title="Busier", query=query_string(peak_rps="40000"))
        html = unescape(self.client.get(f"/compare/?s={one.slug}&s={two.slug}").content.decode())
        inputs = html.split('id="compare-inputs-title"', 1)[1].split("</section>", 1)[0]
        self.assertIn("1 input differs, marked ≠: Peak RPS.", inputs)
        self.assertIn(
            '<tr class="differs"><th scope="row"><span aria-hidden="true">≠ </span>'
            '<span class="sr-only">differs: </span>Peak RPS</th><td>20,000</td><td>40,000</td>',
            inputs,
        )
        self.assertIn('<tr><th scope="row">Average load</th><td>50%</td><td>50%</td></tr>', inputs)
        self.assertIn("<td>Test set version 1</td><td>Test set version 1</td>", inputs)
        results = html.split('id="compare-results-title"', 1)[1].split("</section>", 1)[0]
        before = {o["name"]: o for o in one.figures["options"]}
        after = {o["name"]: o for o in two.figures["options"]}
        for name, total in TOTALS.items():
            change = after[name]["horizon_total"] - before[name]["horizon_total"]
            self.assertGreater(change, 0)  # twice the traffic costs more
            self.assertIn(
                f"differs: </span>Total</th><td>{money(total)}</td>"
                f"<td>{money(after[name]['horizon_total'])} "
                f'<span class="change">(+{money(change)})</span></td>',
                results,
            )
        # Salaries do not move with traffic: the same, unmarked, no change shown.
        salaries = before["Go net/http"]["totals"]["engineering"]
        self.assertIn(
            f'<tr><th scope="row">Engineering salaries</th><td>{money(salaries)}</td>'
            f"<td>{money(salaries)}</td></tr>",
            results,
        )

    def test_too_few_or_too_many_or_unknown(self):
        slugs = [self.shared(title=f"s{i}", query=another(i)).slug for i in range(5)]
        response = self.client.get("/compare/?" + urlencode({"s": slugs}, doseq=True))
        self.assertEqual(response.status_code, 400)
        self.assertIn(
            "Choose from 2 to 4 scenarios to compare (5 chosen).",
            unescape(response.content.decode()),
        )
        response = self.client.get(f"/compare/?s={slugs[0]}")
        self.assertEqual(response.status_code, 400)
        self.assertIn("(1 chosen)", response.content.decode())
        response = self.client.get(f"/compare/?s={slugs[0]}&s=no-such-link")
        self.assertEqual(response.status_code, 404)
        self.assertIn(
            "No saved scenario has the link code no-such-link.", response.content.decode()
        )
        response = self.client.get("/compare/")
        self.assertEqual(response.status_code, 200)
        self.assertIn("Choose two to four scenarios", response.content.decode())


class AdminTests(ShareTestCase):
    def test_admin_lists_and_protects_scenarios(self):
        from django.contrib.auth.models import User

        scenario = self.shared(title="Admin view")
        User.objects.create_superuser("admin", "a@example.com", "pw")
        self.client.login(username="admin", password="pw")
        changelist = self.client.get("/admin/scenarios/scenario/?q=Admin")
        self.assertContains(changelist, "Admin view")
        self.assertContains(changelist, f"/s/{scenario.slug}/")
        self.assertEqual(self.client.get("/admin/scenarios/scenario/add/").status_code, 403)
        change = self.client.get(f"/admin/scenarios/scenario/{scenario.pk}/change/")
        self.assertContains(change, 'name="title"')
        self.assertNotContains(change, 'name="query"')


class LoadExamplesWithoutSetsTests(TestCase):
    def test_it_says_what_to_load_first(self):
        with self.assertRaisesMessage(CommandError, "run `manage.py load_assumptions` first"):
            call_command("load_examples", verbosity=0)
        self.assertFalse(Scenario.objects.exists())


class WorkedExampleTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        call_command("load_assumptions", verbosity=0)
        call_command("load_examples", verbosity=0)

    def test_every_example_is_saved_once_and_renders(self):
        slugs = [e.slug for e in examples.read()]
        self.assertEqual(len(slugs), 10)
        call_command("load_examples", verbosity=0)  # again: nothing added, nothing changed
        self.assertEqual(Scenario.objects.filter(is_example=True).count(), 10)
        gallery = self.client.get("/scenarios/").content.decode()
        positions = [gallery.index(f'href="/s/{slug}/"') for slug in slugs]
        self.assertEqual(positions, sorted(positions))
        for slug in slugs:
            with self.subTest(slug=slug):
                scenario = Scenario.objects.get(slug=slug)
                html = self.client.get(f"/s/{slug}/").content.decode()
                self.assertIn("What this tests", html)
                self.assertIn("What the model says", html)
                self.assertNotIn('class="alert"', html)
                self.assertTrue(scenario.claim and scenario.narrative and scenario.finding)
                recomputed = compute_scenario(scenario)
                self.assertEqual(
                    canonical(figures_of(recomputed.result, recomputed.migration)),
                    canonical(scenario.figures),
                )
                # And in the calculator, with the same totals.
                calculator = self.client.get(scenario.calculator_url()).content.decode()
                self.assertNotIn('class="alert"', calculator)
                for option in scenario.figures["options"]:
                    self.assertIn(money(option["horizon_total"]), calculator)

    def test_fintech_as_reported_beside_list_prices(self):
        html = self.client.get("/s/fintech-hybrid/").content.decode()
        section = html.split('class="reported"', 1)[1].split("</section>", 1)[0]
        # 12 Fargate tasks x 730 h x $0.19748 = $1,729.92 a month; $42,000 / 12 = $3,500.
        for text in ("$42,000", "$18,000", "57%", "$1,730", "$3,500", "$144", "12 containers"):
            self.assertIn(text, section)
        self.assertIn("must include costs the article does not name", section)
        scenario = Scenario.objects.get(slug="fintech-hybrid")
        c = compute_scenario(scenario)
        express = c.result.options[0]
        self.assertEqual(int(express.services[0].instances[0]), 12)
        self.assertEqual(scenario.assumption_set.slug, "seed-article-2026")
        self.assertIn("Migration", html)

    def test_pattern_3_is_a_migration_whose_break_even_the_page_and_finding_state(self):
        # Since version 2 of the sets (Go paid its survey premium, hires paying separation) the
        # extraction no longer pays for itself within 24 months; it did under version 1.
        scenario = Scenario.objects.get(slug="pattern-3-monolith-then-go")
        migration = scenario.figures["migration"]
        self.assertIsNone(migration["break_even_month"])
        self.assertGreater(migration["migrating_total"], migration["staying_total"])
        html = self.client.get(scenario.get_absolute_url()).content.decode()
        self.assertIn("Break-even: <strong>not within the horizon</strong>", html)
        self.assertIn("Break-even: not within the horizon", scenario.finding)
        more = migration["migrating_total"] - migration["staying_total"]
        self.assertIn(f"migrating costs {money(more)} more", scenario.finding)

    def test_8k_and_80k_under_both_sets(self):
        for size in ("startup-8k", "scaleup-80k"):
            sets = {
                Scenario.objects.get(slug=f"{size}-{key}").assumption_set.slug
                for key in ("independent", "seed-article")
            }
            self.assertEqual(sets, {"independent-2026", "seed-article-2026"})

    def test_the_flip_traffic_is_where_the_winner_changes(self):
        scenario = Scenario.objects.get(slug="python-6-weeks-vs-go-14-weeks")
        c = compute_scenario(scenario)
        flip = findings.flip_traffic(c, c.snapshot)
        self.assertIsNotNone(flip)
        self.assertIn(f"above about {about(flip)} requests per second", scenario.finding)

        def winner(rps):
            from dataclasses import replace

            from costcalc import engine

            r = engine.compute(replace(c.form.inputs(), peak_rps=rps), c.form.options(), c.snapshot)
            return r.cheapest.name

        self.assertEqual(winner(flip * 0.9), "FastAPI on Uvicorn")
        self.assertEqual(winner(flip * 1.1), "Go net/http")


class CachedPageTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        make_set()

    def test_the_cached_page_is_the_rendered_page_compressed_or_not(self):
        import gzip

        response = self.client.post("/s/", {"title": "Cached", "query": "peak_rps=20000"})
        url = response["Location"]
        plain = self.client.get(url)
        self.assertNotIn("Content-Encoding", plain)
        again = self.client.get(url, headers={"Accept-Encoding": "gzip, br"})
        self.assertEqual(again["Content-Encoding"], "gzip")
        self.assertIn("Accept-Encoding", again["Vary"])
        self.assertEqual(gzip.decompress(again.content), plain.content)
        self.assertIn("<h1>Cached</h1>", plain.content.decode())
