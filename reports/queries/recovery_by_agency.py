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
class FirstReferral:
    """An employer's first referral to a row's organisation (or kind) in the period, with
    what rule 8 makes of it; the totals row takes each employer's earliest of these."""

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
    # The employers counted in the row, for the totals row (not a column).
    firsts: tuple[FirstReferral, ...] = field(default=(), repr=False, compare=False)


# Each employer once per row, at its first referral to the row's organisation (or kind) sent
# in the period: its arrears and workers fixed at referral, and what it recovered up to the
# end (rule 8). A second referral of the same debt to the same place adds nothing.
_RECOVERY_SQL = """
WITH firsts AS (
    SELECT DISTINCT ON ({key}, c.employer_id) {key} AS grp, c.employer_id, r.sent_on, r.id,
           coalesce(r.arrears_at_referral, 0) AS arrears,
           coalesce(r.employees_at_referral, 0) AS workers
    FROM arrears_referral r
    JOIN arrears_recoverycase c ON c.id = r.case_id
    JOIN accounts_agency a ON a.id = r.agency_id
    WHERE r.sent_on IS NOT NULL AND r.sent_on <= %(on)s
      AND (%(start)s::date IS NULL OR r.sent_on >= %(start)s::date) AND {agency} AND {scope}
    ORDER BY {key}, c.employer_id, r.sent_on, r.id
)
SELECT f.grp, f.employer_id, f.sent_on, f.id, f.workers, f.arrears,
       least(f.arrears, coalesce(paid.amount, 0))
FROM firsts f
LEFT JOIN LATERAL (
    SELECT sum(p.amount) AS amount FROM arrears_payment p
    WHERE p.employer_id = f.employer_id AND p.paid_on > f.sent_on AND p.paid_on <= %(on)s
) AS paid ON TRUE
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
    (from the first, when None) to ``on``: units (distinct employers), then, each employer
    counted once at its first referral there in the period, workers and arrears at that
    referral and recovered (the smaller of those arrears and the employer's payments after
    the referral date up to ``on``), and recovered / arrears at referral. A liaison sees their
    own organisation only."""
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
    found: dict[Any, list[FirstReferral]] = {}
    for grp, *values in fetch(sql, params):
        found.setdefault(grp, []).append(FirstReferral(*values))
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


def _row(
    agency: str, kind: str, name: str, firsts: tuple[FirstReferral, ...], *, is_total: bool = False
) -> AgencyRecovery:
    arrears = sum(f.arrears for f in firsts)
    recovered = sum(f.recovered for f in firsts)
    return AgencyRecovery(
        agency,
        kind,
        name,
        len(firsts),
        sum(f.workers for f in firsts),
        arrears,
        recovered,
        share(recovered, arrears),
        is_total=is_total,
        firsts=() if is_total else firsts,
    )


def recovery_totals(rows: Sequence[AgencyRecovery]) -> AgencyRecovery | None:
    """Every row together, each employer once, at its first referral in the period (to
    whichever organisation): an employer referred to two organisations, or two kinds, adds
    its units, workers, arrears and recovered money once."""
    if not rows:
        return None
    first: dict[int, FirstReferral] = {}
    for row in rows:
        for referral in row.firsts:
            known = first.get(referral.employer_id)
            if known is None or (referral.sent_on, referral.referral_id) < (
                known.sent_on,
                known.referral_id,
            ):
                first[referral.employer_id] = referral
    return _row("total", "", _("Tổng cộng"), tuple(first.values()), is_total=True)
