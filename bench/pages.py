"""The dashboard under load, run by bench/run.py last: its server time with 8 concurrent users.

A real server on this machine: gunicorn (2 workers of 4 threads: the 2 cores), DEBUG off,
the bench database. Eight users (2 managers, 6 officers of the 6 largest offices) each
ask for their home page, the dashboard, one request after another from their own thread on
127.0.0.1 (so the figure includes HTTP on the loopback, no more network). The first
dashboard after a Balance refresh computes the day's figures per office and stores them
(a DashboardSnapshot) while the others wait for it: those first requests are reported
apart, then 8 × 40 requests give the percentiles.
"""

from __future__ import annotations

import http.client
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
USERS = 8
REQUESTS = 40  # per user
TARGET_MS = 300


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _sessions() -> list[str]:
    """Session keys of the eight users, signed in as the login page would."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.db.models import Count

    from accounts.models import User
    from participants.models import Office

    offices = list(Office.objects.annotate(n=Count("employers")).order_by("-n")[:6])
    users = [
        User.objects.get_or_create(username=f"bench-manager-{n}", role=User.Role.MANAGER)[0]
        for n in range(2)
    ]
    for office in offices:
        officer = User.objects.get_or_create(
            username=f"bench-officer-{office.pk}", role=User.Role.OFFICER
        )[0]
        officer.offices.set([office])
        users.append(officer)
    keys = []
    for user in users:
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        keys.append(session.session_key)
    return keys


def _get(port: int, session: str) -> float:
    """One dashboard, in milliseconds."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    start = time.perf_counter()
    connection.request("GET", "/", headers={"Cookie": f"sessionid={session}"})
    response = connection.getresponse()
    body = response.read()
    elapsed = (time.perf_counter() - start) * 1000
    connection.close()
    if response.status != 200 or b"Xin ch" not in body:
        raise SystemExit(f"dashboard: {response.status}")
    return elapsed


def _concurrently(port: int, sessions: list[str], count: int) -> list[float]:
    times: list[float] = []
    failures: list[BaseException] = []
    lock = threading.Lock()

    def user(session: str) -> None:
        try:
            mine = [_get(port, session) for _n in range(count)]
        except BaseException as exc:  # reported below, from the main thread
            failures.append(exc)
            return
        with lock:
            times.extend(mine)

    threads = [threading.Thread(target=user, args=(s,)) for s in sessions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if failures:
        raise SystemExit(f"dashboard under load: {failures[0]}")
    return sorted(times)


def _serve(port: int, data_dir: str, workers: int = 2, threads: int = 4) -> subprocess.Popen:
    """gunicorn as production runs it (DEBUG off), with its static files collected into a
    directory of its own (``data_dir``: other processes may be collecting into .data)."""
    from django.conf import settings

    env = {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": settings.SECRET_KEY,  # the sessions were signed with it
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "DATA_DIR": data_dir,  # DATABASE_URL is set: only static files, media and fonts
    }
    bin_dir = Path(sys.executable).parent
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"],
        cwd=ROOT,
        env=env,
        check=True,
    )
    server = subprocess.Popen(  # noqa: S603
        [str(bin_dir / "gunicorn"), "config.wsgi", "--workers", str(workers),
         "--threads", str(threads), "--bind", f"127.0.0.1:{port}", "--log-level", "warning"],
        cwd=ROOT,
        env=env,
    )  # fmt: skip
    for _attempt in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return server
        except OSError:
            time.sleep(0.1)
    server.terminate()
    raise SystemExit("gunicorn did not start")


def run(
    data: Path,
    *,
    timed: Callable[..., Callable[[Callable[[], Any]], Any]],
    results: list[tuple[str, str, str]],
    as_of: date,
) -> None:
    sessions = _sessions()
    port = _free_port()
    with tempfile.TemporaryDirectory() as data_dir:
        server = _serve(port, data_dir)
        try:
            # The first requests: the day's ledger figures (once), each worker's imports.
            cold = _concurrently(port, sessions, 1)
            times = _concurrently(port, sessions, REQUESTS)
        finally:
            server.terminate()
            server.wait(timeout=30)
    p95 = times[int(len(times) * 0.95) - 1]
    figure = (
        f"median {statistics.median(times):.0f} ms, 95th {p95:.0f} ms, max {times[-1]:.0f} ms "
        f"({len(times)} requests)"
    )
    what = f"dashboard, {USERS} concurrent users (gunicorn 2 workers × 4 threads)"
    results.append((what, figure, f"95th ≤ {TARGET_MS} ms"))
    results.append(
        (
            "… the first 8 requests (new processes; the first after a refresh also "
            "computes the day's figures while the others wait)",
            f"median {statistics.median(cold):.0f} ms, max {cold[-1]:.0f} ms",
            "",
        )
    )
    print(f"{what}: {figure}", flush=True)
