"""A small per-client rate limit on Django's cache, for endpoints that write.

Counts requests per client and scope in fixed windows (say 10 per 60 seconds) with the cache's
atomic ``add`` and ``incr``: the local-memory cache in one process, Redis (``REDIS_URL``)
across workers and machines.

The client is ``REMOTE_ADDR``. Behind a reverse proxy or load balancer every request comes
from the proxy's address, so all clients would share one allowance: the deployment must then
put the client's address in ``REMOTE_ADDR`` (for example gunicorn's ``--forwarded-allow-ips``
with a proxy that sets ``X-Forwarded-For``, or the proxy's own real-IP module). This module
never reads ``X-Forwarded-For`` itself, since any client can send that header.

Usage::

    @ratelimit("share", limit=10, window=60, on_limited=my_429_response)
    def share(request): ...
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from hashlib import blake2b

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse

WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


@dataclass(frozen=True, slots=True)
class Limit:
    allowed: bool
    count: int  # requests in this window, this one included
    limit: int
    window: int  # seconds
    retry_after: int  # whole seconds until the window ends


def client_ip(request: HttpRequest) -> str:
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def hit(scope: str, client: str, *, limit: int, window: int, now: float | None = None) -> Limit:
    """Count one request by ``client`` in ``scope`` and say whether it is within the limit."""
    now = time.time() if now is None else now
    bucket = int(now // window)
    digest = blake2b(client.encode(), digest_size=12).hexdigest()  # short, safe cache keys
    key = f"ratelimit:{scope}:{digest}:{bucket}"
    # add() only sets a missing key; incr() is atomic in both the memory cache and Redis.
    cache.add(key, 0, timeout=window + 1)
    try:
        count = cache.incr(key)
    except ValueError:  # the key expired between add() and incr()
        cache.set(key, 1, timeout=window + 1)
        count = 1
    retry_after = max(1, math.ceil((bucket + 1) * window - now))
    return Limit(
        allowed=count <= limit, count=count, limit=limit, window=window, retry_after=retry_after
    )


def too_many(request: HttpRequest, limited: Limit) -> HttpResponse:
    """The plain answer: 429 with a sentence a person can act on."""
    return HttpResponse(
        limit_message(limited),
        status=429,
        content_type="text/plain; charset=utf-8",
    )


def limit_message(limited: Limit) -> str:
    per = "a minute" if limited.window == 60 else f"every {limited.window} seconds"
    seconds = limited.retry_after
    wait = f"{seconds} second{'s' if seconds != 1 else ''}"
    return f"Too many requests: at most {limited.limit} {per}. Please try again in {wait}."


def ratelimit(
    scope: str,
    *,
    limit: int,
    window: int = 60,
    methods: frozenset[str] = WRITE_METHODS,
    on_limited: Callable[[HttpRequest, Limit], HttpResponse] = too_many,
):
    """Answer 429 (with a Retry-After header) once a client passes ``limit`` per ``window``."""

    def decorator(view):
        @wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs):
            if request.method in methods:
                limited = hit(scope, client_ip(request), limit=limit, window=window)
                if not limited.allowed:
                    response = on_limited(request, limited)
                    response.status_code = 429
                    response["Retry-After"] = str(limited.retry_after)
                    return response
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
