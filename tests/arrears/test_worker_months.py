"""The month rules of arrears.worker_months: a person's months (``employment_months``), each month's
status (``month_statuses``) and the months in arrears not confirmed (``unconfirmed_months``).

No database: the ledger is plain functions over plain values.
"""

from __future__ import annotations

from datetime import date

from arrears import ledger, worker_months
from arrears.ledger import Due, Paid
from arrears.worker_months import MonthStatus

MONTHLY = ledger.PaymentMethod.MONTHLY
MARCH_TO_AUGUST = [date(2025, m, 1) for m in range(3, 9)]


def month(m: int, year: int = 2025) -> date:
    return date(year, m, 1)


def dues(months: list[date], amount: int = 1_000_000) -> list[Due]:
    return [Due(m, amount, ledger.due_date(m, MONTHLY)) for m in months]


def test_worked_example_employer_paid_until_may_leaves_june_to_august_unpaid() -> None:
    """A worker employed March to August by an employer that paid until May sees June to
    August unpaid once they are past due."""
    on = date(2025, 10, 15)  # August's contribution fell due on 30/09
    payments = [Paid(date(2025, 4, 20), 2_000_000), Paid(date(2025, 6, 25), 1_000_000)]
    settlements = ledger.settle_on(dues(MARCH_TO_AUGUST), payments, on)
    months = worker_months.employment_months(month(3), month(8), on)
    assert months == MARCH_TO_AUGUST

    assert worker_months.month_statuses(settlements, months, on, MONTHLY) == [
        (month(3), MonthStatus.PAID),
        (month(4), MonthStatus.PAID),
        (month(5), MonthStatus.PAID),
        (month(6), MonthStatus.UNPAID),
        (month(7), MonthStatus.UNPAID),
        (month(8), MonthStatus.UNPAID),
    ]
    assert worker_months.unconfirmed_months(settlements, months, on) == [
        month(6),
        month(7),
        month(8),
    ]


def test_a_month_not_yet_due_is_not_unconfirmed() -> None:
    on = date(2025, 9, 15)  # August falls due on 30/09
    settlements = ledger.settle_on(dues(MARCH_TO_AUGUST), [Paid(date(2025, 6, 1), 3_000_000)], on)
    statuses = dict(worker_months.month_statuses(settlements, MARCH_TO_AUGUST, on, MONTHLY))
    assert statuses[month(7)] is MonthStatus.UNPAID  # due 31/08
    assert statuses[month(8)] is MonthStatus.NOT_DUE
    assert worker_months.unconfirmed_months(settlements, MARCH_TO_AUGUST, on) == [
        month(6),
        month(7),
    ]


def test_the_due_date_itself_is_not_yet_late() -> None:
    """Rule 3: a contribution is in arrears once its due date is before the day."""
    settlements = ledger.settle_on(dues([month(8)]), [], date(2025, 9, 30))
    assert worker_months.month_statuses(settlements, [month(8)], date(2025, 9, 30), MONTHLY) == [
        (month(8), MonthStatus.NOT_DUE)
    ]
    settlements = ledger.settle_on(dues([month(8)]), [], date(2025, 10, 1))
    assert worker_months.unconfirmed_months(settlements, [month(8)], date(2025, 10, 1)) == [
        month(8)
    ]


def test_payments_after_the_day_do_not_count_and_a_part_paid_month_is_unpaid() -> None:
    payments = [Paid(date(2025, 10, 1), 2_500_000), Paid(date(2025, 12, 1), 10_000_000)]
    on = date(2025, 11, 1)
    settlements = ledger.settle_on(dues([month(m) for m in (6, 7, 8)]), payments, on)
    assert worker_months.month_statuses(
        settlements, [month(6), month(7), month(8)], on, MONTHLY
    ) == [
        (month(6), MonthStatus.PAID),
        (month(7), MonthStatus.PAID),
        (month(8), MonthStatus.UNPAID),  # 500,000 of 1,000,000 paid by 01/11
    ]


def test_paid_in_advance_is_paid_before_it_is_due() -> None:
    on = date(2025, 9, 15)
    settlements = ledger.settle_on(dues([month(9)]), [Paid(date(2025, 9, 2), 1_000_000)], on)
    assert worker_months.month_statuses(settlements, [month(9)], on, MONTHLY) == [
        (month(9), MonthStatus.PAID)
    ]


def test_a_month_without_contribution_is_not_due_then_not_recorded() -> None:
    """No contribution for the month: nothing to confirm it by. A quarterly payer's August is
    due on 31/10, so on 15/10 it is not due yet and on 01/11 it is not recorded."""
    quarterly = ledger.PaymentMethod.QUARTERLY
    assert worker_months.month_statuses([], [month(8)], date(2025, 10, 15), quarterly) == [
        (month(8), MonthStatus.NOT_DUE)
    ]
    assert worker_months.month_statuses([], [month(8)], date(2025, 11, 1), quarterly) == [
        (month(8), MonthStatus.NOT_RECORDED)
    ]
    assert worker_months.unconfirmed_months([], [month(8)], date(2025, 11, 1)) == []


def test_employment_months_run_to_the_last_month_or_the_day() -> None:
    on = date(2025, 11, 20)
    assert worker_months.employment_months(month(9), None, on) == [month(9), month(10), month(11)]
    assert worker_months.employment_months(month(9), month(10), on) == [month(9), month(10)]
    assert worker_months.employment_months(month(10), month(12, 2026), on) == [month(10), month(11)]
    assert worker_months.employment_months(month(12), None, on) == []  # starts after the day
    assert worker_months.employment_months(month(11, 2024), month(2), on) == [
        month(11, 2024),
        month(12, 2024),
        month(1),
        month(2),
    ]
