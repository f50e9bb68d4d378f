"""The employer statement import: good files, re-imports, bad values, scope, history."""

import csv
import io

import pytest
from django.apps import apps

from desk.statements.results import StatementRefused
from participants.imports.employers import LAYOUT, import_employers
from participants.models import Employer, Office
from tests.factories import EmployerFactory
from tests.statements import statement, xlsx

pytestmark = pytest.mark.django_db

EmployerEvent = apps.get_model("participants", "EmployerEvent")
HEADER = ",".join(LAYOUT.columns)


def employer_line(unit_code: str = "HB00001", office: str = "Lương Sơn", **values: str) -> str:
    row = {
        "unit_code": unit_code,
        "tax_code": "5400000001",
        "name": "Công ty TNHH Minh Phát",
        "address": "Số 1, Cù Chính Lan",
        "office": office,
        "industrial_zone": "",
        "ownership": "non_state",
        "status": "active",
        "employees": "12",
        "email": "ketoan@minhphat.vn",
        "phone": "0218 3850 123",
        "legal_representative": "Nguyễn Văn A",
        "payment_method": "monthly",
        **values,
    }
    out = io.StringIO()
    csv.writer(out, lineterminator="").writerow(row[c] for c in LAYOUT.columns)
    return out.getvalue()


def refused(file: io.BytesIO, **kwargs: object) -> StatementRefused:
    with pytest.raises(StatementRefused) as caught:
        import_employers(file, **kwargs)  # type: ignore[arg-type]
    return caught.value


def reasons(refusal: StatementRefused) -> list[tuple[int | None, str, str]]:
    return [(e.line, e.column, e.message) for e in refusal.errors]


def test_good_file_creates_employers_and_offices(office_a):  # type: ignore[no-untyped-def]
    result = import_employers(
        statement(
            HEADER,
            employer_line("HB00001", "lương sơn"),  # the existing office, whatever the case
            employer_line("HB00002", "Mai Châu", tax_code="5400000002-001", email=""),
            employer_line("HB00003", "Mai  Châu", payment_method="quarterly", employees="0"),
        )
    )
    assert (result.created, result.updated, result.unchanged, result.new_offices) == (3, 0, 0, 1)
    assert sorted(Office.objects.values_list("name", flat=True)) == ["Lương Sơn", "Mai Châu"]
    first, second, third = Employer.objects.order_by("unit_code")
    assert first.office == office_a
    assert (first.name, first.employees, first.email) == (
        "Công ty TNHH Minh Phát",
        12,
        "ketoan@minhphat.vn",
    )
    assert (second.tax_code, second.email, second.office.name) == (
        "5400000002-001",
        "",
        "Mai Châu",
    )
    assert (third.payment_method, third.employees) == ("quarterly", 0)
    assert third.office == second.office


def test_same_file_twice_changes_nothing(office_a):  # type: ignore[no-untyped-def]
    lines = [HEADER, employer_line("HB00001"), employer_line("HB00002", tax_code="5400000002")]
    import_employers(statement(*lines))
    events = EmployerEvent.objects.count()
    again = import_employers(statement(*lines))
    assert (again.created, again.updated, again.unchanged, again.new_offices) == (0, 0, 2, 0)
    assert EmployerEvent.objects.count() == events  # no UPDATE reached the history trigger


def test_reimport_updates_by_unit_code_only_what_changed(office_a):  # type: ignore[no-untyped-def]
    import_employers(statement(HEADER, employer_line("HB00001"), employer_line("HB00002")))
    events = EmployerEvent.objects.count()
    result = import_employers(
        statement(
            HEADER,
            employer_line("HB00001", status="suspended", employees="9"),
            employer_line("HB00002"),
            employer_line("HB00003"),
        )
    )
    assert (result.created, result.updated, result.unchanged) == (1, 1, 1)
    updated = Employer.objects.get(unit_code="HB00001")
    assert (updated.status, updated.employees) == ("suspended", 9)
    assert EmployerEvent.objects.count() == events + 2  # one update, one insert


def test_xlsx_good_file(office_a):  # type: ignore[no-untyped-def]
    values = next(csv.reader([employer_line("HB00001")]))
    row: list[object] = list(values)
    row[LAYOUT.columns.index("employees")] = 12  # numbers arrive as numbers
    row[LAYOUT.columns.index("tax_code")] = 5400000001
    result = import_employers(xlsx([list(LAYOUT.columns), row, [None] * len(row)]))
    assert result.created == 1
    employer = Employer.objects.get()
    assert (employer.tax_code, employer.employees) == ("5400000001", 12)


@pytest.mark.parametrize(
    ("values", "column", "reason"),
    [
        ({"tax_code": "123"}, "tax_code", "Mã số thuế «123» không hợp lệ"),
        ({"tax_code": "5400000001-12"}, "tax_code", "Mã số thuế «5400000001-12» không hợp lệ"),
        ({"ownership": "private"}, "ownership", "Loại hình «private» không hợp lệ"),
        ({"status": "closed"}, "status", "Trạng thái «closed» không hợp lệ"),
        ({"payment_method": "yearly"}, "payment_method", "Phương thức đóng «yearly» không hợp lệ"),
        ({"email": "ketoan@"}, "email", "Thư điện tử «ketoan@» không hợp lệ"),
        ({"name": ""}, "name", "Thiếu tên đơn vị"),
        ({"office": " "}, "office", "Thiếu BHXH cơ sở"),
        ({"employees": "12.5"}, "employees", "Số lao động «12.5» phải là số nguyên không âm"),
        ({"employees": "-3"}, "employees", "Số lao động không được âm"),
        ({"employees": "9999999999"}, "employees", "Số lao động «9999999999» quá lớn"),
        ({"unit_code": "X" * 21}, "unit_code", "Mã đơn vị dài quá 20 ký tự"),
    ],
)
def test_bad_value_refuses_the_whole_file(values, column, reason, office_a):  # type: ignore[no-untyped-def]
    EmployerFactory(office=office_a, unit_code="HB00009")
    refusal = refused(
        statement(
            HEADER, employer_line("HB00001"), employer_line(**{"unit_code": "HB00002", **values})
        )
    )
    [(line, where, message)] = reasons(refusal)
    assert (line, where) == (3, column)
    assert message.startswith(reason), message
    assert list(Employer.objects.values_list("unit_code", flat=True)) == ["HB00009"]
    assert Office.objects.count() == 1


def test_every_bad_row_is_reported_with_its_row_number(office_a):  # type: ignore[no-untyped-def]
    refusal = refused(
        statement(
            HEADER,
            employer_line("HB00001", tax_code="1"),
            employer_line("HB00002"),
            employer_line("HB00001"),
            employer_line("HB00004", ownership="", employees="1,5"),
            employer_line("HB00005") + ",extra",
            employer_line("HB00006").rsplit(",", 2)[0],
        )
    )
    assert [(line, column) for line, column, _ in reasons(refusal)] == [
        (2, "tax_code"),
        (4, "unit_code"),
        (5, "ownership"),
        (5, "employees"),
        (6, ""),
        (7, ""),
    ]
    assert reasons(refusal)[1][2] == "Mã đơn vị «HB00001» trùng với dòng 2."
    assert "ngoài 13 cột" in reasons(refusal)[4][2]
    assert reasons(refusal)[5][2] == "Dòng chỉ có 11 ô, thiếu so với 13 cột của dòng tiêu đề."
    assert refusal.total == 6
    assert not Employer.objects.exists()


def test_officer_imports_only_rows_of_own_offices(officer_a, office_a, office_b):  # type: ignore[no-untyped-def]
    EmployerFactory(office=office_b, unit_code="HB00009")
    refusal = refused(
        statement(
            HEADER,
            employer_line("HB00001", "Lương Sơn"),
            employer_line("HB00002", "Tân Lạc"),
            employer_line("HB00003", "Huyện Mới"),
            employer_line("HB00009", "Lương Sơn"),  # would move another office's employer
        ),
        user=officer_a,
    )
    assert reasons(refusal) == [
        (3, "office", "BHXH cơ sở «Tân Lạc» không thuộc địa bàn bạn phụ trách."),
        (4, "office", "BHXH cơ sở «Huyện Mới» không thuộc địa bàn bạn phụ trách."),
        (5, "unit_code", "Đơn vị «HB00009» thuộc BHXH cơ sở ngoài địa bàn bạn phụ trách."),
    ]
    assert Employer.objects.count() == 1
    result = import_employers(statement(HEADER, employer_line("HB00001")), user=officer_a)
    assert result.created == 1


def test_manager_imports_any_office(manager, office_a, office_b):  # type: ignore[no-untyped-def]
    result = import_employers(
        statement(HEADER, employer_line("HB00001", "Tân Lạc"), employer_line("HB00002")),
        user=manager,
    )
    assert result.created == 2


def test_liaison_imports_nothing(police, office_a):  # type: ignore[no-untyped-def]
    refusal = refused(statement(HEADER, employer_line("HB00001")), user=police)
    assert [e.column for e in refusal.errors] == ["office"]


def test_history_records_who_imported(manager, office_a):  # type: ignore[no-untyped-def]
    import_employers(statement(HEADER, employer_line("HB00001")), user=manager)
    event = EmployerEvent.objects.get()
    assert event.pgh_context.metadata == {"statement": "employers", "user": manager.pk}
