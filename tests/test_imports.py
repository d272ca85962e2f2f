"""A worker imports pandas only on the paths that use it (the CSV export, the tco command)."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

SERVE = """
import io, sys
from costcalc.wsgi import application

def get(path, **headers):
    environ = {
        "REQUEST_METHOD": "GET", "PATH_INFO": path.split("?")[0],
        "QUERY_STRING": path.partition("?")[2], "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "80", "HTTP_HOST": "127.0.0.1", "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(), "wsgi.errors": sys.stderr, **headers,
    }
    status = []
    body = b"".join(application(environ, lambda s, h, *a: status.append(s)))
    assert status[0].startswith("200"), (path, status, body[:500])

assert "pandas" not in sys.modules, "imported with the WSGI application"
get("/")
get("/?peak_rps=80000", HTTP_HX_REQUEST="true", HTTP_HX_TARGET="results",
    HTTP_HX_TRIGGER="calc-form")
get("/monthly/?peak_rps=80000", HTTP_HX_REQUEST="true")
get("/workings/?peak_rps=80000&option=0", HTTP_HX_REQUEST="true")
assert "pandas" not in sys.modules, "imported serving the calculator"
print("ok")
"""


def test_serving_the_calculator_does_not_import_pandas(tmp_path):
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SETTINGS_MODULE": "costcalc.settings",
    }
    env.pop("DJANGO_DEBUG", None)
    for command in (["migrate", "--noinput", "-v0"], ["load_assumptions"]):
        subprocess.run(
            [sys.executable, "manage.py", *command],
            env=env,
            cwd=ROOT,
            check=True,
            capture_output=True,
        )
    served = subprocess.run(
        [sys.executable, "-c", SERVE], env=env, cwd=ROOT, capture_output=True, text=True
    )
    assert served.returncode == 0, served.stderr[-3000:]
    assert served.stdout.strip() == "ok"
