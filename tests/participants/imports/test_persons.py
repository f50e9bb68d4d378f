"""The insured persons import: good files, re-imports, a first load checked in the pass that
writes it, every bad row, the importing officer's scope, the command, the upload page and the
bench's persons file."""

from __future__ import annotations

import csv
import io
from collections import Counter
from datetime import date

import openpyxl
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from bench import generate
from desk.statements.results import StatementRefused
from participants.imports.communes import import_communes
from participants.imports.employers import import_employers
from participants.imports.persons import LAYOUT, import_persons
from participants.models import InsuredPerson
from tests.statements import check_passes, statement

HEADER = ",".join(LAYOUT.columns)


def person_line(number: str = "1700000001", unit_code: str = "TS000001", **values: str) -> str:
    row = {
        "social_insurance_number": number,
        "full_name": "Bùi Thị Hương",
        "date_of_birth": "1990-05-31",
        "sex": "female",
        "unit_code": unit_code,
        "from_period": "2025-03",
        "to_period": "2025-08",
        **values,
    }
    out = io.StringIO()
    csv.writer(out, lineterminator="").writerow(row[c] for c in LAYOUT.columns)
    return out.getvalue()


def reasons(file: io.BytesIO, **kwargs: object) -> list[tuple[int | None, str, str]]:
    with pytest.raises(StatementRefused) as caught:
        import_persons(file, **kwargs)  # type: ignore[arg-type]
    return [(e.line, e.column, e.message) for e in caught.value.errors]


def test_good_file_creates_persons_and_the_same_file_twice_changes_nothing(
    employer_a, employer_b
) -> None:  # type: ignore[no-untyped-def]
    lines = [
        HEADER,
        person_line("1700000001", employer_a.unit_code),
        person_line(
            "1700000002",
            employer_b.unit_code,
            full_name="  Đinh   Văn Tùng ",
            sex="male",
            date_of_birth="1985-01-02",
            from_period="2024-11",
            to_period="",
        ),
    ]
    result = import_persons(statement(*lines))
    assert (result.created, result.updated, result.unchanged) == (2, 0, 0)
    first, second = InsuredPerson.objects.order_by("social_insurance_number")
    assert (first.full_name, first.employer, first.from_period, first.to_period) == (
        "Bùi Thị Hương",
        employer_a,
        date(2025, 3, 1),
        date(2025, 8, 1),
    )
    assert (second.full_name, second.sex, second.date_of_birth, second.to_period) == (
        "Đinh Văn Tùng",
        "male",
        date(1985, 1, 2),
        None,
    )
    assert second.search_text == "dinh van tung"  # kept by PostgreSQL (desk_fold)

    again = import_persons(statement(*lines))
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)


def test_a_first_load_of_persons_is_checked_in_the_pass_that_writes_it(employer_a) -> None:  # type: ignore[no-untyped-def]
    repeated = [person_line("1700000001", employer_a.unit_code)] * 2
    with pytest.raises(StatementRefused, match="trùng với dòng 2"):  # by the unique key
        import_persons(statement(HEADER, *repeated))
    assert not InsuredPerson.objects.exists()
    first = statement(HEADER, person_line("1700000001", employer_a.unit_code))
    assert check_passes(import_persons, first) == 0
    assert InsuredPerson.objects.get().search_text == "bui thi huong"
    second = statement(HEADER, person_line("1700000002", employer_a.unit_code))
    assert check_passes(import_persons, second) == 1
    assert InsuredPerson.objects.count() == 2


def test_reimport_updates_by_number_and_moves_a_person(employer_a, employer_b) -> None:  # type: ignore[no-untyped-def]
    import_persons(statement(HEADER, person_line("1700000001", employer_a.unit_code)))
    result = import_persons(
        statement(
            HEADER,
            person_line("1700000001", employer_b.unit_code, to_period=""),
            person_line("1700000003", employer_a.unit_code),
        )
    )
    assert (result.created, result.updated, result.unchanged) == (1, 1, 0)
    moved = InsuredPerson.objects.get(social_insurance_number="1700000001")
    assert (moved.employer, moved.to_period) == (employer_b, None)


def test_xlsx_with_numbers_and_date_cells(employer_a) -> None:  # type: ignore[no-untyped-def]
    book = openpyxl.Workbook()
    book.active.append(list(LAYOUT.columns))
    book.active.append(
        [1700000009, "Lò Văn Sơn", date(1979, 12, 31), "male", employer_a.unit_code,
         date(2025, 7, 1), None]
    )  # fmt: skip
    out = io.BytesIO()
    book.save(out)
    assert import_persons(out).created == 1
    person = InsuredPerson.objects.get()
    assert (person.social_insurance_number, person.date_of_birth, person.from_period) == (
        "1700000009",
        date(1979, 12, 31),
        date(2025, 7, 1),
    )


def test_every_bad_row_is_reported_and_nothing_is_written(employer_a) -> None:  # type: ignore[no-untyped-def]
    code = employer_a.unit_code
    found = reasons(
        statement(
            HEADER,
            person_line("1700000001", code),
            person_line("170000001", code),
            person_line("1700000001", code),
            person_line("1700000004", "NOPE01"),
            person_line("1700000005", code, date_of_birth="1990-02-30", sex="nam"),
            person_line("1700000006", code, from_period="2025-13", full_name=""),
            person_line("1700000007", code, from_period="2025-09", to_period="2025-08"),
            person_line("1700000008", code, date_of_birth="2026-01-01"),
        )
    )
    assert found == [
        (3, "social_insurance_number", "Mã số BHXH «170000001» không hợp lệ: cần đúng 10 chữ số."),
        (4, "social_insurance_number", "Mã số BHXH «1700000001» trùng với dòng 2 của tệp."),
        (5, "unit_code", "Mã đơn vị «NOPE01» chưa có trong danh sách đơn vị."),
        (
            6,
            "date_of_birth",
            "Ngày sinh «1990-02-30» không hợp lệ: cần dạng YYYY-MM-DD, ví dụ 1990-05-31.",
        ),
        (6, "sex", "Giới tính «nam» không hợp lệ; chỉ nhận: male, female."),
        (7, "full_name", "Thiếu họ và tên."),
        (
            7,
            "from_period",
            "Tháng bắt đầu «2025-13» không hợp lệ: cần dạng YYYY-MM, ví dụ 2025-07.",
        ),
        (8, "to_period", "Tháng kết thúc «2025-08» trước tháng bắt đầu."),
        (9, "date_of_birth", "Ngày sinh «2026-01-01» không trước tháng bắt đầu làm việc."),
    ]
    assert not InsuredPerson.objects.exists()


def test_officer_imports_persons_of_their_offices_only(employer_a, employer_b, officer_a) -> None:  # type: ignore[no-untyped-def]
    import_persons(statement(HEADER, person_line("1700000002", employer_b.unit_code)))
    found = reasons(
        statement(
            HEADER,
            person_line("1700000001", employer_a.unit_code),
            person_line("1700000003", employer_b.unit_code),
            # Taking a person from another office's employer is refused too.
            person_line("1700000002", employer_a.unit_code),
        ),
        user=officer_a,
    )
    assert found == [
        (3, "unit_code", f"Đơn vị «{employer_b.unit_code}» không thuộc địa bàn bạn phụ trách."),
        (
            4,
            "social_insurance_number",
            "Người lao động «1700000002» đang thuộc đơn vị ngoài địa bàn bạn phụ trách; "
            "không chuyển được.",
        ),
    ]
    assert (
        import_persons(
            statement(HEADER, person_line("1700000001", employer_a.unit_code)), user=officer_a
        ).created
        == 1
    )


def test_command_imports_and_refuses(employer_a, tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    good = tmp_path / "persons.csv"
    good.write_text("\n".join([HEADER, person_line("1700000001", employer_a.unit_code)]))
    call_command("import_persons", str(good))
    assert "1 thêm mới" in capsys.readouterr().out
    bad = tmp_path / "bad.csv"
    bad.write_text("\n".join([HEADER, person_line("12", employer_a.unit_code)]))
    with pytest.raises(CommandError, match="Tệp bị từ chối"):
        call_command("import_persons", str(bad))
    assert "Dòng 2, cột social_insurance_number" in capsys.readouterr().err


def test_upload_page_takes_persons(employer_a, officer_a, client_as) -> None:  # type: ignore[no-untyped-def]
    client = client_as(officer_a)
    page = client.get(reverse("import_statement")).content.decode()
    assert "Người lao động" in page and "Số liệu bao phủ" in page
    upload = statement(HEADER, person_line("1700000001", employer_a.unit_code))
    upload.name = "persons.csv"
    response = client.post(reverse("import_statement"), {"kind": "persons", "file": upload})
    assert response.context["result"].created == 1
    assert InsuredPerson.objects.get().employer == employer_a


def test_bench_persons_file_imports_whole(db, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """bench/generate.py --persons: valid, unique numbers within the employers' months, never
    more persons than an employer's employees; the file imports as it is."""
    counts = generate.write(tmp_path, 30, 6, date(2026, 1, 15), seed=3, persons=200)
    assert counts["persons"] == 200
    import_communes(tmp_path / "communes.csv")  # the employers name their office and commune
    import_employers(tmp_path / "employers.csv")
    assert import_persons(tmp_path / "persons.csv").created == 200

    with (tmp_path / "employers.csv").open(encoding="utf-8") as f:
        employees = {row["unit_code"]: int(row["employees"]) for row in csv.DictReader(f)}
    per_employer = Counter(InsuredPerson.objects.values_list("employer__unit_code", flat=True))
    assert all(count <= employees[code] for code, count in per_employer.items())
    assert InsuredPerson.objects.filter(from_period__lt=date(2025, 7, 1)).count() == 0
