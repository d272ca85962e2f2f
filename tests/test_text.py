"""costcalc/text.py: every format, by hand-worked cases and the laws that tie them together."""

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from costcalc import text

amounts = st.floats(min_value=-1e15, max_value=1e15, allow_nan=False)


def test_money_rounds_half_to_even_and_never_prints_minus_zero():
    assert text.money(1234.5) == "$1,234"
    assert text.money(1235.5) == "$1,236"
    assert text.money(-0.4) == "$0"
    assert text.money(-2.6) == "-$3"
    assert text.per_month(60_219) == "$60,219 a month"


@given(amounts)
def test_money_is_the_rounded_amount_with_its_sign(x):
    shown = text.money(x)
    n = round(x)
    assert shown.startswith("-$") == (n < 0)
    assert int(shown.replace("-", "").replace("$", "").replace(",", "")) == abs(n)


def test_money_with_places_keeps_a_price_below_a_dollar():
    # An hour of a small instance: whole dollars showed every price in the workings as "$0".
    assert text.money(0.0416, 4) == "$0.0416"
    assert text.money(0.192, 4) == "$0.192"
    assert text.money(1.5, 4) == "$1.50"  # cents always
    assert text.money(1234.56789, 4) == "$1,234.5679"
    assert text.money(-0.00001, 4) == "$0.00"  # no "-$0.00"
    assert text.money(-2.25, 4) == "-$2.25"


@given(st.floats(min_value=-1e9, max_value=1e9, allow_nan=False))
def test_money_with_places_is_the_amount_to_the_place_with_its_sign(x):
    shown = text.money(x, 4)
    n = round(x, 4) + 0.0
    assert shown.startswith("-$") == (n < 0)
    assert float(shown.replace("-", "").replace("$", "").replace(",", "")) == abs(n)
    assert len(shown.split(".")[1]) >= 2  # cents always


def test_compact_money():
    assert text.compact_money(1_234_567) == "$1.23M"
    assert text.compact_money(-2_500) == "-$2.50K"
    assert text.compact_money(3e9) == "$3.00B"
    assert text.compact_money(999.4) == "$999"
    assert text.compact_money(-0.4) == "$0"  # as money(): no "-$0"


def test_percent_and_numbers():
    assert text.percent(12.34) == "12%"
    assert text.percent(12.34, 1) == "12.3%"
    assert text.percent(-0.4) == "0%"
    assert text.number_text(1234.5) == "1,234.5"
    assert text.number_text(2.50, 2) == "2.5"
    assert text.number_text(-0.00001) == "0"
    assert text.number_text(None) == ""


@pytest.mark.parametrize(
    "value, expected", [(17_014.3, "17,000"), (123.4, "123"), (42.4, "42"), (999.6, "1,000")]
)
def test_about_keeps_three_significant_digits(value, expected):
    assert text.about(value) == expected


@pytest.mark.parametrize(
    "value, expected",
    [
        (83_886_080_000, "about 83.9 billion"),
        (40_960_000, "about 41 million"),
        (1.5e12, "about 1.5 trillion"),
        (17_014, "about 17,000"),
        (5.8e21, "more than a thousand trillion"),
    ],
)
def test_about_words_names_large_counts(value, expected):
    assert text.about_words(value) == expected


@pytest.mark.parametrize(
    "share, expected", [(1, "all"), (0, "none"), (0.0004, "1%"), (0.9996, "99%"), (0.5, "50%")]
)
def test_share_text_never_rounds_to_all_or_none(share, expected):
    assert text.share_text(share) == expected


def test_units():
    assert text.value_text(60, "MB") == "60.0 MB"
    assert text.value_text(0.0415, "USD/h") == "$0.0415 an hour"
    assert text.value_text(0.1785, "USD/h") == "$0.1785 an hour"
    assert text.value_text(-2.6, "USD") == "-$3"  # as money(), not "$-3"
    assert text.value_text(126_582.4, "USD/year") == "$126,582 a year"
    assert text.value_text(1, "instances") == "1 instance"
    assert text.value_text(1500, "instances") == "1,500 instances"
    assert text.value_text(1, "engineers") == "1 engineer"
    assert text.value_text(2.5, "engineers") == "2.5 engineers"
    assert text.value_text(4.472, "x") == "4.47×"
    assert text.value_text(0.2, "") == "20%"  # a bare share
    assert text.value_text(3, "") == "3"
    assert text.value_text(12.5, "no such unit") == "12.5"


def test_words():
    assert text.language_name("javascript") == "JavaScript"
    assert text.language_name("rust") == "Rust"  # a language an admin added
    assert text.and_list(["Go"]) == "Go"
    assert text.and_list(["Go", "Python", "JavaScript"]) == "Go, Python and JavaScript"
    assert text.plural(1, "month") == "1 month"
    assert text.plural(24, "month") == "24 months"
    assert text.plural(1_500_000, "instance") == "1,500,000 instances"  # not "1.5e+06"


def test_long_date_writes_a_date_as_the_pages_and_djangos_date_filter_do():
    from django.utils.dateformat import format as django_format

    for iso in ("2026-12-01", "2025-02-28", "2024-02-29", "2026-07-31"):
        assert text.long_date(iso) == django_format(date.fromisoformat(iso), "j F Y")
    assert text.long_date("2026-12-01") == "1 December 2026"
