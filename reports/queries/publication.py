"""The employers in arrears as the office publishes them: late payment or evasion (rule 10)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from accounts.models import User
from arrears.balances import scope_sql
from arrears.law import EVASION_DAYS
from arrears.models import Decision, Reminder
from participants.models import Employer
from reports.queries.base import balances_from, employers_for, fetch

# Rule 10 over every employer at once (law.evasion_periods one employer at a time): the past-
# due contributions still unpaid on D more than 60 days after their deadline, after a
# reminder sent between that deadline and D, outside any accepted force-majeure claim. A
# reminder's date is the day it was sent in the province (or its as-of date).
_EVASION_SQL = """
WITH paid AS (
    SELECT p.employer_id, sum(p.amount) AS amount FROM arrears_payment p
    WHERE p.paid_on <= %(on)s AND {payment_scope}
    GROUP BY p.employer_id
),
dues AS (
    SELECT c.employer_id, c.period, c.due_on, c.total,
           sum(c.total) OVER (PARTITION BY c.employer_id ORDER BY c.period
                              ROWS UNBOUNDED PRECEDING) - c.total AS before
    FROM arrears_contribution c
    WHERE c.due_on < %(on)s AND {contribution_scope}
),
reminded AS (
    SELECT r.employer_id,
           coalesce((r.sent_at AT TIME ZONE %(tz)s)::date, r.as_of) AS day
    FROM arrears_reminder r
    WHERE r.status = %(sent)s AND {reminder_scope}
)
SELECT d.employer_id, count(*), min(d.period)
FROM dues d
LEFT JOIN paid ON paid.employer_id = d.employer_id
WHERE d.due_on < %(on)s::date - %(days)s
  AND d.total - least(d.total, greatest(0, coalesce(paid.amount, 0) - d.before)) > 0
  AND EXISTS (SELECT 1 FROM reminded r WHERE r.employer_id = d.employer_id
                                         AND r.day > d.due_on AND r.day <= %(on)s)
  AND NOT EXISTS (SELECT 1 FROM arrears_forcemajeureclaim f
                  WHERE f.employer_id = d.employer_id AND f.decision = %(accepted)s
                    AND d.period BETWEEN f.first_period AND f.last_period)
GROUP BY d.employer_id
"""


def evasion_by_employer(
    on: date, employers: QuerySet[Employer] | None = None
) -> dict[int, tuple[int, date]]:
    """Rule 10 for many employers in one query: employer id -> (how many periods are evasion
    on ``on``, the earliest of them); employers with none are absent."""
    sql = _EVASION_SQL.format(
        payment_scope=scope_sql(employers, "p.employer_id"),
        contribution_scope=scope_sql(employers, "c.employer_id"),
        reminder_scope=scope_sql(employers, "r.employer_id"),
    )
    params = {
        "on": on,
        "tz": settings.TIME_ZONE,
        "days": EVASION_DAYS,
        "sent": Reminder.Status.SENT.value,
        "accepted": Decision.ACCEPTED.value,
    }
    return {employer: (count, first) for employer, count, first in fetch(sql, params)}


@dataclass(frozen=True)
class PublicationRow:
    unit_code: str
    name: str
    tax_code: str
    address: str
    office: str
    arrears: int
    months_in_arrears: int
    oldest_unpaid_period: date | None
    violation: str  # "Chậm đóng" or "Trốn đóng"
    evasion_months: int


_PUBLICATION_SQL = """
SELECT b.employer_id, b.unit_code, b.name, e.tax_code, e.address, b.office, b.arrears,
       b.months_in_arrears, b.oldest_unpaid_period
FROM {balances}
JOIN participants_employer e ON e.id = b.employer_id
WHERE b.arrears > 0
ORDER BY b.arrears DESC, b.unit_code
"""


def publication(*, on: date, user: User | None, **filters: Any) -> list[PublicationRow]:
    """The employers in arrears on ``on`` as the office publishes them on its portal
    (Decree 274 Art. 35): name, tax code, address, amount, months, and whether it is late
    payment or evasion (rule 10: at least one period is evasion), largest first."""
    employers = employers_for(user, **filters)
    evasion = evasion_by_employer(on, employers)
    late, evading = _("Chậm đóng"), _("Trốn đóng")
    rows = []
    for employer_id, *values in fetch(
        _PUBLICATION_SQL.format(balances=balances_from(on, employers)), {"on": on}
    ):
        periods = evasion.get(employer_id, (0, None))[0]
        rows.append(
            PublicationRow(*values, violation=evading if periods else late, evasion_months=periods)
        )
    return rows
