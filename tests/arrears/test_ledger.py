"""Tests of arrears.ledger: hand-worked examples, the sample province, and properties.

No database: the ledger is plain functions over plain values.
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from decimal import Decimal
from itertools import pairwise

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from arrears.ledger import (
    DEFAULT_RATES,
    Bucket,
    Due,
    Paid,
    PaymentMethod,
    Rate,
    aging_bucket,
    allocate,
    balance_on,
    credit,
    due_date,
    interest_on,
    rate_sum,
    round_half_up,
    statement,
)
from tests.samples import SAMPLES, read_csv

ONE_DAY = timedelta(days=1)


def monthly(year: int, month: int, amount: int) -> Due:
    period = date(year, month, 1)
    return Due(period, amount, due_date(period, PaymentMethod.MONTHLY))


# --------------------------------------------------------------------------------------------
# Rule 1: due dates


@pytest.mark.parametrize(
    ("period", "method", "expected"),
    [
        # Monthly: last day of the following month.
        (date(2025, 8, 1), "monthly", date(2025, 9, 30)),
        (date(2025, 11, 1), "monthly", date(2025, 12, 31)),
        (date(2025, 12, 1), "monthly", date(2026, 1, 31)),  # across the year end
        (date(2026, 1, 1), "monthly", date(2026, 2, 28)),
        (date(2028, 1, 1), "monthly", date(2028, 2, 29)),  # leap year
        # Quarterly: last day of the month after the calendar quarter.
        (date(2025, 7, 1), "quarterly", date(2025, 10, 31)),
        (date(2025, 8, 1), "quarterly", date(2025, 10, 31)),  # DOMAIN.md's example
        (date(2025, 9, 1), "quarterly", date(2025, 10, 31)),
        (date(2025, 10, 1), "quarterly", date(2026, 1, 31)),  # Q4 -> next January
        (date(2025, 12, 1), "quarterly", date(2026, 1, 31)),
        (date(2026, 1, 1), "quarterly", date(2026, 4, 30)),
        (date(2026, 6, 1), "quarterly", date(2026, 7, 31)),
        # Six-monthly: last day of the month after the half-year.
        (date(2025, 8, 1), "six_monthly", date(2026, 1, 31)),  # DOMAIN.md's example
        (date(2025, 12, 1), "six_monthly", date(2026, 1, 31)),
        (date(2026, 1, 1), "six_monthly", date(2026, 7, 31)),
        (date(2026, 6, 1), "six_monthly", date(2026, 7, 31)),
    ],
)
def test_due_date(period: date, method: str, expected: date) -> None:
    assert due_date(period, method) == expected
    assert due_date(period, PaymentMethod(method)) == expected


def test_due_date_rejects_unknown_method() -> None:
    with pytest.raises(ValueError):
        due_date(date(2025, 8, 1), "yearly")


# --------------------------------------------------------------------------------------------
# Rule 6: buckets


@pytest.mark.parametrize(
    ("months", "bucket"),
    [
        (0, Bucket.NONE),
        (1, Bucket.UNDER_3),
        (2, Bucket.UNDER_3),
        (3, Bucket.FROM_3_TO_6),
        (5, Bucket.FROM_3_TO_6),
        (6, Bucket.FROM_6_TO_12),
        (11, Bucket.FROM_6_TO_12),
        (12, Bucket.OVER_12),
        (40, Bucket.OVER_12),
    ],
)
def test_aging_bucket(months: int, bucket: Bucket) -> None:
    assert aging_bucket(months) is bucket


def test_bucket_values() -> None:
    assert [b.value for b in Bucket] == ["none", "under_3", "3_to_6", "6_to_12", "12_plus"]


# --------------------------------------------------------------------------------------------
# Rates and rounding


def test_rate_sum_single_rate() -> None:
    # 2025-09-01..2025-09-10: 10 days x 0.0003.
    assert rate_sum(date(2025, 9, 1), date(2025, 9, 10), DEFAULT_RATES) == Decimal("0.0030")
    assert rate_sum(date(2025, 9, 1), date(2025, 9, 1), DEFAULT_RATES) == Decimal("0.0003")


def test_rate_sum_empty_span_is_zero() -> None:
    assert rate_sum(date(2025, 9, 2), date(2025, 9, 1), DEFAULT_RATES) == 0


def test_rate_sum_days_before_first_rate_carry_none() -> None:
    # 2025-06-26..2025-07-03: Jun 26-30 carry nothing, Jul 1-3 are 3 x 0.0003 = 0.0009.
    assert rate_sum(date(2025, 6, 26), date(2025, 7, 3), DEFAULT_RATES) == Decimal("0.0009")
    assert rate_sum(date(2025, 1, 1), date(2025, 6, 30), DEFAULT_RATES) == 0


TWO_RATES = (Rate(date(2025, 7, 1), Decimal("0.0003")), Rate(date(2026, 1, 1), Decimal("0.0005")))


def test_rate_sum_across_a_rate_change() -> None:
    # Dec 26-31: 6 x 0.0003 = 0.0018; Jan 1-5: 5 x 0.0005 = 0.0025; total 0.0043.
    assert rate_sum(date(2025, 12, 26), date(2026, 1, 5), TWO_RATES) == Decimal("0.0043")
    # Order of the table does not matter.
    assert rate_sum(date(2025, 12, 26), date(2026, 1, 5), TWO_RATES[::-1]) == Decimal("0.0043")


def test_round_half_up() -> None:
    assert round_half_up(Decimal("1.5")) == 2
    assert round_half_up(Decimal("2.5")) == 3  # not banker's rounding
    assert round_half_up(Decimal("1.4997")) == 1
    assert round_half_up(Decimal("0.5")) == 1
    assert round_half_up(Decimal("0")) == 0


# --------------------------------------------------------------------------------------------
# Rule 2: allocation


def test_allocation_oldest_first_with_partial_payment() -> None:
    july, august = monthly(2025, 7, 1_000_000), monthly(2025, 8, 1_000_000)
    # Listed out of order on purpose: allocation sorts by period.
    settlements = allocate([august, july], [Paid(date(2025, 8, 20), 1_500_000)])
    assert [s.due for s in settlements] == [july, august]
    assert settlements[0].parts == (Paid(date(2025, 8, 20), 1_000_000),)
    assert settlements[0].unpaid == 0
    assert settlements[1].parts == (Paid(date(2025, 8, 20), 500_000),)
    assert settlements[1].unpaid == 500_000


def test_allocation_splits_and_combines_payments() -> None:
    dues = [monthly(2025, 7, 300), monthly(2025, 8, 300)]
    pays = [Paid(date(2025, 9, 5), 200), Paid(date(2025, 9, 1), 250), Paid(date(2025, 9, 5), 400)]
    july, august = allocate(dues, pays)
    # Sorted by date, ties keep input order: 250 (Sep 1), 200 (Sep 5), 400 (Sep 5).
    assert july.parts == (Paid(date(2025, 9, 1), 250), Paid(date(2025, 9, 5), 50))
    assert august.parts == (Paid(date(2025, 9, 5), 150), Paid(date(2025, 9, 5), 150))
    assert july.unpaid == august.unpaid == 0
    assert credit(dues, pays) == 250


def test_credit_settles_later_periods() -> None:
    # Paid 1,500,000 in July for July only: the 500,000 credit settles August, then more.
    dues = [monthly(2025, 7, 1_000_000), monthly(2025, 8, 1_000_000)]
    later = monthly(2025, 9, 1_000_000)
    _, august, september = allocate([*dues, later], [Paid(date(2025, 7, 31), 2_300_000)])
    assert august.unpaid == 0
    assert september.unpaid == 700_000


# --------------------------------------------------------------------------------------------
# Rules 3-5: worked examples


def test_partial_payment_balance() -> None:
    # July 1,000,000 (due Aug 31) paid in full on Aug 20; August 1,000,000 (due Sep 30) gets
    # the remaining 500,000 ahead of time. On Oct 10 August's 500,000 is 10 days late:
    # 500,000 x 10 x 0.0003 = 1,500.
    dues = [monthly(2025, 7, 1_000_000), monthly(2025, 8, 1_000_000)]
    balance = balance_on(dues, [Paid(date(2025, 8, 20), 1_500_000)], date(2025, 10, 10))
    assert balance.arrears == 500_000
    assert balance.months_in_arrears == 1
    assert balance.oldest_unpaid_period == date(2025, 8, 1)
    assert balance.interest == 1_500
    assert balance.bucket is Bucket.UNDER_3


def test_late_payment_interest() -> None:
    # 1,000,000 due 2025-08-31 paid 2025-09-10: Sep 1..10 = 10 days x 0.0003 x 1,000,000.
    dues = [monthly(2025, 7, 1_000_000)]
    pays = [Paid(date(2025, 9, 10), 1_000_000)]
    assert interest_on(dues, pays, date(2025, 12, 1)) == 3_000
    settled = balance_on(dues, pays, date(2025, 12, 1))
    assert (settled.arrears, settled.months_in_arrears, settled.interest) == (0, 0, 3_000)
    assert settled.oldest_unpaid_period is None
    assert settled.bucket is Bucket.NONE
    # Before the payment (Sep 5) it is 5 days late and the payment is not yet counted.
    before = balance_on(dues, pays, date(2025, 9, 5))
    assert (before.arrears, before.months_in_arrears, before.interest) == (1_000_000, 1, 1_500)
    # The payment day itself accrues: on Sep 10 all 10 days count.
    assert interest_on(dues, pays, date(2025, 9, 10)) == 3_000


def test_not_in_arrears_on_the_due_date() -> None:
    dues = [monthly(2025, 7, 1_000_000)]
    on_due = balance_on(dues, [], date(2025, 8, 31))
    assert (on_due.arrears, on_due.months_in_arrears, on_due.interest) == (0, 0, 0)
    next_day = balance_on(dues, [], date(2025, 9, 1))
    assert (next_day.arrears, next_day.months_in_arrears, next_day.interest) == (1_000_000, 1, 300)


def test_payment_on_due_date_costs_nothing() -> None:
    dues = [monthly(2025, 7, 1_000_000)]
    assert interest_on(dues, [Paid(date(2025, 8, 31), 1_000_000)], date(2026, 6, 1)) == 0


def test_interest_across_rate_change() -> None:
    # 1,000,000 due 2025-12-25 unpaid on 2026-01-05:
    # Dec 26-31 6 x 0.0003 + Jan 1-5 5 x 0.0005 = 0.0043 -> 4,300.
    dues = [Due(date(2025, 11, 1), 1_000_000, date(2025, 12, 25))]
    assert interest_on(dues, [], date(2026, 1, 5), TWO_RATES) == 4_300


def test_interest_before_first_rate_is_free() -> None:
    # 1,000,000 due 2025-06-25, unpaid on 2025-07-03: only Jul 1-3 count -> 900.
    dues = [Due(date(2025, 5, 1), 1_000_000, date(2025, 6, 25))]
    assert interest_on(dues, [], date(2025, 7, 3)) == 900
    assert interest_on(dues, [], date(2025, 6, 30)) == 0


def test_interest_rounds_half_up_once_per_contribution() -> None:
    # Two contributions of 5,000 one day late: 1.5 each -> 2 + 2 = 4 (not round(3.0) = 3).
    dues = [
        Due(date(2025, 7, 1), 5_000, date(2025, 8, 31)),
        Due(date(2025, 8, 1), 5_000, date(2025, 8, 31)),
    ]
    assert interest_on(dues, [], date(2025, 9, 1)) == 4
    # 5,000 one day at 0.05 %: 2.5 -> 3.
    half = (Rate(date(2025, 7, 1), Decimal("0.0005")),)
    assert interest_on(dues[:1], [], date(2025, 9, 1), half) == 3
    # 4,999 one day at 0.03 %: 1.4997 -> 1.
    assert interest_on([Due(date(2025, 7, 1), 4_999, date(2025, 8, 31))], [], date(2025, 9, 1)) == 1


def test_interest_sums_parts_exactly_before_rounding() -> None:
    # 5,000 due Aug 31: 2,500 paid Sep 1 (0.75) and 2,500 still unpaid on Sep 1 (0.75):
    # 1.5 exactly -> 2, whereas rounding each part would give 1 + 1.
    dues = [Due(date(2025, 7, 1), 5_000, date(2025, 8, 31))]
    assert interest_on(dues, [Paid(date(2025, 9, 1), 2_500)], date(2025, 9, 1)) == 2


def test_payments_after_the_date_are_ignored() -> None:
    dues = [monthly(2025, 7, 1_000_000)]
    balance = balance_on(dues, [Paid(date(2025, 10, 1), 1_000_000)], date(2025, 9, 30))
    assert balance.arrears == 1_000_000
    assert balance.interest == 9_000  # Sep 1..30


def test_quarterly_payer_not_late_before_quarter_deadline() -> None:
    period = date(2025, 7, 1)
    dues = [Due(period, 1_000_000, due_date(period, "quarterly"))]  # due 2025-10-31
    assert balance_on(dues, [], date(2025, 10, 31)).arrears == 0
    late = balance_on(dues, [], date(2025, 11, 2))
    assert (late.arrears, late.interest) == (1_000_000, 600)


# --------------------------------------------------------------------------------------------
# Statement


def test_statement_worked_example() -> None:
    # July and August 1,000,000 each (due Aug 31, Sep 30); 1,000,000 paid Sep 10; as of Oct 15.
    # Aug: July falls due.  Sep: August falls due, July paid 10 days late -> 3,000.
    # Oct: August unpaid Oct 1..15 -> 15 x 300 = 4,500.
    dues = [monthly(2025, 7, 1_000_000), monthly(2025, 8, 1_000_000)]
    pays = [Paid(date(2025, 9, 10), 1_000_000), Paid(date(2025, 10, 20), 5)]  # the last: later
    lines = statement(dues, pays, date(2025, 10, 15))
    rows = [
        (ln.month, ln.brought_forward, ln.due, ln.paid, ln.interest, ln.carried_forward)
        for ln in lines
    ]
    assert rows == [
        (date(2025, 7, 1), 0, 0, 0, 0, 0),
        (date(2025, 8, 1), 0, 1_000_000, 0, 0, 1_000_000),
        (date(2025, 9, 1), 1_000_000, 1_000_000, 1_000_000, 3_000, 1_000_000),
        (date(2025, 10, 1), 1_000_000, 0, 0, 4_500, 1_000_000),
    ]
    assert sum(ln.interest for ln in lines) == interest_on(dues, pays, date(2025, 10, 15))


def test_statement_interest_rounding_per_month() -> None:
    # 5,000 unpaid from Sep 1: 1.5 per day. Sep 30 days -> 45; Oct 1..3 -> cumulative 49.5 -> 50,
    # so October shows 50 - 45 = 5 and the lines add up to interest_on exactly.
    dues = [Due(date(2025, 7, 1), 5_000, date(2025, 8, 31))]
    lines = statement(dues, [], date(2025, 10, 3))
    assert [ln.interest for ln in lines] == [0, 0, 45, 5]
    assert interest_on(dues, [], date(2025, 10, 3)) == 50


def test_statement_empty() -> None:
    assert statement([], [], date(2025, 10, 1)) == []
    assert statement([monthly(2026, 1, 1)], [], date(2025, 10, 1)) == []


# --------------------------------------------------------------------------------------------
# The sample province: the ground truth


def _period(text: str) -> date:
    year, month = text.split("-")
    return date(int(year), int(month), 1)


def test_samples_match_expected() -> None:
    methods = {r["unit_code"]: r["payment_method"] for r in read_csv("employers.csv")}
    dues: dict[str, list[Due]] = {u: [] for u in methods}
    payments: dict[str, list[Paid]] = {u: [] for u in methods}
    for r in read_csv("contributions.csv"):
        period = _period(r["period"])
        amount = sum(int(r[fund]) for fund in ("si", "hi", "ui", "oaod"))
        dues[r["unit_code"]].append(Due(period, amount, due_date(period, methods[r["unit_code"]])))
    for r in read_csv("payments.csv"):
        payments[r["unit_code"]].append(Paid(date.fromisoformat(r["paid_on"]), int(r["amount"])))
    expected = json.loads((SAMPLES / "expected.json").read_text(encoding="utf-8"))
    on = date.fromisoformat(expected["as_of"])
    assert on == date(2026, 11, 16)

    total_arrears = total_interest = in_arrears = 0
    assert set(expected["employers"]) == set(methods)
    for unit, want in expected["employers"].items():
        balance = balance_on(dues[unit], payments[unit], on)
        oldest = balance.oldest_unpaid_period
        got = (
            balance.arrears,
            balance.months_in_arrears,
            oldest.strftime("%Y-%m") if oldest else None,
        )
        assert got == (
            want["arrears"],
            want["months_in_arrears"],
            want["oldest_unpaid_period"],
        ), unit
        assert abs(balance.interest - want["interest"]) <= len(dues[unit]), unit
        total_arrears += balance.arrears
        total_interest += balance.interest
        in_arrears += balance.arrears > 0
        # The statement agrees with the balance for real ledgers too.
        lines = statement(dues[unit], payments[unit], on)
        assert sum(ln.interest for ln in lines) == balance.interest, unit
        assert max(lines[-1].carried_forward, 0) == balance.arrears, unit

    totals = expected["totals"]
    assert total_arrears == totals["arrears"]
    assert in_arrears == totals["employers_in_arrears"]
    assert abs(total_interest - totals["interest"]) <= sum(len(d) for d in dues.values())


# --------------------------------------------------------------------------------------------
# Properties

FIRST_DAY, LAST_DAY = date(2025, 1, 1), date(2027, 12, 31)
days = st.dates(min_value=FIRST_DAY, max_value=LAST_DAY)
amounts = st.integers(min_value=0, max_value=10**9)
methods = st.sampled_from(list(PaymentMethod))
rate_tables = st.sampled_from([DEFAULT_RATES, TWO_RATES])
# Fast and self-contained: no example database written into the work tree.
PROPERTY = settings(max_examples=200, deadline=None, database=None)


@st.composite
def ledgers(draw: st.DrawFn) -> tuple[list[Due], list[Paid]]:
    """1-20 consecutive periods from 2025-01..2026-12 for one payment method, 0-30 payments."""
    method = draw(methods)
    start = draw(st.integers(min_value=0, max_value=23))
    count = draw(st.integers(min_value=1, max_value=20))
    dues = []
    for k in range(start, start + count):
        period = date(2025 + k // 12, k % 12 + 1, 1)
        dues.append(Due(period, draw(amounts), due_date(period, method)))
    pays = draw(st.lists(st.builds(Paid, days, amounts), max_size=30))
    return draw(st.permutations(dues)), pays


def _naive_interest(dues: list[Due], pays: list[Paid], on: date, rates: tuple[Rate, ...]) -> int:
    """Day-by-day reference for rule 5, slow but obvious."""

    def rate(day: date) -> Decimal:
        live = [r for r in rates if r.valid_from <= day]
        return max(live, key=lambda r: r.valid_from).daily_rate if live else Decimal(0)

    total = 0
    for s in allocate(dues, [p for p in pays if p.paid_on <= on]):
        exact = Decimal(0)
        day = s.due.due_on + ONE_DAY
        while day <= on:
            # Still owed on this day: unpaid on ``on`` plus parts paid on this day or later.
            owed = s.unpaid + sum(p.amount for p in s.parts if p.paid_on >= day)
            if not owed:
                break
            exact += owed * rate(day)
            day += ONE_DAY
        total += round_half_up(exact)
    return total


@PROPERTY
@given(ledgers())
def test_allocation_conserves_money(ledger: tuple[list[Due], list[Paid]]) -> None:
    dues, pays = ledger
    settlements = allocate(dues, pays)
    parts = sum(p.amount for s in settlements for p in s.parts)
    assert parts + credit(dues, pays) == sum(p.amount for p in pays)
    assert parts + sum(s.unpaid for s in settlements) == sum(d.amount for d in dues)
    for s in settlements:
        assert 0 <= s.unpaid <= s.due.amount
        assert sum(p.amount for p in s.parts) + s.unpaid == s.due.amount


@PROPERTY
@given(ledgers(), days)
def test_allocation_matches_cumulative_formula(
    ledger: tuple[list[Due], list[Paid]], t: date
) -> None:
    # The SQL side's formula: settled by t = clamp(P(t) - C_{i-1}, 0, amount_i).
    dues, pays = ledger
    paid_by_t = sum(p.amount for p in pays if p.paid_on <= t)
    before = 0
    for s in allocate(dues, pays):
        settled = sum(p.amount for p in s.parts if p.paid_on <= t)
        assert settled == min(max(paid_by_t - before, 0), s.due.amount)
        before += s.due.amount


@PROPERTY
@given(ledgers(), days)
def test_arrears_bounded(ledger: tuple[list[Due], list[Paid]], on: date) -> None:
    dues, pays = ledger
    balance = balance_on(dues, pays, on)
    past_due = [d for d in dues if d.due_on < on]
    assert 0 <= balance.arrears <= sum(d.amount for d in past_due)
    assert 0 <= balance.months_in_arrears <= len(past_due)
    assert (balance.arrears == 0) == (balance.months_in_arrears == 0)
    assert balance.bucket is aging_bucket(balance.months_in_arrears)
    if balance.oldest_unpaid_period is not None:
        assert balance.oldest_unpaid_period in {d.period for d in past_due}


@PROPERTY
@given(ledgers(), days, days, rate_tables)
def test_interest_never_decreases(
    ledger: tuple[list[Due], list[Paid]], a: date, b: date, rates: tuple[Rate, ...]
) -> None:
    dues, pays = ledger
    early, late = min(a, b), max(a, b)
    assert 0 <= interest_on(dues, pays, early, rates) <= interest_on(dues, pays, late, rates)


@settings(PROPERTY, max_examples=100)
@given(ledgers(), days, rate_tables)
def test_interest_matches_day_by_day(
    ledger: tuple[list[Due], list[Paid]], on: date, rates: tuple[Rate, ...]
) -> None:
    dues, pays = ledger
    assert interest_on(dues, pays, on, rates) == _naive_interest(dues, pays, on, rates)


@PROPERTY
@given(st.integers(min_value=0, max_value=35), methods, amounts, days)
def test_payment_on_due_date_is_free(k: int, method: PaymentMethod, amount: int, on: date) -> None:
    period = date(2025 + k // 12, k % 12 + 1, 1)
    due = Due(period, amount, due_date(period, method))
    assert interest_on([due], [Paid(due.due_on, amount)], on) == 0


@PROPERTY
@given(amounts, amounts, st.integers(min_value=1, max_value=10**9), days)
def test_credit_reduces_next_period(first: int, second: int, extra: int, paid_on: date) -> None:
    dues = [monthly(2025, 7, first), monthly(2025, 8, second)]
    _, nxt = allocate(dues, [Paid(paid_on, first + extra)])
    assert nxt.unpaid == max(0, second - extra)


@PROPERTY
@given(ledgers(), days, rate_tables)
def test_statement_chains_and_agrees(
    ledger: tuple[list[Due], list[Paid]], on: date, rates: tuple[Rate, ...]
) -> None:
    dues, pays = ledger
    lines = statement(dues, pays, on, rates)
    if not lines:
        return
    assert lines[0].brought_forward == 0
    for ln in lines:
        assert ln.carried_forward == ln.brought_forward + ln.due - ln.paid
        assert ln.interest >= 0
    for prev, nxt in pairwise(lines):
        assert prev.carried_forward == nxt.brought_forward
    assert lines[-1].month == date(on.year, on.month, 1)
    balance = balance_on(dues, pays, on, rates)
    assert sum(ln.interest for ln in lines) == balance.interest
    assert sum(ln.due for ln in lines) == sum(d.amount for d in dues if d.due_on < on)
    assert sum(ln.paid for ln in lines) == sum(p.amount for p in pays if p.paid_on <= on)
    # One payment method: due dates follow period order, so net balance = arrears - advance.
    assert max(lines[-1].carried_forward, 0) == balance.arrears


def test_worked_example_of_docs_rules() -> None:
    """The worked example of docs/rules.md, rule 5: two months, one payment in between."""
    august, september = date(2025, 8, 1), date(2025, 9, 1)
    dues = [
        Due(period=august, amount=10_000_000, due_on=due_date(august, PaymentMethod.MONTHLY)),
        Due(period=september, amount=10_000_000, due_on=due_date(september, "monthly")),
    ]
    payments = [Paid(paid_on=date(2025, 10, 15), amount=12_000_000)]

    balance = balance_on(dues, payments, date(2025, 11, 30), DEFAULT_RATES)

    assert [due.due_on for due in dues] == [date(2025, 9, 30), date(2025, 10, 31)]
    assert balance.arrears == 8_000_000
    assert balance.months_in_arrears == 1
    assert balance.oldest_unpaid_period == september
    assert balance.interest == 45_000 + 72_000  # 15 days on 10 million, 30 days on 8 million
    assert balance.bucket == Bucket.UNDER_3
