"""Statement files for the import tests, and what an import asked of the database."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

import openpyxl
from django.core.management import ManagementUtility
from django.db import connection
from django.test.utils import CaptureQueriesContext

# The province's published coverage figures: the province 2023-2024 (2024 is the published
# figure), Lương Sơn 2023-2024 and Tân Lạc 2024.
COVERAGE_SAMPLE = Path(__file__).resolve().parents[1] / "docs" / "samples" / "coverage.csv"


def statement(*lines: str, bom: bool = False) -> io.BytesIO:
    """A CSV statement file from its lines (header included)."""
    return io.BytesIO(("\ufeff" if bom else "").encode() + "\n".join(lines).encode("utf-8"))


def xlsx(rows: list[list[object]]) -> io.BytesIO:
    """An XLSX statement file from its rows (header included), in its first sheet."""
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    out.seek(0)
    return out


def check_passes(importer: Callable[[io.BytesIO], object], file: io.BytesIO) -> int:
    """How many times the import ran the checks as a query of their own (refuse_bad_rows)."""
    with CaptureQueriesContext(connection) as queries:
        importer(file)
    return sum("count(*) OVER ()" in query["sql"] for query in queries.captured_queries)


def run_manage(*argv: str) -> int:
    """Run ``manage.py`` in this process and return its exit status."""
    try:
        ManagementUtility(["manage.py", *argv]).execute()
    except SystemExit as exit_:
        return int(exit_.code or 0)
    return 0
