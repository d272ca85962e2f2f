"""The JSON API's endpoints under /api/v1/: calculate, the decision insight, saved scenarios
(share links), and the published assumption sets; the ``api`` object, its JSON and its errors
are base.py's.

Errors: 400 for a body that is not JSON, 403 for a browser's save from another site, 404 for an
unknown assumption set or link, 413 for a body past base.MAX_BODY_BYTES, 415 for a save that
is not JSON, 422 for everything else wrong with a scenario, 429 past the rate limit on saving
or on the insight, 500 (logged) for a fault of ours.

No endpoint reads a session or a cookie, so none needs a CSRF token: ninja exempts its views.
POST calculate only computes; POST scenarios writes, so it shares the page's Share rate limit
and takes JSON only (a form on another site can send text/plain without a preflight, not JSON).
"""

from __future__ import annotations

import math

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from ninja import Path, Query, Status
from ninja.decorators import decorate_view

from costcalc.assumptions.models import AssumptionSet, InstanceType, MarketRate, Stack
from costcalc.assumptions.selectors import published_sets
from costcalc.assumptions.snapshot import snapshot
from costcalc.engine.figures import FIGURE_UNITS
from costcalc.ratelimit import Limit, client_ip, hit, limit_message, ratelimit
from costcalc.scenarios import exports
from costcalc.scenarios.compute import (
    compute_scenario,
)
from costcalc.scenarios.examples import read as worked_examples
from costcalc.scenarios.format import (
    SLUG_PATTERN,
    InsightOut,
    Resolved,
    Scenario,
    ScenarioError,
    ScenarioToSave,
    find_set,
    insight_json,
    migration_json,
    problem,
    resolve,
    results_json,
    set_json,
)
from costcalc.scenarios.forms import SHARE_LIMIT, SHARE_WINDOW
from costcalc.scenarios.links import absolute
from costcalc.scenarios.models import Scenario as SavedScenario
from costcalc.scenarios.saving import page_computation, store
from costcalc.text import shown_in

from . import schemas
from .base import api, capped, error_response, json_only

# The insight costs the scenario about 2,000 times (its Monte Carlo) and a few hundred more
# (the crossover grid and search, the tornado's swings and flips): 25 ms for the default
# scenario, 87 ms for three stacks and 1.9 s for the largest the schema takes (8 options of
# 10 services over 60 months), measured on a loaded machine (load 14 on 2 cores) where
# calculate takes 1 to 5 ms. So each client has INSIGHT_LIMIT units a minute, and a request
# counts one unit per INSIGHT_UNIT service-months (services of every option times the
# horizon), at least one: the default scenario (3 x 24) is 1 unit, the largest (80 x 60) 10.
INSIGHT_SCOPE = "insight"
INSIGHT_LIMIT = 30
INSIGHT_WINDOW = 60
INSIGHT_UNIT = 480
# Saving shares one allowance with the page's Share button (POST /s/): per client, 10 a minute.
SAVE_SCOPE = "share"


def request_examples(examples: dict[str, tuple[str, dict]]) -> dict:
    """examples/*.json (name: (title, body)), offered by the docs page's "Try it out" (and
    tried by schemathesis)."""
    content = {name: {"summary": title, "value": body} for name, (title, body) in examples.items()}
    return {"requestBody": {"content": {"application/json": {"examples": content}}}}


def calculate_examples() -> dict:
    """The worked examples as calculate takes them: the scenario documents alone."""
    return request_examples({e.slug: (e.title, e.document()) for e in worked_examples()})


def save_examples() -> dict:
    """The worked examples as POST /scenarios takes them: with their titles."""
    return request_examples({e.slug: (e.title, e.to_save()) for e in worked_examples()})


def scenario_route(method: str, path: str, operation_id: str, response: dict, **options):
    """A route answering a scenario's results, tagged by its path: a migration's "from" is an
    alias (a Python keyword), so these answer by alias."""
    tag = path.strip("/").split("/")[0]
    route = getattr(api, method)(
        path, operation_id=operation_id, response=response, by_alias=True, tags=[tag], **options
    )
    if method != "post":
        return route
    return lambda view: route(decorate_view(capped)(view))


@scenario_route(
    "post",
    "/calculate",
    "calculate",
    {200: schemas.CalculateOut, **schemas.ERRORS},
    openapi_extra=calculate_examples(),
    summary="Cost every option of a scenario over its horizon",
    description=(
        "Send a scenario; get each option's totals by category, its monthly series, "
        "infrastructure per 100K RPS, break-even month, and the exact assumption-set version "
        "used; with a `migration`, the cost of staying against that of migrating, month by "
        "month, and its break-even month. The page shows the same figures for the same inputs."
    ),
)
def calculate(request: HttpRequest, scenario: Scenario):
    resolved = resolve(scenario)
    with shown_in(resolved.display):  # the sentences (notes) name amounts as the page does
        return results_json(resolved, resolved.compute())


def limited(request: HttpRequest, limit: Limit) -> HttpResponse:
    errors = [problem([], limit_message(limit), "rate_limited")]
    return error_response(request, 429, "Too many requests.", errors)


RETRY_AFTER = {
    429: {
        "headers": {
            "Retry-After": {
                "description": "Seconds until the client may send again.",
                "schema": {"type": "integer"},
            }
        }
    }
}


@scenario_route(
    "post",
    "/insight",
    "insight",
    {200: InsightOut, **schemas.INSIGHT_ERRORS},
    url_name="insight",
    openapi_extra={**calculate_examples(), "responses": RETRY_AFTER},
    summary="What decides it: crossovers, uncertainty, what flips the answer, a verdict",
    description=(
        'Send a scenario, as to `calculate`; get what the page\'s "What decides it" panel '
        "shows for it, as numbers: where the cheapest option changes with traffic, each "
        "option's P10/P50/P90 (overall, by category and month by month) and the chance it is "
        "cheapest from the seeded 2,000-draw Monte Carlo, each assumption's swing with the "
        "value that flips the order, the verdict's sentences, and the answer under the other "
        "shipped assumption set. The same seed as the page: the same figures to the cent. "
        f"Limited per client: {INSIGHT_LIMIT} units a minute, a scenario counting one per "
        f"{INSIGHT_UNIT} service-months (its options' services times the horizon; the "
        "default scenario is 1, the largest 10); 429 with Retry-After past it."
    ),
)
def insight(request: HttpRequest, scenario: Scenario):
    resolved = resolve(scenario)
    refused = insight_limited(request, resolved)
    if refused is not None:
        return refused
    with shown_in(resolved.display):  # the verdict's and crossovers' sentences
        return insight_json(resolved)


def insight_units(resolved: Resolved) -> int:
    services = sum(len(o.services) for o in resolved.options)
    return max(1, math.ceil(services * resolved.inputs.horizon_months / INSIGHT_UNIT))


def insight_limited(request: HttpRequest, resolved: Resolved) -> HttpResponse | None:
    """The 429 once a client passes INSIGHT_LIMIT units a minute (DJANGO_RATE_LIMITS can
    replace it, as any scope's); None within it. Counted here, not by @ratelimit, since the
    cost is the scenario's size, known once it is read."""
    allowed = settings.RATE_LIMITS.get(INSIGHT_SCOPE, INSIGHT_LIMIT)
    count = hit(
        INSIGHT_SCOPE,
        client_ip(request),
        limit=allowed,
        window=INSIGHT_WINDOW,
        cost=insight_units(resolved),
    )
    if count.allowed:
        return None
    response = limited(request, count)
    response.status_code = 429
    response["Retry-After"] = str(count.retry_after)
    return response


@scenario_route(
    "post",
    "/scenarios",
    "saveScenario",
    {201: schemas.SavedOut, 200: schemas.SavedOut, **schemas.SAVE_ERRORS},
    url_name="scenarios",
    openapi_extra={
        **save_examples(),
        "responses": {
            201: {
                "headers": {
                    "Location": {
                        "description": "The saved scenario in the API.",
                        "schema": {"type": "string"},
                    }
                }
            },
            **RETRY_AFTER,
        },
    },
    summary="Save a scenario as a share link",
    description=(
        "Send a scenario, as to `calculate`, with a title; get its share link (the page "
        "/s/<slug>/, which shows the same figures) and its results. The link is a calculator "
        "page, so the scenario must be one the page can show: single stacks in the page's "
        "order (by name), then at most one hybrid, the names the "
        "page gives them, no service labels. A `migration` is saved with it, as the page's "
        "Share button saves one, and the link's page shows it. The same scenario (inputs, "
        "options, pinned version and migration) saved before answers that link, 200 instead "
        "of 201, with its first title. Shares the page's Share "
        "limit per client (10 a minute): 429 with Retry-After past it."
    ),
)
@decorate_view(
    json_only,
    ratelimit(SAVE_SCOPE, limit=SHARE_LIMIT, window=SHARE_WINDOW, on_limited=limited),
)
def save(request: HttpRequest, scenario: ScenarioToSave, response: HttpResponse):
    resolved, result, computation = page_computation(scenario.scenario())
    saved = store(computation, title=scenario.title, description=scenario.description.strip())
    response["Location"] = reverse("api:scenario", kwargs={"slug": saved.slug})
    return Status(
        201 if saved.created else 200,
        {
            "slug": saved.slug,
            "url": absolute(request, saved.get_absolute_url()),
            "title": saved.title,
            "assumption_set": set_json(resolved.aset),
            "results": results_json(resolved, result),
        },
    )


@scenario_route(
    "get",
    "/scenarios/{slug}",
    "getScenario",
    {200: schemas.SavedDetail, **{status: schemas.ErrorOut for status in (404, 409, 422)}},
    url_name="scenario",
    summary="A saved scenario (share link): its inputs as a scenario, and its results",
    description=(
        "Computed again from the saved inputs and the pinned published set, which never "
        "changes: the figures the link's page shows, its migration included. 409 if it no "
        "longer computes."
    ),
)
def saved_scenario(
    request: HttpRequest,
    slug: str = Path(..., pattern=SLUG_PATTERN, max_length=64),
):
    saved = SavedScenario.objects.select_related("assumption_set").filter(slug=slug).first()
    if saved is None:
        message = f"No saved scenario has the link code '{slug}'."
        raise ScenarioError([problem(["path", "slug"], message, "not_found")], 404)
    computation = compute_scenario(saved)
    if computation.result is None:
        errors = [problem([], p, "model_error") for p in computation.problems()]
        return error_response(request, 409, "This scenario no longer computes.", errors)
    link = absolute(request, saved.get_absolute_url())
    data = exports.scenario_json(saved, computation, link, bands=False)
    migration = migration_json(computation.migration, computation.result)
    scenario = data["scenario"]
    if migration is not None:  # the export's results leave the migration beside them
        data["results"]["migration"] = migration
        scenario["migration"] = {
            key: migration[key]
            for key in ("from", "to", "effort_weeks", "rewrite_months", "overlap_months")
        }
    return {
        "slug": saved.slug,
        "url": link,
        "title": saved.title,
        "description": saved.description,
        "created_at": data["saved_at"],
        "assumption_set": data["assumption_set"],
        "scenario": scenario,
        "results": {**data["results"], "scenario": scenario},  # the export gives it once
        "migration": migration,
    }


def set_links(aset: AssumptionSet) -> dict:
    api_url = reverse("api:assumption-set", kwargs={"slug": aset.slug})
    return {"url": f"{api_url}?version={aset.version}", "page": aset.get_absolute_url()}


@api.get(
    "/assumption-sets",
    response=schemas.SetList,
    operation_id="listAssumptionSets",
    tags=["assumption sets"],
    summary="Every published assumption set, newest version first",
)
def assumption_sets(request: HttpRequest):
    sets = sorted(published_sets(), key=lambda s: (s.slug, -s.version))
    newest = {}
    for aset in sets:
        newest.setdefault(aset.slug, aset.version)
    return {
        "assumption_sets": [
            {
                **set_json(aset),
                "summary": aset.summary,
                "newest": aset.version == newest[aset.slug],
                **set_links(aset),
            }
            for aset in sets
        ]
    }


def figures(row, names) -> dict:
    """A snapshot row's figures: value, range, unit (as the public pages show it) and source."""
    out = {}
    for name in names:
        figure = getattr(row, name)
        unit = FIGURE_UNITS.get(name, ("", 0))[0]
        out[name] = {
            "value": figure.base,
            "low": figure.low,
            "high": figure.high,
            "unit": unit,
            "source": figure.source,
        }
    return out


@api.get(
    "/assumption-sets/{slug}",
    response={200: schemas.SetDetail, 404: schemas.ErrorOut, 422: schemas.ErrorOut},
    operation_id="getAssumptionSet",
    tags=["assumption sets"],
    url_name="assumption-set",
    summary="One published assumption set: every figure with its range, unit and source",
)
def assumption_set(
    request: HttpRequest,
    slug: str = Path(..., pattern=SLUG_PATTERN, max_length=50),
    version: int | None = Query(None, ge=1, le=2**31 - 1, description="Default: the newest."),
):
    aset = find_set(slug, version, slug_loc=("path", "slug"), version_loc=("query", "version"))
    snap = snapshot(aset)
    versions = sorted(s.version for s in published_sets() if s.slug == slug)
    return {
        **set_json(aset),
        "summary": aset.summary,
        "notes": aset.notes,
        "versions": versions,
        "page": aset.get_absolute_url(),
        "stacks": [
            {
                "slug": s.slug,
                "name": s.name,
                "language": s.language,
                "figures": figures(s, Stack.figures),
            }
            for s in snap.stacks.values()
        ],
        "markets": [
            {
                "slug": m.slug,
                "name": m.name,
                "rates": [
                    {"language": rate.language, "figures": figures(rate, MarketRate.figures)}
                    for (market, _), rate in sorted(snap.rates.items())
                    if market == m.slug
                ],
            }
            for m in snap.markets.values()
        ],
        "instance_types": [
            {
                **{name: getattr(i, name) for name in schemas.INSTANCE_DEFINITION},
                "figures": figures(i, InstanceType.figures),
            }
            for i in snap.instances.values()
        ],
        "platform_prices": [
            {
                "slug": p.slug,
                "name": p.name,
                "kind": p.kind,
                "unit": p.unit,
                "provider": p.provider,
                "region": p.region,
                "figures": {
                    name: {**f, "unit": p.unit} for name, f in figures(p, ("value",)).items()
                },
            }
            for p in snap.platform.values()
        ],
        "exchange_rates": [
            {"currency": r.currency, "per_euro": r.per_euro, "date": r.date, "source": r.source}
            for _, r in sorted(snap.exchange_rates.items())
        ],
        "sources": [
            {
                "key": s.key,
                "title": s.title,
                "url": s.url,
                "publisher": s.publisher,
                "date": s.date,
                "note": s.note,
            }
            for s in sorted(snap.sources.values(), key=lambda s: s.key)
        ],
    }


def not_found(request: HttpRequest, rest: str = "") -> HttpResponse:
    """Any other path under /api/v1/: a JSON 404 rather than the site's HTML page."""
    errors = [problem([], "No such endpoint.", "not_found")]
    return error_response(request, 404, "Not found.", errors)
