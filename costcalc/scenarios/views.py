"""Share links, the scenario pages built on them, exports, the gallery and comparisons.

A shared scenario is computed from its stored inputs and its pinned, published (so immutable)
assumption-set version every time it is shown: its figures never change. Writing is one
endpoint, POST /s/, with CSRF and a per-client rate limit.
"""

from __future__ import annotations

import gzip
import hashlib
import logging
from functools import wraps
from urllib.parse import urlencode

import orjson
from django.core.cache import cache
from django.db import connection
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseRedirect,
    QueryDict,
)
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_POST, require_safe

from costcalc import engine
from costcalc.assumptions.models import AssumptionSet
from costcalc.assumptions.models.changes import changed_figures
from costcalc.assumptions.selectors import (
    DRAFT_NOT_SAVED,
    choose_set,
    draft_named,
    published_sets,
)
from costcalc.calculator.charts import json_for_script
from costcalc.calculator.present import present
from costcalc.calculator.views import HTMX_VARY, vary_on_htmx
from costcalc.ratelimit import Limit, limit_message, ratelimit
from costcalc.text import USD, Display, display, money, shown_in

from . import exports
from .compute import Computation, canonical, compute, compute_scenario, figures_of, save_scenario
from .forms import SHARE_LIMIT, SHARE_WINDOW, MigrationForm, ShareForm, slug_from
from .links import absolute, site_root
from .models import Scenario
from .present import (
    compare_chart,
    compare_inputs,
    compare_results,
    differences,
    input_groups,
    migration_chart,
    migration_saving_chart,
    monthly_tables,
    og_description,
    old_new_chart,
    present_migration,
    with_charts,
)

log = logging.getLogger(__name__)

SCENARIO_PAGE_TTL = 24 * 3600  # a pinned page only changes when its set gets a new version
COMPARE_MIN, COMPARE_MAX = 2, 4
COMPARE_LOOKUP = 20  # links looked up at most, however many a query names


def get_scenario(slug: str) -> Scenario:
    return get_object_or_404(Scenario.objects.select_related("assumption_set"), slug=slug)


def newest_version(aset: AssumptionSet) -> AssumptionSet:
    newest = AssumptionSet.objects.published().filter(slug=aset.slug).order_by("-version").first()
    return newest or aset


# --- Sharing -----------------------------------------------------------------------------------


def share_failed(request: HttpRequest, errors: list[str], status: int = 400) -> HttpResponse:
    if request.htmx:
        return render(request, "scenarios/_share_result.html", {"errors": errors}, status=status)
    return render(request, "scenarios/share_failed.html", {"errors": errors}, status=status)


def share_limited(request: HttpRequest, limited: Limit) -> HttpResponse:
    return share_failed(request, [limit_message(limited)], status=429)


@require_POST
@vary_on_htmx
@ratelimit("share", limit=SHARE_LIMIT, window=SHARE_WINDOW, on_limited=share_limited)
def share(request: HttpRequest) -> HttpResponse:
    """Save the calculator's inputs as a scenario: a new, permanent link, or the link of the
    same scenario saved before (200 rather than 201)."""
    form = ShareForm(request.POST)
    if not form.is_valid():
        errors = [str(e) for field in form.errors.values() for e in field]
        return share_failed(request, errors)
    sets = published_sets()
    if not sets:
        return share_failed(request, ["No assumption set is published yet."], status=503)
    query = QueryDict(form.cleaned_data["query"])
    key = query.get("assumptions")
    draft = None if key in {s.key for s in sets} else draft_named(key)
    if draft is not None:
        # A staff member's preview: saving it would pin a set that can still change (or,
        # with the published list alone, quietly save the inputs with another set).
        return share_failed(request, [DRAFT_NOT_SAVED.format(draft.key)])
    aset = choose_set(sets, key)
    computation = compute(query, aset, choices=sets, migration=form.migration)
    if not computation.ok:
        return share_failed(request, computation.problems())
    scenario = save_scenario(
        computation,
        title=form.cleaned_data["title"],
        description=form.cleaned_data["description"].strip(),
    )
    if request.htmx:
        context = {"scenario": scenario, "link": absolute(request, scenario.get_absolute_url())}
        status = 201 if scenario.created else 200
        return render(request, "scenarios/_share_result.html", context, status=status)
    response = HttpResponseRedirect(scenario.get_absolute_url())
    response.status_code = 303  # See Other: the browser GETs the new page
    return response


# --- The scenario page and what hangs off it ---------------------------------------------------


def reported_rows(reported: dict, result: engine.Result | None) -> dict | None:
    """The fintech case: figures as reported beside the model's at list prices."""
    if not reported or result is None:
        return None
    by_name = {o.name: o for o in result.options}
    before, after = by_name.get(reported.get("current")), by_name.get(reported.get("target"))
    if before is None or after is None:
        return None
    modelled_before = float(before.categories["infrastructure"][0])
    modelled_after = float(after.categories["infrastructure"][0])
    containers = int(sum(s.instances[0] for s in before.services))

    def cut(a: float, b: float) -> str:
        return f"{(a - b) / a * 100:.0f}%" if a else "n/a"

    return {
        "before_label": reported.get("before_label", before.name),
        "after_label": reported.get("after_label", after.name),
        "reported_before": money(reported["before"]),
        "reported_after": money(reported["after"]),
        "reported_cut": cut(reported["before"], reported["after"]),
        "modelled_before": money(modelled_before),
        "modelled_after": money(modelled_after),
        "modelled_cut": cut(modelled_before, modelled_after),
        "containers": containers,
        "reported_per_container": money(reported["before"] / containers) if containers else "",
        "modelled_per_container": money(modelled_before / containers) if containers else "",
        "explanation": reported.get("explanation", []),
        "source": reported.get("source", ""),
    }


def page_context(
    request: HttpRequest,
    scenario: Scenario,
    c: Computation,
    *,
    migration: engine.MigrationResult | None = None,
) -> dict:
    """Everything the scenario page and the report show. ``migration`` overrides the stored."""
    migration = migration if migration is not None else c.migration
    results = present(c.result, c.snapshot) if c.result is not None else None
    if results is not None and migration is not None:
        results["charts_json"] = with_charts(
            results["charts_json"],
            migration=migration_chart(migration),
            migration_saving=migration_saving_chart(migration),
        )
    aset = scenario.assumption_set
    newest = newest_version(aset)
    url = absolute(request, scenario.get_absolute_url())
    return {
        "scenario": scenario,
        "aset": aset,
        "newer": newest if newest.version > aset.version else None,
        "form": c.form,
        "results": results,
        "model_error": c.error,
        "table_open": True,  # nothing is typed here: the monthly figures are shown open
        "problems": c.problems(),
        "inputs": input_groups(c.form),
        "migration": present_migration(migration) if migration is not None else None,
        "reported": reported_rows(scenario.reported, c.result),
        "og": {
            "title": scenario.title,
            "description": og_description(scenario.headline, scenario.description),
            "url": url,
        },
        "link": url,
        "currency": display().code,  # of every amount here, named with its rate in the note
        "currency_note": display().note,
        # The results partial asks for the decision panel with the scenario's own inputs.
        "query_string": scenario.query_string(),
    }


PAGE_KEY_SQL = f"""
    SELECT s.title, s.description, s.assumption_set_id,
           (SELECT n.id FROM {AssumptionSet._meta.db_table} n
             WHERE n.slug = a.slug AND n.status = 'published'
             ORDER BY n.version DESC LIMIT 1)
      FROM {Scenario._meta.db_table} s
      JOIN {AssumptionSet._meta.db_table} a ON a.id = s.assumption_set_id
     WHERE s.slug = %s
"""  # noqa: S608 - table names from the models, the slug a parameter


@require_safe
def detail(request: HttpRequest, slug: str) -> HttpResponse:
    """The shared page. Its figures are pinned, so the rendered page is cached.

    The key holds everything the page depends on that can change: the newest published
    version of its set (the page offers to recompute with it), its title and description
    (an admin may correct the words) and the site's address its absolute links are built on
    (settings.SITE_URL: one entry per page, whatever Host a request names).
    """
    # The cache key in one small query, written out: building it through the ORM costs more
    # than serving the cached page. The scenario itself is loaded only to render.
    with connection.cursor() as cursor:
        cursor.execute(PAGE_KEY_SQL, [slug])
        row = cursor.fetchone()
    if row is None:
        raise Http404("No such scenario.")
    title, description, pinned_pk, newest_pk = row
    words = hashlib.sha256(f"{title}\0{description}".encode()).hexdigest()
    key = f"scenario-page:{slug}:{newest_pk or pinned_pk}:{words[:16]}:{site_root(request)}"
    if request.htmx:
        # The results partial adds out-of-band parts for an htmx request: such a page is
        # rendered for that request alone, never stored for the next visitor.
        response = render_detail(request, get_scenario(slug))
        patch_vary_headers(response, HTMX_VARY)
        return response
    cached = cache.get(key)
    if cached is None:
        page = render_detail(request, get_scenario(slug)).content
        # Compressed once too: the page holds no secret (no CSRF token), so the same bytes may
        # go to everyone, and GZipMiddleware leaves an already encoded response alone.
        cached = (page, gzip.compress(page, compresslevel=6, mtime=0))
        cache.set(key, cached, timeout=SCENARIO_PAGE_TTL)
    page, compressed = cached
    if "gzip" in request.headers.get("Accept-Encoding", ""):
        response = HttpResponse(compressed)
        response["Content-Encoding"] = "gzip"
    else:
        response = HttpResponse(page)
    patch_vary_headers(response, ["Accept-Encoding", *HTMX_VARY])
    return response


def render_detail(request: HttpRequest, scenario: Scenario) -> HttpResponse:
    c = compute_scenario(scenario)
    if c.result is not None and canonical(figures_of(c.result, c.migration)) != canonical(
        scenario.figures
    ):
        # Cannot happen while published sets and the engine stay as they are: say so loudly.
        log.error("scenario %s no longer computes its stored figures", scenario.slug)
    with shown_in(c.form.display()):  # the currency the link was saved with
        context = page_context(request, scenario, c)
        context["migration_form"] = migration_form(scenario, c)
        return render(request, "scenarios/scenario.html", context)


def migration_form(scenario: Scenario, c: Computation, data=None) -> MigrationForm | None:
    names = [o.name for o in c.result.options] if c.result is not None else []
    if len(names) < 2:
        return None
    initial = {}
    if scenario.migration is not None:
        initial = {name: getattr(scenario, name) for name in ShareForm.MIGRATION_FIELDS}
    return MigrationForm(data, options=names, initial=initial)


@require_safe
@vary_on_htmx
def migration_preview(request: HttpRequest, slug: str) -> HttpResponse:
    """The scenario with a migration between two of its options, not saved until asked."""
    scenario = get_scenario(slug)
    base = compute(scenario.querydict(), scenario.assumption_set)
    with shown_in(base.form.display()):  # the currency the link was saved with
        return render_migration_preview(request, scenario, base)


def render_migration_preview(
    request: HttpRequest, scenario: Scenario, base: Computation
) -> HttpResponse:
    form = migration_form(scenario, base, request.GET or None)
    preview, error = None, ""
    if form is not None and form.is_valid():
        try:
            preview = engine.migrate(base.result, form.migration(), base.snapshot)
        except engine.ModelError as e:
            error = str(e)
    context = page_context(request, scenario, base, migration=preview)
    context.update(migration_form=form, migration_error=error, preview=True)
    if preview is not None:
        mig = preview.migration
        title = f"{scenario.title}: migrating to {mig.target}"
        context["save_form"] = ShareForm(
            id_prefix="save",
            initial={
                "title": title[:120],
                "description": scenario.description,
                "query": scenario.query_string(),
                "migration_from": mig.current,
                "migration_to": mig.target,
                "rewrite_effort_weeks": mig.effort_weeks,
                "rewrite_months": mig.rewrite_months,
                "overlap_months": mig.overlap_months,
            },
        )
    ok = form is None or not form.is_bound or (form.is_valid() and not error)
    status = 200 if ok else 400
    return render(request, "scenarios/scenario.html", context, status=status)


def as_saved(render):
    """A view of one saved scenario: computed as saved, shown in the currency its link pins
    (for the recompute page too: both versions at the pinned set's rate, so that what changes
    is the figures)."""

    @require_safe
    @wraps(render)
    def view(request: HttpRequest, slug: str) -> HttpResponse:
        scenario = get_scenario(slug)
        computed = compute_scenario(scenario)
        with shown_in(computed.form.display()):
            return render(request, scenario, computed)

    return view


@as_saved
def recompute(request: HttpRequest, scenario: Scenario, old: Computation) -> HttpResponse:
    """The pinned figures beside the same inputs under the newest published version."""
    latest = newest_version(scenario.assumption_set)
    query = scenario.querydict()
    query["assumptions"] = latest.key
    new = compute(query, latest, migration=scenario.migration)
    if new.migration_error:  # the options were renamed or dropped: compare without it
        new = compute(query, latest)
    rows, chart = [], None
    if old.result is not None and new.result is not None:
        rows = differences(old.result, old.option_keys, new.result, new.option_keys)
        old_label = f"v{scenario.assumption_set.version}"
        chart = old_new_chart(old.result, new.result, old_label, f"v{latest.version}")
    reshare = None
    if new.ok:
        initial = {
            "title": scenario.title,
            "description": scenario.description,
            "query": urlencode([(k, v) for k in query for v in query.getlist(k)]),
        }
        if new.migration is not None:
            initial.update({n: getattr(scenario, n) for n in ShareForm.MIGRATION_FIELDS})
        reshare = ShareForm(id_prefix="reshare", initial=initial)
    same_version = latest.pk == scenario.assumption_set_id
    context = {
        "scenario": scenario,
        "old_set": scenario.assumption_set,
        "new_set": latest,
        "same_version": same_version,
        # Why the totals move: each figure from the pinned version to the newest, and the note
        # of every version published since (both versions are published, so neither changes).
        "changes": [] if same_version else changed_figures(latest, before=scenario.assumption_set),
        "published_since": AssumptionSet.objects.published()
        .filter(slug=latest.slug, version__gt=scenario.assumption_set.version)
        .order_by("version"),
        "rows": rows,
        "old_problems": old.problems(),
        "new_problems": new.problems(),
        "old_migration": present_migration(old.migration) if old.migration else None,
        "new_migration": present_migration(new.migration) if new.migration else None,
        "migration_dropped": scenario.migration is not None and new.migration is None,
        "charts_json": json_for_script({"recompute": chart}) if chart else None,
        "calculator_url": f"{reverse('calculator:calculator')}?{initial_query(query)}",
        "reshare": reshare,
        "currency": display().code,
        "currency_note": display().note,
    }
    return render(request, "scenarios/recompute.html", context)


def initial_query(query: QueryDict) -> str:
    return urlencode([(k, v) for k in query for v in query.getlist(k)])


@as_saved
def report(request: HttpRequest, scenario: Scenario, c: Computation) -> HttpResponse:
    """A print-ready page: inputs, totals, charts and every month's figures."""
    context = page_context(request, scenario, c)
    if c.result is not None:
        context["tables"] = monthly_tables(c.result)
        context["baseline"] = c.result.baseline.name
        context["summary"] = [
            {
                "name": o.name,
                "total": money(o.horizon_total),
                "categories": [money(o.totals[cat]) for cat in c.result.categories],
                "saving": money(o.saving_vs_baseline),
                "saving_pct": f"{o.saving_pct:.1f}%",
                "break_even": o.break_even_month,
                "is_baseline": o is c.result.baseline,
                "is_cheapest": o is c.result.cheapest,
            }
            for o in c.result.options
        ]
        context["category_labels"] = [engine.CATEGORY_LABELS[k] for k in c.result.categories]
        context["infrastructure_note"] = c.result.infrastructure_note
    return render(request, "scenarios/report.html", context)


def computed_or_409(scenario: Scenario) -> Computation | HttpResponse:
    c = compute_scenario(scenario)
    if c.result is None:
        message = "This scenario no longer computes: " + "; ".join(c.problems())
        return HttpResponse(message, status=409, content_type="text/plain; charset=utf-8")
    return c


def download(slug: str, body, content_type: str, extension: str) -> HttpResponse:
    """A saved scenario as a file: ``body(scenario, computation)`` gives its bytes or text."""
    scenario = get_scenario(slug)
    c = computed_or_409(scenario)
    if isinstance(c, HttpResponse):
        return c
    response = HttpResponse(body(scenario, c), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="costcalc-{scenario.slug}.{extension}"'
    return response


@require_safe
def export_csv(request: HttpRequest, slug: str) -> HttpResponse:
    def body(scenario, c):
        return exports.monthly_csv(c.result, exports.uncertainty(scenario, c), c.form.display())

    return download(slug, body, "text/csv; charset=utf-8", "csv")


@require_safe
def export_xlsx(request: HttpRequest, slug: str) -> HttpResponse:
    def body(scenario, c):
        return exports.scenario_xlsx(scenario, c, absolute(request, scenario.get_absolute_url()))

    return download(slug, body, exports.XLSX_TYPE, "xlsx")


@require_safe
def export_json(request: HttpRequest, slug: str) -> HttpResponse:
    def body(scenario, c):
        link = absolute(request, scenario.get_absolute_url())
        return orjson.dumps(exports.scenario_json(scenario, c, link), option=orjson.OPT_INDENT_2)

    return download(slug, body, "application/json", "json")


# --- Gallery and comparison --------------------------------------------------------------------


@require_safe
def gallery(request: HttpRequest) -> HttpResponse:
    examples = Scenario.objects.filter(is_example=True).select_related("assumption_set")
    examples = examples.order_by("example_order", "title")
    return render(request, "scenarios/gallery.html", {"examples": examples})


@require_safe
def compare(request: HttpRequest) -> HttpResponse:
    """Two to four saved scenarios side by side: /compare/?s=<code>&s=<code>."""
    slugs, unreadable = [], []
    for text in request.GET.getlist("s"):
        if not text.strip():
            continue
        slug = slug_from(text)
        if slug is None:
            unreadable.append(text[:80])
        elif slug not in slugs:
            slugs.append(slug)
    examples = Scenario.objects.filter(is_example=True).order_by("example_order", "title")
    context = {"examples": examples, "chosen": slugs, "entries": [], "errors": []}
    if unreadable:
        context["errors"].append(
            "These are not links to saved scenarios: " + ", ".join(unreadable) + "."
        )
    if not slugs and not unreadable:
        return render(request, "scenarios/compare.html", context)
    if not COMPARE_MIN <= len(slugs) <= COMPARE_MAX:
        context["errors"].append(
            f"Choose from {COMPARE_MIN} to {COMPARE_MAX} scenarios to compare "
            f"({len(slugs)} chosen)."
        )
    looked_up = slugs[:COMPARE_LOOKUP]
    found = {s.slug: s for s in Scenario.objects.filter(slug__in=looked_up)}
    missing = [s for s in looked_up if s not in found]
    context["shared_choices"] = [found[s] for s in slugs if s in found and not found[s].is_example]
    if missing:
        context["errors"].append("No saved scenario has the link code " + ", ".join(missing) + ".")
    if context["errors"]:
        return render(request, "scenarios/compare.html", context, status=404 if missing else 400)

    computed = [(found[slug], compute_scenario(found[slug])) for slug in slugs]
    shown, context["currency_mixed"] = compare_display([c for _, c in computed])
    with shown_in(shown):
        return render_compare(request, context, computed)


def compare_display(computations: list[Computation]) -> tuple[Display, bool]:
    """The currency the scenarios compared are shown in: the one they were all saved with, at
    the first one's pinned rate; US dollars (and True) when they were saved in different ones."""
    shown = [c.form.display() for c in computations]
    if len({d.code for d in shown}) > 1:
        return USD, True
    return shown[0], False


def render_compare(
    request: HttpRequest, context: dict, computed: list[tuple[Scenario, Computation]]
) -> HttpResponse:
    charted, forms, results = [], [], []
    for scenario, c in computed:
        aset = scenario.assumption_set
        forms.append((f"{aset.name} version {aset.version}", c.form))
        results.append(c.result)
        entry = {"scenario": scenario, "problems": c.problems(), "options": []}
        if c.result is not None:
            cheapest = c.result.cheapest
            entry["horizon"] = len(c.result.months)
            entry["options"] = [
                {"name": o.name, "total": money(o.horizon_total), "is_cheapest": o is cheapest}
                for o in c.result.options
            ]
            if c.migration is not None:
                entry["migration"] = present_migration(c.migration)
            charted.append((scenario.title, c.result))
        context["entries"].append(entry)
    context["inputs"] = compare_inputs(forms)
    context["differing"] = [
        r["label"] for g in context["inputs"] for r in g["rows"] if r["differs"]
    ]
    context["results"] = compare_results(results)
    context["charts_json"] = json_for_script({"compare": compare_chart(charted)})
    context["currency"], context["currency_note"] = display().code, display().note
    return render(request, "scenarios/compare.html", context)
