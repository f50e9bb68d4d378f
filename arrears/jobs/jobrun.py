"""A run as a JobRun: one run per job and cycle at a time, and whom a cycle's mail has served.

The lock is a session advisory lock held for the whole run (two beats or workers: the second
gets ``JobBusy``), with the ``JobRun`` "one running" constraint behind it. PostgreSQL drops
the lock with the connection, so a worker killed half-way leaves its ``JobRun`` "running" with
no lock behind it: ``interrupted_runs`` finds those, and the next run of the cycle, holding
the lock, marks them interrupted.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date

from django.db import DatabaseError, connection
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from arrears.jobs.cycles import JobBusy
from arrears.models import JobRun

log = logging.getLogger(__name__)


@contextmanager
def job_run(job: str, cycle: str, on: date, triggered_by: User | None) -> Iterator[JobRun]:
    """Hold the (job, cycle) lock for the whole run and record it as a JobRun.

    The lock is a session advisory lock rather than a transaction's: the run commits as it
    goes (rows before sending), and the lock must outlive those commits.
    """
    key = f"{job}:{cycle}"
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(hashtext('arrears.jobs'), hashtext(%s))", [key])
        if not cursor.fetchone()[0]:
            raise JobBusy(_("Việc này đang chạy cho kỳ %(cycle)s.") % {"cycle": cycle})
    try:
        # Holding the lock, any run still "running" for this cycle died without finishing.
        JobRun.objects.filter(job=job, cycle=cycle, outcome=JobRun.Outcome.RUNNING).update(
            outcome=JobRun.Outcome.FAILED,
            finished_at=timezone.now(),
            error=_("Bị gián đoạn (tiến trình dừng giữa chừng); lần chạy sau đã làm tiếp."),
        )
        run = JobRun.objects.create(job=job, cycle=cycle, run_on=on, triggered_by=triggered_by)
        try:
            yield run
        except BaseException as exc:
            run.outcome = JobRun.Outcome.FAILED
            run.error = f"{type(exc).__name__}: {exc}"[:2000]
            raise
        else:
            run.outcome = JobRun.Outcome.SUCCEEDED
        finally:
            run.finished_at = timezone.now()
            run.save(update_fields=["outcome", "error", "finished_at", "counts", "failures"])
    finally:
        try:
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT pg_advisory_unlock(hashtext('arrears.jobs'), hashtext(%s))",
                    [key],
                )
        except DatabaseError:
            log.warning("could not unlock %s: its session is gone, and the lock with it", key)


def interrupted_runs() -> list[JobRun]:
    """Runs still "running" whose process is gone: nobody holds their lock any more (a worker
    killed half-way drops it with its connection)."""
    found = []
    with connection.cursor() as cursor:
        for run in JobRun.objects.filter(outcome=JobRun.Outcome.RUNNING):
            key = f"{run.job}:{run.cycle}"
            cursor.execute(
                "SELECT pg_try_advisory_lock(hashtext('arrears.jobs'), hashtext(%s))", [key]
            )
            if cursor.fetchone()[0]:
                cursor.execute(
                    "SELECT pg_advisory_unlock(hashtext('arrears.jobs'), hashtext(%s))", [key]
                )
                found.append(run)
    return found


def served(job: str, cycle: str, key: str) -> set[int]:
    """Who already got this cycle's mail (digests, the quarterly list), from its runs."""
    users: set[int] = set()
    for counts in JobRun.objects.filter(job=job, cycle=cycle).values_list("counts", flat=True):
        users.update(counts.get(key, []))
    return users


def record_served(run: JobRun, key: str, user_id: int) -> None:
    run.counts.setdefault(key, []).append(user_id)
    run.save(update_fields=["counts"])
