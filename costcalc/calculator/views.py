from __future__ import annotations

from functools import wraps
from urllib.parse import urlencode

from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponsePermanentRedirect,
    HttpResponseRedirect,
)
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.html import format_html
from django.views.decorators.http import require_safe
from django.views.decorators.vary import vary_on_headers

from costcalc import engine
from costcalc.assumptions.models import AssumptionSet
from costcalc.assumptions.selectors import choose_set, offered_sets, set_choices
from costcalc.assumptions.snapshot import simulated, snapshot
from costcalc.engine import insight as ei

from . import section
from .currency import in_display_currency
from .forms import CalculatorForm
from .present import categories_shown, citations, monthly_table, present, steps_html, url

NO_SETS = "No assumption set is published yet."
DIFFERENCES = "differences"  # ?view=differences: only the cost lines that differ
FIX_INPUTS = "These inputs do not compute; fix the fields marked above first."
# Every header an answer here depends on: a browser's cache (and any shared one) must never
# give the fragment of one request to another, say a keystroke's results to a full page.
HTMX_VARY = ("HX-Request", "HX-Target", "HX-Trigger-Name", "HX-History-Restore-Request")
vary_on_htmx = vary_on_headers(*HTMX_VARY)


def wants_fragment(request: HttpRequest) -> bool:
    """An htmx request for a part of the page. Back or Forward to an address htmx pushed asks
    for it with HX-Request too (htmx 2, historyRestoreAsHxRequest) and swaps the whole body:
    that request gets the full page."""
    return bool(request.htmx) and not request.htmx.history_restore_request


@require_safe
def favicon(request: HttpRequest) -> HttpResponse:
    # Resolved per request: the hashed name exists only once static files are collected.
    return HttpResponsePermanentRedirect(static("favicon.svg"))


@require_safe
def healthz(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")


def query_form(
    request: HttpRequest, sets: list[AssumptionSet], *, shown: bool = False
) -> tuple[AssumptionSet, engine.Assumptions, CalculatorForm]:
    """The set a request's query chooses, its snapshot, and the form bound to the query
    (``shown``: every field, for a page that draws the form)."""
    aset = choose_set(sets, request.GET.get("assumptions"))
    assumptions = snapshot(aset)
    form = CalculatorForm.from_query(
        request.GET, snapshot=assumptions, set_choices=set_choices(sets), shown=shown
    )
    return aset, assumptions, form


@require_safe
@vary_on_htmx
@in_display_currency
def calculator(request: HttpRequest) -> HttpResponse:
    sets = offered_sets(request)  # staff may preview drafts too
    if not sets:
        return render(request, "calculator/no_assumptions.html", status=503)
    fragment = wants_fragment(request)
    # Another set can offer other markets, instances and stacks: its selector redraws the
    # whole form; every other field of an htmx request redraws only the results.
    redraw = not fragment or request.htmx.trigger_name == "assumptions"
    aset, assumptions, form = query_form(request, sets, shown=redraw)
    differences = request.GET.get("view") == DIFFERENCES
    query = request.GET.urlencode()  # once: the template's links use it too
    context = {
        "form": form,
        "aset": aset,
        "results": None,
        "model_error": None,
        "differences": differences,
        "view_toggle": view_toggle(request, query, differences),
    }
    if form.is_valid():
        # A full page carries everything, so it reads complete without JavaScript. The
        # fragments htmx asks for on each keystroke leave out what is read on demand (each
        # option's workings and the monthly table, three fifths of the bytes and most of the
        # formatting): each is fetched, for the same query, when it is opened.
        context["query_string"] = query
        deferred = query if fragment else None
        inputs, options = form.inputs(), form.options()
        try:
            result = engine.compute(inputs, options, assumptions, explain=deferred is None)
            # How sure the lead is (the Monte Carlo) costs several recalculations: a full
            # page says it at once, a fragment asks for it afterwards (insight_views.sure).
            sure = None
            if not fragment and len(options) > 1:
                mc = simulated(inputs, options, assumptions)
                sure = ei.sureness(inputs, options, assumptions, result, mc=mc)
        except engine.ModelError as error:
            context["model_error"] = str(error)
        else:
            context["results"] = present(
                result, assumptions, deferred_query=deferred, sure=sure, differences=differences
            )
    if fragment and not redraw:
        # The keystroke's answer, straight from its builder: a template render of the one tag
        # that calls it would add a context and four context processors to every keystroke.
        return HttpResponse(
            section.results_section(
                results=context["results"],
                form=form,
                model_error=context["model_error"],
                query=query,
                view_toggle=context["view_toggle"],
                oob=request.htmx.target == "results",
                shareable=aset.is_published,
            )
        )
    if fragment:
        return render(request, "calculator/page.html#calculator", context)
    return render(request, "calculator/page.html", context)


def view_toggle(request: HttpRequest, query: str, differences: bool) -> str:
    """The same page with every line, or with only the lines that differ between the options:
    a link, so that the address says which (the form carries ``view`` on as a hidden field).
    Built from ``query``, the request's encoded once: QueryDict.copy() deep-copies every value,
    on every keystroke."""
    if differences:
        kept = [(k, v) for k, values in request.GET.lists() if k != "view" for v in values]
        query = urlencode(kept)
    else:
        query = f"{query}&view={DIFFERENCES}" if query else f"view={DIFFERENCES}"
    return f"{url('calculator:calculator')}?{query}"


def computed(
    request: HttpRequest, *, explain: bool
) -> tuple[engine.Result | None, engine.Assumptions | None, str]:
    """The result for a request's query, for the parts fetched on demand, or why there is none.

    With the workings (``explain``) only for the part that shows them."""
    sets = offered_sets(request)  # staff may preview drafts too
    if not sets:
        return None, None, NO_SETS
    _, assumptions, form = query_form(request, sets)
    if not form.is_valid():
        return None, assumptions, FIX_INPUTS
    try:
        result = engine.compute(form.inputs(), form.options(), assumptions, explain=explain)
        return result, assumptions, ""
    except engine.ModelError as error:
        return None, assumptions, str(error)


def to_page(request: HttpRequest, page: str = "calculator:calculator") -> HttpResponse:
    # Only htmx asks for the parts; a person who follows such an address gets the page for the
    # same inputs which shows them all.
    query = request.GET.copy()
    query.pop("option", None)
    return HttpResponseRedirect(f"{reverse(page)}?{query.urlencode()}")


def results_part(tag: str, *, explain: bool = False, page: str = "calculator:calculator"):
    """A view of one part of a ``page`` fetched on demand: its inputs computed (with the
    workings if ``explain``), or a message in an element ``tag`` where the part would go."""

    def decorator(view):
        @require_safe
        @vary_on_htmx
        @in_display_currency
        @wraps(view)
        def part(request: HttpRequest) -> HttpResponse:
            if not request.htmx:
                return to_page(request, page)
            result, assumptions, problem = computed(request, explain=explain)
            if result is None:
                return HttpResponse(format_html('<{0} class="field-error">{1}</{0}>', tag, problem))
            return view(request, result, assumptions)

        return part

    return decorator


@results_part("li", explain=True)
def workings(
    request: HttpRequest, result: engine.Result, assumptions: engine.Assumptions
) -> HttpResponse:
    """One option's "How this was computed", for the results fragments that leave it out."""
    try:
        index = int(request.GET.get("option", ""))
    except ValueError:
        index = -1
    if not 0 <= index < len(result.options):  # a negative index would pick from the end
        raise Http404("No such option")
    option = result.options[index]
    return HttpResponse(steps_html(option.steps, citations(assumptions)))


@results_part("p")
def monthly(
    request: HttpRequest, result: engine.Result, assumptions: engine.Assumptions
) -> HttpResponse:
    """The monthly figures table, for the results fragments that leave it out."""
    differences = request.GET.get("view") == DIFFERENCES
    return HttpResponse(
        section.monthly_table(monthly_table(result, categories_shown(result, differences)))
    )
