"""The jobs' cycles: the week, month or quarter a run is for, and when the monthly request and
the quarterly list are due (Decree 274/2025). A job's errors live here, below every run."""

from __future__ import annotations

import re
from datetime import date, timedelta

from django.db.models import Min
from django.utils import timezone
from django.utils.translation import gettext as _

from arrears.models import Contribution, JobRun, Policy

# Decree 274: the monthly request within the month's first 10 days; the quarterly list before
# the 15th of the quarter's first month.
MONTHLY_LAST_DAY = 10
QUARTERLY_LAST_DAY = 14

# A cycle as the URLs take it: a week "2026-W47", a month "2026-11", a quarter "2026-Q4".
CYCLE_PATTERN = re.compile(r"[0-9]{4}-(W[0-9]{2}|[0-9]{2}|Q[1-4])")


class JobError(Exception):
    """A rule refused the change; the message is for the user."""


class JobBusy(JobError):
    """Another process is running the same job for the same cycle."""


def week_cycle(on: date) -> str:
    """ISO week: 2026-11-16 -> "2026-W47"."""
    year, week, _day = on.isocalendar()
    return f"{year}-W{week:02d}"


def month_cycle(on: date) -> str:
    return f"{on:%Y-%m}"


def quarter_cycle(on: date) -> str:
    return f"{on.year}-Q{(on.month - 1) // 3 + 1}"


def week_bounds(on: date) -> tuple[date, date]:
    """Monday and Sunday of the ISO week holding ``on``."""
    monday = on - timedelta(days=on.weekday())
    return monday, monday + timedelta(days=6)


def monthly_due(on: date) -> bool:
    """Whether the formal request goes out on ``on``: from the policy's day to the 10th, until
    a run for the month has succeeded (a day missed by beat is caught up the next day)."""
    if not Policy.current().monthly_request_day <= on.day <= MONTHLY_LAST_DAY:
        return False
    return not _succeeded(JobRun.Job.MONTHLY, month_cycle(on))


def quarterly_due(on: date) -> bool:
    """Whether the quarterly list goes out on ``on``: the quarter's first month, up to the
    14th, until a run for the quarter has succeeded."""
    if on.month % 3 != 1 or on.day > QUARTERLY_LAST_DAY:
        return False
    return not _succeeded(JobRun.Job.QUARTERLY, quarter_cycle(on))


def _succeeded(job: str, cycle: str) -> bool:
    return JobRun.objects.filter(job=job, cycle=cycle, outcome=JobRun.Outcome.SUCCEEDED).exists()


def run_date_bounds(today: date | None = None) -> tuple[date | None, date]:
    """The dates a run may be asked for: from the ledger's first period (None while the ledger
    is empty) to the end of the coming week."""
    today = today or timezone.localdate()
    first = Contribution.objects.aggregate(first=Min("period"))["first"]
    return first, week_bounds(today + timedelta(weeks=1))[1]


def check_run_date(on: date, today: date | None = None) -> None:
    """Refuse a run date outside ``run_date_bounds`` (a typo of the year would otherwise send
    a year of letters)."""
    first, last = run_date_bounds(today)
    if on > last:
        raise JobError(
            _("Ngày chạy %(on)s quá xa: chỉ chạy được đến hết tuần tới (%(last)s).")
            % {"on": f"{on:%d/%m/%Y}", "last": f"{last:%d/%m/%Y}"}
        )
    if first is not None and on < first:
        raise JobError(
            _("Ngày chạy %(on)s trước kỳ đầu tiên của sổ theo dõi (%(first)s).")
            % {"on": f"{on:%d/%m/%Y}", "first": f"{first:%m/%Y}"}
        )
