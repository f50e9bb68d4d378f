"""What the reports share: the employers a report covers, the balance columns, the rates, the
year's figures (late rate and dashboard).

Two identities of the ledger (DOMAIN.md rules 2-3) let several reports skip the per-
contribution allocation of ``arrears.balances``: payments settle the oldest period first and
due dates rise with the period, so the contributions past due on D are the first ones in
period order and

- an employer's arrears on D are ``max(0, due(D) - paid(D))``, with ``due(D)`` the total of
  its contributions due before D and ``paid(D)`` of its payments dated on or before D (what of
  them settles contributions, rule 12);
- the unpaid part of its *latest* past-due contributions (those due since some date) is the
  smaller of their total and the employer's arrears.

The tests check both against ``balances_as_of`` on the samples.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, fields
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db import connections
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from arrears.balances import BalanceRow, current_balances_sql, scope_sql
from arrears.ledger import Bucket
from arrears.models import Balance, Stage
from desk.collation import vietnamese_key
from desk.periods import months_before
from desk.replica import read_alias
from participants.models import FORMER_PROVINCES, UNIT_CODE_PREFIX_LENGTH, Employer

# The filters every report page offers: Employer fields, and the former province (the prefix
# of the unit code, a key of FORMER_PROVINCES).
FILTERS = ("office", "commune", "former_province", "ownership", "industrial_zone", "status")
HARD_TO_COLLECT = tuple(str(status) for status in Employer.HARD_TO_COLLECT)
AGING_BUCKETS = (Bucket.UNDER_3, Bucket.FROM_3_TO_6, Bucket.FROM_6_TO_12, Bucket.OVER_12)
# Their labels, as the Balance table names them.
BUCKET_LABELS = dict(Balance._meta.get_field("bucket").flatchoices)
STAGE_ORDER = list(Stage.values)
_RATE_PLACES = Decimal("0.0001")  # a rate as a fraction: 0.01 %


def share(part: int, base: int | None) -> Decimal | None:
    """``part / base`` rounded half up to 0.01 % (a fraction: 0.5582 is 55.82 %); None when
    there is no base (no plan set, or a base of 0)."""
    if not base:
        return None
    return (Decimal(part) / Decimal(base)).quantize(_RATE_PLACES, rounding=ROUND_HALF_UP)


def employers_for(user: User | None, **filters: Any) -> QuerySet[Employer] | None:
    """The employers a report covers: ``user``'s scope narrowed by the filters given (empty
    values ignored). None for the whole province unfiltered, so that SQL can skip the test."""
    chosen = {
        name: value
        for name, value in filters.items()
        if name in FILTERS and value not in (None, "")
    }
    if user is None and not chosen:
        return None
    employers = Employer.objects.all() if user is None else Employer.objects.in_scope(user)
    prefix = chosen.pop("former_province", None)
    if prefix:
        employers = employers.filter(unit_code__istartswith=prefix)
    return employers.filter(**chosen)


def fetch(sql: str, params: dict[str, Any]) -> list[tuple[Any, ...]]:
    """The rows of a report's SQL, run with named parameters (on the replica in a
    ``stale_reads`` block)."""
    with connections[read_alias()].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def fetch_stream(sql: str, params: dict[str, Any], size: int = 2000) -> Iterator[tuple[Any, ...]]:
    """``fetch``'s rows one by one from a server-side cursor, ``size`` at a time: an export of
    every employer holds one batch in memory, not the region."""
    with connections[read_alias()].chunked_cursor() as cursor:
        cursor.execute(sql, params)
        while batch := cursor.fetchmany(size):
            yield from batch


# --------------------------------------------------------------------------------------------
# Areas: the groupings by where an employer is. Each is an SQL expression over the employer
# ``e`` with ``AREA_JOINS``, run with ``AREA_PARAMS``.

AREAS = {
    "office": gettext_lazy("BHXH cơ sở"),
    "commune": gettext_lazy("xã/phường"),
    "former_province": gettext_lazy("tỉnh cũ"),
}
AREA_JOINS = """
JOIN participants_office area_office ON area_office.id = e.office_id
LEFT JOIN participants_commune area_commune ON area_commune.id = e.commune_id
"""
# The former province of a unit code: its prefix's name, or the prefix when it is not known.
_PREFIX_SQL = "upper(left(e.unit_code, %(prefix_length)s::integer))"
_AREA_SQL = {
    "office": "area_office.name",
    "commune": "coalesce(area_commune.name, '')",
    "former_province": (
        f"coalesce((%(province_names)s::text[])"
        f"[array_position(%(province_prefixes)s::text[], {_PREFIX_SQL})], {_PREFIX_SQL})"
    ),
}
AREA_PARAMS = {
    "prefix_length": UNIT_CODE_PREFIX_LENGTH,
    "province_prefixes": list(FORMER_PROVINCES),
    "province_names": list(FORMER_PROVINCES.values()),
}


def area_sql(by: str) -> str:
    """The SQL naming each employer's area of grouping ``by`` (a key of AREAS): its managing
    office, its commune ('' when it has none) or the former province of its unit code."""
    if by not in AREAS:
        raise ValueError(f"area {by!r}")
    return _AREA_SQL[by]


def area_label(name: str) -> str:
    """An area as a report shows it: employers with no commune yet are named so."""
    return name or _("Chưa có xã/phường")


def area_order(name: str) -> tuple[bool, Any]:
    """Areas in Vietnamese alphabetical order, "no commune" last."""
    return name == "", vietnamese_key(name)


# The columns of the balance query (arrears.balances), named once as BalanceRow names them.
BALANCE_COLUMNS = ", ".join(field.name for field in fields(BalanceRow))


def balances_from(on: date, employers: QuerySet[Employer] | None) -> str:
    """The employers' balances on ``on`` (``current_balances_sql``) as a FROM item ``b`` with
    BalanceRow's columns; its one parameter is ``%(on)s``."""
    sql = current_balances_sql(on, employers).rstrip()
    body, last = sql.rsplit("\n", 1)
    if last.startswith("ORDER BY"):
        # The order of the rows means nothing to a report that aggregates them or orders
        # them itself, and sorting a region's employers was a third of the aging report.
        sql = body
    return f"({sql}) AS b ({BALANCE_COLUMNS})"


# --------------------------------------------------------------------------------------------
# The year's figures: the late rate report and the dashboard


@dataclass(frozen=True)
class YearFigures:
    """An area's figures on D for the year of D, all whole đồng.

    - ``receivable``: contributions whose deadline passed in the year up to D (deadlines from
      31/12 of the year before, which passes on 1/1, to the day before D);
    - ``arrears``: rule 3 on D; ``hard_to_collect`` those of employers suspended, awaiting
      dissolution, dissolved, bankrupt or absconded (Employer.HARD_TO_COLLECT);
    - ``under_one_month``: of the other employers, the unpaid part of contributions whose
      deadline was less than a calendar month before D (due on or after D - 1 month);
    - ``opening_arrears``: rule 3 on 31/12 of the year before; ``recovered``: per employer
      the smaller of those and its payments from 1/1 to D (rule 8 from 31/12), summed.
    """

    receivable: int = 0
    arrears: int = 0
    under_one_month: int = 0
    hard_to_collect: int = 0
    opening_arrears: int = 0
    recovered: int = 0
    employers_in_arrears: int = 0

    def __add__(self, other: YearFigures) -> YearFigures:
        return YearFigures(
            *(getattr(self, f.name) + getattr(other, f.name) for f in fields(YearFigures))
        )

    @property
    def actionable(self) -> int:
        """Ho Chi Minh City's "actionable arrears": the total less debt under one month and
        hard-to-collect debt."""
        return self.arrears - self.under_one_month - self.hard_to_collect

    @property
    def late_rate(self) -> Decimal | None:
        return share(self.arrears, self.receivable)

    @property
    def recovery_rate(self) -> Decimal | None:
        return share(self.recovered, self.opening_arrears)


def year_opening(on: date) -> date:
    """31/12 of the year before ``on``'s: the close the year's recovery is counted from."""
    return date(on.year - 1, 12, 31)


_YEAR_SQL = """
WITH dues AS (
    SELECT c.employer_id,
           sum(c.total) AS due,
           coalesce(sum(c.total) FILTER (WHERE c.due_on < %(opening)s), 0) AS due_at_opening,
           coalesce(sum(c.total) FILTER (WHERE c.due_on >= %(opening)s), 0) AS receivable,
           coalesce(sum(c.total) FILTER (WHERE c.due_on >= %(month_ago)s), 0) AS recent
    FROM arrears_contribution c
    WHERE c.due_on < %(on)s AND {contribution_scope}
    GROUP BY c.employer_id
),
paid AS (
    SELECT p.employer_id, sum(p.to_contributions) AS paid,
           coalesce(sum(p.to_contributions) FILTER (WHERE p.paid_on <= %(opening)s), 0)
               AS at_opening
    FROM arrears_payment p
    WHERE p.paid_on <= %(on)s AND {payment_scope}
    GROUP BY p.employer_id
),
positions AS (
    SELECT d.employer_id, d.receivable, d.recent,
           greatest(0, d.due - coalesce(p.paid, 0)) AS arrears,
           greatest(0, d.due_at_opening - coalesce(p.at_opening, 0)) AS opening,
           coalesce(p.paid, 0) - coalesce(p.at_opening, 0) AS paid_in_year
    FROM dues d LEFT JOIN paid p ON p.employer_id = d.employer_id
)
SELECT e.office_id,
       sum(x.receivable),
       sum(x.arrears),
       coalesce(sum(least(x.arrears, x.recent)) FILTER (WHERE NOT e.status = ANY(%(hard)s)), 0),
       coalesce(sum(x.arrears) FILTER (WHERE e.status = ANY(%(hard)s)), 0),
       sum(x.opening),
       sum(least(x.opening, x.paid_in_year)),
       count(*) FILTER (WHERE x.arrears > 0)
FROM positions x
JOIN participants_employer e ON e.id = x.employer_id
GROUP BY e.office_id
"""


def year_figures(
    on: date, employers: QuerySet[Employer] | None = None, start: date | None = None
) -> dict[int, YearFigures]:
    """``YearFigures`` per office id on ``on``, for the employers given (all by default).
    For a period from ``start`` to ``on`` its figures count from the day before ``start``
    instead of 31/12 of the year before: the deadlines passing in the period."""
    sql = _YEAR_SQL.format(
        contribution_scope=scope_sql(employers, "c.employer_id"),
        payment_scope=scope_sql(employers, "p.employer_id"),
    )
    params = {
        "on": on,
        "opening": start - timedelta(days=1) if start else year_opening(on),
        "month_ago": months_before(on, 1),
        "hard": list(HARD_TO_COLLECT),
    }
    return {
        office: YearFigures(*(int(v) for v in values)) for office, *values in fetch(sql, params)
    }
