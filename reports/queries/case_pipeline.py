"""Recovery cases by area (office, commune or former province) and stage, and what came back
since they were opened."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from accounts.models import User
from arrears.balances import scope_sql
from arrears.models import Stage
from reports.queries.base import (
    AREA_JOINS,
    AREA_PARAMS,
    STAGE_ORDER,
    area_label,
    area_order,
    area_sql,
    employers_for,
    fetch,
    share,
)


@dataclass(frozen=True)
class PipelineRow:
    area: str
    stage: str  # its code
    stage_name: str
    cases: int
    arrears_at_opening: int
    recovered: int
    recovery_rate: Decimal | None
    is_total: bool = False


_PIPELINE_SQL = """
SELECT {area}, c.stage, count(*), coalesce(sum(c.arrears_at_opening), 0),
       coalesce(sum(least(c.arrears_at_opening, coalesce(paid.amount, 0))), 0)
FROM arrears_recoverycase c
JOIN participants_employer e ON e.id = c.employer_id
{joins}LEFT JOIN LATERAL (
    SELECT sum(p.amount) AS amount FROM arrears_payment p
    WHERE p.employer_id = c.employer_id AND p.paid_on > c.opened_on AND p.paid_on <= %(on)s
) AS paid ON TRUE
WHERE c.opened_on <= %(on)s AND (%(start)s::date IS NULL OR c.opened_on >= %(start)s::date)
  AND {scope}
GROUP BY 1, 2
"""


def case_pipeline(
    *,
    on: date,
    user: User | None,
    by: str = "office",
    start: date | None = None,
    **filters: Any,
) -> list[PipelineRow]:
    """Cases opened by ``on`` (from ``start``, for a period) by area (``by``: managing
    office, commune or former province) and stage (the stage they are at now): how many,
    their arrears at opening, and what came back since (rule 8 from the opening date: per
    case the smaller of its arrears at opening and the payments after it up to ``on``)."""
    sql = _PIPELINE_SQL.format(
        area=area_sql(by),
        joins=AREA_JOINS,
        scope=scope_sql(employers_for(user, **filters), "c.employer_id"),
    )
    labels = dict(Stage.choices)
    found = sorted(
        fetch(sql, {"on": on, "start": start, **AREA_PARAMS}),
        key=lambda r: (area_order(r[0]), STAGE_ORDER.index(r[1])),
    )
    return [
        PipelineRow(
            area_label(name),
            stage,
            str(labels[stage]),
            cases,
            int(opening),
            int(recovered),
            share(int(recovered), int(opening)),
        )
        for name, stage, cases, opening, recovered in found
    ]


def pipeline_totals(rows: Sequence[PipelineRow]) -> PipelineRow | None:
    if not rows:
        return None
    opening = sum(r.arrears_at_opening for r in rows)
    recovered = sum(r.recovered for r in rows)
    return PipelineRow(
        _("Tổng cộng"),
        "",
        "",
        sum(r.cases for r in rows),
        opening,
        recovered,
        share(recovered, opening),
        is_total=True,
    )
