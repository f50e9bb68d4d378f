"""Recovery through the partner organisations the office refers employers to (DOMAIN.md rule
8), per organisation or per kind of organisation."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import Agency, User
from arrears.balances import scope_sql
from reports.queries.base import employers_for, fetch, share

# How the rows may be grouped, the first the default: each organisation, or each kind of
# organisation (every police unit together, every union together, ...).
GROUPINGS = {
    "agency": gettext_lazy("cơ quan phối hợp"),
    "kind": gettext_lazy("loại cơ quan"),
}


@dataclass(frozen=True)
class AgencyRecovery:
    agency: str  # the organisation's code, or the kind's
    agency_name: str
    units: int
    workers: int
    arrears_at_referral: int
    recovered: int
    recovery_rate: Decimal | None
    is_total: bool = False


_RECOVERY_SQL = """
WITH sent AS (
    SELECT r.id, {key} AS grp, c.employer_id, r.sent_on,
           coalesce(r.arrears_at_referral, 0) AS arrears,
           coalesce(r.employees_at_referral, 0) AS workers
    FROM arrears_referral r
    JOIN arrears_recoverycase c ON c.id = r.case_id
    JOIN accounts_agency a ON a.id = r.agency_id
    WHERE r.sent_on IS NOT NULL AND r.sent_on <= %(on)s AND {agency} AND {scope}
),
recovered AS (
    SELECT s.id, least(s.arrears, coalesce(sum(p.amount), 0)) AS amount
    FROM sent s
    LEFT JOIN arrears_payment p ON p.employer_id = s.employer_id
                               AND p.paid_on > s.sent_on AND p.paid_on <= %(on)s
    GROUP BY s.id, s.arrears
),
-- Each employer's workers once per row: those of its latest referral there.
workers AS (
    SELECT DISTINCT ON (grp, employer_id) grp, workers
    FROM sent ORDER BY grp, employer_id, sent_on DESC, id DESC
)
SELECT s.grp, count(DISTINCT s.employer_id),
       (SELECT coalesce(sum(w.workers), 0) FROM workers w WHERE w.grp = s.grp),
       sum(s.arrears), sum(rec.amount)
FROM sent s
JOIN recovered rec ON rec.id = s.id
GROUP BY s.grp
"""


def recovery_by_agency(
    *, on: date, user: User | None, by: str = "agency", **filters: Any
) -> list[AgencyRecovery]:
    """DOMAIN.md rule 8 per organisation (``by="agency"``, by name) or per kind of
    organisation (``by="kind"``, in the kinds' order), for the referrals sent by ``on``: units
    (distinct employers), workers (each employer's workers at its latest referral there),
    arrears at referral, recovered (per referral the smaller of its arrears at referral and
    the employer's payments after the referral date up to ``on``, then summed) and
    recovered / arrears at referral. A liaison sees their own organisation only."""
    if by not in GROUPINGS:
        raise ValueError(f"recovery_by_agency groups by {', '.join(GROUPINGS)}, not {by!r}")
    params: dict[str, Any] = {"on": on}
    agency = "TRUE"
    if user is not None and user.is_liaison:
        agency = "r.agency_id = %(agency)s"
        params["agency"] = user.agency_id
    sql = _RECOVERY_SQL.format(
        key="a.kind" if by == "kind" else "a.id",
        agency=agency,
        scope=scope_sql(employers_for(user, **filters), "c.employer_id"),
    )
    figures = {grp: rest for grp, *rest in fetch(sql, params)}
    if by == "kind":
        names = [(kind.value, kind.value, str(kind.label)) for kind in Agency.Kind]
    else:
        names = list(
            Agency.objects.filter(pk__in=figures)
            .order_by("name", "code")
            .values_list("pk", "code", "name")
        )
    rows = []
    for grp, code, name in names:
        if grp not in figures:
            continue
        units, workers, arrears, recovered = figures[grp]
        rows.append(
            AgencyRecovery(
                code,
                name,
                units,
                workers,
                int(arrears),
                int(recovered),
                share(int(recovered), int(arrears)),
            )
        )
    return rows


def recovery_totals(rows: Sequence[AgencyRecovery]) -> AgencyRecovery | None:
    """All rows: units and workers are added up (an employer referred to two organisations,
    or two kinds, counts in both)."""
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
