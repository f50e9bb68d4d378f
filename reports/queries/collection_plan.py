"""Collection against the plan, and the late rate on what was due, per office and for the
province, month by month through the report's date (docs/rules.md, "The collection plan").

For the year Y of the date D and each month M of it up to D's, with C the month's last day
(D itself in D's month):

- ``collected``: what of the payments dated in M settles contributions (rule 12,
  ``Payment.to_contributions``: interest is not collection), by the employer's managing
  office; ``collected_to_date`` from 1 January to C;
- the plan: the office's year plan, and where it has a monthly split the month's and the
  split's sum from January to M; the rates are collected to date over each;
- ``due``, ``arrears`` and ``late_rate``: ``YearFigures`` on C (contributions whose deadline
  passed from 31/12 of the year before to the day before C; rule 3 on C; their ratio).
"""

from __future__ import annotations

import calendar
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from arrears.balances import scope_sql
from arrears.models import CollectionPlan
from participants.models import Employer, Office
from reports.queries.base import YearFigures, employers_for, fetch, share, year_figures

GROUPINGS = {"office": gettext_lazy("BHXH cơ sở"), "province": gettext_lazy("toàn tỉnh")}


@dataclass(frozen=True)
class PlanRow:
    area: str
    month: date  # its first day
    plan_year: int | None
    plan_month: int | None  # the monthly split's, when there is one
    plan_to_date: int | None  # the split from January through the month
    collected: int
    collected_to_date: int
    of_plan: Decimal | None  # collected to date / the year's plan
    of_plan_to_date: Decimal | None  # collected to date / the split through the month
    due: int
    arrears: int
    late_rate: Decimal | None
    is_total: bool = False


_COLLECTED_SQL = """
SELECT e.office_id, extract(month FROM p.paid_on)::integer, sum(p.to_contributions)
FROM arrears_payment p
JOIN participants_employer e ON e.id = p.employer_id
WHERE p.paid_on BETWEEN %(first)s AND %(on)s AND {scope}
GROUP BY 1, 2
"""


def month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def collection_plan(
    *, on: date, user: User | None, by: str = "office", **filters: Any
) -> list[PlanRow]:
    """The rows of the report on ``on``: per office and month (``by="office"``), or the
    province's months (``by="province"``). Filters narrow the employers counted (collected,
    due, arrears); the plan stays each office's."""
    if by not in GROUPINGS:
        raise ValueError(f"collection plan by {by!r}")
    employers = employers_for(user, **filters)
    year, months = on.year, range(1, on.month + 1)
    scoped = Employer.objects.all() if employers is None else employers
    offices = Office.objects.filter(pk__in=scoped.values("office_id"))
    if user is None or user.sees_province:
        offices = offices | Office.objects.filter(collection_plans__year=year)
    names = dict(offices.distinct().values_list("pk", "name"))

    plans: dict[tuple[int, int | None], int] = {
        (office, month): amount
        for office, month, amount in CollectionPlan.objects.filter(
            year=year, office__in=names
        ).values_list("office_id", "month", "amount")
    }
    collected: dict[tuple[int, int], int] = defaultdict(int)
    sql = _COLLECTED_SQL.format(scope=scope_sql(employers, "p.employer_id"))
    for office, month, amount in fetch(sql, {"first": date(year, 1, 1), "on": on}):
        collected[office, month] = int(amount)
    figures = {m: year_figures(min(month_end(year, m), on), employers) for m in months}

    areas = {pk: [pk] for pk in names} if by == "office" else {None: list(names)}
    rows = []
    for area, members in sorted(areas.items(), key=lambda a: names.get(a[0], "")):
        label = names[area] if area is not None else _("Toàn tỉnh")
        rows += _area_rows(label, members, months, year, plans, collected, figures)
    return rows


def _area_rows(
    label: str,
    offices: list[int],
    months: range,
    year: int,
    plans: dict[tuple[int, int | None], int],
    collected: dict[tuple[int, int], int],
    figures: dict[int, dict[int, YearFigures]],
) -> list[PlanRow]:
    """The months of one area (an office, or several summed)."""

    def planned(month: int | None) -> int | None:
        amounts = [plans[o, month] for o in offices if (o, month) in plans]
        return sum(amounts) if amounts else None

    # The split counts only when every office of the area has one.
    split = all(any((o, m) in plans for m in range(1, 13)) for o in offices)
    plan_year = planned(None)
    rows = []
    to_date = 0
    plan_to_date = 0 if split else None
    for month in months:
        in_month = sum(collected[o, month] for o in offices)
        to_date += in_month
        plan_month = planned(month) if split else None
        if plan_to_date is not None:
            plan_to_date += plan_month or 0
        year_so_far = sum((figures[month].get(o, YearFigures()) for o in offices), YearFigures())
        rows.append(
            PlanRow(
                area=label,
                month=date(year, month, 1),
                plan_year=plan_year,
                plan_month=plan_month,
                plan_to_date=plan_to_date,
                collected=in_month,
                collected_to_date=to_date,
                of_plan=share(to_date, plan_year),
                of_plan_to_date=share(to_date, plan_to_date),
                due=year_so_far.receivable,
                arrears=year_so_far.arrears,
                late_rate=year_so_far.late_rate,
            )
        )
    return rows
