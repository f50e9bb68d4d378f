"""Hostile statement files, for the hardening tests (tests/hardening/test_hostile_files.py)
and the load test's hostile mode (bench/load_test.py --hostile): each as issue 19 found it."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

PAYMENTS = "unit_code,paid_on,amount,reference"
MB = 1 << 20
SHARED_STRINGS = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"


def shared_string_bomb(path: Path, *, megabytes: int = 400) -> Path:
    """A payments XLSX of about 400 KB whose one shared string, the reference of its one row,
    unpacks to ``megabytes``."""
    import openpyxl

    book = openpyxl.Workbook()
    book.active.append(PAYMENTS.split(","))
    book.active.append(["HB001", "2025-08-05", 1000, "x"])
    sound_bytes = io.BytesIO()
    book.save(sound_bytes)
    sound = zipfile.ZipFile(sound_bytes)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as bomb:
        for part in sound.infolist():
            content = sound.read(part)
            if part.filename == "[Content_Types].xml":
                override = (
                    f'<Override PartName="/xl/sharedStrings.xml" ContentType="{SHARED_STRINGS}"/>'
                )
                content = content.replace(b"</Types>", f"{override}</Types>".encode())
            elif part.filename == "xl/worksheets/sheet1.xml":  # the reference: string 0
                content = content.replace(
                    b'<c r="D2" t="inlineStr"><is><t>x</t></is></c>',
                    b'<c r="D2" t="s"><v>0</v></c>',
                )
            bomb.writestr(part, content)
        with bomb.open("xl/sharedStrings.xml", "w", force_zip64=True) as strings:
            strings.write(b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml')
            strings.write(b'/2006/main" count="1" uniqueCount="1"><si><t>')
            chunk = b"A" * MB
            for _n in range(megabytes):
                strings.write(chunk)
            strings.write(b"</t></si></sst>")
    return path


def wide_header_csv(columns: int = 100_000) -> bytes:
    """A payments CSV whose header has ``columns`` more columns."""
    header = ",".join([PAYMENTS, *(f"c{i}" for i in range(columns))])
    return f"{header}\nHB001,2025-08-05,1000,x\n".encode()


def open_quote_csv() -> bytes:
    """Payments where row 3 opens a quote that row 4 closes: two payments read as one."""
    lines = [
        PAYMENTS,
        "HB001,2025-08-05,1000000,UNC-1",
        'HB001,2025-08-06,2000000,"UNC-2',
        'HB002,2025-08-07,3000000,UNC-3"',
        "HB002,2025-08-08,4000000,UNC-4",
    ]
    return "\n".join(lines).encode()


def many_rows_csv(path: Path, rows: int = 1_500_000) -> Path:
    """A payments CSV of ``rows`` rows (about 45 MB for a million and a half)."""
    with path.open("w", encoding="utf-8") as out:
        out.write(PAYMENTS + "\n")
        for i in range(rows):
            out.write(f"HB001,2025-08-05,{i + 1},UNC-{i}\n")
    return path
