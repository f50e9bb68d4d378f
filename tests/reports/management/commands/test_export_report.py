"""``manage.py export_report`` refuses what it does not know: a report, a format, a date, a
grouping; it exports employer_balances with office and commune, and groups by area."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from reports.registry import REPORTS
from tests.factories import agency
from tests.reports.export_files import export_report, pdf_text, read_csv


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["nope"], f"Không có báo cáo “nope”. Các báo cáo: {', '.join(REPORTS)}."),
        (["employer_balances", "--format", "ods"], "Các định dạng: csv, xlsx, pdf."),
        (["employer_balances", "--as-of", "16/11/2026"], "Ngày phải có dạng YYYY-MM-DD."),
    ],
)
def test_command_refuses_what_it_does_not_know(
    db, tmp_path: Path, args: list[str], message: str
) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(CommandError, match=message.replace(".", r"\.")):
        call_command("export_report", *args, "--output", str(tmp_path / "x"))
    assert not (tmp_path / "x").exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["union_suits", "--by", "status"],
            "Báo cáo “union_suits” không nhóm theo --by.",
        ),
        (["recovery_by_agency", "--by", "status"], "--by chỉ nhận: agency, kind."),
        (
            ["aging", "--by", "tax_code"],
            "--by chỉ nhận: office, commune, former_province, ownership, industrial_zone, status.",
        ),
    ],
)
def test_command_refuses_a_grouping_it_does_not_know(
    db, tmp_path: Path, args: list[str], message: str
) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(CommandError, match=message.replace(".", r"\.")):
        call_command("export_report", *args, "--output", str(tmp_path / "x"))


def test_employer_balances_and_groupings_by_area(areas, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    header, *rows = read_csv(export_report(tmp_path, "employer_balances", "csv", rows=40))
    assert header[:5] == ["unit_code", "name", "office", "commune", "status"]
    found = {row[0]: row[2:4] for row in rows}
    assert found["VP00012C"] == ["Lương Sơn", "Lâm Sơn"]
    assert found["HB00037C"] == ["Lương Sơn", "Cư Yên"]
    assert found["HB00018D"] == ["Thành phố Hòa Bình", ""]

    header, *rows = read_csv(export_report(tmp_path, "aging", "csv", "--by", "commune", rows=3))
    assert [(row[0], row[1], row[7]) for row in rows] == [
        ("Cư Yên", "1", "22880000"),
        ("Lâm Sơn", "2", "338240000"),
        ("Chưa có xã/phường", "16", "8186969600"),
    ]
    _header, *rows = read_csv(
        export_report(tmp_path, "case_pipeline", "csv", "--by", "former_province", rows=2)
    )
    assert [(row[0], row[3], row[4], row[5]) for row in rows] == [
        ("Hòa Bình", "5", "2079040000", "1443200000"),
        ("Vĩnh Phúc", "1", "207168000", "164736000"),
    ]
    text = pdf_text(export_report(tmp_path, "effectiveness", "pdf", "--by", "former_province"))
    assert "Phạm vi: theo tỉnh cũ" in text and "Theo tỉnh cũ" in text and "Vĩnh Phúc" in text


# --------------------------------------------------------------------------------------------
# Recovery by agency for a period: the command's contract


def _recovery(tmp_path: Path, *args: str) -> list[list[str]]:
    path = tmp_path / "recovery.csv"
    call_command(
        "export_report", "recovery_by_agency", *args, "--format", "csv", "--output", str(path),
        stdout=io.StringIO(),
    )  # fmt: skip
    return read_csv(path)


def test_recovery_for_a_period_keeps_the_contract(world, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    header, *rows = _recovery(tmp_path, "--from", "2026-01-01", "--to", "2026-03-31")
    assert header == [
        "agency",
        "agency_kind",
        "agency_name",
        "units",
        "workers",
        "arrears_at_referral",
        "recovered",
        "recovery_rate",
    ]
    names = {code: agency(code).name for code in ("iz_board", "labour_federation")}
    assert rows[:2] == [
        ["iz_board", "iz_board", names["iz_board"], "1", "4", "0", "0", ""],
        ["labour_federation", "labour_federation", names["labour_federation"],
         "2", "17", "2400000", "400000", "16.67"],
    ]  # fmt: skip
    assert rows[2][0::3] == ["labour_inspectorate", "2", "1800000"]
    # The last row: each employer once, at its first referral in the period.
    assert rows[-1] == ["total", "", "Tổng cộng", "4", "28", "5200000", "1800000", "34.62"]
    assert len(rows) == 4

    # The second quarter had no referral: the header alone.
    assert _recovery(tmp_path, "--from", "2026-04-01", "--to", "2026-06-30") == [header]
    # --as-of alone: every referral up to the day, the totals still once per employer.
    *_rows, total = _recovery(tmp_path, "--as-of", "2026-03-31")[1:]
    assert total == ["total", "", "Tổng cộng", "5", "37", "6200000", "2800000", "45.16"]


def test_recovery_beside_the_periods_compared(world, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    header, *rows = _recovery(
        tmp_path, "--from", "2026-01-01", "--to", "2026-03-31", "--compare",
        "previous,year_before",
    )  # fmt: skip
    assert header[:6] == [
        "agency",
        "agency_kind",
        "agency_name",
        "units",
        "units_previous",
        "units_year_before",
    ]
    found = {row[0]: dict(zip(header, row, strict=True)) for row in rows}
    # The fourth quarter of 2025 held E4's referral; the first of 2025 nothing.
    inspectorate = found["labour_inspectorate"]
    assert (inspectorate["units"], inspectorate["units_previous"]) == ("2", "1")
    assert (inspectorate["arrears_at_referral_previous"], inspectorate["recovered_previous"]) == (
        "1000000",
        "0",
    )
    assert inspectorate["units_year_before"] == ""
    assert found["labour_federation"]["units_previous"] == ""
    total = found["total"]
    assert (total["units"], total["units_previous"], total["units_year_before"]) == ("4", "1", "")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--from", "2026-03-31", "--to", "2026-01-01"],
         "Ngày đầu kỳ (31/03/2026) sau ngày cuối kỳ (01/01/2026)."),
        (["--from", "2026-01-01", "--to", "9999-12-31"], "Ngày cuối kỳ không được sau 31/12/"),
        (["--from", "1990-01-01", "--to", "2026-01-31"],
         "Ngày đầu kỳ không được trước 01/01/1995."),
        (["--from", "quý 1", "--to", "2026-03-31"],
         "Ngày phải có dạng YYYY-MM-DD. Nhận được “quý 1”."),
        (["--from", "2026-02-30", "--to", "2026-03-31"], "Ngày phải có dạng YYYY-MM-DD."),
        (["--from", "2026-01-01"], "Cần cả --from và --to."),
        (["--to", "2026-01-01"], "Cần cả --from và --to."),
        (["--as-of", "2026-03-31", "--from", "2026-01-01", "--to", "2026-03-31"],
         "Dùng --as-of hoặc --from/--to, không dùng cả hai."),
        (["--from", "2026-01-01", "--to", "2026-03-31", "--compare", "last_week"],
         "--compare chỉ nhận: previous, year_before."),
        (["--compare", "previous"], "--compare chỉ dùng cùng --from và --to."),
    ],
)  # fmt: skip
def test_a_bad_period_is_refused_in_words(
    db, tmp_path: Path, args: list[str], message: str
) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(CommandError, match=re.escape(message)):
        call_command("export_report", "recovery_by_agency", *args, "--output", str(tmp_path / "x"))
    assert not (tmp_path / "x").exists()


def test_lists_are_not_compared(db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(CommandError, match="Báo cáo “reminders” là danh sách, không so sánh"):
        call_command(
            "export_report", "reminders", "--from", "2026-01-01", "--to", "2026-03-31",
            "--compare", "previous", "--output", str(tmp_path / "x"),
        )  # fmt: skip


def test_only_reports_that_count_events_take_a_period(db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(CommandError, match="Báo cáo “aging” không tính theo kỳ; --from/--to"):
        call_command(
            "export_report", "aging", "--from", "2026-01-01", "--to", "2026-03-31",
            "--output", str(tmp_path / "x"),
        )  # fmt: skip
