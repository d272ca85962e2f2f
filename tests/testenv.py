"""Loaded by pytest (-p tests.testenv) before Django starts: the environment tests run in.

Settings refuse to start without a secret key unless debug is on, and tests run as production
does, with debug off.
"""

import os

os.environ.setdefault("DJANGO_SECRET_KEY", "tests-only-not-a-secret")
