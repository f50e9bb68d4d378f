"""Rule 12 in arrears.ledger: interest owed, and how payments are split between contributions
and interest under either of the office's settings. No database."""

from __future__ import annotations

from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from arrears.ledger import (
    Due,
    InterestOwed,
    InterestSplit,
    Paid,
    Receipt,
    Split,
    balance_on,
    contribution_payments,
    interest_owed,
    split_receipts,
)
from tests.arrears.test_ledger import PROPERTY, days, ledgers, monthly, rate_tables

FIRST = InterestSplit.CONTRIBUTIONS_FIRST
INTEREST_FIRST = InterestSplit.INTEREST_FIRST
# The worked example of rule 5: 10,000,000 for 2025-08 (due 30/09) and for 2025-09 (due
# 31/10), 12,000,000 paid on 15/10/2025, seen on 30/11/2025.
DUES = [monthly(2025, 8, 10_000_000), monthly(2025, 9, 10_000_000)]
PAID = Receipt(date(2025, 10, 15), 12_000_000)
ON = date(2025, 11, 30)


def arrears(dues: list[Due], receipts: list[Receipt], split: InterestSplit, on: date) -> int:
    splits = split_receipts(dues, receipts, (), split)
    return balance_on(dues, contribution_payments(receipts, splits), on).arrears


def test_contributions_first_is_the_worked_example() -> None:
    assert split_receipts(DUES, [PAID]) == [Split(0, 0)]
    assert interest_owed(DUES, [PAID], [], ON) == InterestOwed(117_000, 0, 117_000, 0)
    assert arrears(DUES, [PAID], FIRST, ON) == 8_000_000


def test_interest_first_pays_the_interest_outstanding_on_the_day() -> None:
    # On 15/10 the 2025-08 contribution has accrued 10,000,000 x 0.03 % x 15 days = 45,000:
    # that is paid first, and 11,955,000 settles contributions; 8,045,000 of 2025-09 stays
    # unpaid and accrues 8,045,000 x 0.03 % x 30 = 72,405 to 30/11.
    assert split_receipts(DUES, [PAID], split=INTEREST_FIRST) == [Split(45_000, 0)]
    owed = interest_owed(DUES, [PAID], [], ON, INTEREST_FIRST)
    assert owed == InterestOwed(charged=117_405, paid=45_000, outstanding=72_405, credit=0)
    assert arrears(DUES, [PAID], INTEREST_FIRST, ON) == 8_045_000


def test_a_payment_for_interest_pays_interest_only() -> None:
    receipts = [PAID, Receipt(date(2025, 11, 20), 50_000, for_interest=True)]
    assert interest_owed(DUES, receipts, [], ON) == InterestOwed(117_000, 50_000, 67_000, 0)
    assert arrears(DUES, receipts, FIRST, ON) == 8_000_000  # as without it
    # Before it was paid it changes nothing.
    assert interest_owed(DUES, receipts, [], date(2025, 11, 19)).paid == 0


def test_interest_money_beyond_what_is_charged_is_kept_for_later_interest() -> None:
    receipts = [PAID, Receipt(date(2025, 11, 1), 100_000, for_interest=True)]
    # By 1/11: 45,000 for 2025-08 and 8,000,000 x 0.03 % x 1 = 2,400 for 2025-09.
    assert interest_owed(DUES, receipts, [], date(2025, 11, 1)) == InterestOwed(
        47_400, 47_400, 0, 52_600
    )
    assert interest_owed(DUES, receipts, [], ON) == InterestOwed(117_000, 100_000, 17_000, 0)


def test_an_officer_moves_credit_to_interest() -> None:
    # 10,000,000 paid 10 days late with 40,000 more: 30,000 of interest and a credit of
    # 40,000, which an officer moves to interest on 01/11/2025.
    dues = [monthly(2025, 8, 10_000_000)]
    receipts = [Receipt(date(2025, 10, 10), 10_040_000)]
    moves = [Paid(date(2025, 11, 1), 40_000)]
    assert split_receipts(dues, receipts, moves) == [Split(0, 40_000)]
    assert interest_owed(dues, receipts, moves, date(2025, 10, 31)) == InterestOwed(
        30_000, 0, 30_000, 0
    )
    assert interest_owed(dues, receipts, moves, ON) == InterestOwed(30_000, 30_000, 0, 10_000)
    for on in (date(2025, 10, 31), ON):  # the contributions are as they were
        splits = split_receipts(dues, receipts, moves)
        assert balance_on(dues, contribution_payments(receipts, splits), on) == balance_on(
            dues, [Paid(date(2025, 10, 10), 10_040_000)], on
        )


def test_a_move_takes_only_what_the_payments_hold() -> None:
    receipts = [Receipt(date(2025, 10, 1), 300), Receipt(date(2025, 10, 5), 200)]
    assert split_receipts([], receipts, [Paid(date(2025, 10, 3), 1_000)]) == [
        Split(0, 300),
        Split(0, 0),
    ]
    assert split_receipts([], receipts, [Paid(date(2025, 10, 5), 400)]) == [
        Split(0, 200),
        Split(0, 200),
    ]


# --------------------------------------------------------------------------------------------
# Properties

flags = st.booleans()
splits = st.sampled_from(list(InterestSplit))


@st.composite
def accounts(draw: st.DrawFn) -> tuple[list[Due], list[Receipt]]:
    """A ledger of ``test_ledger.ledgers`` whose payments may be for interest."""
    dues, pays = draw(ledgers())
    return dues, [Receipt(p.paid_on, p.amount, draw(flags)) for p in pays]


@PROPERTY
@given(accounts(), days, rate_tables)
def test_contributions_first_leaves_rules_2_to_5_as_they_were(account, on, rates) -> None:
    dues, receipts = account
    splits_ = split_receipts(dues, receipts, (), FIRST, rates)
    assert splits_ == [Split(r.amount if r.for_interest else 0, 0) for r in receipts]
    today = [Paid(r.paid_on, r.amount) for r in receipts if not r.for_interest]
    assert balance_on(dues, contribution_payments(receipts, splits_), on, rates) == balance_on(
        dues, today, on, rates
    )


@PROPERTY
@given(accounts(), days, rate_tables)
def test_interest_first_never_lowers_arrears(account, on, rates) -> None:
    dues, receipts = account
    figures = {
        split: balance_on(
            dues,
            contribution_payments(receipts, split_receipts(dues, receipts, (), split, rates)),
            on,
            rates,
        )
        for split in InterestSplit
    }
    assert figures[INTEREST_FIRST].arrears >= figures[FIRST].arrears


@PROPERTY
@given(
    accounts(),
    days,
    rate_tables,
    splits,
    st.lists(st.builds(Paid, days, st.integers(0, 10**9)), max_size=3),
)
def test_paid_and_outstanding_make_up_what_is_charged(account, on, rates, split, moves) -> None:
    dues, receipts = account
    owed = interest_owed(dues, receipts, moves, on, split, rates)
    assert owed.paid + owed.outstanding == owed.charged
    assert min(owed.paid, owed.outstanding, owed.credit) >= 0
    assert owed.credit == 0 or owed.outstanding == 0  # money left only once all is paid
    for r, s in zip(receipts, split_receipts(dues, receipts, moves, split, rates), strict=True):
        assert 0 <= s.interest + s.moved <= r.amount


@PROPERTY
@given(accounts(), days, rate_tables)
def test_interest_first_pays_no_more_than_is_charged(account, on, rates) -> None:
    dues, receipts = account
    plain = [Receipt(r.paid_on, r.amount) for r in receipts]
    assert interest_owed(dues, plain, [], on, INTEREST_FIRST, rates).credit == 0
