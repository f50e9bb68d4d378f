"""A real streaming replica, run by bench/run.py once the province is loaded and the Balance
table refreshed (scripts/replica does the PostgreSQL side):

- the replica made afresh with pg_basebackup (the primary's whole cluster) and started, and
  the time until it has replayed everything the primary had written when it started;
- the lag while a month's payments are imported on the primary (pg_stat_replication's
  replay_lag and the WAL bytes not yet replayed, sampled every 0.1 s; the import rolled back
  as bench/run.py's own, so later figures are those of the three files), and how long after
  a commit a row is visible on the replica;
- the employer_balances and aging reports read through the desk's router with the replica
  configured (``desk.replica.stale_reads``): their CSV must equal the primary's, byte for
  byte, and the queries must have gone to the replica;
- the replica stopped and its data removed: nothing left running.
"""

from __future__ import annotations

import copy
import io
import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "scripts" / "replica"
PORT = int(os.environ.get("REPLICA_PORT", "5433"))
NAME = "arrears_replica"  # the replica's application_name (scripts/replica)
REPORTS = ("employer_balances", "aging")


def _script(command: str) -> str:
    done = subprocess.run(  # noqa: S603 (the project's own script, no shell)
        [sys.executable, str(SCRIPT), command], capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise RuntimeError(f"scripts/replica {command} failed:\n{done.stdout}{done.stderr}")
    return done.stdout


def _replayed(cursor: Any, lsn: str) -> bool:
    cursor.execute(
        "SELECT coalesce(replay_lsn >= %s::pg_lsn, false) FROM pg_stat_replication "
        "WHERE application_name = %s",
        [lsn, NAME],
    )
    row = cursor.fetchone()
    return bool(row and row[0])


def _wait_replayed(primary: Any, lsn: str, timeout: float = 900) -> float:
    """Seconds until the replica has replayed the primary's WAL up to ``lsn``."""
    start = time.perf_counter()
    with primary.cursor() as cursor:
        while not _replayed(cursor, lsn):
            if time.perf_counter() - start > timeout:
                raise RuntimeError(f"the replica did not reach {lsn} in {timeout:.0f} s")
            time.sleep(0.05)
    return time.perf_counter() - start


def _current_lsn(primary: Any) -> str:
    with primary.cursor() as cursor:
        cursor.execute("SELECT pg_current_wal_lsn()::text")
        return cursor.fetchone()[0]


class _LagSampler(threading.Thread):
    """Samples the replica's lag as the primary sees it, on its own connection."""

    def __init__(self, dsn: str) -> None:
        super().__init__(daemon=True)
        self.dsn = dsn
        self.done = threading.Event()
        self.seconds: list[float] = []
        self.bytes: list[int] = []

    def run(self) -> None:
        import psycopg

        with psycopg.connect(self.dsn, autocommit=True) as conn:
            while not self.done.is_set():
                row = conn.execute(
                    "SELECT coalesce(extract(epoch FROM replay_lag), 0), "
                    "pg_wal_lsn_diff(pg_current_wal_lsn(), replay_lsn) "
                    "FROM pg_stat_replication WHERE application_name = %s",
                    [NAME],
                ).fetchone()
                if row:
                    self.seconds.append(float(row[0]))
                    self.bytes.append(int(row[1]))
                time.sleep(0.1)


def run(
    data: Path,
    *,
    timed: Callable[..., Callable[[Callable[[], Any]], Any]],
    results: list[tuple[str, str, str]],
    as_of: date,
) -> None:
    from django.conf import settings
    from django.db import DEFAULT_DB_ALIAS, connections, transaction
    from django.test.utils import CaptureQueriesContext

    from arrears.imports.payments import import_payments
    from desk.backup import conninfo
    from desk.replica import REPLICA, stale_reads
    from reports.exports import Request, write

    payments = data / "next_month_payments.csv"  # written by bench/run.py's _next_month
    primary = connections[DEFAULT_DB_ALIAS]
    dsn = conninfo(primary.get_connection_params())

    def csv_of(name: str) -> bytes:
        out = io.BytesIO()
        write(Request(name, as_of, {}, {}), "csv", out, user=None)
        return out.getvalue()

    on_primary, primary_seconds = {}, {}
    for name in REPORTS:
        taken = time.perf_counter()
        on_primary[name] = csv_of(name)
        primary_seconds[name] = time.perf_counter() - taken

    _script("destroy")  # a clone of today's primary, not of an earlier run's
    try:
        started = time.perf_counter()
        primary.ensure_connection()
        try:
            _script("start")
        except RuntimeError as exc:
            if "not enough disk" not in str(exc):
                raise
            results.append(("replica", f"not run: {str(exc).splitlines()[-1]}", ""))
            return
        start_lsn = _current_lsn(primary)
        caught_up = _wait_replayed(primary, start_lsn)
        results.append(
            (
                "replica: pg_basebackup of the cluster, start, replay to the primary's position",
                f"{time.perf_counter() - started:.1f} s (of which catching up {caught_up:.1f} s)",
                "",
            )
        )
        print(results[-1][0], results[-1][1], flush=True)

        sampler = _LagSampler(dsn)
        sampler.start()
        try:
            with transaction.atomic():
                imported = time.perf_counter()
                import_payments(payments)
                imported = time.perf_counter() - imported
                transaction.set_rollback(True)
            behind = _wait_replayed(primary, _current_lsn(primary))
        finally:
            sampler.done.set()
            sampler.join()
        rows = sum(1 for _ in payments.open()) - 1
        results.append(
            (
                f"replica lag while a month's payments ({rows:,} rows) import on the primary "
                f"({imported:.1f} s)",
                f"replay_lag max {max(sampler.seconds, default=0):.2f} s, WAL behind max "
                f"{max(sampler.bytes, default=0) / 2**20:.1f} MiB; replayed "
                f"{behind:.2f} s after the import ended",
                f"≤ {settings.REPLICA_MAX_LAG_SECONDS} s (REPLICA_MAX_LAG_SECONDS)",
            )
        )
        print(results[-1][0], results[-1][1], flush=True)

        # A committed row, and when the replica's own reads first see it.
        with primary.cursor() as cursor:
            cursor.execute("CREATE TABLE IF NOT EXISTS bench_replica_probe (at timestamptz)")
            cursor.execute("INSERT INTO bench_replica_probe VALUES (now())")
        committed = time.perf_counter()
        conf = copy.deepcopy(primary.settings_dict)
        conf.update(HOST="127.0.0.1", PORT=str(PORT))
        conf["OPTIONS"] = {**conf.get("OPTIONS", {}), "connect_timeout": 3}
        connections.settings[REPLICA] = conf
        replica = connections[REPLICA]
        with replica.cursor() as cursor:
            while True:
                cursor.execute("SELECT to_regclass('bench_replica_probe') IS NOT NULL")
                if cursor.fetchone()[0]:
                    cursor.execute("SELECT count(*) FROM bench_replica_probe")
                    if cursor.fetchone()[0]:
                        break
                time.sleep(0.005)
        visible = time.perf_counter() - committed
        with primary.cursor() as cursor:
            cursor.execute("DROP TABLE bench_replica_probe")
        results.append(
            ("replica: a row committed on the primary readable there", f"{visible:.3f} s", "")
        )
        print(results[-1][0], results[-1][1], flush=True)

        _wait_replayed(primary, _current_lsn(primary))
        for name in REPORTS:
            with CaptureQueriesContext(replica) as read:
                with stale_reads() as alias:
                    if alias != REPLICA:
                        raise RuntimeError("the replica was not chosen")
                taken = time.perf_counter()
                found = csv_of(name)
                taken = time.perf_counter() - taken
            same = found == on_primary[name]
            results.append(
                (
                    f"{name} CSV read from the replica ({len(read.captured_queries)} queries "
                    "there)",
                    f"{taken:.2f} s (primary {primary_seconds[name]:.2f} s), "
                    f"{'the same bytes as' if same else 'DIFFERENT from'} the primary's",
                    "equal to the primary's",
                )
            )
            print(results[-1][0], results[-1][1], flush=True)
            if not same or not read.captured_queries:
                raise RuntimeError(f"{name}: the replica's report differs or was not read there")
    finally:
        if REPLICA in connections.settings:
            connections[REPLICA].close()
            del connections[REPLICA]
            del connections.settings[REPLICA]
        _script("destroy")
        print("replica stopped and removed", flush=True)
