"""Django's GZipMiddleware at zlib level 3 instead of its 6, for whole responses.

Measured under callgrind through costcalc.wsgi (stop 24): a recalculation's 12 KB fragment
costs zlib 0.91 M instructions at level 6 and 0.49 M at level 3, 5% of the recalculation's
8.3 M, for about 5% more bytes (the page is already a fifth of its size compressed).
The recalculation's budget (docs/deploy.md, bench/) was not met without it. Streaming
responses (the CSV and spreadsheet exports) keep Django's own path.
"""

from __future__ import annotations

import gzip
import secrets

from django.middleware import gzip as django_gzip
from django.utils.cache import patch_vary_headers

LEVEL = 3


def compress(data: bytes, max_random_bytes: int) -> bytes:
    """gzip at LEVEL, with Django's guard against BREACH: a file name of random length
    (django.utils.text.compress_string's, which fixes the level at 6)."""
    packed = memoryview(gzip.compress(data, compresslevel=LEVEL, mtime=0))
    header = bytearray(packed[:10])
    header[3] = gzip.FNAME
    name = b"a" * secrets.randbelow(max_random_bytes) + b"\x00"
    return bytes(header) + name + packed[10:]


class GZipMiddleware(django_gzip.GZipMiddleware):
    def process_response(self, request, response):
        if response.streaming:
            return super().process_response(request, response)
        if len(response.content) < 200 or response.has_header("Content-Encoding"):
            return response
        patch_vary_headers(response, ("Accept-Encoding",))
        if not django_gzip.re_accepts_gzip.search(request.META.get("HTTP_ACCEPT_ENCODING", "")):
            return response
        packed = compress(response.content, self.max_random_bytes)
        if len(packed) >= len(response.content):
            return response
        response.content = packed
        response.headers["Content-Length"] = str(len(packed))
        etag = response.get("ETag")
        if etag and etag.startswith('"'):  # RFC 9110 8.8.1: a changed body's tag is weak
            response.headers["ETag"] = "W/" + etag
        response.headers["Content-Encoding"] = "gzip"
        return response
