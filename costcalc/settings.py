"""One settings module, driven by environment variables; SQLite unless DATABASE_URL says otherwise.

The variables are listed in README.md.
"""

import os
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF, UNSAFE_INLINE
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


TRUE, FALSE = ("1", "true", "yes", "on"), ("0", "false", "no", "off")


def envbool(name: str, default: bool = False) -> bool:
    """Unset or empty means the default; anything but the words below stops the start-up, so
    that a typo such as DJANGO_HTTPS=maybe cannot quietly turn a protection off."""
    value = os.environ.get(name, "").strip().lower()
    if not value:
        return default
    if value in TRUE:
        return True
    if value in FALSE:
        return False
    raise ImproperlyConfigured(f"{name}={value!r}: use one of {', '.join(TRUE + FALSE)}.")


def envlist(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = envbool("DJANGO_DEBUG")
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "Set DJANGO_SECRET_KEY (or DJANGO_DEBUG=1 for local development)."
        )
    SECRET_KEY = "insecure-local-development-key-only-used-with-DJANGO_DEBUG"

ALLOWED_HOSTS = envlist("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = envlist("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "costcalc.ratelimit.RateLimitConfig",  # creates the counters' cache table on migrate
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "template_partials",
    "csp",
    "simple_history",
    "costcalc.assumptions",
    "costcalc.calculator",
    "costcalc.api",
    "costcalc.scenarios",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Pages are mostly tables of figures: compressed they are a fifth of the size. CSRF tokens
    # are masked per response, which is Django's answer to BREACH. Django's, at zlib level 3
    # (costcalc/middleware.py says why: 5% of a recalculation).
    "costcalc.middleware.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Names the user behind each figure's edit history, whatever writes it (a row's page, a
    # clone, an import from the admin): it only puts the request where the history reads it.
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "costcalc.api.middleware.head_as_get",
]

ROOT_URLCONF = "costcalc.urls"
WSGI_APPLICATION = "costcalc.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=600,
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # 40 clients saving at once under gunicorn got 80 "database is locked" of 200 with
    # SQLite's defaults. WAL lets readers go on while one writer writes; BEGIN IMMEDIATE takes
    # the write lock when a transaction starts, so a transaction never has to upgrade a read
    # lock (which fails at once, whatever the timeout); the timeout then queues writers.
    # tests/test_sqlite_writes.py runs 40 writer threads on a file database.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }

# Rate-limit counters have a cache of their own, so that cached pages can never evict them
# (900 requests with varied Host ports did, in the shared 300-entry memory cache). They must be
# shared by every worker and outlive a worker's restart: Redis when there is one, else a table
# in the database (costcalc/ratelimit.py creates it on migrate and makes its incr atomic);
# memory only in debug, where one runserver process counts.
if os.environ.get("REDIS_URL"):
    redis_cache = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": os.environ["REDIS_URL"],
    }
    CACHES = {"default": redis_cache, "ratelimit": {**redis_cache, "KEY_PREFIX": "ratelimit"}}
else:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "ratelimit": (
            {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "ratelimit"}
            if DEBUG
            else {
                "BACKEND": "costcalc.ratelimit.DatabaseCache",
                "LOCATION": "costcalc_ratelimit",
                # A counter lives one window; culling would forget live ones long before.
                "OPTIONS": {"MAX_ENTRIES": 100_000},
            }
        ),
    }

# Per scope, a limit that replaces the code's: DJANGO_RATE_LIMITS=share=100000 lifts the
# save limit for a load test (bench/load.py). Empty in production.
RATE_LIMITS = {}
for item in envlist("DJANGO_RATE_LIMITS"):
    scope, _, count = item.partition("=")
    if not (scope.strip() and count.strip().isdigit()):
        raise ImproperlyConfigured(f"DJANGO_RATE_LIMITS: {item!r} is not scope=count.")
    RATE_LIMITS[scope.strip()] = int(count)
# Addresses of reverse proxies (the nginx of `make serve`: 127.0.0.1) whose X-Real-IP header
# names the client for the rate limits; from any other address the header is ignored.
TRUSTED_PROXIES = envlist("DJANGO_TRUSTED_PROXIES")

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = False
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
# Collected static files (hashed names, brotli and gzip copies), as production serves them;
# `make run` collects them and says so (DJANGO_COLLECTED_STATIC=1), so that what a developer
# measures is what is served (runserver sent 1.1 MB of uncompressed JavaScript). Debug alone
# serves static/ as it is, for a runserver started by hand.
COLLECTED_STATIC = envbool("DJANGO_COLLECTED_STATIC", default=not DEBUG)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if not COLLECTED_STATIC
            else "costcalc.staticfiles.HashedInDebugStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
if COLLECTED_STATIC:
    # Served from STATIC_ROOT alone, read once at start-up, as without debug.
    WHITENOISE_USE_FINDERS = False
    WHITENOISE_AUTOREFRESH = False
# Hashed file names are safe to cache for a year; whitenoise does so for them only.
WHITENOISE_MAX_AGE = 60

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
FIXTURE_DIRS = [BASE_DIR / "fixtures"]

# Long query strings are how a page describes itself; cap the number of fields all the same.
DATA_UPLOAD_MAX_NUMBER_FIELDS = 200

# A figure's edit history is a record, not a way back: reverting from it would skip the check
# that a changed value names its source again (admin/common.py FigureForm).
SIMPLE_HISTORY_REVERT_DISABLED = True

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# On unless turned off: without debug, a deployment that forgets the variable is served as
# HTTPS (check --deploy warned four times otherwise). DJANGO_HTTPS=0 for plain HTTP only, as
# `make serve`, bench/ and the tests' servers on loopback.
if envbool("DJANGO_HTTPS", default=not DEBUG):
    SECURE_SSL_REDIRECT = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = 31_536_000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

# Scripts only from this origin or with the page's nonce: no eval, no inline handlers. Style
# sheets only from this origin too (plotly.js's own rules are served as static/vendor/plotly.css
# instead of the <style> it would inject). plotly.js draws by setting style attributes on SVG
# elements, so attributes alone may carry inline styles; the browser tests fail on any report.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "style-src-attr": [UNSAFE_INLINE],
        "img-src": [SELF, "data:", "blob:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}

# The site's one public address, e.g. https://costcalc.example.com: absolute links (og:url,
# canonical, the API's "url") are built on it, never on the request's Host header, whose port
# Django does not check (every port was reflected into the page and was a cache entry of its
# own). Unset in debug: the request's own host and port, for runserver. Unset otherwise: the
# request's host name (checked against ALLOWED_HOSTS) without its port. See
# costcalc/scenarios/links.py.
SITE_URL = os.environ.get("DJANGO_SITE_URL", "").rstrip("/")
