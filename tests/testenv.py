"""Loaded by pytest (-p tests.testenv) before Django starts: the environment tests run in.

Settings refuse to start without a secret key unless debug is on, and tests run as production
does, with debug off. The test client speaks plain HTTP, so HTTPS (on by default without
debug) is off; tests/test_deploy.py checks the defaults in a clean environment.
"""

import os

os.environ.setdefault("DJANGO_SECRET_KEY", "tests-only-not-a-secret")
os.environ.setdefault("DJANGO_HTTPS", "0")
