"""Security headers, the admin behind a staff login, and rate limits on anonymous writes."""

from django.core.cache import caches
from django.test import TestCase

from tests.factories import fresh_window, make_set


class HeaderTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        make_set()

    def test_pages_carry_the_security_headers(self):
        for path in ("/", "/assumptions/", "/admin/login/", "/api/v1/docs"):
            with self.subTest(path=path):
                response = self.client.get(path)
                self.assertEqual(response["X-Content-Type-Options"], "nosniff")
                self.assertEqual(response["Referrer-Policy"], "same-origin")
                self.assertEqual(response["Cross-Origin-Opener-Policy"], "same-origin")
                self.assertEqual(response["X-Frame-Options"], "DENY")
                policy = response["Content-Security-Policy"]
                script_src = next(p for p in policy.split(";") if "script-src" in p)
                self.assertNotIn("unsafe-eval", script_src)
                self.assertNotIn("unsafe-inline", script_src)
                self.assertIn("frame-ancestors 'none'", policy)

    def test_no_inline_script_without_a_nonce(self):
        import re

        html = self.client.get("/").content.decode()
        for tag in re.findall(r"<script\b[^>]*>", html):
            with self.subTest(tag=tag):
                self.assertTrue("src=" in tag or 'type="application/json"' in tag, tag)


class AdminAccessTests(TestCase):
    def test_anonymous_users_see_nothing_under_admin(self):
        for path in (
            "/admin/",
            "/admin/assumptions/assumptionset/",
            "/admin/assumptions/source/",
            "/admin/scenarios/scenario/",
            "/admin/auth/user/",
        ):
            with self.subTest(path=path):
                response = self.client.get(path)
                self.assertEqual(response.status_code, 302)
                self.assertTrue(response["Location"].startswith("/admin/login/"))

    def test_password_guessing_is_rate_limited(self):
        fresh_window()  # the count must not cross a window
        caches["ratelimit"].clear()
        for _ in range(10):
            response = self.client.post("/admin/login/", {"username": "x", "password": "y"})
            self.assertEqual(response.status_code, 200)  # the form again, with its error
        response = self.client.post("/admin/login/", {"username": "x", "password": "y"})
        self.assertEqual(response.status_code, 429)
        self.assertIn("Too many requests", response.content.decode())
        self.assertIn("Retry-After", response)
        self.assertEqual(self.client.get("/admin/login/").status_code, 200)  # reading is fine
