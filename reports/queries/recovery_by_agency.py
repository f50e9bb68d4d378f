"""Recovery through the agencies the office refers employers to (DOMAIN.md rule 8)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from accounts.models import User
from arrears.balances import scope_sql
from reports.queries.base import employers_for, fetch, share


@dataclass(frozen=True)
class AgencyRecovery:
    agency: str  # its code
    agency_name: str
    units: int
    workers: int
    arrears_at_referral: int
    recovered: int
    recovery_rate: Decimal | None
    is_total: bool = False


_RECOVERY_SQL = """
WITH sent AS (
    SELECT r.id, r.agency_id, c.employer_id, r.sent_on,
           coalesce(r.arrears_at_referral, 0) AS arrears,
           coalesce(r.employees_at_referral, 0) AS workers
    FROM arrears_referral r
    JOIN arrears_recoverycase c ON c.id = r.case_id
    WHERE r.sent_on IS NOT NULL AND r.sent_on <= %(on)s AND {agency} AND {scope}
),
recovered AS (
    SELECT s.id, least(s.arrears, coalesce(sum(p.amount), 0)) AS amount
    FROM sent s
    LEFT JOIN arrears_payment p ON p.employer_id = s.employer_id
                               AND p.paid_on > s.sent_on AND p.paid_on <= %(on)s
    GROUP BY s.id, s.arrears
),
-- Each employer's workers once per agency: those of its latest referral there.
workers AS (
    SELECT DISTINCT ON (agency_id, employer_id) agency_id, workers
    FROM sent ORDER BY agency_id, employer_id, sent_on DESC, id DESC
)
SELECT a.code, a.name, count(DISTINCT s.employer_id),
       (SELECT coalesce(sum(w.workers), 0) FROM workers w WHERE w.agency_id = a.id),
       sum(s.arrears), sum(rec.amount)
FROM sent s
JOIN recovered rec ON rec.id = s.id
JOIN accounts_agency a ON a.id = s.agency_id
GROUP BY a.id, a.code, a.name
ORDER BY a.name
"""


def recovery_by_agency(*, on: date, user: User | None, **filters: Any) -> list[AgencyRecovery]:
    """DOMAIN.md rule 8 per agency, for the referrals sent by ``on``: units (distinct
    employers), workers (each employer's workers at its latest referral to the agency),
    arrears at referral, recovered (per referral the smaller of its arrears at referral and
    the employer's payments after the referral date up to ``on``, then summed) and
    recovered / arrears at referral. A liaison sees their own agency only."""
    params: dict[str, Any] = {"on": on}
    agency = "TRUE"
    if user is not None and user.is_liaison:
        agency = "r.agency_id = %(agency)s"
        params["agency"] = user.agency_id
    sql = _RECOVERY_SQL.format(
        agency=agency, scope=scope_sql(employers_for(user, **filters), "c.employer_id")
    )
    return [
        AgencyRecovery(
            code,
            name,
            units,
            workers,
            int(arrears),
            int(recovered),
            share(int(recovered), int(arrears)),
        )
        for code, name, units, workers, arrears, recovered in fetch(sql, params)
    ]


def recovery_totals(rows: Sequence[AgencyRecovery]) -> AgencyRecovery | None:
    """All agencies: units and workers are added up (an employer referred to two agencies
    counts in both)."""
    if not rows:
        return None
    arrears = sum(r.arrears_at_referral for r in rows)
    recovered = sum(r.recovered for r in rows)
    return AgencyRecovery(
        "",
        _("Tổng cộng"),
        sum(r.units for r in rows),
        sum(r.workers for r in rows),
        arrears,
        recovered,
        share(recovered, arrears),
        is_total=True,
    )
