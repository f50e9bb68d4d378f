"""Contribution statement imports, the due-date SQL, re-dating on a payment method change,
first loads, and the sample province (all three statement files)."""

import csv
import io
from datetime import date

import pytest
from django.db import connection

from arrears import ledger
from arrears.balances import balances_as_of
from arrears.imports.contributions import due_on_sql, import_contributions
from arrears.imports.payments import import_payments
from arrears.models import Contribution, Payment
from participants.imports.employers import import_employers
from participants.models import Employer
from tests.arrears.imports.conftest import CONTRIBUTIONS, PAYMENTS, contribution, refused, xmins
from tests.participants.imports.test_employers import HEADER as EMPLOYERS_HEADER
from tests.participants.imports.test_employers import employer_line
from tests.samples import SAMPLES
from tests.statements import check_passes, statement, xlsx

pytestmark = pytest.mark.django_db


# --- due dates -------------------------------------------------------------------------------


def test_due_on_sql_agrees_with_ledger_for_every_month_and_method() -> None:
    periods = [date(year, month, 1) for year in (2024, 2025, 2026) for month in range(1, 13)]
    methods = list(ledger.PaymentMethod)
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            SELECT p::date, m, {due_on_sql("p::date", "m")}
            FROM unnest(%s::date[]) AS p, unnest(%s::text[]) AS m
            """,  # noqa: S608
            [periods, [m.value for m in methods]],
        )
        computed = {(period, method): due for period, method, due in cursor.fetchall()}
    assert len(computed) == 36 * 3
    for (period, method), due in computed.items():
        assert due == ledger.due_date(period, method), (period, method)
    # The boundaries, spelled out.
    assert computed[date(2025, 12, 1), "monthly"] == date(2026, 1, 31)
    assert computed[date(2025, 8, 1), "quarterly"] == date(2025, 10, 31)
    assert computed[date(2025, 12, 1), "quarterly"] == date(2026, 1, 31)
    assert computed[date(2025, 8, 1), "six_monthly"] == date(2026, 1, 31)
    assert computed[date(2024, 1, 1), "monthly"] == date(2024, 2, 29)


# --- contributions ---------------------------------------------------------------------------


def test_contributions_created_with_due_dates_from_the_payment_method(units, refreshes):  # type: ignore[no-untyped-def]
    result = import_contributions(
        statement(
            CONTRIBUTIONS,
            contribution("M1", "2025-12"),
            contribution("Q1", "2025-08"),
            contribution("S1", "2025-08"),
            contribution("M1", "2026-01", si="2600000", employees="11"),
        )
    )
    assert (result.created, result.updated, result.unchanged) == (4, 0, 0)
    due = {(c.employer.unit_code, c.period): c.due_on for c in Contribution.objects.all()}
    assert due == {
        ("M1", date(2025, 12, 1)): date(2026, 1, 31),
        ("Q1", date(2025, 8, 1)): date(2025, 10, 31),
        ("S1", date(2025, 8, 1)): date(2026, 1, 31),
        ("M1", date(2026, 1, 1)): date(2026, 2, 28),
    }
    latest = Contribution.objects.get(employer__unit_code="M1", period=date(2026, 1, 1))
    assert (latest.employees, latest.si, latest.total) == (11, 2600000, 3300000)
    assert len(refreshes) == 1


def test_same_contributions_twice_change_nothing(units, refreshes):  # type: ignore[no-untyped-def]
    lines = [CONTRIBUTIONS, contribution("M1", "2025-12"), contribution("Q1", "2025-08")]
    import_contributions(statement(*lines))
    before = xmins("arrears_contribution")
    again = import_contributions(statement(*lines))
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    assert xmins("arrears_contribution") == before  # not even rewritten with equal values
    assert len(refreshes) == 1  # nothing changed, nothing to refresh


def test_reimport_replaces_the_row_of_that_period(units, refreshes):  # type: ignore[no-untyped-def]
    import_contributions(
        statement(CONTRIBUTIONS, contribution("M1", "2025-12"), contribution("M1", "2026-01"))
    )
    result = import_contributions(
        statement(
            CONTRIBUTIONS, contribution("M1", "2025-12", si="1"), contribution("M1", "2026-01")
        )
    )
    assert (result.created, result.updated, result.unchanged) == (0, 1, 1)
    assert Contribution.objects.get(period=date(2025, 12, 1)).si == 1
    assert Contribution.objects.count() == 2
    assert len(refreshes) == 2


@pytest.mark.parametrize(
    ("line", "column", "reason"),
    [
        (
            "XX9,2025-12,10,1,1,1,1,1",
            "unit_code",
            "Mã đơn vị «XX9» chưa có trong danh sách đơn vị.",
        ),
        (",2025-12,10,1,1,1,1,1", "unit_code", "Thiếu mã đơn vị."),
        ("M1,2025-13,10,1,1,1,1,1", "period", "Kỳ đóng «2025-13» không hợp lệ"),
        ("M1,13/2025,10,1,1,1,1,1", "period", "Kỳ đóng «13/2025» không hợp lệ"),
        ("M1,2025-7,10,1,1,1,1,1", "period", "Kỳ đóng «2025-7» không hợp lệ"),
        ("M1,,10,1,1,1,1,1", "period", "Thiếu kỳ đóng."),
        ("M1,2025-12,10,1000.5,1,1,1,1", "wage_fund", "Quỹ lương «1000.5» không phải số đồng"),
        ('M1,2025-12,10,1,"1,5",1,1,1', "si", "BHXH «1,5» không phải số đồng nguyên"),
        ("M1,2025-12,10,1,1,-5,1,1", "hi", "BHYT không được âm: «-5»."),
        ("M1,2025-12,10,1,1,1,,1", "ui", "Thiếu BHTN."),
        ("M1,2025-12,3.5,1,1,1,1,1", "employees", "Số lao động «3.5» phải là số nguyên không âm"),
        ("M1,2025-12,10,1,1,1,1,1e6", "oaod", "BHTNLĐ-BNN «1e6» không phải số đồng nguyên"),
        (
            "M1,2025-12,10,1,1,1,1,1234567890123456",
            "oaod",
            "BHTNLĐ-BNN «1234567890123456» quá lớn.",
        ),
        ("M1,2025-11,10,1,1,1,1,1", "period", "Kỳ đóng 2025-11 của đơn vị này đã có ở dòng 2"),
        ("B1,2025-12,10,1,1,1,1,1", "unit_code", None),  # allowed: the commands import anything
    ],
)
def test_bad_contribution_row_refuses_the_file(line, column, reason, units, refreshes):  # type: ignore[no-untyped-def]
    file = statement(CONTRIBUTIONS, contribution("M1", "2025-11"), line)
    if reason is None:
        assert import_contributions(file).created == 2
        return
    [(row, where, message)] = refused(import_contributions, file)
    assert (row, where) == (3, column)
    assert message.startswith(reason), message
    assert not Contribution.objects.exists()
    assert not refreshes


def test_short_and_long_rows_are_refused_with_the_value_errors(units):  # type: ignore[no-untyped-def]
    errors = refused(
        import_contributions,
        statement(
            CONTRIBUTIONS,
            "M1,2025-12,10,1,1,1",
            "M1,2026-01,10,1,1,1,1,1,9",
            "M1,2026-02,10,1,1,1,1,1,",  # an empty cell past the end is harmless
            contribution("ZZ", "2026-03"),
        ),
    )
    assert errors == [
        (2, "", "Dòng chỉ có 6 ô, thiếu so với 8 cột của dòng tiêu đề."),
        (3, "", "Có dữ liệu ở cột thứ 9, ngoài 8 cột của dòng tiêu đề."),
        (5, "unit_code", "Mã đơn vị «ZZ» chưa có trong danh sách đơn vị."),
    ]
    assert not Contribution.objects.exists()


def test_officer_imports_contributions_of_own_offices_only(units, officer_a):  # type: ignore[no-untyped-def]
    file = statement(CONTRIBUTIONS, contribution("M1", "2025-12"), contribution("B1", "2025-12"))
    assert refused(import_contributions, file, user=officer_a) == [
        (3, "unit_code", "Đơn vị «B1» không thuộc địa bàn bạn phụ trách.")
    ]
    assert not Contribution.objects.exists()
    ok = statement(CONTRIBUTIONS, contribution("M1", "2025-12"))
    assert import_contributions(ok, user=officer_a).created == 1


def test_contributions_xlsx_with_dates_and_numbers(units):  # type: ignore[no-untyped-def]
    result = import_contributions(
        xlsx(
            [
                CONTRIBUTIONS.split(","),
                ["M1", date(2025, 12, 1), 10, 10000000, 2500000.0, 450000, 200000, 50000],
                ["Q1", "2025-08", "10", "10000000", "2500000", "450000", "200000", "50000"],
            ]
        )
    )
    assert result.created == 2
    assert Contribution.objects.get(employer__unit_code="M1").period == date(2025, 12, 1)


def test_contributions_xlsx_fraction_is_refused(units):  # type: ignore[no-untyped-def]
    file = xlsx([CONTRIBUTIONS.split(","), ["M1", "2025-12", 10, 10000000.5, 1, 1, 1, 1]])
    assert refused(import_contributions, file) == [
        (
            2,
            "wage_fund",
            "Quỹ lương «10000000,5» không phải số đồng nguyên: chỉ ghi chữ số, có thể tách hàng "
            "nghìn bằng dấu chấm (1.000.000), không có phần lẻ.",
        )
    ]


def test_broken_xlsx_is_refused(units):  # type: ignore[no-untyped-def]
    assert refused(import_contributions, io.BytesIO(b"PK\x03\x04\x14\x00broken")) == [
        (None, "", "Tệp XLSX bị hỏng hoặc không phải bảng tính Excel.")
    ]


def test_payment_method_change_redates_existing_contributions(units, refreshes):  # type: ignore[no-untyped-def]
    import_contributions(
        statement(CONTRIBUTIONS, contribution("M1", "2025-07"), contribution("M1", "2025-12"))
    )
    employer = Employer.objects.get(unit_code="M1")
    line = employer_line(
        "M1",
        employer.office.name,
        tax_code=employer.tax_code,
        name=employer.name,
        address=employer.address,
        employees=str(employer.employees),
        email="",
        phone="",
        legal_representative="",
        payment_method="six_monthly",
    )
    result = import_employers(statement(EMPLOYERS_HEADER, line))
    assert (result.updated, result.created) == (1, 0)
    assert dict(Contribution.objects.values_list("period", "due_on")) == {
        date(2025, 7, 1): date(2026, 1, 31),
        date(2025, 12, 1): date(2026, 1, 31),
    }
    assert len(refreshes) == 2  # the contributions, then the re-dating
    import_employers(statement(EMPLOYERS_HEADER, line))
    assert len(refreshes) == 2  # unchanged: nothing re-dated


# --- the sample province ---------------------------------------------------------------------


def test_sample_files_import_and_reimport_unchanged(refreshes):  # type: ignore[no-untyped-def]
    files = {name: SAMPLES / f"{name}.csv" for name in ("employers", "contributions", "payments")}
    lines = {
        name: len(path.read_text(encoding="utf-8-sig").splitlines()) - 1
        for name, path in files.items()
    }
    importers = [
        ("employers", import_employers),
        ("contributions", import_contributions),
        ("payments", import_payments),
    ]
    first = {name: importer(files[name]) for name, importer in importers}
    assert first["employers"].created == Employer.objects.count() == 40
    assert first["contributions"].created == Contribution.objects.count() == lines["contributions"]
    assert first["payments"].created == Payment.objects.count() == lines["payments"]
    for due in Contribution.objects.select_related("employer"):
        assert due.due_on == ledger.due_date(due.period, due.employer.payment_method)

    second = {name: importer(files[name]) for name, importer in importers}
    for name, result in second.items():
        assert (result.created, result.updated, result.unchanged) == (0, 0, lines[name]), name
    assert second["employers"].new_offices == 0


def test_a_first_load_is_checked_in_the_pass_that_writes_it(units, refreshes):  # type: ignore[no-untyped-def]
    """Into empty tables the rows are checked by the INSERT itself
    (desk.statements.writing.write_checked); once rows are recorded, the checks run first, as a
    query of their own."""
    first = statement(CONTRIBUTIONS, contribution("M1", "2025-07"), contribution("Q1", "2025-07"))
    assert check_passes(import_contributions, first) == 0
    assert Contribution.objects.count() == 2
    assert Contribution.objects.get(employer__unit_code="Q1").due_on == date(2025, 10, 31)
    assert (
        check_passes(import_contributions, statement(CONTRIBUTIONS, contribution("M1", "2025-08")))
        == 1
    )
    assert Contribution.objects.count() == 3

    assert check_passes(import_payments, statement(PAYMENTS, "M1,2025-09-15,10,UNC001")) == 0
    assert Payment.objects.get().amount == 10
    assert check_passes(import_payments, statement(PAYMENTS, "M1,2025-09-16,20,UNC002")) == 1
    assert Payment.objects.count() == 2


def test_a_first_load_repeating_a_key_is_refused_by_row(units, refreshes):  # type: ignore[no-untyped-def]
    """A repeat is left to the table's unique key on a first load; when the key is made again
    and refuses, the checks name the rows, and nothing is kept."""
    lines = [
        contribution("M1", "2025-07"),
        contribution("Q1", "2025-07"),
        contribution("M1", "2025-07"),
    ]
    assert refused(import_contributions, statement(CONTRIBUTIONS, *lines)) == [
        (4, "period", "Kỳ đóng 2025-07 của đơn vị này đã có ở dòng 2 của tệp.")
    ]
    assert not Contribution.objects.exists()
    assert not refreshes


# --- Vietnamese Excel spellings --------------------------------------------------------------

ISO_CONTRIBUTIONS = [
    CONTRIBUTIONS,
    "M1,2025-12,10,10000000,2500000,450000,200000,50000",
    "Q1,2025-08,1200,1000000000,250000000,45000000,20000000,5000000",
]
VI_CONTRIBUTIONS = [
    CONTRIBUTIONS,
    "M1,12/2025,10,10.000.000,2.500.000,450.000,200.000,50.000",
    'Q1,8/2025,1.200,"1,000,000,000",250.000.000,45000000,20.000.000,5.000.000',
]
ISO_PAYMENTS = [PAYMENTS, "M1,2026-01-05,1500000,UNC001", "Q1,2025-11-30,1000000000,UNC002"]
VI_PAYMENTS = [PAYMENTS, "M1,05/01/2026,1.500.000,UNC001", "Q1,30/11/2025,1.000.000.000,UNC002"]


def _imported(contributions: io.BytesIO, payments: io.BytesIO) -> tuple[list, list, list]:  # type: ignore[type-arg]
    """What the two files recorded, and the balances they give on 1 March 2026."""
    import_contributions(contributions)
    import_payments(payments)
    recorded = (
        sorted(
            Contribution.objects.values_list(
                "employer__unit_code",
                "period",
                "due_on",
                "employees",
                "wage_fund",
                "si",
                "hi",
                "ui",
                "oaod",
            )
        ),
        sorted(
            Payment.objects.values_list("employer__unit_code", "paid_on", "amount", "reference")
        ),
        [(b.unit_code, b.arrears, b.interest) for b in balances_as_of(date(2026, 3, 1))],
    )
    Payment.objects.all().delete()
    Contribution.objects.all().delete()
    return recorded


@pytest.mark.parametrize("excel", ["csv", "xlsx"])
def test_vietnamese_excel_spellings_import_as_the_iso_ones(excel, units, refreshes):  # type: ignore[no-untyped-def]
    iso = _imported(statement(*ISO_CONTRIBUTIONS), statement(*ISO_PAYMENTS))
    contributions, payments = statement(*VI_CONTRIBUTIONS), statement(*VI_PAYMENTS)
    if excel == "xlsx":  # text cells, as Excel keeps what it does not take for a number
        contributions, payments = (
            xlsx([list(row) for row in csv.reader(lines)])
            for lines in (VI_CONTRIBUTIONS, VI_PAYMENTS)
        )
    assert _imported(contributions, payments) == iso
    assert iso[0] == [
        ("M1", date(2025, 12, 1), date(2026, 1, 31), 10, 10000000, 2500000, 450000, 200000, 50000),
        (
            "Q1",
            date(2025, 8, 1),
            date(2025, 10, 31),
            1200,
            1000000000,
            250000000,
            45000000,
            20000000,
            5000000,
        ),
    ]
    assert iso[1] == [
        ("M1", date(2026, 1, 5), 1500000, "UNC001"),
        ("Q1", date(2025, 11, 30), 1000000000, "UNC002"),
    ]
    # M1 owes 3 200 000 less 1 500 000; Q1 overpaid, with interest for paying a month late.
    assert iso[2] == [("M1", 1700000, 14790), ("B1", 0, 0), ("Q1", 0, 2880000), ("S1", 0, 0)]


def test_xlsx_whole_floats_and_date_cells_import_as_the_iso_ones(units):  # type: ignore[no-untyped-def]
    iso = _imported(statement(*ISO_CONTRIBUTIONS[:2]), statement(*ISO_PAYMENTS[:2]))
    cells = xlsx(
        [
            CONTRIBUTIONS.split(","),
            ["M1", date(2025, 12, 1), 10.0, 10000000.0, 2500000.0, 450000, 200000, 50000.0],
        ]
    )
    paid = xlsx([PAYMENTS.split(","), ["M1", date(2026, 1, 5), 1500000.0, "UNC001"]])
    assert _imported(cells, paid) == iso


@pytest.mark.parametrize(
    ("importer", "lines", "column", "reason"),
    [
        (
            import_contributions,
            [CONTRIBUTIONS, "M1,12/2025,10,1.000.00,1,1,1,1"],
            "wage_fund",
            "Quỹ lương «1.000.00» không phải số đồng nguyên: chỉ ghi chữ số, có thể tách hàng "
            "nghìn bằng dấu chấm (1.000.000), không có phần lẻ.",
        ),
        (
            import_contributions,
            [CONTRIBUTIONS, "M1,12/2025,12.5,1,1,1,1,1"],
            "employees",
            "Số lao động «12.5» phải là số nguyên không âm, chỉ gồm chữ số.",
        ),
        (
            import_contributions,
            [CONTRIBUTIONS, 'M1,12/2025,10,"1,000",1,1,1,1'],
            "wage_fund",
            "Quỹ lương «1,000» không phải số đồng nguyên: chỉ ghi chữ số, có thể tách hàng "
            "nghìn bằng dấu chấm (1.000.000), không có phần lẻ.",
        ),
        (
            import_contributions,
            [CONTRIBUTIONS, "M1,13/2025,10,1,1,1,1,1"],
            "period",
            "Kỳ đóng «13/2025» không hợp lệ: cần dạng YYYY-MM, ví dụ 2025-07.",
        ),
        (
            import_contributions,
            [CONTRIBUTIONS, "M1,12/1990,10,1,1,1,1,1"],
            "period",
            "Kỳ đóng «12/1990» không hợp lệ: cần dạng YYYY-MM, ví dụ 2025-07.",
        ),
        (
            import_payments,
            [PAYMENTS, "M1,31/02/2026,1.000,UNC001"],
            "paid_on",
            "Ngày nộp «31/02/2026» không hợp lệ: cần dạng YYYY-MM-DD, ví dụ 2025-09-15.",
        ),
        (
            import_payments,
            [PAYMENTS, "M1,28/02/2026,12.5,UNC001"],
            "amount",
            "Số tiền «12.5» không phải số đồng nguyên: chỉ ghi chữ số, có thể tách hàng nghìn "
            "bằng dấu chấm (1.000.000), không có phần lẻ.",
        ),
        (
            import_payments,
            [PAYMENTS, "M1,28/02/2026,9.999.999.999.999.999,UNC001"],
            "amount",
            "Số tiền «9.999.999.999.999.999» quá lớn.",
        ),
    ],
)
def test_bad_vietnamese_spellings_refuse_the_file_naming_them(  # type: ignore[no-untyped-def]
    importer, lines, column, reason, units, refreshes
):
    good = contribution("M1", "11/2025") if importer is import_contributions else "M1,1/3/2026,5,X"
    file = statement(lines[0], good, *lines[1:])
    assert refused(importer, file) == [(3, column, reason)]
    assert not Contribution.objects.exists()
    assert not Payment.objects.exists()
    assert not refreshes
