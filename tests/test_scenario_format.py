"""The scenario's two encodings, the API's document and the calculator page's query, translate
into each other without changing the scenario: the same engine inputs, options and migration,
the same results, whichever way round (costcalc/scenarios/format/query.py).
"""

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from costcalc.assumptions.selectors import published_sets
from costcalc.scenarios.compute import Computation, canonical, compute, figures_of
from costcalc.scenarios.format import (
    FORM,
    MIGRATION_FORM,
    ScenarioError,
    ScenarioInputs,
    form_query,
    page_document,
    parse,
    resolve,
    results_json,
)
from costcalc.scenarios.format.fields import INPUTS, number_text
from costcalc.scenarios.models import querydict
from tests.factories import STACKS, make_set

PAGE_ORDER = sorted(STACKS, key=lambda slug: STACKS[slug][0])  # the page lists stacks by name
LANGUAGES = ("go", "python", "javascript")
ROUND_TRIPS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def bounded(name, lo=None, hi=None, form=FORM):
    """Values of the form field ``name`` within its bounds (narrowed to ``lo``..``hi``)."""
    field = form[name]
    lo = field.min_value if lo is None else max(lo, field.min_value)
    hi = field.max_value if hi is None else min(hi, field.max_value)
    if name in ("horizon_months", "team_size", "min_replicas"):
        return st.integers(lo, hi)
    whole = st.integers(int(lo), int(hi)).map(float)
    return st.one_of(whole, st.floats(lo, hi, allow_nan=False, allow_infinity=False))


inputs = st.fixed_dictionaries(
    {},
    optional={
        "peak_rps": bounded("peak_rps", hi=200_000),
        "avg_to_peak_pct": bounded("avg_to_peak_pct"),
        "growth_pct": bounded("growth_pct", hi=10),
        "horizon_months": bounded("horizon_months"),
        "app_cpu_ms": bounded("app_cpu_ms", hi=200),
        "io_wait_ms": bounded("io_wait_ms", hi=2000),
        "team_size": bounded("team_size", lo=1, hi=40),
        "policy": st.sampled_from([value for value, _ in FORM["policy"].choices]),
        "discount_pct": bounded("discount_pct"),
        "utilisation_pct": bounded("utilisation_pct"),
        "min_replicas": bounded("min_replicas", hi=20),
        "autoscaling": st.booleans(),
        "cost_of_delay": bounded("cost_of_delay", hi=100_000),
        "knows": st.dictionaries(st.sampled_from(LANGUAGES), st.integers(0, 1), max_size=3),
    },
)


@st.composite
def hybrids(draw):
    stacks = draw(st.lists(st.sampled_from(PAGE_ORDER), min_size=2, max_size=3, unique=True))
    cuts = sorted(
        draw(
            st.lists(
                st.integers(1, 99), min_size=len(stacks) - 1, max_size=len(stacks) - 1, unique=True
            )
        )
    )
    shares = [b - a for a, b in zip([0, *cuts], [*cuts, 100], strict=True)]
    services = []
    for stack, share in zip(stacks, shares, strict=True):
        service = {"stack": stack, "share": share}
        if draw(st.booleans()):
            service["app_cpu_ms"] = draw(bounded("app_cpu_ms", hi=200))
            if draw(st.booleans()):
                service["io_wait_ms"] = draw(bounded("io_wait_ms", hi=2000))
        services.append(service)
    return {"services": services}


@st.composite
def documents(draw):
    """Documents the page can show: single stacks in its order, then at most one hybrid."""
    singles = draw(st.lists(st.sampled_from(PAGE_ORDER), unique=True))
    options = [{"stack": s} for s in sorted(singles, key=PAGE_ORDER.index)]
    if draw(st.booleans()) or not options:
        options.append(draw(hybrids()))
    document = {"assumption_set": {"slug": "test-set"}, "inputs": draw(inputs), "options": options}
    if len(options) > 1 and draw(st.booleans()):
        current, target = draw(st.permutations(range(len(options))))[:2]
        document["migration"] = {
            "from": current,
            "to": target,
            **{
                name: draw(bounded(form_name, hi=60, form=MIGRATION_FORM))
                for name, form_name in (
                    ("effort_weeks", "rewrite_effort_weeks"),
                    ("rewrite_months", "rewrite_months"),
                    ("overlap_months", "overlap_months"),
                )
            },
        }
    team = document["inputs"].get("team_size", FORM["team_size"].initial)
    knows = document["inputs"].get("knows")
    if knows:
        document["inputs"]["knows"] = {k: min(v, team) for k, v in knows.items()}
    return document


@st.composite
def queries(draw):
    """Page queries as a person or a link writes them: any subset of stacks, in any order."""
    query = {"assumptions": ["test-set@1"]}
    for name, value in draw(inputs).items():
        if name == "knows":
            query.update({f"knows_{k}": [str(v)] for k, v in value.items()})
        elif name == "autoscaling":
            query[name] = ["on" if value else "off"]
        else:
            query[name] = [value if isinstance(value, str) else number_text(value)]
    query["stacks"] = draw(st.lists(st.sampled_from(PAGE_ORDER), unique=True))
    mix = draw(st.none() | hybrids())
    query["mix"] = [
        ""
        if mix is None
        else ", ".join(
            ":".join(
                number_text(x)
                for x in (s["share"], s.get("app_cpu_ms"), s.get("io_wait_ms"))
                if x is not None
            ).join([f"{s['stack']}:", ""])
            for s in mix["services"]
        )
    ]
    return query


def options_of(options) -> list:
    """The engine's options, a service unlabelled as labelled by its stack (the page leaves a
    single stack's label empty, the document labels it; the engine and results read both so)."""
    return [
        (
            o.name,
            [
                (s.stack, s.share, s.app_cpu_ms, s.io_wait_ms, s.label or s.stack)
                for s in o.services
            ],
        )
        for o in options
    ]


def without_scenario(results: dict) -> dict:
    return {key: value for key, value in results.items() if key != "scenario"}


class RoundTripTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.aset = make_set()

    def page(self, query, migration=None) -> Computation:
        return compute(querydict(query), self.aset, choices=published_sets(), migration=migration)

    def test_the_table_has_every_input(self):
        self.assertEqual([f.name for f in INPUTS], list(ScenarioInputs.model_fields))

    @ROUND_TRIPS
    @given(data=documents())
    def test_document_to_query_to_document(self, data):
        doc = parse(data)
        resolved = resolve(doc)
        try:
            result = resolved.compute()
        except Exception:  # the engine refuses some extremes: nothing to round-trip
            assume(False)
        try:
            query = form_query(doc, resolved)
        except ScenarioError:  # e.g. a hybrid too long for the page's field: not one to show
            assume(False)
        page = self.page(query, resolved.migration)
        self.assertTrue(page.ok, page.problems())
        migration = page.migration.migration if page.migration else None
        again = resolve(page_document(page.form, page.aset, doc.description, migration))
        self.assertEqual(again.inputs, resolved.inputs)
        self.assertEqual(options_of(again.options), options_of(resolved.options))
        self.assertEqual(again.migration, resolved.migration)
        self.assertEqual(
            without_scenario(results_json(again, again.compute())),
            without_scenario(results_json(resolved, result)),
        )
        self.assertEqual(form_query(again.scenario, again), query)

    @ROUND_TRIPS
    @given(query=queries())
    def test_query_to_document_to_query(self, query):
        page = self.page(query)
        assume(page.ok)
        doc = page_document(page.form, page.aset)
        resolved = resolve(doc)
        self.assertEqual(resolved.inputs, page.form.inputs())
        self.assertEqual(options_of(resolved.options), options_of(page.form.options()))
        again = self.page(form_query(doc, resolved))
        self.assertTrue(again.ok, again.problems())
        self.assertEqual(again.form.inputs(), page.form.inputs())
        self.assertEqual(again.form.options(), page.form.options())
        self.assertEqual(canonical(figures_of(again.result)), canonical(figures_of(page.result)))
        self.assertEqual(
            without_scenario(results_json(resolved, resolved.compute())),
            without_scenario(
                results_json(resolve(page_document(again.form, again.aset)), again.result)
            ),
        )
