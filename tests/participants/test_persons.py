"""Insured persons: the months the ledger leaves unconfirmed, the persons import, their scope
and the workers section of the employer page."""

from __future__ import annotations

import csv
import functools
import io
from collections import Counter
from datetime import date

import openpyxl
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import IntegrityError, transaction
from django.urls import reverse

from arrears import ledger
from arrears.insured.selectors import employer_workers, month_ranges
from arrears.ledger import Due, MonthStatus, Paid
from arrears.models import RecoveryCase, Referral
from arrears.selectors import employer_statement
from bench import generate
from demo import insured as demo_insured
from demo import province as demo
from demo.persons import share_out
from desk.statements import StatementRefused
from participants.imports import import_employers
from participants.models import CoverageFigure, InsuredPerson
from participants.person_imports import LAYOUT, import_persons
from tests.factories import (
    ContributionFactory,
    DistrictFactory,
    EmployerFactory,
    PaymentFactory,
)
from tests.statements import check_passes, statement

MONTHLY = ledger.PaymentMethod.MONTHLY
MARCH_TO_AUGUST = [date(2025, m, 1) for m in range(3, 9)]


def month(m: int, year: int = 2025) -> date:
    return date(year, m, 1)


def dues(months: list[date], amount: int = 1_000_000) -> list[Due]:
    return [Due(m, amount, ledger.due_date(m, MONTHLY)) for m in months]


# --------------------------------------------------------------------------------------------
# The rule (ledger.py, no database)


def test_worked_example_employer_paid_until_may_leaves_june_to_august_unpaid() -> None:
    """A worker employed March to August by an employer that paid until May sees June to
    August unpaid once they are past due."""
    on = date(2025, 10, 15)  # August's contribution fell due on 30/09
    payments = [Paid(date(2025, 4, 20), 2_000_000), Paid(date(2025, 6, 25), 1_000_000)]
    settlements = ledger.settle_on(dues(MARCH_TO_AUGUST), payments, on)
    months = ledger.employment_months(month(3), month(8), on)
    assert months == MARCH_TO_AUGUST

    assert ledger.month_statuses(settlements, months, on, MONTHLY) == [
        (month(3), MonthStatus.PAID),
        (month(4), MonthStatus.PAID),
        (month(5), MonthStatus.PAID),
        (month(6), MonthStatus.UNPAID),
        (month(7), MonthStatus.UNPAID),
        (month(8), MonthStatus.UNPAID),
    ]
    assert ledger.unconfirmed_months(settlements, months, on) == [month(6), month(7), month(8)]


def test_a_month_not_yet_due_is_not_unconfirmed() -> None:
    on = date(2025, 9, 15)  # August falls due on 30/09
    settlements = ledger.settle_on(dues(MARCH_TO_AUGUST), [Paid(date(2025, 6, 1), 3_000_000)], on)
    statuses = dict(ledger.month_statuses(settlements, MARCH_TO_AUGUST, on, MONTHLY))
    assert statuses[month(7)] is MonthStatus.UNPAID  # due 31/08
    assert statuses[month(8)] is MonthStatus.NOT_DUE
    assert ledger.unconfirmed_months(settlements, MARCH_TO_AUGUST, on) == [month(6), month(7)]


def test_the_due_date_itself_is_not_yet_late() -> None:
    """Rule 3: a contribution is in arrears once its due date is before the day."""
    settlements = ledger.settle_on(dues([month(8)]), [], date(2025, 9, 30))
    assert ledger.month_statuses(settlements, [month(8)], date(2025, 9, 30), MONTHLY) == [
        (month(8), MonthStatus.NOT_DUE)
    ]
    settlements = ledger.settle_on(dues([month(8)]), [], date(2025, 10, 1))
    assert ledger.unconfirmed_months(settlements, [month(8)], date(2025, 10, 1)) == [month(8)]


def test_payments_after_the_day_do_not_count_and_a_part_paid_month_is_unpaid() -> None:
    payments = [Paid(date(2025, 10, 1), 2_500_000), Paid(date(2025, 12, 1), 10_000_000)]
    on = date(2025, 11, 1)
    settlements = ledger.settle_on(dues([month(m) for m in (6, 7, 8)]), payments, on)
    assert ledger.month_statuses(settlements, [month(6), month(7), month(8)], on, MONTHLY) == [
        (month(6), MonthStatus.PAID),
        (month(7), MonthStatus.PAID),
        (month(8), MonthStatus.UNPAID),  # 500,000 of 1,000,000 paid by 01/11
    ]


def test_paid_in_advance_is_paid_before_it_is_due() -> None:
    on = date(2025, 9, 15)
    settlements = ledger.settle_on(dues([month(9)]), [Paid(date(2025, 9, 2), 1_000_000)], on)
    assert ledger.month_statuses(settlements, [month(9)], on, MONTHLY) == [
        (month(9), MonthStatus.PAID)
    ]


def test_a_month_without_contribution_is_not_due_then_not_recorded() -> None:
    """No contribution for the month: nothing to confirm it by. A quarterly payer's August is
    due on 31/10, so on 15/10 it is not due yet and on 01/11 it is not recorded."""
    quarterly = ledger.PaymentMethod.QUARTERLY
    assert ledger.month_statuses([], [month(8)], date(2025, 10, 15), quarterly) == [
        (month(8), MonthStatus.NOT_DUE)
    ]
    assert ledger.month_statuses([], [month(8)], date(2025, 11, 1), quarterly) == [
        (month(8), MonthStatus.NOT_RECORDED)
    ]
    assert ledger.unconfirmed_months([], [month(8)], date(2025, 11, 1)) == []


def test_employment_months_run_to_the_last_month_or_the_day() -> None:
    on = date(2025, 11, 20)
    assert ledger.employment_months(month(9), None, on) == [month(9), month(10), month(11)]
    assert ledger.employment_months(month(9), month(10), on) == [month(9), month(10)]
    assert ledger.employment_months(month(10), month(12, 2026), on) == [month(10), month(11)]
    assert ledger.employment_months(month(12), None, on) == []  # starts after the day
    assert ledger.employment_months(month(11, 2024), month(2), on) == [
        month(11, 2024),
        month(12, 2024),
        month(1),
        month(2),
    ]


def test_month_ranges() -> None:
    months = [month(6), month(7), month(8), month(11), month(12), month(1, 2026)]
    assert month_ranges(months) == [(month(6), month(8)), (month(11), month(1, 2026))]
    assert month_ranges([]) == []


# --------------------------------------------------------------------------------------------
# The persons import

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


def test_officer_imports_persons_of_their_districts_only(employer_a, employer_b, officer_a) -> None:  # type: ignore[no-untyped-def]
    import_persons(statement(HEADER, person_line("1700000002", employer_b.unit_code)))
    found = reasons(
        statement(
            HEADER,
            person_line("1700000001", employer_a.unit_code),
            person_line("1700000003", employer_b.unit_code),
            # Taking a person from another district's employer is refused too.
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


def test_persons_in_scope_follow_their_employers(
    employer_a, employer_b, officer_a, manager, police
) -> None:  # type: ignore[no-untyped-def]
    import_persons(
        statement(
            HEADER,
            person_line("1700000001", employer_a.unit_code),
            person_line("1700000002", employer_b.unit_code),
        )
    )
    numbers = lambda user: set(  # noqa: E731
        InsuredPerson.objects.in_scope(user).values_list("social_insurance_number", flat=True)
    )
    assert numbers(manager) == {"1700000001", "1700000002"}
    assert numbers(officer_a) == {"1700000001"}
    assert numbers(police) == set()  # nothing referred to the police


# --------------------------------------------------------------------------------------------
# The employer page


def employer_paid_until_may(district):  # type: ignore[no-untyped-def]
    employer = EmployerFactory(district=district)
    for period in MARCH_TO_AUGUST:
        ContributionFactory(employer=employer, period=period)
    PaymentFactory(employer=employer, paid_on=date(2025, 6, 20), amount=3_000_000)
    return employer


def test_employer_workers_lists_those_with_unconfirmed_months(
    district_a, django_assert_num_queries
) -> None:  # type: ignore[no-untyped-def]
    employer = employer_paid_until_may(district_a)
    for number, name, start, end in [
        ("1700000001", "Bùi Thị Hương", month(3), month(8)),
        ("1700000002", "Đinh Văn Tùng", month(7), None),
        ("1700000003", "Hà Thị Lan", month(3), month(5)),  # left in May: all paid
    ]:
        InsuredPerson.objects.create(
            social_insurance_number=number,
            full_name=name,
            date_of_birth=date(1990, 1, 1),
            sex="female",
            employer=employer,
            from_period=start,
            to_period=end,
        )
    balance = employer_statement(employer, date(2025, 10, 15)).balance
    with django_assert_num_queries(4):
        workers = employer_workers(employer, balance)
    assert (workers.persons, workers.workers_affected, workers.unconfirmed_months) == (3, 10, 5)
    assert [(w.person.full_name, w.months) for w in workers.unconfirmed] == [
        ("Bùi Thị Hương", [month(6), month(7), month(8)]),
        ("Đinh Văn Tùng", [month(7), month(8)]),
    ]


def test_employer_page_shows_the_workers_section(district_a, officer_a, client_as) -> None:  # type: ignore[no-untyped-def]
    employer = employer_paid_until_may(district_a)
    InsuredPerson.objects.create(
        social_insurance_number="1700000001",
        full_name="Bùi Thị Hương",
        date_of_birth=date(1990, 1, 1),
        sex="female",
        employer=employer,
        from_period=month(3),
        to_period=month(8),
    )
    url = reverse("employer_detail", args=[employer.unit_code])
    html = client_as(officer_a).get(url, {"on": "15/10/2025"}).content.decode()
    assert "Người lao động có tháng chưa xác nhận" in html
    assert "1 người (3 tháng), trong 1 người lao động đã nạp" in html
    assert "06/2025–08/2025" in html
    assert reverse("worker_detail", args=["1700000001"]) in html


# --------------------------------------------------------------------------------------------
# The upload page, the demo's persons and the bench file


def test_upload_page_takes_persons(employer_a, officer_a, client_as) -> None:  # type: ignore[no-untyped-def]
    client = client_as(officer_a)
    page = client.get(reverse("import_statement")).content.decode()
    assert "Người lao động" in page and "Số liệu bao phủ" in page
    upload = statement(HEADER, person_line("1700000001", employer_a.unit_code))
    upload.name = "persons.csv"
    response = client.post(reverse("import_statement"), {"kind": "persons", "file": upload})
    assert response.context["result"].created == 1
    assert InsuredPerson.objects.get().employer == employer_a


def test_share_out_by_headcount_never_more_than_it() -> None:
    assert share_out(10, [1, 3, 6]) == [1, 3, 6]
    assert share_out(5, [1, 3, 6]) == [1, 1, 3]
    assert share_out(100, [1, 3, 6]) == [1, 3, 6]
    assert sum(share_out(7, [5, 5, 5, 5])) == 7


def test_bench_persons_file_imports_whole(db, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """bench/generate.py --persons: valid, unique numbers within the employers' months, never
    more persons than an employer's employees; the file imports as it is."""
    counts = generate.write(tmp_path, 30, 6, date(2026, 1, 15), seed=3, persons=200)
    assert counts["persons"] == 200
    import_employers(tmp_path / "employers.csv")
    assert import_persons(tmp_path / "persons.csv").created == 200

    with (tmp_path / "employers.csv").open(encoding="utf-8") as f:
        employees = {row["unit_code"]: int(row["employees"]) for row in csv.DictReader(f)}
    per_employer = Counter(InsuredPerson.objects.values_list("employer__unit_code", flat=True))
    assert all(count <= employees[code] for code, count in per_employer.items())
    assert InsuredPerson.objects.filter(from_period__lt=date(2025, 7, 1)).count() == 0


def test_demo_persons_are_a_few_per_employer(district_a) -> None:  # type: ignore[no-untyped-def]
    rows = list(demo.generate(40, as_of=date(2026, 1, 15), seed=5))
    districts = {name: DistrictFactory(name=name) for name in demo.DISTRICTS}
    employers = [
        EmployerFactory(
            unit_code=r.employer["unit_code"],
            district=districts[r.employer["district"]],
            employees=r.employer["employees"],
        )
        for r in rows
    ]
    made = demo_insured.make_persons(rows, employers)
    assert made == InsuredPerson.objects.count() > 40
    for employer in employers:
        persons = list(employer.insured_persons.all())
        assert len(persons) <= min(employer.employees, demo_insured.MOST)
        assert all(p.from_period >= date(2025, 7, 1) for p in persons)
    numbers = list(InsuredPerson.objects.values_list("social_insurance_number", flat=True))
    assert len(set(numbers)) == len(numbers)
    assert all(len(n) == 10 and n.isdigit() for n in numbers)

    assert demo_insured.make_coverage((2024, 2025)) == (len(demo.DISTRICTS) + 1) * 2 * 5
    assert demo_insured.make_coverage((2024, 2025)) == 110  # replaced, not added
    province = CoverageFigure.objects.get(district=None, year=2025, quarter=None)
    districts_2025 = CoverageFigure.objects.filter(district__isnull=False, year=2025, quarter=None)
    assert province.hi == sum(f.hi for f in districts_2025)


def test_a_liaison_sees_the_workers_of_an_employer_referred_to_them_without_links(
    district_a, police, client_as
) -> None:  # type: ignore[no-untyped-def]
    employer = employer_paid_until_may(district_a)
    InsuredPerson.objects.create(
        social_insurance_number="1700000001",
        full_name="Bùi Thị Hương",
        date_of_birth=date(1990, 1, 1),
        sex="female",
        employer=employer,
        from_period=month(3),
        to_period=month(8),
    )
    case = RecoveryCase.objects.create(
        employer=employer, stage="criminal_referral", opened_on=date(2025, 9, 1)
    )
    Referral.objects.create(
        case=case, agency=police.agency, purpose="investigate", sent_on=date(2025, 10, 1)
    )
    url = reverse("employer_detail", args=[employer.unit_code])
    html = client_as(police).get(url, {"on": "15/10/2025"}).content.decode()
    assert "Bùi Thị Hương" in html and "06/2025–08/2025" in html
    assert reverse("worker_detail", args=["1700000001"]) not in html


@pytest.mark.parametrize(
    ("number", "kept"),
    [
        ("1700000001", True),
        ("170000001", False),  # nine digits
        ("170000000 ", False),  # a space
        ("17000000O1", False),  # a letter O
        ("１７００００００01", False),  # full-width digits: ten characters, not ten digits
    ],
)
def test_the_database_keeps_only_ten_digit_numbers(employer_a, number, kept) -> None:  # type: ignore[no-untyped-def]
    values = {"full_name": "Bùi Thị Hương", "date_of_birth": date(1990, 5, 31), "sex": "female"}
    make = functools.partial(
        InsuredPerson.objects.create,
        employer=employer_a,
        from_period=date(2025, 3, 1),
        social_insurance_number=number,
        **values,
    )
    if kept:
        make()
    else:
        with pytest.raises(IntegrityError, match="person_number_format"), transaction.atomic():
            make()
