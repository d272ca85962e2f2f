import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "costcalc.settings")
django_application = get_wsgi_application()


def application(environ, start_response):
    """Django's application, without the body of a HEAD answer. Django leaves dropping it to the
    server; gunicorn does, but logs a warning for every HEAD (a load balancer's health check
    every few seconds)."""
    body = django_application(environ, start_response)
    if environ.get("REQUEST_METHOD") != "HEAD":
        return body
    body.close()  # Django's request_finished: the database connection goes back
    return []


# Everything loaded so far (Django, numpy, the URL conf) lives as long as the worker. Not
# pandas: only the CSV export and the tco command import it, on their own paths (about 32 MB
# of a worker's memory otherwise; tests/test_imports.py holds it out).
# Frozen, the cyclic garbage collector stops re-scanning it: its full passes over a few
# hundred thousand objects showed up as 50 ms stalls in the recalculation's slowest requests.
gc.freeze()
