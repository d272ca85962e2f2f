"""Responses are gzipped (Django's GZipMiddleware at level 3, costcalc/middleware.py) for clients
that accept it."""

import gzip

from django.test import TestCase

from costcalc.middleware import compress
from tests.factories import make_set
from tests.test_views import HTMX, query


class CompressionTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        make_set()

    def test_a_fragment_is_gzipped_for_clients_that_accept_it(self):
        plain = self.client.get(query(), headers=HTMX)
        packed = self.client.get(query(), headers={**HTMX, "Accept-Encoding": "gzip, br"})
        self.assertNotIn("Content-Encoding", plain)
        self.assertEqual(packed["Content-Encoding"], "gzip")
        self.assertIn("Accept-Encoding", packed["Vary"])
        self.assertEqual(int(packed["Content-Length"]), len(packed.content))
        self.assertLess(len(packed.content), len(plain.content) / 3)
        # A fragment holds nothing random (no CSRF token): both are the same bytes.
        self.assertEqual(gzip.decompress(packed.content), plain.content)

    def test_tiny_responses_are_left_alone(self):
        response = self.client.get("/healthz", headers={"Accept-Encoding": "gzip"})
        self.assertNotIn("Content-Encoding", response)
        self.assertEqual(response.content, b"ok")

    def test_the_compressed_length_varies_against_breach(self):
        # A random-length file name in the gzip header, as Django's own compress_string adds:
        # a page's compressed length then says little about a secret echoed in it.
        data = b"<p>" + b"figures " * 500 + b"</p>"
        packed = [compress(data, 100) for _ in range(30)]
        self.assertGreater(len({len(p) for p in packed}), 1)
        self.assertTrue(all(gzip.decompress(p) == data for p in packed))
