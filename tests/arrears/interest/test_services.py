"""Rule 12 in the database: the payments' split kept by ``resplit`` under both settings, the
set-based balances held to the ledger, and an officer moving credit to interest."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection

from arrears.balances import balances_as_of, refresh_balances
from arrears.imports.payments import import_payments
from arrears.interest.services import InterestError, move_credit, resplit
from arrears.ledger import InterestOwed, InterestSplit
from arrears.models import Balance, CreditMove, Payment, Policy
from arrears.selectors import employer_statement
from audit.models import AuditEntry
from tests.samples import SAMPLE_DAY, SampleProvince
from tests.statements import statement

pytestmark = pytest.mark.django_db


def _set_split(split: InterestSplit) -> None:
    policy = Policy.current()
    policy.interest_split = split
    policy.save()


def _agree_with_the_ledger(sample_province: SampleProvince) -> dict[str, tuple[int, ...]]:
    """Every employer's figures from the set-based query, checked against its statement."""
    figures = {}
    for row in balances_as_of(SAMPLE_DAY):
        statement = employer_statement(sample_province.employers[row.unit_code], SAMPLE_DAY)
        balance, owed = statement.balance, statement.interest_owed
        got = (row.arrears, row.months_in_arrears, row.interest, row.interest_outstanding)
        assert got == (
            balance.arrears,
            balance.months_in_arrears,
            balance.interest,
            owed.outstanding,
        ), row.unit_code
        assert owed.charged == balance.interest
        figures[row.unit_code] = got
    return figures


def test_contributions_first_changes_no_figure(sample_province: SampleProvince) -> None:
    assert resplit() == 0
    expected = sample_province.expected["employers"]
    figures = _agree_with_the_ledger(sample_province)
    for unit, (arrears, months, interest, outstanding) in figures.items():
        assert (arrears, months) == (expected[unit]["arrears"], expected[unit]["months_in_arrears"])
        assert outstanding == interest  # nothing paid for interest in the samples
    assert sum(f[0] for f in figures.values()) == sample_province.expected["totals"]["arrears"]


def test_interest_first_pays_interest_before_contributions(sample_province: SampleProvince) -> None:
    before = {row.unit_code: row for row in balances_as_of(SAMPLE_DAY)}
    _set_split(InterestSplit.INTEREST_FIRST)
    changed = resplit()
    assert changed > 0
    figures = _agree_with_the_ledger(sample_province)
    for unit, (arrears, _months, interest, outstanding) in figures.items():
        assert arrears >= before[unit].arrears, unit
        assert outstanding <= interest
    # HB00009E paid everything late and owes nothing under contributions first; paying the
    # interest first leaves part of a contribution unpaid instead.
    assert before["HB00009E"].arrears == 0
    assert figures["HB00009E"][0] > 0
    # Stored and refreshed: the Balance table holds the same figures.
    refresh_balances(SAMPLE_DAY)
    stored = Balance.objects.get(employer__unit_code="HB00009E")
    assert (stored.arrears, stored.interest_outstanding) == (
        figures["HB00009E"][0],
        figures["HB00009E"][3],
    )
    # Back to contributions first: the samples' figures again, nothing left over.
    _set_split(InterestSplit.CONTRIBUTIONS_FIRST)
    assert resplit() == changed
    assert not Payment.objects.exclude(interest_part=0).exists()
    assert [r.arrears for r in balances_as_of(SAMPLE_DAY)] == [r.arrears for r in before.values()]


def test_changing_the_setting_queues_the_resplit(db, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    queued: list[str] = []
    monkeypatch.setattr(
        "arrears.interest.services.queue.send_on_commit", lambda name: queued.append(name)
    )
    Policy.current().save()  # unchanged: nothing to do
    _set_split(InterestSplit.INTEREST_FIRST)
    assert queued == ["arrears.tasks.resplit_payments_task"]


def test_an_officer_moves_credit_to_interest(paid_ahead, officer_a) -> None:  # type: ignore[no-untyped-def]
    on = date(2025, 10, 1)
    assert employer_statement(paid_ahead, on).interest_owed == InterestOwed(3_000, 0, 3_000, 0)
    move_credit(employer=paid_ahead, on=on, amount=3_000, note="theo đề nghị", by=officer_a)
    payment = Payment.objects.get()
    assert (payment.moved_part, payment.to_contributions) == (3_000, 1_097_000)
    statement = employer_statement(paid_ahead, on)
    assert statement.interest_owed == InterestOwed(3_000, 3_000, 0, 0)
    assert (statement.balance.arrears, statement.credit) == (0, 97_000)
    (row,) = balances_as_of(on)
    assert (row.arrears, row.interest, row.interest_outstanding) == (0, 3_000, 0)
    # The day before the move the interest was still owed.
    assert employer_statement(paid_ahead, date(2025, 9, 30)).interest_owed.outstanding == 3_000
    (before,) = balances_as_of(date(2025, 9, 30))
    assert before.interest_outstanding == 3_000
    entry = AuditEntry.objects.get(action=AuditEntry.Action.CREDIT_TO_INTEREST)
    assert (entry.user, entry.target_label) == (officer_a, str(paid_ahead))
    assert "3.000" in entry.detail and "01/10/2025" in entry.detail


@pytest.mark.parametrize(
    ("on", "amount", "message"),
    [
        (date(2025, 10, 1), 100_001, "Số nộp thừa ngày 01/10/2025 chỉ còn 100.000"),
        (date(2025, 9, 9), 1, "Số nộp thừa ngày 09/09/2025 chỉ còn 0"),
        (date(2025, 10, 1), 0, "Số tiền chuyển phải lớn hơn 0."),
        (date(2999, 1, 1), 1, "Ngày chuyển không được sau hôm nay."),
    ],
)
def test_a_move_beyond_the_credit_is_refused(paid_ahead, officer_a, on, amount, message) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(InterestError) as refused:
        move_credit(employer=paid_ahead, on=on, amount=amount, note="", by=officer_a)
    assert message in str(refused.value)
    assert not CreditMove.objects.exists()
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.CREDIT_TO_INTEREST).exists()


def test_moves_go_in_date_order(paid_ahead, officer_a) -> None:  # type: ignore[no-untyped-def]
    move_credit(employer=paid_ahead, on=date(2025, 10, 1), amount=1_000, note="", by=officer_a)
    with pytest.raises(InterestError, match="không được trước ngày đó"):
        move_credit(employer=paid_ahead, on=date(2025, 9, 20), amount=1, note="", by=officer_a)
    move_credit(employer=paid_ahead, on=date(2025, 10, 1), amount=99_000, note="", by=officer_a)
    assert Payment.objects.get().moved_part == 100_000
    with connection.cursor() as cursor:  # and the whole credit is gone
        cursor.execute("SELECT to_contributions FROM arrears_payment")
        assert cursor.fetchone() == (1_000_000,)


def test_an_imported_payment_takes_a_move_from_an_earlier_one(paid_ahead, officer_a) -> None:  # type: ignore[no-untyped-def]
    """Under contributions first a new payment is written split by its purpose, and the
    employers with credit moves are split again by the ledger: the move now takes from the
    new payment, the latest on or before its day."""
    move_credit(employer=paid_ahead, on=date(2025, 10, 1), amount=3_000, note="", by=officer_a)
    import_payments(
        statement(
            "unit_code,paid_on,amount,reference,purpose",
            "TN0001,2025-09-20,50000,UNC-NEW,",
            "TN0001,2025-09-21,700,UNC-INT,interest",
        )
    )
    got = Payment.objects.order_by("paid_on").values_list(
        "paid_on", "interest_part", "moved_part", "to_contributions"
    )
    assert list(got) == [
        (date(2025, 9, 10), 0, 0, 1_100_000),
        (date(2025, 9, 20), 0, 3_000, 47_000),
        (date(2025, 9, 21), 700, 0, 0),
    ]
    assert resplit() == 0  # what the whole ledger gives
