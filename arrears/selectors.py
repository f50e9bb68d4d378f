"""Reads that cross models: employers' ledgers from the database, and a statement."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import date

from django.db.models import Sum

from arrears import ledger
from arrears.models import Contribution, CreditMove, InterestRate, Payment, Policy
from participants.models import Employer


def employer_dues(employer: Employer) -> list[ledger.Due]:
    """The employer's contributions as ledger values, in period order."""
    return [
        ledger.Due(period=period, amount=total, due_on=due_on)
        for period, total, due_on in employer.contributions.order_by("period").values_list(
            "period", "total", "due_on"
        )
    ]


def employer_ledgers(
    employer_ids: Collection[int],
) -> dict[int, tuple[list[ledger.Due], list[ledger.Paid]]]:
    """Each employer's contributions and payments as ledger values, in two queries whatever
    their number (a batch of letters reads its employers' ledgers together).

    Payments come in (date, id) order, so the ledger's stable sort settles same-day payments
    in the order the set-based balances (arrears.balances) use; each counts what of it settles
    contributions (rule 12, ``Payment.to_contributions``).
    """
    ledgers: dict[int, tuple[list[ledger.Due], list[ledger.Paid]]] = {
        pk: ([], []) for pk in employer_ids
    }
    contributions = Contribution.objects.filter(employer_id__in=ledgers).order_by(
        "employer_id", "period"
    )
    for employer_id, period, total, due_on in contributions.values_list(
        "employer_id", "period", "total", "due_on"
    ):
        ledgers[employer_id][0].append(ledger.Due(period=period, amount=total, due_on=due_on))
    payments = Payment.objects.filter(employer_id__in=ledgers).order_by(
        "employer_id", "paid_on", "id"
    )
    for employer_id, paid_on, amount in payments.values_list(
        "employer_id", "paid_on", "to_contributions"
    ):
        ledgers[employer_id][1].append(ledger.Paid(paid_on=paid_on, amount=amount))
    return ledgers


def employer_ledger(employer: Employer) -> tuple[list[ledger.Due], list[ledger.Paid]]:
    """The employer's contributions and payments as ledger values (``employer_ledgers``)."""
    return employer_ledgers([employer.pk])[employer.pk]


def interests_owed(charged: Mapping[int, int], on: date) -> dict[int, ledger.InterestOwed]:
    """Rule 12 on ``on`` for each employer's interest ``charged`` (rule 5, from its ledger),
    in two queries: the interest money is the payments' interest parts and the credit moved,
    as the balances count them."""
    parts = dict(
        Payment.objects.filter(employer_id__in=charged, paid_on__lte=on)
        .values("employer_id")
        .annotate(money=Sum("interest_part"))
        .values_list("employer_id", "money")
    )
    moved = dict(
        CreditMove.objects.filter(employer_id__in=charged, moved_on__lte=on)
        .values("employer_id")
        .annotate(money=Sum("amount"))
        .values_list("employer_id", "money")
    )
    owed = {}
    for pk, interest in charged.items():
        money = (parts.get(pk) or 0) + (moved.get(pk) or 0)
        paid = min(interest, money)
        owed[pk] = ledger.InterestOwed(interest, paid, interest - paid, money - paid)
    return owed


def interest_owed(employer: Employer, charged: int, on: date) -> ledger.InterestOwed:
    """Rule 12 on ``on`` for one employer's interest ``charged`` (``interests_owed``)."""
    return interests_owed({employer.pk: charged}, on)[employer.pk]


@dataclass(frozen=True)
class EmployerStatement:
    """One employer's position on a date and its month-by-month account (C12-TS)."""

    on: date
    balance: ledger.EmployerBalance
    lines: list[ledger.StatementLine]
    interest_owed: ledger.InterestOwed  # rule 12: charged, paid, outstanding
    credit: int  # paid beyond every contribution on the date: what may be moved to interest
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
    """Balance, statement and interest owed on ``on`` from the ledger rules (the payments'
    split computed afresh under the office's setting), in four queries."""
    dues = employer_dues(employer)
    receipts = [
        ledger.Receipt(paid_on, amount, purpose == Payment.Purpose.INTEREST)
        for paid_on, amount, purpose in employer.payments.order_by("paid_on", "id").values_list(
            "paid_on", "amount", "purpose"
        )
    ]
    moves = [
        ledger.Paid(moved_on, amount)
        for moved_on, amount in employer.credit_moves.order_by("moved_on", "id").values_list(
            "moved_on", "amount"
        )
    ]
    rates = InterestRate.table()
    split = Policy.current().interest_split
    payments = ledger.contribution_payments(
        receipts, ledger.split_receipts(dues, receipts, moves, split, rates)
    )
    return EmployerStatement(
        on=on,
        balance=ledger.balance_on(dues, payments, on, rates),
        lines=ledger.statement(dues, payments, on, rates),
        interest_owed=ledger.interest_owed(dues, receipts, moves, on, split, rates),
        credit=ledger.credit(dues, payments, on),
        contributions=len(dues),
        payments=len(payments),
    )
