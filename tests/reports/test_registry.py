"""The reports of the registry: employer_balances' columns and figures against the samples."""

from __future__ import annotations

from pathlib import Path

from tests.reports.export_files import export_report, read_csv
from tests.samples import SampleProvince

HEADER = [
    "unit_code",
    "name",
    "office",
    "commune",
    "status",
    "employees",
    "arrears",
    "months_in_arrears",
    "oldest_unpaid_period",
    "interest",
    "bucket",
]


def test_csv_matches_expected(sample_province: SampleProvince, tmp_path: Path) -> None:
    header, *rows = read_csv(export_report(tmp_path, "employer_balances", "csv", rows=40))
    assert header == HEADER
    expected = sample_province.expected["employers"]
    assert len(rows) == len(expected) == 40
    for row in rows:
        record = dict(zip(HEADER, row, strict=True))
        want = expected[record["unit_code"]]
        assert record["name"] == sample_province.employers[record["unit_code"]].name
        assert (
            record["status"],
            record["employees"],
            record["arrears"],
            record["months_in_arrears"],
            record["oldest_unpaid_period"],
            record["interest"],
        ) == (
            want["status"],
            str(want["employees"]),
            str(want["arrears"]),
            str(want["months_in_arrears"]),
            want["oldest_unpaid_period"] or "",
            str(want["interest"]),
        )
    totals = sample_province.expected["totals"]
    assert sum(int(r[6]) for r in rows) == totals["arrears"]
    assert sum(int(r[9]) for r in rows) == totals["interest"]
    # Largest arrears first; plain integers, no separators.
    assert rows[0][:1] + rows[0][6:] == [
        "HB00018D",
        "2914560000",
        "3",
        "2026-07",
        "834243840",
        "3_to_6",
    ]
