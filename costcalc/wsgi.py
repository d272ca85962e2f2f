import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "costcalc.settings")
application = get_wsgi_application()

# Everything loaded so far (Django, numpy, pandas, the URL conf) lives as long as the worker.
# Frozen, the cyclic garbage collector stops re-scanning it: its full passes over a few
# hundred thousand objects showed up as 50 ms stalls in the recalculation's slowest requests.
gc.freeze()
