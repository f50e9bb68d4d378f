"""The law on a case (arrears/law.py): worked examples with exact figures, and properties."""

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from arrears.law import (
    CriminalThresholds,
    FineRange,
    InstalmentStatus,
    Step,
    Violation,
    check_instalments,
    evasion_periods,
    fine_range,
    meets_criminal_criteria,
    recommended_step,
    referral_recovered,
)
from arrears.ledger import Due, Paid


def test_ladder_by_months_in_arrears():
    assert [recommended_step(m) for m in range(9)] == [
        Step.NONE,
        Step.REMINDER,
        Step.URGENT_NOTICE,
        Step.INSPECTION,
        Step.INSPECTION,
        Step.INSPECTION,
        Step.INSPECTION,
        Step.ENFORCEMENT,
        Step.ENFORCEMENT,
    ]


def test_late_payment_fine_is_12_to_15_percent():
    # 100,000,000 payable: 12 % = 12,000,000, 15 % = 15,000,000.
    assert fine_range(100_000_000, Violation.LATE) == FineRange(12_000_000, 15_000_000)


def test_none_paid_fine_is_18_to_20_percent_capped():
    # 300,000,000 payable: 18 % = 54,000,000; 20 % = 60,000,000.
    assert fine_range(300_000_000, Violation.NONE_PAID) == FineRange(54_000_000, 60_000_000)
    # 1,000,000,000 payable: 180 and 200 million, both capped at 75 million.
    assert fine_range(1_000_000_000, Violation.NONE_PAID) == FineRange(75_000_000, 75_000_000)


def test_evasion_fine_is_fixed_range():
    assert fine_range(1, Violation.EVASION) == FineRange(50_000_000, 75_000_000)


def test_fine_rounds_half_up():
    # 12 % of 12,345,679 = 1,481,481.48 -> 1,481,481; 15 % = 1,851,851.85 -> 1,851,852.
    assert fine_range(12_345_679, Violation.LATE) == FineRange(1_481_481, 1_851_852)


def test_criminal_criteria_need_all_three():
    base = {"months_in_arrears": 6, "sanctioned": True, "arrears": 50_000_000, "workers": 1}
    assert meets_criminal_criteria(**base)
    assert not meets_criminal_criteria(**{**base, "months_in_arrears": 5})
    assert not meets_criminal_criteria(**{**base, "sanctioned": False})
    assert not meets_criminal_criteria(**{**base, "arrears": 49_999_999})
    assert meets_criminal_criteria(**{**base, "arrears": 0, "workers": 10})


def test_criminal_thresholds_are_settings():
    doubled = CriminalThresholds(months=6, arrears=100_000_000, workers=20)
    args = {"months_in_arrears": 7, "sanctioned": True, "arrears": 60_000_000, "workers": 12}
    assert meets_criminal_criteria(**args)
    assert not meets_criminal_criteria(**args, thresholds=doubled)


JULY = Due(date(2025, 7, 1), 1_000_000, date(2025, 8, 31))
AUGUST = Due(date(2025, 8, 1), 1_000_000, date(2025, 9, 30))


def test_evasion_needs_61_days_and_a_reminder_after_the_deadline():
    reminded = [date(2025, 9, 8)]
    # 2025-10-30 is 60 days after 2025-08-31: still late payment.
    assert evasion_periods([JULY], [], date(2025, 10, 30), reminded_on=reminded) == []
    # 61 days: evasion.
    assert evasion_periods([JULY], [], date(2025, 10, 31), reminded_on=reminded) == [JULY.period]
    # No reminder after the deadline: not evasion.
    early = [date(2025, 8, 20)]
    assert evasion_periods([JULY], [], date(2025, 12, 1), reminded_on=early) == []


def test_evasion_counts_only_unpaid_and_not_excused():
    reminded = [date(2025, 10, 6)]
    on = date(2026, 1, 15)
    # July is paid by a payment allocated oldest first; August stays unpaid and is evasion.
    paid = [Paid(date(2025, 11, 1), 1_000_000)]
    assert evasion_periods([JULY, AUGUST], paid, on, reminded_on=reminded) == [AUGUST.period]
    excused = [(date(2025, 8, 1), date(2025, 8, 1))]
    assert evasion_periods([JULY, AUGUST], paid, on, reminded_on=reminded, excused=excused) == []


def test_referral_recovered_is_capped_by_arrears_at_referral():
    sent = date(2026, 3, 6)
    payments = [
        Paid(date(2026, 3, 6), 500),  # on the referral date: before it, not recovered
        Paid(date(2026, 4, 1), 300),
        Paid(date(2026, 12, 1), 900),  # after the report date
    ]
    assert referral_recovered(1000, payments, sent, date(2026, 11, 16)) == 300
    assert referral_recovered(200, payments, sent, date(2026, 11, 16)) == 200


def test_instalments_kept_broken_and_pending():
    plan = [
        (date(2026, 1, 31), 10_000_000),
        (date(2026, 2, 28), 10_000_000),
        (date(2026, 3, 31), 10_000_000),
    ]
    payments = [Paid(date(2026, 1, 20), 10_000_000), Paid(date(2026, 3, 5), 4_000_000)]
    checks = check_instalments(plan, payments, signed_on=date(2026, 1, 10), on=date(2026, 3, 10))
    assert [c.status for c in checks] == [
        InstalmentStatus.KEPT,
        InstalmentStatus.BROKEN,  # nothing more by 28/02
        InstalmentStatus.PENDING,  # due 31/03, after the check date
    ]
    assert [c.paid_towards for c in checks] == [10_000_000, 0, 0]


def test_a_large_early_payment_keeps_later_instalments():
    plan = [(date(2026, 1, 31), 5), (date(2026, 2, 28), 5)]
    checks = check_instalments(
        plan, [Paid(date(2026, 1, 15), 10)], signed_on=date(2026, 1, 1), on=date(2026, 3, 1)
    )
    assert [c.status for c in checks] == [InstalmentStatus.KEPT, InstalmentStatus.KEPT]


def test_payments_before_signing_do_not_count():
    checks = check_instalments(
        [(date(2026, 1, 31), 5)],
        [Paid(date(2025, 12, 31), 5)],
        signed_on=date(2026, 1, 1),
        on=date(2026, 2, 1),
    )
    assert checks[0].status is InstalmentStatus.BROKEN


@given(
    arrears=st.integers(0, 10**10),
    amounts=st.lists(st.integers(1, 10**9), max_size=10),
    offsets=st.lists(st.integers(-30, 300), max_size=10),
)
def test_recovered_never_exceeds_arrears_or_payments(arrears, amounts, offsets):
    sent = date(2026, 1, 1)
    payments = [Paid(sent + timedelta(days=o), a) for a, o in zip(amounts, offsets, strict=False)]
    recovered = referral_recovered(arrears, payments, sent, date(2026, 12, 31))
    assert 0 <= recovered <= arrears
    assert recovered <= sum(p.amount for p in payments)


@given(
    amounts=st.lists(st.integers(1, 10**8), min_size=1, max_size=6),
    paid=st.lists(st.tuples(st.integers(0, 200), st.integers(1, 10**8)), max_size=8),
    check_day=st.integers(0, 250),
)
def test_more_payment_never_breaks_a_kept_instalment(amounts, paid, check_day):
    start = date(2026, 1, 1)
    plan = [(start + timedelta(days=30 * (i + 1)), a) for i, a in enumerate(amounts)]
    payments = [Paid(start + timedelta(days=d), a) for d, a in paid]
    on = start + timedelta(days=check_day)
    before = check_instalments(plan, payments, signed_on=start, on=on)
    after = check_instalments(plan, [*payments, Paid(start, 10**6)], signed_on=start, on=on)
    for b, a in zip(before, after, strict=True):
        if b.status is InstalmentStatus.KEPT:
            assert a.status is InstalmentStatus.KEPT
