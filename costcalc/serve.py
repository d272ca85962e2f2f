"""Production serving on one machine: nginx in front of gunicorn, as `make serve` runs it.

    python -m costcalc.serve --listen 127.0.0.1:8000 --workers 5

starts gunicorn (sync workers) on a free loopback port and nginx (Debian's package) on
``--listen`` in front of it, from the template costcalc/nginx.conf, with its pid file, logs and
buffers in ``--run-dir``; it stops both when either stops or on Ctrl-C. Settings come from the
environment as for any production start (README.md); this adds ``DJANGO_TRUSTED_PROXIES``
(nginx's loopback address), since nginx passes the client's address in ``X-Real-IP``.

bench/ and the tests start their servers with the same functions.
"""

from __future__ import annotations

import argparse
import http.client
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from string import Template
from typing import NamedTuple

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = Path(__file__).resolve().parent / "nginx.conf"
PYTHON = sys.executable


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def production_env(db_url: str, **extra: str) -> dict:
    """This process's environment as production runs, for a server on loopback: debug off, a
    fresh secret key, plain HTTP (no TLS on loopback, so DJANGO_HTTPS=0 said explicitly)."""
    env = dict(os.environ)
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "costcalc.settings",
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
            "DJANGO_HTTPS": "0",
            "DATABASE_URL": db_url,
            **extra,
        }
    )
    env.pop("DJANGO_DEBUG", None)
    return env


def prepare(env: dict, *, static: bool = True) -> None:
    """Migrate, load the shipped sets and worked examples, collect static files."""
    manage = [PYTHON, str(ROOT / "manage.py")]
    quiet = {"env": env, "check": True, "cwd": ROOT, "stdout": subprocess.DEVNULL}
    subprocess.run([*manage, "migrate", "--noinput", "-v0"], **quiet)
    for command in ("load_assumptions", "load_examples"):
        subprocess.run([*manage, command], **quiet)
    if static:
        subprocess.run([*manage, "collectstatic", "--noinput", "-v0"], **quiet)


def get(port: int, path: str, headers: dict | None = None, timeout: float = 10):
    """One GET on loopback: (status, body, headers)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("GET", path, headers=headers or {})
        response = conn.getresponse()
        return response.status, response.read(), dict(response.getheaders())
    finally:
        conn.close()


def wait_for(port: int, proc: subprocess.Popen, what: str, log: Path | None = None) -> None:
    """Until /healthz answers 200 on ``port``; fails with the log if ``proc`` exits first."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            if get(port, "/healthz", timeout=2)[0] == 200:
                return
        except OSError:
            time.sleep(0.05)
    proc.kill()
    detail = log.read_text() if log and log.exists() else ""
    raise RuntimeError(f"{what} did not answer /healthz within 30 s\n{detail}")


def start_gunicorn(
    env: dict, port: int, workers: int, log: Path | None = None, extra: tuple[str, ...] = ()
) -> tuple[subprocess.Popen, float]:
    """gunicorn on 127.0.0.1:``port``, answering /healthz: (process, seconds to first answer)."""
    started = time.perf_counter()
    output = open(log, "w") if log else None  # noqa: SIM115 - the child holds it
    proc = subprocess.Popen(
        [
            *(PYTHON, "-m", "gunicorn", "costcalc.wsgi"),
            *("--bind", f"127.0.0.1:{port}", "--workers", str(workers)),
            *("--log-level", "warning"),
            *extra,
        ],
        env=env,
        cwd=ROOT,
        stdout=output,
        stderr=subprocess.STDOUT if output else None,
    )
    if output:
        output.close()
    wait_for(port, proc, "gunicorn", log)
    return proc, time.perf_counter() - started


def nginx_conf(listen: str, upstream_port: int, run_dir: Path) -> str:
    """The template filled in; nginx's own $variables pass through untouched."""
    return Template(TEMPLATE.read_text()).safe_substitute(
        COSTCALC_LISTEN=listen,
        COSTCALC_UPSTREAM=f"127.0.0.1:{upstream_port}",
        COSTCALC_RUN=str(run_dir),
    )


def start_nginx(listen: str, upstream_port: int, run_dir: Path) -> subprocess.Popen:
    """nginx in the foreground on ``listen``, proxying to gunicorn on ``upstream_port``."""
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    if not Path(nginx).exists():
        raise SystemExit("nginx is missing: apt-get install -y nginx")
    run_dir.mkdir(parents=True, exist_ok=True)
    conf = run_dir / "nginx.conf"
    conf.write_text(nginx_conf(listen, upstream_port, run_dir))
    command = [nginx, "-c", str(conf), "-p", str(run_dir), "-e", str(run_dir / "error.log")]
    subprocess.run([*command, "-t", "-q"], check=True)
    proc = subprocess.Popen([*command, "-g", "daemon off;"])
    port = int(listen.rpartition(":")[2])
    wait_for(port, proc, "nginx", run_dir / "error.log")
    return proc


def stop(*procs: subprocess.Popen) -> None:
    for proc in procs:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
    for proc in procs:
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()


class Served(NamedTuple):
    gunicorn: subprocess.Popen
    nginx: subprocess.Popen
    upstream: int  # gunicorn's loopback port, behind nginx
    startup: float  # seconds from gunicorn's start to its first answer


@contextmanager
def behind_nginx(
    env: dict, listen: str, run_dir: Path, workers: int, *, log=None, extra=()
) -> Iterator[Served]:
    """gunicorn on a free loopback port with nginx on ``listen`` in front of it, as `make serve`
    runs them; both are stopped on leaving, and gunicorn also when nginx fails to start."""
    upstream = free_port()
    gunicorn, startup = start_gunicorn(env, upstream, workers, log=log, extra=extra)
    try:
        nginx = start_nginx(listen, upstream, run_dir)
    except BaseException:
        stop(gunicorn)
        raise
    try:
        yield Served(gunicorn, nginx, upstream, startup)
    finally:
        stop(nginx, gunicorn)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--listen", default="127.0.0.1:8000", help="nginx's address:port")
    parser.add_argument("--workers", type=int, default=(os.cpu_count() or 1) * 2 + 1)
    parser.add_argument("--run-dir", type=Path, default=ROOT / ".venv" / "serve")
    args = parser.parse_args()
    env = {"DJANGO_TRUSTED_PROXIES": "127.0.0.1", **os.environ}
    # Absolute links (share links, og:url) use DJANGO_SITE_URL; on this machine the public
    # address is nginx's own, port included, unless the deployment names another.
    scheme = "http" if env.get("DJANGO_HTTPS") == "0" else "https"
    env.setdefault("DJANGO_SITE_URL", f"{scheme}://{args.listen}")
    # Workers are recycled now and then (a slow leak cannot grow for ever); the jitter keeps
    # them from all restarting at once. Not in bench/, where a restart would skew a figure.
    recycle = ("--max-requests", "2000", "--max-requests-jitter", "200")
    run_dir = args.run_dir.resolve()
    with behind_nginx(env, args.listen, run_dir, args.workers, extra=recycle) as served:
        nginx, gunicorn = served.nginx, served.gunicorn
        print(
            f"costcalc on http://{args.listen} (nginx; gunicorn x{args.workers} "
            f"on :{served.upstream})"
        )
        signal.signal(signal.SIGTERM, lambda *_: stop(nginx, gunicorn))
        try:
            while nginx.poll() is None and gunicorn.poll() is None:
                time.sleep(0.5)
        except KeyboardInterrupt:
            pass


if __name__ == "__main__":
    main()
