import gc
import os
from importlib import import_module

from django.conf import settings
from django.core.wsgi import get_wsgi_application

from costcalc.memory import tune_malloc

tune_malloc()  # the Monte Carlo's arrays stay in the heap (costcalc/memory.py)

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


# The URL conf, and with it every view, form and the engine (numpy), is imported here rather
# than by the first request, so that the freeze below covers it. Not pandas: only the exports
# and the tco command import it, on their own paths (about 32 MB of a worker's memory
# otherwise; tests/test_imports.py holds it out).
import_module(settings.ROOT_URLCONF)
# Everything loaded so far lives as long as the worker. Frozen, the cyclic garbage collector
# stops re-scanning it: its full passes over a few hundred thousand objects showed up as 50 ms
# stalls in the recalculation's slowest requests. Frozen before the URL conf was imported, the
# collector still cost a recalculation 0.6 M of its 9.0 M instructions (callgrind, stop 24).
gc.freeze()
