"""Reports exported through ``manage.py export_report``, and the files read back."""

from __future__ import annotations

import csv
import io
import shutil
import subprocess
from pathlib import Path

import openpyxl
from django.core.management import call_command
from pypdf import PdfReader


def export_report(
    tmp_path: Path, name: str, fmt: str, *extra: str, rows: int | None = None
) -> Path:
    """The report ``name`` of the samples' day as ``fmt``; ``rows``: how many the command must
    say it wrote."""
    path = tmp_path / f"{name}.{fmt}"
    out = io.StringIO()
    call_command(
        "export_report",
        name,
        "--as-of",
        "2026-11-16",
        "--format",
        fmt,
        "--output",
        str(path),
        *extra,
        stdout=out,
    )
    assert out.getvalue().startswith("Đã ghi ")
    if rows is not None:
        assert out.getvalue().strip() == f"Đã ghi {rows} dòng vào {path}."
    return path


def read_csv(path: Path) -> list[list[str]]:
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # the BOM Excel needs for UTF-8
    return list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))


def read_xlsx(path: Path) -> list[list[object]]:
    sheet = openpyxl.load_workbook(path).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def pdf_text(path: Path) -> str:
    reader = PdfReader(path)
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def pdf_layout(path: Path) -> str:
    """The PDF's text as poppler's pdftotext lays it out (lines as printed)."""
    tool = shutil.which("pdftotext")
    assert tool, "poppler-utils (pdftotext) is needed"
    done = subprocess.run(  # noqa: S603 (a fixed tool on a file the test wrote)
        [tool, "-layout", str(path), "-"], capture_output=True, check=True, text=True
    )
    return done.stdout
