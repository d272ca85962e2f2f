"""Present value: the optional annual discount rate (docs/model.md section 12) in the engine,
on the page and share links, in the API's document and results, and in `tco`.

Hand figures use tests/test_scenarios.py's scenario (12 flat months: FastAPI $60,730 a month,
Go $60,219, FastAPI the baseline). At 8 % a year month m's costs count (1.08)^(-(m - 1)/12):
over 12 months the factors add up to (1 - 1.08^-1) / (1 - 1.08^(-1/12)) = 11.586868..., so
Go's present total is 60,219 x 11.586868 = $697,753.45 and FastAPI's $703,674.38.
"""

from __future__ import annotations

import io
import json
import math
import os
import tempfile
from dataclasses import fields, replace

import numpy as np
import orjson
import pandas as pd
from django.core.cache import caches
from django.core.management import call_command
from hypothesis import assume, given
from hypothesis import strategies as st

from costcalc.engine import compute, kernel
from costcalc.engine import insight as ei
from costcalc.scenarios.models import Scenario
from tests.test_engine_properties import SETTINGS, assumption_sets, option_lists, scenarios
from tests.test_exports import ExportCase
from tests.test_scenarios import query_string
from tests.test_views import field_error, query

FACTOR_SUM = (1 - 1 / 1.08) / (1 - 1.08 ** (-1 / 12))  # the 12 factors' geometric series
GO_PV, FASTAPI_PV = 697_753.45, 703_674.38


def test_the_factors_by_hand():
    factors = kernel.discount_factors(8.0, 3)
    assert factors[0] == 1.0  # month 1 is paid today
    assert math.isclose(factors[1], 0.993607101988294, rel_tol=1e-12)
    assert math.isclose(factors[2], 0.9872550731215761, rel_tol=1e-12)
    # $10,000 a month for 3 months: docs/model.md's worked example.
    assert round(float((10_000 * factors).sum()), 2) == 29_808.62
    assert math.isclose(kernel.discount_factors(8.0, 12).sum(), FACTOR_SUM, rel_tol=1e-12)
    assert kernel.discount_factors(0.0, 24).tolist() == [1.0] * 24


def test_the_hand_figures():
    assert round(60_219 * FACTOR_SUM, 2) == GO_PV
    assert round(60_730 * FACTOR_SUM, 2) == FASTAPI_PV


@SETTINGS
@given(a=assumption_sets(), inputs=scenarios(), options=option_lists(), rate=st.floats(0.1, 100))
def test_a_positive_rate_lowers_every_total_with_costs_after_month_1(a, inputs, options, rate):
    nominal = compute(inputs, options, a)
    discounted = compute(replace(inputs, discount_rate_pct=rate), options, a)
    for before, after in zip(nominal.options, discounted.options, strict=True):
        later = before.total[1:]
        if later.size and (later > 0).any():
            assert after.present_total < before.horizon_total
        else:
            assert after.present_total == before.horizon_total
        # Month 1 is today's money; no month counts more than it did.
        assert after.present_cumulative[0] == before.cumulative[0]
        assert (after.present_cumulative <= before.cumulative + 1e-6).all()


@SETTINGS
@given(a=assumption_sets(), inputs=scenarios(), options=option_lists(), rate=st.floats(0, 100))
def test_the_rate_changes_no_nominal_figure_and_0_discounts_nothing(a, inputs, options, rate):
    nominal = compute(inputs, options, a)
    discounted = compute(replace(inputs, discount_rate_pct=rate), options, a)
    assert inputs.discount_rate_pct == 0  # the strategy's scenarios leave it at its default
    for before, after in zip(nominal.options, discounted.options, strict=True):
        for f in fields(before):
            if f.name.startswith("present") or f.name in ("option", "services", "steps"):
                continue
            value, again = getattr(before, f.name), getattr(after, f.name)
            if isinstance(value, np.ndarray):
                assert np.array_equal(value, again), f.name
            elif isinstance(value, dict):
                assert {k: np.asarray(v).tolist() for k, v in value.items()} == {
                    k: np.asarray(v).tolist() for k, v in again.items()
                }, f.name
            else:
                assert value == again, f.name
        # At 0% the present values are the nominal ones, to the bit.
        assert before.present_total == before.horizon_total
        assert np.array_equal(before.present_cumulative, before.cumulative)
        assert before.present_saving == before.saving_vs_baseline
        assert before.present_break_even_month == before.break_even_month


@SETTINGS
@given(a=assumption_sets(), inputs=scenarios(), options=option_lists(), rates=st.lists(
    st.floats(0, 100), min_size=2, max_size=2, unique=True))  # fmt: skip
def test_a_higher_rate_never_raises_a_present_total(a, inputs, options, rates):
    low, high = sorted(rates)
    assume(high > low)
    at_low = compute(replace(inputs, discount_rate_pct=low), options, a)
    at_high = compute(replace(inputs, discount_rate_pct=high), options, a)
    for x, y in zip(at_low.options, at_high.options, strict=True):
        assert y.present_total <= x.present_total * (1 + 1e-12)


@SETTINGS
@given(a=assumption_sets(), inputs=scenarios(), options=option_lists(), rate=st.floats(0.1, 100))
def test_the_rate_leaves_the_monte_carlo_seed_alone(a, inputs, options, rate):
    assert ei.scenario_seed(replace(inputs, discount_rate_pct=rate), options, a) == (
        ei.scenario_seed(inputs, options, a)
    )


class PresentValueViews(ExportCase):
    def test_the_page_shows_the_present_values_labelled(self):
        html = self.client.get(query(discount_rate_pct="8")).content.decode()
        self.assertIn("as present value at 8%/year", html)
        table = html.split('class="scroll present-value"', 1)[1].split("</table>", 1)[0]
        self.assertIn('<th scope="row">Go net/http</th><td>$697,753</td><td>$5,921</td>'
                      "<td>month 1</td>", table)  # fmt: skip
        self.assertIn('<th scope="row">FastAPI</th><td>$703,674</td><td>baseline</td>', table)
        # The cards stay nominal: Go's 12 x $60,219.
        self.assertIn("$722,628", html)

    def test_without_a_rate_there_is_no_present_value(self):
        for page in (query(), query(discount_rate_pct="0")):
            self.assertNotIn("present value at", self.client.get(page).content.decode())

    def test_a_bad_rate_is_told_next_to_its_field(self):
        for value, message in (
            ("-1", "Discount rate must be at least 0% a year."),
            ("101", "Discount rate must be at most 100% a year."),
            ("x", "Discount rate must be a number."),
        ):
            response = self.client.get(query(discount_rate_pct=value))
            self.assertEqual(response.status_code, 200)
            self.assertEqual(field_error(response.content.decode(), "discount_rate_pct"), message)

    def save(self, **changes) -> Scenario:
        return self.saved(query=query_string(**changes))

    def test_a_share_link_keeps_the_rate(self):
        nominal, discounted = self.save(), self.save(discount_rate_pct="8")
        self.assertNotEqual(nominal.slug, discounted.slug)  # another scenario, another link
        self.assertEqual(self.save(discount_rate_pct="8.0").slug, discounted.slug)
        html = self.client.get(discounted.get_absolute_url()).content.decode()
        self.assertIn("as present value at 8%/year", html)
        self.assertIn("$697,753", html)
        self.assertIn("discount_rate_pct=8", discounted.calculator_url())
        # Its stored figures are the nominal ones, as every link's.
        self.assertEqual(discounted.figures, nominal.figures)

    def test_a_link_saved_before_the_rate_keeps_its_figures(self):
        old = self.save()
        stored = dict(old.query)
        del stored["discount_rate_pct"]
        Scenario.objects.filter(pk=old.pk).update(query=stored)
        caches["default"].clear()
        html = self.client.get(old.get_absolute_url()).content.decode()
        self.assertNotIn("present value at", html)
        self.assertIn("$722,628", html)

    def document(self, **inputs) -> dict:
        saved = self.save()
        data = orjson.loads(self.client.get(f"/s/{saved.slug}/export.json").content)
        document = data["scenario"]
        document["inputs"].update(inputs)
        return document

    def calculate(self, document: dict):
        return self.client.post(
            "/api/v1/calculate", data=json.dumps(document), content_type="application/json"
        )

    def test_the_api_gives_them(self):
        document = self.document(discount_rate_pct=8)
        answer = self.calculate(document).json()
        pv = answer["present_value"]
        self.assertEqual((pv["rate_pct"], pv["label"]), (8, "present value at 8%/year"))
        by_name = {o["name"]: o for o in pv["options"]}
        self.assertEqual(by_name["Go net/http"]["horizon_total"], GO_PV)
        self.assertEqual(by_name["FastAPI"]["horizon_total"], FASTAPI_PV)
        self.assertEqual(by_name["Go net/http"]["saving_vs_baseline"], 5_920.92)
        self.assertEqual(by_name["Go net/http"]["break_even_month"], 1)
        self.assertIsNone(by_name["FastAPI"]["break_even_month"])
        self.assertEqual(answer["scenario"]["inputs"]["discount_rate_pct"], 8)
        # Nominal figures as without it.
        nominal = self.calculate(self.document()).json()
        self.assertIsNone(nominal["present_value"])
        self.assertEqual(nominal["options"], answer["options"])

    def test_the_api_refuses_a_bad_rate_at_its_path(self):
        response = self.calculate(self.document(discount_rate_pct=-1))
        self.assertEqual(response.status_code, 422)
        errors = response.json()["errors"]
        self.assertEqual(errors[0]["loc"], ["inputs", "discount_rate_pct"])

    def test_tco_gives_them(self):
        path = self.tmp_document(self.document())
        out = io.StringIO()
        call_command("tco", path, "--discount-rate", "8", stdout=out)
        table = out.getvalue()
        self.assertIn("Total, present value at 8%/year", table)
        self.assertIn("$697,753", table)
        self.assertIn("Break-even, present value at 8%/year", table)
        out = io.StringIO()
        call_command("tco", path, "--discount-rate", "8", "--format", "json", stdout=out)
        pv = json.loads(out.getvalue())["present_value"]
        self.assertEqual(pv["options"][1]["horizon_total"], GO_PV)
        out = io.StringIO()
        call_command("tco", path, stdout=out)
        self.assertNotIn("present value", out.getvalue())

    def tmp_document(self, document: dict) -> str:
        with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as handle:
            json.dump(document, handle)
        self.addCleanup(os.unlink, handle.name)
        return handle.name

    def test_the_spreadsheet_has_them(self):
        discounted = self.save(discount_rate_pct="8")
        content = self.client.get(f"/s/{discounted.slug}/export.xlsx").content
        sheets = pd.read_excel(io.BytesIO(content), sheet_name=None)
        pv = sheets["Present value"].set_index("Option")
        self.assertEqual(pv.loc["Go net/http", "Total, present value at 8%/year (USD)"], GO_PV)
        self.assertEqual(pv.loc["Go net/http", "Break-even month"], 1)
        nominal = self.client.get(f"/s/{self.save().slug}/export.xlsx").content
        self.assertNotIn("Present value", pd.read_excel(io.BytesIO(nominal), sheet_name=None))
