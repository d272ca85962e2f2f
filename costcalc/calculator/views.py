from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import render
from django.templatetags.static import static
from django.views.decorators.http import require_GET

from costcalc import engine
from costcalc.assumptions import snapshot as snapshots
from costcalc.assumptions.models import AssumptionSet
from costcalc.assumptions.snapshot import snapshot

from .forms import CalculatorForm
from .present import present

DEFAULT_SET = "independent-2026"


@require_GET
def favicon(request: HttpRequest) -> HttpResponse:
    # Resolved per request: the hashed name exists only once static files are collected.
    return HttpResponsePermanentRedirect(static("favicon.svg"))


@require_GET
def healthz(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")


def published_sets() -> list[AssumptionSet]:
    """Newest version first within each set, the default set first of all."""
    return sorted(snapshots.published_sets(), key=lambda s: s.slug != DEFAULT_SET)


def choose_set(sets: list[AssumptionSet], key: str | None) -> AssumptionSet:
    """The set the query names, or the default when it names none we know."""
    by_key = {s.key: s for s in sets}
    if key in by_key:
        return by_key[key]
    if key and "@" not in key:  # a bare slug means its newest version
        newest = [s for s in sets if s.slug == key]
        if newest:
            return newest[0]
    return sets[0]


def set_choices(sets: list[AssumptionSet]) -> list[tuple[str, str]]:
    return [(s.key, f"{s.name} v{s.version} (as of {s.as_of:%-d %b %Y})") for s in sets]


@require_GET
def calculator(request: HttpRequest) -> HttpResponse:
    sets = published_sets()
    if not sets:
        return render(request, "calculator/no_assumptions.html", status=503)
    aset = choose_set(sets, request.GET.get("assumptions"))
    assumptions = snapshot(aset)
    form = CalculatorForm.from_query(
        request.GET, snapshot=assumptions, set_choices=set_choices(sets)
    )
    context = {"form": form, "aset": aset, "results": None, "model_error": None}
    if form.is_valid():
        try:
            result = engine.compute(form.inputs(), form.options(), assumptions)
        except engine.ModelError as error:
            context["model_error"] = str(error)
        else:
            context["results"] = present(result, assumptions)

    if request.htmx:
        # Another set can offer other markets, instances and stacks: its selector redraws the
        # whole form; every other field redraws only the results.
        part = "calculator" if request.htmx.trigger_name == "assumptions" else "results"
        return render(request, f"calculator/page.html#{part}", context)
    return render(request, "calculator/page.html", context)
