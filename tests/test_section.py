"""The results section built as strings (costcalc/calculator/section.py) holds to its partials.

The ``results``, ``sure`` and ``monthly-table`` partials of templates/calculator/_fragments.html
are the reference: on generated text, figures and states the builder gives their HTML exactly,
byte for byte, and on real forms with errors as well.
"""

from django.http import QueryDict
from django.template.loader import get_template
from django.test import TestCase
from django.utils.safestring import mark_safe
from hypothesis import given, settings
from hypothesis import strategies as st

from costcalc.assumptions.selectors import set_choices
from costcalc.assumptions.snapshot import snapshot
from costcalc.calculator import section
from costcalc.calculator.forms import CalculatorForm
from costcalc.engine.insight import Sureness
from tests.factories import make_set
from tests.test_fragments import text


def reference(name: str, context: dict) -> str:
    return get_template(f"calculator/_fragments.html#{name}").render(context)


safe = text.map(mark_safe)
sureness = st.none() | st.builds(Sureness, tied=st.booleans(), text=text)
results = st.fixed_dictionaries(
    {
        "set_line": safe,
        "horizon": st.integers(1, 120),
        "final_peak": text,
        "currency_note": text,
        "currency": text,
        "present_value": st.none()
        | st.fixed_dictionaries(
            {
                "label": text,
                "baseline": text,
                "rows": st.lists(
                    st.fixed_dictionaries(
                        {
                            "name": text,
                            "total": text,
                            "saving": st.none() | text,
                            "break_even": st.none() | text,
                        }
                    ),
                    max_size=3,
                ),
            }
        ),
        "notes": st.lists(text, max_size=3),
        "lead": text,
        "sure": sureness,
        "sure_pending": st.booleans(),
        "sure_url": text,
        "insight_url": text,
        "compared": st.booleans(),
        "differences": st.booleans(),
        "same_lines": text,
        "cards": safe,
        "chart_totals": st.none()
        | st.fixed_dictionaries(
            {
                "columns": st.lists(text, max_size=4),
                "baseline": text,
                "rows": st.lists(
                    st.fixed_dictionaries(
                        {
                            "name": text,
                            "categories": st.lists(text, max_size=4),
                            "total": text,
                            "saving": text,
                        }
                    ),
                    max_size=3,
                ),
            }
        ),
        "charts_json": safe,
        "monthly_url": text,
        "table": st.none() | st.fixed_dictionaries({"head": safe, "body": safe, "currency": text}),
    }
)


class Slots:
    """A form without errors, as the section reads one: its out-of-band message slots."""

    errors: dict = {}

    def __init__(self, slots: str):
        self.slots = mark_safe(slots)

    def error_slots(self) -> str:
        return self.slots


@settings(max_examples=150, deadline=None)
@given(
    st.none() | results,
    text,
    text,
    st.booleans(),
    st.booleans(),
    st.booleans(),
    st.none() | text,
    text,
    st.booleans(),
)
def test_the_section_built_as_strings_matches_its_partial(
    generated, query, toggle, scenario, table_open, oob, model_error, slots, shareable
):
    form = Slots(slots)
    built = section.results_section(
        results=generated,
        form=form,
        model_error=model_error,
        query=query,
        view_toggle=toggle,
        scenario=scenario,
        table_open=table_open,
        oob=oob,
        shareable=shareable,
    )
    context = {
        "results": generated,
        "form": form,
        "model_error": model_error,
        "query": query,
        "view_toggle": toggle,
        "scenario": scenario,
        "table_open": table_open,
        "oob": oob,
        "shareable": shareable,
    }
    assert built == reference("results", context)


@settings(max_examples=80, deadline=None)
@given(sureness, st.booleans(), text, text, text, st.booleans(), st.integers(0, 120))
def test_how_sure_built_as_strings_matches_its_partial(
    sure, pending, sure_url, insight_url, query, oob, horizon
):
    built = section.sure_span(
        sure,
        pending=pending,
        sure_url=sure_url,
        insight_url=insight_url,
        query=query,
        oob=oob,
        horizon=horizon,
    )
    context = {
        "sure": sure,
        "pending": pending,
        "results": {"sure_url": sure_url, "insight_url": insight_url},
        "query": query,
        "oob": oob,
        "horizon": horizon,
    }
    assert built == reference("sure", context)


@settings(max_examples=40, deadline=None)
@given(safe, safe, text)
def test_the_monthly_table_built_as_strings_matches_its_partial(head, body, currency):
    table = {"head": head, "body": body, "currency": currency}
    assert section.monthly_table(table) == reference("monthly-table", {"table": table})


class SectionWithErrorsTests(TestCase):
    """Real forms: their messages in the section's alert and, out of band, in their slots."""

    @classmethod
    def setUpTestData(cls):
        cls.aset = make_set()

    def form(self, query: str) -> CalculatorForm:
        form = CalculatorForm.from_query(
            QueryDict(query), snapshot=snapshot(self.aset), set_choices=set_choices([self.aset])
        )
        form.is_valid()
        return form

    def test_field_errors_and_a_model_error_render_as_the_partial_does(self):
        for data, model_error in [
            ("peak_rps=abc&team_size=2.5", None),
            ("", "Peak traffic above what the model bounds."),
        ]:
            form = self.form(data)
            for oob in (False, True):
                with self.subTest(data=data, oob=oob):
                    built = section.results_section(
                        results=None, form=form, model_error=model_error, query="a=1", oob=oob
                    )
                    context = {
                        "results": None,
                        "form": form,
                        "model_error": model_error,
                        "query": "a=1",
                        "oob": oob,
                        "shareable": True,
                    }
                    self.assertEqual(built, reference("results", context))
                    if data:
                        self.assertIn("Some inputs need fixing", built)
                    slot = 'id="err-peak_rps" hx-swap-oob="true"'
                    self.assertEqual(slot in built, bool(data) and oob)
