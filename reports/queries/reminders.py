"""The notices and working-session invitations of a week."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from accounts.models import User
from arrears.jobs.cycles import week_cycle
from arrears.models import Reminder
from reports.queries.base import employers_for


@dataclass(frozen=True)
class ReminderRow:
    cycle: str
    unit_code: str
    name: str
    office: str
    kind: str
    channel: str
    status: str
    arrears: int
    months_in_arrears: int
    interest: int
    sent_on: date | None  # the day it went out, in the province


def _week_reminders(
    on: date, user: User | None, filters: dict[str, Any], start: date | None = None
) -> QuerySet[Reminder]:
    """The week's notices and invitations, or for a period those of the weekly runs whose
    figures date from ``start`` to ``on``."""
    found = Reminder.objects.filter(kind__in=[Reminder.Kind.NOTICE, Reminder.Kind.INVITATION])
    if start is None:
        found = found.filter(cycle=week_cycle(on))
    else:
        found = found.filter(as_of__range=(start, on))
    employers = employers_for(user, **filters)
    return found if employers is None else found.filter(employer__in=employers)


def reminders(
    *, on: date, user: User | None, start: date | None = None, **filters: Any
) -> list[ReminderRow]:
    """The notices and working-session invitations of the ISO week holding ``on`` (or of the
    weeks run from ``start`` to ``on``), by office and unit code, with the figures they
    stated."""
    kinds, channels = dict(Reminder.Kind.choices), dict(Reminder.Channel.choices)
    statuses = dict(Reminder.Status.choices)
    found = (
        _week_reminders(on, user, filters, start)
        .order_by("employer__office__name", "employer__unit_code", "cycle", "kind")
        .values_list(
            "cycle",
            "employer__unit_code",
            "employer__name",
            "employer__office__name",
            "kind",
            "channel",
            "status",
            "arrears",
            "months_in_arrears",
            "interest",
            "sent_at",
        )
    )
    return [
        ReminderRow(
            *values[:4],
            str(kinds[values[4]]),
            str(channels[values[5]]),
            str(statuses[values[6]]),
            *values[7:10],
            timezone.localdate(values[10]) if values[10] else None,
        )
        for values in found
    ]


def reminder_count(
    *, on: date, user: User | None, start: date | None = None, **filters: Any
) -> int:
    return _week_reminders(on, user, filters, start).count()
