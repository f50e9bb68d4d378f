"""The dashboard's figures: today's from the Balance table, the year's and the twelve months'
trend from the ledger, computed once per refresh of the table per office and added up over
the offices a user sees."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db import connection, transaction
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Sum

from accounts.models import User
from arrears.balance_totals import kept_stamp
from arrears.balances import scope_sql
from arrears.models import Balance, BalanceState, BalanceTotal
from participants.models import Employer, Office
from participants.selectors import scope_offices
from reports.models import DashboardSnapshot
from reports.queries.base import (
    AGING_BUCKETS,
    BUCKET_LABELS,
    HARD_TO_COLLECT,
    YearFigures,
    fetch,
    months_before,
    share,
    year_figures,
)


@dataclass(frozen=True)
class MonthFigures:
    """One month of the trend: arrears at its end (at D for the current month), the payments
    dated in it, and what they recovered (per employer the smaller of its arrears at the end
    of the month before and its payments in the month, rule 8)."""

    end: date
    arrears: int = 0
    payments: int = 0
    recovered: int = 0

    def __add__(self, other: MonthFigures) -> MonthFigures:
        return replace(
            self,
            arrears=self.arrears + other.arrears,
            payments=self.payments + other.payments,
            recovered=self.recovered + other.recovered,
        )


def trend_points(on: date, months: int = 12) -> list[date]:
    """The last day of each of the ``months`` months before ``on``'s, then ``on``: the
    first point is the base the first month's payments are measured from."""
    first_of_month = on.replace(day=1)
    ends = []
    for back in range(months, 0, -1):
        start = months_before(first_of_month, back - 1)
        ends.append(start - timedelta(days=1))
    return [*ends, on]


_TREND_SQL = """
WITH
due_steps AS (
    -- Each contribution counts from the first point it is due before.
    SELECT c.employer_id, width_bucket(c.due_on, %(points)s::date[]) + 1 AS k,
           sum(c.total) AS amount
    FROM arrears_contribution c
    WHERE c.due_on < %(on)s AND {contribution_scope}
    GROUP BY 1, 2
),
paid_steps AS (
    -- Each payment from the first point on or after its date.
    SELECT p.employer_id, width_bucket(p.paid_on - 1, %(points)s::date[]) + 1 AS k,
           sum(p.amount) AS amount
    FROM arrears_payment p
    WHERE p.paid_on <= %(on)s AND {payment_scope}
    GROUP BY 1, 2
),
payers AS (SELECT employer_id FROM due_steps UNION SELECT employer_id FROM paid_steps),
grid AS (
    SELECT y.employer_id, pt.k,
           sum(coalesce(ds.amount, 0)) OVER w AS due,
           sum(coalesce(ps.amount, 0)) OVER w AS paid
    FROM payers y
    CROSS JOIN generate_series(1, %(count)s) AS pt (k)
    LEFT JOIN due_steps ds ON ds.employer_id = y.employer_id AND ds.k = pt.k
    LEFT JOIN paid_steps ps ON ps.employer_id = y.employer_id AND ps.k = pt.k
    WINDOW w AS (PARTITION BY y.employer_id ORDER BY pt.k)
),
levels AS (
    SELECT employer_id, k, greatest(0, due - paid) AS arrears,
           paid - lag(paid) OVER w AS paid_in,
           lag(greatest(0, due - paid)) OVER w AS arrears_before
    FROM grid
    WINDOW w AS (PARTITION BY employer_id ORDER BY k)
)
SELECT e.office_id, l.k, sum(l.arrears), coalesce(sum(l.paid_in), 0),
       coalesce(sum(least(l.arrears_before, l.paid_in)), 0)
FROM levels l
JOIN participants_employer e ON e.id = l.employer_id
GROUP BY e.office_id, l.k
"""


def arrears_trend(
    on: date, employers: QuerySet[Employer] | None = None, months: int = 12
) -> dict[int, list[MonthFigures]]:
    """Per office id, the ``months`` months up to ``on``: ``MonthFigures`` in date order,
    from one query over the whole history (arrears at each point by the identity in the
    ``reports.queries.base`` docstring)."""
    points = trend_points(on, months)
    sql = _TREND_SQL.format(
        contribution_scope=scope_sql(employers, "c.employer_id"),
        payment_scope=scope_sql(employers, "p.employer_id"),
    )
    params = {"points": points, "on": on, "count": len(points)}
    trend: dict[int, list[MonthFigures]] = defaultdict(
        lambda: [MonthFigures(end) for end in points[1:]]
    )
    for office, k, arrears, paid_in, recovered in fetch(sql, params):
        if k == 1:
            continue  # the base point: only the months after it are shown
        trend[office][k - 2] = MonthFigures(
            points[k - 1], int(arrears), int(paid_in), int(recovered)
        )
    return dict(trend)


@dataclass(frozen=True)
class Slice:
    """One part of a whole: a bucket, an office."""

    label: str
    employers: int
    arrears: int


@dataclass(frozen=True)
class OfficeFigures:
    """One office's dashboard figures for one refresh of the Balance table: today's from
    the table (per bucket: employers in arrears and arrears), the year's and the trend from
    the ledger. Plain values, kept as JSON in a DashboardSnapshot."""

    name: str
    employers_in_arrears: int
    arrears: int
    interest: int
    workers_affected: int
    hard_to_collect: int
    buckets: dict[str, tuple[int, int]]
    year: YearFigures
    trend: list[tuple[int, int, int]]  # per month: arrears at its end, payments, recovered

    def as_json(self) -> dict[str, Any]:
        return {**self.__dict__, "year": self.year.__dict__}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> OfficeFigures:
        return cls(
            **{
                **data,
                "buckets": {k: tuple(v) for k, v in data["buckets"].items()},
                "year": YearFigures(**data["year"]),
                "trend": [tuple(m) for m in data["trend"]],
            }
        )


@dataclass(frozen=True)
class Dashboard:
    as_of: date
    refreshed_at: datetime.datetime
    arrears: int
    employers_in_arrears: int
    workers_affected: int
    interest: int
    hard_to_collect: int
    year: YearFigures  # from the ledger, as of the same day
    aging: list[Slice]
    by_office: list[Slice]
    trend: list[MonthFigures]

    @property
    def actionable(self) -> int:
        return self.arrears - self.year.under_one_month - self.hard_to_collect

    @property
    def late_rate(self) -> Decimal | None:
        return share(self.arrears, self.year.receivable)

    @property
    def hard_to_collect_share(self) -> Decimal | None:
        return share(self.hard_to_collect, self.arrears)


def _today_by_office() -> list[dict[str, Any]]:
    """Today's figures per office and aging bucket: from the totals kept by the last refresh
    (``arrears.balance_totals``), else from the Balance table itself (an aggregate of every
    row). Each: office id and name, bucket, employers in arrears, arrears, interest, workers
    affected (of those in arrears) and arrears hard to collect."""
    if kept_stamp() is not None:
        rows = BalanceTotal.objects.values("office_id", "bucket", name=F("office__name"))
        figures = {
            "in_arrears": Sum("in_arrears"),
            "owed": Sum("arrears"),
            "accrued": Sum("interest"),
            "workers": Sum("workers"),
            "hard": Sum("arrears", filter=Q(status__in=HARD_TO_COLLECT)),
        }
    else:
        rows = Balance.objects.values(
            "bucket", office_id=F("employer__office_id"), name=F("employer__office__name")
        )
        figures = {
            "in_arrears": Count("pk", filter=Q(arrears__gt=0)),
            "owed": Sum("arrears"),
            "accrued": Sum("interest"),
            "workers": Sum("workers_affected", filter=Q(arrears__gt=0)),
            "hard": Sum("arrears", filter=Q(employer__status__in=HARD_TO_COLLECT)),
        }
    return list(rows.annotate(**figures).order_by())


def office_figures(as_of: date) -> dict[int, OfficeFigures]:
    """Every office's dashboard figures on ``as_of``: today's per bucket (``_today_by_office``),
    then ``year_figures`` and ``arrears_trend`` from the ledger (too slow for every page view
    over a whole province, hence computed once per refresh)."""
    found: dict[int, dict[str, Any]] = {}
    for g in _today_by_office():
        office = found.setdefault(
            g["office_id"],
            {
                "name": g["name"],
                "employers_in_arrears": 0,
                "arrears": 0,
                "interest": 0,
                "workers_affected": 0,
                "hard_to_collect": 0,
                "buckets": {b.value: (0, 0) for b in AGING_BUCKETS},
            },
        )
        office["employers_in_arrears"] += g["in_arrears"]
        office["arrears"] += g["owed"] or 0
        office["interest"] += g["accrued"] or 0
        office["workers_affected"] += g["workers"] or 0
        office["hard_to_collect"] += g["hard"] or 0
        if g["bucket"] in office["buckets"]:
            office["buckets"][g["bucket"]] = (g["in_arrears"], g["owed"] or 0)
    years = year_figures(as_of)
    trends = arrears_trend(as_of)
    return {
        pk: OfficeFigures(
            **values,
            year=years.get(pk, YearFigures()),
            trend=[(m.arrears, m.payments, m.recovered) for m in trends.get(pk, [])],
        )
        for pk, values in found.items()
    }


def _snapshot(as_of: date, refreshed_at: datetime.datetime) -> dict[int, OfficeFigures]:
    """The figures of this refresh: stored by the first dashboard to ask (the others wait
    for it rather than compute them again), read by every later one."""

    def stored() -> dict[str, Any] | None:
        return (
            DashboardSnapshot.objects.filter(as_of=as_of, refreshed_at=refreshed_at)
            .values_list("figures", flat=True)
            .first()
        )

    figures = stored()
    if figures is None:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(hashtext('reports.dashboard'))")
            figures = stored()
            if figures is None:
                figures = {
                    str(pk): office.as_json() for pk, office in office_figures(as_of).items()
                }
                DashboardSnapshot.objects.all().delete()
                DashboardSnapshot.objects.create(
                    as_of=as_of, refreshed_at=refreshed_at, figures=figures
                )
    return {int(pk): OfficeFigures.from_json(data) for pk, data in figures.items()}


def dashboard_for(user: User) -> Dashboard | None:
    """The manager's dashboard (an officer's: their offices): today's figures from the
    Balance table and the year's from the ledger on the same day, per office for each
    refresh of the table (``_snapshot``), added up over the offices of the user's
    employers. None before the first refresh."""
    kept = kept_stamp()
    if kept is not None:  # the table's latest day and refresh, kept by that refresh
        stamp = {"as_of": kept.balance_as_of, "at": kept.refreshed_at}
    else:
        state = BalanceState.objects.filter(pk=1).first()
        stamp = {"as_of": state.as_of, "at": state.refreshed_at} if state else {"as_of": None}
    if stamp["as_of"] is None:
        return None
    figures = _snapshot(stamp["as_of"], stamp["at"])
    # The offices with employers among those of a scope of whole offices (the province's,
    # an officer's, named as such: their scope in SQL hides its size from the planner),
    # else the offices of the employers of a part of some.
    offices = Office.objects.filter(Exists(Employer.objects.filter(office=OuterRef("pk"))))
    if user.sees_province:
        visible = set(offices.values_list("pk", flat=True))
    elif (whole := scope_offices(user)) is not None:
        visible = set(offices.filter(pk__in=whole).values_list("pk", flat=True))
    else:
        employers = Employer.objects.in_scope(user).order_by()
        visible = set(employers.values_list("office_id", flat=True).distinct())
    mine = [office for pk, office in figures.items() if pk in visible]
    points = trend_points(stamp["as_of"])[1:]
    return Dashboard(
        as_of=stamp["as_of"],
        refreshed_at=stamp["at"],
        arrears=sum(d.arrears for d in mine),
        employers_in_arrears=sum(d.employers_in_arrears for d in mine),
        workers_affected=sum(d.workers_affected for d in mine),
        interest=sum(d.interest for d in mine),
        hard_to_collect=sum(d.hard_to_collect for d in mine),
        year=sum((d.year for d in mine), YearFigures()),
        aging=[
            Slice(
                str(BUCKET_LABELS[bucket]),
                sum(d.buckets[bucket][0] for d in mine),
                sum(d.buckets[bucket][1] for d in mine),
            )
            for bucket in AGING_BUCKETS
        ],
        by_office=sorted(
            (Slice(d.name, d.employers_in_arrears, d.arrears) for d in mine),
            key=lambda s: (-s.arrears, s.label),
        ),
        trend=[
            MonthFigures(
                end,
                sum(d.trend[i][0] for d in mine if d.trend),
                sum(d.trend[i][1] for d in mine if d.trend),
                sum(d.trend[i][2] for d in mine if d.trend),
            )
            for i, end in enumerate(points)
        ],
    )
