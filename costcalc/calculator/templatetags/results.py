"""``{% results_section %}``: the results section (costcalc/calculator/section.py) from the
context of the page that shows it, the calculator's or a saved scenario's."""

from django import template

from costcalc.calculator import section

register = template.Library()


@register.simple_tag(takes_context=True)
def results_section(context) -> str:
    request = context.get("request")
    htmx = getattr(request, "htmx", None)
    # The parts fetched on demand ask with the scenario's query: the page's own, or a saved
    # scenario's (query_string).
    query = context.get("query_string") or (request.GET.urlencode() if request else "")
    return section.results_section(
        results=context.get("results"),
        form=context.get("form"),
        model_error=context.get("model_error"),
        query=query,
        view_toggle=context.get("view_toggle") or "",
        scenario=bool(context.get("scenario")),
        table_open=bool(context.get("table_open")),
        # An htmx recalculation also swaps the form's messages and the share form's query.
        oob=bool(htmx) and htmx.target == "results",
        # A draft previewed by staff is never shared (assumptions.selectors.offered_sets).
        shareable=getattr(context.get("aset"), "is_published", True),
    )
