"""The importers: a TechEmpower results.json, an AWS EC2 price list (or an instance table) and a
Stack Overflow-layout salary survey, each written into a draft set in one transaction.

Each sample file (built in tests/factories.py) is small but in the real layout; every expected
figure is worked out by hand in the comment beside it.
"""

import csv
import datetime
import io
import os
import subprocess
import sys

import pytest
from django.core.management import CommandError, call_command

from costcalc import engine
from costcalc.assumptions import models
from costcalc.assumptions.importers import BadFile, ImportProblem, apply, salaries, techempower
from costcalc.assumptions.snapshot import build_snapshot
from tests.factories import (
    AWS_HEADER,
    AWS_ROWS,
    BACKEND,
    FULL_TIME,
    SURVEY,
    SURVEY_COLUMNS,
    T0,
    US,
    UUID,
    aws_file,
    aws_row,
    figures,
    level,
    make_set,
    results,
    state,
    survey_file,
    write_json,
    write_text,
)

pytestmark = pytest.mark.django_db

# --- TechEmpower --------------------------------------------------------------------------------


@pytest.fixture
def draft():
    return make_set(slug="draft-set", published=False)


def run(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_techempower_writes_each_stack_per_vcpu_citing_the_run(tmp_path, draft):
    path = write_json(tmp_path, results())
    out = run("import_techempower", draft.key, str(path), "--cpus", "10")

    key = "import-tfb-91a66052-json"
    assert figures(draft) == {
        # go, go-pgx-prefork: best levels 22,000 and 30,000 -> median 26,000 / 10 CPUs
        "go": (2600.0, 2200.0, 3000.0, key),
        # fastapi 8,000, fastapi-uvicorn 10,000, fastapi-uvicorn-orjson 4,000 -> median 8,000
        "fastapi": (800.0, 400.0, 1000.0, key),
        "express": (400.0, 400.0, 400.0, key),
    }
    source = draft.sources.get(key=key)
    assert source.title == (
        "TechEmpower Framework Benchmarks run Continuous Benchmarking Run 2025-01-30 00:00:00 "
        "(json test)"
    )
    assert source.date == datetime.date(2025, 1, 30)
    assert source.publisher == "TechEmpower"
    assert f"runid={UUID}" in source.url
    assert UUID in source.note and "10 logical CPUs" in source.note
    assert "go: go 22,000 req/s at 64 connections" in source.note
    assert "go: 2,600 req/s per vCPU (low 2,200, high 3,000) from go, go-pgx-prefork" in out
    assert "go: not in this run: go-pgx-easyjson, go-pgx-prefork-easyjson" in out
    # The set's other figures are untouched.
    go = draft.stacks.get(slug="go")
    assert go.cpu_multiplier == 1.0 and go.cpu_multiplier_source.key == "test"


def test_techempower_map_replaces_a_stacks_frameworks(tmp_path, draft):
    path = write_json(tmp_path, results())
    run("import_techempower", draft.key, str(path), "--cpus", "10", "--map", "express=fasthttp")
    assert figures(draft)["express"][:3] == (10_000.0, 10_000.0, 10_000.0)  # 100,000 / 10
    assert figures(draft)["go"][0] == 2600.0  # the others keep their default frameworks


@pytest.mark.parametrize(
    "args, message",
    [
        (["--map", "express=express-nope"], "no framework express-nope"),
        (["--map", "rust=actix"], r"--map names stacks Test set v1 \(draft\) does not have: rust"),
        (["--map", "express"], "--map takes stack=framework pairs"),
        (
            ["--test", "plaintext"],
            "results.json: rawData.plaintext: none of the frameworks of express, fastapi, go ran",
        ),
        (["--cpus", "0"], "above 0"),
    ],
)
def test_techempower_refuses_options_that_do_not_fit_the_run(tmp_path, draft, args, message):
    path = write_json(tmp_path, results())
    before = state(draft)
    with pytest.raises(CommandError, match=message):
        run("import_techempower", draft.key, str(path), "--cpus", "10", *args)
    assert state(draft) == before


def broken(change):
    data = results()
    change(data)
    return data


MALFORMED_RUNS = {
    "empty file": ("", "results.json: file: not JSON"),
    "not a results file": ({"hello": 1}, "no rawData"),
    "no uuid": (broken(lambda d: d.pop("uuid")), "uuid: the run has no uuid"),
    "no totalRequests": (
        broken(lambda d: d["rawData"]["json"]["go"][1].pop("totalRequests")),
        r"rawData\.json\.go\[1\]: no totalRequests",
    ),
    "a non-numeric count": (
        broken(lambda d: d["rawData"]["json"]["express"][0].update(totalRequests="lots")),
        r"rawData\.json\.express\[0\]: totalRequests 'lots' is not a number",
    ),
    "times the wrong way round": (
        broken(lambda d: d["rawData"]["json"]["fastapi"][2].update(endTime=T0 - 1)),
        r"rawData\.json\.fastapi\[2\]: endTime is not after startTime",
    ),
    "no levels": (
        broken(lambda d: d["rawData"]["json"].update(express=[])),
        "expected a list of concurrency levels",
    ),
    "no json test": (broken(lambda d: d["rawData"].pop("json")), "the run has no json test"),
}


@pytest.mark.parametrize("case", MALFORMED_RUNS)
def test_a_malformed_results_file_writes_nothing(tmp_path, draft, case):
    data, message = MALFORMED_RUNS[case]
    path = write_json(tmp_path, data)
    before = state(draft)
    with pytest.raises(CommandError, match=message):
        run("import_techempower", draft.key, str(path), "--cpus", "10")
    assert state(draft) == before


def test_the_reader_needs_no_database(tmp_path):
    # A pure function of the file: the admin's actions can call it the same way.
    path = write_json(tmp_path, results())
    found = techempower.read(path, stacks={"go": ("go",)}, cpus=2)
    assert found.figures["go"].base == 11_000.0  # 22,000 / 2
    assert found.variants["go"][0].level == "64"
    with pytest.raises(BadFile, match="no such file"):
        techempower.read(tmp_path / "nope.json", stacks={}, cpus=2)


def test_a_second_run_replaces_the_first_and_its_source(tmp_path, draft):
    first = write_json(tmp_path, results(), "first.json")
    run("import_techempower", draft.key, str(first), "--cpus", "10")
    run("import_techempower", draft.key, str(first), "--cpus", "10")  # the same file again
    assert draft.sources.filter(key__startswith="import-").count() == 1

    second = results(uuid="aaaabbbb-0000-0000-0000-000000000000")
    second["rawData"]["json"]["express"] = [level(120_000)]  # 8,000 -> 800 per vCPU
    out = run("import_techempower", draft.key, str(write_json(tmp_path, second)), "--cpus", "10")
    assert figures(draft)["express"] == (800.0, 800.0, 800.0, "import-tfb-aaaabbbb-json")
    keys = set(draft.sources.values_list("key", flat=True))
    assert keys == {"test", "import-tfb-aaaabbbb-json"}  # the first run's source is gone
    assert "source import-tfb-91a66052-json: no longer cited; deleted" in out


def test_an_unknown_or_published_set_is_refused(tmp_path, draft):
    path = write_json(tmp_path, results())
    with pytest.raises(CommandError, match="There is no assumption set draft-set@9"):
        run("import_techempower", "draft-set@9", str(path), "--cpus", "10")
    with pytest.raises(CommandError, match="names no assumption set"):
        run("import_techempower", "draft-set", str(path), "--cpus", "10")
    published = make_set(slug="published-set")
    before = state(published)
    with pytest.raises(CommandError, match="published, and a published set never changes; clone"):
        run("import_techempower", published.key, str(path), "--cpus", "10")
    assert state(published) == before
    # A set can also be named by its id.
    run("import_techempower", str(draft.pk), str(path), "--cpus", "10")
    assert figures(draft)["go"][0] == 2600.0


# --- Prices -------------------------------------------------------------------------------------


@pytest.fixture
def shipped_draft():
    """Independent 2026 v2 as shipped, cloned to the draft v3 an analyst would import into."""
    call_command("load_assumptions", stdout=io.StringIO())
    return models.AssumptionSet.objects.get(slug="independent-2026", version=2).clone()


def test_aws_prices_are_the_on_demand_linux_shared_rows_of_the_region(tmp_path, shipped_draft):
    path = aws_file(tmp_path, AWS_ROWS)
    out = run("import_prices", shipped_draft.key, str(path))

    key = "import-aws-ec2-us-east-1-20261120181331"
    prices = figures(shipped_draft, models.InstanceType, "price_per_hour")
    assert prices["c7i-xlarge"] == (0.1785, None, None, key)
    assert prices["m7i-xlarge"] == (0.2016, None, None, key)
    # Not in the file: unchanged, still citing their own source; GCP's are not AWS's to price.
    assert prices["c7g-xlarge"] == (0.145, None, None, "aws-karpenter-pricing")
    assert prices["gcp-n2-standard-4"][3] == "gcp-cyclenerd-pricing"
    assert "c7g-xlarge: not in index.csv; unchanged" in out
    assert "fargate-4vcpu-8gb: not in index.csv; unchanged" in out
    source = shipped_draft.sources.get(key=key)
    assert source.date == datetime.date(2026, 11, 20)
    assert source.publisher == "Amazon Web Services"
    assert source.url.endswith("/AmazonEC2/20261120181331/us-east-1/index.csv")
    assert "c7i.xlarge: $0.1785/h (line 7)" in source.note
    assert "m7i.xlarge: $0.2016/h (line 15)" in source.note
    # The published version it was cloned from keeps its price.
    v2 = models.InstanceType.objects.get(assumption_set__version=2, slug="m7i-xlarge",
                                         assumption_set__slug="independent-2026")  # fmt: skip
    assert v2.price_per_hour_source.key == "aws-karpenter-pricing"


def test_aws_prices_of_another_region(tmp_path, draft):
    models.InstanceType.objects.create(
        assumption_set=draft, slug="c7i-xlarge", name="AWS c7i.xlarge", provider="AWS",
        region="us-west-2", vcpu=4, memory_gb=8, price_per_hour=0.2,
        price_per_hour_source=draft.sources.get(),
    )  # fmt: skip
    run("import_prices", draft.key, str(aws_file(tmp_path, AWS_ROWS)), "--region", "us-west-2")
    assert figures(draft, models.InstanceType, "price_per_hour")["c7i-xlarge"][0] == 0.19


def test_a_clone_with_imported_figures_publishes_and_computes(tmp_path, shipped_draft):
    # The analyst's path: clone, import a run and a price list, publish; the engine then reads
    # the imported figures, and the published version it was cloned from keeps its own.
    run("import_techempower", shipped_draft.key, str(write_json(tmp_path, results())),
        "--cpus", "56")  # fmt: skip
    run("import_prices", shipped_draft.key, str(aws_file(tmp_path, AWS_ROWS)))
    shipped_draft.publish()
    snap = build_snapshot(shipped_draft)
    assert snap.stacks["go"].rps_per_vcpu.base == 464.3  # 26,000 / 56
    assert snap.instances["m7i-xlarge"].price_per_hour.base == 0.2016
    inputs = engine.Inputs(peak_rps=10_000, instance="c7i-xlarge", market="us")
    result = engine.compute(inputs, [engine.Option.single("go")], snap)
    assert result.options[0].totals["infrastructure"] > 0
    v2 = models.AssumptionSet.objects.get(slug="independent-2026", version=2)
    assert build_snapshot(v2).stacks["go"].rps_per_vcpu.base == 6937.2


MALFORMED_PRICES = {
    "two prices for one type": (
        [aws_row(), aws_row(price="0.2000000000", SKU="OTHER")],
        "instance type c7i.xlarge: 2 different On Demand Linux prices in us-east-1 "
        r"\(lines 7, 8\)",
    ),
    "a price that is not a number": (
        [aws_row("m7i.xlarge", "0.2016"), aws_row(price="call us")],
        "index.csv: line 8: PricePerUnit 'call us' is not a number",
    ),
    "no price column": (
        [[v for c, v in zip(AWS_HEADER, aws_row(), strict=True) if c != "PricePerUnit"]],
        r"header \(line 6\): no column 'PricePerUnit'",
    ),
    "none of the set's types": ([aws_row("t3.nano")], "none of the set's instance types"),
}


@pytest.mark.parametrize("case", MALFORMED_PRICES)
def test_a_malformed_price_list_writes_nothing(tmp_path, shipped_draft, case):
    rows, message = MALFORMED_PRICES[case]
    header = [c for c in AWS_HEADER if c != "PricePerUnit"] if "column" in case else AWS_HEADER
    path = aws_file(tmp_path, rows, header)
    before = state(shipped_draft)
    with pytest.raises(CommandError, match=message):
        run("import_prices", shipped_draft.key, str(path))
    assert state(shipped_draft) == before


def test_an_instance_table_sets_prices_and_sizes(tmp_path, draft):
    path = write_text(
        tmp_path,
        "instances.csv",
        "slug,vcpu,memory_gb,price_per_hour,price_per_hour_low,price_per_hour_high\n"
        "box-4,4,16,0.12,0.1,0.15\n"
        "box-2,2,4,0.06,,\n"
        "box-99,8,32,0.5,,\n",
    )
    out = run("import_prices", draft.key, str(path), "--source-date", "2026-12-01")
    prices = figures(draft, models.InstanceType, "price_per_hour")
    assert prices == {
        "box-4": (0.12, 0.1, 0.15, "import-prices-instances"),
        "box-2": (0.06, None, None, "import-prices-instances"),
    }
    assert draft.instance_types.get(slug="box-4").memory_gb == 16
    assert draft.sources.get(key="import-prices-instances").date == datetime.date(2026, 12, 1)
    assert "box-99: not an instance type of Test set v1 (draft); skipped" in out


@pytest.mark.parametrize(
    "content, message",
    [
        ("", "instances.csv: file: the file is empty"),
        ("slug,vcpu,memory_gb\nbox-4,4,8\n", "no column 'price_per_hour'"),
        ("slug,vcpu,memory_gb,price_per_hour\nbox-4,4,8,0.1\nbox-2,two,4,0.05\n",
         "instances.csv: line 3: vcpu 'two' is not a number"),
        ("slug,vcpu,memory_gb,price_per_hour\nbox-4,4,8,-0.1\n",
         "line 2: price_per_hour '-0.1' is negative"),
        ("slug,vcpu,memory_gb,price_per_hour\nbox-4,4,8,0.1\nbox-4,4,8,0.2\n",
         "box-4 is listed twice"),
        # box-2 is written first, then box-4's range is refused: the transaction undoes box-2.
        ("slug,vcpu,memory_gb,price_per_hour,price_per_hour_low,price_per_hour_high\n"
         "box-2,2,4,0.07,,\nbox-4,4,8,0.1,0.5,0.6\n",
         "instance type box-4 .*line 3.*: price_per_hour: The base value must lie within"),
    ],
)  # fmt: skip
def test_a_malformed_instance_table_writes_nothing(tmp_path, draft, content, message):
    path = write_text(tmp_path, "instances.csv", content)
    before = state(draft)
    with pytest.raises(CommandError, match=message):
        run("import_prices", draft.key, str(path))
    assert state(draft) == before


def test_an_import_is_a_function_of_a_set_and_a_file(tmp_path, draft):
    # What an admin action would call: the set itself, the report as lines, ImportProblem.
    path = write_text(tmp_path, "t.csv", "slug,vcpu,memory_gb,price_per_hour\nbox-4,4,8,0.2\n")
    given = apply.GivenSource(title="Our table", date=datetime.date(2026, 12, 2))
    report = apply.import_prices(draft, path, source=given)
    assert report[-1] == "Test set v1 (draft): wrote 1 price, citing source import-prices-t"
    assert draft.sources.get(key="import-prices-t").title == "Our table"
    draft.publish()
    with pytest.raises(ImportProblem, match="a published set never changes"):
        apply.import_prices(draft, path)


def test_prices_refuse_a_published_set(tmp_path):
    published = make_set(slug="published-set")
    path = write_text(tmp_path, "t.csv", "slug,vcpu,memory_gb,price_per_hour\nbox-4,4,8,0.2\n")
    with pytest.raises(CommandError, match="a published set never changes"):
        run("import_prices", published.key, str(path))
    assert published.instance_types.get(slug="box-4").price_per_hour == 0.1


# --- Salaries -----------------------------------------------------------------------------------


def test_salaries_are_median_pay_by_language_per_market(tmp_path, draft):
    path = survey_file(tmp_path)
    args = ("--min-n", "3", "--market", "eu-east=Poland;Ukraine", "--source-date", "2025-07-29")
    out = run("import_salaries", draft.key, str(path), *args)

    key = "import-survey-survey"
    pay = figures(draft, models.MarketRate, "annual_salary")
    # US Python: 100,000, 120,000, 140,000 -> median 120,000, quartiles 110,000 and 130,000.
    assert pay["us/python"] == (120_000, 110_000, 130_000, key)
    # US Go: 100,000, 160,000, 200,000 -> median 160,000, quartiles 130,000 and 180,000.
    assert pay["us/go"] == (160_000, 130_000, 180_000, key)
    # Poland and Ukraine, Python: 40,000, 50,000, 60,000.
    assert pay["eu-east/python"] == (50_000, 45_000, 55_000, key)
    # Too few respondents (1 and 0): not written, and reported.
    assert pay["us/javascript"] == (120_000, None, None, "test")
    assert pay["eu-east/go"] == (48_000, None, None, "test")
    assert (
        "skipped eu-east, Go: n=1, median $50,000 (quartiles $50,000-$50,000): fewer than 3" in out
    )
    assert "skipped us, JavaScript: n=1" in out
    assert "wrote us, Python: n=3, median $120,000 (quartiles $110,000-$130,000)" in out
    assert "survey.csv: 12 respondents, 8 back-end, full time, with pay, in a mapped country" in out
    source = draft.sources.get(key=key)
    assert source.date == datetime.date(2025, 7, 29)
    assert "us, Go: n=3, median $160,000 (quartiles $130,000-$180,000)" in source.note
    assert "not used: us, JavaScript: n=1" in source.note
    # A market rate's other figures are untouched.
    rate = models.MarketRate.objects.get(market__assumption_set=draft, market__slug="us",
                                         language="python")  # fmt: skip
    assert rate.loaded_multiplier == 1.5 and rate.loaded_multiplier_source.key == "test"


def test_salaries_min_n_defaults_to_30(tmp_path, draft):
    with pytest.raises(CommandError, match="no market and language has 30 or more respondents"):
        run("import_salaries", draft.key, str(survey_file(tmp_path)))


def test_a_second_survey_replaces_the_first(tmp_path, draft):
    run("import_salaries", draft.key, str(survey_file(tmp_path, name="s2024.csv")), "--min-n", "3")
    raised = [(*row[:4], str(int(row[4]) + 1000)) if row[4] != "NA" else row for row in SURVEY]
    out = run(
        "import_salaries", draft.key, str(survey_file(tmp_path, raised, name="s2025.csv")),
        "--min-n", "3",
    )  # fmt: skip
    assert figures(draft, models.MarketRate, "annual_salary")["us/python"] == (
        121_000, 111_000, 131_000, "import-survey-s2025",
    )  # fmt: skip
    assert "source import-survey-s2024: no longer cited; deleted" in out
    assert not draft.sources.filter(key="import-survey-s2024").exists()


@pytest.mark.parametrize(
    "columns, rows, message",
    [
        ([c for c in SURVEY_COLUMNS if c != "LanguageHaveWorkedWith"], SURVEY,
         "survey.csv: header: no column 'LanguageHaveWorkedWith'"),
        (SURVEY_COLUMNS, [SURVEY[0], SURVEY[1], (FULL_TIME, US, BACKEND, "Go", "lots")],
         "survey.csv: line 4: ConvertedCompYearly 'lots' is not a number"),
    ],
)  # fmt: skip
def test_a_malformed_survey_writes_nothing(tmp_path, draft, columns, rows, message):
    if "LanguageHaveWorkedWith" not in columns:
        rows = [r[:3] + r[4:] for r in rows]
        path = tmp_path / "survey.csv"
        with open(path, "w", newline="") as file:
            writer = csv.writer(file)
            writer.writerow(["Employment", "Country", "DevType", "ConvertedCompYearly"])
            writer.writerows(rows)
    else:
        path = survey_file(tmp_path, rows, columns)
    before = state(draft)
    with pytest.raises(CommandError, match=message):
        run("import_salaries", draft.key, str(path), "--min-n", "1")
    assert state(draft) == before


def test_an_empty_survey_or_a_published_set_is_refused(tmp_path, draft):
    empty = write_text(tmp_path, "survey.csv", "")
    with pytest.raises(CommandError, match="survey.csv: file: the file is empty"):
        run("import_salaries", draft.key, str(empty))
    published = make_set(slug="published-set")
    with pytest.raises(CommandError, match="a published set never changes"):
        run("import_salaries", published.key, str(survey_file(tmp_path)), "--min-n", "1")
    with pytest.raises(CommandError, match="--market names markets .* does not have: mars"):
        run("import_salaries", draft.key, str(survey_file(tmp_path)), "--market", "mars=Olympus")


def test_survey_reader_needs_no_database(tmp_path):
    found = salaries.read(
        survey_file(tmp_path), markets={"us": (US,)}, languages=["python", "go"], min_n=3
    )
    assert [(c.market, c.language, c.n, c.median) for c in found.cells] == [
        ("us", "python", 3, 120_000.0),
        ("us", "go", 3, 160_000.0),
    ]


# --- Start-up ------------------------------------------------------------------------------------

NO_PANDAS = """
import sys
import django
django.setup()
import costcalc.assumptions.admin
from costcalc.assumptions.importers import apply, prices, salaries, techempower, write
from costcalc.assumptions.management.commands import (
    import_prices, import_salaries, import_techempower,
)
assert "pandas" not in sys.modules, "pandas imported at start-up"
print("ok")
"""


def test_importing_the_importers_does_not_load_pandas():
    # The site's workers import the admin; pandas is loaded only once a file is read.
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "costcalc.settings", "DJANGO_DEBUG": "1"}
    done = subprocess.run([sys.executable, "-c", NO_PANDAS], env=env, capture_output=True,
                          text=True)  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == "ok"
