"""The law on a case, as plain rules over plain values (no ORM), like ``ledger.py``.

DOMAIN.md "The law" and rules 8, 10 and 11: the step the offices' ladder recommends, the
Decree 12/2022 fine range, the Penal Code Art. 216 criteria, evasion, what a referral
recovered, and whether a commitment's instalments were kept. Thresholds are arguments
(they come from settings), because the law changes and a draft would double them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum

from arrears.ledger import Due, Paid, allocate, round_half_up

# Rule 10: unpaid more than this many days after the deadline, once reminded, is evasion.
EVASION_DAYS = 60


class Step(StrEnum):
    """What the offices do next, by how long the employer has been late."""

    NONE = "none"
    REMINDER = "reminder"  # under 1 month late
    URGENT_NOTICE = "urgent_notice"  # 1 to 3 months: urgent notice or violation record
    INSPECTION = "inspection"  # 3 months or more: inspection and fines
    ENFORCEMENT = "enforcement"  # over 6 months: law enforcement


def recommended_step(months_in_arrears: int) -> Step:
    """The ladder offices use: <1 month a reminder, 1-3 an urgent notice, 3+ inspection and
    fines, over 6 law enforcement. One month in arrears is a single unpaid contribution, up
    to a month past its deadline."""
    if months_in_arrears <= 0:
        return Step.NONE
    if months_in_arrears == 1:
        return Step.REMINDER
    if months_in_arrears < 3:
        return Step.URGENT_NOTICE
    if months_in_arrears <= 6:
        return Step.INSPECTION
    return Step.ENFORCEMENT


class Violation(StrEnum):
    LATE = "late"  # late or short payment
    NONE_PAID = "none_paid"  # paid for none of the workers
    EVASION = "evasion"  # evasion that is not a crime


@dataclass(frozen=True)
class FineRules:
    """Decree 12/2022/ND-CP Art. 39 (settings may change every figure)."""

    late_min_pct: Decimal = Decimal("0.12")
    late_max_pct: Decimal = Decimal("0.15")
    none_paid_min_pct: Decimal = Decimal("0.18")
    none_paid_max_pct: Decimal = Decimal("0.20")
    cap: int = 75_000_000
    evasion_min: int = 50_000_000
    evasion_max: int = 75_000_000


@dataclass(frozen=True)
class FineRange:
    low: int
    high: int


def fine_range(payable: int, violation: Violation, rules: FineRules = FineRules()) -> FineRange:
    """The range a sanction decision may impose on ``payable`` (contributions payable)."""
    if violation is Violation.EVASION:
        return FineRange(rules.evasion_min, rules.evasion_max)
    if violation is Violation.LATE:
        low_pct, high_pct = rules.late_min_pct, rules.late_max_pct
    else:
        low_pct, high_pct = rules.none_paid_min_pct, rules.none_paid_max_pct
    return FineRange(
        min(rules.cap, round_half_up(payable * low_pct)),
        min(rules.cap, round_half_up(payable * high_pct)),
    )


@dataclass(frozen=True)
class CriminalThresholds:
    """Penal Code Art. 216 clause 1 (a 2025 draft would double the amounts)."""

    months: int = 6
    arrears: int = 50_000_000
    workers: int = 10


def meets_criminal_criteria(
    *,
    months_in_arrears: int,
    sanctioned: bool,
    arrears: int,
    workers: int,
    thresholds: CriminalThresholds = CriminalThresholds(),
) -> bool:
    """Rule 11: 6 or more months, a prior sanction, and arrears or workers at the threshold."""
    return (
        months_in_arrears >= thresholds.months
        and sanctioned
        and (arrears >= thresholds.arrears or workers >= thresholds.workers)
    )


def evasion_periods(
    dues: Sequence[Due],
    payments: Sequence[Paid],
    on: date,
    *,
    reminded_on: Sequence[date],
    excused: Sequence[tuple[date, date]] = (),
) -> list[date]:
    """Rule 10: the periods of past-due contributions still unpaid on ``on`` more than 60 days
    after their deadline, after a reminder was sent for them (a reminder dated after the
    deadline, on or before ``on``). Periods inside an accepted force-majeure claim
    (``excused``: first and last period, inclusive) are not evasion."""
    reminders = sorted(d for d in reminded_on if d <= on)
    chosen = [p for p in payments if p.paid_on <= on]
    periods = []
    for settlement in allocate(dues, chosen):
        due = settlement.due
        if not settlement.unpaid or on - due.due_on <= timedelta(days=EVASION_DAYS):
            continue
        if not any(d > due.due_on for d in reminders):
            continue
        if any(first <= due.period <= last for first, last in excused):
            continue
        periods.append(due.period)
    return periods


def referral_recovered(
    arrears_at_referral: int, payments: Sequence[Paid], sent_on: date, on: date
) -> int:
    """Rule 8: the smaller of the arrears at referral and the payments dated after the
    referral date up to ``on``."""
    after = sum(p.amount for p in payments if sent_on < p.paid_on <= on)
    return min(arrears_at_referral, after)


class InstalmentStatus(StrEnum):
    KEPT = "kept"
    BROKEN = "broken"
    PENDING = "pending"  # not yet due, and not yet covered


@dataclass(frozen=True)
class InstalmentCheck:
    due_on: date
    amount: int
    status: InstalmentStatus
    paid_towards: int  # how much of this instalment the payments covered by its due date


def check_instalments(
    instalments: Sequence[tuple[date, int]],
    payments: Sequence[Paid],
    *,
    signed_on: date,
    on: date,
) -> list[InstalmentCheck]:
    """Each instalment of a plan is kept when the payments made from the day the commitment
    was signed through its due date add up to every instalment so far; broken when its due
    date has passed (before ``on``) without that; pending otherwise. Payments count in date
    order against instalments in due order, so an early or large payment carries forward."""
    ordered = sorted(instalments)
    paid = sorted((p for p in payments if signed_on <= p.paid_on <= on), key=lambda p: p.paid_on)
    checks = []
    owed_so_far = 0
    for due_on, amount in ordered:
        owed_so_far += amount
        paid_by_due = sum(p.amount for p in paid if p.paid_on <= due_on)
        covered = max(0, min(amount, paid_by_due - (owed_so_far - amount)))
        if paid_by_due >= owed_so_far:
            status = InstalmentStatus.KEPT
        elif due_on < on:
            status = InstalmentStatus.BROKEN
        else:
            status = InstalmentStatus.PENDING
        checks.append(InstalmentCheck(due_on, amount, status, covered))
    return checks
