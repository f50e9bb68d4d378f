"""Hard-to-collect debt, counted apart: units suspended or awaiting dissolution, and units
dissolved, bankrupt or absconded, each a line with its units in arrears, their workers and
their arrears (the offices' "750 suspended units owing VND 159.7 bn"), per area."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from participants.models import Employer
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

Status = Employer.Status
# The two lines, in their order: (code, name, statuses).
KINDS: tuple[tuple[str, Any, tuple[str, ...]], ...] = (
    (
        "suspended",
        gettext_lazy("Tạm ngừng hoạt động, chờ giải thể"),
        (Status.SUSPENDED, Status.AWAITING_DISSOLUTION),
    ),
    (
        "closed",
        gettext_lazy("Đã giải thể, phá sản, chủ bỏ trốn"),
        (Status.DISSOLVED, Status.BANKRUPT, Status.ABSCONDED),
    ),
)


@dataclass(frozen=True)
class HardToCollectRow:
    area: str
    kind: str  # a code of KINDS
    kind_name: str
    units: int  # employers of these statuses with arrears on the date
    workers: int  # rule 7, of those units
    arrears: int
    interest_outstanding: int  # rule 12, of those units
    is_total: bool = False


_SQL = """
SELECT {area}, CASE WHEN b.status = ANY(%(suspended)s) THEN 'suspended' ELSE 'closed' END,
       count(*), sum(b.employees), sum(b.arrears), sum(b.interest_outstanding)
FROM {balances}
JOIN participants_employer e ON e.id = b.employer_id
{joins}
WHERE b.arrears > 0 AND b.status = ANY(%(hard)s)
GROUP BY 1, 2
"""


# How the lines may be grouped: the areas, or the province as one.
GROUPINGS = {**AREAS, "province": gettext_lazy("toàn tỉnh")}


def hard_to_collect(
    *, on: date, user: User | None, by: str = "office", **filters: Any
) -> list[HardToCollectRow]:
    """Per office, commune or former province, or for the province (``by``), the two lines
    of hard-to-collect debt on ``on``, each with its units in arrears, their workers, arrears
    and interest outstanding; an area with no such unit has no line."""
    if by not in GROUPINGS:
        raise ValueError(f"hard to collect by {by!r}")
    sql = _SQL.format(
        area="''" if by == "province" else area_sql(by),
        balances=balances_from(on, employers_for(user, **filters)),
        joins=AREA_JOINS,
    )
    suspended, closed = (list(map(str, statuses)) for _c, _n, statuses in KINDS)
    params = {"on": on, "suspended": suspended, "hard": suspended + closed, **AREA_PARAMS}
    names = {code: str(name) for code, name, _s in KINDS}
    order = list(names)
    found = sorted(fetch(sql, params), key=lambda r: (area_order(r[0]), order.index(r[1])))
    return [
        HardToCollectRow(
            _("Toàn tỉnh") if by == "province" else area_label(area),
            kind,
            names[kind],
            *map(int, figures),
        )
        for area, kind, *figures in found
    ]


def hard_to_collect_totals(rows: Sequence[HardToCollectRow]) -> HardToCollectRow | None:
    """Both lines of every area summed: all hard-to-collect debt."""
    if not rows:
        return None
    return HardToCollectRow(
        _("Tổng cộng"),
        "",
        "",
        *(
            sum(getattr(r, f) for r in rows)
            for f in ("units", "workers", "arrears", "interest_outstanding")
        ),
        is_total=True,
    )
