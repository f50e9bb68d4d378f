"""Coverage: the rates as the offices publish them, the report by district and province, the
page and its exports, and ``export_report coverage``.

These test reports' coverage queries and page; they came with the coverage import's tests
and wait here to join the reports tests."""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal

import openpyxl
from django.core.management import call_command
from django.urls import reverse
from pypdf import PdfReader

from participants.models import CoverageFigure
from reports.queries.base import share
from reports.queries.coverage import Period, coverage_rows, period_on

PAGE = reverse("coverage_report")


def test_worked_example_from_the_published_figures() -> None:
    """112,488 SI participants (73,807 compulsory + 38,681 voluntary) of a labour force of
    421,303 are 26.7 %; HI 842,104 of a population of 905,488, 93.0 %; compulsory SI at
    its plan, 100 %."""
    assert 73_807 + 38_681 == 112_488
    assert share(112_488, 421_303) == Decimal("0.267")
    assert share(842_104, 905_488) == Decimal("0.930")
    assert share(73_807, 73_807) == Decimal("1.000")
    assert share(1, 2_000) == Decimal("0.001")  # 0.05 % rounds half up to 0.1 %
    assert share(5, None) is None and share(5, 0) is None


def test_periods_the_previous_one_and_the_one_closed_by_a_day() -> None:
    assert Period(2024).previous == Period(2023)
    assert Period(2024, 1).previous == Period(2023, 4)
    assert Period(2024, 3).previous == Period(2024, 2)
    assert (Period.parse("2024-Q3"), Period.parse("2024"), Period.parse("2024-Q5")) == (
        Period(2024, 3),
        Period(2024),
        None,
    )
    choices = [Period(2024), Period(2024, 4), Period(2024, 3), Period(2023)]
    assert period_on(date(2025, 1, 1), choices) == Period(2024)  # a year before its Q4
    assert period_on(date(2024, 12, 31), choices) == Period(2024, 3)
    assert period_on(date(2023, 12, 31), choices) is None


def test_report_by_district_then_the_province(sample) -> None:  # type: ignore[no-untyped-def]
    luong_son, tan_lac, province = coverage_rows(on=date(2025, 3, 1), user=None)
    assert (luong_son.period, luong_son.area, tan_lac.area, province.area) == (
        "Năm 2024",
        "Lương Sơn",
        "Tân Lạc",
        "Toàn tỉnh",
    )
    assert province.is_total and not luong_son.is_total
    assert (province.compulsory_si, province.voluntary_si, province.si) == (73_807, 38_681, 112_488)
    assert province.si_of_labour_force == Decimal("0.267")
    assert province.hi_of_population == Decimal("0.930")
    assert province.ui_of_labour_force == Decimal("0.157")
    assert (
        province.compulsory_si_of_plan,
        province.voluntary_si_of_plan,
        province.si_of_plan,
        province.ui_of_plan,
        province.hi_of_plan,
    ) == (Decimal("1.000"), Decimal("0.943"), Decimal("0.980"), Decimal("0.978"), Decimal("0.991"))
    # Change on 2023: SI 105,519 -> 112,488, UI 63,890 -> 66,037, HI 829,310 -> 842,104.
    assert (province.si_change, province.ui_change, province.hi_change) == (6_969, 2_147, 12_794)
    assert (luong_son.si, luong_son.si_of_labour_force, luong_son.si_change) == (
        22_104,
        Decimal("0.350"),
        988,
    )
    assert (tan_lac.si_of_labour_force, tan_lac.si_change) == (Decimal("0.199"), None)


def test_a_quarter_without_plans_and_no_district_figures(sample) -> None:  # type: ignore[no-untyped-def]
    (province,) = coverage_rows(on=date(2025, 3, 1), user=None, period=Period(2024, 4))
    assert (province.area, province.si, province.si_of_plan, province.si_change) == (
        "Toàn tỉnh",
        112_488,
        None,
        None,
    )


def test_without_a_province_figure_the_districts_are_added_up(sample) -> None:  # type: ignore[no-untyped-def]
    CoverageFigure.objects.filter(district__isnull=True).delete()
    *_districts, total = coverage_rows(on=date(2025, 3, 1), user=None)
    assert (total.area, total.si, total.labour_force) == ("Cộng các quận/huyện", 30_524, 105_435)
    assert total.si_of_labour_force == Decimal("0.290")  # 30,524 / 105,435
    assert total.si_change is None  # Tân Lạc has no 2023 figure


def test_officer_sees_their_districts_and_the_province(sample, officer_a) -> None:  # type: ignore[no-untyped-def]
    rows = coverage_rows(on=date(2025, 3, 1), user=officer_a)
    assert [row.area for row in rows] == ["Lương Sơn", "Toàn tỉnh"]


# --------------------------------------------------------------------------------------------
# The page and the exports


def test_page_for_each_role(sample, manager, officer_a, police, client_as) -> None:  # type: ignore[no-untyped-def]
    response = client_as(manager).get(PAGE)
    assert response.status_code == 200
    assert response.context["chosen"] == Period(2024)  # the latest closed year
    html = response.content.decode()
    assert "26,7\u00a0%" in html and "93,0\u00a0%" in html and "+6.969" in html
    assert [row.area for row in response.context["rows"]] == ["Lương Sơn", "Tân Lạc", "Toàn tỉnh"]

    rows = client_as(officer_a).get(PAGE, {"ky": "2024"}).context["rows"]
    assert [row.area for row in rows] == ["Lương Sơn", "Toàn tỉnh"]
    assert client_as(police).get(PAGE).status_code == 404


def test_page_exports_csv_and_xlsx(sample, manager, client_as) -> None:  # type: ignore[no-untyped-def]
    client = client_as(manager)
    response = client.get(PAGE, {"ky": "2024", "format": "csv"})
    assert response["Content-Disposition"] == 'attachment; filename="bao-phu-2024.csv"'
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    province = rows[-1]
    assert (province["area"], province["si"], province["si_of_labour_force"]) == (
        "Toàn tỉnh",
        "112488",
        "26.7",
    )
    assert (province["hi_of_population"], province["si_change"]) == ("93.0", "6969")
    assert rows[1]["si_change"] == ""  # Tân Lạc: no figure the year before

    response = client.get(PAGE, {"ky": "2024", "format": "xlsx"})
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert (sheet["A1"].value, sheet["A2"].value) == (
        "Tình hình bao phủ BHXH, BHTN, BHYT",
        "Năm 2024",
    )
    last = [cell.value for cell in sheet[6]]  # heading (2), labels, three areas
    assert (last[1], last[6], last[8]) == ("Toàn tỉnh", 112_488, 0.267)
    assert sheet.cell(6, 9).number_format == "0.0%"


def test_page_exports_pdf(sample, manager, client_as) -> None:  # type: ignore[no-untyped-def]
    response = client_as(manager).get(PAGE, {"ky": "2024", "format": "pdf"})
    assert response["Content-Type"] == "application/pdf"
    text = " ".join(PdfReader(io.BytesIO(response.content)).pages[0].extract_text().split())
    assert "Năm 2024" in text and "Toàn tỉnh" in text and "26,7 %" in text


def test_export_report_command(sample, tmp_path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "coverage.csv"
    call_command("export_report", "coverage", "--as-of", "2025-03-01", "--output", str(out))
    rows = list(csv.DictReader(out.open(encoding="utf-8-sig")))
    assert [(r["period"], r["area"], r["si_of_labour_force"]) for r in rows] == [
        ("Năm 2024", "Lương Sơn", "35.0"),
        ("Năm 2024", "Tân Lạc", "19.9"),
        ("Năm 2024", "Toàn tỉnh", "26.7"),
    ]
    xlsx = tmp_path / "coverage.xlsx"
    call_command(
        "export_report", "coverage", "--as-of", "2025-03-01", "--format", "xlsx",
        "--output", str(xlsx),
    )  # fmt: skip
    assert openpyxl.load_workbook(xlsx).active["B4"].value == "Lương Sơn"
