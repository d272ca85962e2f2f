"""Absolute links to the site's pages (og:url, canonical, share links, the API's ``url``).

They are built on settings.SITE_URL (DJANGO_SITE_URL), so a request's Host header cannot put
another address into a page, or multiply the cached copies of one. Django checks a Host's
name against ALLOWED_HOSTS but not its port: without SITE_URL, the port is kept only in debug.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django.http.request import split_domain_port


def site_root(request: HttpRequest) -> str:
    """The site's address without a trailing slash: https://costcalc.example.com."""
    if settings.SITE_URL:
        return settings.SITE_URL
    if settings.DEBUG:  # runserver on whatever port it was given
        return f"{request.scheme}://{request.get_host()}"
    domain, _ = split_domain_port(request.get_host())
    return f"{request.scheme}://{domain}"


def absolute(request: HttpRequest, path: str) -> str:
    """The absolute link to ``path`` (which starts with /)."""
    return site_root(request) + path
