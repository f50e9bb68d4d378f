"""Payment statement imports, and the import commands."""

from datetime import date

import pytest
from django.core.management import call_command
from django.db import connections

from arrears.imports.payments import import_payments
from arrears.models import Contribution, Payment
from tests.arrears.imports.conftest import CONTRIBUTIONS, PAYMENTS, contribution, refused, xmins
from tests.statements import run_manage, statement

pytestmark = pytest.mark.django_db


# --- payments --------------------------------------------------------------------------------


def test_payments_created_then_unchanged(units, refreshes):  # type: ignore[no-untyped-def]
    lines = [PAYMENTS, "M1,2025-09-15,45760000,UNC001", "Q1,2025-10-29,1000,UNC002"]
    result = import_payments(statement(*lines))
    assert (result.created, result.updated, result.unchanged) == (2, 0, 0)
    payment = Payment.objects.get(reference="UNC001")
    assert (payment.employer.unit_code, payment.paid_on, payment.amount) == (
        "M1",
        date(2025, 9, 15),
        45760000,
    )
    before = xmins("arrears_payment")
    again = import_payments(statement(*lines, "M1,2025-11-02,5,UNC003"))
    assert (again.created, again.updated, again.unchanged) == (1, 0, 2)
    assert xmins("arrears_payment")[:2] == before
    assert len(refreshes) == 2


def test_same_reference_with_other_content_is_a_conflict(units):  # type: ignore[no-untyped-def]
    import_payments(statement(PAYMENTS, "M1,2025-09-15,45760000,UNC001"))
    errors = refused(
        import_payments,
        statement(PAYMENTS, "M1,2025-09-16,10,UNC009", "M1,2025-09-15,45760001,UNC001"),
    )
    assert errors == [
        (
            3,
            "reference",
            "Số chứng từ «UNC001» đã được ghi nhận với nội dung khác (đơn vị, ngày nộp, số tiền "
            "hoặc nội dung nộp); không ghi đè khoản nộp đã có.",
        )
    ]
    assert Payment.objects.get().amount == 45760000
    assert Payment.objects.count() == 1


def test_payments_for_interest_pay_interest_only(units, refreshes):  # type: ignore[no-untyped-def]
    """Rule 12: the optional ``purpose`` column; empty is contributions."""
    header = PAYMENTS + ",purpose"
    lines = [header, "M1,2025-09-15,1000,UNC001,", "M1,2025-09-16,300,UNC002,interest"]
    import_payments(statement(*lines))
    got = Payment.objects.order_by("reference").values_list(
        "reference", "purpose", "interest_part", "to_contributions"
    )
    assert list(got) == [
        ("UNC001", "contributions", 0, 1000),
        ("UNC002", "interest", 300, 0),
    ]
    # The same reference for the other purpose is a conflict, named.
    errors = refused(import_payments, statement(header, "M1,2025-09-16,300,UNC002,contributions"))
    assert [(line, column) for line, column, _m in errors] == [(2, "reference")]
    errors = refused(import_payments, statement(header, "M1,2025-09-17,5,UNC003,lai"))
    assert errors == [
        (
            2,
            "purpose",
            "Nội dung nộp «lai» không hợp lệ; chỉ nhận: contributions, interest.",
        )
    ]


@pytest.mark.parametrize(
    ("line", "column", "reason"),
    [
        ("M1,2025-09-15,10,UNC001", "reference", "Số chứng từ «UNC001» trùng với dòng 2 của tệp."),
        ("M1,2025-02-30,10,UNC002", "paid_on", "Ngày nộp «2025-02-30» không hợp lệ"),
        ("M1,31/09/2025,10,UNC002", "paid_on", "Ngày nộp «31/09/2025» không hợp lệ"),
        ("M1,,10,UNC002", "paid_on", "Thiếu ngày nộp."),
        ("M1,2025-09-15,0,UNC002", "amount", "Số tiền phải lớn hơn 0."),
        ("M1,2025-09-15,1000.5,UNC002", "amount", "Số tiền «1000.5» không phải số đồng nguyên"),
        ('M1,2025-09-15,"1,5",UNC002', "amount", "Số tiền «1,5» không phải số đồng nguyên"),
        ("M1,2025-09-15,-10,UNC002", "amount", "Số tiền không được âm"),
        ("M1,2025-09-15,10,", "reference", "Thiếu số chứng từ."),
        ("M1,2025-09-15,10," + "R" * 65, "reference", "Số chứng từ dài quá 64 ký tự."),
        ("NOPE,2025-09-15,10,UNC002", "unit_code", "Mã đơn vị «NOPE» chưa có"),
    ],
)
def test_bad_payment_row_refuses_the_file(line, column, reason, units, refreshes):  # type: ignore[no-untyped-def]
    [(row, where, message)] = refused(
        import_payments, statement(PAYMENTS, "M1,2025-09-15,10,UNC001", line)
    )
    assert (row, where) == (3, column)
    assert message.startswith(reason), message
    assert not Payment.objects.exists()
    assert not refreshes


def test_officer_imports_payments_of_own_offices_only(units, officer_a, police):  # type: ignore[no-untyped-def]
    file = statement(PAYMENTS, "M1,2025-09-15,10,UNC001", "B1,2025-09-15,10,UNC002")
    assert refused(import_payments, file, user=officer_a) == [
        (3, "unit_code", "Đơn vị «B1» không thuộc địa bàn bạn phụ trách.")
    ]
    assert len(refused(import_payments, file, user=police)) == 2
    assert not Payment.objects.exists()


def test_commands_print_counts_and_exit_non_zero_on_refusal(  # type: ignore[no-untyped-def]
    units, tmp_path, capsys, monkeypatch
):
    monkeypatch.setattr(connections, "close_all", lambda: None)  # keep the test's transaction
    good = tmp_path / "payments.csv"
    good.write_text(f"{PAYMENTS}\nM1,2025-09-15,10,UNC001\n", encoding="utf-8")
    call_command("import_payments", str(good))
    assert "1 dòng: 1 thêm mới, 0 cập nhật, 0 không đổi." in capsys.readouterr().out
    bad = tmp_path / "contributions.csv"
    bad.write_text(f"{CONTRIBUTIONS}\n{contribution('M1', '2025-13')}\n", encoding="utf-8")
    assert run_manage("import_contributions", str(bad)) == 1
    assert "Dòng 2, cột period: Kỳ đóng «2025-13» không hợp lệ" in capsys.readouterr().err
    assert run_manage("import_payments", str(tmp_path / "missing.csv")) == 1
    assert not Contribution.objects.exists()
    assert Payment.objects.count() == 1
