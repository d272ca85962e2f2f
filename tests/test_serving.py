"""`make serve`'s setup, started as it starts it (costcalc/serve.py): nginx from the template in
front of gunicorn's sync workers, production settings, a SQLite file database.

Slow clients cannot take the site down, the rate limit holds across workers and a restart of
all of them, and HEAD is answered through the whole chain."""

import http.client
import itertools
import json
import os
import shutil
import signal
import socket
import time

import pytest

from costcalc.serve import (
    ROOT,
    behind_nginx,
    free_port,
    get,
    nginx_conf,
    prepare,
    production_env,
    wait_for,
)
from tests.factories import fresh_window

NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if os.path.exists("/usr/sbin/nginx") else None)
if NGINX is None and os.environ.get("CI"):
    raise RuntimeError("nginx is missing: apt-get install -y nginx (`make nginx`)")
pytestmark = pytest.mark.skipif(NGINX is None, reason="nginx is missing: apt-get install nginx")

WORKERS = 2


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    workdir = tmp_path_factory.mktemp("served")
    env = production_env(f"sqlite:///{workdir / 'db.sqlite3'}", DJANGO_TRUSTED_PROXIES="127.0.0.1")
    prepare(env, static=False)
    front, log = free_port(), workdir / "gunicorn.log"
    with behind_nginx(env, f"127.0.0.1:{front}", workdir / "nginx", WORKERS, log=log) as s:
        yield {"front": front, "upstream": s.upstream, "gunicorn": s.gunicorn, "log": log}


def slow_connections(port: int, count: int) -> list[socket.socket]:
    """Connections that have begun a request and will not finish it."""
    socks = []
    for _ in range(count):
        sock = socket.create_connection(("127.0.0.1", port), timeout=5)
        sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: 1\r\n")
        socks.append(sock)
    return socks


def healthz_answers(port: int) -> bool:
    try:
        return get(port, "/healthz", timeout=2)[0] == 200
    except (OSError, http.client.HTTPException):
        return False


def test_the_template_is_filled_in_without_touching_nginx_variables(tmp_path):
    conf = nginx_conf("127.0.0.1:8000", 9000, tmp_path)
    assert "listen 127.0.0.1:8000 default_server;" in conf
    assert "server 127.0.0.1:9000;" in conf
    assert f"pid {tmp_path}/nginx.pid;" in conf
    assert "proxy_set_header X-Real-IP $remote_addr;" in conf
    assert "${COSTCALC_" not in conf
    assert str(ROOT) not in (ROOT / "costcalc" / "nginx.conf").read_text()


def test_slow_clients_hold_every_worker_of_gunicorn_alone_but_not_behind_nginx(served):
    # Ten times the workers, each sending nothing after its first header lines.
    socks = slow_connections(served["upstream"], WORKERS * 10)
    try:
        time.sleep(0.5)
        assert not healthz_answers(served["upstream"])  # why nginx is in front
    finally:
        for sock in socks:
            sock.close()
    wait_for(served["upstream"], served["gunicorn"], "gunicorn")
    socks = slow_connections(served["front"], 50)
    try:
        time.sleep(0.5)
        for _ in range(3):
            assert healthz_answers(served["front"])
    finally:
        for sock in socks:
            sock.close()


SAVES = itertools.count(1)


def save(port: int) -> http.client.HTTPResponse:
    example = json.loads((ROOT / "examples" / "startup-8k-independent.json").read_text())
    document = {key: example[key] for key in ("assumption_set", "inputs", "options")}
    # A scenario of its own each time: the same one again answers its link, 200, not 201.
    document["inputs"] = {**document["inputs"], "cost_of_delay": 1000 * next(SAVES)}
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    # The client's own X-Real-IP is replaced by nginx's: it cannot buy a fresh allowance.
    headers = {"Content-Type": "application/json", "X-Real-IP": f"192.0.2.{time.time_ns() % 250}"}
    conn.request("POST", "/api/v1/scenarios", json.dumps({**document, "title": "t"}), headers)
    response = conn.getresponse()
    response.read()
    conn.close()
    return response


def test_the_save_limit_holds_across_workers_and_a_restart_of_every_worker(served):
    fresh_window(30)  # the count must not cross a window
    for _ in range(6):
        assert save(served["front"]).status == 201
    # HUP: gunicorn replaces every worker, as a deployment or --max-requests does.
    served["gunicorn"].send_signal(signal.SIGHUP)
    time.sleep(2)
    wait_for(served["upstream"], served["gunicorn"], "gunicorn")
    for _ in range(4):
        assert save(served["front"]).status == 201
    limited = save(served["front"])
    assert limited.status == 429
    assert 1 <= int(limited.getheader("Retry-After")) <= 60


def test_head_is_answered_through_nginx_without_a_body(served):
    for path in ("/healthz", "/", "/assumptions/"):
        conn = http.client.HTTPConnection("127.0.0.1", served["front"], timeout=10)
        conn.request("HEAD", path)
        response = conn.getresponse()
        assert response.status == 200, path
        assert response.read() == b""
        conn.close()
    assert "no-body response" not in served["log"].read_text()
