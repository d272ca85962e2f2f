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
