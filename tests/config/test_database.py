"""The embedded PostgreSQL's lifecycle (config/database.py, scripts/with_database.py): a run
leaves nothing running, Ctrl-C stops the server, and what a killed run left behind does not
stop the next one."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from config.database import ensure_database, recover_stale_state, server_pid

ROOT = Path(__file__).resolve().parents[2]
WRAPPER = [sys.executable, str(ROOT / "scripts" / "with_database.py")]


def _env(data_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    return {**env, "DATA_DIR": str(data_dir)}


def test_stale_lock_file_and_broken_handle_list_are_cleared(tmp_path) -> None:  # type: ignore[no-untyped-def]
    pg = tmp_path / "pg"
    pg.mkdir()
    # pid 1 is alive but is no postgres of this directory: a pid reused since a kill -9.
    (pg / "postmaster.pid").write_text(f"1\n{pg}\n0\n5432\n{pg}\n\n0 0\nready\n")
    (pg / ".handle_pids.json").write_text("[12")  # a write cut short by Ctrl-C
    recover_stale_state(pg)
    assert not (pg / "postmaster.pid").exists()
    assert (pg / ".handle_pids.json").read_text() == "[]"
    assert server_pid(pg) is None


def test_a_run_and_a_ctrl_c_leave_nothing_running(tmp_path) -> None:  # type: ignore[no-untyped-def]
    done = subprocess.run(  # noqa: S603
        [*WRAPPER, sys.executable, "-c", "import os; print(os.environ['DATABASE_URL'])"],
        env=_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    assert f"host={tmp_path / 'pg'}" in done.stdout
    assert server_pid(tmp_path / "pg") is None

    running = subprocess.Popen(  # noqa: S603
        [*WRAPPER, "sleep", "60"], env=_env(tmp_path), start_new_session=True
    )
    deadline = time.monotonic() + 60
    while server_pid(tmp_path / "pg") is None and time.monotonic() < deadline:
        time.sleep(0.2)
    assert server_pid(tmp_path / "pg") is not None
    os.killpg(running.pid, signal.SIGINT)  # what Ctrl-C does: the whole process group
    assert running.wait(timeout=60) == 128 + signal.SIGINT
    assert server_pid(tmp_path / "pg") is None


def test_redis_options_go_only_to_redis() -> None:
    """kombu's SQLAlchemy transport (make run's broker) hands transport options to SQLAlchemy,
    which refuses a visibility timeout: the Celery worker of `make run` died of it."""
    script = "from django.conf import settings; print(settings.CELERY_BROKER_TRANSPORT_OPTIONS)"
    seen = {}
    for broker in ("redis://127.0.0.1:6379/0", ""):
        env = {
            **os.environ,
            "CELERY_BROKER_URL": broker,
            "DJANGO_SETTINGS_MODULE": "config.settings",
        }
        done = subprocess.run(  # noqa: S603
            [sys.executable, "-c", "import django; django.setup(); " + script],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
        )
        seen[broker] = done.stdout.strip()
    assert seen == {"redis://127.0.0.1:6379/0": "{'visibility_timeout': 21600}", "": "{}"}


def test_the_database_named_is_created_when_missing() -> None:
    """`make run` against a server without the database DATABASE_URL names creates it (a
    fresh server used to stop the first run with a traceback), and leaves one that exists."""
    from urllib.parse import urlsplit, urlunsplit

    import psycopg

    # The suite's own server (DATABASE_URL, or the embedded one's URL the wrapper set).
    here = urlsplit(os.environ["DATABASE_URL"])
    name = f"arrears_ensure_{os.getpid()}"

    def url(database: str) -> str:
        return urlunsplit(here._replace(path=f"/{database}"))

    try:
        assert ensure_database(url(name))
        assert not ensure_database(url(name))
        with psycopg.connect(url(name)) as made:
            assert made.execute("SELECT current_database()").fetchone() == (name,)
    finally:
        with psycopg.connect(url("postgres"), autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
