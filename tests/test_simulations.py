"""The Monte Carlo remembered per set (assumptions/snapshot.simulated): the same figures as a
fresh run, shared by the verdict line and the decision panel, bounded, and never kept for a
draft."""

from html import escape

import numpy as np
from django.http import QueryDict
from django.test import TestCase

from costcalc.assumptions.selectors import set_choices
from costcalc.assumptions.snapshot import SIMULATIONS_PER_SET, Recent, derived, simulated, snapshot
from costcalc.calculator.forms import CalculatorForm
from costcalc.engine import insight as ei
from tests.factories import make_set
from tests.test_views import HTMX


def test_recent_keeps_the_last_values_used():
    recent = Recent(2)
    built = []

    def build(value):
        built.append(value)
        return value

    for key in ["a", "b", "a", "c", "a", "b"]:
        assert recent.get(key, lambda key=key: build(key)) == key
    # "b" was the least recently used when "c" came, and was built again when asked for.
    assert built == ["a", "b", "c", "b"]
    assert len(recent) == 2


class SimulatedTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.aset = make_set()

    def scenario(self, q: str = ""):
        snap = snapshot(self.aset)
        form = CalculatorForm.from_query(
            QueryDict(q), snapshot=snap, set_choices=set_choices([self.aset])
        )
        self.assertTrue(form.is_valid(), form.errors)
        return form.inputs(), form.options(), snap

    def test_a_scenario_is_simulated_once_with_the_figures_of_a_fresh_run(self):
        inputs, options, snap = self.scenario("peak_rps=50000")
        first = simulated(inputs, options, snap)
        self.assertIs(simulated(inputs, options, snap), first)
        fresh = ei.monte_carlo(inputs, options, snap)
        self.assertEqual(first.seed, fresh.seed)
        np.testing.assert_array_equal(first.totals, fresh.totals)
        for kept, new in zip(first.bands, fresh.bands, strict=True):
            np.testing.assert_array_equal(kept.p50, new.p50)
        # What is kept is the result's own arrays, not views holding every draw of every month.
        self.assertIsNone(first.totals.base)
        other = simulated(*self.scenario("peak_rps=60000"))
        self.assertIsNot(other, first)

    def test_only_the_scenarios_seen_last_are_kept(self):
        inputs, options, snap = self.scenario("peak_rps=1000")
        first = simulated(inputs, options, snap)
        for rps in range(2000, 2000 + SIMULATIONS_PER_SET * 10, 10):
            simulated(*self.scenario(f"peak_rps={rps}"))
        recent = derived(snap, "simulations", lambda: None)
        self.assertEqual(len(recent), SIMULATIONS_PER_SET)
        self.assertIsNot(simulated(inputs, options, snap), first)

    def test_a_drafts_simulation_is_not_kept(self):
        draft = make_set(slug="draft-set", published=False)
        snap = snapshot(draft)
        form = CalculatorForm.from_query(
            QueryDict(""), snapshot=snap, set_choices=set_choices([draft])
        )
        self.assertTrue(form.is_valid(), form.errors)
        inputs, options = form.inputs(), form.options()
        self.assertIsNot(simulated(inputs, options, snap), simulated(inputs, options, snap))

    def test_the_verdict_line_and_the_decision_panel_share_one_simulation(self):
        q = "peak_rps=70000"
        sure = self.client.get(f"/insight/sure/?{q}", headers=HTMX)
        inputs, options, snap = self.scenario(q)
        recent = derived(snap, "simulations", lambda: None)
        self.assertEqual(len(recent), 1)
        panel = self.client.get(f"/insight/?{q}", headers={**HTMX, "HX-Target": "insight"})
        self.assertEqual(len(recent), 1)
        # Both say what a fresh run says.
        result = ei.compute(inputs, options, snap, explain=False)
        said = ei.sureness(inputs, options, snap, result)
        self.assertIn(escape(said.text), sure.content.decode())
        fresh = ei.analyse(inputs, options, snap)
        for sentence in fresh.verdict:
            self.assertContains(panel, escape(sentence))
