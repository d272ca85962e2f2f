"""The insight panel: traffic crossovers, uncertainty, what flips the decision, a verdict.

Loaded lazily by htmx after the results (the calculator stays fast), or as a page of its own
without JavaScript. It reads the same query as the calculator; every figure depends only on
that query and the assumption set's version, so besides the set snapshots only each scenario's
Monte Carlo is remembered (assumptions/snapshot.simulated), shared with the verdict line.
"""

from __future__ import annotations

from functools import partial

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_safe

from costcalc import engine
from costcalc.assumptions.models import AssumptionSet
from costcalc.assumptions.selectors import offered_sets
from costcalc.assumptions.snapshot import simulated, snapshot
from costcalc.engine import insight as ei
from costcalc.engine.hosting import compare_hosting

from .currency import in_display_currency
from .present_insight import hosting_rows, present_insight, set_comparison
from .section import sure_span
from .views import computed, query_form, results_part, vary_on_htmx, wants_fragment

# The shipped sets compared side by side, in this order (docs/insight.md, section 5).
SHIPPED_SETS = ("independent-2026", "seed-article-2026")
TEMPLATE = "calculator/insight.html"


def comparison_sets(sets: list[AssumptionSet], current: AssumptionSet) -> list[AssumptionSet]:
    """Each shipped set: the version in use when it is the current set, else its newest."""
    chosen = []
    for slug in SHIPPED_SETS:
        if current.slug == slug:
            chosen.append(current)
        else:
            newest = next((s for s in sets if s.slug == slug), None)  # newest first per set
            if newest is not None:
                chosen.append(newest)
    return chosen


@require_safe
@vary_on_htmx
@in_display_currency
def insight(request: HttpRequest) -> HttpResponse:
    fragment = wants_fragment(request)
    template = f"{TEMPLATE}#insight" if fragment else TEMPLATE
    sets = offered_sets(request)  # staff may preview drafts too
    if not sets:
        return render(request, template, {"no_sets": True}, status=503)
    aset, assumptions, form = query_form(request, sets)
    context = {"form": form, "aset": aset, "insight": None, "model_error": None}
    if form.is_valid():
        inputs, options = form.inputs(), form.options()
        try:
            remembered = partial(simulated, inputs, options, assumptions)
            # The htmx panel fetches the hosting comparison once it scrolls into view (hosting
            # below): it cost the panel 17% of its rate under make bench (54 against 65 req/s).
            found = ei.analyse(
                inputs, options, assumptions, simulate=remembered, hosting=not fragment
            )
        except engine.ModelError as error:
            context["model_error"] = str(error)
        else:
            others = comparison_sets(sets, aset)
            outcomes = ei.compare_sets(inputs, options, [snapshot(s) for s in others], known=found)
            missing = [slug for slug in SHIPPED_SETS if slug not in {s.slug for s in others}]
            comparison = set_comparison(
                outcomes, [o.name for o in options], f"{aset.slug}@{aset.version}", missing
            )
            context["insight"] = present_insight(found, comparison)
    return render(request, template, context)


@require_safe
@vary_on_htmx
@in_display_currency
def sure(request: HttpRequest) -> HttpResponse:
    """The verdict line's "how sure" for the results fragments, which leave it out (the Monte
    Carlo: some 9 ms, as much as the whole recalculation), and out of band the leader's badge,
    or its empty place when the lead is within the uncertainty."""
    if not request.htmx:  # the line links to the decision panel, which says it all
        return HttpResponseRedirect(f"{reverse('calculator:insight')}?{request.GET.urlencode()}")
    result, assumptions, _ = computed(request, explain=False)
    found = None
    if result is not None:
        try:
            options = [o.option for o in result.options]
            if len(options) > 1:
                mc = simulated(result.inputs, options, assumptions)
                found = ei.sureness(result.inputs, options, assumptions, result, mc=mc)
        except engine.ModelError:
            found = None
    # A scenario that does not compute has no verdict line to fill; the span stays empty.
    horizon = len(result.months) if result is not None else 0
    return HttpResponse(sure_span(found, oob=result is not None, horizon=horizon))


@results_part("p", page="calculator:insight")
def hosting(
    request: HttpRequest, result: engine.Result, assumptions: engine.Assumptions
) -> HttpResponse:
    """ "Instances, containers or functions?" for the htmx decision panel, which leaves it out;
    empty where the set cannot price containers and functions."""
    options = [o.option for o in result.options]
    hosted = compare_hosting(result.inputs, options, assumptions)
    if not hosted:
        return HttpResponse("")
    context = {"hosting": hosting_rows(hosted), "horizon": len(result.months)}
    return render(request, f"{TEMPLATE}#hosting", context)
