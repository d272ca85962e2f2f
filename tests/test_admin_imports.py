"""Importing a file into a draft from the admin: the same importers as the management commands,
one transaction, a clear error beside the field and nothing saved on a malformed file, and no
import into a published set."""

from __future__ import annotations

import json

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from costcalc.assumptions import models
from tests import factories as f

pytestmark = pytest.mark.django_db

PUBLISHED = "A published set never changes; clone it to make a new version."


@pytest.fixture
def draft():
    return f.make_set(slug="draft-set", published=False)


def import_url(aset, kind) -> str:
    return reverse("admin:assumptions_assumptionset_import", args=[aset.pk, kind])


def upload(path, content_type="text/csv"):
    return SimpleUploadedFile(path.name, path.read_bytes(), content_type=content_type)


def post(staff, aset, kind, path, **fields):
    return staff.post(import_url(aset, kind), {"file": upload(path), **fields})


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_a_techempower_run_is_written_as_the_command_writes_it(staff, tmp_path, draft):
    response = post(staff, draft, "techempower", f.write_json(tmp_path, f.results()), cpus="10")

    assert response.status_code == 302
    assert response["Location"] == reverse(
        "admin:assumptions_assumptionset_change", args=[draft.pk]
    )
    key = "import-tfb-91a66052-json"
    # The numbers of tests/test_importers.py's command test, worked out there.
    assert f.figures(draft) == {
        "go": (2600.0, 2200.0, 3000.0, key),
        "fastapi": (800.0, 400.0, 1000.0, key),
        "express": (400.0, 400.0, 400.0, key),
    }
    (message,) = messages_of(response)
    assert message.startswith("Imported results.json into Test set v1 (draft):")
    assert "go: 2,600 req/s per vCPU (low 2,200, high 3,000) from go, go-pgx-prefork" in message
    # The edit history names the analyst who uploaded it.
    go = draft.stacks.get(slug="go")
    assert go.history.order_by("-history_date").first().history_user.username == "analyst"


def test_frameworks_per_stack_replace_the_defaults(staff, tmp_path, draft):
    path = f.write_json(tmp_path, f.results())
    post(staff, draft, "techempower", path, cpus="10", frameworks="express=fasthttp")
    assert f.figures(draft)["express"][:3] == (10_000.0, 10_000.0, 10_000.0)  # 100,000 / 10


def test_a_malformed_results_file_saves_nothing_and_says_why_beside_the_file(
    staff, tmp_path, draft
):
    data = f.results()
    # go's first levels are fine and would be written first; its second has no count.
    data["rawData"]["json"]["go"][1].pop("totalRequests")
    before = f.state(draft)

    response = post(staff, draft, "techempower", f.write_json(tmp_path, data), cpus="10")

    assert response.status_code == 200
    assert response.context["form"].errors["file"] == [
        "results.json: rawData.json.go[1]: no totalRequests"
    ]
    content = response.content.decode()
    assert "Nothing was imported" in content and "no totalRequests" in content
    assert f.state(draft) == before


def test_a_file_that_is_not_json_saves_nothing(staff, tmp_path, draft):
    path = tmp_path / "results.json"
    path.write_text("<html>not a results file</html>")
    before = f.state(draft)
    response = post(staff, draft, "techempower", path, cpus="10")
    assert response.status_code == 200
    assert "results.json: file: not JSON" in response.context["form"].errors["file"][0]
    assert f.state(draft) == before


@pytest.mark.parametrize(
    "fields, field, message",
    [
        ({"cpus": "0"}, "cpus", "The run's CPU count must be above 0."),
        ({"cpus": "ten"}, "cpus", "Enter a number."),
        (
            {"cpus": "10", "frameworks": "express"},
            "frameworks",
            "Write each line as stack=framework,…; “express” is not.",
        ),
    ],
)
def test_options_are_checked_beside_their_field(staff, tmp_path, draft, fields, field, message):
    before = f.state(draft)
    response = post(staff, draft, "techempower", f.write_json(tmp_path, f.results()), **fields)
    assert response.status_code == 200
    assert response.context["form"].errors[field] == [message]
    assert f.state(draft) == before


def test_an_unknown_stack_is_refused_at_the_top_of_the_form(staff, tmp_path, draft):
    response = post(
        staff, draft, "techempower", f.write_json(tmp_path, f.results()), cpus="10",
        frameworks="rust=actix",
    )  # fmt: skip
    assert response.status_code == 200
    (error,) = response.context["form"].non_field_errors()
    assert error == "--map names stacks Test set v1 (draft) does not have: rust"


def test_an_aws_price_list_sets_the_sets_aws_prices(staff, tmp_path, draft):
    models.InstanceType.objects.create(
        assumption_set=draft, slug="c7i-xlarge", name="AWS c7i.xlarge", provider="AWS",
        region="us-east-1", vcpu=4, memory_gb=8, price_per_hour=0.2,
        price_per_hour_source=draft.sources.get(),
    )  # fmt: skip
    response = post(staff, draft, "prices", f.aws_file(tmp_path, f.AWS_ROWS), region="us-east-1")

    assert response.status_code == 302
    key = "import-aws-ec2-us-east-1-20261120181331"
    prices = f.figures(draft, models.InstanceType, "price_per_hour")
    assert prices["c7i-xlarge"] == (0.1785, None, None, key)  # line 7 of the sample
    assert prices["box-4"] == (0.1, None, None, "test")  # not AWS: unchanged
    source = draft.sources.get(key=key)
    assert source.publisher == "Amazon Web Services" and source.date.isoformat() == "2026-11-20"


def test_an_instance_table_with_its_source_given(staff, tmp_path, draft):
    path = tmp_path / "instances.csv"
    path.write_text("slug,vcpu,memory_gb,price_per_hour\nbox-4,4,16,0.12\n")
    response = post(
        staff, draft, "prices", path, region="us-east-1", source_title="Our price table",
        source_url="example.com/prices", source_date="2026-12-01",
    )  # fmt: skip

    assert response.status_code == 302
    assert f.figures(draft, models.InstanceType, "price_per_hour")["box-4"][0] == 0.12
    source = draft.sources.get(key="import-prices-instances")
    assert (source.title, source.url, source.date.isoformat()) == (
        "Our price table",
        "https://example.com/prices",
        "2026-12-01",
    )


def test_a_table_refused_halfway_saves_nothing(staff, tmp_path, draft):
    # box-2 is written first, then box-4's range is refused: the transaction undoes box-2.
    path = tmp_path / "instances.csv"
    path.write_text(
        "slug,vcpu,memory_gb,price_per_hour,price_per_hour_low,price_per_hour_high\n"
        "box-2,2,4,0.07,,\nbox-4,4,8,0.1,0.5,0.6\n"
    )
    before = f.state(draft)
    response = post(staff, draft, "prices", path, region="us-east-1")
    assert response.status_code == 200
    (error,) = response.context["form"].non_field_errors()
    assert "instance type box-4" in error and "The base value must lie within" in error
    assert f.state(draft) == before


def test_a_salary_survey_writes_median_pay(staff, tmp_path, draft):
    response = post(
        staff, draft, "salaries", f.survey_file(tmp_path), min_n="3",
        markets="eu-east=Poland;Ukraine", source_date="2025-07-29",
    )  # fmt: skip

    assert response.status_code == 302
    pay = f.figures(draft, models.MarketRate, "annual_salary")
    # The sample's US Python pay, worked out in tests/test_importers.py: 120,000 (110,000-130,000).
    assert pay["us/python"] == (120_000, 110_000, 130_000, "import-survey-survey")
    assert pay["eu-east/python"] == (50_000, 45_000, 55_000, "import-survey-survey")
    assert pay["us/javascript"] == (120_000, None, None, "test")  # n=1: not written


def test_survey_options_are_checked_beside_their_field(staff, tmp_path, draft):
    response = post(staff, draft, "salaries", f.survey_file(tmp_path), min_n="0", markets="us")
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["min_n"] == ["At least 1 respondent."]
    assert errors["markets"] == ["Write each line as market=Country;Country; “us” is not."]


def test_an_empty_upload_is_refused(staff, draft):
    response = staff.post(
        import_url(draft, "prices"),
        {"file": SimpleUploadedFile("empty.csv", b""), "region": "us-east-1"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["file"]


def test_a_published_set_is_never_imported_into(staff, tmp_path):
    published = f.make_set(slug="published-set")
    before = f.state(published)
    path = f.write_json(tmp_path, f.results())

    response = staff.post(
        import_url(published, "techempower"), {"file": upload(path), "cpus": "10"}, follow=True
    )

    assert messages_of(response) == [
        f"Nothing was imported: Test set v1 (published) is published. {PUBLISHED}"
    ]
    assert f.state(published) == before
    assert staff.get(import_url(published, "prices")).status_code == 302


def test_the_set_page_and_an_action_lead_to_the_import_pages(staff, draft):
    page = staff.get(reverse("admin:assumptions_assumptionset_change", args=[draft.pk]))
    content = page.content.decode()
    for kind in ("techempower", "prices", "salaries"):
        assert f'href="{import_url(draft, kind)}"' in content

    changelist = reverse("admin:assumptions_assumptionset_changelist")
    response = staff.post(changelist, {"action": "import_figures", "_selected_action": [draft.pk]})
    assert response.status_code == 302 and response["Location"] == import_url(draft, "techempower")
    form = staff.get(response["Location"])
    assert form.status_code == 200
    assert 'enctype="multipart/form-data"' in form.content.decode()

    published = f.make_set(slug="published-set")
    refused = staff.post(
        changelist, {"action": "import_figures", "_selected_action": [published.pk]}, follow=True
    )
    assert messages_of(refused)[-1].endswith(PUBLISHED)


def test_the_import_pages_are_for_staff_only(client, tmp_path, draft):
    before = f.state(draft)
    path = f.write_json(tmp_path, {"rawData": {"json": {"go": [f.level(1)]}}})
    response = client.post(import_url(draft, "techempower"), {"file": upload(path), "cpus": "1"})
    assert response.status_code == 302 and "login" in response["Location"]
    assert f.state(draft) == before
    assert json.loads(path.read_text())  # the file itself is untouched
