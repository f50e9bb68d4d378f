"""The whole weekly run with 1, 2 and 4 worker processes, run by bench/run.py after the exports.

As in production: beat's task (``weekly_jobs_task``) sent to the configured broker (Redis with
CELERY_BROKER_URL, else the transport on PostgreSQL) and run by a Celery worker of N processes
on both queues (computation and delivery): the run itself (reminders, cases opened,
commitments, digests), then every notice e-mailed with its PDF (to Django's dummy backend:
everything but the SMTP conversation) and the letters merged per office, each numbered in
the register and kept as issued. The figure is the wall-clock time from sending the task
until the last reminder of the week is sent or posted.

Each run starts from the same state: a copy of the loaded database (CREATE DATABASE …
TEMPLATE), dropped afterwards. The worker counts: ``workers``, else BENCH_WEEKLY_WORKERS
("1,2,4"). Also the CPU time of a notice's PDF (time.process_time over a sample of notices,
one by one and in a batch as delivery renders them) and the peak RSS of the worker's processes
(summed, sampled every 0.2 s).
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
# The targets with two worker processes: 10 minutes at province, 30 at region.
TARGET_SECONDS = 1800 if os.environ.get("SCALE") == "region" else 600
GIVE_UP_SECONDS = 3600
SAMPLE = 200  # notices rendered for the CPU time of one


def run(
    data: Path,
    *,
    timed: Callable[..., Callable[[Callable[[], Any]], Any]],
    results: list[tuple[str, str, str]],
    as_of: date,
    workers: Sequence[int] | None = None,
) -> None:
    counts = workers or [int(n) for n in os.environ.get("BENCH_WEEKLY_WORKERS", "1,2,4").split(",")]
    for n in counts:
        whole, synchronous, summary, peak, left = _weekly(n, as_of)
        results.append(
            (
                f"weekly run for the week of {as_of:%d/%m/%Y}, whole ({n} worker process"
                f"{'es' if n > 1 else ''})",
                f"{whole / 60:.1f} min ({whole:.0f} s), workers' peak RSS {peak / 2**20:,.0f} MB"
                + (f", {left:,} reminders still unsent" if left else ""),
                f"≤ {TARGET_SECONDS // 60} min" if n == 2 else "",
            )
        )
        print(f"weekly, {n} workers: {whole:.0f} s (run {synchronous:.0f} s)", flush=True)
    results.append(
        (
            "… of which the run itself (reminders, cases opened, commitments, digests)",
            f"{synchronous:.0f} s: {summary['reminders']:,} notices "
            f"({summary['reminders_email']:,} e-mailed, {summary['reminders_letter']:,} posted), "
            f"{summary['invitations']:,} invitations, {summary['cases_opened']:,} cases opened",
            "",
        )
    )
    one, batch = notice_cpu(as_of)
    results.append(
        (
            f"CPU time of a notice's PDF ({SAMPLE} notices; one by one / in one batch, with the "
            "merged PDF)",
            f"{one * 1000:.1f} ms / {batch * 1000:.1f} ms",
            "≤ 10 ms",
        )
    )


def _copy_url(name: str) -> str:
    from django.conf import settings

    db = settings.DATABASES["default"]
    url = os.environ.get("DATABASE_URL") or (
        f"postgresql://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    )
    return urlunsplit(urlsplit(url)._replace(path=f"/{name}"))


def _weekly(workers: int, as_of: date) -> tuple[float, float, dict[str, int], int, int]:
    """One weekly run on a fresh copy of the database; (whole s, run s, summary, peak RSS
    bytes, reminders left unsent)."""
    import psycopg
    from django.conf import settings
    from django.db import connections

    from arrears.jobs.cycles import week_cycle
    from config.celery import app

    source = settings.DATABASES["default"]["NAME"]
    copy = f"{source}_weekly"
    connections.close_all()  # a template database must have no other session
    with psycopg.connect(_copy_url("postgres"), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{copy}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{copy}" TEMPLATE "{source}"')
    media = Path(tempfile.mkdtemp(prefix="bench-media-"))
    env = os.environ | {
        "DATABASE_URL": _copy_url(copy),
        "DEBUG": "0",
        "SECRET_KEY": settings.SECRET_KEY,
        "ALLOWED_HOSTS": "127.0.0.1",
        "EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
        "MEDIA_ROOT": str(media),
    }
    with app.connection_for_write() as conn:  # nothing left from an earlier run
        for queue in ("compute", "delivery"):
            conn.default_channel.queue_declare(queue)
            conn.default_channel.queue_purge(queue)
    worker = subprocess.Popen(  # noqa: S603
        [
            *(sys.executable, "-m", "celery", "-A", "config", "worker", "-c", str(workers)),
            *("-Q", "compute,delivery", "-n", f"bench{workers}@%h", "--without-gossip"),
            *("--without-mingle", "-l", "WARNING", "-f", str(media / "worker.log")),
        ],
        cwd=ROOT,
        env=env,
    )
    peak = _PeakRss(worker.pid)
    cycle = week_cycle(as_of)
    try:
        with psycopg.connect(_copy_url(copy), autocommit=True) as db:
            _wait(lambda: _workers_ready(worker.pid, workers), 120)
            peak.start()
            start = time.perf_counter()
            app.send_task("arrears.tasks.weekly_jobs_task", kwargs={"on": as_of.isoformat()})
            done = _wait(lambda: _finished(db, cycle), GIVE_UP_SECONDS)
            whole = time.perf_counter() - start
            left = _unsent(db, cycle)
            (counts, started, ended), *_ = db.execute(
                "SELECT counts, started_at, finished_at FROM arrears_jobrun "
                "WHERE job = 'weekly' AND cycle = %s AND outcome = 'succeeded'",
                [cycle],
            ).fetchall() or [({}, None, None)]
        summary = {k: v for k, v in counts.items() if isinstance(v, int)}
        synchronous = (ended - started).total_seconds() if started and ended else float("nan")
        if not done:
            print(f"weekly with {workers} workers gave up after {whole:.0f} s", flush=True)
    finally:
        peak.stop()
        worker.terminate()
        worker.wait(120)
        with psycopg.connect(_copy_url("postgres"), autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{copy}" WITH (FORCE)')
    return whole, synchronous, summary, peak.peak, left


def _wait(condition: Callable[[], bool], seconds: float) -> bool:
    start = time.perf_counter()
    while not condition():
        if time.perf_counter() - start > seconds:
            return False
        time.sleep(1)
    return True


def _workers_ready(pid: int, workers: int) -> bool:
    import psutil

    return len(psutil.Process(pid).children()) >= workers


def _unsent(db: Any, cycle: str) -> int:
    return db.execute(
        "SELECT count(*) FROM arrears_reminder WHERE cycle = %s AND status <> 'sent'", [cycle]
    ).fetchone()[0]


def _finished(db: Any, cycle: str) -> bool:
    ran = db.execute(
        "SELECT 1 FROM arrears_jobrun "
        "WHERE job = 'weekly' AND cycle = %s AND outcome = 'succeeded'",
        [cycle],
    ).fetchone()
    return bool(ran) and _unsent(db, cycle) == 0


class _PeakRss:
    """The largest sum of the RSS of a process and its children, sampled every 0.2 s."""

    def __init__(self, pid: int) -> None:
        self.pid, self.peak = pid, 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join()

    def _sample(self) -> None:
        import psutil

        while not self._stop.wait(0.2):
            try:
                parent = psutil.Process(self.pid)
                processes = [parent, *parent.children(recursive=True)]
                rss = 0
                for process in processes:
                    try:
                        rss += process.memory_info().rss
                    except psutil.NoSuchProcess:
                        continue
            except psutil.NoSuchProcess:
                return
            self.peak = max(self.peak, rss)


def notice_cpu(as_of: date) -> tuple[float, float]:
    """CPU seconds of one notice's PDF: rendered one by one (``letter_pdf``), and in one batch
    as delivery does (``letters_pdfs``, each letter's PDF and the merged one for the post),
    over the first SAMPLE employers that get a notice."""
    from arrears.documents import letters as documents
    from arrears.jobs.cycles import week_cycle
    from arrears.jobs.reminders import notice_targets, reminder_letter
    from arrears.models import InterestRate, Reminder
    from participants.models import Employer

    rates = InterestRate.table()
    ids = [row.employer_id for row in notice_targets(as_of)[:SAMPLE]]
    employers = Employer.objects.select_related("office").in_bulk(ids)
    letters = [
        reminder_letter(
            Reminder(
                employer=employers[pk],
                kind=Reminder.Kind.NOTICE,
                cycle=week_cycle(as_of),
                as_of=as_of,
            ),
            rates,
        )
        for pk in ids
    ]
    documents.letter_pdf(letters[0])  # the fonts, once per process
    start = time.process_time()
    for letter in letters:
        documents.letter_pdf(letter)
    one = (time.process_time() - start) / len(letters)
    start = time.process_time()
    documents.letters_pdfs(letters, merged=True)
    return one, (time.process_time() - start) / len(letters)


if __name__ == "__main__":
    # On a loaded database (DATABASE_URL), without the rest of bench/run.py:
    # python bench/weekly.py [2026-11-16]
    import django

    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()
    found: list[tuple[str, str, str]] = []
    day = date.fromisoformat(sys.argv[1]) if len(sys.argv) > 1 else date(2026, 11, 16)
    run(ROOT, timed=lambda *a, **k: lambda fn: fn(), results=found, as_of=day)
    for row in found:
        print(" | ".join(row))
