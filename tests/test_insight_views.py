"""The insight panel (costcalc/calculator/insight_views.py): htmx fragment, full page, bad input,
the seed-vs-independent table and reproducibility with either database."""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import urlencode

import numpy as np
from django.conf import settings
from django.core.management import call_command
from django.http import QueryDict
from django.test import TestCase
from django.urls import reverse
from django.utils.html import escape

from costcalc import engine
from costcalc.assumptions.models import AssumptionSet
from costcalc.assumptions.selectors import published_sets, set_choices
from costcalc.assumptions.snapshot import snapshot
from costcalc.calculator.forms import FORM_SENT, CalculatorForm
from costcalc.engine import insight as ei
from costcalc.engine.figures import RATE_FIGURES, STACK_FIGURES
from tests.factories import make_set

URL = "/insight/"
HTMX = {"HX-Request": "true", "HX-Target": "insight"}
INDEPENDENT, SEED = "independent-2026@4", "seed-article-2026@4"  # the newest versions


def url(**params) -> str:
    return URL + "?" + urlencode(params, doseq=True)


def specs(html: str) -> dict:
    match = re.search(
        r'<script type="application/json" id="insight-specs">(.*?)</script>', html, re.S
    )
    assert match, "no insight specs"
    return json.loads(match.group(1))


def comparison_table(html: str) -> str:
    match = re.search(r'<table class="table comparison">(.*?)</table>', html, re.S)
    assert match, "no seed-vs-independent table"
    return match.group(1)


def fixture_snapshot(slug: str, version: int) -> engine.Assumptions:
    """A shipped set read straight from its fixture file, without any database."""
    name = f"{slug}.json" if version == 1 else f"{slug}-v{version}.json"
    objects = json.loads((Path(settings.FIXTURE_DIRS[0]) / name).read_text())

    def key(value):
        return value[-1] if isinstance(value, list) else value or ""

    def figure(f, name):
        return engine.Figure(
            f[name], f.get(f"{name}_low"), f.get(f"{name}_high"), key(f[f"{name}_source"])
        )

    rows = {}
    for o in objects:
        rows.setdefault(o["model"].split(".")[1], []).append(o["fields"])
    (aset,) = rows["assumptionset"]
    stack_figures = list(STACK_FIGURES)
    rate_figures = list(RATE_FIGURES)
    return engine.Assumptions(
        slug=aset["slug"],
        name=aset["name"],
        version=aset["version"],
        as_of=aset["as_of"],
        stacks={
            f["slug"]: engine.Stack(
                f["slug"], f["name"], f["language"], *(figure(f, n) for n in stack_figures)
            )
            for f in rows["stack"]
        },
        markets={f["slug"]: engine.Market(f["slug"], f["name"]) for f in rows["market"]},
        rates={
            (key(f["market"]), f["language"]): engine.MarketRate(
                key(f["market"]), f["language"], *(figure(f, n) for n in rate_figures)
            )
            for f in rows["marketrate"]
        },
        instances={
            f["slug"]: engine.InstanceType(
                f["slug"],
                f["name"],
                f["provider"],
                f["region"],
                f["vcpu"],
                f["memory_gb"],
                figure(f, "price_per_hour"),
            )
            for f in rows["instancetype"]
        },
        platform={
            f["slug"]: engine.PlatformPrice(
                **{
                    **{k: f[k] for k in ("slug", "name", "kind", "unit", "provider", "region")},
                    "value": figure(f, "value"),
                }
            )
            for f in rows.get("platformprice", [])
        },  # fmt: skip
    )


class InsightWithShippedSetsTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        call_command("load_assumptions", verbosity=0)

    def test_the_url_is_registered_next_to_the_calculator(self):
        self.assertEqual(reverse("calculator:insight"), URL)
        self.assertEqual(self.client.post(URL).status_code, 405)

    def test_htmx_gets_the_fragment_with_every_chart(self):
        response = self.client.get(url(peak_rps="20000"), headers=HTMX)
        self.assertEqual(response.status_code, 200)
        html = response.content.decode()
        self.assertTrue(html.strip().startswith('<section id="insight"'), html[:200])
        self.assertNotIn("<html", html)
        self.assertNotIn('class="alert"', html)
        for name in ("traffic", "bands", "tornado"):
            self.assertIn(f'data-insight-chart="{name}"', html)
        charts = specs(html)
        self.assertEqual(set(charts), {"traffic", "bands", "tornado"})
        traffic = charts["traffic"]["layout"]
        self.assertEqual(traffic["xaxis"]["type"], "log")
        (marker,) = traffic["shapes"]
        self.assertEqual((marker["x0"], marker["x1"]), (20000.0, 20000.0))
        self.assertEqual(traffic["annotations"][0]["text"], "Your traffic: 20,000 RPS")
        xs = charts["traffic"]["data"][0]["x"]
        self.assertEqual((len(xs), xs[0], xs[-1]), (40, 1000.0, 1000000.0))
        bands = charts["bands"]["data"]
        self.assertEqual([t.get("fill") for t in bands[:3]], [None, "tonexty", None])
        tornado = charts["tornado"]["data"]
        self.assertEqual({t["orientation"] for t in tornado}, {"h"})
        # The verdict: one to three sentences, starting with the cheapest option.
        verdict = re.search(r'<div class="verdict"[^>]*>(.*?)</div>', html, re.S).group(1)
        sentences = re.findall(r"<p>(.*?)</p>", verdict)
        self.assertTrue(1 <= len(sentences) <= 3)
        self.assertIn("is the cheapest option over 24 months", sentences[0])

    def test_a_plain_get_is_a_page_of_its_own(self):
        response = self.client.get(url(peak_rps="20000"))
        self.assertEqual(response.status_code, 200)
        html = response.content.decode()
        self.assertIn("<html", html)
        self.assertIn('<section id="insight"', html)
        self.assertIn("js/charts", html)
        self.assertIn("plotly-basic", html)
        self.assertIn('href="/?peak_rps=20000"', html)  # back to the same calculation
        self.assertNotIn("<script>", html)  # no inline script: the CSP allows none

    def test_invalid_input_shows_errors_not_a_server_error(self):
        # Every stack unticked and no hybrid, as the form sends it: each of its fields (a link
        # naming fewer keeps the default stacks).
        form = {
            "assumptions": INDEPENDENT,
            **{"peak_rps": "10000", "avg_to_peak_pct": "50", "growth_pct": "3"},
            **{"horizon_months": "24", "app_cpu_ms": "2", "io_wait_ms": "30", "team_size": "8"},
            **{"market": "us", "policy": "hire", "instance": "c7i-xlarge", "discount_pct": "0"},
            **{"utilisation_pct": "60", "min_replicas": "2", "autoscaling": "on"},
            **{"cost_of_delay": "0", "stacks": [], "mix": ""},
        }
        self.assertEqual(set(form) - {"stacks"}, FORM_SENT)
        for query in (
            {"peak_rps": "-5"},
            {"peak_rps": "lots"},
            {"mix": "go:70, fastapi:20"},
            {"team_size": "2", "knows_go": "5"},
            form,
        ):
            for headers in (HTMX, {}):
                response = self.client.get(url(**query), headers=headers)
                self.assertEqual(response.status_code, 200, query)
                html = response.content.decode()
                self.assertIn('class="alert"', html, query)
                self.assertNotIn("insight-specs", html, query)
        html = self.client.get(url(peak_rps="-5"), headers=HTMX).content.decode()
        self.assertIn("Peak RPS: Peak RPS must be at least 1.", html)

    def test_seed_vs_independent_side_by_side(self):
        query = {"assumptions": INDEPENDENT, "peak_rps": "50000", "growth_pct": "0"}
        table = comparison_table(self.client.get(url(**query), headers=HTMX).content.decode())
        self.assertIn("Independent 2026 v4 (in use)", table)
        self.assertIn("Seed article 2026 v4", table)
        # The figures are compute()'s under each set, for the options the query describes.
        sets = published_sets()
        for key in (INDEPENDENT, SEED):
            aset = next(s for s in sets if s.key == key)
            form = CalculatorForm.from_query(
                _query_dict(query), snapshot=snapshot(aset), set_choices=set_choices(sets)
            )
            self.assertTrue(form.is_valid(), form.errors)
            result = engine.compute(form.inputs(), form.options(), snapshot(aset))
            for option in result.options:
                self.assertIn(f"{_money(option.horizon_total)}", table)
            self.assertIn(
                result.cheapest.name, re.search(r'class="sum">(.*?)</tr>', table, re.S)[1]
            )
        self.assertRegex(table, r"(same|different) answer")

    def test_the_set_in_use_is_compared_in_its_own_column(self):
        table = comparison_table(
            self.client.get(url(assumptions=SEED), headers=HTMX).content.decode()
        )
        self.assertIn("Seed article 2026 v4 (in use)", table)
        self.assertLess(table.index("Independent 2026 v4"), table.index("Seed article 2026 v4"))

    def test_the_same_query_gives_byte_identical_figures(self):
        query = url(assumptions=SEED, peak_rps="30000", cost_of_delay="20000", policy="retrain")
        first = self.client.get(query, headers=HTMX).content
        second = self.client.get(query, headers=HTMX).content
        self.assertEqual(first, second)
        self.assertIn(b"insight-specs", first)

    def test_draws_from_the_database_match_draws_from_the_fixture_file(self):
        """The suite runs on SQLite and PostgreSQL: both must give the numbers that the set's
        fixture gives without any database, bit for bit, seed included."""
        sets = published_sets()
        for key in (INDEPENDENT, SEED):
            aset = next(s for s in sets if s.key == key)
            from_db = snapshot(aset)
            from_file = fixture_snapshot(aset.slug, aset.version)
            query = {"assumptions": key, "cost_of_delay": "10000", "peak_rps": "25000"}
            form = CalculatorForm.from_query(
                _query_dict(query), snapshot=from_db, set_choices=set_choices(sets)
            )
            self.assertTrue(form.is_valid(), form.errors)
            inputs, options = form.inputs(), form.options()
            db = ei.analyse(inputs, options, from_db)
            file = ei.analyse(inputs, options, from_file)
            self.assertEqual(db.monte_carlo.seed, file.monte_carlo.seed)
            np.testing.assert_array_equal(db.monte_carlo.totals, file.monte_carlo.totals)
            np.testing.assert_array_equal(db.traffic.totals, file.traffic.totals)
            self.assertEqual(db.verdict, file.verdict)
            html = self.client.get(url(**query), headers=HTMX).content.decode()
            self.assertIn(f"Seed {file.monte_carlo.seed:016x}", html)
            for sentence in file.verdict:
                self.assertIn(escape(sentence), html)


class InsightWithoutTheShippedSetsTests(TestCase):
    def test_a_lone_set_says_there_is_nothing_to_compare(self):
        make_set()
        html = self.client.get(URL, headers=HTMX).content.decode()
        self.assertIn("insight-specs", html)
        self.assertNotIn('class="table comparison"', html)
        self.assertIn("Neither shipped assumption set", html)

    def test_one_shipped_set_says_so(self):
        make_set(slug="independent-2026", name="Independent 2026")
        html = self.client.get(URL, headers=HTMX).content.decode()
        self.assertIn("Only Independent 2026 v1 of the shipped sets is published", html)
        self.assertIn('class="table comparison"', html)

    def test_no_published_set_is_503(self):
        make_set(published=False)
        response = self.client.get(URL, headers=HTMX)
        self.assertEqual(response.status_code, 503)
        self.assertIn("No assumption set is published", response.content.decode())
        self.assertFalse(AssumptionSet.objects.published().exists())


def _query_dict(params) -> QueryDict:
    return QueryDict(urlencode(params, doseq=True))


def _money(x: float) -> str:
    return f"${x:,.0f}"
