"""Arrears by age (rule 6), per office, commune or former province, or per ownership,
industrial zone or status."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, fields
from datetime import date
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from arrears.balance_totals import kept_current
from arrears.ledger import Bucket
from desk.collation import vietnamese_key
from participants.models import Employer
from participants.selectors import scope_offices
from reports.queries.base import (
    AREA_JOINS,
    AREA_PARAMS,
    AREAS,
    area_label,
    area_order,
    area_sql,
    balances_from,
    employers_for,
    fetch,
)


@dataclass(frozen=True)
class AgingRow:
    group: str
    employers_in_arrears: int
    workers: int  # rule 7, of the employers in arrears
    under_3: int
    from_3_to_6: int
    from_6_to_12: int
    over_12: int
    arrears: int
    interest: int  # of every employer of the group, as employer_balances sums it
    interest_outstanding: int  # rule 12, likewise
    is_total: bool = False


# How the report may group its rows (the areas, then Employer fields), with their names in
# its heading.
GROUPINGS = {
    **AREAS,
    "ownership": gettext_lazy("loại hình"),
    "industrial_zone": gettext_lazy("khu công nghiệp"),
    "status": gettext_lazy("trạng thái"),
}
AGING_GROUPS = tuple(GROUPINGS)

_AGING_SQL = """
SELECT {key}, count(*) FILTER (WHERE b.arrears > 0),
       coalesce(sum(b.employees) FILTER (WHERE b.arrears > 0), 0),
       coalesce(sum(b.arrears) FILTER (WHERE b.bucket = %(under_3)s), 0),
       coalesce(sum(b.arrears) FILTER (WHERE b.bucket = %(from_3_to_6)s), 0),
       coalesce(sum(b.arrears) FILTER (WHERE b.bucket = %(from_6_to_12)s), 0),
       coalesce(sum(b.arrears) FILTER (WHERE b.bucket = %(over_12)s), 0),
       coalesce(sum(b.arrears), 0), coalesce(sum(b.interest), 0),
       coalesce(sum(b.interest_outstanding), 0)
FROM {balances}
JOIN participants_employer e ON e.id = b.employer_id
{joins}
GROUP BY 1
"""

# The same columns from the totals kept per office, status and bucket at the last refresh
# (arrears.balance_totals): for a grouping and filters those totals keep apart.
_KEPT_AGING_SQL = """
SELECT {key}, sum(t.in_arrears), sum(t.workers),
       coalesce(sum(t.arrears) FILTER (WHERE t.bucket = %(under_3)s), 0),
       coalesce(sum(t.arrears) FILTER (WHERE t.bucket = %(from_3_to_6)s), 0),
       coalesce(sum(t.arrears) FILTER (WHERE t.bucket = %(from_6_to_12)s), 0),
       coalesce(sum(t.arrears) FILTER (WHERE t.bucket = %(over_12)s), 0),
       sum(t.arrears), sum(t.interest), sum(t.interest_outstanding)
FROM arrears_balancetotal t
JOIN participants_office area_office ON area_office.id = t.office_id
WHERE t.office_id = ANY(%(offices)s) AND (t.status = %(status)s OR %(status)s::text IS NULL)
GROUP BY 1
"""
_KEPT_GROUPS = {"office": "area_office.name", "status": "t.status"}
_KEPT_FILTERS = {"office", "status"}


def _kept_sql(on: date, user: User | None, by: str, filters: dict[str, Any]) -> tuple[str, dict]:
    """The kept totals' query and its parameters when they can give this report (grouped by
    office or status, filtered by those alone, for a scope of whole offices, while current
    on ``on``); else ("", {})."""
    chosen = {name: value for name, value in filters.items() if value not in (None, "")}
    if by not in _KEPT_GROUPS or not set(chosen) <= _KEPT_FILTERS:
        return "", {}
    offices = scope_offices(user)
    if offices is None or not kept_current(on):
        return "", {}
    if "office" in chosen:
        offices &= {int(chosen["office"])}
    params = {"offices": sorted(offices), "status": chosen.get("status")}
    return _KEPT_AGING_SQL.format(key=_KEPT_GROUPS[by]), params


def _group_labels(by: str) -> tuple[dict[str, str], list[str]]:
    """Labels of an aging grouping's values and their order (choices in their own order)."""
    if by == "ownership":
        choices = Employer.Ownership.choices
    elif by == "status":
        choices = Employer.Status.choices
    else:
        return {}, []
    return {value: str(label) for value, label in choices}, [value for value, _l in choices]


def aging(*, on: date, user: User | None, by: str = "office", **filters: Any) -> list[AgingRow]:
    """Arrears on ``on`` by age (rule 6) per office, commune or former province, or per
    ownership, industrial zone or status (``by``): employers in arrears, their workers,
    arrears in each bucket, total and interest. Summed over the groups they equal
    employer_balances' totals."""
    if by not in AGING_GROUPS:
        raise ValueError(f"aging by {by!r}")
    area = by in AREAS
    sql, params = _kept_sql(on, user, by, filters)
    if not sql:
        sql = _AGING_SQL.format(
            key=area_sql(by) if area else {"status": "b.status"}.get(by, f"e.{by}"),
            balances=balances_from(on, employers_for(user, **filters)),
            joins=AREA_JOINS if area else "",
        )
    params |= {
        "on": on,
        "under_3": Bucket.UNDER_3.value,
        "from_3_to_6": Bucket.FROM_3_TO_6.value,
        "from_6_to_12": Bucket.FROM_6_TO_12.value,
        "over_12": Bucket.OVER_12.value,
        **(AREA_PARAMS if area else {}),
    }
    found = fetch(sql, params)
    if area:
        found.sort(key=lambda r: area_order(r[0]))
        return [AgingRow(area_label(value), *map(int, figures)) for value, *figures in found]
    labels, order = _group_labels(by)
    if order:
        found.sort(key=lambda r: order.index(r[0]) if r[0] in order else len(order))
    else:
        found.sort(key=lambda r: (r[0] == "", vietnamese_key(r[0] or "")))
    outside = _("Ngoài khu công nghiệp")
    return [
        AgingRow(labels.get(value, value or outside), *map(int, figures))
        for value, *figures in found
    ]


def aging_totals(rows: Sequence[AgingRow]) -> AgingRow | None:
    if not rows:
        return None
    figures = [f.name for f in fields(AgingRow)][1:-1]
    return AgingRow(
        _("Tổng cộng"), *(sum(getattr(r, name) for r in rows) for name in figures), is_total=True
    )
