"""Every employer's arrears, months, oldest unpaid period, interest and bucket."""

from __future__ import annotations

from datetime import date
from typing import Any

from accounts.models import User
from arrears.balances import BalanceRow, current_balances
from participants.models import Employer, Office
from reports.queries.base import employers_for


def employer_balances(
    *,
    on: date,
    user: User | None,
    office: Office | int | None = None,
    ownership: str | None = None,
    industrial_zone: str | None = None,
    status: str | None = None,
) -> list[BalanceRow]:
    """Every employer's arrears, months, oldest unpaid period, interest and bucket on ``on``,
    as the ledger has them (``current_balances``: the Balance table when it holds that
    day's figures), largest arrears first. Scoped to what ``user`` may see; ``user=None`` is
    the whole province (commands run by the office itself)."""
    employers = employers_for(
        user,
        office=office,
        ownership=ownership,
        industrial_zone=industrial_zone,
        status=status,
    )
    return current_balances(on, employers=employers)


def employer_count(*, user: User | None, **filters: Any) -> int:
    """How many rows an employer-level report may have: for the page's choice between a
    direct download and a background export."""
    employers = employers_for(user, **filters)
    return (Employer.objects if employers is None else employers).count()
