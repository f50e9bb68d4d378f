"""Every employer's ledger figures at once, computed by PostgreSQL in one set-based query.

The same rules as ``arrears.ledger`` (rules 3-7 of DOMAIN.md), to the đồng, without loading
any ledger into Python: ``balances_as_of`` for any date, and ``refresh_balances`` stores
today's figures in the Balance table that lists read. Reports read ``current_balances``: the
Balance table while it holds exactly the ledger's figures on their date (a LedgerStamp
raised by triggers tells), else this query.

How the query mirrors the ledger (see the ``ledger`` module docstring for the rules):

- Allocation is the cumulative form of rule 2. Contributions of an employer, in period order,
  occupy the interval ``[before, before + total)`` on the money axis; payments dated on or
  before D, in (date, id) order, occupy ``[before, after)``. The part of payment j applied to
  contribution i is the length of the overlap of their intervals, and what is left of i is
  ``total - clamp(paid_total - before, 0, total)``.
- Payments count by ``to_contributions``: what of each settles contributions under rule 12
  (the rest, kept on the payment by ``arrears.interest.services.resplit``, pays interest).
  Interest outstanding is the interest less the interest parts of payments and the credit
  moved to interest (CreditMove) up to D.
- Interest (rule 5): with ``F(d)`` the sum of the daily rates of all days before d (days
  before the first rate carry none), the rate sum of the days ``a..b`` is ``F(b + 1) - F(a)``.
  A part paid on day p accrues ``F(p + 1) - F(due + 1)`` if paid after the deadline (else
  nothing), the unpaid rest ``F(D + 1) - F(due + 1)``; exact NUMERIC, rounded half up per
  contribution, then summed. Parts paid on time accrue nothing and are left out of the sum.

The overlap join compares each contribution with each payment of its employer: linear in
employers, quadratic in one employer's history (docs/benchmarks.md has the figures, and why a
merge of both streams' boundaries was not kept).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db import connection, connections, transaction
from django.db.models import QuerySet
from django.utils import timezone

from arrears.ledger import BUCKET_FLOORS, Bucket
from desk import queue
from desk.replica import read_alias
from participants.models import Employer

__all__ = [
    "BalanceRow",
    "balances_as_of",
    "balances_sql",
    "current_balances",
    "current_balances_sql",
    "refresh_balances",
    "request_balance_refresh",
    "scope_sql",
    "stored_is_current",
]


@dataclass(frozen=True)
class BalanceRow:
    """One employer's figures on a date; ``employees`` are the workers affected (rule 7)."""

    employer_id: int
    unit_code: str
    name: str
    office: str
    status: str
    employees: int
    arrears: int
    months_in_arrears: int
    oldest_unpaid_period: date | None
    interest: int
    interest_outstanding: int  # rule 12: interest less the interest paid
    bucket: Bucket


# Aging bucket from months in arrears, from the ledger's own thresholds (ledger.aging_bucket).
_BUCKET_SQL = (
    "CASE "
    + " ".join(
        f"WHEN coalesce(l.months_in_arrears, 0) >= {int(floor)} THEN '{bucket.value}'"
        for floor, bucket in BUCKET_FLOORS
    )
    + " END"
)

# %(on)s is the date D; each ``{..._scope}`` is "<employer column> IN (<subquery>)" or TRUE.
_LEDGER_SQL = """
WITH
-- F(day) for each day from the first rate through D + 1: the sum of the rates of the days
-- before it. Days outside it: before the first rate F is 0; later days are never needed.
calendar AS (
    SELECT d.day, sum(r.daily_rate) OVER (ORDER BY d.day ROWS UNBOUNDED PRECEDING)
                  - r.daily_rate AS accrued
    FROM (SELECT min(valid_from) AS first FROM arrears_interestrate) AS f
    CROSS JOIN generate_series(0, %(on)s::date + 1 - f.first) AS n
    CROSS JOIN LATERAL (SELECT f.first + n AS day) AS d
    CROSS JOIN LATERAL (
        SELECT daily_rate FROM arrears_interestrate
        WHERE valid_from <= d.day ORDER BY valid_from DESC LIMIT 1
    ) AS r
),
dues AS (
    SELECT c.id, c.employer_id, c.period, c.due_on, c.total, c.employees,
           (sum(c.total) OVER w - c.total)::bigint AS before,
           lead(c.period) OVER w AS next_period,
           -- F(due + 1), capped at F(D + 1): nothing accrues after D.
           coalesce(cal.accrued, 0) AS accrued_at_due
    FROM arrears_contribution c
    LEFT JOIN calendar cal ON cal.day = least(c.due_on + 1, %(on)s::date + 1)
    WHERE {contribution_scope}
    WINDOW w AS (PARTITION BY c.employer_id ORDER BY c.period ROWS UNBOUNDED PRECEDING)
),
-- What of each payment settles contributions (rule 12: the rest pays interest).
paid AS (
    SELECT p.employer_id, p.paid_on, p.interest_part,
           (sum(p.to_contributions) OVER w - p.to_contributions)::bigint AS before,
           (sum(p.to_contributions) OVER w)::bigint AS after,
           coalesce(cal.accrued, 0) AS accrued_at_payment
    FROM arrears_payment p
    LEFT JOIN calendar cal ON cal.day = p.paid_on + 1
    WHERE p.paid_on <= %(on)s AND {payment_scope}
    WINDOW w AS (PARTITION BY p.employer_id ORDER BY p.paid_on, p.id ROWS UNBOUNDED PRECEDING)
),
paid_total AS (
    SELECT employer_id, max(after) AS amount, sum(interest_part) AS interest_money
    FROM paid GROUP BY employer_id
),
-- Interest money on D (rule 12): interest parts of payments and credit moved to interest.
interest_paid AS (
    SELECT employer_id, sum(amount) AS amount FROM (
        SELECT employer_id, interest_money AS amount FROM paid_total
        UNION ALL
        SELECT m.employer_id, m.amount FROM arrears_creditmove m
        WHERE m.moved_on <= %(on)s AND {move_scope}
    ) AS money GROUP BY employer_id
),
-- Exact interest of the parts paid after their deadline, per contribution.
late AS (
    SELECT d.id,
           sum((least(p.after, d.before + d.total) - greatest(p.before, d.before))
               * (p.accrued_at_payment - d.accrued_at_due)) AS interest
    FROM dues d
    JOIN paid p ON p.employer_id = d.employer_id
               AND p.before < d.before + d.total AND p.after > d.before
               AND p.paid_on > d.due_on
    GROUP BY d.id
),
settled AS (
    SELECT d.employer_id, d.period, d.next_period, d.due_on, d.employees, d.accrued_at_due,
           late.interest,
           d.total - least(d.total, greatest(0, coalesce(pt.amount, 0) - d.before)) AS unpaid
    FROM dues d
    LEFT JOIN paid_total pt ON pt.employer_id = d.employer_id
    LEFT JOIN late ON late.id = d.id
),
ledger AS (
    SELECT s.employer_id,
           sum(s.unpaid) FILTER (WHERE s.due_on < %(on)s) AS arrears,
           count(*) FILTER (WHERE s.unpaid > 0 AND s.due_on < %(on)s) AS months_in_arrears,
           min(s.period) FILTER (WHERE s.unpaid > 0 AND s.due_on < %(on)s) AS oldest,
           sum(round(coalesce(s.interest, 0) + s.unpaid * (
               coalesce((SELECT accrued FROM calendar WHERE day = %(on)s::date + 1), 0)
               - s.accrued_at_due))) AS interest,
           -- Rule 7: the latest row for a month up to D's.
           max(s.employees) FILTER (
               WHERE s.period <= date_trunc('month', %(on)s::date)
               AND (s.next_period IS NULL OR s.next_period > date_trunc('month', %(on)s::date))
           ) AS employees
    FROM settled s
    GROUP BY s.employer_id
)
-- The columns of BalanceRow, in its order.
SELECT e.id, e.unit_code, e.name, office.name, e.status, coalesce(l.employees, 0),
       coalesce(l.arrears, 0)::bigint, coalesce(l.months_in_arrears, 0)::integer, l.oldest,
       coalesce(l.interest, 0)::bigint,
       greatest(0, coalesce(l.interest, 0) - coalesce(ip.amount, 0))::bigint, {bucket}
FROM participants_employer e
JOIN participants_office office ON office.id = e.office_id
LEFT JOIN ledger l ON l.employer_id = e.id
LEFT JOIN interest_paid ip ON ip.employer_id = e.id
WHERE {employer_scope}
ORDER BY coalesce(l.arrears, 0) DESC, e.unit_code
"""


def scope_sql(employers: QuerySet[Employer] | None, column: str) -> str:
    """``column IN (<the employers' ids>)``, or TRUE for no restriction: a condition for
    hand-written SQL run with named parameters (``%(name)s``).

    The queryset becomes a subquery with its values inlined by psycopg's own quoting; any %
    in them is escaped so that only the query's own named parameters remain. No ordering:
    with DISTINCT (a liaison's scope) it would add columns to the subquery.
    """
    if employers is None:
        return "TRUE"
    sql, params = employers.order_by().values("pk").query.sql_with_params()
    ids = connection.ops.compose_sql(sql, params).replace("%", "%%")
    return f"{column} IN ({ids})"


def _ledger_sql(employers: QuerySet[Employer] | None) -> str:
    """The query, restricted to the employers of the queryset if one is given."""
    return _LEDGER_SQL.format(
        bucket=_BUCKET_SQL,
        contribution_scope=scope_sql(employers, "c.employer_id"),
        payment_scope=scope_sql(employers, "p.employer_id"),
        move_scope=scope_sql(employers, "m.employer_id"),
        employer_scope=scope_sql(employers, "e.id"),
    )


def balances_sql(employers: QuerySet[Employer] | None = None) -> str:
    """The query of ``balances_as_of`` as text, for reports that aggregate it in PostgreSQL:
    its one parameter is ``%(on)s``, its columns BalanceRow's in order (the bucket last)."""
    return _ledger_sql(employers)


def balances_as_of(on: date, *, employers: QuerySet[Employer] | None = None) -> list[BalanceRow]:
    """Every employer's arrears, months, oldest unpaid period, interest, bucket and workers
    affected on ``on`` (as ``ledger.balance_on`` gives them), largest arrears first.

    ``employers`` restricts the rows (e.g. ``Employer.objects.in_scope(user)``); employers
    with no contributions come back with zeros.
    """
    return _rows(_ledger_sql(employers), on)


# The Balance table's rows in the columns of the ledger query, for ``current_balances_sql``.
_STORED_SQL = """
SELECT e.id, e.unit_code, e.name, office.name, e.status, b.workers_affected, b.arrears,
       b.months_in_arrears, b.oldest_unpaid_period, b.interest, b.interest_outstanding,
       b.bucket
FROM participants_employer e
JOIN participants_office office ON office.id = e.office_id
JOIN arrears_balance b ON b.employer_id = e.id AND b.as_of = %(on)s
WHERE {employer_scope}
ORDER BY b.arrears DESC, e.unit_code
"""


def stored_is_current(on: date) -> bool:
    """Whether the Balance table holds the ledger's figures on ``on``: refreshed for that day
    since the ledger last changed (LedgerStamp). Read where the figures will be read: a
    replica's Balance table is vouched for by the replica's own stamps."""
    with connections[read_alias()].cursor() as cursor:
        cursor.execute(
            """
            SELECT EXISTS (
                SELECT FROM arrears_balancestate s
                JOIN arrears_ledgerstamp l ON l.version = s.ledger_version
                WHERE s.as_of = %s
            )
            """,
            [on],
        )
        return cursor.fetchone()[0]


def current_balances_sql(on: date, employers: QuerySet[Employer] | None = None) -> str:
    """``balances_sql``, or the same columns read from the Balance table when it holds the
    figures on ``on`` (today's, most days): what reports aggregate."""
    if stored_is_current(on):
        return _STORED_SQL.format(employer_scope=scope_sql(employers, "e.id"))
    return _ledger_sql(employers)


def current_balances(on: date, *, employers: QuerySet[Employer] | None = None) -> list[BalanceRow]:
    """``balances_as_of``, from the Balance table when it holds the figures on ``on``."""
    return _rows(current_balances_sql(on, employers), on)


def _rows(sql: str, on: date) -> list[BalanceRow]:
    with connections[read_alias()].cursor() as cursor:
        cursor.execute(sql, {"on": on})
        return [BalanceRow(*row[:-1], bucket=Bucket(row[-1])) for row in cursor.fetchall()]


_REFRESH_SQL = """
INSERT INTO arrears_balance (employer_id, as_of, arrears, months_in_arrears,
                             oldest_unpaid_period, interest, interest_outstanding, bucket,
                             workers_affected, refreshed_at)
SELECT b.id, %(on)s, b.arrears, b.months, b.oldest, b.interest, b.interest_outstanding,
       b.bucket, b.employees, %(now)s
FROM ({ledger}) AS b (id, unit_code, name, office, status, employees, arrears, months,
                      oldest, interest, interest_outstanding, bucket)
ON CONFLICT (employer_id) DO UPDATE SET
    as_of = EXCLUDED.as_of,
    arrears = EXCLUDED.arrears,
    months_in_arrears = EXCLUDED.months_in_arrears,
    oldest_unpaid_period = EXCLUDED.oldest_unpaid_period,
    interest = EXCLUDED.interest,
    interest_outstanding = EXCLUDED.interest_outstanding,
    bucket = EXCLUDED.bucket,
    workers_affected = EXCLUDED.workers_affected,
    refreshed_at = EXCLUDED.refreshed_at
"""

# Rows whose employer is gone (deleting through the ORM cascades; this catches the rest).
_PRUNE_SQL = """
DELETE FROM arrears_balance b
WHERE NOT EXISTS (SELECT 1 FROM participants_employer e WHERE e.id = b.employer_id)
"""


def refresh_balances(on: date | None = None) -> int:
    """Rewrite the Balance table: one row per employer, as of ``on`` (default: today in the
    province). Returns the number of rows written."""
    on = on or timezone.localdate()
    with transaction.atomic(), connection.cursor() as cursor:
        # One refresh at a time: a second one (an import finishing during the nightly run)
        # waits, then writes figures that include it, rather than racing for the same rows.
        cursor.execute("SELECT pg_advisory_xact_lock(hashtext('arrears.refresh_balances'))")
        # The stamp before the figures: they include at least every change it counts.
        cursor.execute("SELECT coalesce(max(version), 0) FROM arrears_ledgerstamp")
        (version,) = cursor.fetchone()
        cursor.execute(_PRUNE_SQL)
        cursor.execute(
            _REFRESH_SQL.format(ledger=_ledger_sql(None)), {"on": on, "now": timezone.now()}
        )
        written = cursor.rowcount
        cursor.execute(
            """
            INSERT INTO arrears_balancestate (id, as_of, ledger_version) VALUES (1, %s, %s)
            ON CONFLICT (id) DO UPDATE
            SET as_of = EXCLUDED.as_of, ledger_version = EXCLUDED.ledger_version
            """,
            [on, version],
        )
        return written


def request_balance_refresh() -> None:
    """Refresh the Balance table in a worker once the current transaction commits (so the
    worker sees what was just written; nothing is queued if it rolls back)."""
    queue.send_on_commit("arrears.tasks.refresh_balances_task")
