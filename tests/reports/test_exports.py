"""The export services: every report of the registry written in every format and recorded."""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path

from reports import exports
from reports.models import ExportRecord
from reports.registry import REPORTS
from reports.writers import WRITERS
from tests.reports.export_files import export_report
from tests.samples import SampleProvince


def test_every_report_in_every_format(referred: SampleProvince, tmp_path: Path) -> None:
    for name in REPORTS:
        for fmt in WRITERS:
            path = export_report(tmp_path, name, fmt)
            assert path.stat().st_size > 0, (name, fmt)
    recorded = ExportRecord.objects.filter(source=ExportRecord.Source.COMMAND)
    assert recorded.count() == len(REPORTS) * len(WRITERS)
    entry = recorded.get(report="aging", format="pdf")
    assert (entry.user, entry.status, entry.params) == (
        None,
        "done",
        {"on": "2026-11-16"},
    )


def test_a_period_compared_is_exported_in_the_background(world, manager) -> None:  # type: ignore[no-untyped-def]
    wanted = exports.Request(
        "recovery_by_agency",
        date(2026, 3, 31),
        {"office": None},
        {"by": "agency"},
        date(2026, 1, 1),
        ("previous",),
    )
    params = wanted.params()
    assert params == {
        "on": "2026-03-31",
        "start": "2026-01-01",
        "compare": ["previous"],
        "by": "agency",
    }
    assert exports.Request.from_params("recovery_by_agency", params) == exports.Request(
        "recovery_by_agency",
        date(2026, 3, 31),
        {},
        {"by": "agency"},
        date(2026, 1, 1),
        ("previous",),
    )
    entry = exports.record(
        wanted,
        "csv",
        user=manager,
        source=ExportRecord.Source.TASK,
        status=ExportRecord.Status.QUEUED,
    )
    exports.run_background_export(entry.pk)
    entry.refresh_from_db()
    assert (entry.status, entry.rows_written) == ("done", 3)
    assert entry.filename == "thu-hoi-theo-co-quan-2026-01-01-2026-03-31.csv"
    lines = list(csv.reader(io.StringIO(entry.file.read().decode("utf-8-sig"))))
    assert lines[0][3:5] == ["units", "units_previous"]
    assert lines[-1][:5] == ["total", "", "Tổng cộng", "4", "1"]
