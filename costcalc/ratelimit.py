"""A small per-client rate limit on Django's cache, for endpoints that write.

Counts requests per client and scope in fixed windows (say 10 per 60 seconds) with the cache's
atomic ``add`` and ``incr``, in the cache alias ``ratelimit`` (settings.py): Redis when
``REDIS_URL`` is set, else a table in the database, so that every worker counts together and
a worker's restart forgets nothing (with the memory cache, ``make serve``'s five workers let
18 saves of 30 through a 10-a-minute limit, and recycling a worker reset the count). Memory
only in debug.

The client is ``REMOTE_ADDR``, an IPv6 address counted by its /64 (the block one host is
given, so a client cannot take a fresh allowance per address). Behind a reverse proxy every
request comes from the proxy's address: list the proxy in ``DJANGO_TRUSTED_PROXIES`` and have
it set ``X-Real-IP`` to the client's address, as ``make serve``'s nginx does; the header is
read from those addresses only, since any client can send it. This module never reads
``X-Forwarded-For``.

``DJANGO_RATE_LIMITS`` (settings.RATE_LIMITS) replaces a scope's limit, e.g. to lift the save
limit for a load test.

Usage::

    @ratelimit("share", limit=10, window=60, on_limited=my_429_response)
    def share(request): ...
"""

from __future__ import annotations

import base64
import ipaddress
import math
import pickle
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import wraps
from hashlib import blake2b

from django.apps import AppConfig
from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends import db
from django.db import connections, router
from django.db.models.signals import post_migrate
from django.http import HttpRequest, HttpResponse

WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
IPV6_PREFIX = 64


@dataclass(frozen=True, slots=True)
class Limit:
    allowed: bool
    count: int  # requests in this window, this one included
    limit: int
    window: int  # seconds
    retry_after: int  # whole seconds until the window ends


def client_ip(request: HttpRequest) -> str:
    """The client's address as counted: an IPv6 address as its /64 network."""
    address = request.META.get("REMOTE_ADDR", "") or "unknown"
    if address in settings.TRUSTED_PROXIES:
        address = request.META.get("HTTP_X_REAL_IP", "").strip() or address
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address
    if ip.version == 6 and ip.ipv4_mapped:
        return str(ip.ipv4_mapped)
    if ip.version == 6:
        return str(ipaddress.ip_network(f"{ip}/{IPV6_PREFIX}", strict=False))
    return str(ip)


def posted_username(request: HttpRequest) -> str | None:
    """The account a login form names, so that guesses spread over many addresses still count
    against the one account (None when the form names none)."""
    username = request.POST.get("username", "").strip().casefold()
    return f"user:{username}" if username else None


def counters():
    return caches["ratelimit"]


def hit(
    scope: str,
    client: str,
    *,
    limit: int,
    window: int,
    now: float | None = None,
    cost: int = 1,
) -> Limit:
    """Count one request by ``client`` in ``scope`` and say whether it is within the limit.

    ``cost``: how many it counts for (the API's insight counts a large scenario as several).
    """
    now = time.time() if now is None else now
    bucket = int(now // window)
    digest = blake2b(client.encode(), digest_size=12).hexdigest()  # short, safe cache keys
    key = f"ratelimit:{scope}:{digest}:{bucket}"
    cache = counters()
    # add() only sets a missing key; incr() is atomic in the memory cache, Redis and the
    # DatabaseCache below.
    cache.add(key, 0, timeout=window + 1)
    try:
        count = cache.incr(key, cost)
    except ValueError:  # the key expired between add() and incr()
        cache.set(key, cost, timeout=window + 1)
        count = cost
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
    keys: Iterable[Callable[[HttpRequest], str | None]] = (client_ip,),
):
    """Answer 429 (with a Retry-After header) once a client passes ``limit`` per ``window``.

    Each of ``keys`` names what is counted (the client's address; for a login, the account
    too): every one counts the request, and any one over the limit refuses it.
    """
    keys = tuple(keys)

    def decorator(view):
        @wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs):
            if request.method in methods:
                allowed = settings.RATE_LIMITS.get(scope, limit)
                hits = [
                    hit(scope, key, limit=allowed, window=window)
                    for key in (key_of(request) for key_of in keys)
                    if key is not None
                ]
                refused = [h for h in hits if not h.allowed]
                if refused:
                    limited = max(refused, key=lambda h: h.retry_after)
                    response = on_limited(request, limited)
                    response.status_code = 429
                    response["Retry-After"] = str(limited.retry_after)
                    return response
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


class DatabaseCache(db.DatabaseCache):
    """Django's database cache with an atomic ``incr``.

    Django's is a get and then a set: two workers counting at once both write the same next
    number, and one request goes uncounted. This one writes the next number only where the
    row still holds the number it read (compare and swap, one UPDATE, atomic in SQLite and
    PostgreSQL alike) and reads again when another writer came first.
    """

    def incr(self, key, delta=1, version=None):
        stored_key = self.make_and_validate_key(key, version=version)
        connection = connections[router.db_for_write(self.cache_model_class)]
        table, column = connection.ops.quote_name(self._table), connection.ops.quote_name
        for _ in range(1000):  # each pass loses only to a writer that counted
            value = self.get(key, version=version)
            if value is None:
                raise ValueError(f"Key '{key}' not found")
            with connection.cursor() as cursor:
                cursor.execute(
                    f"UPDATE {table} SET {column('value')} = %s "
                    f"WHERE {column('cache_key')} = %s AND {column('value')} = %s",
                    [self.encode(value + delta), stored_key, self.encode(value)],
                )
                if cursor.rowcount == 1:
                    return value + delta
        raise RuntimeError(f"could not count {key!r}: too many writers at once")

    def encode(self, value) -> str:
        # As DatabaseCache._base_set stores a value; an int always pickles to the same bytes.
        return base64.b64encode(pickle.dumps(value, self.pickle_protocol)).decode("latin1")


def create_cache_tables(using: str = "default", **kwargs) -> None:
    """After every migrate (the test database's too): the counters' table, when the
    rate-limit cache is one, so that no deployment step can forget it."""
    from django.core.management import call_command

    call_command("createcachetable", database=using, verbosity=0)


class RateLimitConfig(AppConfig):
    name = "costcalc.ratelimit"
    label = "ratelimit"
    verbose_name = "Rate limits"
    path = str(settings.BASE_DIR / "costcalc")

    def ready(self) -> None:
        # Django sends post_migrate only for apps with models, so not with this one as sender:
        # once per such app, each after the first finding the table there.
        post_migrate.connect(create_cache_tables, dispatch_uid="costcalc.ratelimit")
