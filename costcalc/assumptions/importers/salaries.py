"""Median pay by language per market from a salary survey in the Stack Overflow results layout.

The Stack Overflow Developer Survey's public results (``survey_results_public.csv``) have one row
per respondent. The columns read: ``Country``; ``DevType`` (the role, e.g. "Developer,
back-end"); ``Employment`` (a semicolon list, e.g. "Employed, full-time;Independent contractor,
freelancer, or self-employed"); ``LanguageHaveWorkedWith`` (a semicolon list: "Go;JavaScript;
Python"); ``ConvertedCompYearly`` (yearly pay in USD, "NA" when not given).

A respondent counts when their DevType names back-end work, they are employed full time
("Employed, full-time", or "Employed full-time" in older years) and they gave their pay. Each
cell (a market and a language) is every such respondent in the market's countries who has
worked with the language; its base is their median pay and its range the quartiles (linear
interpolation between respondents, pandas' default). A respondent who lists three languages
counts in three cells. A cell with fewer than ``min_n`` respondents is not a figure.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from costcalc import text

from . import Figure, numbers, read_table, require_columns

COLUMNS = ("Country", "DevType", "Employment", "LanguageHaveWorkedWith", "ConvertedCompYearly")

# The countries behind each shipped market, as the survey spells them; they are the countries
# the markets' notes name (the shipped sets' salary sources cover them).
DEFAULT_MARKETS: dict[str, tuple[str, ...]] = {
    "us": ("United States of America",),
    "western-europe": (
        "United Kingdom of Great Britain and Northern Ireland",
        "Germany",
        "France",
        "Netherlands",
    ),
    "eastern-europe": ("Ukraine", "Poland"),
    "india": ("India",),
    "latin-america": ("Brazil", "Mexico"),
}


@dataclass(frozen=True)
class Cell:
    market: str
    language: str
    n: int
    q1: float
    median: float
    q3: float

    @property
    def figure(self) -> Figure:
        return Figure(round(self.median), round(self.q1), round(self.q3))

    def describe(self) -> str:
        if not self.n:
            return f"{self.market}, {text.language_name(self.language)}: n=0"
        return (
            f"{self.market}, {text.language_name(self.language)}: n={self.n}, "
            f"median {text.money(self.median)} (quartiles {text.money(self.q1)}"
            f"-{text.money(self.q3)})"
        )


@dataclass
class Survey:
    respondents: int  # rows in the file
    counted: int  # back-end, full time, pay given, in a mapped country
    cells: list[Cell] = field(default_factory=list)  # n >= min_n
    skipped: list[Cell] = field(default_factory=list)  # n < min_n


def parse_markets(entries: list[str]) -> dict[str, tuple[str, ...]]:
    """``["us=United States of America", "dach=Germany;Austria"]`` -> {market: countries}.

    Countries are separated by ";" (survey country names contain commas)."""
    out = {}
    for entry in entries:
        market, sep, countries = entry.partition("=")
        names = tuple(c.strip() for c in countries.split(";") if c.strip())
        if not sep or not market.strip() or not names:
            raise ValueError(f"--market takes market=Country;Country, not {entry!r}")
        out[market.strip()] = names
    return out


def read(
    path: str | Path,
    *,
    markets: dict[str, tuple[str, ...]],
    languages: list[str],
    min_n: int = 30,
) -> Survey:
    """The cells for ``markets`` ({slug: countries}) and ``languages`` (slugs: "python")."""
    header = read_table(path, nrows=0).columns.tolist()
    require_columns(path, header, COLUMNS)
    frame = read_table(path, usecols=list(COLUMNS))
    pay = numbers(path, frame, "ConvertedCompYearly", 2, blank_ok=True)
    country_market = {c: m for m, countries in markets.items() for c in countries}
    counted = (
        frame["DevType"].str.contains("back-end", case=False, regex=False)
        & frame["Employment"].str.contains(r"employed,? full-time", case=False, regex=True)
        & pay.notna()
        & frame["Country"].str.strip().isin(country_market)
    )
    people = frame[counted].assign(
        pay=pay[counted], market=frame["Country"].str.strip().map(country_market)
    )
    # One row per respondent and language they worked with.
    worked = people.assign(language=people["LanguageHaveWorkedWith"].str.split(";")).explode(
        "language"
    )
    worked["language"] = worked["language"].str.strip()
    survey = Survey(respondents=len(frame), counted=len(people))
    for market in markets:
        for language in languages:
            names = {language.lower(), text.language_name(language).lower()}
            values = worked.loc[
                (worked["market"] == market) & worked["language"].str.lower().isin(names), "pay"
            ]
            n = len(values)
            q1, median, q3 = (float(values.quantile(q)) if n else 0.0 for q in (0.25, 0.5, 0.75))
            cell = Cell(market, language, n, q1, median, q3)
            (survey.cells if n >= min_n else survey.skipped).append(cell)
    return survey
