"""The API's plumbing (django-ninja): the ``api`` object the endpoints (api.py) register on,
JSON in and out by orjson, the docs page, and every error in one shape, ``{"detail": ...,
"errors": [{"loc", "msg", "type"}]}``, where ``loc`` is the JSON path of the value at fault;
and the guards a POST passes before it is parsed (its size; for saving, JSON from this site).
"""

from __future__ import annotations

import logging
import traceback
from functools import wraps
from io import BytesIO

import orjson
from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from ninja import NinjaAPI
from ninja.errors import HttpError, ValidationError
from ninja.openapi.docs import DocsBase
from ninja.parser import Parser
from ninja.renderers import BaseRenderer

from costcalc.scenarios.format import ScenarioError, dumps, problem, pydantic_problems
from costcalc.scenarios.links import site_root
from costcalc.text import plural

log = logging.getLogger(__name__)

# The largest body the API reads. The largest valid scenario, every field at its longest and
# every character escaped (8 options of 10 labelled services; names, labels and description
# of \uXXXX pairs), is 103 KB, 109 KB indented (tests/test_api_limits.py builds it); the
# largest worked example is 3.7 KB. 256 KiB holds the first twice over; Django's own limit,
# 2.5 MB, let 250 bodies of 2.4 MB grow a gunicorn worker from 85 MB to 146 MB.
MAX_BODY_BYTES = 256 * 1024
JSON_TYPES = ("application/json",)


class ORJSONParser(Parser):
    def parse_body(self, request: HttpRequest):
        return orjson.loads(request.body)  # NaN and Infinity are not JSON: a 400, not a number


class ORJSONRenderer(BaseRenderer):
    media_type = "application/json"

    def render(self, request: HttpRequest, data, *, response_status: int) -> bytes:
        return dumps(data)


class Docs(DocsBase):
    """swagger-ui served from static/vendor/, so the page keeps the site's CSP (no CDN)."""

    def render_page(self, request: HttpRequest, api: NinjaAPI, **kwargs) -> HttpResponse:
        context = {"openapi_url": self.get_openapi_url(api, kwargs), "site": site_root(request)}
        return render(request, "api/docs.html", context)


class API(NinjaAPI):
    def __init__(self, **options):
        super().__init__(**options)
        self.openapi_schemas: dict[str, dict] = {}

    def on_exception(self, request: HttpRequest, exc: Exception) -> HttpResponse:
        response = super().on_exception(request, exc)
        # ninja's _get_values keeps the pydantic errors it catches, and the ValidationError it
        # raises, in locals of its frame, which their tracebacks hold: cycles through the
        # request and the parsed body that only a collection of their generation frees, in a
        # busy worker a full one (250 bodies of 2.4 MB answered 422 grew a worker by 61 MB).
        # Once answered (and logged), no traceback is needed: the frames let go of their
        # locals, and the cycles are gone.
        seen = set()
        while exc is not None and id(exc) not in seen:
            seen.add(id(exc))
            traceback.clear_frames(exc.__traceback__)
            exc.__traceback__ = None
            exc = exc.__cause__ or exc.__context__
        return response

    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        # Built once per process and prefix: it took 37 to 42 ms a request (0.9 ms served
        # built), and the routes and their schemas are fixed at import. Shared: read-only.
        if path_prefix is None:
            path_prefix = self.get_root_path(path_params or {})
        if path_prefix not in self.openapi_schemas:
            self.openapi_schemas[path_prefix] = super().get_openapi_schema(path_prefix=path_prefix)
        return self.openapi_schemas[path_prefix]


api = API(
    title="costcalc API",
    version="1",
    description=(
        "What a backend stack costs to own, month by month: send a scenario to `calculate`. "
        "The scenario format, examples and errors are described in docs/api.md."
    ),
    urls_namespace="api",
    docs=Docs(),
    parser=ORJSONParser(),
    renderer=ORJSONRenderer(),
)


def error_response(request, status: int, detail: str, errors: list[dict]) -> HttpResponse:
    return api.create_response(request, {"detail": detail, "errors": errors}, status=status)


@api.exception_handler(ScenarioError)
def scenario_error(request, exc: ScenarioError):
    detail = (
        "Not found."
        if exc.status == 404
        else f"{plural(len(exc.errors), 'problem')} in the request."
    )
    return error_response(request, exc.status, detail, exc.errors)


@api.exception_handler(ValidationError)
def validation_error(request, exc: ValidationError):
    # ninja puts a body's errors under ["body", <parameter name>]: the path starts after them.
    errors = []
    for e in exc.errors:
        loc = list(e["loc"])
        if loc[:1] == ["body"]:
            loc = loc[2:]
        errors.append({**e, "loc": loc})
    problems = pydantic_problems(errors)
    for p in problems:
        if p["loc"] == [] and p["type"] == "missing":
            p["msg"] = "The request has no body: send a scenario as JSON."
    return error_response(
        request, 422, f"{plural(len(problems), 'problem')} in the request.", problems
    )


@api.exception_handler(HttpError)
def http_error(request, exc: HttpError):
    cause = exc.__cause__
    if isinstance(cause, orjson.JSONDecodeError | UnicodeDecodeError):
        errors = [problem([], f"The body is not JSON: {cause}", "json_invalid")]
        return error_response(request, 400, "Malformed JSON.", errors)
    return error_response(request, exc.status_code, str(exc), [problem([], str(exc), "http")])


def too_large(request: HttpRequest) -> HttpResponse:
    message = f"The body is larger than {MAX_BODY_BYTES:,} bytes, the most the API reads."
    return error_response(request, 413, "Request too large.", [problem([], message, "too_large")])


@api.exception_handler(RequestDataTooBig)
def too_big(request, exc: RequestDataTooBig):
    return too_large(request)


@api.exception_handler(Http404)
def http_404(request, exc: Http404):
    errors = [problem([], str(exc) or "Not found.", "not_found")]
    return error_response(request, 404, "Not found.", errors)


@api.exception_handler(Exception)
def server_error(request, exc: Exception):
    """A fault of ours: logged with its traceback, answered in the API's shape (ninja's own
    handler re-raised it to Django, whose error page is HTML)."""
    log.error("%s %s failed", request.method, request.path, exc_info=exc)
    message = "Something went wrong on our side; it has been logged."
    return error_response(request, 500, "Server error.", [problem([], message, "server_error")])


def body_length(request: HttpRequest) -> int:
    try:
        return max(int(request.META.get("CONTENT_LENGTH") or 0), 0)
    except ValueError:
        return 0  # Django reads no body then either


def capped(run):
    """A POST's body refused past MAX_BODY_BYTES before it is read or parsed: by its
    Content-Length, then by the length read (a stream can hold more than it announced).
    Once answered, the request lets go of its body."""

    @wraps(run)
    def checked(request: HttpRequest, *args, **kwargs):
        try:
            if body_length(request) > MAX_BODY_BYTES or len(request.body) > MAX_BODY_BYTES:
                return too_large(request)
        except RequestDataTooBig:  # past Django's own limit, which it checks as it reads
            return too_large(request)
        try:
            return run(request, *args, **kwargs)
        finally:
            forget_body(request)

    return checked


def forget_body(request: HttpRequest) -> None:
    # Django's middleware puts every request in reference cycles of its own (the lazy user,
    # the message storage, htmx's details), and a request alive through a few hundred
    # allocations is promoted to an older generation: it then lasts until a full collection,
    # body and all. Nothing reads the body after the answer (reading it now raises).
    if hasattr(request, "_body"):
        del request._body
        request._stream = BytesIO()


def same_site(request: HttpRequest) -> bool:
    """Whether a browser's request comes from this site (no Origin: not a browser's POST)."""
    origin = request.headers.get("Origin")
    return origin is None or origin in (site_root(request), *settings.CSRF_TRUSTED_ORIGINS)


def json_only(run):
    """Saving writes a row, so it takes JSON alone: a page elsewhere can make its visitors'
    browsers POST text/plain or a form without asking, but JSON only after a CORS preflight,
    which this API never grants. A browser's Origin must be this site's all the same."""

    @wraps(run)
    def checked(request: HttpRequest, *args, **kwargs):
        if request.content_type not in JSON_TYPES:
            message = (
                f"Send the scenario as JSON, with Content-Type: application/json (not "
                f"'{request.content_type or 'none'}')."
            )
            errors = [problem([], message, "unsupported_media_type")]
            return error_response(request, 415, "Unsupported media type.", errors)
        if not same_site(request):
            message = "Scenarios are saved from this site's pages or from outside a browser."
            errors = [problem([], message, "cross_site")]
            return error_response(request, 403, "Cross-site request.", errors)
        return run(request, *args, **kwargs)

    return checked
