"""Reads that cross models: one employer's ledger from the database, and its statement."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from arrears import ledger
from arrears.models import InterestRate
from participants.models import Employer


def employer_ledger(employer: Employer) -> tuple[list[ledger.Due], list[ledger.Paid]]:
    """The employer's contributions and payments as ledger values, in two queries.

    Payments come in (date, id) order, so the ledger's stable sort settles same-day payments
    in the order the set-based balances (arrears.balances) use.
    """
    dues = [
        ledger.Due(period=period, amount=total, due_on=due_on)
        for period, total, due_on in employer.contributions.order_by("period").values_list(
            "period", "total", "due_on"
        )
    ]
    payments = [
        ledger.Paid(paid_on=paid_on, amount=amount)
        for paid_on, amount in employer.payments.order_by("paid_on", "id").values_list(
            "paid_on", "amount"
        )
    ]
    return dues, payments


@dataclass(frozen=True)
class EmployerStatement:
    """One employer's position on a date and its month-by-month account (C12-TS)."""

    on: date
    balance: ledger.EmployerBalance
    lines: list[ledger.StatementLine]
    contributions: int  # how many, whatever their date
    payments: int

    @property
    def due(self) -> int:
        return sum(line.due for line in self.lines)

    @property
    def paid(self) -> int:
        return sum(line.paid for line in self.lines)

    @property
    def interest(self) -> int:
        return sum(line.interest for line in self.lines)

    @property
    def carried_forward(self) -> int:
        return self.lines[-1].carried_forward if self.lines else 0


def employer_statement(employer: Employer, on: date) -> EmployerStatement:
    """Balance and statement on ``on`` from the ledger rules, in three queries."""
    dues, payments = employer_ledger(employer)
    rates = InterestRate.table()
    return EmployerStatement(
        on=on,
        balance=ledger.balance_on(dues, payments, on, rates),
        lines=ledger.statement(dues, payments, on, rates),
        contributions=len(dues),
        payments=len(payments),
    )
