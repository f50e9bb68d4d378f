"""The reports of the registry: employer_balances' columns and figures against the samples."""

from __future__ import annotations

from pathlib import Path

from arrears.imports.payments import import_payments
from tests.reports.export_files import export_report, read_csv
from tests.samples import SampleProvince
from tests.statements import statement

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


def test_interest_outstanding_is_a_report_of_its_own(
    sample_province: SampleProvince, tmp_path: Path
) -> None:
    """Rule 12: the balances and aging with interest outstanding beside the interest; the
    reports of before keep their columns (above)."""
    import_payments(
        statement(
            "unit_code,paid_on,amount,reference,purpose",
            "HB00018D,2026-11-02,34243840,LAI-18D,interest",
        )
    )
    header, *rows = read_csv(export_report(tmp_path, "employer_balances_interest", "csv", rows=40))
    assert header == [*HEADER[:-1], "interest_outstanding", "bucket"]
    assert rows[0][:1] + rows[0][6:] == [
        "HB00018D",
        "2914560000",
        "3",
        "2026-07",
        "834243840",
        "800000000",
        "3_to_6",
    ]
    assert sum(int(r[10]) for r in rows) == 1_277_264_801 - 34_243_840
    header, *aging = read_csv(export_report(tmp_path, "aging_interest", "csv"))
    assert header[-2:] == ["interest", "interest_outstanding"]
    assert sum(int(r[-1]) for r in aging) == 1_277_264_801 - 34_243_840
    plain, *_rows = read_csv(export_report(tmp_path, "aging", "csv"))
    assert plain == header[:-1]
