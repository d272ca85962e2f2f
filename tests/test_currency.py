"""The display currency: dated, sourced reference rates in the assumption set, every amount of
a page, export and API answer converted for display, share links pinning the currency.

Rates are tests/factories.py's TEST_RATES, units per euro: USD 1.25, GBP 0.8, INR 80, BRL 5,
dated 2 January 2026. So a dollar is 1 / 1.25 = 0.8 euro, 0.8 / 1.25 = 0.64 pound, 64 rupees
and 4 reais. The scenario is tests/test_scenarios.py's: Go costs $60,219 a month (its $219 of
infrastructure and $60,000 of salaries), $722,628 over 12 months: €578,102.40, £462,481.92,
₹46,248,192 and R$2,890,512. The model computes in dollars throughout.
"""

from __future__ import annotations

import csv
import io
import json

import orjson
import pandas as pd
from django.core.cache import caches
from django.test import TestCase

from costcalc.assumptions.snapshot import snapshot
from costcalc.text import USD, Display, compact_money, money, shown_in
from tests.factories import make_set, make_set_with_rates
from tests.test_scenarios import query_string
from tests.test_views import field_error, query

RATED = "rated-set@1"
EUR = Display("EUR", 0.8, "2026-01-02", "Test reference rates")


def test_money_converts_by_hand():
    with shown_in(EUR):
        assert money(722_628) == "€578,102"
        assert money(-219) == "-€175"  # 175.2
        assert money(0.1, 4) == "€0.08"
        assert compact_money(722_628) == "€578.10K"
    with shown_in(Display("BRL", 4.0, "2026-01-02", "x")):
        assert money(722_628) == "R$2,890,512"
    with shown_in(Display("INR", 64.0, "2026-01-02", "x")):
        assert money(722_628) == "₹46,248,192"
    assert money(722_628) == "$722,628"  # outside, dollars again


def test_the_note_names_the_currency_the_rate_and_its_date():
    assert EUR.note == (
        "Figures in euros (EUR) at €0.8 per US dollar, the reference rate of 2 January 2026 "
        "(Test reference rates); computed in US dollars."
    )
    assert USD.note == ""


class CurrencyTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.plain = make_set()  # no rates: dollars only
        cls.rated = make_set_with_rates()

    def setUp(self):
        caches["ratelimit"].clear()

    def test_the_set_converts_through_the_euro_by_hand(self):
        snap = snapshot(self.rated)
        self.assertEqual(snap.currencies, ["USD", "EUR", "BRL", "GBP", "INR"])
        self.assertEqual(snap.display("EUR").per_usd, 1 / 1.25)
        self.assertEqual(snap.display("GBP").per_usd, 0.8 / 1.25)
        self.assertEqual(snap.display("INR").per_usd, 80 / 1.25)
        self.assertEqual(snap.display("BRL").per_usd, 5 / 1.25)
        self.assertEqual(snap.display("GBP").date, "2026-01-02")
        self.assertIs(snap.display("USD"), USD)
        self.assertEqual(snapshot(self.plain).currencies, ["USD"])

    def test_the_page_shows_every_amount_in_euros_with_the_rate_and_its_date(self):
        html = self.client.get(query(assumptions=RATED, currency="EUR")).content.decode()
        self.assertIn("Figures in euros (EUR) at €0.8 per US dollar, the reference rate of "
                      "2 January 2026", html)  # fmt: skip
        self.assertIn("€578,102", html)  # Go over 12 months
        self.assertNotIn("$722,628", html)
        # The monthly table: Go's month 1, €175 of infrastructure, €48,000 of salaries.
        self.assertIn("in EUR, for each option", html)
        self.assertIn("<td>€175</td><td>€48,000</td>", html)
        # The charts get euros and the euro's sign.
        specs = html.split('id="chart-specs">', 1)[1].split("</script>", 1)[0]
        costs = json.loads(specs)["costs"]
        self.assertEqual(costs["style"]["currency"], {"code": "EUR", "symbol": "€"})
        go = next(o for o in costs["options"] if o["name"] == "Go net/http")
        self.assertEqual(go["cumulative"][-1], 578_102.4)
        # The form's inputs stay in dollars: the instance type's price.
        self.assertIn("$0.10/h", html)

    def test_pounds_rupees_and_reais(self):
        for code, total in (("GBP", "£462,482"), ("INR", "₹46,248,192"), ("BRL", "R$2,890,512")):
            html = self.client.get(query(assumptions=RATED, currency=code)).content.decode()
            self.assertIn(total, html, code)

    def test_dollars_by_default(self):
        html = self.client.get(query(assumptions=RATED)).content.decode()
        self.assertIn("$722,628", html)
        self.assertNotIn("Figures in", html)

    def test_a_currency_the_set_has_no_rate_for_is_told_next_to_its_field(self):
        response = self.client.get(query(currency="EUR"))  # the plain set: no rates
        self.assertEqual(
            field_error(response.content.decode(), "currency"),
            "Choose a currency the assumption set has a rate for: USD.",
        )
        response = self.client.get(query(assumptions=RATED, currency="XYZ"))
        self.assertEqual(
            field_error(response.content.decode(), "currency"),
            "Choose a currency the assumption set has a rate for: USD, EUR, BRL, GBP, INR.",
        )

    def save(self, **changes):
        response = self.client.post(
            "/s/", {"title": "In euros", "query": query_string(assumptions=RATED, **changes)}
        )
        self.assertEqual(response.status_code, 303)
        return response["Location"].split("/")[2]

    def test_a_share_link_keeps_the_currency_and_its_dated_rate(self):
        slug = self.save(currency="EUR")
        self.assertNotEqual(slug, self.save())  # the same in dollars is another link
        self.assertEqual(slug, self.save(currency="EUR"))
        html = self.client.get(f"/s/{slug}/").content.decode()
        self.assertIn("€578,102", html)
        self.assertIn("the reference rate of 2 January 2026", html)
        self.assertIn("currency=EUR", html)  # "Open in calculator" keeps it
        report = self.client.get(f"/s/{slug}/report/").content.decode()
        self.assertIn("€578,102", report)

    def test_the_exports_convert_and_name_the_currency(self):
        slug = self.save(currency="EUR")
        rows = list(csv.reader(io.StringIO(self.client.get(f"/s/{slug}/export.csv").text)))
        self.assertIn("Total (EUR)", rows[0])
        go = next(r for r in rows[1:] if r[0] == "Go net/http")
        self.assertEqual(go[rows[0].index("Total (EUR)")], "48175.20")  # 60,219 x 0.8
        data = orjson.loads(self.client.get(f"/s/{slug}/export.json").content)
        self.assertEqual(data["scenario"]["inputs"]["currency"], "EUR")
        display = data["results"]["display"]
        self.assertEqual(
            (display["currency"], display["per_usd"], display["rate_date"]),
            ("EUR", 0.8, "2026-01-02"),
        )
        totals = {o["name"]: o["horizon_total"] for o in display["options"]}
        self.assertEqual(totals["Go net/http"], 578_102.4)
        self.assertEqual(data["results"]["currency"], "USD")  # the figures themselves
        sheets = pd.read_excel(
            io.BytesIO(self.client.get(f"/s/{slug}/export.xlsx").content), sheet_name=None
        )
        monthly = sheets["Monthly"]
        self.assertIn("Total (EUR)", monthly.columns)
        self.assertAlmostEqual(monthly["Total (EUR)"].iloc[12], 48_175.2)  # Go's month 1
        inputs = dict(zip(sheets["Inputs"]["Input"], sheets["Inputs"]["Value"], strict=True))
        self.assertEqual(inputs["Rate of"], "2026-01-02")

    def document(self, **inputs) -> dict:
        slug = self.save()
        document = orjson.loads(self.client.get(f"/s/{slug}/export.json").content)["scenario"]
        document["inputs"].update(inputs)
        return document

    def calculate(self, document):
        return self.client.post(
            "/api/v1/calculate", data=json.dumps(document), content_type="application/json"
        )

    def test_the_api_names_the_rate_and_converts_the_totals(self):
        answer = self.calculate(self.document(currency="GBP")).json()
        display = answer["display"]
        self.assertEqual(display["currency"], "GBP")
        self.assertEqual(display["per_usd"], 0.64)
        self.assertEqual(display["rate_date"], "2026-01-02")
        self.assertIn("2 January 2026", display["note"])
        go = next(o for o in display["options"] if o["name"] == "Go net/http")
        self.assertEqual(go["horizon_total"], 462_481.92)
        self.assertEqual(go["totals"]["infrastructure"], 1_681.92)  # 12 x 219 x 0.64
        # The figures stay the set's dollars, as without it.
        dollars = self.calculate(self.document()).json()
        self.assertEqual(answer["options"], dollars["options"])
        self.assertEqual(dollars["display"]["currency"], "USD")

    def test_the_api_refuses_a_currency_the_set_lacks_at_its_path(self):
        document = self.document()
        document["assumption_set"] = {"slug": "test-set"}
        document["inputs"]["currency"] = "EUR"
        response = self.calculate(document)
        self.assertEqual(response.status_code, 422)
        self.assertEqual(response.json()["errors"][0]["loc"], ["inputs", "currency"])

    def test_the_decision_panel_speaks_the_same_currency(self):
        page = query(assumptions=RATED, currency="EUR").removeprefix("/?")
        html = self.client.get(f"/insight/?{page}", headers={"HX-Request": "true"}).content
        self.assertIn("€", html.decode())
        sure = self.client.get(f"/insight/sure/?{page}", headers={"HX-Request": "true"})
        self.assertEqual(sure.status_code, 200)
        # The API's insight names the rate and converts the bands.
        document = self.document(currency="EUR")
        response = self.client.post(
            "/api/v1/insight", data=json.dumps(document), content_type="application/json"
        )
        answer = response.json()
        band = next(o for o in answer["uncertainty"]["options"] if o["name"] == "Go net/http")
        shown = next(o for o in answer["display"]["options"] if o["name"] == "Go net/http")
        self.assertAlmostEqual(shown["p50"], band["p50"] * 0.8, places=2)
        self.assertEqual(answer["display"]["rate_date"], "2026-01-02")

    def test_the_set_page_lists_every_rate_with_its_date_and_source(self):
        html = self.client.get(self.rated.get_absolute_url()).content.decode()
        section = html.split('id="exchange-rates"', 1)[1].split("</section>", 1)[0]
        self.assertIn('<tr id="rate-gbp">', section)
        self.assertIn("GBP: pound sterling", section)
        self.assertIn('<td class="num value">0.8</td>', section)
        self.assertIn("2 January 2026", section)
        self.assertIn("Test reference rates", section)
        plain = self.client.get(self.plain.get_absolute_url()).content.decode()
        self.assertIn("This set has no exchange rates", plain)

    def test_a_clone_keeps_the_rates_citing_its_own_sources(self):
        draft = self.rated.clone()
        rates = list(draft.exchange_rates.all())
        self.assertEqual([r.currency for r in rates], ["BRL", "GBP", "INR", "USD"])
        self.assertTrue(all(r.source.assumption_set_id == draft.pk for r in rates))
