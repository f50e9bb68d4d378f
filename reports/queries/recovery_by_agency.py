"""Recovery through the partner organisations the office refers employers to (DOMAIN.md rule
8), per organisation or per kind of organisation, for the referrals sent up to a day or in a
period ("Recovery in a period")."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
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
class SentReferral:
    """One referral sent in the period, with what rule 8 makes of it."""

    employer_id: int
    sent_on: date
    referral_id: int
    workers: int
    arrears: int
    recovered: int


@dataclass(frozen=True)
class AgencyRecovery:
    agency: str  # the organisation's code, or the kind's; "total" on the totals row
    agency_kind: str  # the organisation's kind ("" on the totals row)
    agency_name: str
    units: int
    workers: int
    arrears_at_referral: int
    recovered: int
    recovery_rate: Decimal | None
    is_total: bool = False
    # The referrals counted in the row, for the totals row (not a column).
    referrals: tuple[SentReferral, ...] = field(default=(), repr=False, compare=False)


# Every referral sent in the period, with its arrears and workers fixed at referral and what it
# recovered up to the end (rule 8): the rows add referrals up as the as-of report always has;
# the totals row picks each employer's first.
_RECOVERY_SQL = """
SELECT {key} AS grp, c.employer_id, r.sent_on, r.id,
       coalesce(r.employees_at_referral, 0), coalesce(r.arrears_at_referral, 0),
       least(coalesce(r.arrears_at_referral, 0), coalesce(paid.amount, 0))::bigint
FROM arrears_referral r
JOIN arrears_recoverycase c ON c.id = r.case_id
JOIN accounts_agency a ON a.id = r.agency_id
LEFT JOIN LATERAL (
    SELECT sum(p.amount) AS amount FROM arrears_payment p
    WHERE p.employer_id = c.employer_id AND p.paid_on > r.sent_on AND p.paid_on <= %(on)s
) AS paid ON TRUE
WHERE r.sent_on IS NOT NULL AND r.sent_on <= %(on)s
  AND (%(start)s::date IS NULL OR r.sent_on >= %(start)s::date) AND {agency} AND {scope}
ORDER BY c.employer_id, r.sent_on, r.id
"""


def recovery_by_agency(
    *,
    on: date,
    user: User | None,
    by: str = "agency",
    start: date | None = None,
    **filters: Any,
) -> list[AgencyRecovery]:
    """DOMAIN.md rule 8 per organisation (``by="agency"``, by name) or per kind of
    organisation (``by="kind"``, in the kinds' order), for the referrals sent from ``start``
    (from the first, when None) to ``on``: units (distinct employers), workers (each
    employer's workers at its latest referral there), arrears at referral, recovered (per
    referral the smaller of its arrears at referral and the employer's payments after the
    referral date up to ``on``, then summed) and recovered / arrears at referral. A liaison
    sees their own organisation only."""
    if by not in GROUPINGS:
        raise ValueError(f"recovery_by_agency groups by {', '.join(GROUPINGS)}, not {by!r}")
    params: dict[str, Any] = {"on": on, "start": start}
    agency = "TRUE"
    if user is not None and user.is_liaison:
        agency = "r.agency_id = %(agency)s"
        params["agency"] = user.agency_id
    sql = _RECOVERY_SQL.format(
        key="a.kind" if by == "kind" else "a.id",
        agency=agency,
        scope=scope_sql(employers_for(user, **filters), "c.employer_id"),
    )
    found: dict[Any, list[SentReferral]] = {}
    for grp, *values in fetch(sql, params):
        found.setdefault(grp, []).append(SentReferral(*values))
    if by == "kind":
        names = [(kind.value, kind.value, kind.value, str(kind.label)) for kind in Agency.Kind]
    else:
        names = list(
            Agency.objects.filter(pk__in=found)
            .order_by("name", "code")
            .values_list("pk", "code", "kind", "name")
        )
    return [
        _row(code, kind, name, tuple(found[grp])) for grp, code, kind, name in names if grp in found
    ]


def _row(agency: str, kind: str, name: str, referrals: tuple[SentReferral, ...]) -> AgencyRecovery:
    latest: dict[int, SentReferral] = {}
    for referral in referrals:  # in date order: the last one seen is the latest
        latest[referral.employer_id] = referral
    arrears = sum(r.arrears for r in referrals)
    recovered = sum(r.recovered for r in referrals)
    return AgencyRecovery(
        agency,
        kind,
        name,
        len(latest),
        sum(r.workers for r in latest.values()),
        arrears,
        recovered,
        share(recovered, arrears),
        referrals=referrals,
    )


def recovery_totals(rows: Sequence[AgencyRecovery]) -> AgencyRecovery | None:
    """Every row together, each employer once, at its first referral in the period (to
    whichever organisation): an employer referred to two organisations, or two kinds, adds
    its units, workers, arrears and recovered money once."""
    if not rows:
        return None
    first: dict[int, SentReferral] = {}
    for row in rows:
        for referral in row.referrals:
            known = first.get(referral.employer_id)
            if known is None or (referral.sent_on, referral.referral_id) < (
                known.sent_on,
                known.referral_id,
            ):
                first[referral.employer_id] = referral
    arrears = sum(r.arrears for r in first.values())
    recovered = sum(r.recovered for r in first.values())
    return AgencyRecovery(
        "total",
        "",
        _("Tổng cộng"),
        len(first),
        sum(r.workers for r in first.values()),
        arrears,
        recovered,
        share(recovered, arrears),
        is_total=True,
    )
