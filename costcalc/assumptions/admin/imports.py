"""Importing figures from a file into a draft from the admin: a TechEmpower run's results.json,
a cloud price list, a salary survey.

Each page uploads the file and calls the same function its management command calls
(importers.apply), which writes into the draft inside one transaction: a malformed file, or
one that fits nothing in the set, leaves the draft as it was and says why beside the field.
A published set never changes, so its import pages send the analyst back.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.text import get_valid_filename

from ..importers import BadFile, ImportProblem, apply, salaries, techempower
from .common import NEVER_CHANGES, admin_url

CANNOT_IMPORT = "Nothing was imported: {} is published. " + NEVER_CHANGES


def _pairs(text: str, sep: str, example: str, code: str) -> list[str]:
    """The non-empty lines of a text field, each checked to be "name=value" (``sep`` splits a
    line into several pairs, or None)."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    for line in lines:
        for pair in line.split(sep) if sep else [line]:
            name, eq, value = pair.strip().partition("=")
            if not eq or not name.strip() or not value.strip():
                raise ValidationError(
                    f"Write each line as {example}; “{pair.strip()}” is not.", code=code
                )
    return lines


def replacements(label: str, example: str) -> forms.CharField:
    """An optional box of name=value lines, each replacing one of an importer's defaults."""
    return forms.CharField(
        label=label,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
        help_text=f"Optional, one a line: {example} replaces that one's defaults.",
    )


def above_zero(value, message: str, code: str):
    if not value > 0:
        raise ValidationError(message, code=code)
    return value


class ImportForm(forms.Form):
    file = forms.FileField(label="File")
    file_label = "File"
    file_help = ""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].label, self.fields["file"].help_text = self.file_label, self.file_help

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.size:
            raise ValidationError("The file is empty.", code="empty")
        return upload


class SourceForm(ImportForm):
    """What a price list or survey file cannot say about itself: where it was published."""

    source_title = forms.CharField(
        label="Source title", required=False, max_length=300, help_text="Default: from the file."
    )
    source_url = forms.URLField(
        label="Source URL", required=False, max_length=500, assume_scheme="https"
    )
    source_publisher = forms.CharField(label="Publisher", required=False, max_length=200)
    source_date = forms.DateField(
        label="Source date",
        required=False,
        help_text="YYYY-MM-DD. Default: the price list's own publication date, else today.",
    )

    def source(self) -> apply.GivenSource:
        return apply.GivenSource.named(self.cleaned_data)


class TechEmpowerForm(ImportForm):
    file_label, file_help = "results.json", "A TechEmpower run's results file."
    cpus = forms.FloatField(
        label="Logical CPUs of the run's server",
        help_text="results.json does not record them; Round 23's physical servers have 56.",
    )
    test = forms.ChoiceField(
        label="Test",
        choices=[(t, t) for t in techempower.TESTS],
        initial="json",
        required=False,
        help_text="The run's test to read; json by default.",
    )
    frameworks = replacements("Frameworks per stack (--map)", "go=go,go=go-pgx-prefork")

    def clean_cpus(self):
        return above_zero(self.cleaned_data["cpus"], "The run's CPU count must be above 0.", "cpus")

    def clean_test(self):
        return self.cleaned_data["test"] or "json"

    def clean_frameworks(self):
        text = self.cleaned_data["frameworks"]
        return techempower.parse_map(_pairs(text, ",", "stack=framework,…", "frameworks"))

    def run(self, aset, path: Path) -> list[str]:
        data = self.cleaned_data
        return apply.import_techempower(
            aset, path, cpus=data["cpus"], test=data["test"], mapping=data["frameworks"]
        )


class PricesForm(SourceForm):
    file_label = "Price list (CSV)"
    file_help = (
        "AWS's EC2 price list (index.csv, or only the rows wanted: keep its header lines), or "
        "a table with the columns slug, vcpu, memory_gb, price_per_hour."
    )
    region = forms.CharField(
        label="AWS region", initial="us-east-1", max_length=40, help_text="AWS price lists only."
    )

    def clean_region(self):
        region = self.cleaned_data["region"].strip()
        if not region.replace("-", "").isalnum():
            raise ValidationError("A region code is like us-east-1.", code="region")
        return region

    def run(self, aset, path: Path) -> list[str]:
        return apply.import_prices(
            aset, path, region=self.cleaned_data["region"], source=self.source()
        )


class SalariesForm(SourceForm):
    file_label = "Survey results (CSV)"
    file_help = (
        "The Stack Overflow layout: Country, DevType, Employment, LanguageHaveWorkedWith, "
        "ConvertedCompYearly."
    )
    min_n = forms.IntegerField(
        label="Fewest respondents per figure",
        initial=30,
        help_text="A market and language with fewer respondents is not written.",
    )
    markets = replacements("Countries per market (--market)", "us=United States of America")

    def clean_min_n(self):
        return above_zero(self.cleaned_data["min_n"], "At least 1 respondent.", "min_n")

    def clean_markets(self):
        text = self.cleaned_data["markets"]
        return salaries.parse_markets(_pairs(text, None, "market=Country;Country", "markets"))

    def run(self, aset, path: Path) -> list[str]:
        data = self.cleaned_data
        return apply.import_salaries(
            aset, path, min_n=data["min_n"], markets=data["markets"], source=self.source()
        )


@dataclass(frozen=True)
class Importer:
    title: str
    form: Callable[..., ImportForm]


IMPORTERS = {
    "techempower": Importer("Throughput per vCPU from a TechEmpower run", TechEmpowerForm),
    "prices": Importer("Instance prices from a price list", PricesForm),
    "salaries": Importer("Salaries from a survey", SalariesForm),
}


def run_import(form: ImportForm, aset) -> list[str]:
    """Write the uploaded file into the draft with its importer: the lines of its report, or
    the form's errors (nothing written) and ImportProblem raised.

    The file is kept under its own name, which the importer cites (in the source's key and
    note, and in its messages), in a directory of its own that goes with the request.
    """
    upload = form.cleaned_data["file"]
    with tempfile.TemporaryDirectory(prefix="costcalc-import-") as folder:
        path = Path(folder) / (get_valid_filename(Path(upload.name).name) or "upload")
        with path.open("wb") as out:
            for chunk in upload.chunks():
                out.write(chunk)
        try:
            return form.run(aset, path)
        except BadFile as problem:
            form.add_error("file", str(problem))
            raise
        except ImportProblem as problem:
            form.add_error(None, str(problem))
            raise


def import_url(aset, kind: str) -> str:
    return reverse("admin:assumptions_assumptionset_import", args=[aset.pk, kind])


def import_page(modeladmin, request: HttpRequest, object_id: str, kind: str) -> HttpResponse:
    """A draft's import page: upload a file with one of the importers, on the set's admin."""
    aset = modeladmin.get_object(request, object_id)
    importer = IMPORTERS.get(kind)
    if aset is None or importer is None:
        raise Http404("No assumption set has that id, or no importer that name.")
    if aset.is_published:
        modeladmin.message_user(request, CANNOT_IMPORT.format(aset), messages.ERROR)
        return HttpResponseRedirect(admin_url(aset))
    if not modeladmin.has_change_permission(request, aset):
        raise PermissionDenied
    posted = request.method == "POST"
    form = importer.form(request.POST if posted else None, request.FILES if posted else None)
    if posted and form.is_valid():
        try:
            report = run_import(form, aset)
        except ImportProblem:
            pass  # the form says why, as the admin's own forms do (200); nothing was written
        else:
            modeladmin.log_change(request, aset, f"Imported {form.cleaned_data['file'].name}.")
            modeladmin.message_user(
                request,
                format_html(
                    "Imported {} into {}:<ul>{}</ul>",
                    form.cleaned_data["file"].name,
                    aset,
                    format_html_join("", "<li>{}</li>", ((line,) for line in report)),
                ),
                messages.SUCCESS,
            )
            return HttpResponseRedirect(admin_url(aset))
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": f"{importer.title} into {aset.name} v{aset.version}",
        "opts": modeladmin.opts,
        "original": aset,
        "aset": aset,
        "form": form,
        "kind": kind,
        "importers": [(k, i.title, import_url(aset, k)) for k, i in IMPORTERS.items()],
        "media": modeladmin.media + form.media,
    }
    request.current_app = modeladmin.admin_site.name
    return TemplateResponse(request, "admin/assumptions/assumptionset/import.html", context)
