"""Responses are gzipped, by Django's GZipMiddleware, for clients that accept it."""

import gzip

from django.test import TestCase

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
