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
"""

from __future__ import annotations

from django.db.backends.utils import CursorWrapper

__all__ = ["pieces_sql", "rewrite_pieces"]

# ``{contribution_scope}`` and ``{payment_scope}`` are conditions on c.employer_id and
# p.employer_id; ``{tail}`` joins balance_tail (t) to start each employer after its settled
# prefix: contributions from ``{since}`` (K) on the money axis, payments from ``{paid_before}``
# (B). Each employer's contributions (period order) and payments (date, id order) are two
# streams of boundaries on the money axis; merged and sorted, each stretch between consecutive
# boundaries lies in one contribution (the first whose boundary is at or after its end) and
# one payment (the same): n + m rows sorted instead of n x m compared. A stretch starts at K at
# the earliest (those ending there are the prefix's: no amount). A contribution's rows: its
# paid pieces, and what no payment settles if anything (a contribution of 0: one row of 0);
# its first row ("head") carries what is counted once per contribution.
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


# Each changed employer's settled prefix from its kept pieces (their head rows, in period
# order, while each is settled before Q and followed by a period before P; bool_and skips
# nulls, hence the coalesce): the last period kept, S, K and B. Without one (a new employer,
# a change before its first settled contribution, or ``whole``: every piece to be computed)
# the tail is everything: from -infinity and 0.
_TAIL_SQL = """
CREATE TEMPORARY TABLE balance_tail ON COMMIT DROP AS
WITH heads AS (
    SELECT k.employer_id, k.period, k.settled_on,
           bool_and(coalesce(k.settled_on < coalesce(r.paid_on, 'infinity')
                             AND k.next_period < coalesce(r.period, 'infinity'), false))
               OVER (PARTITION BY k.employer_id ORDER BY k.period) AS kept
    FROM balance_refresh r
    JOIN arrears_balancepiece k ON k.employer_id = r.employer_id
    WHERE k.head AND NOT r.whole
),
prefix AS (
    SELECT employer_id, max(period) AS last, max(settled_on) AS settled
    FROM heads WHERE kept GROUP BY employer_id
),
bounds AS (
    SELECT x.employer_id, x.last, x.settled, sum(k.amount)::bigint AS since,
           coalesce(sum(k.amount) FILTER (WHERE k.paid_on < x.settled), 0)::bigint
               AS paid_before
    FROM prefix x
    JOIN arrears_balancepiece k ON k.employer_id = x.employer_id AND k.period <= x.last
    GROUP BY x.employer_id, x.last, x.settled
)
SELECT r.employer_id, coalesce(b.last, '-infinity') AS last,
       coalesce(b.settled, '-infinity') AS settled, coalesce(b.since, 0) AS since,
       coalesce(b.paid_before, 0) AS paid_before
FROM balance_refresh r LEFT JOIN bounds b ON b.employer_id = r.employer_id;
ANALYZE balance_tail;
"""


def rewrite_pieces(cursor: CursorWrapper) -> int:
    """Rewrite the kept pieces of the employers in the temporary table balance_refresh
    (employer_id, period P, paid_on Q, whole) past their settled prefix; returns how many
    were written."""
    cursor.execute(_TAIL_SQL)
    cursor.execute(
        "DELETE FROM arrears_balancepiece k USING balance_tail t "
        "WHERE k.employer_id = t.employer_id AND k.period > t.last"
    )
    cursor.execute(
        "INSERT INTO arrears_balancepiece (employer_id, period, due_on, paid_on, amount, "
        "parts, head, employees, next_period, settled_on) "
        + _PIECES_SQL.format(
            contribution_scope="TRUE",
            payment_scope="TRUE",
            contribution_tail="\n    JOIN balance_tail t "
            "ON t.employer_id = c.employer_id AND c.period > t.last",
            payment_tail="\n    JOIN balance_tail t "
            "ON t.employer_id = p.employer_id AND p.paid_on >= t.settled",
            since="t.since",
            paid_before="t.paid_before",
        )
    )
    written = cursor.rowcount
    cursor.execute("DROP TABLE balance_tail")
    return written
