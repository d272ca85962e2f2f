"""Every number and word format of the product, once: pages, exports, the API's words and the CLI.

Pure Python, importable from every layer (the engine included): no Django here. Each function
gives the same text for the same number wherever it is shown, so a figure in the verdict reads
exactly as it does in the table beside it.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import date

# --- Currencies --------------------------------------------------------------------------------

CURRENCY_NAMES = {
    "USD": "US dollar",
    "EUR": "euro",
    "GBP": "pound sterling",
    "INR": "Indian rupee",
    "BRL": "Brazilian real",
}
CURRENCY_PLURALS = {
    "USD": "US dollars",
    "EUR": "euros",
    "GBP": "pounds sterling",
    "INR": "Indian rupees",
    "BRL": "Brazilian reais",
}
CURRENCY_SYMBOLS = {"USD": "$", "EUR": "€", "GBP": "£", "INR": "₹", "BRL": "R$"}


@dataclass(frozen=True, slots=True)
class Display:
    """The currency money is shown in: ``per_usd`` units of it per US dollar (the sets'
    currency), from a reference rate of ``date`` (ISO) published by ``source``."""

    code: str = "USD"
    per_usd: float = 1.0
    date: str = ""
    source: str = ""

    @property
    def symbol(self) -> str:
        return CURRENCY_SYMBOLS[self.code]

    @property
    def converted(self) -> bool:
        return self.code != "USD"

    def __call__(self, usd: float) -> float:
        """An amount in US dollars in this currency."""
        return usd * self.per_usd

    @property
    def note(self) -> str:
        """ "Figures in euros (EUR) at €0.9605 per US dollar, the reference rate of 28 February
        2025 (ECB ...); computed in US dollars." """
        if not self.converted:
            return ""
        rate = f"{self.symbol}{number_text(self.per_usd, 4)}"
        return (
            f"Figures in {CURRENCY_PLURALS[self.code]} ({self.code}) at {rate} per US dollar, "
            f"the reference rate of {long_date(self.date)} ({self.source}); computed in US "
            "dollars."
        )


USD = Display()
_shown_in: ContextVar[Display] = ContextVar("shown_in", default=USD)


def display() -> Display:
    """The currency money() shows amounts in here: US dollars unless shown_in() says."""
    return _shown_in.get()


@contextmanager
def shown_in(currency: Display) -> Iterator[Display]:
    """Every money() and compact_money() inside converts US dollars to ``currency``: a page,
    export or answer is rendered in one currency, whatever code formats its amounts."""
    token = _shown_in.set(currency)
    try:
        yield currency
    finally:
        _shown_in.reset(token)


# --- Money -------------------------------------------------------------------------------------


def money(x: float, places: int = 0) -> str:
    """Whole dollars: 1234.5 -> "$1,234" (half to even), -2.6 -> "-$3".

    With ``places``, a price below a dollar keeps its digits: money(0.0416, 4) -> "$0.0416",
    money(1.5, 4) -> "$1.50" (cents always, trailing zeros past them dropped). Rounded before
    the sign is chosen, so -0.4 is "$0", never "-$0". In another display currency (shown_in)
    the amount is converted and its symbol used: "€1,157".
    """
    shown = _shown_in.get()
    symbol = "$"
    if shown is not USD:
        x, symbol = x * shown.per_usd, shown.symbol
    if places == 0:
        n = round(x)
        return f"-{symbol}{-n:,}" if n < 0 else f"{symbol}{n:,}"
    n = round(x, places) + 0.0  # + 0.0: -0.00001 is "$0.00", not "-$0.00"
    digits = f"{abs(n):,.{places}f}"
    whole, cents = digits.split(".")
    cents = cents.rstrip("0").ljust(2, "0")
    return f"{'-' if n < 0 else ''}{symbol}{whole}.{cents}"


def per_month(x: float) -> str:
    return f"{money(x)} a month"


def compact_money(x: float) -> str:
    """Money in three significant places for tight spaces: 1,234,567 -> "$1.23M"."""
    shown = _shown_in.get()
    sign = "-" if x < 0 else ""
    size_of = abs(x) * shown.per_usd
    for size, suffix in ((1e9, "B"), (1e6, "M"), (1e3, "K")):
        if size_of >= size:
            return f"{sign}{shown.symbol}{size_of / size:,.2f}{suffix}"
    return money(x)


# --- Numbers -----------------------------------------------------------------------------------


def percent(x: float, decimals: int = 0) -> str:
    """A percentage already in percent: 12.34 -> "12%" (or "12.3%" with one decimal)."""
    return f"{round(x, decimals) + 0.0:.{decimals}f}%"  # + 0.0: -0.4 reads "0%", not "-0%"


def present_value_label(rate_pct: float) -> str:
    """What a discounted figure is: 8 -> "present value at 8%/year", 3.5 -> "at 3.5%/year"."""
    return f"present value at {number_text(rate_pct, 2)}%/year"


def number_text(value: float | None, decimals: int = 4) -> str:
    """1234.5 -> "1,234.5": thousands separated, at most ``decimals`` places, no trailing zeros."""
    if value is None:
        return ""
    text = f"{value:,.{decimals}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def about(x: float) -> str:
    """A figure to three significant digits, for "about N requests per second": 17,014 -> "17,000".

    Below 100 it is a whole number: "about 42".
    """
    return f"{float(f'{x:.3g}'):,.0f}" if x >= 100 else f"{x:,.0f}"


def about_words(x: float) -> str:
    """A large count in words, to three significant digits: 83,241,000,000 -> "about 83.2
    billion", 1.2e6 -> "about 1.2 million"; below a million as about(); past a thousand
    trillion, "more than a thousand trillion"."""
    if x >= 1e15:
        return "more than a thousand trillion"
    for size, word in ((1e12, "trillion"), (1e9, "billion"), (1e6, "million")):
        if x >= size:
            return f"about {float(f'{x / size:.3g}'):g} {word}"
    return f"about {about(x)}"


def share_text(p: float) -> str:
    """A probability in words for a sentence: never "100%" or "0%" unless it is exactly so."""
    if p >= 1:
        return "all"
    if p <= 0:
        return "none"
    pct = min(max(round(p * 100), 1), 99)
    return f"{pct}%"


# --- Units -------------------------------------------------------------------------------------

# Every unit a figure or a working step is given in, as the sentence or cell that shows it: a
# format string, or a function where the words depend on the number (money's sign, "1 instance").
UNIT_FORMATS = {
    "USD": money,
    "USD/month": lambda x: f"{money(x)} per month",
    "USD/year": lambda x: f"{money(x)} a year",
    # Four places: an hour of a small instance costs cents ($0.0416), which whole dollars
    # showed as "$0".
    "USD/h": lambda x: f"{money(x, 4)} an hour",
    "vCPU-s": "{:.6f} vCPU-seconds",
    "vCPU": "{:,.1f} vCPU",
    "instances": lambda x: plural(round(x), "instance"),
    "req/s": "{:,.0f} requests/s",
    "ms": "{:,.2f} ms",
    "KB": "{:,.1f} KB",
    "MB": "{:,.1f} MB",
    "GB": "{:,.0f} GB",
    "weeks": "{:,.1f} weeks",
    "days": "{:,.0f} days",
    "%": "{:,.1f}%",
    "x": "{:,.2f}×",
    "engineers": lambda x: plural(x, "engineer"),
}


def value_text(value: float, unit: str) -> str:
    """A figure with its unit: (60, "MB") -> "60.0 MB"; a bare fraction as a percentage."""
    shown = UNIT_FORMATS.get(unit)
    if shown is not None:
        return shown(value) if callable(shown) else shown.format(value)
    if unit == "" and 0 < value <= 1 and value != int(value):
        return f"{value:.0%}"
    return f"{value:,.4g}"


# --- Words -------------------------------------------------------------------------------------

LANGUAGE_NAMES = {
    "go": "Go",
    "python": "Python",
    "javascript": "JavaScript",
    "typescript": "TypeScript",
}


def language_name(language: str) -> str:
    """A language's slug as people write it: "javascript" -> "JavaScript"."""
    return LANGUAGE_NAMES.get(language, language.capitalize())


def and_list(words: Iterable[str]) -> str:
    """["Go", "Python", "JavaScript"] -> "Go, Python and JavaScript"."""
    words = list(words)
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def plural(n: float, word: str) -> str:
    """(1, "month") -> "1 month", (24, "month") -> "24 months", (1500, "instance") ->
    "1,500 instances", (2.5, "engineer") -> "2.5 engineers"."""
    return f"{number_text(n)} {word}" + ("" if n == 1 else "s")


def month_text(month: int | None) -> str:
    """A break-even month: 5 -> "month 5", None -> "not within the horizon"."""
    return f"month {month}" if month else "not within the horizon"


def long_date(iso: str) -> str:
    """An ISO date as the pages write it: "2026-12-01" is "1 December 2026" (as Django's
    date filter with "j F Y", without a template filter's cost on the calculator's hot path)."""
    day = date.fromisoformat(iso)
    return f"{day.day} {calendar.month_name[day.month]} {day.year}"
