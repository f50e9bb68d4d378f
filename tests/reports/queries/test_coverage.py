"""Coverage (reports.queries.coverage): the rates as the offices publish them, the periods, and
the report by office and province. The page, its exports and ``export_report coverage``:
tests/reports/test_views.py."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from participants.models import CoverageFigure
from reports.queries.base import share
from reports.queries.coverage import Period, coverage_rows, period_on


def test_worked_example_from_the_published_figures() -> None:
    """112,488 SI participants (73,807 compulsory + 38,681 voluntary) of a labour force of
    421,303 are 26.7 %; HI 842,104 of a population of 905,488, 93.0 %; compulsory SI at
    its plan, 100 %."""
    assert 73_807 + 38_681 == 112_488
    assert share(112_488, 421_303) == Decimal("0.267")
    assert share(842_104, 905_488) == Decimal("0.930")
    assert share(73_807, 73_807) == Decimal("1.000")
    assert share(1, 20_000) == Decimal("0.0001")  # 0.005 % rounds half up to 0.01 %
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


def test_report_by_office_then_the_province(coverage_sample) -> None:  # type: ignore[no-untyped-def]
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
    assert province.ui_of_labour_force == Decimal("0.1567")
    assert (
        province.compulsory_si_of_plan,
        province.voluntary_si_of_plan,
        province.si_of_plan,
        province.ui_of_plan,
        province.hi_of_plan,
    ) == (Decimal(1), Decimal("0.9434"), Decimal("0.9798"), Decimal("0.9783"), Decimal("0.9907"))
    # Change on 2023: SI 105,519 -> 112,488, UI 63,890 -> 66,037, HI 829,310 -> 842,104.
    assert (province.si_change, province.ui_change, province.hi_change) == (6_969, 2_147, 12_794)
    assert (luong_son.si, luong_son.si_of_labour_force, luong_son.si_change) == (
        22_104,
        Decimal("0.3502"),
        988,
    )
    assert (tan_lac.si_of_labour_force, tan_lac.si_change) == (Decimal("0.1990"), None)


def test_a_quarter_without_plans_and_no_office_figures(coverage_sample) -> None:  # type: ignore[no-untyped-def]
    (province,) = coverage_rows(on=date(2025, 3, 1), user=None, period=Period(2024, 4))
    assert (province.area, province.si, province.si_of_plan, province.si_change) == (
        "Toàn tỉnh",
        112_488,
        None,
        None,
    )


def test_without_a_province_figure_the_offices_are_added_up(coverage_sample) -> None:  # type: ignore[no-untyped-def]
    CoverageFigure.objects.filter(office__isnull=True).delete()
    *_offices, total = coverage_rows(on=date(2025, 3, 1), user=None)
    assert (total.area, total.si, total.labour_force) == ("Cộng các BHXH cơ sở", 30_524, 105_435)
    assert total.si_of_labour_force == Decimal("0.2895")  # 30,524 / 105,435
    assert total.si_change is None  # Tân Lạc has no 2023 figure


def test_officer_sees_their_offices_and_the_province(coverage_sample, officer_a) -> None:  # type: ignore[no-untyped-def]
    rows = coverage_rows(on=date(2025, 3, 1), user=officer_a)
    assert [row.area for row in rows] == ["Lương Sơn", "Toàn tỉnh"]
