"""The Balance table added up per office, employer status and aging bucket (BalanceTotal),
kept by ``refresh_balances`` at its end, in its transaction: the dashboard, the aging report
and the employer list's count read these few hundred rows instead of adding up a region's
employers on every view.

Readers trust them only for the refresh they were kept with (BalanceTotalState names its
BalanceState): ``kept_stamp`` for the Balance table as it stands (the dashboard), and
``kept_current`` for the ledger's figures on a date (the reports, under the same condition
as ``arrears.balances.stored_is_current``). Any other time they compute as before.
"""

from __future__ import annotations

from datetime import date

from django.db import connection, connections

from accounts.models import User
from arrears.models import BalanceTotal, BalanceTotalState
from desk.replica import read_alias
from participants.selectors import scope_offices

__all__ = [
    "keep_balance_totals",
    "kept_current",
    "kept_employer_count",
    "kept_stamp",
]

_KEEP_SQL = """
DELETE FROM arrears_balancetotal;
INSERT INTO arrears_balancetotal (office_id, status, bucket, employers, in_arrears, workers,
                                  arrears, interest, interest_outstanding)
SELECT e.office_id, e.status, b.bucket, count(*), count(*) FILTER (WHERE b.arrears > 0),
       coalesce(sum(b.workers_affected) FILTER (WHERE b.arrears > 0), 0),
       sum(b.arrears), sum(b.interest), sum(b.interest_outstanding)
FROM arrears_balance b
JOIN participants_employer e ON e.id = b.employer_id
GROUP BY 1, 2, 3;
INSERT INTO arrears_balancetotalstate (id, as_of, ledger_version, balance_as_of, refreshed_at)
SELECT 1, s.as_of, s.ledger_version, m.as_of, s.refreshed_at
FROM arrears_balancestate s
CROSS JOIN (SELECT max(as_of) AS as_of FROM arrears_balance) AS m
WHERE s.id = 1
ON CONFLICT (id) DO UPDATE SET
    as_of = EXCLUDED.as_of,
    ledger_version = EXCLUDED.ledger_version,
    balance_as_of = EXCLUDED.balance_as_of,
    refreshed_at = EXCLUDED.refreshed_at;
"""

# The kept rows add up the Balance table as the last refresh left it.
_SAME_REFRESH = """
FROM arrears_balancetotalstate t
JOIN arrears_balancestate s ON s.id = 1 AND t.as_of = s.as_of
     AND t.ledger_version = s.ledger_version
WHERE t.id = 1
"""


def keep_balance_totals() -> None:
    """Add up the Balance table into BalanceTotal and stamp them with the BalanceState just
    written: called by ``refresh_balances`` last, in its transaction."""
    with connection.cursor() as cursor:
        cursor.execute(_KEEP_SQL)


def kept_stamp() -> BalanceTotalState | None:
    """The kept rows' state (with the Balance table's latest day and refresh time) when they
    add up the table as the last refresh left it; None when they do not (none kept yet, or a
    refresh that did not keep them)."""
    found = BalanceTotalState.objects.raw(f"SELECT t.* {_SAME_REFRESH}")
    return next(iter(found), None)


def kept_current(on: date | None) -> bool:
    """Whether the kept rows hold the ledger's figures on ``on``: they add up the Balance
    table of the last refresh, nothing the balances depend on changed since (the ledger
    stamp, as ``stored_is_current`` reads it) and that refresh was for ``on`` (any day for
    None: what does not depend on the day, such as how many employers each office has).
    Read where the figures will be read (a replica's own stamps)."""
    with connections[read_alias()].cursor() as cursor:
        cursor.execute(
            f"""
            SELECT EXISTS (
                SELECT {_SAME_REFRESH}
                AND (t.as_of = %(on)s OR %(on)s::date IS NULL)
                AND EXISTS (SELECT FROM arrears_ledgerstamp l WHERE l.version = s.ledger_version)
            )
            """,  # noqa: S608 (a constant fragment)
            {"on": on},
        )
        return cursor.fetchone()[0]


def kept_employer_count(user: User | None) -> int | None:
    """How many employers ``user`` sees, from the kept rows while nothing the balances depend
    on changed since their refresh (exact then: every employer has its Balance row, and an
    employer added, moved or deleted since raises the ledger stamp); None when they cannot
    tell."""
    offices = scope_offices(user)
    if offices is None or not kept_current(None):
        return None
    rows = BalanceTotal.objects.using(read_alias()).filter(office__in=offices)
    return sum(rows.values_list("employers", flat=True))
