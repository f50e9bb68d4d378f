"""The beat schedule of the tasks (arrears/tasks.py), kept by setup_periodic_tasks."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django_celery_beat.models import PeriodicTask

pytestmark = pytest.mark.django_db


def test_setup_periodic_tasks_is_idempotent():  # type: ignore[no-untyped-def]
    call_command("setup_periodic_tasks", stdout=StringIO())
    PeriodicTask.objects.filter(task="arrears.tasks.nightly_task").update(enabled=False)
    call_command("setup_periodic_tasks", stdout=StringIO())
    schedule = {
        t.task: (
            t.crontab.minute,
            t.crontab.hour,
            t.crontab.day_of_month,
            t.crontab.month_of_year,
            t.crontab.day_of_week,
            str(t.crontab.timezone),
            t.enabled,
        )
        for t in PeriodicTask.objects.select_related("crontab")
        if t.task.startswith("arrears.")
    }
    tz = "Asia/Ho_Chi_Minh"
    assert schedule == {
        "arrears.tasks.weekly_jobs_task": ("30", "7", "*", "*", "1", tz, True),
        "arrears.tasks.monthly_jobs_task": ("0", "7", "1-10", "*", "*", tz, True),
        "arrears.tasks.quarterly_jobs_task": ("15", "7", "1-14", "1,4,7,10", "*", tz, True),
        "arrears.tasks.nightly_task": ("0", "1", "*", "*", "*", tz, False),  # as the admin set
        "arrears.tasks.resume_interrupted_task": ("*/10", "*", "*", "*", "*", tz, True),
        "arrears.tasks.hand_overs_task": ("5", "0", "*", "*", "*", tz, True),
        "arrears.tasks.referral_deadlines_task": ("0", "7", "*", "*", "1-5", tz, True),
    }


@pytest.mark.parametrize(
    ("task", "queue"),
    [
        ("arrears.tasks.send_reminders_task", "delivery"),
        ("arrears.tasks.send_reminder_task", "delivery"),
        ("arrears.tasks.post_letters_task", "delivery"),
        ("arrears.tasks.email_referral_notice_task", "delivery"),
        ("arrears.tasks.weekly_jobs_task", "compute"),
        ("arrears.tasks.nightly_task", "compute"),
        ("arrears.tasks.import_statement_task", "compute"),
        ("reports.tasks.export_report_task", "compute"),
    ],
)
def test_deliveries_and_computing_have_queues_of_their_own(task: str, queue: str) -> None:
    """What workers can be given separately (Procfile's -Q): the deliveries, the computing."""
    from config.celery import app

    assert app.amqp.router.route({}, task)["queue"].name == queue
