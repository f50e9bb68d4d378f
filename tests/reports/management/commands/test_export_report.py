"""``manage.py export_report`` refuses what it does not know: a report, a format, a date, a
grouping."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from reports.registry import REPORTS


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
            ["recovery_by_agency", "--by", "status"],
            "Báo cáo “recovery_by_agency” không nhóm theo --by.",
        ),
        (
            ["aging", "--by", "tax_code"],
            "--by chỉ nhận: office, ownership, industrial_zone, status.",
        ),
    ],
)
def test_command_refuses_a_grouping_it_does_not_know(
    db, tmp_path: Path, args: list[str], message: str
) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(CommandError, match=message.replace(".", r"\.")):
        call_command("export_report", *args, "--output", str(tmp_path / "x"))
