"""The allocation of rule 2 as pieces (BalancePiece), computed in SQL: whole for a read, and
only past each changed employer's settled prefix when ``refresh_balances`` rewrites the kept
ones.

The pieces of an employer (see ``arrears.balances``): contributions in period order occupy
the money axis one after another, payments in (date, id) order too; a piece is the overlap of
one contribution and one payment. A change (BalanceChange: the least contribution period P
and the least payment date Q written, updated or deleted since the last refresh) leaves
alone every contribution of the longest prefix, in period order, whose contributions were
each settled before Q (settled on: the date of its last piece; a contribution of 0 never
waits for one) and followed by another period before P. Their money ``[0, K)`` was paid by
payments dated at most S (the last settled date of the prefix) before the change, in an
order the change does not touch (every payment dated before Q keeps its place), and their
next periods stay. So their pieces stay too, and only the tail is computed: the later
contributions from K, the payments dated S or later from B (what those dated before S paid:
they lie wholly in the prefix, so B is the prefix's pieces dated before S); the stretches
ending at or before K are the prefix's own and are dropped.

Each prefix is kept with what the refresh needs of it (BalancePrefix): K, S, B, its rounded
interest (fixed once settled, for any day from S on; forgotten when rates change) and rule
7's last row. It is extended after each rewrite through the new tail, up to the refresh's
day, so that the Balance rows on that day read the tail and one row for the prefix.
"""

from __future__ import annotations

from datetime import date

from django.db.backends.utils import CursorWrapper

__all__ = [
    "calendar_sql",
    "pieces_sql",
    "prefixed_pieces_sql",
    "rate_sum",
    "rewrite_pieces",
]

# ``{contribution_scope}`` and ``{payment_scope}`` are conditions on c.employer_id and
# p.employer_id; ``{contribution_tail}`` and ``{payment_tail}`` join balance_tail (t) to start
# each employer after its settled prefix: contributions from ``{since}`` (K) on the money axis,
# payments from ``{paid_before}`` (B). Each employer's contributions (period order) and payments
# (date, id order) are two streams of boundaries on the money axis; merged and sorted, each
# stretch between consecutive boundaries lies in one contribution (the first whose boundary is at
# or after its end) and one payment (the same): n + m rows sorted instead of n x m compared. A
# stretch starts at K at the earliest (those ending there are the prefix's: no amount). A
# contribution's rows: its paid pieces, and what no payment settles if anything (a contribution of
# 0: one row of 0); its first row ("head") carries what is counted once per contribution.
_PIECES_SQL = """
WITH
contrib AS (
    SELECT c.employer_id, c.period, c.due_on, c.employees, c.total, {since} AS since,
           ({since} + sum(c.total) OVER w)::bigint AS upto, lead(c.period) OVER w AS next_period
    FROM arrears_contribution c{contribution_tail}
    WHERE {contribution_scope}
    WINDOW w AS (PARTITION BY c.employer_id ORDER BY c.period ROWS UNBOUNDED PRECEDING)
),
pay AS (
    SELECT p.employer_id, p.paid_on, {since} AS since,
           ({paid_before} + sum(p.to_contributions) OVER w)::bigint AS upto
    FROM arrears_payment p{payment_tail}
    WHERE p.to_contributions > 0 AND {payment_scope}
    WINDOW w AS (PARTITION BY p.employer_id ORDER BY p.paid_on, p.id ROWS UNBOUNDED PRECEDING)
),
points AS (
    SELECT employer_id, upto, since, period, NULL::date AS paid_on FROM contrib
    UNION ALL
    SELECT employer_id, upto, since, NULL, paid_on FROM pay
),
stretches AS (
    SELECT employer_id, upto - greatest(lag(upto, 1, 0::bigint) OVER up, since) AS amount,
           min(period) OVER down AS period, min(paid_on) OVER down AS paid_on
    FROM points
    WINDOW up AS (PARTITION BY employer_id ORDER BY upto),
           down AS (PARTITION BY employer_id ORDER BY upto DESC)
),
unsettled AS (
    SELECT c.*,
           c.total - least(c.total, greatest(0, coalesce(paid.amount, 0) - (c.upto - c.total)))
               AS unpaid
    FROM contrib c
    LEFT JOIN (SELECT employer_id, max(upto) AS amount FROM pay GROUP BY employer_id) AS paid
           ON paid.employer_id = c.employer_id
),
-- Past the last contribution (credit) the period is null, past the last payment the date.
parts AS (
    SELECT employer_id, period, paid_on, amount FROM stretches
    WHERE amount > 0 AND paid_on IS NOT NULL AND period IS NOT NULL
    UNION ALL
    SELECT employer_id, period, NULL, unpaid FROM unsettled WHERE unpaid > 0 OR total = 0
),
rows AS (
    SELECT x.*, c.due_on, c.employees, c.next_period, c.total, c.unpaid,
           count(*) OVER k AS parts, max(x.paid_on) OVER k AS last_paid,
           row_number() OVER (k ORDER BY x.paid_on) AS n
    FROM parts x
    JOIN unsettled c ON c.employer_id = x.employer_id AND c.period = x.period
    WINDOW k AS (PARTITION BY x.employer_id, x.period)
)
-- Settled on: the day the last of it was paid; never (null) while any is unpaid.
SELECT employer_id, period, due_on, paid_on, amount, parts, n = 1 AS head,
       CASE WHEN n = 1 THEN employees END AS employees,
       CASE WHEN n = 1 THEN next_period END AS next_period,
       CASE WHEN n > 1 OR unpaid > 0 THEN NULL WHEN total = 0 THEN '-infinity'::date
            ELSE last_paid END AS settled_on
FROM rows
ORDER BY employer_id, period
"""


def pieces_sql(contribution_scope: str, payment_scope: str) -> str:
    """Every piece of the employers the two conditions admit (on c.employer_id and
    p.employer_id), from their contributions and payments alone."""
    return _PIECES_SQL.format(
        contribution_scope=contribution_scope,
        payment_scope=payment_scope,
        contribution_tail="",
        payment_tail="",
        since="0::bigint",
        paid_before="0::bigint",
    )


def calendar_sql(through: str) -> str:
    """The CTEs ``days`` and ``calendar``: F(day), the sum of the daily rates of the days before
    it, for each day from the first rate through ``through`` + 1 (an SQL date)."""
    return _CALENDAR_SQL.format(through=through)


# Days outside it: before the first rate F is 0; later days are never needed. F in 10^-8
# (rates have 8 decimals: exact integers) at f[day - first + 1] of one array of fixed-width
# elements, looked up in constant time; out of its range, null.
_CALENDAR_SQL = """
days AS (
    SELECT d.day, sum(r.daily_rate) OVER (ORDER BY d.day ROWS UNBOUNDED PRECEDING)
                  - r.daily_rate AS accrued
    FROM (SELECT min(valid_from) AS first FROM arrears_interestrate) AS f
    CROSS JOIN generate_series(0, {through} + 1 - f.first) AS n
    CROSS JOIN LATERAL (SELECT f.first + n AS day) AS d
    CROSS JOIN LATERAL (
        SELECT daily_rate FROM arrears_interestrate
        WHERE valid_from <= d.day ORDER BY valid_from DESC LIMIT 1
    ) AS r
),
calendar AS (
    SELECT min(day) AS first, array_agg((accrued * 100000000)::bigint ORDER BY day) AS f
    FROM days
)"""


def rate_sum(day: str) -> str:
    """F(``day`` + 1) in 10^-8, from the CTE ``calendar`` (0 before the first rate)."""
    first = "(SELECT first FROM calendar)"
    return f"coalesce((SELECT f FROM calendar)[{day} + 1 - {first} + 1], 0)"  # noqa: S608


# The kept pieces of employers with nothing to compute, for the figures on D (%(on)s): those
# past a settled prefix that is over on D (D on or after its last settled date, its periods
# up to D's month), and the prefix as one row. A prefix adds no arrears nor months, its
# rounded interest (fixed), and rule 7's row if its last period is D's: the row has that
# period and its next period, paid and settled in its own month (so on or before D).
_PREFIXED_PIECES = """
        SELECT k.employer_id, k.period, k.due_on, k.paid_on, k.amount, k.parts, k.head,
               k.employees, k.next_period, k.settled_on, NULL::bigint AS fixed
        FROM arrears_balancepiece k
        LEFT JOIN arrears_balanceprefix s ON s.employer_id = k.employer_id AND {over}
        WHERE {piece_scope} AND k.period > coalesce(s.last, '-infinity')
        UNION ALL
        SELECT s.employer_id, s.last, s.last, s.last, 0, 1, true, s.employees, s.next_period,
               s.last, s.interest
        FROM arrears_balanceprefix s
        WHERE {prefix_scope} AND {over}
"""
_OVER = "s.settled <= %(on)s AND s.last <= date_trunc('month', %(on)s::date)"


def prefixed_pieces_sql(piece_scope: str, prefix_scope: str) -> str:
    """The pieces of the employers ``piece_scope`` (on k.employer_id) and ``prefix_scope``
    (on s.employer_id) admit, a settled prefix as one row where it is over on ``%(on)s``:
    for employers whose kept pieces are all current (none in BalanceChange)."""
    return _PREFIXED_PIECES.format(piece_scope=piece_scope, prefix_scope=prefix_scope, over=_OVER)


# Each changed employer's settled prefix, from a ``{base}`` prefix (BalancePrefix's columns,
# null for none, and P, Q, whole): it, extended (for the bases ``{extended}`` admits) by the
# kept head rows after it (in period order) while each is settled before Q and by the
# refresh's date D (so that the Balance rows on D can use it) and followed by a period
# before P (bool_and skips nulls, hence the coalesce); the extension adds its pieces' money
# (K), what of it was paid before the new S (B), and its contributions' interest rounded
# each. Without one (a new employer, a change before its first settled contribution,
# ``whole``) the tail is everything: from -infinity and 0.
_PREFIX_SQL = """
CREATE TEMPORARY TABLE {table} ON COMMIT DROP AS
WITH base AS ({base}),
heads AS (
    SELECT b.employer_id, k.period, k.settled_on, k.employees, k.next_period,
           bool_and(coalesce(k.settled_on < coalesce(b.q, 'infinity')
                             AND k.settled_on <= %(on)s
                             AND k.next_period < coalesce(b.p, 'infinity'), false))
               OVER (PARTITION BY b.employer_id ORDER BY k.period) AS kept
    FROM base b
    -- Through the index, employer by employer (OFFSET 0 keeps the loop): past the prefix.
    CROSS JOIN LATERAL (
        SELECT k.period, k.settled_on, k.employees, k.next_period
        FROM arrears_balancepiece k
        WHERE k.employer_id = b.employer_id AND k.period > coalesce(b.last, '-infinity')
          AND k.head
        OFFSET 0
    ) AS k
    WHERE NOT b.whole AND {extended}
),
run AS (
    SELECT employer_id, max(period) AS last, max(settled_on) AS settled,
           (array_agg(employees ORDER BY period DESC))[1] AS employees,
           (array_agg(next_period ORDER BY period DESC))[1] AS next_period
    FROM heads WHERE kept GROUP BY employer_id
),
extended AS (
    SELECT b.employer_id, coalesce(x.last, b.last) AS last,
           greatest(x.settled, b.settled) AS settled,
           coalesce(x.employees, b.employees) AS employees,
           coalesce(x.next_period, b.next_period) AS next_period,
           coalesce(b.settled, '-infinity') AS settled_before,
           coalesce(b.last, '-infinity') AS after,
           coalesce(b.since, 0) AS since, coalesce(b.paid_before, 0) AS paid_before,
           coalesce(b.interest, 0) AS interest
    FROM base b LEFT JOIN run x ON x.employer_id = b.employer_id
),
{calendar},
added AS (
    SELECT c.employer_id, sum(c.amount) AS amount, sum(c.paid_before) AS paid_before,
           sum(div(c.accrued + 50000000, 100000000)) AS interest
    FROM (
        SELECT e.employer_id, k.period, sum(k.amount) AS amount,
               sum(k.amount) FILTER (WHERE k.paid_on < e.settled) AS paid_before,
               sum(k.amount::numeric * greatest(0, {rate_sum_paid} - {rate_sum_due}))
                   AS accrued
        FROM extended e
        CROSS JOIN LATERAL (
            SELECT k.period, k.amount, k.paid_on, k.due_on FROM arrears_balancepiece k
            WHERE k.employer_id = e.employer_id AND k.period > e.after AND k.period <= e.last
            OFFSET 0
        ) AS k
        WHERE e.last > e.after
        GROUP BY e.employer_id, k.period
    ) AS c
    GROUP BY c.employer_id
)
SELECT e.employer_id, e.last, e.settled, e.employees, e.next_period,
       (e.since + coalesce(a.amount, 0))::bigint AS since,
       (CASE WHEN e.settled > e.settled_before THEN e.since ELSE e.paid_before END
        + coalesce(a.paid_before, 0))::bigint AS paid_before,
       (e.interest + coalesce(a.interest, 0))::bigint AS interest
FROM extended e LEFT JOIN added a ON a.employer_id = e.employer_id;
ANALYZE {table};
"""

# Before the tail is rewritten: the kept prefix if the change leaves it.
_KEPT_PREFIX = """
    SELECT r.employer_id, r.period AS p, r.paid_on AS q, r.whole, s.last, s.settled,
           s.since, s.paid_before, s.interest, s.employees, s.next_period
    FROM balance_refresh r
    LEFT JOIN arrears_balanceprefix s
           ON s.employer_id = r.employer_id AND NOT r.whole
          AND s.settled < coalesce(r.paid_on, 'infinity')
          AND s.next_period < coalesce(r.period, 'infinity')
"""
# After: the same prefix, extended through the new tail (nothing changed since it).
_WRITTEN_PREFIX = """
    SELECT employer_id, NULL::date AS p, NULL::date AS q, false AS whole, last, settled,
           since, paid_before, interest, employees, next_period
    FROM balance_tail
"""


def rewrite_pieces(cursor: CursorWrapper, on: date, *, rates_changed: bool) -> int:
    """Rewrite the kept pieces of the employers in the temporary table balance_refresh
    (employer_id, period P, paid_on Q, whole) past their settled prefix, and the prefixes
    (BalancePrefix, all of them forgotten if ``rates_changed``); returns how many pieces were
    written. ``on``: the refresh's date (the calendar reaches it at least)."""
    if rates_changed:
        cursor.execute("TRUNCATE arrears_balanceprefix")
    # A kept prefix went as far as it could at its refresh, by the day and payments known then:
    # only a later day would extend it, and the extension after the rewrite does (through the
    # new tail). So only the employers without one look for it in their kept pieces.
    cursor.execute(_prefix_sql("balance_tail", _KEPT_PREFIX, "b.last IS NULL"), {"on": on})
    cursor.execute(
        "DELETE FROM arrears_balancepiece k USING balance_tail t "
        "WHERE k.employer_id = t.employer_id AND k.period > coalesce(t.last, '-infinity')"
    )
    cursor.execute(
        "INSERT INTO arrears_balancepiece (employer_id, period, due_on, paid_on, amount, "
        "parts, head, employees, next_period, settled_on) "
        + _PIECES_SQL.format(
            contribution_scope="TRUE",
            payment_scope="TRUE",
            contribution_tail="\n    JOIN balance_tail t "
            "ON t.employer_id = c.employer_id AND c.period > coalesce(t.last, '-infinity')",
            payment_tail="\n    JOIN balance_tail t "
            "ON t.employer_id = p.employer_id AND p.paid_on >= coalesce(t.settled, '-infinity')",
            since="t.since",
            paid_before="t.paid_before",
        )
    )
    written = cursor.rowcount
    cursor.execute(_prefix_sql("balance_prefix", _WRITTEN_PREFIX, "TRUE"), {"on": on})
    cursor.execute(
        """
        DELETE FROM arrears_balanceprefix
        WHERE employer_id IN (SELECT employer_id FROM balance_refresh);
        INSERT INTO arrears_balanceprefix (employer_id, last, settled, since, paid_before,
                                           interest, employees, next_period)
        SELECT employer_id, last, settled, since, paid_before, interest, employees, next_period
        FROM balance_prefix WHERE last IS NOT NULL;
        DROP TABLE balance_tail, balance_prefix;
        """
    )
    return written


def _prefix_sql(table: str, base: str, extended: str) -> str:
    return _PREFIX_SQL.format(
        table=table,
        base=base,
        extended=extended,
        calendar=calendar_sql("%(on)s::date"),
        rate_sum_paid=rate_sum("k.paid_on"),
        rate_sum_due=rate_sum("least(k.due_on, k.paid_on)"),
    )
