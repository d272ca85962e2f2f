"""A small, complete assumption set built in the database for tests.

Its numbers are round on purpose so that expected costs can be worked out by hand; they are
test data, not assumptions anyone should use.
"""

import datetime
import time
from html.parser import HTMLParser

from costcalc.assumptions import models

STACKS = {
    # slug: (name, language, rps_per_vcpu, cpu_multiplier, weeks_to_first_api)
    "go": ("Go net/http", "go", 4000.0, 1.0, 4.0),
    "fastapi": ("FastAPI", "python", 1000.0, 4.0, 2.0),
    "express": ("Express 5", "javascript", 2000.0, 3.0, 2.0),
}

# The monthly table's columns, in the order every export writes them.
MONTHLY_COLUMNS = [
    "option",
    "month",
    "peak_rps",
    "infrastructure",
    "engineering",
    "people",
    "delay",
    "total",
    "cumulative",
]


def sourced(source, **figures) -> dict:
    """Model fields for figures that all cite ``source``: {name: value, name_source: source}."""
    cited = [name for name in figures if not name.endswith(("_low", "_high"))]
    return {**figures, **{f"{name}_source": source for name in cited}}


# The source every figure of make_set() cites.
TEST_SOURCE = dict(
    key="test",
    title="Test figures",
    url="https://example.com/t",
    publisher="costcalc tests",
    date=datetime.date(2026, 1, 1),
)


def make_source(aset, **fields) -> models.Source:
    """A source of ``aset``: TEST_SOURCE, but for the ``fields`` given."""
    return models.Source.objects.create(assumption_set=aset, **{**TEST_SOURCE, **fields})


def make_set(slug="test-set", name="Test set", version=1, published=True) -> models.AssumptionSet:
    aset = models.AssumptionSet.objects.create(
        slug=slug,
        name=name,
        version=version,
        as_of=datetime.date(2026, 1, 1),
        summary="Round numbers for tests.",
    )
    src = make_source(aset)

    for slug_, (stack_name, language, rps, mult, weeks) in STACKS.items():
        models.Stack.objects.create(
            assumption_set=aset,
            slug=slug_,
            name=stack_name,
            language=language,
            **sourced(
                src,
                rps_per_vcpu=rps,
                rps_per_vcpu_low=rps / 2,
                rps_per_vcpu_high=rps * 2,
                cpu_multiplier=mult,
                memory_per_process_mb=100.0,
                memory_per_inflight_kb=64.0,
                workers_per_vcpu=0.0 if language == "go" else 1.0,
                weeks_to_first_api=weeks,
            ),
        )
    for market_slug, market_name, salary in (
        ("us", "United States", 120_000.0),
        ("eu-east", "Eastern Europe", 48_000.0),
    ):
        market = models.Market.objects.create(
            assumption_set=aset, slug=market_slug, name=market_name
        )
        for language in ("go", "python", "javascript"):
            models.MarketRate.objects.create(
                market=market,
                language=language,
                **sourced(
                    src,
                    annual_salary=salary,
                    loaded_multiplier=1.5,
                    recruiting_fee_pct=20.0,
                    time_to_fill_days=365 / 12,
                    ramp_up_weeks=52 / 12,
                ),
            )
    for inst_slug, inst_name, vcpu, gb, price in (
        ("box-4", "Test box 4", 4.0, 8.0, 0.1),
        ("box-2", "Test box 2", 2.0, 4.0, 0.05),
    ):
        models.InstanceType.objects.create(
            assumption_set=aset,
            slug=inst_slug,
            name=inst_name,
            provider="Test",
            region="test-1",
            vcpu=vcpu,
            memory_gb=gb,
            **sourced(src, price_per_hour=price),
        )
    if published:
        aset.publish()
    return aset


def fresh_window(seconds: float = 20.0, window: int = 60) -> None:
    """Wait, when need be, until a rate-limit window has ``seconds`` left.

    The limits count in windows aligned to the clock's minutes (costcalc.ratelimit.hit), so a
    test that counts up to a limit and crosses a boundary starts again from zero and sees no
    429: under CI's load eleven admin logins took long enough to do that. At most ``seconds``
    of waiting.
    """
    left = window - time.time() % window
    if left < seconds:
        time.sleep(left + 0.05)


class FormReader(HTMLParser):
    """The name/value pairs a browser submits for the admin's change form, Save pressed."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.pairs: list[tuple[str, str]] = []
        self.in_form = False
        self.select: dict | None = None
        self.option: dict | None = None
        self.textarea: dict | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and a.get("id", "").endswith("_form"):
            self.in_form = True
        if not self.in_form or "disabled" in a:
            return
        if tag == "input":
            kind = a.get("type", "text")
            name = a.get("name")
            if not name or kind in ("button", "file", "image", "reset"):
                return
            if kind == "submit":
                if name == "_save":
                    self.pairs.append((name, a.get("value", "")))
            elif kind in ("checkbox", "radio"):
                if "checked" in a:
                    self.pairs.append((name, a.get("value", "on")))
            else:
                self.pairs.append((name, a.get("value", "")))
        elif tag == "select" and a.get("name"):
            self.select = {"name": a["name"], "options": [], "multiple": "multiple" in a}
        elif tag == "option" and self.select is not None:
            self.option = {"value": a.get("value"), "selected": "selected" in a, "text": ""}
            self.select["options"].append(self.option)
        elif tag == "textarea" and a.get("name"):
            self.textarea = {"name": a["name"], "text": ""}

    def handle_data(self, data):
        if self.option is not None:
            self.option["text"] += data
        if self.textarea is not None:
            self.textarea["text"] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.in_form = False
        elif tag == "option":
            self.option = None
        elif tag == "textarea" and self.textarea is not None:
            # A browser drops the one newline that may follow <textarea>.
            text = self.textarea["text"].removeprefix("\n")
            self.pairs.append((self.textarea["name"], text))
            self.textarea = None
        elif tag == "select" and self.select is not None:
            options = self.select["options"]
            chosen = [o for o in options if o["selected"]]
            if not chosen and options and not self.select["multiple"]:
                chosen = options[:1]
            for option in chosen:
                value = option["value"] if option["value"] is not None else option["text"]
                self.pairs.append((self.select["name"], value))
            self.select = None


def posted(content: str) -> dict[str, list[str]]:
    """What a browser posts from an admin change page's HTML, Save pressed: {name: values}."""
    reader = FormReader()
    reader.feed(content)
    data: dict[str, list[str]] = {}
    for name, value in reader.pairs:
        data.setdefault(name, []).append(value)
    return data
