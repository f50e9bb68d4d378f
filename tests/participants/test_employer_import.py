"""The employer statement import: good files, re-imports, every kind of bad file, scope, command."""

import csv
import io

import openpyxl
import pytest
from django.apps import apps
from django.core.management import ManagementUtility, call_command
from django.db import connections

from desk.statements import MAX_REASONS, StatementRefused
from participants.imports import LAYOUT, import_employers
from participants.models import District, Employer
from tests.factories import EmployerFactory
from tests.statements import statement

pytestmark = pytest.mark.django_db

EmployerEvent = apps.get_model("participants", "EmployerEvent")
HEADER = ",".join(LAYOUT.columns)


def xlsx(rows: list[list[object]]) -> io.BytesIO:
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    out.seek(0)
    return out


def employer_line(unit_code: str = "HB00001", district: str = "Lương Sơn", **values: str) -> str:
    row = {
        "unit_code": unit_code,
        "tax_code": "5400000001",
        "name": "Công ty TNHH Minh Phát",
        "address": "Số 1, Cù Chính Lan",
        "district": district,
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


def test_good_file_creates_employers_and_districts(district_a):  # type: ignore[no-untyped-def]
    result = import_employers(
        statement(
            HEADER,
            employer_line("HB00001", "lương sơn"),  # the existing district, whatever the case
            employer_line("HB00002", "Mai Châu", tax_code="5400000002-001", email=""),
            employer_line("HB00003", "Mai  Châu", payment_method="quarterly", employees="0"),
        )
    )
    assert (result.created, result.updated, result.unchanged, result.new_districts) == (3, 0, 0, 1)
    assert sorted(District.objects.values_list("name", flat=True)) == ["Lương Sơn", "Mai Châu"]
    first, second, third = Employer.objects.order_by("unit_code")
    assert first.district == district_a
    assert (first.name, first.employees, first.email) == (
        "Công ty TNHH Minh Phát",
        12,
        "ketoan@minhphat.vn",
    )
    assert (second.tax_code, second.email, second.district.name) == (
        "5400000002-001",
        "",
        "Mai Châu",
    )
    assert (third.payment_method, third.employees) == ("quarterly", 0)
    assert third.district == second.district


def test_same_file_twice_changes_nothing(district_a):  # type: ignore[no-untyped-def]
    lines = [HEADER, employer_line("HB00001"), employer_line("HB00002", tax_code="5400000002")]
    import_employers(statement(*lines))
    events = EmployerEvent.objects.count()
    again = import_employers(statement(*lines))
    assert (again.created, again.updated, again.unchanged, again.new_districts) == (0, 0, 2, 0)
    assert EmployerEvent.objects.count() == events  # no UPDATE reached the history trigger


def test_reimport_updates_by_unit_code_only_what_changed(district_a):  # type: ignore[no-untyped-def]
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


def test_header_ignores_case_spaces_and_order_and_bom(district_a):  # type: ignore[no-untyped-def]
    columns = list(reversed(LAYOUT.columns))
    header = ",".join(f" {c.replace('_', ' ').upper()} " for c in columns)
    values = next(csv.reader([employer_line("HB00001")]))
    row = dict(zip(LAYOUT.columns, values, strict=True))
    line = ",".join(f'"{row[c]}"' for c in columns)
    result = import_employers(statement(header, line, "", ",,,,,,,,,,,,", bom=True))
    assert result.created == 1
    assert Employer.objects.get().address == "Số 1, Cù Chính Lan"


def test_semicolon_separated_csv(district_a):  # type: ignore[no-untyped-def]
    line = employer_line("HB00001", address="Số 1 Cù Chính Lan").replace(",", ";")
    assert import_employers(statement(HEADER.replace(",", ";"), line)).created == 1


def test_xlsx_good_file(district_a):  # type: ignore[no-untyped-def]
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
        ({"district": " "}, "district", "Thiếu quận/huyện"),
        ({"employees": "12.5"}, "employees", "Số lao động «12.5» phải là số nguyên không âm"),
        ({"employees": "-3"}, "employees", "Số lao động không được âm"),
        ({"employees": "9999999999"}, "employees", "Số lao động «9999999999» quá lớn"),
        ({"unit_code": "X" * 21}, "unit_code", "Mã đơn vị dài quá 20 ký tự"),
    ],
)
def test_bad_value_refuses_the_whole_file(values, column, reason, district_a):  # type: ignore[no-untyped-def]
    EmployerFactory(district=district_a, unit_code="HB00009")
    refusal = refused(
        statement(
            HEADER, employer_line("HB00001"), employer_line(**{"unit_code": "HB00002", **values})
        )
    )
    [(line, where, message)] = reasons(refusal)
    assert (line, where) == (3, column)
    assert message.startswith(reason), message
    assert list(Employer.objects.values_list("unit_code", flat=True)) == ["HB00009"]
    assert District.objects.count() == 1


def test_every_bad_row_is_reported_with_its_row_number(district_a):  # type: ignore[no-untyped-def]
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


@pytest.mark.parametrize(
    ("header", "reason"),
    [
        (HEADER.replace(",email", ""), "Thiếu cột: email."),
        (HEADER + ",ghi_chu", "Cột không xác định: ghi_chu."),
        (HEADER + ",Email", "Cột lặp lại: email."),
        (HEADER.replace("phone", ""), "Tiêu đề trống ở cột thứ 11."),
    ],
)
def test_wrong_header_is_refused_naming_the_columns(header, reason, district_a):  # type: ignore[no-untyped-def]
    refusal = refused(statement(header, employer_line("HB00001")))
    assert any(line == 1 and message.startswith(reason) for line, _c, message in reasons(refusal))
    assert not Employer.objects.exists()


def test_data_without_header_is_refused(district_a):  # type: ignore[no-untyped-def]
    refusal = refused(statement(employer_line("HB00001"), employer_line("HB00002")))
    assert {e.line for e in refusal.errors} == {1}
    assert any(e.message.startswith("Cột không xác định: hb00001") for e in refusal.errors)


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "Tệp rỗng."),
        (b"\xef\xbb\xbf\r\n", "Tệp rỗng."),
        (HEADER.encode() + b"\n", "Tệp không có dòng dữ liệu nào (chỉ có dòng tiêu đề)."),
        (
            HEADER.encode() + b"\n" + employer_line("HB00001").encode("cp1258", "replace"),
            "Tệp không phải mã UTF-8 (lỗi ở dòng 2)",
        ),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "Tệp không phải CSV hay XLSX"),
        (b"PK\x03\x04 this is no workbook", "Tệp XLSX bị hỏng"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(100), "Tệp Excel cũ (.xls)"),
        ("a,b\n".encode("utf-16"), "Tệp mã UTF-16"),
    ],
)
def test_unreadable_files_are_refused(content, reason, district_a):  # type: ignore[no-untyped-def]
    refusal = refused(io.BytesIO(content))
    assert refusal.errors[0].message.startswith(reason), refusal.errors[0].message
    assert not Employer.objects.exists()


def test_broken_xlsx_sheet_is_refused(district_a):  # type: ignore[no-untyped-def]
    good = xlsx([list(LAYOUT.columns)]).getvalue()
    cut = io.BytesIO(good[: len(good) // 2])  # a truncated upload
    assert refused(cut).errors[0].message.startswith("Tệp XLSX bị hỏng")


def test_reasons_are_capped_with_the_full_count(district_a):  # type: ignore[no-untyped-def]
    lines = [employer_line(f"HB{n:05d}", tax_code="1") for n in range(MAX_REASONS + 50)]
    refusal = refused(statement(HEADER, *lines))
    assert len(refusal.errors) == MAX_REASONS
    assert (refusal.total, refusal.omitted) == (MAX_REASONS + 50, 50)
    assert refusal.lines()[-1] == "… và 50 lỗi khác."


def test_officer_imports_only_rows_of_own_districts(officer_a, district_a, district_b):  # type: ignore[no-untyped-def]
    EmployerFactory(district=district_b, unit_code="HB00009")
    refusal = refused(
        statement(
            HEADER,
            employer_line("HB00001", "Lương Sơn"),
            employer_line("HB00002", "Tân Lạc"),
            employer_line("HB00003", "Huyện Mới"),
            employer_line("HB00009", "Lương Sơn"),  # would move another district's employer
        ),
        user=officer_a,
    )
    assert reasons(refusal) == [
        (3, "district", "Quận/huyện «Tân Lạc» không thuộc địa bàn bạn phụ trách."),
        (4, "district", "Quận/huyện «Huyện Mới» không thuộc địa bàn bạn phụ trách."),
        (5, "unit_code", "Đơn vị «HB00009» thuộc quận/huyện ngoài địa bàn bạn phụ trách."),
    ]
    assert Employer.objects.count() == 1
    result = import_employers(statement(HEADER, employer_line("HB00001")), user=officer_a)
    assert result.created == 1


def test_manager_imports_any_district(manager, district_a, district_b):  # type: ignore[no-untyped-def]
    result = import_employers(
        statement(HEADER, employer_line("HB00001", "Tân Lạc"), employer_line("HB00002")),
        user=manager,
    )
    assert result.created == 2


def test_liaison_imports_nothing(police, district_a):  # type: ignore[no-untyped-def]
    refusal = refused(statement(HEADER, employer_line("HB00001")), user=police)
    assert [e.column for e in refusal.errors] == ["district"]


def test_history_records_who_imported(manager, district_a):  # type: ignore[no-untyped-def]
    import_employers(statement(HEADER, employer_line("HB00001")), user=manager)
    event = EmployerEvent.objects.get()
    assert event.pgh_context.metadata == {"statement": "employers", "user": manager.pk}


def test_command_prints_counts(tmp_path, capsys, district_a):  # type: ignore[no-untyped-def]
    path = tmp_path / "employers.csv"
    path.write_bytes(statement(HEADER, employer_line("HB00001")).getvalue())
    call_command("import_employers", str(path))
    assert "1 dòng: 1 thêm mới, 0 cập nhật, 0 không đổi." in capsys.readouterr().out
    assert Employer.objects.count() == 1


def run_manage(*argv: str) -> int:
    """Run ``manage.py`` in this process and return its exit status."""
    try:
        ManagementUtility(["manage.py", *argv]).execute()
    except SystemExit as exit_:
        return int(exit_.code or 0)
    return 0


def test_command_refusal_exits_non_zero_with_every_reason(
    tmp_path, capsys, monkeypatch, district_a
):  # type: ignore[no-untyped-def]
    monkeypatch.setattr(connections, "close_all", lambda: None)  # keep the test's transaction
    path = tmp_path / "employers.csv"
    lines = [HEADER, employer_line("HB00001", tax_code="1"), employer_line("HB00002", status="x")]
    path.write_bytes(statement(*lines).getvalue())
    assert run_manage("import_employers", str(path)) == 1
    err = capsys.readouterr().err
    assert "Dòng 2, cột tax_code: Mã số thuế «1» không hợp lệ" in err
    assert "Dòng 3, cột status: Trạng thái «x» không hợp lệ" in err
    assert "Tệp bị từ chối (2 lỗi); không ghi gì vào cơ sở dữ liệu." in err
    assert not Employer.objects.exists()
