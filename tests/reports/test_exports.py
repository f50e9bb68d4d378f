"""The export services: every report of the registry written in every format and recorded."""

from __future__ import annotations

from pathlib import Path

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
