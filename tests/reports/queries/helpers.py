"""Reminders sent, as the report queries' tests need them."""

from __future__ import annotations

from datetime import UTC, date, datetime

from arrears.jobs.cycles import week_cycle
from arrears.models import Reminder
from participants.models import Employer


def sent_reminder(employer: Employer, day: date, kind: str = Reminder.Kind.NOTICE) -> Reminder:
    """A reminder sent at noon in the province on ``day``."""
    return Reminder.objects.create(
        employer=employer,
        cycle=week_cycle(day),
        kind=kind,
        channel=Reminder.Channel.EMAIL,
        status=Reminder.Status.SENT,
        as_of=day,
        arrears=1,
        interest=0,
        months_in_arrears=1,
        sent_at=datetime(day.year, day.month, day.day, 5, 0, tzinfo=UTC),
    )
