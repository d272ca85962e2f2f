"""The rate limits: who counts as one client, the admin's per-account limit, the override, and
counters that cached pages cannot evict and that concurrent workers cannot under-count.

Across gunicorn workers and restarts: tests/test_serving.py."""

import threading

from django.conf import settings
from django.core.cache import caches
from django.db import connection
from django.test import RequestFactory, SimpleTestCase, TransactionTestCase
from django.test.utils import override_settings

from costcalc.ratelimit import DatabaseCache, client_ip
from tests.factories import fresh_window

from .test_api_scenarios import distinct
from .test_examples import ExamplesLoaded


class ClientTests(SimpleTestCase):
    def ip(self, address: str, **meta) -> str:
        return client_ip(RequestFactory().get("/", REMOTE_ADDR=address, **meta))

    def test_an_ipv6_client_is_its_slash_64(self):
        one = self.ip("2001:db8:1:2:aaaa::1")
        self.assertEqual(one, "2001:db8:1:2::/64")
        self.assertEqual(self.ip("2001:db8:1:2:ffff:ffff:ffff:ffff"), one)
        self.assertNotEqual(self.ip("2001:db8:1:3::1"), one)

    def test_ipv4_is_per_address_also_when_mapped_into_ipv6(self):
        self.assertEqual(self.ip("192.0.2.7"), "192.0.2.7")
        self.assertEqual(self.ip("::ffff:192.0.2.7"), "192.0.2.7")
        self.assertNotEqual(self.ip("192.0.2.8"), "192.0.2.7")

    def test_x_real_ip_is_believed_from_a_trusted_proxy_only(self):
        with override_settings(TRUSTED_PROXIES=["127.0.0.1"]):
            self.assertEqual(self.ip("127.0.0.1", HTTP_X_REAL_IP="192.0.2.7"), "192.0.2.7")
            self.assertEqual(self.ip("192.0.2.9", HTTP_X_REAL_IP="192.0.2.7"), "192.0.2.9")
        self.assertEqual(self.ip("127.0.0.1", HTTP_X_REAL_IP="192.0.2.7"), "127.0.0.1")

    def test_production_counts_in_the_database_not_in_a_worker(self):
        backend = settings.CACHES["ratelimit"]["BACKEND"]
        self.assertEqual(backend, "costcalc.ratelimit.DatabaseCache")


class LimitTests(ExamplesLoaded):
    saves = 0

    def save(self, address: str):
        # Each save a scenario of its own: saving one again answers its link (200, not 201).
        self.saves += 1
        return self.client.post(
            "/api/v1/scenarios",
            distinct(self.saves),
            content_type="application/json",
            REMOTE_ADDR=address,
        )

    def login(self, address: str, username: str = "admin"):
        data = {"username": username, "password": "guess"}
        return self.client.post("/admin/login/", data, REMOTE_ADDR=address)

    def test_addresses_in_one_ipv6_slash_64_share_one_allowance(self):
        fresh_window()  # the count must not cross a window
        for n in range(10):
            self.assertEqual(self.save(f"2001:db8:0:1::{n + 1:x}").status_code, 201)
        response = self.save("2001:db8:0:1:ffff::99")
        self.assertEqual(response.status_code, 429)
        self.assertEqual(response.json()["errors"][0]["type"], "rate_limited")
        self.assertTrue(1 <= int(response["Retry-After"]) <= 60)
        self.assertEqual(self.save("2001:db8:0:2::1").status_code, 201)

    def test_guesses_at_one_account_from_many_addresses_are_limited(self):
        fresh_window()  # the count must not cross a window
        for n in range(10):
            self.assertEqual(self.login(f"192.0.2.{n + 1}").status_code, 200)
        response = self.login("198.51.100.1", username=" ADMIN ")  # the same account
        self.assertEqual(response.status_code, 429)
        self.assertIn("Too many requests: at most 10 a minute.", response.content.decode())
        self.assertIn("Retry-After", response)
        self.assertEqual(self.login("198.51.100.1", username="someone").status_code, 200)

    def test_guesses_from_one_address_at_many_accounts_are_limited(self):
        fresh_window()  # the count must not cross a window
        for n in range(10):
            self.assertEqual(self.login("192.0.2.1", username=f"user{n}").status_code, 200)
        self.assertEqual(self.login("192.0.2.1", username="user99").status_code, 429)

    @override_settings(RATE_LIMITS={"share": 12})
    def test_a_scope_limit_can_be_replaced_by_the_setting(self):
        fresh_window()  # the count must not cross a window
        for _ in range(12):
            self.assertEqual(self.save("192.0.2.1").status_code, 201)
        response = self.save("192.0.2.1")
        self.assertEqual(response.status_code, 429)
        self.assertIn("at most 12 a minute", response.json()["errors"][0]["msg"])
        # The admin's limit is its own scope and stays.
        for _ in range(10):
            self.login("192.0.2.1")
        self.assertEqual(self.login("192.0.2.1").status_code, 429)

    def test_cached_pages_for_many_hosts_do_not_evict_the_counters(self):
        fresh_window()  # the count must not cross a window
        # The shared memory cache keeps 300 entries; a scenario page is cached per Host, and
        # the port is part of it. 350 pages used to push the counters out.
        for _ in range(9):
            self.assertEqual(self.save("192.0.2.1").status_code, 201)
        for port in range(350):
            page = self.client.get("/s/fintech-hybrid/", HTTP_HOST=f"testserver:{port + 1000}")
            self.assertEqual(page.status_code, 200)
        self.assertEqual(self.save("192.0.2.1").status_code, 201)
        self.assertEqual(self.save("192.0.2.1").status_code, 429)


class AtomicCountTests(TransactionTestCase):
    """Django's DatabaseCache.incr is a get and a set: concurrent counts are lost (20 threads
    counting 10 each on PostgreSQL: Django's counted 11 and 12 of 200). On SQLite the writers
    of tests/test_sqlite_writes.py count on one key too."""

    def count_concurrently(self, cache, threads: int = 20, each: int = 10) -> int:
        cache.set("n", 0, timeout=60)
        start = threading.Barrier(threads)

        def count():
            start.wait()
            try:
                for _ in range(each):
                    cache.incr("n")
            finally:
                connection.close()

        workers = [threading.Thread(target=count) for _ in range(threads)]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()
        return cache.get("n")

    def test_concurrent_increments_are_all_counted(self):
        if connection.vendor == "sqlite" and connection.is_in_memory_db():
            self.skipTest("threads need a database file or server; SQLite: test_sqlite_writes")
        cache = caches["ratelimit"]
        self.assertIsInstance(cache, DatabaseCache)
        self.assertEqual(self.count_concurrently(cache), 200)
