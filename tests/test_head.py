"""HEAD answers wherever GET does (load balancers and link checkers send it): same status, same
headers, no body. Views said require_GET, which answered 405 to HEAD on every page."""

from tests.test_examples import ExamplesLoaded

HTMX = {"HX-Request": "true"}


class HeadTests(ExamplesLoaded):
    def test_head_answers_as_get_does_without_a_body(self):
        shared = "/s/fintech-hybrid/"
        pages = [
            ("/healthz", {}),
            ("/", {}),
            ("/?peak_rps=80000", HTMX),
            ("/insight/?peak_rps=80000", HTMX),
            ("/monthly/?peak_rps=80000", HTMX),
            ("/workings/?peak_rps=80000&option=0", HTMX),
            ("/favicon.ico", {}),
            ("/assumptions/", {}),
            ("/assumptions/independent-2026/", {}),
            ("/scenarios/", {}),
            (shared, {}),
            (shared + "report/", {}),
            (shared + "export.csv", {}),
            (shared + "export.json", {}),
            (shared + "recompute/", {}),
            ("/compare/?s=fintech-hybrid&s=python-6-weeks-vs-go-14-weeks", {}),
            ("/api/v1/assumption-sets", {}),
            ("/api/v1/assumption-sets/independent-2026?version=1", {}),
            ("/api/v1/scenarios/fintech-hybrid", {}),
            ("/api/v1/openapi.json", {}),
            ("/api/v1/docs", {}),
        ]
        for path, headers in pages:
            with self.subTest(path=path):
                got = self.client.get(path, headers=headers)
                head = self.client.head(path, headers=headers)
                self.assertLess(got.status_code, 400, path)
                self.assertEqual(head.status_code, got.status_code)
                self.assertEqual(head.content, b"")
                self.assertEqual(head.get("Content-Type"), got.get("Content-Type"))
                self.assertEqual(head.get("Location"), got.get("Location"))

    def test_writes_still_refuse_other_methods(self):
        self.assertEqual(self.client.get("/s/").status_code, 405)
        self.assertEqual(self.client.post("/healthz").status_code, 405)
