"""The whole weekly run at province scale, run by bench/run.py after the exports.

As in production: the run itself in this process (what beat's task does: reminders, cases
opened, commitments, digests) and a Celery worker of two processes (the 2 cores) beside it,
on the configured broker (Redis with CELERY_BROKER_URL, else the transport on PostgreSQL),
e-mailing every notice with its PDF (to Django's dummy backend: everything but the SMTP
conversation) and merging the letters per office. The figure is the wall-clock time from
the start of the run until the last reminder of the week is sent or posted.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
TARGET_SECONDS = 600
GIVE_UP_SECONDS = 3600


def run(
    data: Path,
    *,
    timed: Callable[..., Callable[[Callable[[], Any]], Any]],
    results: list[tuple[str, str, str]],
    as_of: date,
) -> None:
    from django.conf import settings
    from django.test.utils import override_settings

    from arrears.jobs.cycles import week_cycle
    from arrears.jobs.runs import run_weekly
    from arrears.models import Reminder

    media = Path(tempfile.mkdtemp(prefix="bench-media-"))
    env = os.environ | {
        "DEBUG": "0",
        "SECRET_KEY": settings.SECRET_KEY,
        "ALLOWED_HOSTS": "127.0.0.1",
        "EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
        "MEDIA_ROOT": str(media),
    }
    log = media / "worker.log"
    celery_worker = subprocess.Popen(  # noqa: S603
        [
            *(sys.executable, "-m", "celery", "-A", "config", "worker", "-c", "2"),
            *("-n", "bench@%h", "--without-gossip", "--without-mingle", "-l", "WARNING"),
            *("-f", str(log)),
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        cycle = week_cycle(as_of)
        start = time.perf_counter()
        with override_settings(EMAIL_BACKEND=env["EMAIL_BACKEND"]):  # the managers' digests
            summary = run_weekly(as_of)
        synchronous = time.perf_counter() - start
        waiting = Reminder.objects.filter(cycle=cycle).exclude(status=Reminder.Status.SENT)
        while waiting.exists() and time.perf_counter() - start < GIVE_UP_SECONDS:
            time.sleep(2)
        whole = time.perf_counter() - start
        left = waiting.count()
    finally:
        celery_worker.terminate()
        celery_worker.wait(60)
    sent = Reminder.objects.filter(cycle=cycle)
    emails = sent.filter(channel=Reminder.Channel.EMAIL).count()
    letters = sent.filter(channel=Reminder.Channel.LETTER).count()
    results.append(
        (
            f"weekly run for the week of {as_of:%d/%m/%Y}, whole (worker of 2 processes)",
            f"{whole / 60:.1f} min ({whole:.0f} s)"
            + (f", {left:,} reminders still unsent" if left else ""),
            f"≤ {TARGET_SECONDS // 60} min",
        )
    )
    results.append(
        (
            "… of which the run itself (reminders, cases opened, commitments, digests)",
            f"{synchronous:.0f} s: {summary['reminders']:,} notices, "
            f"{summary['invitations']:,} invitations, {summary['cases_opened']:,} cases opened",
            "",
        )
    )
    results.append(
        (
            "… delivered: e-mails with their PDF / letters merged per office",
            f"{emails:,} / {letters:,}",
            "",
        )
    )
    print(f"weekly: {whole:.0f} s (run {synchronous:.0f} s), {summary}", flush=True)
