"""Fuzz every entry point through the test client: no input, however odd, is a server error.

The normal suite runs a few hundred examples per entry point; `make fuzz` runs 10,000
(FUZZ_EXAMPLES).
"""

import os
from urllib.parse import urlencode

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from tests.factories import make_set
from tests.test_views import FULL, HTMX

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "150"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)

FIELDS = list(FULL) + ["knows_rust", "unknown"]
odd_text = st.one_of(
    st.text(max_size=30),
    st.sampled_from(
        [
            "NaN",
            "inf",
            "-inf",
            "1e309",
            "-1e309",
            "0",
            "-0",
            "1e-320",
            "",
            " ",
            "10000000",
            "10000001",
            "9" * 400,
            "go:50,fastapi:50",
            "go:100",
            "test-set@1",
            "test-set",
            "@",
            "<script>alert(1)</script>",
            "\x00",
        ]
    ),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
)


class CalculatorFuzzTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        make_set()

    @FUZZ
    @given(st.dictionaries(st.sampled_from(FIELDS), odd_text, max_size=12), st.booleans())
    def test_no_input_causes_a_server_error(self, changes, htmx):
        data = {**FULL, **changes}
        response = self.client.get("/?" + urlencode(data, doseq=True), headers=HTMX if htmx else {})
        self.assertEqual(response.status_code, 200)
        html = response.content.decode()
        self.assertNotIn("<script>alert(1)</script>", html)

    @FUZZ
    @given(
        st.sampled_from(["/workings/", "/monthly/", "/insight/"]),
        st.dictionaries(st.sampled_from([*FIELDS, "option"]), odd_text, max_size=12),
        st.booleans(),
    )
    def test_no_input_to_the_parts_fetched_later_causes_a_server_error(self, path, changes, htmx):
        data = {**FULL, "option": "1", **changes}
        response = self.client.get(
            path + "?" + urlencode(data, doseq=True), headers=HTMX if htmx else {}
        )
        # 302: a person following a part's address is sent to the calculator page;
        # 404: an option that does not exist.
        self.assertIn(response.status_code, (200, 302, 404))
        self.assertNotIn("<script>alert(1)</script>", response.content.decode())


share_fields = st.fixed_dictionaries(
    {},
    optional={
        "title": odd_text,
        "description": odd_text,
        "query": st.one_of(
            odd_text,
            st.dictionaries(st.sampled_from(FIELDS), odd_text, max_size=8).map(
                lambda d: urlencode({**FULL, **d}, doseq=True)
            ),
        ),
        "migration_from": odd_text,
        "migration_to": odd_text,
        "rewrite_effort_weeks": odd_text,
        "rewrite_months": odd_text,
        "overlap_months": odd_text,
    },
)


class ShareFuzzTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        make_set()

    @FUZZ
    @given(share_fields, st.booleans())
    def test_no_share_post_causes_a_server_error(self, data, htmx):
        from django.core.cache import caches

        # The rate limit would otherwise answer every example after the tenth.
        caches["ratelimit"].clear()
        response = self.client.post("/s/", data, headers=HTMX if htmx else {})
        self.assertIn(response.status_code, (200, 201, 303, 400, 429))


json_values = st.recursive(
    st.none() | st.booleans() | st.floats(allow_nan=False) | st.integers() | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4)
    ),
    max_leaves=12,
)
scenario_like = st.fixed_dictionaries(
    {
        "options": st.lists(
            st.one_of(
                st.fixed_dictionaries(
                    {"stack": st.sampled_from(["go", "fastapi", "express", "x"])}
                ),
                json_values,
            ),
            max_size=3,
        )
    },
    optional={
        "inputs": st.dictionaries(
            st.sampled_from(
                [
                    "peak_rps",
                    "growth_pct",
                    "team_size",
                    "horizon_months",
                    "market",
                    "knows",
                    "autoscaling",
                    "min_replicas",
                    "instance",
                ]
            ),
            json_values,
            max_size=5,
        ),
        "assumption_set": json_values,
    },
)


class ApiFuzzTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        make_set(slug="independent-2026")

    @FUZZ
    @given(st.one_of(json_values, scenario_like))
    def test_no_scenario_causes_a_server_error(self, body):
        import json

        response = self.client.post(
            "/api/v1/calculate", json.dumps(body), content_type="application/json"
        )
        self.assertIn(response.status_code, (200, 400, 404, 422))

    @FUZZ
    @given(st.binary(max_size=200))
    def test_no_byte_string_causes_a_server_error(self, body):
        response = self.client.post("/api/v1/calculate", body, content_type="application/json")
        self.assertIn(response.status_code, (200, 400, 404, 422))
