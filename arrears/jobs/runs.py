"""The office's scheduled runs: the weekly reminders (DOMAIN.md rule 9), invitations, cases
opened automatically, broken commitments and digests; the monthly formal request and the
quarterly list of Decree 274/2025; the nightly balance refresh. ``run_scheduled`` is what
their Celery tasks do.

Every run is safe to repeat and to interrupt: one run per job and cycle at a time
(``arrears.jobs.jobrun``); rows first, sending after (``arrears.jobs.reminders``, then
``arrears.jobs.delivery``); digests and the quarterly list record who got them, per cycle,
on the cycle's ``JobRun``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date, timedelta

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from accounts.models import User
from arrears.balances import balances_as_of, refresh_balances
from arrears.cases.selectors import employer_evasion_periods
from arrears.jobs.cycles import (
    JobBusy,
    month_cycle,
    monthly_due,
    quarter_cycle,
    quarterly_due,
    week_cycle,
)
from arrears.jobs.delivery import queue_unsent
from arrears.jobs.digests import send_digests
from arrears.jobs.jobrun import interrupted_runs, job_run, served
from arrears.jobs.quarterly import artifact_name, deliver_quarterly, quarterly_workbook
from arrears.jobs.reminders import create_reminders, notice_targets
from arrears.jobs.weekly import flag_broken_commitments, open_cases
from arrears.models import JobRun, Policy, Reminder
from arrears.sessions.services import close_kept_plans, propose_after_broken
from arrears.sessions.weekly import REASONS as LEFT_OUT
from arrears.sessions.weekly import book_invited, weekly_targets
from desk import queue
from participants.models import Employer

log = logging.getLogger(__name__)

Kind = Reminder.Kind
Channel = Reminder.Channel
Status = Reminder.Status

WEEKLY_KEYS = (
    "reminders",
    "reminders_email",
    "reminders_letter",
    "invitations",
    "cases_opened",
    "commitments_broken",
    "digests",
    "sessions_booked",
    "sessions_waiting",
    "left_out",
    *(f"left_out_{reason}" for reason in LEFT_OUT),
)
QUARTERLY_KEYS = ("late", "evading", "deliveries")
NIGHTLY_KEYS = ("balances", "requeued")

# The nightly run queues again the reminders still unsent that are at most this old.
REQUEUE_DAYS = 31


def _first_time(run: JobRun, key: str, employer_ids: set[int]) -> int:
    """How many of ``employer_ids`` no earlier run of the cycle counted under ``key``
    (recorded on the run), so a second run of the week counts nothing again."""
    key = f"ids_{key}"
    new = sorted(employer_ids - served(run.job, run.cycle, key))
    run.counts.setdefault(key, []).extend(new)
    return len(new)


def run_weekly(on: date, *, triggered_by: User | None = None) -> dict[str, int]:
    """The weekly job for the ISO week of ``on`` (DOMAIN.md rule 9 and flow 5). Returns what
    this run newly did; a second run for the same week returns zeros."""
    cycle = week_cycle(on)
    summary = dict.fromkeys(WEEKLY_KEYS, 0)
    with job_run(JobRun.Job.WEEKLY, cycle, on, triggered_by) as run:
        policy = Policy.current()
        rows = balances_as_of(on, in_arrears=True)
        candidates = notice_targets(on, policy=policy, rows=rows, skip_held=False)
        targeting = weekly_targets(on, cycle=cycle, policy=policy, candidates=candidates)
        targets = targeting.notices
        notices = create_reminders(kind=Kind.NOTICE, cycle=cycle, on=on, targets=targets)
        booked = book_invited(targeting.invitations, on=on, cycle=cycle)
        invited = [t for t in targeting.invitations if t.employer_id not in booked.waiting]
        invitations = create_reminders(kind=Kind.INVITATION, cycle=cycle, on=on, targets=invited)
        summary.update(
            reminders=notices.total(),
            reminders_email=notices[Channel.EMAIL],
            reminders_letter=notices[Channel.LETTER],
            invitations=invitations.total(),
            sessions_booked=booked.booked,
            sessions_waiting=_first_time(run, "waiting", booked.waiting),
            **{
                f"left_out_{reason}": _first_time(run, f"left_out_{reason}", ids)
                for reason, ids in targeting.left_out.items()
            },
        )
        summary["left_out"] = sum(summary[f"left_out_{reason}"] for reason in LEFT_OUT)
        run.counts.update(summary)
        run.save(update_fields=["counts"])
        queue_unsent(Reminder.objects.filter(cycle=cycle))
        summary["cases_opened"], case_failures = open_cases(targets=targets, on=on, policy=policy)
        summary["commitments_broken"] = flag_broken_commitments(on)
        propose_after_broken(on)
        close_kept_plans(on, {row.employer_id: row.arrears for row in rows})
        run.counts.update(summary)
        summary["digests"], digest_failures = send_digests(run, on=on, rows=rows)
        run.counts.update(summary)
        run.failures = case_failures + digest_failures
    return summary


def run_monthly(on: date, *, triggered_by: User | None = None) -> dict[str, int]:
    """Decree 274's formal written request to every late employer, for the month of ``on``:
    the amount, the days late, the 0.03 % charge, the measures that follow and the date its
    oldest unpaid contribution becomes evasion (the FORMAL_REQUEST letter)."""
    cycle = month_cycle(on)
    with job_run(JobRun.Job.MONTHLY, cycle, on, triggered_by) as run:
        targets = notice_targets(on)
        made = create_reminders(kind=Kind.FORMAL_REQUEST, cycle=cycle, on=on, targets=targets)
        summary = {
            "formal_requests": made.total(),
            "formal_requests_email": made[Channel.EMAIL],
            "formal_requests_letter": made[Channel.LETTER],
        }
        run.counts.update(summary)
        queue_unsent(Reminder.objects.filter(cycle=cycle))
    return summary


def run_quarterly(on: date, *, triggered_by: User | None = None) -> dict[str, int]:
    """Decree 274's quarterly list of late and evading employers as of ``on``, stored with
    the run and e-mailed to the liaisons of the state management and inspection agencies
    (each once per quarter)."""
    cycle = quarter_cycle(on)
    with job_run(JobRun.Job.QUARTERLY, cycle, on, triggered_by) as run:
        late = balances_as_of(on, in_arrears=True)
        employers = Employer.objects.in_bulk([row.employer_id for row in late])
        evasion = {
            row.employer_id: employer_evasion_periods(employers[row.employer_id], on)
            for row in late
        }
        workbook = quarterly_workbook(late, evasion, employers, on)
        name = artifact_name(run)
        default_storage.delete(name)
        default_storage.save(name, ContentFile(workbook))
        delivered, failures = deliver_quarterly(run, workbook, on)
        run.counts.update(
            late=len(late),
            evading=sum(1 for periods in evasion.values() if periods),
            deliveries=delivered,
        )
        run.failures = failures
    return {key: run.counts[key] for key in QUARTERLY_KEYS}


def run_nightly(on: date, *, triggered_by: User | None = None) -> dict[str, int]:
    """The Balance table as of ``on``, then the recent reminders still unsent queued again
    (a broker that was down, a mail server that refused them past their retries)."""
    with job_run(JobRun.Job.BALANCES, f"{on:%Y%m%d}", on, triggered_by) as run:
        run.counts["balances"] = refresh_balances(on)
        recent = Reminder.objects.filter(
            created_at__gte=timezone.now() - timedelta(days=REQUEUE_DAYS)
        )
        queue_unsent(recent)
        run.counts["requeued"] = recent.filter(status__in=[Status.PENDING, Status.FAILED]).count()
    return {key: run.counts[key] for key in NIGHTLY_KEYS}


RUNS: dict[str, Callable[..., dict[str, int]]] = {
    JobRun.Job.WEEKLY: run_weekly,
    JobRun.Job.MONTHLY: run_monthly,
    JobRun.Job.QUARTERLY: run_quarterly,
    JobRun.Job.BALANCES: run_nightly,
}
DUE: dict[str, Callable[[date], bool]] = {
    JobRun.Job.MONTHLY: monthly_due,
    JobRun.Job.QUARTERLY: quarterly_due,
}


def run_scheduled(
    job: str, *, on: str | None = None, triggered_by: int | None = None, force: bool = False
) -> dict[str, int] | None:
    """What a job's task does: run it for ``on`` (ISO date; default today in the province).

    Beat calls the monthly and quarterly tasks on several days; unless ``force``d (a
    manager's run), they run only when due. None when nothing ran: not due, or another
    process running the same cycle (it will finish it)."""
    day = date.fromisoformat(on) if on else timezone.localdate()
    if not force and job in DUE and not DUE[job](day):
        return None
    user = User.objects.filter(pk=triggered_by).first() if triggered_by else None
    try:
        return RUNS[job](day, triggered_by=user)
    except JobBusy:
        log.info("%s for %s already running elsewhere", job, day)
        return None


# The task each job's run is queued as, to resume a run that a dead worker left behind.
TASKS = {
    JobRun.Job.WEEKLY: "arrears.tasks.weekly_jobs_task",
    JobRun.Job.MONTHLY: "arrears.tasks.monthly_jobs_task",
    JobRun.Job.QUARTERLY: "arrears.tasks.quarterly_jobs_task",
    JobRun.Job.BALANCES: "arrears.tasks.nightly_task",
}


def resume_interrupted() -> int:
    """Queue again every run a dead worker left "running" (the runs are safe to repeat: what
    the first one wrote is not written twice); the run marks the old one interrupted."""
    runs = interrupted_runs()
    for run in runs:
        options = {"force": True} if run.job in DUE else {}
        log.warning("%s %s was interrupted; queued again", run.job, run.cycle)
        queue.send_on_commit(TASKS[run.job], on=run.run_on.isoformat(), **options)
    return len(runs)
