"""Every employer's ledger figures at once, computed by PostgreSQL in one set-based query.

The same rules as ``arrears.ledger`` (rules 3-7 of DOMAIN.md), to the đồng, without loading
any ledger into Python: ``balances_as_of`` for any date, and ``refresh_balances`` stores
today's figures in the Balance table that lists read. Reports read ``current_balances``: the
Balance table while it holds exactly the ledger's figures on their date (a LedgerStamp
raised by triggers tells), else this query.

How the query mirrors the ledger (see the ``ledger`` module docstring for the rules):

- Allocation is the cumulative form of rule 2, and does not depend on the date: payments in
  (date, id) order settle contributions in period order, and a date D only cuts a prefix.
  Contributions of an employer occupy ``[before, before + total)`` on the money axis,
  payments ``[before, after)``; the part of payment j applied to contribution i is their
  overlap. The pieces (contribution, payment date, amount) come from a merge of both streams'
  boundaries (n + m rows sorted, not n x m compared) and are kept in BalancePiece. The
  employers whose contributions, payments or credit moves changed are in BalanceChange
  (statement triggers, in the writer's transaction, with the earliest period and payment
  date changed). A read takes the kept pieces of the others and computes those of the
  changed employers, so it is never stale; any date is then one scan and aggregate.
  ``refresh_balances`` rewrites a changed employer's pieces only past its settled prefix,
  the contributions paid in full before the change, which the change cannot move
  (``arrears.balance_pieces``), and keeps each prefix's figures (BalancePrefix).
- Payments count by ``to_contributions``: what of each settles contributions under rule 12
  (the rest, kept on the payment by ``arrears.interest.services.resplit``, pays interest).
  Interest outstanding is the interest less the interest parts of payments and the credit
  moved to interest (CreditMove) up to D.
- Interest (rule 5): with ``F(d)`` the sum of the daily rates of all days before d (days
  before the first rate carry none), the rate sum of the days ``a..b`` is ``F(b + 1) - F(a)``.
  A part paid on day p accrues ``F(p + 1) - F(due + 1)`` if paid after the deadline (else
  nothing), the unpaid rest ``F(D + 1) - F(due + 1)``; exact (F in 10^-8, rates having 8
  decimals), rounded half up per contribution, then summed.

The Balance table on the same day is refreshed for the changed employers only, each from
its pieces past its prefix and the prefix's one row (its rounded interest: nothing else of
a settled prefix counts on a day after it); a new day or a change of rates rewrites every
row from every piece (bench/NOTES.md has what limits each).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.db import connection, connections, transaction
from django.db.models import QuerySet
from django.utils import timezone

from arrears.balance_pieces import (
    calendar_sql,
    pieces_sql,
    prefixed_pieces_sql,
    rate_sum,
    rewrite_pieces,
)
from arrears.balance_totals import keep_balance_totals
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
# The kept pieces of the employers not changed since the last refresh, the others' computed.
_LEDGER_SQL = """
WITH
{calendar},
pieces AS NOT MATERIALIZED (
    SELECT x.*,
           -- Its interest in 10^-8 đồng, exact: a piece paid on day p accrues
           -- F(p + 1) - F(due + 1) if paid after the deadline, what is unpaid on D
           -- F(D + 1) - F(due + 1), never past D (F does not fall: rates are not negative).
           -- A settled prefix's row (fixed) brings its rounded interest.
           CASE WHEN x.fixed IS NOT NULL THEN x.fixed * 100000000::numeric
                ELSE x.amount::numeric * greatest(0,
                    {rate_sum_paid} - {rate_sum_due}) END AS accrued
    FROM (
{pieces}
    ) AS x
),
-- The three aggregates are computed once (MATERIALIZED): inlined, a scope the planner takes
-- for one employer (a unit code prefix) put them inside a nested loop, aggregated again for
-- every employer (43 s instead of 30 ms for a former province at the demo's scale).
-- Interest money on D (rule 12): interest parts of payments and credit moved to interest.
interest_paid AS MATERIALIZED (
    SELECT employer_id, sum(amount) AS amount FROM (
        SELECT p.employer_id, p.interest_part AS amount FROM arrears_payment p
        WHERE p.paid_on <= %(on)s AND p.interest_part > 0 AND {payment_scope}
        UNION ALL
        SELECT m.employer_id, m.amount FROM arrears_creditmove m
        WHERE m.moved_on <= %(on)s AND {move_scope}
    ) AS money GROUP BY employer_id
),
-- Interest is rounded half up per contribution: a piece alone in its contribution at once,
-- the others' summed first.
shared_interest AS MATERIALIZED (
    SELECT employer_id, sum(interest) AS interest FROM (
        SELECT employer_id, div(sum(accrued) + 50000000, 100000000) AS interest
        FROM pieces WHERE parts > 1 GROUP BY employer_id, period
    ) AS shared GROUP BY employer_id
),
ledger AS MATERIALIZED (
    SELECT x.employer_id,
           sum(x.amount) FILTER (
               WHERE x.due_on < %(on)s AND (x.paid_on IS NULL OR x.paid_on > %(on)s)
           ) AS arrears,
           count(*) FILTER (WHERE x.head AND x.due_on < %(on)s AND {unpaid}) AS months_in_arrears,
           min(x.period) FILTER (WHERE x.head AND x.due_on < %(on)s AND {unpaid}) AS oldest,
           coalesce(sum(div(x.accrued + 50000000, 100000000)) FILTER (WHERE x.parts = 1), 0)
               AS interest,
           -- Rule 7: the latest row for a month up to D's.
           max(x.employees) FILTER (
               WHERE x.head AND x.period <= date_trunc('month', %(on)s::date)
               AND (x.next_period IS NULL OR x.next_period > date_trunc('month', %(on)s::date))
           ) AS employees
    FROM pieces x
    GROUP BY x.employer_id
)
-- The columns of BalanceRow, in its order.
SELECT e.id, e.unit_code, e.name, office.name, e.status, coalesce(l.employees, 0),
       coalesce(l.arrears, 0)::bigint, coalesce(l.months_in_arrears, 0)::integer, l.oldest,
       (coalesce(l.interest, 0) + coalesce(si.interest, 0))::bigint,
       greatest(0, coalesce(l.interest, 0) + coalesce(si.interest, 0)
                   - coalesce(ip.amount, 0))::bigint,
       {bucket}
FROM participants_employer e
JOIN participants_office office ON office.id = e.office_id
LEFT JOIN ledger l ON l.employer_id = e.id
LEFT JOIN shared_interest si ON si.employer_id = e.id
LEFT JOIN interest_paid ip ON ip.employer_id = e.id
WHERE {employer_scope}
ORDER BY coalesce(l.arrears, 0) DESC, e.unit_code
"""


_KEPT_PIECES = """
        SELECT k.employer_id, k.period, k.due_on, k.paid_on, k.amount, k.parts, k.head,
               k.employees, k.next_period, k.settled_on, NULL::bigint AS fixed
        FROM arrears_balancepiece k
        WHERE {piece_scope} AND NOT EXISTS (
            SELECT FROM arrears_balancechange ch WHERE ch.employer_id = k.employer_id
        )
        UNION ALL
        SELECT *, NULL::bigint FROM ({changed_pieces}) AS changed
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


def _ledger_sql(employers: QuerySet[Employer] | None, *, in_arrears: bool = False) -> str:
    """The query, restricted to the employers of the queryset if one is given (and to those
    in arrears with ``in_arrears``)."""
    return _scoped_ledger_sql(lambda column: scope_sql(employers, column), in_arrears=in_arrears)


_CHANGED = "{column} IN (SELECT employer_id FROM arrears_balancechange)"


def _changed(scope: Callable[[str], str], column: str) -> str:
    """``scope(column)``, for the employers changed since the last refresh only."""
    return f"{scope(column)} AND {_CHANGED.format(column=column)}"


def _scoped_ledger_sql(
    scope: Callable[[str], str],
    *,
    kept: bool = True,
    prefixes: bool = False,
    in_arrears: bool = False,
) -> str:
    """The query for the employers ``scope(column)`` admits (a condition on that column):
    from the kept pieces, or (``kept`` false) from the contributions and payments alone;
    ``prefixes``: from the kept pieces past each settled prefix and the prefix's figures (for
    employers none of whose pieces is to be computed)."""
    if prefixes:
        pieces = prefixed_pieces_sql(scope("k.employer_id"), scope("s.employer_id"))
    elif kept:
        pieces = _KEPT_PIECES.format(
            piece_scope=scope("k.employer_id"),
            changed_pieces=pieces_sql(
                _changed(scope, "c.employer_id"), _changed(scope, "p.employer_id")
            ),
        )
    else:
        computed = pieces_sql(scope("c.employer_id"), scope("p.employer_id"))
        pieces = f"SELECT *, NULL::bigint AS fixed FROM ({computed}) AS computed"  # noqa: S608
    return _LEDGER_SQL.format(
        calendar=calendar_sql("%(on)s::date"),
        rate_sum_paid=rate_sum("least(x.paid_on, %(on)s::date)"),
        rate_sum_due=rate_sum("least(x.due_on, %(on)s::date)"),
        bucket=_BUCKET_SQL,
        unpaid="(x.settled_on IS NULL OR x.settled_on > %(on)s)",
        pieces=pieces,
        payment_scope=scope("p.employer_id"),
        move_scope=scope("m.employer_id"),
        employer_scope=scope("e.id") + (" AND l.arrears > 0" if in_arrears else ""),
    )


def balances_sql(employers: QuerySet[Employer] | None = None) -> str:
    """The query of ``balances_as_of`` as text, from the contributions and payments alone (no
    kept pieces): its one parameter is ``%(on)s``, its columns BalanceRow's in order (the
    bucket last)."""
    return _scoped_ledger_sql(lambda column: scope_sql(employers, column), kept=False)


def balances_as_of(
    on: date, *, employers: QuerySet[Employer] | None = None, in_arrears: bool = False
) -> list[BalanceRow]:
    """Every employer's arrears, months, oldest unpaid period, interest, bucket and workers
    affected on ``on`` (as ``ledger.balance_on`` gives them), largest arrears first.

    ``employers`` restricts the rows (e.g. ``Employer.objects.in_scope(user)``); employers
    with no contributions come back with zeros. ``in_arrears`` keeps only those with arrears:
    what the jobs act on, a fraction of a region's employers.
    """
    return _rows(_ledger_sql(employers, in_arrears=in_arrears), on)


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


_ANALYZE_AFTER = 100_000  # pieces written by one refresh


def refresh_balances(on: date | None = None) -> int:
    """Bring the Balance table to the figures on ``on`` (default: today in the province):
    the pieces of the employers changed since the last refresh are rewritten, then their rows
    alone if the table already holds ``on``, else every row. Returns the rows it holds."""
    on = on or timezone.localdate()
    with transaction.atomic(), connection.cursor() as cursor:
        # One refresh at a time: a second one (an import finishing during the nightly run)
        # waits, then writes figures that include it, rather than racing for the same rows.
        cursor.execute("SELECT pg_advisory_xact_lock(hashtext('arrears.refresh_balances'))")
        # The sorts that build the pieces in memory; no JIT (seconds of compiling, and the
        # statements differ each time by their scope).
        cursor.execute("SET LOCAL work_mem = '64MB'; SET LOCAL jit = off")
        # The stamp before the figures: they include at least every change it counts.
        cursor.execute("SELECT coalesce(max(version), 0) FROM arrears_ledgerstamp")
        (version,) = cursor.fetchone()
        cursor.execute("SELECT as_of FROM arrears_balancestate WHERE id = 1")
        held = cursor.fetchone()
        # The changed employers leave the table (a writer marking one again waits for this
        # transaction, so its change is marked after ours is done) for the rest of this one,
        # with the earliest period and payment date changed (whole: every piece).
        cursor.execute(
            """
            CREATE TEMPORARY TABLE balance_refresh (
                employer_id bigint PRIMARY KEY, period date, paid_on date, whole boolean
            ) ON COMMIT DROP;
            WITH changed AS (
                DELETE FROM arrears_balancechange
                RETURNING employer_id, period, paid_on, whole
            )
            INSERT INTO balance_refresh SELECT * FROM changed;
            ANALYZE balance_refresh;
            """
        )
        refreshed = "{column} IN (SELECT employer_id FROM balance_refresh)"
        # Rates changed since (the table is for no date): every prefix's interest is stale.
        if rewrite_pieces(cursor, on, rates_changed=not (held and held[0])) > _ANALYZE_AFTER:
            # The reads' plans need the table's size (autovacuum may come minutes later).
            cursor.execute("ANALYZE arrears_balancepiece")
        if held and held[0] == on:
            # Same day, same rates (changing them clears as_of): only the changed employers.
            cursor.execute(
                "DELETE FROM arrears_balance "
                "WHERE employer_id IN (SELECT employer_id FROM balance_refresh)"
            )
            ledger = _scoped_ledger_sql(
                lambda column: refreshed.format(column=column), prefixes=True
            )
        else:
            cursor.execute(_PRUNE_SQL)
            ledger = _ledger_sql(None)
        now = timezone.now()
        cursor.execute(_REFRESH_SQL.format(ledger=ledger), {"on": on, "now": now})
        held_rows = cursor.rowcount
        if held and held[0] == on:
            # The other rows stand as computed (the state row records this refresh's time).
            cursor.execute("SELECT count(*) FROM arrears_balance")
            (held_rows,) = cursor.fetchone()
        else:
            # Every row moved to the new day: without fresh statistics the planner takes the
            # day's rows for a few hundred and joins them row by row (the aging report: 1 s
            # instead of 50 ms at province).
            cursor.execute("ANALYZE arrears_balance")
        cursor.execute("DROP TABLE balance_refresh")
        cursor.execute(
            """
            INSERT INTO arrears_balancestate (id, as_of, ledger_version, refreshed_at)
            VALUES (1, %s, %s, %s)
            ON CONFLICT (id) DO UPDATE
            SET as_of = EXCLUDED.as_of, ledger_version = EXCLUDED.ledger_version,
                refreshed_at = EXCLUDED.refreshed_at
            """,
            [on, version, now],
        )
        # Last: the per-office totals of the table just written (arrears.balance_totals).
        keep_balance_totals()
        return held_rows


def request_balance_refresh() -> None:
    """Refresh the Balance table in a worker once the current transaction commits (so the
    worker sees what was just written; nothing is queued if it rolls back)."""
    queue.send_on_commit("arrears.tasks.refresh_balances_task")
