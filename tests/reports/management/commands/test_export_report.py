"""``manage.py export_report`` refuses what it does not know: a report, a format, a date, a
grouping; it exports employer_balances with office and commune, and groups by area."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from reports.registry import REPORTS
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
