"""A worker's months, confirmed once the employer has paid for them: pure functions over the
ledger's settlements (``arrears.ledger``), for the insured persons' pages."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from enum import StrEnum

from arrears.ledger import (
    PaymentMethod,
    Settlement,
    due_date,
    month_index,
    month_start,
)

__all__ = [
    "MonthStatus",
    "employment_months",
    "month_statuses",
    "unconfirmed_months",
]


class MonthStatus(StrEnum):
    PAID = "paid"  # the month's contribution is settled in full
    UNPAID = "unpaid"  # past its due date and not settled in full: the month is unconfirmed
    NOT_DUE = "not_due"  # not settled in full, but not due yet
    NOT_RECORDED = "not_recorded"  # past its due date, and the office holds no contribution


def employment_months(first: date, last: date | None, on: date) -> list[date]:
    """The months (first days) a worker was employed, from ``first`` through ``last``, or
    through the month of ``on`` while still employed; never past the month of ``on``."""
    end = month_index(on) if last is None else min(month_index(last), month_index(on))
    return [date(index // 12, index % 12 + 1, 1) for index in range(month_index(first), end + 1)]


def month_statuses(
    settlements: Sequence[Settlement],
    months: Sequence[date],
    on: date,
    method: PaymentMethod | str,
) -> list[tuple[date, MonthStatus]]:
    """Each of a worker's ``months`` as the employer's ``settlements`` on ``on`` leave it.

    Paid when the month's contribution is settled in full (even before it is due); unpaid
    when it is past due (due before ``on``, as rule 3) with something left; otherwise not
    due yet. A month the employer has no contribution for is not due yet until its due date
    under the employer's payment ``method`` (``due_date``), and not recorded after it. Only
    the year and month of each month count.
    """
    by_month: dict[int, Settlement] = {}
    for settlement in settlements:
        by_month[month_index(settlement.due.period)] = settlement
    statuses = []
    for month in months:
        settlement = by_month.get(month_index(month))
        if settlement is None:
            status = (
                MonthStatus.NOT_RECORDED if due_date(month, method) < on else MonthStatus.NOT_DUE
            )
        elif not settlement.unpaid:
            status = MonthStatus.PAID
        elif settlement.due.due_on < on:
            status = MonthStatus.UNPAID
        else:
            status = MonthStatus.NOT_DUE
        statuses.append((month_start(month), status))
    return statuses


def unconfirmed_months(
    settlements: Sequence[Settlement], months: Sequence[date], on: date
) -> list[date]:
    """The worker's ``months`` left unconfirmed on ``on`` because the employer has not paid
    them: past due and not settled in full (``MonthStatus.UNPAID``)."""
    unpaid = {month_index(s.due.period) for s in settlements if s.unpaid and s.due.due_on < on}
    return [month_start(month) for month in months if month_index(month) in unpaid]
