"""Production configuration: the settings module under production environment variables."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def manage(*args, **env):
    environment = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    environment.update(env)
    return subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *args],
        env=environment,
        cwd=ROOT,
        capture_output=True,
        text=True,
    )


def test_check_deploy_reports_no_issues_with_only_the_key_and_the_hosts_set():
    # Secure by default: nothing else to remember (DJANGO_HTTPS unset means on).
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(60),
        DJANGO_ALLOWED_HOSTS="costcalc.example.com",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_check_deploy_warns_when_https_is_turned_off():
    # The check above can fail: this is what it says when the protections are off.
    result = manage(
        "check",
        "--deploy",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(60),
        DJANGO_ALLOWED_HOSTS="costcalc.example.com",
        DJANGO_HTTPS="0",
    )
    for warning in ("W004", "W008", "W012", "W016"):
        assert f"security.{warning}" in result.stderr, result.stderr


SECURITY = (
    "from django.conf import settings as s; "
    "print(s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS, s.SESSION_COOKIE_SECURE, "
    "s.CSRF_COOKIE_SECURE, s.SECURE_PROXY_SSL_HEADER)"
)


def shell(code: str, **env):
    """Run ``code`` under the settings module with this environment (no other DJANGO_*)."""
    environment = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    environment.update(
        DJANGO_SETTINGS_MODULE="costcalc.settings", DJANGO_SECRET_KEY=secrets.token_urlsafe(60)
    )
    environment.update(env)
    return subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        env=environment,
        cwd=ROOT,
        capture_output=True,
        text=True,
    )


def test_https_protections_are_on_without_debug_unless_turned_off():
    on = "True 31536000 True True ('HTTP_X_FORWARDED_PROTO', 'https')"
    off = "False 0 False False None"
    for env, expected in (
        ({}, on),
        ({"DJANGO_HTTPS": ""}, on),
        ({"DJANGO_HTTPS": "1"}, on),
        ({"DJANGO_HTTPS": "0"}, off),
        ({"DJANGO_HTTPS": "off"}, off),
        ({"DJANGO_DEBUG": "1"}, off),  # runserver on http://127.0.0.1
        ({"DJANGO_DEBUG": "1", "DJANGO_HTTPS": "yes"}, on),
    ):
        result = shell(SECURITY, **env)
        assert result.returncode == 0, (env, result.stderr)
        assert result.stdout.strip() == expected, env


def test_booleans_other_than_the_known_words_refuse_to_start():
    for name, value in (("DJANGO_HTTPS", "maybe"), ("DJANGO_DEBUG", "2"), ("DJANGO_HTTPS", "tru")):
        result = shell("print('started')", **{name: value})
        assert result.returncode != 0, (name, value)
        assert f"{name}={value!r}: use one of" in result.stderr


def test_plain_http_on_loopback_is_not_redirected_when_https_is_off():
    # bench/, `make serve` (behind nginx on plain HTTP) and the tests' servers say DJANGO_HTTPS=0.
    code = (
        "from django.test import Client; "
        "print(Client().get('/healthz', HTTP_HOST='127.0.0.1').status_code)"
    )
    assert shell(code, DJANGO_ALLOWED_HOSTS="127.0.0.1").stdout.split()[-1] == "301"
    assert (
        shell(code, DJANGO_ALLOWED_HOSTS="127.0.0.1", DJANGO_HTTPS="0").stdout.split()[-1] == "200"
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = manage("check")
    assert result.returncode != 0
    assert "Set DJANGO_SECRET_KEY" in result.stderr


def test_debug_runs_without_a_secret_key():
    result = manage("check", DJANGO_DEBUG="1")
    assert result.returncode == 0, result.stderr


def test_redis_url_selects_the_redis_cache_for_pages_and_rate_limits():
    code = (
        "from django.conf import settings; import django; django.setup(); "
        "print(settings.CACHES['default']['BACKEND'], settings.CACHES['ratelimit']['BACKEND'])"
    )
    environment = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    environment.update(
        DJANGO_DEBUG="1",
        REDIS_URL="redis://127.0.0.1:6379/0",
        DJANGO_SETTINGS_MODULE="costcalc.settings",
    )
    result = subprocess.run(
        [sys.executable, "-c", code], env=environment, cwd=ROOT, capture_output=True, text=True
    )
    redis = "django.core.cache.backends.redis.RedisCache"
    assert result.stdout.split() == [redis, redis], result.stderr
