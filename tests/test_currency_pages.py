"""The display currency on the pages beyond the calculator's results: the decision panel and
its charts, a link's migration preview, recompute and compare, the CSV's rate; the admin's
exchange rates.

Figures as in tests/test_currency.py: euros at 0.8 per US dollar (1 / 1.25), rate of 2
January 2026; Go costs $722,628 over 12 months (€578,102.40), FastAPI $728,760 (€583,008).
The migration is tests/test_scenarios.py's: FastAPI to Go, staying $728,760 and migrating
$724,939 (€579,951.20), $303,406 by month 5 (€242,724.80).
"""

from __future__ import annotations

import csv
import io
import re
from urllib.parse import urlencode

from django.contrib.auth.models import User
from django.test import TestCase
from django.urls import reverse

from costcalc.assumptions.models import ExchangeRate
from tests.factories import make_set_with_rates
from tests.test_admin import form_data, inline_prefix
from tests.test_currency import RATED
from tests.test_insight_views import specs as insight_specs
from tests.test_scenarios import query_string
from tests.test_views import chart_specs, query

NOTE = "Figures in euros (EUR) at €0.8 per US dollar, the reference rate of 2 January 2026"
GO = "Go net/http"
MIGRATION = {  # tests/test_scenarios.py's: break-even in month 5
    "migration_from": "FastAPI",
    "migration_to": GO,
    "rewrite_effort_weeks": "0.52",
    "rewrite_months": "1",
    "overlap_months": "0",
}


def notes(html: str) -> list[str]:
    return re.findall(r'<p class="note currency-note" role="note">(.*?)</p>', html, re.S)


class CurrencyPagesTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.rated = make_set_with_rates()

    def save(self, migration: dict | None = None, **changes) -> str:
        query = query_string(assumptions=RATED, **changes)
        response = self.client.post(
            "/s/", {"title": "In euros", "query": query, **(migration or {})}
        )
        self.assertEqual(response.status_code, 303)
        return response["Location"].split("/")[2]

    def test_the_decision_panel_and_its_charts_are_in_euros_with_the_rate(self):
        page = query(assumptions=RATED, currency="EUR").removeprefix("/?")
        html = self.client.get(f"/insight/?{page}").content.decode()
        self.assertTrue(any(n.startswith(NOTE) for n in notes(html)), notes(html))
        charts = insight_specs(html)
        go = next(t for t in charts["bands"]["data"] if t["name"] == GO)
        self.assertEqual(go["y"][-1], 578_102)  # 722,628 x 0.8, in whole euros as hovers show
        self.assertTrue(go["hovertemplate"].startswith("€%{y:,.0f}"))
        for name in ("traffic", "bands"):
            axis = charts[name]["layout"]["yaxis"]
            self.assertEqual((axis["title"]["text"], axis["tickprefix"]), ("EUR", "€"))
        self.assertIn("€578,102", html)  # the band table's likely total

    def test_the_migration_preview_is_in_euros_with_the_rate(self):
        slug = self.save(currency="EUR")
        html = self.client.get(f"/s/{slug}/migration/?" + urlencode(MIGRATION)).content.decode()
        self.assertIn("Migration (a preview: not saved)", html)
        self.assertIn("staying costs €583,008 and migrating €579,951", html)
        self.assertIn("migrating saves €3,057", html)  # 3,821 x 0.8 = 3,056.8
        self.assertTrue(any(n.startswith(NOTE) for n in notes(html)))
        chart = chart_specs(html)["migration"]
        self.assertAlmostEqual(chart["data"][1]["y"][4], 242_724.8, places=2)
        self.assertEqual(chart["layout"]["yaxis"]["title"]["text"], "EUR")
        self.assertNotIn("$728,760", html)

    def test_recompute_shows_both_versions_in_the_pinned_currency(self):
        slug = self.save(currency="EUR")
        html = self.client.get(f"/s/{slug}/recompute/").content.decode()
        self.assertIn("Total over the horizon by option, in EUR", html)
        self.assertIn("€578,102", html)
        self.assertNotIn("$722,628", html)
        self.assertTrue(any(n.startswith(NOTE) for n in notes(html)))

    def test_compare_shows_the_currency_the_links_were_saved_in(self):
        one, two = self.save(currency="EUR"), self.save(currency="EUR", cost_of_delay=1000)
        html = self.client.get(f"/compare/?s={one}&s={two}").content.decode()
        self.assertIn("Total over 12 months, in EUR", html)
        self.assertIn("€578,102", html)
        self.assertNotIn("$722,628", html)
        self.assertTrue(any(n.startswith(NOTE) for n in notes(html)))
        self.assertEqual(chart_specs(html)["compare"]["layout"]["yaxis"]["tickprefix"], "€")
        # Saved in two currencies: dollars, and the page says why.
        dollars = self.save()
        mixed = self.client.get(f"/compare/?s={one}&s={dollars}").content.decode()
        self.assertIn("$722,628", mixed)
        self.assertIn("saved with different display currencies", mixed)

    def test_the_csv_names_the_currency_and_the_rates_date_on_every_row(self):
        slug = self.save(currency="EUR")
        rows = list(csv.reader(io.StringIO(self.client.get(f"/s/{slug}/export.csv").text)))
        head = rows[0]
        self.assertEqual(head[-3:], ["Currency", "EUR per US dollar", "Rate date"])
        go = next(r for r in rows[1:] if r[0] == GO)
        self.assertEqual(go[-3:], ["EUR", "0.8", "2026-01-02"])
        self.assertEqual(go[head.index("Total (EUR)")], "48175.20")
        dollars = self.save()
        head = next(csv.reader(io.StringIO(self.client.get(f"/s/{dollars}/export.csv").text)))
        self.assertNotIn("Rate date", head)  # US dollars: no rate to name

    def test_the_apis_saved_scenario_converts_its_migration(self):
        slug = self.save(MIGRATION, currency="GBP")  # 0.64 pound a dollar
        data = self.client.get(f"/api/v1/scenarios/{slug}").json()
        display = data["results"]["display"]
        self.assertEqual((display["currency"], display["rate_date"]), ("GBP", "2026-01-02"))
        self.assertEqual(
            display["migration"],
            {
                "rewrite_cost": round(data["migration"]["rewrite_cost"] * 0.64, 2),
                "staying_total": 466_406.4,  # 728,760 x 0.64
                "migrating_total": 463_960.96,  # 724,939 x 0.64
                "saving": 2_445.44,  # 3,821 x 0.64
            },
        )
        self.assertEqual(data["migration"]["staying_total"], 728_760)  # still dollars

    def test_the_api_lists_a_sets_rates_with_their_date_and_source(self):
        data = self.client.get("/api/v1/assumption-sets/rated-set").json()
        self.assertEqual(
            data["exchange_rates"][1],
            {"currency": "GBP", "per_euro": 0.8, "date": "2026-01-02", "source": "rates"},
        )
        self.assertEqual([r["currency"] for r in data["exchange_rates"]],
                         ["BRL", "GBP", "INR", "USD"])  # fmt: skip


# The admin's exchange rates ----------------------------------------------------------------


class ExchangeRateAdminTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.user = User.objects.create_superuser("analyst", "a@example.com", "pw")
        cls.published = make_set_with_rates()
        cls.draft = cls.published.clone()

    def setUp(self):
        self.client.force_login(self.user)

    def page(self, aset):
        return self.client.get(reverse("admin:assumptions_assumptionset_change", args=[aset.pk]))

    def test_a_drafts_rates_are_edited_inline_and_checked_beside_each_field(self):
        page = self.page(self.draft)
        data = form_data(page)
        prefix = inline_prefix(page, ExchangeRate)
        gbp = next(i for i in range(5) if data.get(f"{prefix}-{i}-currency") == "GBP")
        data[f"{prefix}-{gbp}-per_euro"] = "-0.8"
        data[f"{prefix}-{gbp}-date"] = ""
        data[f"{prefix}-{gbp}-source"] = ""
        url = reverse("admin:assumptions_assumptionset_change", args=[self.draft.pk])

        refused = self.client.post(url, data)

        self.assertEqual(refused.status_code, 200)
        inlines = refused.context["inline_admin_formsets"]
        formset = next(i.formset for i in inlines if i.formset.prefix == prefix)
        self.assertEqual(
            formset.forms[gbp].errors,
            {
                "per_euro": ["A rate is a positive number of units per euro."],
                "date": ["Give the day the reference rate is for."],
                "source": ["Choose the source that publishes this rate."],
            },
        )
        self.assertIn("A rate is a positive number of units per euro.", refused.content.decode())
        data[f"{prefix}-{gbp}-per_euro"] = "0.85"
        data[f"{prefix}-{gbp}-date"] = "2026-02-03"
        data[f"{prefix}-{gbp}-source"] = str(self.draft.sources.get(key="rates").pk)

        self.assertEqual(self.client.post(url, data).status_code, 302)
        rate = self.draft.exchange_rates.get(currency="GBP")
        self.assertEqual((rate.per_euro, rate.date.isoformat()), (0.85, "2026-02-03"))
        self.assertEqual(self.published.exchange_rates.get(currency="GBP").per_euro, 0.8)

    def test_a_published_sets_rates_are_shown_but_not_editable(self):
        page = self.page(self.published)
        inline = next(
            i for i in page.context["inline_admin_formsets"] if i.formset.model is ExchangeRate
        )
        self.assertFalse(inline.has_change_permission or inline.has_add_permission)
        self.assertFalse(inline.has_delete_permission)
        html = page.content.decode()
        self.assertNotIn(f'name="{inline.formset.prefix}-0-per_euro"', html)
        self.assertIn("1 EUR = 0.8 GBP (2026-01-02)", html)  # listed all the same
