"""`manage.py tco`: the three formats, the bundled examples, and errors on stderr with exit 1."""

import csv
import io
import json

import pytest
from django.core.management import call_command, load_command_class
from django.core.management.base import CommandError

from costcalc.scenarios.examples import by_name
from costcalc.text import money
from tests.factories import MONTHLY_COLUMNS

# The names `tco --example` has always known (startup-8k and scaleup-80k are aliases now).
EXAMPLE_NAMES = ["fintech-hybrid", "startup-8k", "scaleup-80k"]


@pytest.fixture
def example_file(tmp_path):
    """A worked example's scenario document (examples/NAME.json less its gallery fields), as a
    file of its own."""

    def write(name: str):
        path = tmp_path / f"{name}.json"
        path.write_text(json.dumps(by_name()[name].document()))
        return path

    return write


def tco(*args) -> str:
    out = io.StringIO()
    call_command("tco", *args, stdout=out)
    return out.getvalue()


def run_from_argv(*args) -> int:
    """The command as the shell runs it: the exit status it would end with."""
    command = load_command_class("costcalc.api", "tco")
    try:
        command.run_from_argv(["manage.py", "tco", *args])
    except SystemExit as exit:
        return exit.code
    return 0


def api_result(client, path) -> dict:
    response = client.post("/api/v1/calculate", data=path.read_bytes(), content_type="text/plain")
    assert response.status_code == 200, response.content
    return response.json()


@pytest.mark.parametrize("name", EXAMPLE_NAMES)
def test_json_is_the_api_answer(shipped_sets, client, example_file, name):
    path = example_file(name)
    printed = json.loads(tco(str(path), "--format", "json"))
    assert printed == api_result(client, path)
    assert [o["name"] for o in printed["options"]]


@pytest.mark.parametrize("name", EXAMPLE_NAMES)
def test_bundled_examples_run_by_name(shipped_sets, example_file, name):
    assert tco("--example", name) == tco(str(example_file(name)))


def test_table(shipped_sets, client, example_file):
    result = api_result(client, example_file("fintech-hybrid"))
    text = tco("--example", "fintech-hybrid")
    lines = text.splitlines()
    assert lines[0] == "Assumption set: Seed article 2026 v2 (seed-article-2026, as of 2026-12-02)"
    header = next(line for line in lines if "Express 5" in line)
    assert header.split("  ")[-1].strip() == "Hybrid: Go 70% + FastAPI 20% + Express 10%"
    baseline, hybrid = result["options"]
    total = next(line for line in lines if line.startswith("Total over 24 months"))
    assert total.split()[-2:] == [money(baseline["horizon_total"]), money(hybrid["horizon_total"])]
    saving = next(line for line in lines if line.startswith("Saving vs baseline"))
    assert "baseline" in saving and money(hybrid["saving_vs_baseline"]) in saving
    month = hybrid["break_even_month"]
    assert next(line for line in lines if line.startswith("Break-even month")).endswith(
        f"month {month}" if month else "not within 24"
    )
    infra = next(line for line in lines if line.startswith("Infra per 100K RPS per month"))
    assert infra.split()[-1] == money(hybrid["infra_per_100k_rps"])
    notes = [f"Note: {note}" for note in result["notes"]]
    assert lines[-1 - len(notes) :] == [f"Cheapest over 24 months: {result['cheapest']}", *notes]
    assert notes  # the fintech hybrid's engineers follow its request shares, and it says so
    # Columns line up: every figure of an option ends where its header ends.
    ends = {len(line) for line in lines[3:12]}
    assert len(ends) == 1, text


def test_csv_is_the_monthly_series(shipped_sets, client, example_file):
    result = api_result(client, example_file("startup-8k"))
    rows = list(csv.DictReader(io.StringIO(tco("--example", "startup-8k", "--format", "csv"))))
    assert list(rows[0]) == MONTHLY_COLUMNS
    assert len(rows) == 3 * 24
    for option in result["options"]:
        mine = [r for r in rows if r["option"] == option["name"]]
        assert [int(r["month"]) for r in mine] == list(range(1, 25))
        assert [float(r["total"]) for r in mine] == [m["total"] for m in option["monthly"]]
        assert float(mine[-1]["cumulative"]) == option["horizon_total"]


def test_assumption_set_override(shipped_sets, example_file):
    path = str(example_file("fintech-hybrid"))
    for flag, version in (("independent-2026", 4), ("independent-2026@1", 1)):
        result = json.loads(tco(path, "--format", "json", "--assumption-set", flag))
        assert result["assumption_set"]["slug"] == "independent-2026"
        assert result["scenario"]["assumption_set"] == {
            "slug": "independent-2026",
            "version": version,
        }
    with pytest.raises(CommandError, match=r"assumption_set\.slug: No published assumption set"):
        tco(path, "--assumption-set", "nope")
    with pytest.raises(CommandError, match=r"--assumption-set\.version"):
        tco(path, "--assumption-set", "independent-2026@latest")


def test_standard_input(shipped_sets, monkeypatch):
    stdin = io.TextIOWrapper(io.BytesIO(b'{"options": [{"stack": "go"}]}'))
    monkeypatch.setattr("sys.stdin", stdin)
    assert "Go net/http" in tco("-")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "Can't read"),
        ("{", "is not JSON"),
        ('{"options": [{"stack": "rust"}]}', "options[0].stack: 'rust' is not a stack"),
        ('{"inputs": {"peak_rps": -1}, "options": []}', "inputs.peak_rps: Input should be"),
    ],
)
def test_errors_go_to_stderr_with_exit_status_1(shipped_sets, tmp_path, capsys, content, message):
    path = tmp_path / "scenario.json"
    if content is not None:
        path.write_text(content)
    assert run_from_argv(str(path)) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert message in captured.err


def test_file_or_example(shipped_sets, capsys):
    assert run_from_argv() == 1
    assert "Give a scenario file or --example NAME" in capsys.readouterr().err
    assert run_from_argv("--example", "nope") == 1
    listed = capsys.readouterr().err.split("(there are: ")[1].rstrip(").\n").split(", ")
    assert listed == sorted(by_name()) and set(EXAMPLE_NAMES) <= set(listed)
    assert run_from_argv("--example", "startup-8k", "--format", "xml") == 2  # argparse's usage
    assert "invalid choice" in capsys.readouterr().err


def test_a_scenario_in_euros_prints_euros(shipped_sets, tmp_path):
    """The table and the insight text in the scenario's currency, with the rate they used, as
    the page and the API's sentences show it; the JSON's amounts stay US dollars."""
    document = by_name()["startup-8k"].document()
    document["inputs"]["currency"] = "EUR"
    path = tmp_path / "eur.json"
    path.write_text(json.dumps(document))
    dollars = json.loads(tco(str(path), "--format", "json"))
    rate = dollars["display"]["per_usd"]
    assert dollars["display"]["currency"] == "EUR" and rate != 1
    table = tco(str(path))
    assert "Figures in euros (EUR) at €" in table and "$" not in table
    totals = next(line for line in table.splitlines() if line.startswith("Total over"))
    for option in dollars["options"]:
        euros = f"€{option['horizon_total'] * rate:,.0f}"
        assert euros in totals, (euros, totals)
    text = tco(str(path), "--insight")
    assert "Figures in euros (EUR)" in text and "€" in text and "$" not in text
