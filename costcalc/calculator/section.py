"""The results section's HTML, built as strings: what every keystroke redraws.

Through the template engine the section (its partial, some 40 variables and 14 conditions
around the cards) took 0.3 to 0.45 ms of a 1 ms recalculation view, the largest part of it,
and `make bench` found the recalculation under its budget (20 to 24% of /healthz against 27%).
The markup's reference is the ``results`` partial of templates/calculator/_fragments.html (and
its ``sure`` and ``monthly-table``): tests/test_section.py renders both on generated results
and requires the same bytes. Change the partial first, then this.
"""

from __future__ import annotations

from django.template.loader import get_template
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

from .present import url

# Static parts, written once. Each ends where the next one starts, as in the partial.
CHARTS = """<div class="charts-area">
<a class="skip-charts" href="#monthly">Skip the charts to the monthly figures</a>
<div class="charts">
"""
FIGURES = """<figure>
<figcaption class="sr-only">Line chart of each option's cumulative cost by month; the table \
below gives the same figures.</figcaption>
<div class="chart" data-chart="cumulative" id="chart-cumulative" hx-preserve></div>
</figure>
<figure>
<figcaption class="sr-only">Line chart of how much each option has saved against the \
baseline by each month; the table below gives the cumulative figures.</figcaption>
<div class="chart" data-chart="difference" id="chart-difference" hx-preserve></div>
</figure>
<figure>
<figcaption class="sr-only">Stacked bar charts of each option's monthly cost by category; the \
table below gives the same figures.</figcaption>
<div class="chart" data-chart="breakdown" id="chart-breakdown" hx-preserve></div>
</figure>
<p class="muted chart-note">Point at (or tap) a chart for exact figures; its camera button \
downloads it as a PNG. “Monthly figures” below holds every figure the charts show.</p>
"""
PROBLEMS = "calculator/_problems.html"
PRESENT_VALUE = "calculator/_present_value.html"


def e(value) -> str:
    """A value as the template engine prints it: escaped unless already safe HTML."""
    return conditional_escape(value)


def results_section(
    *,
    results: dict | None,
    form=None,
    model_error: str | None = None,
    query: str = "",
    view_toggle: str = "",
    scenario: bool = False,
    table_open: bool = False,
    oob: bool = False,
    shareable: bool = True,
) -> SafeString:
    """The ``results`` partial's HTML. ``query`` is the scenario's query string (the parts
    fetched on demand ask with it); ``oob`` makes it the answer to an htmx recalculation.

    The section holds three parts: ``#results`` (the messages, verdict and cards), the charts
    and ``#results-more`` (the monthly figures and what decides it). A recalculation swaps
    ``#results`` and, out of band, the charts' JSON (``#chart-specs``, from which
    static/js/charts.js redraws the charts in place) and ``#results-more``, with the form's
    messages and, unless the set is a draft that cannot be ``shareable``, the share form's
    query. The charts' nodes stay where they are: inside the swapped part, htmx moved each
    (with all its SVG) out of the old part and into the new one, then the browser restyled
    them, some 20 ms of every keystroke's swap task (bench/trace.py). Without results the
    charts' JSON is empty and the stylesheet hides them.
    """
    head = ['<div id="results" class="results-head" aria-live="polite">\n']
    if not scenario:
        head.append('<a class="jump" href="#calc-form">Change the inputs</a>\n')
    has_errors = form is not None and bool(form.errors)
    if has_errors or model_error:
        problems = {
            "form": form,
            "model_error": model_error,
            "purpose": "the figures can be worked out",
            "linked": True,
        }
        head.append(get_template(PROBLEMS).render(problems))
    if results:
        head.append(filled(results, query, view_toggle))
    head.append("</div>\n")
    specs = e(results["charts_json"]) if results else ""
    more = more_parts(results, query, table_open) if results else ""
    if not oob:
        totals = results and results["chart_totals"]
        parts = [
            '<section class="results" aria-label="Results">\n',
            *head,
            CHARTS,
            chart_totals(totals, e(results["horizon"]), results["currency"]) if totals else "",
            FIGURES,
            f'<script type="application/json" id="chart-specs">{specs}</script>\n</div>\n</div>\n',
            f'<div id="results-more" class="results-more">\n{more}</div>\n</section>\n',
        ]
        return mark_safe("".join(parts))  # noqa: S308 - every value escaped by e()
    parts = [
        *head,
        f'<script type="application/json" id="chart-specs" hx-swap-oob="true">{specs}</script>\n',
        f'<div id="results-more" class="results-more" hx-swap-oob="true">\n{more}</div>\n',
        form.error_slots(),
    ]
    if shareable:
        parts.append(
            f'\n<input type="hidden" name="query" value="{e(query)}" id="share-query"'
            ' hx-swap-oob="true">\n<div id="share-result" class="share-result" role="status"'
            ' aria-live="polite" hx-swap-oob="true"></div>'
        )
    return mark_safe("".join(parts))  # noqa: S308 - every value escaped by e()


def filled(results: dict, query: str, view_toggle: str) -> str:
    """The head's contents when there are results: the verdict and the cards."""
    horizon = e(results["horizon"])
    parts = [
        f'<p class="set-line">{e(results["set_line"])} Over {horizon} months, peak traffic ends'
        f" at {e(results['final_peak'])} requests per second.</p>\n"
    ]
    if results["currency_note"]:
        parts.append(
            f'<p class="note currency-note" role="note">{e(results["currency_note"])}</p>\n'
        )
    parts += [f'<p class="note" role="note">{e(note)}</p>\n' for note in results["notes"]]
    if results["lead"]:
        sure = sure_span(
            results["sure"],
            pending=results["sure_pending"],
            sure_url=results["sure_url"],
            insight_url=results["insight_url"],
            query=query,
        )
        parts.append(
            f'<p class="verdict-line" id="verdict-line"><strong>{e(results["lead"])}</strong>'
            f"{sure}</p>\n"
        )
    if view_toggle and results["compared"]:
        parts.append(toggle(results, view_toggle))
    parts.append(f'<ul class="cards" aria-label="Options compared">{e(results["cards"])}</ul>\n')
    if results["present_value"]:  # only with a discount rate: through its template
        parts.append(get_template(PRESENT_VALUE).render({"results": results}) + "\n")
    return "".join(parts)


def more_parts(results: dict, query: str, table_open: bool) -> str:
    """``#results-more``'s contents: the monthly figures and the decision panel."""
    insight = f"{e(results['insight_url'])}?{e(query)}"
    return (
        monthly(results, query, table_open)
        + f'<section id="insight" class="insight" aria-labelledby="insight-loading"'
        f' hx-get="{insight}" hx-trigger="intersect once" hx-swap="outerHTML">\n'
        '<h2 id="insight-loading">What decides it</h2>\n<p class="busy" role="status">'
        '<span class="spinner" aria-hidden="true"></span> Working out crossovers, uncertainty'
        " and what would flip the answer…</p>\n"
        f'<noscript><p><a href="{insight}">See what decides it</a></p></noscript>\n'
        "</section>\n"
    )


def toggle(results: dict, view_toggle: str) -> str:
    """The link between the view of every cost line and the view of the differences only."""
    link = e(view_toggle)
    if not results["differences"]:
        return (
            f'<p class="view-toggle"><a href="{link}">Show only the lines that differ between'
            " the options</a></p>\n"
        )
    same = f" (the same for every option: {e(results['same_lines'])})"
    return (
        '<p class="view-toggle">Only the cost lines that differ between the options'
        f'{same if results["same_lines"] else ""}. <a href="{link}">Show every line</a></p>\n'
    )


def chart_totals(totals: dict, horizon: str, currency: str) -> str:
    """The charts' figures as a table, for a page without JavaScript (a full page only)."""
    head = "".join(f'<th scope="col">{e(c)}</th>' for c in totals["columns"])
    rows = "".join(
        f'<tr><th scope="row">{e(row["name"])}</th>'
        + "".join(f"<td>{e(figure)}</td>" for figure in row["categories"])
        + f"<td>{e(row['total'])}</td><td>{e(row['saving'])}</td></tr>"
        for row in totals["rows"]
    )
    return (
        '<noscript><div class="scroll" tabindex="0" role="region" aria-label="What the charts'
        ' show"><table class="mini chart-totals">\n'
        f"<caption>What the charts show, over {horizon} months in {e(currency)} (they need"
        " JavaScript;"
        " “Monthly figures” below has every month)</caption>\n"
        f'<thead><tr><th scope="col">Option</th>{head}<th scope="col">Total</th>'
        f'<th scope="col">Saving against {e(totals["baseline"])}</th></tr></thead>\n'
        f"<tbody>{rows}</tbody>\n</table></div></noscript>\n"
    )


def monthly(results: dict, query: str, table_open: bool) -> str:
    """The monthly figures' details: open with the table (a scenario's page), or fetched when
    opened, with the table inside <noscript> on a full page (to a script that is text, not
    some 700 elements)."""
    if table_open:
        attributes = " open"
    else:
        link = results["monthly_url"] or f"{url('calculator:monthly')}?{query}"
        attributes = (
            f' hx-get="{e(link)}" hx-trigger="toggle once" hx-target="find .scroll"'
            ' hx-swap="innerHTML"'
        )
    table = results["table"]
    if not table:
        inside = '<p class="loading">Loading the monthly figures…</p>'
    elif table_open:
        inside = monthly_table(table)
    else:
        inside = f"<noscript>{monthly_table(table)}</noscript>"
    return (
        f'<details class="monthly" data-keep-open="monthly"{attributes}>\n'
        '<summary id="monthly">Monthly figures</summary>\n'
        '<div class="scroll" tabindex="0" role="region" aria-label="Monthly figures table">\n'
        f"{inside}\n</div>\n</details>\n"
    )


def monthly_table(table: dict) -> SafeString:
    """The ``monthly-table`` partial: the table of every month's figures."""
    return mark_safe(  # noqa: S308 - head and body are safe HTML from present.monthly_table
        '<table class="table">\n<caption>Cost per month and cumulative cost, in'
        f" {e(table['currency'])}, for each option</caption>\n<thead>{e(table['head'])}</thead>\n"
        f"<tbody>{e(table['body'])}</tbody>\n</table>"
    )


def sure_span(
    sure,
    *,
    pending: bool = False,
    sure_url: str = "",
    insight_url: str = "",
    query: str = "",
    oob: bool = False,
    horizon: int = 0,
) -> SafeString:
    """The ``sure`` partial: the verdict line's "how sure", or while ``pending`` the request
    for it; with ``oob`` (the answer to that request) also the leader's badge, or its empty
    place when the lead is within the uncertainty."""
    if pending:
        ask = (
            f' hx-get="{e(sure_url)}?{e(query)}" hx-trigger="load delay:300ms" hx-swap="outerHTML"'
        )
    else:
        ask = ""
    if sure:
        said = f": {e(sure.text)}"
    elif pending:
        said = f': <a href="{e(insight_url)}?{e(query)}">how sure?</a>'
    else:
        said = ""
    html = f'<span id="verdict-sure"{ask}>{said}</span>'
    if oob:
        if sure and not sure.tied:
            html += (
                f'\n<p class="badge" id="cheapest-badge" hx-swap-oob="true">Cheapest over'
                f" {e(horizon)} months</p>"
            )
        else:
            html += '\n<span id="cheapest-badge" hx-swap-oob="true"></span>'
    return mark_safe(html)  # noqa: S308 - every value escaped by e()
