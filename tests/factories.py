"""A small, complete assumption set built in the database for tests, and the sample files the
importers read, each small but in its real layout.

Its numbers are round on purpose so that expected costs can be worked out by hand; they are
test data, not assumptions anyone should use.
"""

import csv
import datetime
import io
import json
import re
import time
from html import unescape
from html.parser import HTMLParser
from urllib.parse import urlencode

from costcalc.assumptions import models

STACKS = {
    # slug: (name, language, rps_per_vcpu, cpu_multiplier, weeks_to_first_api)
    "go": ("Go net/http", "go", 4000.0, 1.0, 4.0),
    "fastapi": ("FastAPI", "python", 1000.0, 4.0, 2.0),
    "express": ("Express 5", "javascript", 2000.0, 3.0, 2.0),
}

# The monthly table's columns, in the order every export writes them (without platform lines:
# with them, "platform" follows "infrastructure").
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


# Round platform prices for tests: {slug: (kind, unit, value)} (the engine's slugs, plus one
# managed database instance type, "db-box").
TEST_PLATFORM = {
    "db-box": ("database", "USD per hour", 0.5),
    "db-storage-gb-month": ("storage", "USD per GB-month", 0.1),
    "cache-gb-hour": ("cache", "USD per GB-hour", 0.1),
    "cache-minimum-gb": ("cache", "GB", 0.5),
    "cache-ecpu-million": ("cache", "USD per million ECPU", 2.0),
    "lb-hour": ("load-balancer", "USD per hour", 0.02),
    "lb-lcu-hour": ("load-balancer", "USD per LCU-hour", 0.01),
    "egress-free-gb": ("egress", "GB per month", 100.0),
    "egress-tier-1": ("egress", "USD per GB", 0.1),
    "egress-tier-2": ("egress", "USD per GB", 0.08),
    "egress-tier-3": ("egress", "USD per GB", 0.06),
    "egress-tier-4": ("egress", "USD per GB", 0.04),
    "obs-host-month": ("observability", "USD per host-month", 20.0),
    "obs-apm-host-month": ("observability", "USD per host-month", 30.0),
    "obs-log-ingest-gb": ("observability", "USD per GB", 0.5),
    "obs-log-storage-gb-month": ("observability", "USD per GB-month", 0.05),
}


def add_platform_prices(aset, prices=TEST_PLATFORM) -> None:
    """The platform prices ``prices`` in the draft ``aset``, citing a source of their own."""
    source = make_source(aset, key="platform", title="Test platform prices")
    for slug, (kind, unit, value) in prices.items():
        models.PlatformPrice.objects.create(
            assumption_set=aset,
            slug=slug,
            name=f"Test {slug}",
            kind=kind,
            unit=unit,
            provider="Test",
            **sourced(source, value=value),
        )


def make_set(
    slug="test-set", name="Test set", version=1, published=True, platform=False
) -> models.AssumptionSet:
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
    if platform:
        add_platform_prices(aset)
    if published:
        aset.publish()
    return aset


# Round test rates, units per euro: a dollar is 0.8 euro, 0.64 pound, 64 rupees and 4 reais.
TEST_RATES = {"USD": 1.25, "GBP": 0.8, "INR": 80.0, "BRL": 5.0}


def make_set_with_rates(slug="rated-set", name="Rated set", **kwargs) -> models.AssumptionSet:
    """make_set() with TEST_RATES as its reference exchange rates, dated 2026-01-02."""
    aset = make_set(slug=slug, name=name, published=False, **kwargs)
    source = make_source(aset, key="rates", title="Test reference rates")
    for currency, per_euro in TEST_RATES.items():
        models.ExchangeRate.objects.create(
            assumption_set=aset,
            currency=currency,
            per_euro=per_euro,
            date=datetime.date(2026, 1, 2),
            source=source,
        )
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


# --- Sample files for the importers (tests/test_importers.py, tests/test_admin_imports.py) ------
# Every expected figure is worked out by hand in the tests that read them.

UUID = "91a66052-9d86-446c-b31a-eadbd669ed08"
T0 = 1738195200  # 2025-01-30 00:00:00 UTC, in seconds (each level's times are seconds)


def level(requests, seconds=15, errors=None, start=T0):
    entry = {"latencyAvg": "1.2ms", "totalRequests": requests, "startTime": start}
    entry["endTime"] = start + seconds
    if errors is not None:
        entry["5xx"] = errors
    return entry


def results(uuid=UUID, **overrides):
    """A run's results.json as the toolset writes it (top-level times in milliseconds)."""
    data = {
        "uuid": uuid,
        "name": "Continuous Benchmarking Run 2025-01-30 00:00:00",
        "environmentDescription": "Citrine",
        "startTime": T0 * 1000,
        "completionTime": (T0 + 86400) * 1000,
        "concurrencyLevels": [16, 32, 64],
        "duration": 15,
        "frameworks": ["go", "go-pgx-prefork", "fastapi", "express", "fasthttp"],
        "rawData": {
            "json": {
                # go: 150,000/15 = 10,000; (300,000 - 30,000)/15 = 18,000; 330,000/15 = 22,000
                "go": [level(150_000), level(300_000, errors=30_000), level(330_000)],
                "go-pgx-prefork": [level(450_000)],  # 30,000
                # fastapi: 6,000, 8,000 (its best), 7,000
                "fastapi": [level(90_000), level(120_000), level(105_000)],
                "fastapi-uvicorn": [level(150_000)],  # 10,000
                "fastapi-uvicorn-orjson": [level(60_000)],  # 4,000
                "express": [level(60_000)],  # 4,000
                "fasthttp": [level(1_500_000)],  # 100,000, mapped to no stack by default
            },
            "plaintext": {},
        },
        "succeeded": {"json": ["go"]},
        "failed": {"json": []},
    }
    data.update(overrides)
    return data


def write_json(tmp_path, data, name="results.json"):
    path = tmp_path / name
    path.write_text(json.dumps(data) if not isinstance(data, str) else data)
    return path


AWS_HEADER = [
    "SKU", "OfferTermCode", "RateCode", "TermType", "PriceDescription", "EffectiveDate",
    "StartingRange", "EndingRange", "Unit", "PricePerUnit", "Currency", "Product Family",
    "serviceCode", "Location", "Location Type", "Instance Type", "Current Generation",
    "Instance Family", "vCPU", "Memory", "Tenancy", "Operating System", "License Model",
    "CapacityStatus", "Pre Installed S/W", "operation", "Region Code", "Marketoption",
]  # fmt: skip


def aws_row(instance="c7i.xlarge", price="0.1785000000", **over):
    row = {
        "SKU": f"SKU-{instance}",
        "TermType": "OnDemand",
        "PriceDescription": f"$0.1785 per On Demand Linux {instance} Instance Hour",
        "Unit": "Hrs",
        "PricePerUnit": price,
        "Currency": "USD",
        "Product Family": "Compute Instance",
        "serviceCode": "AmazonEC2",
        "Location": "US East (N. Virginia)",
        "Location Type": "AWS Region",
        "Instance Type": instance,
        "vCPU": "4",
        "Memory": "8 GiB",
        "Tenancy": "Shared",
        "Operating System": "Linux",
        "License Model": "No License required",
        "CapacityStatus": "Used",
        "Pre Installed S/W": "NA",
        "operation": "RunInstances",
        "Region Code": "us-east-1",
        "Marketoption": "OnDemand",
        **over,
    }
    return [row.get(column, "") for column in AWS_HEADER]


def aws_file(tmp_path, rows, header=AWS_HEADER, name="index.csv"):
    """AWS's offer file: five metadata lines, the header (line 6), then the rows (line 7 on)."""
    out = io.StringIO()
    writer = csv.writer(out, quoting=csv.QUOTE_ALL, lineterminator="\n")
    writer.writerow(["FormatVersion", "v1.0"])
    writer.writerow(["Disclaimer", "This pricing list is for informational purposes only."])
    writer.writerow(["Publication Date", "2026-11-20T18:13:31Z"])
    writer.writerow(["Version", "20261120181331"])
    writer.writerow(["OfferCode", "AmazonEC2"])
    writer.writerow(header)
    writer.writerows(rows)
    path = tmp_path / name
    path.write_text(out.getvalue())
    return path


AWS_ROWS = [
    aws_row(),  # line 7: the one c7i.xlarge row that counts; each below differs in one filter
    aws_row(price="0.1100000000", TermType="Reserved"),
    aws_row(price="0.3625000000", **{"Operating System": "Windows",
                                     "operation": "RunInstances:0002"}),
    aws_row(price="0.1960000000", Tenancy="Dedicated"),
    aws_row(price="0.2785000000", **{"Pre Installed S/W": "SQL Web"}),
    aws_row(price="0.1500000000", CapacityStatus="UnusedCapacityReservation"),
    aws_row(price="0.1900000000", **{"Region Code": "us-west-2", "Location": "US West (Oregon)"}),
    aws_row(price="0.0900000000", Marketoption="CapacityBlock"),
    aws_row("m7i.xlarge", "0.2016000000", Memory="16 GiB"),  # line 15
]  # fmt: skip


def write_text(tmp_path, name, content):
    path = tmp_path / name
    path.write_text(content)
    return path


SURVEY_COLUMNS = [
    "ResponseId", "MainBranch", "Employment", "Country", "DevType", "LanguageHaveWorkedWith",
    "CompTotal", "ConvertedCompYearly",
]  # fmt: skip
BACKEND, FULL_TIME = "Developer, back-end", "Employed, full-time"
US = "United States of America"
SURVEY = [
    # Employment, Country, DevType, LanguageHaveWorkedWith, ConvertedCompYearly
    (FULL_TIME, US, BACKEND, "Go;Python", "100000"),
    (FULL_TIME, US, BACKEND, "Python", "120000"),
    (FULL_TIME, US, BACKEND, "Python;JavaScript", "140000"),
    (FULL_TIME, US, BACKEND, "Bash/Shell (all shells);Go", "160000"),
    (f"{FULL_TIME};Independent contractor, freelancer, or self-employed", US, BACKEND, "Go",
     "200000"),
    (FULL_TIME, US, "Developer, full-stack", "Python", "999999"),  # not back-end
    ("Employed, part-time", US, BACKEND, "Python", "888888"),  # not full time
    (FULL_TIME, US, BACKEND, "Python", "NA"),  # no pay given
    (FULL_TIME, "Germany", BACKEND, "Python", "777777"),  # no market of the set
    (FULL_TIME, "Poland", BACKEND, "Python;Go", "50000"),
    (FULL_TIME, "Ukraine", BACKEND, "Python", "40000"),
    (FULL_TIME, "Poland", BACKEND, "Python", "60000"),
]  # fmt: skip


def survey_file(tmp_path, rows=SURVEY, columns=SURVEY_COLUMNS, name="survey.csv"):
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    for i, (employment, country, devtype, languages, pay) in enumerate(rows, start=1):
        row = {
            "ResponseId": str(i),
            "MainBranch": "I am a developer by profession",
            "Employment": employment,
            "Country": country,
            "DevType": devtype,
            "LanguageHaveWorkedWith": languages,
            "CompTotal": pay,
            "ConvertedCompYearly": pay,
        }
        writer.writerow([row[c] for c in columns])
    path = tmp_path / name
    path.write_text(out.getvalue())
    return path


def figures(aset, model=models.Stack, name="rps_per_vcpu"):
    """{slug or market/language: (base, low, high, source key)} of one figure of a set."""
    rows = model.objects.filter(**{model.set_path: aset}).select_related(f"{name}_source")
    out = {}
    for row in rows:
        key = f"{row.market.slug}/{row.language}" if model is models.MarketRate else row.slug
        out[key] = (
            getattr(row, name),
            getattr(row, f"{name}_low", None),
            getattr(row, f"{name}_high", None),
            getattr(row, f"{name}_source").key,
        )
    return out


def state(aset):
    """Everything an import may change in a set, to check that a failed one changed nothing."""
    return (
        figures(aset),
        figures(aset, models.InstanceType, "price_per_hour"),
        figures(aset, models.MarketRate, "annual_salary"),
        sorted(aset.sources.values_list("key", "title", "note")),
    )


# --- The calculator page's recalculation, as a test reads it ---------------------------------

RECALC_HEADERS = {"HX-Request": "true", "HX-Target": "results", "HX-Trigger": "calc-form"}


def recalc_page(client, base: dict, **query) -> str:
    """The results fragment of a live recalculation of ``base`` changed by ``query``, as text."""
    response = client.get(f"/?{urlencode({**base, **query}, doseq=True)}", headers=RECALC_HEADERS)
    assert response.status_code == 200
    return unescape(response.content.decode())


def field_errors(html: str) -> dict[str, str]:
    """Each field's error message beside it on the page: {field name: message}."""
    found = re.findall(r'<p class="field-error" id="err-([a-z_]+)"[^>]*>(.*?)</p>', html, re.S)
    return {name: unescape(text).strip() for name, text in found}
