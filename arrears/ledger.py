"""The employer ledger: due dates, allocation, arrears, interest and the monthly statement.

Pure functions over plain values (no Django, no ORM) implementing rules 1-6 of
``shared/DOMAIN.md``. Money is whole đồng as ``int``; daily rates are ``Decimal``.
Reports are compared with the office's own figures, so every rule here is exact:

1. ``due_date``: monthly payers owe by the last day of the following month; quarterly and
   six-monthly payers by the last day of the month after their quarter / half-year.
2. ``allocate``: payments, in date order (ties keep input order), settle contributions oldest
   period first whatever the fund, whether or not they are due yet; any surplus is a credit
   that settles later periods. Equivalently (the SQL side computes it this way): with
   contributions sorted by period and ``C_i`` their running total, and ``P(t)`` the total of
   payments dated on or before ``t``, contribution ``i`` is settled by ``t`` to the extent
   ``clamp(P(t) - C_{i-1}, 0, amount_i)``.
3-4. ``balance_on``: arrears on D are the unpaid parts (payments dated <= D) of contributions
   due before D; months in arrears counts those contributions, the oldest gives the period.
5. ``interest_on``: each part of a contribution accrues on every day from the day after its
   due date through its payment date inclusive (through D if still unpaid), at the rate in
   force that day; summed exactly, rounded half up once per contribution.
6. ``aging_bucket``: by months in arrears.
12. ``split_receipts`` / ``interest_owed``: what of each payment goes to interest (by its
   purpose, the office's split, or credit an officer moved) and the interest still owed.
"""

from __future__ import annotations

import calendar
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal, localcontext
from enum import StrEnum

__all__ = [
    "BUCKET_FLOORS",
    "DEFAULT_RATES",
    "Bucket",
    "Due",
    "EmployerBalance",
    "InterestOwed",
    "InterestSplit",
    "Paid",
    "PaymentMethod",
    "Rate",
    "Receipt",
    "Settlement",
    "Split",
    "StatementLine",
    "aging_bucket",
    "allocate",
    "balance_on",
    "contribution_payments",
    "credit",
    "due_date",
    "interest_on",
    "interest_owed",
    "month_index",
    "month_start",
    "rate_sum",
    "round_half_up",
    "settle_on",
    "split_receipts",
    "statement",
]

# Generous precision so that amount x (sum of daily rates) is always exact: an amount of
# 10^15 đồng times a rate sum with 20 significant digits still fits.
_PRECISION = 60
_ONE_DAY = timedelta(days=1)


class PaymentMethod(StrEnum):
    MONTHLY = "monthly"
    QUARTERLY = "quarterly"
    SIX_MONTHLY = "six_monthly"


class Bucket(StrEnum):
    NONE = "none"  # no contribution in arrears
    UNDER_3 = "under_3"
    FROM_3_TO_6 = "3_to_6"
    FROM_6_TO_12 = "6_to_12"
    OVER_12 = "12_plus"


@dataclass(frozen=True)
class Due:
    """One contribution: the month it is for (first day), its amount, its deadline."""

    period: date
    amount: int
    due_on: date


@dataclass(frozen=True)
class Paid:
    """A payment, or (inside a Settlement) the part of a payment applied to one contribution."""

    paid_on: date
    amount: int


@dataclass(frozen=True)
class Rate:
    """A daily interest rate in force from ``valid_from`` until the next rate's start."""

    valid_from: date
    daily_rate: Decimal


# 0.03 % a day from 2025-07-01 (Law 41/2024/QH15 Art. 40-41). The earlier regime (a monthly
# charge on amounts 30 days late) is not a daily rate, so days before 2025-07-01 carry none.
DEFAULT_RATES: tuple[Rate, ...] = (Rate(date(2025, 7, 1), Decimal("0.0003")),)


@dataclass(frozen=True)
class Settlement:
    """How one contribution was settled: the payment parts applied to it and what is left."""

    due: Due
    parts: tuple[Paid, ...]  # (payment date, amount of that payment applied here), date order
    unpaid: int

    @property
    def paid(self) -> int:
        return self.due.amount - self.unpaid


@dataclass(frozen=True)
class EmployerBalance:
    """An employer's position on a date (rules 3-6)."""

    on: date
    arrears: int
    months_in_arrears: int
    oldest_unpaid_period: date | None
    interest: int
    bucket: Bucket


@dataclass(frozen=True)
class StatementLine:
    """One month of the C12-TS style statement (see ``statement``)."""

    month: date  # first day of the calendar month
    brought_forward: int
    due: int
    paid: int
    interest: int
    carried_forward: int


# --------------------------------------------------------------------------------------------
# Rule 1: due dates


def month_start(day: date) -> date:
    """The first day of the month holding ``day``."""
    return day.replace(day=1)


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _add_months(year: int, month: int, months: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + months
    return index // 12, index % 12 + 1


def due_date(period: date, method: PaymentMethod | str) -> date:
    """Deadline of the contribution for ``period`` (rule 1, Law 41/2024 Art. 34).

    The last day of the month after the cycle holding the period: the month itself for
    monthly payers, its calendar quarter or half-year otherwise. Only the period's year and
    month matter.
    """
    method = PaymentMethod(method)
    if method is PaymentMethod.MONTHLY:
        cycle_end = period.month
    elif method is PaymentMethod.QUARTERLY:
        cycle_end = (period.month - 1) // 3 * 3 + 3
    else:
        cycle_end = 6 if period.month <= 6 else 12
    return _month_end(*_add_months(period.year, cycle_end, 1))


# --------------------------------------------------------------------------------------------
# Rule 6: aging


# Each bucket's fewest months in arrears, largest first: the first floor reached names the
# bucket. Stated once here; the set-based balance SQL builds its CASE from the same table.
BUCKET_FLOORS: tuple[tuple[int, Bucket], ...] = (
    (12, Bucket.OVER_12),
    (6, Bucket.FROM_6_TO_12),
    (3, Bucket.FROM_3_TO_6),
    (1, Bucket.UNDER_3),
    (0, Bucket.NONE),
)


def aging_bucket(months_in_arrears: int) -> Bucket:
    """Bucket by months in arrears: 0 none, 1-2, 3-5, 6-11, 12 or more."""
    if months_in_arrears < 0:
        raise ValueError(f"months in arrears cannot be negative: {months_in_arrears}")
    return next(bucket for floor, bucket in BUCKET_FLOORS if months_in_arrears >= floor)


# --------------------------------------------------------------------------------------------
# Rate table


class _RateTable:
    """Piecewise-constant daily rates with prefix sums, so any span costs one bisect.

    ``_before(d)`` is the sum of the daily rates of all days strictly before ``d``; the rate
    sum over ``first..last`` is then ``_before(last + 1) - _before(first)``.
    """

    def __init__(self, rates: Sequence[Rate]) -> None:
        # Sort by start date; for two rates with the same start the one given last wins,
        # so an office's correction appended to the table takes effect.
        by_start: dict[date, Decimal] = {}
        for rate in sorted(rates, key=lambda r: r.valid_from):
            by_start[rate.valid_from] = Decimal(rate.daily_rate)
        self.starts: list[date] = list(by_start)
        self.rates: list[Decimal] = list(by_start.values())
        self.prefix: list[Decimal] = []  # prefix[k]: sum of rates of days before starts[k]
        total = Decimal(0)
        with localcontext(prec=_PRECISION):
            for k, start in enumerate(self.starts):
                if k:
                    total += (start - self.starts[k - 1]).days * self.rates[k - 1]
                self.prefix.append(total)

    def _before(self, day: date) -> Decimal:
        k = bisect_right(self.starts, day - _ONE_DAY) - 1  # segment holding the day before
        if k < 0:
            return Decimal(0)  # days before the first rate carry none
        return self.prefix[k] + (day - self.starts[k]).days * self.rates[k]

    def span(self, first_day: date, last_day: date) -> Decimal:
        if last_day < first_day:
            return Decimal(0)
        with localcontext(prec=_PRECISION):
            return self._before(last_day + _ONE_DAY) - self._before(first_day)


def rate_sum(first_day: date, last_day: date, rates: Sequence[Rate] = DEFAULT_RATES) -> Decimal:
    """Sum of the daily rates in force on each day ``first_day..last_day`` inclusive.

    0 for an empty span (``last_day < first_day``). A day takes the rate with the latest
    ``valid_from`` on or before it; days before the first rate carry none.
    """
    return _RateTable(rates).span(first_day, last_day)


def round_half_up(value: Decimal) -> int:
    """Round to whole đồng, halves away from zero (interest is never negative)."""
    with localcontext(prec=_PRECISION):
        return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


# --------------------------------------------------------------------------------------------
# Rule 2: allocation


def _sorted_dues(dues: Sequence[Due]) -> list[Due]:
    return sorted(dues, key=lambda d: d.period)  # stable: same period keeps input order


def _sorted_payments(payments: Sequence[Paid], on: date | None = None) -> list[Paid]:
    chosen = [p for p in payments if on is None or p.paid_on <= on]
    for p in chosen:
        if p.amount < 0:
            raise ValueError(f"a payment cannot be negative: {p}")
    return sorted(chosen, key=lambda p: p.paid_on)  # stable: same day keeps input order


def allocate(dues: Sequence[Due], payments: Sequence[Paid]) -> list[Settlement]:
    """Settle contributions oldest period first with payments in date order (rule 2).

    Returns one Settlement per contribution, in period order (ties keep input order). A
    payment may be split over several contributions, and a contribution paid by several
    payments; each part is the payment's date and the amount of it applied. Whatever is left
    of the payments once every contribution is settled is the credit (see ``credit``). One
    merge pass: this is exactly ``clamp(P(t) - C_{i-1}, 0, amount_i)``.
    """
    ordered = _sorted_payments(payments)
    settlements: list[Settlement] = []
    k = 0  # next payment to draw from
    left = ordered[0].amount if ordered else 0  # what remains of payment k
    for due in _sorted_dues(dues):
        if due.amount < 0:
            raise ValueError(f"a contribution cannot be negative: {due}")
        owed = due.amount
        parts: list[Paid] = []
        while owed and k < len(ordered):
            take = min(owed, left)
            if take:
                parts.append(Paid(ordered[k].paid_on, take))
                owed -= take
                left -= take
            if not left:
                k += 1
                left = ordered[k].amount if k < len(ordered) else 0
        settlements.append(Settlement(due, tuple(parts), owed))
    return settlements


def credit(dues: Sequence[Due], payments: Sequence[Paid], on: date | None = None) -> int:
    """Payments (dated on or before ``on``, if given) beyond all the contributions listed."""
    paid = sum(p.amount for p in _sorted_payments(payments, on))
    return max(0, paid - sum(d.amount for d in dues))


def settle_on(dues: Sequence[Due], payments: Sequence[Paid], on: date) -> list[Settlement]:
    """The contributions as settled on ``on``: ``allocate`` with the payments dated on or
    before it (rule 3's cut)."""
    return allocate(dues, _sorted_payments(payments, on))


# --------------------------------------------------------------------------------------------
# Rules 3-5: arrears and interest


def _exact_interest(settlement: Settlement, on: date, table: _RateTable) -> Decimal:
    """Exact interest of one contribution accrued through ``on``.

    The settlement must come from payments dated on or before ``on``. Each part accrues from
    the day after the deadline through its payment date; the unpaid rest through ``on``.
    A part paid on or before the deadline gives an empty span, so costs nothing.
    """
    start = settlement.due.due_on + _ONE_DAY
    with localcontext(prec=_PRECISION):
        total = settlement.unpaid * table.span(start, on)
        for part in settlement.parts:
            total += part.amount * table.span(start, part.paid_on)
        return total


def balance_on(
    dues: Sequence[Due],
    payments: Sequence[Paid],
    on: date,
    rates: Sequence[Rate] = DEFAULT_RATES,
) -> EmployerBalance:
    """An employer's arrears, months in arrears, oldest unpaid period, interest and bucket on
    ``on`` (rules 3-6), counting only payments dated on or before ``on``.

    A contribution is in arrears once its due date is before ``on`` (so not on the due date
    itself) and something of it is unpaid.
    """
    table = _RateTable(rates)
    arrears = months = interest = 0
    oldest: date | None = None
    for settlement in allocate(dues, _sorted_payments(payments, on)):
        due = settlement.due
        if due.due_on < on and settlement.unpaid:
            arrears += settlement.unpaid
            months += 1
            if oldest is None or due.period < oldest:
                oldest = due.period
        interest += round_half_up(_exact_interest(settlement, on, table))
    return EmployerBalance(
        on=on,
        arrears=arrears,
        months_in_arrears=months,
        oldest_unpaid_period=month_start(oldest) if oldest else None,
        interest=interest,
        bucket=aging_bucket(months),
    )


def interest_on(
    dues: Sequence[Due],
    payments: Sequence[Paid],
    on: date,
    rates: Sequence[Rate] = DEFAULT_RATES,
) -> int:
    """Late-payment interest accrued through ``on`` (rule 5).

    Summed exactly per contribution, rounded half up to whole đồng once per contribution,
    and the rounded amounts added up.
    """
    return _interest(dues, _sorted_payments(payments, on), on, _RateTable(rates))


def _interest(dues: Sequence[Due], payments: Sequence[Paid], on: date, table: _RateTable) -> int:
    """``interest_on`` for payments already cut at ``on``."""
    return sum(round_half_up(_exact_interest(s, on, table)) for s in allocate(dues, payments))


# --------------------------------------------------------------------------------------------
# Rule 12: interest owed


class InterestSplit(StrEnum):
    """How a payment is split between contributions and interest (the office's setting)."""

    CONTRIBUTIONS_FIRST = "contributions_first"  # contributions only, as rule 2
    INTEREST_FIRST = "interest_first"  # the interest outstanding on its date first


@dataclass(frozen=True)
class Receipt:
    """A payment as received: its date, amount, and whether its purpose is interest."""

    paid_on: date
    amount: int
    for_interest: bool = False


@dataclass(frozen=True)
class Split:
    """What of one receipt does not settle contributions: ``interest``, by its purpose or the
    office's split, on the receipt's date; ``moved``, credit an officer later moved to
    interest (on the move's date)."""

    interest: int = 0
    moved: int = 0


@dataclass(frozen=True)
class InterestOwed:
    """Interest on a date: charged (rule 5), paid, outstanding, and the interest money beyond
    what was charged (kept for interest still to accrue)."""

    charged: int
    paid: int
    outstanding: int
    credit: int


def split_receipts(
    dues: Sequence[Due],
    receipts: Sequence[Receipt],
    moves: Sequence[Paid] = (),
    split: InterestSplit | str = InterestSplit.CONTRIBUTIONS_FIRST,
    rates: Sequence[Rate] = DEFAULT_RATES,
) -> list[Split]:
    """Each receipt's Split, in input order (rule 12).

    A receipt whose purpose is interest goes to interest whole. Otherwise, contributions
    first: nothing; interest first: the interest outstanding on its date (rule 5 through that
    day on the contributions as settled by the earlier receipts, less the interest money
    before it). Receipts are taken in date order, ties in input order. A move (credit an
    officer allocated to interest on a day) takes from the latest receipts dated on or before
    that day, after that day's receipts; at most what they still hold for contributions.
    """
    split = InterestSplit(split)
    table = _RateTable(rates)
    interest = [0] * len(receipts)
    moved = [0] * len(receipts)
    done: list[int] = []  # receipts taken so far, in date order
    pending = sorted(moves, key=lambda m: m.paid_on)
    money = 0  # interest money so far: interest parts and moves

    def left(i: int) -> int:
        return receipts[i].amount - interest[i] - moved[i]

    def move(amount: int) -> int:
        taken = 0
        for i in reversed(done):
            take = min(amount - taken, left(i))
            moved[i] += take
            taken += take
        return taken

    for i in sorted(range(len(receipts)), key=lambda i: receipts[i].paid_on):
        receipt = receipts[i]
        while pending and pending[0].paid_on < receipt.paid_on:
            money += move(pending.pop(0).amount)
        if receipt.for_interest:
            interest[i] = receipt.amount
        elif split is InterestSplit.INTEREST_FIRST:
            settled = [Paid(receipts[j].paid_on, left(j)) for j in done]
            charged = _interest(dues, settled, receipt.paid_on, table)
            interest[i] = min(receipt.amount, max(0, charged - money))
        money += interest[i]
        done.append(i)
    for pending_move in pending:
        move(pending_move.amount)
    return [Split(interest=a, moved=b) for a, b in zip(interest, moved, strict=True)]


def contribution_payments(receipts: Sequence[Receipt], splits: Sequence[Split]) -> list[Paid]:
    """What of each receipt settles contributions: the payments rules 2-5 take."""
    return [
        Paid(r.paid_on, r.amount - s.interest - s.moved)
        for r, s in zip(receipts, splits, strict=True)
    ]


def interest_owed(
    dues: Sequence[Due],
    receipts: Sequence[Receipt],
    moves: Sequence[Paid],
    on: date,
    split: InterestSplit | str = InterestSplit.CONTRIBUTIONS_FIRST,
    rates: Sequence[Rate] = DEFAULT_RATES,
) -> InterestOwed:
    """Interest charged on ``on`` (rule 5, on the contribution payments), paid (the interest
    money dated on or before ``on``, up to what was charged) and outstanding (rule 12)."""
    receipts = [r for r in receipts if r.paid_on <= on]
    moves = [m for m in moves if m.paid_on <= on]
    splits = split_receipts(dues, receipts, moves, split, rates)
    charged = interest_on(dues, contribution_payments(receipts, splits), on, rates)
    money = sum(s.interest + s.moved for s in splits)
    paid = min(charged, money)
    return InterestOwed(charged=charged, paid=paid, outstanding=charged - paid, credit=money - paid)


# --------------------------------------------------------------------------------------------
# Monthly statement (C12-TS)


def month_index(day: date) -> int:
    """Months since year 0 of the month holding ``day``: consecutive months differ by 1."""
    return day.year * 12 + day.month - 1


def statement(
    dues: Sequence[Due],
    payments: Sequence[Paid],
    on: date,
    rates: Sequence[Rate] = DEFAULT_RATES,
) -> list[StatementLine]:
    """Month-by-month account up to ``on``, like the office's monthly notice C12-TS.

    One line per calendar month, from the month of the earliest period (or of the earliest
    payment dated on or before ``on``, if earlier, so that no payment is left out) through the
    month of ``on``; empty if that range is empty.

    - ``due``: contributions whose due date falls in that month and is before ``on`` (the
      same cut as rule 3: a contribution due on ``on`` itself is not owed yet).
    - ``paid``: payments dated in that month, on or before ``on``.
    - ``carried_forward = brought_forward + due - paid``; the first line brings forward 0.
      It is a net balance of contributions only (interest is shown apart and not carried),
      negative when the employer has paid ahead. Because payments settle the oldest periods
      first, ``max(0, carried_forward)`` of the last line equals ``balance_on(...).arrears``
      whenever due dates follow period order (one payment method throughout).
    - ``interest``: interest accrued during the month's days up to ``on``. Rounding: for
      each contribution the exact interest accrued through the month's last day (or ``on``)
      is rounded half up to whole đồng, exactly as ``interest_on`` does; the month's figure
      is that rounded cumulative amount less the one at the end of the previous month. The
      lines therefore never go negative and add up to ``interest_on(dues, payments, on)``
      exactly, to the đồng; a single line may differ by a đồng per contribution from
      rounding the month's accrual on its own.
    """
    ordered = _sorted_payments(payments, on)
    settlements = allocate(dues, ordered)
    starts = [month_index(d.period) for d in dues] + [month_index(p.paid_on) for p in ordered]
    if not starts:
        return []
    first, last = min(starts), month_index(on)
    if first > last:
        return []
    count = last - first + 1
    due_by_month = [0] * count
    paid_by_month = [0] * count
    interest_by_month = [0] * count

    for p in ordered:
        paid_by_month[month_index(p.paid_on) - first] += p.amount

    table = _RateTable(rates)
    for settlement in settlements:
        due = settlement.due
        if due.due_on < on:
            due_by_month[month_index(due.due_on) - first] += due.amount
        _spread_interest(settlement, on, table, first, interest_by_month)

    lines: list[StatementLine] = []
    balance = 0
    for k in range(count):
        year, month = divmod(first + k, 12)
        carried = balance + due_by_month[k] - paid_by_month[k]
        lines.append(
            StatementLine(
                month=date(year, month + 1, 1),
                brought_forward=balance,
                due=due_by_month[k],
                paid=paid_by_month[k],
                interest=interest_by_month[k],
                carried_forward=carried,
            )
        )
        balance = carried
    return lines


def _spread_interest(
    settlement: Settlement, on: date, table: _RateTable, first: int, by_month: list[int]
) -> None:
    """Add one contribution's interest to the months it accrued in (see ``statement``).

    Walks the months from the day after the deadline to the last accruing day, keeping the
    exact cumulative interest at each month end, and books the increase of its rounded value.
    """
    due = settlement.due
    start = due.due_on + _ONE_DAY
    # Accrual stops at the last payment once fully paid, else runs through ``on``.
    end = settlement.parts[-1].paid_on if not settlement.unpaid and settlement.parts else on
    end = min(end, on)
    if end < start or not due.amount:
        return
    parts = settlement.parts
    k = 0  # parts[:k] are paid by the current cut-off
    settled = Decimal(0)  # exact interest of parts[:k], final once paid
    paid_amount = 0
    booked = 0  # rounded cumulative already booked to earlier months
    with localcontext(prec=_PRECISION):
        for index in range(month_index(start), month_index(end) + 1):
            year, month = divmod(index, 12)
            cut = min(_month_end(year, month + 1), end)
            while k < len(parts) and parts[k].paid_on <= cut:
                settled += parts[k].amount * table.span(start, parts[k].paid_on)
                paid_amount += parts[k].amount
                k += 1
            exact = settled + (due.amount - paid_amount) * table.span(start, cut)
            rounded = round_half_up(exact)
            by_month[index - first] += rounded - booked
            booked = rounded
