"""Celery tasks: thin wrappers over services, safe to run twice.

They take ids and ISO dates (JSON-serialisable), acknowledge the message only once done
(``acks_late``, and a worker lost mid-task gets its message back), and retry with backoff
when the database or the broker is briefly gone. Each imports the service it runs in its
body: services queue tasks by name (``desk.queue``), so imports run one way, tasks -> services.
"""

from datetime import date

from celery import shared_task
from django.db import OperationalError
from kombu.exceptions import OperationalError as BrokerError

from participants.models import Office

# The scheduled jobs: a database restarting, a deadlock, a lost connection, or a broker that
# cannot take the deliveries the run queues. A rerun completes what the failed one began.
JOB_RETRY = {
    "acks_late": True,
    "autoretry_for": (OperationalError, BrokerError),
    "retry_backoff": 60,
    "retry_backoff_max": 3600,
    "max_retries": 5,
}


@shared_task(
    acks_late=True,
    autoretry_for=(OperationalError,),  # the database restarting, a deadlock, a lost connection
    retry_backoff=True,
    max_retries=5,
)
def refresh_balances_task() -> int:
    """Recompute the Balance table as of today; returns the rows written."""
    from arrears.balances import refresh_balances

    return refresh_balances()


@shared_task(**JOB_RETRY)
def weekly_jobs_task(on: str | None = None, triggered_by: int | None = None) -> dict | None:
    from arrears.jobs.runs import run_scheduled

    return run_scheduled("weekly", on=on, triggered_by=triggered_by)


@shared_task(**JOB_RETRY)
def monthly_jobs_task(
    on: str | None = None, triggered_by: int | None = None, force: bool = False
) -> dict | None:
    """Beat calls it on days 1-10; it runs on the policy's day (or the first day after it
    that it can), so a manager's change of that day needs no beat edit."""
    from arrears.jobs.runs import run_scheduled

    return run_scheduled("monthly", on=on, triggered_by=triggered_by, force=force)


@shared_task(**JOB_RETRY)
def quarterly_jobs_task(
    on: str | None = None, triggered_by: int | None = None, force: bool = False
) -> dict | None:
    from arrears.jobs.runs import run_scheduled

    return run_scheduled("quarterly", on=on, triggered_by=triggered_by, force=force)


@shared_task(**JOB_RETRY)
def nightly_task(on: str | None = None) -> dict | None:
    from arrears.jobs.runs import run_scheduled

    return run_scheduled("balances", on=on)


@shared_task(**JOB_RETRY)
def hand_overs_task(on: str | None = None) -> dict[str, int]:
    """Beat, every morning: absent officers' cases handed over on the period's first day and
    given back the day after its last."""
    from arrears.workload.services import apply_hand_overs

    return apply_hand_overs(date.fromisoformat(on) if on else None)


@shared_task(**JOB_RETRY)
def resume_interrupted_task() -> int:
    """Beat, every few minutes: runs left "running" by a worker that died are queued again."""
    from arrears.jobs.runs import resume_interrupted

    return resume_interrupted()


@shared_task(
    acks_late=True,
    # smtplib's errors are OSErrors; the failure is already recorded on the reminder.
    autoretry_for=(OSError, OperationalError),
    retry_backoff=60,
    retry_backoff_max=3600,
    max_retries=6,
)
def send_reminder_task(reminder_id: int) -> bool:
    from arrears.jobs.delivery import deliver_reminder

    return deliver_reminder(reminder_id=reminder_id)


@shared_task(acks_late=True, autoretry_for=(OperationalError,), retry_backoff=60, max_retries=6)
def send_reminders_task(reminder_ids: list[int]) -> int:
    """E-mail a batch of one office's reminders (each one that fails is retried alone)."""
    from arrears.jobs.delivery import deliver_reminders

    return deliver_reminders(reminder_ids=reminder_ids)


@shared_task(
    acks_late=True, autoretry_for=(OperationalError, OSError), retry_backoff=True, max_retries=5
)
def post_letters_task(cycle: str, office_id: int) -> None:
    """Merge the cycle's letters of one office for the post (they are sent once in it)."""
    from arrears.jobs.delivery import post_letters

    office = Office.objects.filter(pk=office_id).first()
    if office is not None:
        post_letters(cycle=cycle, office=office)


@shared_task(
    acks_late=True, autoretry_for=(OSError, OperationalError), retry_backoff=60, max_retries=6
)
def email_referral_notice_task(notice_id: int) -> bool:
    """E-mail one liaison's notice of a referral (once)."""
    from arrears.partners.services import email_notice

    return email_notice(notice_id)


@shared_task(**JOB_RETRY)
def referral_deadlines_task(on: str | None = None) -> dict[str, int]:
    """Beat, every morning: reminders to liaisons before and after their answer deadline."""
    from datetime import date

    from arrears.partners.services import remind_deadlines

    return remind_deadlines(date.fromisoformat(on) if on else None)


@shared_task(acks_late=True, autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5)
def import_statement_task(upload_id: int) -> None:
    """Import a statement file too big for the page to wait for (arrears.imports.background)."""
    from arrears.imports.background import run_upload

    run_upload(upload_id)


@shared_task(acks_late=True, autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5)
def resplit_payments_task() -> int:
    """Rewrite every payment's split between contributions and interest (the office changed
    its setting), then the Balance table; returns the payments changed."""
    from django.db import transaction

    from arrears.balances import refresh_balances
    from arrears.interest.services import resplit

    with transaction.atomic():
        changed = resplit()
    refresh_balances()
    return changed
