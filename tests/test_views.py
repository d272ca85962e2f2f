"""The calculator page: full page, htmx fragments, the no-JavaScript path and bad input."""

import re
from html import unescape
from urllib.parse import urlencode

import orjson
from django.test import TestCase

from costcalc import engine
from costcalc.assumptions.selectors import published_sets, set_choices
from costcalc.assumptions.snapshot import snapshot
from costcalc.calculator.forms import CalculatorForm
from costcalc.text import money
from tests.factories import make_set

HTMX = {"HX-Request": "true", "HX-Target": "results", "HX-Trigger": "calc-form"}

# A full form submission, as the browser sends it.
FULL = {
    "assumptions": "test-set@1",
    "peak_rps": "20000",
    "avg_to_peak_pct": "50",
    "growth_pct": "0",
    "horizon_months": "12",
    "app_cpu_ms": "0",
    "io_wait_ms": "0",
    "team_size": "4",
    "market": "us",
    "policy": "hire",
    "knows_go": "4",
    "knows_javascript": "4",
    "knows_python": "4",
    "instance": "box-4",
    "discount_pct": "0",
    "utilisation_pct": "50",
    "min_replicas": "2",
    "autoscaling": "off",
    "cost_of_delay": "0",
    "stacks": ["fastapi", "go"],
    "mix": "go:50, fastapi:50",
}


def query(**changes) -> str:
    data = {**FULL, **changes}
    return "/?" + urlencode(data, doseq=True)


def field_error(html: str, name: str) -> str:
    match = re.search(rf'<p class="field-error" id="err-{name}"[^>]*>(.*?)</p>', html, re.S)
    assert match, f"no error slot for {name}"
    return unescape(match.group(1)).strip()


def without_charts(html: str) -> bool:
    """Whether the page or fragment has the charts' JSON empty (no results: charts hidden)."""
    return bool(re.search(r'<script type="application/json" id="chart-specs"[^>]*></script>', html))


def chart_specs(html: str) -> dict:
    """The page's chart specs, read as strictly as a browser's JSON.parse (no NaN or Infinity)."""
    match = re.search(
        r'<script type="application/json" id="chart-specs">(.*?)</script>', html, re.S
    )
    assert match
    return orjson.loads(match.group(1))


class CalculatorPageTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.aset = make_set()

    def test_empty_query_renders_defaults_and_results(self):
        response = self.client.get("/")
        self.assertEqual(response.status_code, 200)
        html = response.content.decode()
        self.assertIn("<html", html)
        self.assertIn('id="results"', html)
        # Every stack of the set plus the default hybrid is compared.
        for name in ("Express 5", "FastAPI", "Go net/http", "Hybrid: FastAPI 80% + Go 20%"):
            self.assertIn(f"<h2>{name}</h2>", html)
        self.assertEqual(html.count("Cheapest over 24 months"), 1)
        self.assertEqual(len(re.findall(r'<tr><th scope="row">\d+</th>', html)), 24)
        self.assertNotIn('class="alert"', html)

    def test_figures_match_the_engine(self):
        response = self.client.get(query())
        html = response.content.decode()
        # Worked by hand: flat 20,000 RPS, no autoscaling, 50% utilisation, 4-vCPU boxes.
        # Go: 20,000 / 4,000 = 5 vCPU-s/s / 0.5 = 10 vCPU -> 3 boxes x 730 h x $0.10 = $219.
        # FastAPI: 20,000 / 1,000 / 0.5 = 40 vCPU -> 10 boxes = $730 per month.
        # Hybrid: Go 2.5/0.5 = 5 vCPU -> 2 boxes; FastAPI 10/0.5 = 20 vCPU -> 5 boxes; $511.
        # Engineering: 4 x 120,000 x 1.5 / 12 = $60,000 per month for every option.
        # One-offs: the hybrid needs 2 Go and 2 Python engineers; all 4 know both: none.
        expected = {
            "FastAPI": 12 * (730 + 60_000),
            "Go net/http": 12 * (219 + 60_000),
            "Hybrid: Go 50% + FastAPI 50%": 12 * (511 + 60_000),
        }
        for name, total in expected.items():
            card = html.split(f"<h2>{name}</h2>", 1)[1].split("</li>", 1)[0]
            self.assertIn(money(total), card)
        # And the page shows what the engine computes for the form's inputs.
        snap = snapshot(self.aset)
        form = CalculatorForm.from_query(
            _querydict(FULL), snapshot=snap, set_choices=set_choices(published_sets())
        )
        self.assertTrue(form.is_valid(), form.errors)
        result = engine.compute(form.inputs(), form.options(), snap)
        for option in result.options:
            self.assertIn(money(option.horizon_total), html)
        self.assertIn("Cheapest over 12 months", html.split("<h2>Go net/http</h2>")[1][:200])

    def test_htmx_request_gets_the_results_fragment_with_out_of_band_errors(self):
        response = self.client.get(query(peak_rps="30000"), headers=HTMX)
        self.assertEqual(response.status_code, 200)
        html = response.content.decode()
        self.assertNotIn("<html", html)
        self.assertNotIn("<form", html)
        self.assertTrue(html.lstrip().startswith('<div id="results"'))
        self.assertNotIn('<section class="results"', html)  # the charts' nodes stay put
        self.assertIn('id="chart-specs" hx-swap-oob="true">{', html)
        self.assertIn('<div id="results-more" class="results-more" hx-swap-oob="true">', html)
        # No field has a message to fill out of band (results.js empties the old ones).
        self.assertNotIn('class="field-error"', html)
        self.assertIn("30,000", html)

    def test_invalid_htmx_input_re_renders_the_fragment_with_errors(self):
        response = self.client.get(query(peak_rps="0"), headers=HTMX)
        self.assertEqual(response.status_code, 200)
        html = response.content.decode()
        self.assertNotIn("<form", html)
        self.assertEqual(field_error(html, "peak_rps"), "Peak RPS must be at least 1.")
        self.assertIn("Some inputs need fixing", html)
        self.assertTrue(without_charts(html))

    def test_changing_the_assumption_set_redraws_the_whole_form(self):
        make_set(slug="other", name="Other set")
        headers = {
            "HX-Request": "true",
            "HX-Target": "calculator",
            "HX-Trigger-Name": "assumptions",
        }
        response = self.client.get(query(assumptions="other@1"), headers=headers)
        html = response.content.decode()
        self.assertTrue(html.lstrip().startswith('<div id="calculator"'))
        self.assertIn("<form", html)
        self.assertIn('<option value="other@1" selected>', html)
        self.assertIn("Computed with <a", html)
        self.assertIn("Other set v1", html)

    def test_no_javascript_get_renders_the_full_page_with_the_inputs(self):
        response = self.client.get(query(peak_rps="12345", mix=""))
        # assertContains: the page also answers 200.
        shown = ("<html", 'name="peak_rps" value="12345"', 'method="get"', '<button type="submit">')
        for part in shown:
            self.assertContains(response, part)
        self.assertNotContains(response, "Hybrid:")

    def test_a_short_link_fills_the_rest_with_defaults(self):
        response = self.client.get("/?peak_rps=80000")
        html = response.content.decode()
        self.assertNotIn('class="alert"', html)
        self.assertIn('name="peak_rps" value="80000"', html)
        self.assertIn("<h2>Hybrid: FastAPI 80% + Go 20%</h2>", html)

    def test_unticking_every_stack_without_a_hybrid_is_an_error(self):
        data = {k: v for k, v in FULL.items() if k != "stacks"}
        data["mix"] = ""
        html = self.client.get("/?" + urlencode(data)).content.decode()
        self.assertEqual(
            field_error(html, "stacks"), "Choose at least one stack or describe a hybrid."
        )

    def test_push_url_and_debounce_are_wired(self):
        html = self.client.get("/").content.decode()
        form = html.split("<form", 1)[1].split(">", 1)[0]
        self.assertIn('hx-push-url="true"', form)
        self.assertIn('hx-trigger="input delay:400ms, submit"', form)
        self.assertIn('hx-target="#results"', form)

    def test_the_cost_charts_carry_each_options_figures(self):
        # The browser builds the figures from these (tests/test_browser.py checks them drawn).
        costs = chart_specs(self.client.get(query()).content.decode())["costs"]
        self.assertEqual(costs["months"], list(range(1, 13)))
        options = costs["options"]
        self.assertEqual(
            [o["name"] for o in options],
            ["FastAPI", "Go net/http", "Hybrid: Go 50% + FastAPI 50%"],
        )
        self.assertEqual(options[1]["cumulative"][-1], 12 * (219 + 60_000))
        go_categories = dict(zip(engine.CATEGORIES, options[1]["categories"], strict=True))
        self.assertEqual(go_categories["infrastructure"], [219] * 12)
        self.assertEqual(go_categories["engineering"], [60_000] * 12)
        self.assertEqual(
            [c["label"] for c in costs["style"]["categories"]],
            [engine.CATEGORY_LABELS[c] for c in engine.CATEGORIES],
        )

    def test_explanations_cite_sources(self):
        html = self.client.get(query()).content.decode()
        self.assertIn("How this was computed", html)
        self.assertIn("1 / requests per vCPU + CPU multiplier x business-logic ms / 1000", html)
        self.assertIn('href="/assumptions/test-set/v1/#source-test"', html)

    def test_team_growth_pays_each_new_seat_from_the_month_it_opens(self):
        # 12 a year: a seat opens each month at 120,000 x 1.5 / 12 = $15,000 a month, with its
        # fee (20 % of 120,000 = 24,000) and a month to fill, output lost valued at the seat's
        # cost. Over 12 months the seats add 15,000 x (1 + 2 + ... + 12) = 1,170,000 and twelve
        # fees 288,000: 1,458,000 on top of Go's 12 x (219 + 60,000).
        html = self.client.get(query(hires_per_year="12")).content.decode()
        self.assertIn('id="id_hires_per_year"', html)
        card = html.split("<h2>Go net/http</h2>", 1)[1].split("<h2>", 1)[0]
        self.assertIn(money(12 * (219 + 60_000) + 1_458_000), card.split("</p>", 2)[1])
        self.assertIn("Team growth, Go seats", card)  # its workings
        # Off by default: the same query without it is the team as it is.
        card = self.client.get(query()).content.decode().split("<h2>Go net/http</h2>", 1)[1]
        card = card.split("<h2>", 1)[0]
        self.assertIn(money(12 * (219 + 60_000)), card.split("</p>", 2)[1])
        self.assertNotIn("Team growth", card)

    def test_fragments_fetch_the_workings_when_opened(self):
        fragment = self.client.get(query(), headers=HTMX).content.decode()
        self.assertNotIn("1 / requests per vCPU", fragment)
        links = [
            unescape(link)
            for link in re.findall(r'<details class="how" hx-get="([^"]*)"', fragment)
        ]
        self.assertEqual(len(links), 3)
        full = self.client.get(query()).content.decode()
        inline = re.findall(r'<ol class="steps">(.*?)</ol>\s*</details>', full, re.S)
        self.assertEqual(len(inline), 3)
        for i, link in enumerate(links):
            self.assertTrue(link.startswith("/workings/?"))
            self.assertTrue(link.endswith(f"&option={i}"))
            response = self.client.get(link, headers={"HX-Request": "true"})
            self.assertEqual(response.status_code, 200)
            # Exactly what the full page shows for the same option, sources cited.
            self.assertEqual(response.content.decode().strip(), inline[i].strip())
        self.assertIn('href="/assumptions/test-set/v1/#source-test"', inline[0])

    def test_fragments_fetch_the_monthly_table_when_opened(self):
        fragment = self.client.get(query(), headers=HTMX).content.decode()
        self.assertNotIn('<table class="table">', fragment)
        details = re.search(r'<details class="monthly"[^>]*>', fragment).group(0)
        self.assertNotIn(" open", details)
        self.assertIn('hx-trigger="toggle once"', details)
        link = unescape(re.search(r'hx-get="([^"]*)"', details).group(1))
        self.assertEqual(link, query().replace("/?", "/monthly/?", 1))
        table = self.client.get(link, headers={"HX-Request": "true"}).content.decode()
        # Exactly the full page's table, which a full page shows closed (no JavaScript needed
        # to open it).
        full = self.client.get(query()).content.decode()
        inline = re.search(r'<table class="table">.*?</table>', full, re.S).group(0)
        self.assertEqual(table.strip(), inline)
        self.assertEqual(table.count('<tr><th scope="row">'), 12)  # one row per month
        # The full page fetches it when opened too; its own copy is for a browser without
        # JavaScript only, to which <noscript> is markup (some 700 elements kept off the page).
        full_details = re.search(r'<details class="monthly"[^>]*>', full).group(0)
        self.assertNotIn(" open", full_details)
        full_link = unescape(re.search(r'hx-get="([^"]*)"', full_details).group(1))
        self.assertEqual(full_link, link)
        self.assertIn("<noscript>" + inline + "</noscript>", full)
        bad = self.client.get(
            query(peak_rps="0").replace("/?", "/monthly/?", 1), headers={"HX-Request": "true"}
        )
        self.assertIn("These inputs do not compute", bad.content.decode())

    def test_workings_refuse_what_they_cannot_show(self):
        htmx = {"HX-Request": "true"}
        base = query().replace("/?", "/workings/?", 1)
        self.assertEqual(self.client.get(base + "&option=3", headers=htmx).status_code, 404)
        self.assertEqual(self.client.get(base + "&option=x", headers=htmx).status_code, 404)
        self.assertEqual(self.client.get(base + "&option=-1", headers=htmx).status_code, 404)
        self.assertEqual(self.client.get(base, headers=htmx).status_code, 404)
        bad = query(peak_rps="0").replace("/?", "/workings/?", 1) + "&option=0"
        response = self.client.get(bad, headers=htmx)
        self.assertEqual(response.status_code, 200)
        self.assertIn("These inputs do not compute", response.content.decode())
        # Followed as a link, it is the calculator page for the same inputs.
        response = self.client.get(base + "&option=1")
        self.assertEqual(response.status_code, 302)
        self.assertEqual(response["Location"], query())

    def test_post_is_not_allowed(self):
        self.assertEqual(self.client.post("/").status_code, 405)

    def test_healthz(self):
        response = self.client.get("/healthz")
        self.assertEqual(response.content, b"ok")


def _querydict(data):
    from django.http import QueryDict

    q = QueryDict(mutable=True)
    for key, value in data.items():
        if isinstance(value, list):
            q.setlist(key, value)
        else:
            q[key] = value
    return q


class BadInputTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.aset = make_set()

    def assertFieldError(self, field, value, message, **extra):
        response = self.client.get(query(**{field: value}, **extra))
        self.assertEqual(response.status_code, 200)
        html = response.content.decode()
        self.assertEqual(field_error(html, field), message)
        self.assertTrue(without_charts(html))

    def test_bounds_and_types(self):
        cases = [
            ("peak_rps", "0", "Peak RPS must be at least 1."),
            ("peak_rps", "10000001", "Peak RPS must be at most 10,000,000."),
            ("peak_rps", "", "Enter Peak RPS."),
            ("peak_rps", "lots", "Peak RPS must be a number."),
            ("peak_rps", "NaN", "Peak RPS must be a number."),
            ("peak_rps", "1e309", "Peak RPS must be a number."),
            ("peak_rps", "-inf", "Peak RPS must be a number."),
            ("growth_pct", "101", "Monthly growth must be at most 100%."),
            ("growth_pct", "-51", "Monthly growth must be at least -50%."),
            ("horizon_months", "61", "Horizon must be at most 60 months."),
            ("horizon_months", "2.5", "Horizon must be a whole number."),
            ("team_size", "2.5", "Team size must be a whole number."),
            ("team_size", "two", "Team size must be a whole number."),
            ("knows_go", "1.5", "Engineers who know Go must be a whole number."),
            ("min_replicas", "0.5", "Minimum replicas must be a whole number."),
            ("team_size", "0", "Team size must be at least 1."),
            ("team_size", "10001", "Team size must be at most 10,000."),
            ("hires_per_year", "-1", "Team growth must be at least 0 engineers a year."),
            ("hires_per_year", "1001", "Team growth must be at most 1,000 engineers a year."),
            ("utilisation_pct", "0", "Target CPU utilisation must be at least 5%."),
            ("knows_go", "5", "This can't be more than the team size (4)."),
            ("market", "mars", "Select a valid choice. mars is not one of the available choices."),
            ("assumptions", "nope@9", "Choose one of the published assumption sets."),
        ]
        for field, value, message in cases:
            with self.subTest(field=field, value=value):
                self.assertFieldError(field, value, message)

    def test_mix_errors(self):
        cases = [
            ("go", "In the hybrid, give go its share of the requests, e.g. go:60 (not “go”)."),
            ("go:abc", "In the hybrid, go's share must be a percentage, e.g. go:60 (not “abc”)."),
            (
                "go:50, fastapi:50:x",
                "In the hybrid, fastapi's business-logic CPU must be a number of milliseconds, "
                "e.g. fastapi:60:2 (not “x”).",
            ),
            (
                "go:50, fastapi:50:2:-1",
                "In the hybrid, fastapi's I/O wait must be a number of milliseconds, "
                "e.g. fastapi:60:2:30 (not “-1”).",
            ),
            (
                "go:50, fastapi:50:70000",
                "In the hybrid, fastapi's business-logic CPU must be at most 60,000 ms per "
                "request (not 70,000).",
            ),
            (
                "go:50:1:2:3, fastapi:50",
                "Write each service of the hybrid as stack:share or stack:share:cpu_ms:io_ms, "
                "e.g. go:60 or go:60:2:30 (not “go:50:1:2:3”).",
            ),
            (
                "go:50, rust:50",
                "The hybrid names “rust”, which is not a stack in this assumption set (it has "
                "express, fastapi, go).",
            ),
            ("go:50, fastapi:40", "The shares add up to 90%; make them add up to 100%."),
            ("go:100", "A hybrid needs at least two stacks; tick single stacks above."),
            ("go:50, go:50", "The hybrid names go twice: give each stack once."),
            (
                "go:0, fastapi:100",
                "In the hybrid, go's share must be above 0 and at most 100 (not 0).",
            ),
        ]
        for value, message in cases:
            with self.subTest(value=value):
                self.assertFieldError("mix", value, message)

    def test_engineers_per_service_errors(self):
        # The hybrid of FULL is go:50, fastapi:50 and the team 4.
        cases = [
            (
                "go=2",
                "Write each service's engineers as stack:engineers, e.g. express:1 (not “go=2”).",
            ),
            ("express:1", "express is not a service of the hybrid (it has go, fastapi)."),
            ("go:3, fastapi:2", "These add up to 5, more than the team of 4."),
            (
                "go:1, fastapi:1",
                "Every service is given engineers, 2 in all, but the team has 4: leave one out "
                "to give it the rest.",
            ),
        ]
        for value, message in cases:
            with self.subTest(value=value):
                self.assertFieldError("mix_engineers", value, message)
        self.assertFieldError(
            "mix_engineers",
            "go:1",
            "Engineers per service are for a hybrid: describe one first.",
            mix="",
        )

    def test_engineers_per_service_are_used_and_the_default_is_stated(self):
        html = self.client.get(query()).content.decode()
        self.assertIn(
            "engineers follow the request shares where not given (Go 2, Python 2 of 4)", html
        )
        html = self.client.get(query(mix_engineers="fastapi:1")).content.decode()
        self.assertIn("(Go 3, Python 1 of 4)", html)  # the note: Go took the other three
        self.assertIn("engineers in Go: 3 engineers", html)

    def test_your_figures_are_used_marked_and_checked(self):
        html = self.client.get(query(yours_go_rps_per_vcpu="500", **{
            "yours_go_annual_salary": "240000"})).content.decode()  # fmt: skip
        self.assertIn(
            "Your figures in place of the set&#x27;s: the annual salary of Go engineers, "
            "$240,000 a year; Go net/http&#x27;s requests per second per vCPU, 500 requests/s.",
            html,
        )
        self.assertIn('<span class="cite yours">(your figure)</span>', html)
        # The same query without them: the set's figures, no note.
        self.assertNotIn("Your figures in place", self.client.get(query()).content.decode())
        self.assertFieldError(
            "yours_go_rps_per_vcpu", "0", "Go net/http: requests per second per vCPU must be at "
            "least 0.001 req/s."
        )  # fmt: skip

    def test_error_codes(self):
        snap = snapshot(self.aset)
        choices = set_choices(published_sets())
        cases = [
            ({"peak_rps": "0"}, "peak_rps", "min_value"),
            ({"peak_rps": "x"}, "peak_rps", "invalid"),
            ({"mix": "go:10, fastapi:10"}, "mix", "mix_share_sum"),
            ({"mix": "go=1"}, "mix", "mix_syntax"),
            ({"mix": "go:50,deno:50"}, "mix", "mix_unknown_stack"),
            ({"knows_python": "9"}, "knows_python", "more_than_team"),
            ({"stacks": [], "mix": ""}, "stacks", "no_options"),
        ]
        for changes, field, code in cases:
            with self.subTest(changes=changes):
                form = CalculatorForm.from_query(
                    _querydict({**FULL, **changes}), snapshot=snap, set_choices=choices
                )
                self.assertFalse(form.is_valid())
                self.assertTrue(form.has_error(field, code), form.errors.as_json())

    def test_invalid_fields_are_marked_for_assistive_technology(self):
        html = self.client.get(query(peak_rps="-1")).content.decode()
        tag = re.search(r'<input[^>]*name="peak_rps"[^>]*>', html).group(0)
        self.assertIn('aria-invalid="true"', tag)
        self.assertIn('aria-describedby="help-peak_rps err-peak_rps"', tag)

    def test_huge_query_string_is_answered(self):
        response = self.client.get("/?" + "mix=" + "go:1," * 5000)
        self.assertEqual(response.status_code, 200)
        self.assertIn(
            "Ensure this value has at most 300 characters",
            field_error(response.content.decode(), "mix"),
        )
        response = self.client.get("/?" + "&".join(f"f{i}=1" for i in range(500)))
        self.assertEqual(response.status_code, 400)  # Django's cap on the number of fields

    def test_extreme_but_valid_inputs_compute(self):
        # 10M RPS doubling every month for 60 months: about 5.8e24 RPS at the end, still finite.
        response = self.client.get(
            query(peak_rps="10000000", growth_pct="100", horizon_months="60")
        )
        self.assertEqual(response.status_code, 200)
        html = response.content.decode()
        self.assertNotIn('class="alert"', html)
        cumulative = chart_specs(html)["costs"]["options"][0]["cumulative"]
        # orjson writes an infinity or NaN as null.
        self.assertTrue(all(isinstance(v, float | int) for v in cumulative), cumulative[-3:])


class NoAssumptionsTests(TestCase):
    def test_the_parts_say_why_they_are_empty(self):
        for path in ("/workings/?option=0", "/monthly/"):
            response = self.client.get(path, headers={"HX-Request": "true"})
            self.assertEqual(response.status_code, 200)
            self.assertIn("No assumption set is published yet.", response.content.decode())

    def test_page_explains_what_to_do(self):
        response = self.client.get("/")
        self.assertEqual(response.status_code, 503)
        self.assertIn("load_assumptions", response.content.decode())


class WordingTests(TestCase):
    """What a new user read wrongly on the page (issue 14): prices, counts, units, baselines."""

    @classmethod
    def setUpTestData(cls):
        cls.aset = make_set()

    def test_the_workings_show_the_price_per_hour_and_counts_in_words(self):
        html = unescape(self.client.get(query(mix_engineers="fastapi:1")).content.decode())
        # Whole dollars rounded the $0.10 an hour of the test box to "$0".
        self.assertIn("<li>price per hour: $0.10 an hour <span", html)
        self.assertNotIn("price per hour: $0 ", html)
        self.assertIn("annual salary: $120,000 a year", html)
        self.assertIn("memory instances in month 1</strong> = 1 instance</p>", html)
        self.assertIn("engineers in Go: 3 engineers", html)
        self.assertIn("engineers in Python: 1 engineer<", html)
        self.assertNotIn("(s)", html)

    def test_hiring_is_counted_in_words(self):
        html = unescape(self.client.get(query(knows_go="3", mix="")).content.decode())
        self.assertIn("Hiring 1 Go engineer</strong>", html)
        html = unescape(self.client.get(query(knows_go="1", mix="")).content.decode())
        self.assertIn("Hiring 3 Go engineers</strong>", html)
        html = unescape(
            self.client.get(query(knows_go="2", mix="", policy="retrain")).content.decode()
        )
        self.assertIn("Retraining 2 engineers into Go</strong>", html)

    def test_units_beside_the_labels_keep_their_spaces(self):
        html = self.client.get("/").content.decode()
        self.assertIn('Cost of delay <span class="unit">(USD per month)</span>', html)
        self.assertIn('Separation pay <span class="unit">(months of salary)</span>', html)
        self.assertNotIn("USDpermonth", html)

    def test_the_monthly_table_counts_each_options_instances(self):
        html = self.client.get(query(mix="")).content.decode()
        monthly = html.split('<details class="monthly"', 1)[1]
        head = re.search(r"<thead>(.*?)</thead>", monthly, re.S).group(1)
        self.assertEqual(head.count('<th scope="col">Instances</th>'), 2)
        # FastAPI month 1: 10 instances ($730 = 10 x 730 h x $0.10), then its dollars.
        self.assertIn(
            '<tr><th scope="row">1</th><td>20,000</td><td>10</td><td>$730</td><td>$60,000</td>',
            html,
        )

    def test_the_baseline_help_says_what_decides_it(self):
        html = unescape(self.client.get("/").content.decode())
        self.assertNotIn("The first option chosen is the baseline", html)
        self.assertIn(
            "Savings are measured against the current stack when it is ticked; otherwise "
            "against the first one ticked in this list (the hybrid when none is).",
            html,
        )
        # And it is so: the list's order, not the order of the query, then the current stack.
        cards = re.compile(r'<p class="saving">Baseline: savings are measured against')
        html = self.client.get(query(stacks=["go", "fastapi"], mix="")).content.decode()
        first = html.index("<h2>FastAPI</h2>")
        self.assertLess(first, cards.search(html).start())
        self.assertLess(cards.search(html).start(), html.index("<h2>Go net/http</h2>"))
        html = self.client.get(query(current_stack="go", mix="")).content.decode()
        self.assertIn("Your current stack: savings are measured against it.", html)
        self.assertIsNone(cards.search(html))
        html = self.client.get(query(stacks=[], mix="go:50, fastapi:50")).content.decode()
        self.assertIsNotNone(cards.search(html))  # the hybrid, alone

    def test_growth_past_the_peak_bound_is_warned_of_on_the_page_and_in_the_api(self):
        # 20,000 RPS doubling every month passes 10,000,000 in month 10 (20,000 x 2^9 =
        # 10,240,000) and ends at 20,000 x 2^11 = 40,960,000 in month 12.
        warning = (
            "Growth of 100% a month compounds the peak past 10,000,000 requests per second, "
            "the most the calculator takes, in month 10, and to about 41 million by month 12"
        )
        html = unescape(self.client.get(query(growth_pct="100")).content.decode())
        self.assertIn(f'<p class="note" role="note">{warning}', html)
        self.assertNotIn("cards", field_error(html, "growth_pct"))  # computed, not refused
        self.assertIn("<h2>Go net/http</h2>", html)
        # 10% a month stays below the bound: no word.
        html = unescape(self.client.get(query(growth_pct="10")).content.decode())
        self.assertNotIn("compounds the peak past", html)
        # The API's results carry the same note, from the same rule (engine/notes.py).
        scenario = {
            "assumption_set": {"slug": "test-set", "version": 1},
            "inputs": {"peak_rps": 20000, "growth_pct": 100, "horizon_months": 12},
            "options": [{"stack": "go"}],
        }
        response = self.client.post(
            "/api/v1/calculate", data=scenario, content_type="application/json"
        )
        self.assertEqual(response.status_code, 200, response.content)
        notes = response.json()["notes"]
        self.assertTrue(any(note.startswith(warning) for note in notes), notes)

    def test_a_full_page_carries_a_table_of_what_the_charts_show(self):
        html = unescape(self.client.get(query(mix="")).content.decode())
        noscript = re.search(r'<div class="charts">\s*<noscript>(.*?)</noscript>', html, re.S)
        self.assertIsNotNone(noscript)
        rows = re.findall(r'<tr><th scope="row">(.*?)</th>(.*?)</tr>', noscript.group(1))
        self.assertEqual([name for name, _ in rows], ["FastAPI", "Go net/http"])
        # FastAPI, the baseline: 12 x $730 of infrastructure, 12 x $60,000 of salaries.
        self.assertEqual(
            re.findall(r"<td>(.*?)</td>", rows[0][1]),
            ["$8,760", "$720,000", "$0", "$0", "$728,760", "baseline"],
        )
        self.assertIn("Saving against FastAPI", noscript.group(1))
        # The fragments htmx swaps in leave it out: only a page without JavaScript needs it.
        fragment = self.client.get(query(mix=""), headers=HTMX).content.decode()
        self.assertNotIn("<noscript><div", fragment)


class DifferencesViewTests(TestCase):
    """?view=differences: only the cost lines that differ between the options. In FULL every
    option pays the same four engineers, hires nobody and launches as soon as the others, so
    only the infrastructure differs."""

    SAME = "Engineering salaries, Hiring and retraining and Cost of later launch"

    @classmethod
    def setUpTestData(cls):
        make_set()

    def card_lines(self, html: str) -> list[list[str]]:
        tables = re.findall(r'<table class="mini">.*?</table>', html, re.S)
        return [re.findall(r'<th scope="row">([^<]+)</th>', t) for t in tables]

    def monthly_columns(self, html: str) -> list[str]:
        row = re.search(r'<tr><th scope="col">Month</th>.*?</tr>', html, re.S).group(0)
        return re.findall(r'<th scope="col">([^<]+)</th>', row)

    def test_every_line_by_default_with_a_link_to_the_differences(self):
        html = self.client.get(query()).content.decode()
        every = [
            "Compute",
            "Engineering salaries",
            "Hiring and retraining",
            "Cost of later launch",
            "Total",
        ]
        self.assertEqual(self.card_lines(html), [every] * 3)
        self.assertEqual(len(self.monthly_columns(html)), 2 + 3 * 7)  # instances, 4 lines, 2 sums
        link = re.search(r'<p class="view-toggle"><a href="([^"]+)">Show only the lines', html)
        self.assertIn("view=differences", unescape(link.group(1)))
        self.assertIn("peak_rps=20000", unescape(link.group(1)))

    def test_the_differences_leave_out_the_lines_the_same_for_every_option(self):
        html = self.client.get(query(view="differences")).content.decode()
        self.assertEqual(self.card_lines(html), [["Compute", "Total"]] * 3)
        columns = ["Month", "Peak RPS"] + ["Instances", "Compute", "Total", "Cumulative"] * 3
        self.assertEqual(self.monthly_columns(html), columns)
        self.assertIn(f"(the same for every option: {self.SAME})", html)
        back = re.search(r'<a href="([^"]+)">Show every line</a>', html).group(1)
        self.assertNotIn("view=", back)
        # The form carries the view on, so each recalculation's address keeps it.
        self.assertIn('<input type="hidden" name="view" value="differences">', html)

    def test_a_recalculation_and_the_table_fetched_later_keep_the_view(self):
        fragment = self.client.get(query(view="differences"), headers=HTMX).content.decode()
        self.assertEqual(self.card_lines(fragment), [["Compute", "Total"]] * 3)
        monthly = re.search(r'hx-get="(/monthly/[^"]+)"', fragment).group(1)
        table = self.client.get(unescape(monthly), headers={"HX-Request": "true"})
        columns = ["Month", "Peak RPS"] + ["Instances", "Compute", "Total", "Cumulative"] * 3
        self.assertEqual(self.monthly_columns(table.content.decode()), columns)

    def test_one_option_has_nothing_to_differ_from(self):
        html = self.client.get(query(stacks=["go"], mix="", view="differences")).content.decode()
        self.assertNotIn('class="view-toggle"', html)
        self.assertEqual(len(self.card_lines(html)[0]), 5)  # every line, and the total


class DefaultCleaningTests(TestCase):
    """A field a query leaves at its default takes the value that default cleaned to the first
    time (CalculatorForm._clean_fields): the same values and errors as cleaning it again."""

    @classmethod
    def setUpTestData(cls):
        cls.aset = make_set()

    def form(self, data):
        snap = snapshot(self.aset)
        return CalculatorForm.from_query(
            _querydict(data), snapshot=snap, set_choices=set_choices(published_sets())
        )

    def test_remembered_defaults_clean_as_a_fresh_form_does(self):
        first = self.form({"peak_rps": "30000"})
        self.assertTrue(first.is_valid(), first.errors)
        self.assertIn("stacks", first.cleaned_defaults)  # kept with the shared fields
        second = self.form({"peak_rps": "30000"})
        self.assertTrue(second.is_valid(), second.errors)
        self.assertEqual(first.cleaned_data, second.cleaned_data)
        # The same as a form that names every field, none of them left to its default.
        given = {name: list(values) for name, values in first.defaults.items()}
        given["peak_rps"] = ["30000"]
        full = self.form(given)
        self.assertTrue(full.is_valid(), full.errors)
        self.assertEqual(full.cleaned_data, second.cleaned_data)
        self.assertEqual(full.inputs(), second.inputs())
        self.assertEqual(full.options(), second.options())

    def test_one_forms_cleaned_list_is_not_anothers(self):
        first = self.form({})
        self.assertTrue(first.is_valid(), first.errors)
        first.cleaned_data["stacks"].append("changed")
        second = self.form({})
        self.assertTrue(second.is_valid(), second.errors)
        self.assertNotIn("changed", second.cleaned_data["stacks"])

    def test_a_value_other_than_the_default_is_cleaned_and_checked(self):
        self.assertTrue(self.form({}).is_valid())  # every default remembered
        form = self.form({"team_size": "2.5", "stacks": ["deno"]})
        self.assertFalse(form.is_valid())
        self.assertTrue(form.has_error("team_size", "invalid"), form.errors.as_json())
        self.assertTrue(form.has_error("stacks", "invalid_choice"), form.errors.as_json())
        form = self.form({"team_size": "12"})
        self.assertTrue(form.is_valid(), form.errors)
        self.assertEqual(form.inputs().team_size, 12)
