"""Every employer's arrears, months, oldest unpaid period, interest and bucket, with its
managing office and commune."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

from accounts.models import User
from arrears.ledger import Bucket
from participants.models import Commune, Employer, Office
from reports.queries.base import balances_from, employers_for, fetch_stream


@dataclass(frozen=True)
class EmployerBalance:
    """One employer's figures on a date (``arrears.balances.BalanceRow``'s), with the names
    of its managing office and of its commune (None when it has none yet)."""

    employer_id: int
    unit_code: str
    name: str
    office: str
    commune: str | None
    status: str
    employees: int
    arrears: int
    months_in_arrears: int
    oldest_unpaid_period: date | None
    interest: int
    interest_outstanding: int  # rule 12
    bucket: Bucket


_BALANCES_SQL = """
SELECT b.employer_id, b.unit_code, b.name, b.office, commune.name, b.status, b.employees,
       b.arrears, b.months_in_arrears, b.oldest_unpaid_period, b.interest,
       b.interest_outstanding, b.bucket
FROM {balances}
JOIN participants_employer e ON e.id = b.employer_id
LEFT JOIN participants_commune commune ON commune.id = e.commune_id
ORDER BY b.arrears DESC, b.unit_code
"""


def employer_balances(
    *,
    on: date,
    user: User | None,
    office: Office | int | None = None,
    commune: Commune | int | None = None,
    former_province: str | None = None,
    ownership: str | None = None,
    industrial_zone: str | None = None,
    status: str | None = None,
) -> list[EmployerBalance]:
    """Every employer's arrears, months, oldest unpaid period, interest and bucket on ``on``,
    as the ledger has them (``current_balances_sql``: the Balance table when it holds that
    day's figures), with its office and commune, largest arrears first. Scoped to what
    ``user`` may see; ``user=None`` is the whole province (commands run by the office
    itself)."""
    return list(
        streamed_balances(
            on=on,
            user=user,
            office=office,
            commune=commune,
            former_province=former_province,
            ownership=ownership,
            industrial_zone=industrial_zone,
            status=status,
        )
    )


def streamed_balances(*, on: date, user: User | None, **filters: Any) -> Iterator[EmployerBalance]:
    """``employer_balances``' rows one at a time from a server-side cursor: what the exports
    write, in constant memory whatever the number of employers."""
    sql = _BALANCES_SQL.format(balances=balances_from(on, employers_for(user, **filters)))
    for *values, bucket in fetch_stream(sql, {"on": on}):
        yield EmployerBalance(*values, bucket=Bucket(bucket))


def employer_count(*, user: User | None, **filters: Any) -> int:
    """How many rows an employer-level report may have: for the page's choice between a
    direct download and a background export."""
    employers = employers_for(user, **filters)
    return (Employer.objects if employers is None else employers).count()
