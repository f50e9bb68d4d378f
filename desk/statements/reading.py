"""Reading a statement file: its kind from its first bytes, decoding, its rows as lists of
text (CSV or the first sheet of an XLSX), and the header checked against the layout."""

from __future__ import annotations

import csv
import io
import itertools
import re
from collections.abc import Generator, Iterator
from contextlib import contextmanager
from datetime import date, datetime, time
from pathlib import Path
from typing import Any, BinaryIO

from django.utils.translation import gettext as _

from desk.statements.results import Layout, RowError, StatementRefused, refusal

_XLSX_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls and other old Office files
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
SNIFF_BYTES = 4096


def normalise_header(name: object) -> str:
    """ " Unit Code " -> "unit_code": header names ignore case, spaces and hyphens."""
    return re.sub(r"[\s\-]+", "_", str(name if name is not None else "").strip().lower())


@contextmanager
def opened(file: BinaryIO | Path) -> Iterator[BinaryIO]:
    """The file from its first byte: a path opened, an upload rewound (and left open)."""
    if isinstance(file, Path):
        with file.open("rb") as handle:
            yield handle
    else:
        file.seek(0)
        yield file


def sniff(stream: BinaryIO) -> str:
    """ "csv" or "xlsx", from the file's first bytes; StatementRefused for anything else."""
    head = stream.read(SNIFF_BYTES)
    stream.seek(0)
    if not head.strip(b" \t\r\n\xef\xbb\xbf"):
        raise refusal(_("Tệp rỗng."))
    if head.startswith(_XLSX_MAGIC):
        return "xlsx"
    if head.startswith(_OLE_MAGIC):
        raise refusal(
            _("Tệp Excel cũ (.xls) không được hỗ trợ: hãy lưu lại thành .xlsx hoặc CSV UTF-8.")
        )
    if head.startswith(_UTF16_BOMS):
        raise refusal(_("Tệp mã UTF-16: hãy lưu lại thành CSV UTF-8."))
    if b"\x00" in head:
        raise refusal(_("Tệp không phải CSV hay XLSX (tệp nhị phân)."))
    return "csv"


def read_records(stream: BinaryIO, layout: Layout) -> Generator[list[str]]:
    """The file's rows as lists of text, header first, whatever its kind."""
    if sniff(stream) == "xlsx":
        return _xlsx_records(stream, layout)
    return _csv_records(stream)


def _csv_records(stream: BinaryIO) -> Generator[list[str]]:
    text = io.TextIOWrapper(stream, encoding="utf-8-sig", newline="")  # type: ignore[type-var]
    try:
        first = text.readline()
        dialect = csv_dialect(first)
        yield from csv.reader(itertools.chain([first], text), dialect)
    except UnicodeDecodeError:
        raise refusal(
            _("Tệp không phải mã UTF-8 (lỗi ở dòng %(line)s): hãy lưu lại thành CSV UTF-8.")
            % {"line": _first_undecodable_line(stream)}
        ) from None
    except csv.Error as exc:
        raise refusal(_("Không đọc được tệp CSV: %(reason)s") % {"reason": exc}) from None
    finally:
        text.detach()  # the caller's file stays open


def csv_dialect(header: str) -> type[csv.Dialect]:
    """Comma, or the semicolon Excel writes where the decimal mark is a comma."""
    dialect = csv.excel
    if header.count(";") > header.count(","):

        class Semicolon(csv.excel):
            delimiter = ";"

        dialect = Semicolon
    return dialect


def _first_undecodable_line(stream: BinaryIO) -> int:
    stream.seek(0)
    for number, raw in enumerate(iter(stream.readline, b""), start=1):
        try:
            raw.decode("utf-8")
        except UnicodeDecodeError:
            return number
    return 1


def _xlsx_records(stream: BinaryIO, layout: Layout) -> Generator[list[str]]:
    """Rows of the first worksheet; numbers and dates rendered as the CSV would hold them."""
    import openpyxl  # only XLSX uploads pay for importing it

    broken = _("Tệp XLSX bị hỏng hoặc không phải bảng tính Excel.")
    try:
        book = openpyxl.load_workbook(stream, read_only=True, data_only=True)
        rows = book.worksheets[0].iter_rows(values_only=True)
    except Exception as exc:  # openpyxl raises anything from zipfile, lxml and its own checks
        raise refusal(broken) from exc
    try:
        months: frozenset[int] = frozenset()
        numbers: frozenset[int] = frozenset()
        width = 0
        for index, row in enumerate(_guarded(rows, broken)):
            if index == 0:
                width = len(row)
                names = [normalise_header(name) for name in row]
                months = frozenset(
                    i for i, name in enumerate(names) if name in layout.month_columns
                )
                numbers = frozenset(
                    i for i, name in enumerate(names) if name in layout.number_columns
                )
            cells = [
                _cell_text(value, month=i in months, number=i in numbers)
                for i, value in enumerate(row)
            ]
            # A missing cell in a sheet is an empty one, not a short row.
            yield cells + [""] * (width - len(cells))
    finally:
        book.close()


def _guarded(rows: Iterator[tuple[Any, ...]], message: str) -> Iterator[tuple[Any, ...]]:
    while True:
        try:
            row = next(rows)
        except StopIteration:
            return
        except Exception as exc:  # a corrupt sheet fails while it is read, not when opened
            raise refusal(message) from exc
        yield row


def _cell_text(value: object, *, month: bool = False, number: bool = False) -> str:
    """A cell as a CSV would hold it: a date as ISO text, a whole number as digits. A fraction
    in a number column takes the decimal comma Vietnamese Excel shows (12,5), which no
    thousands reading takes (1.234 would be read as 1234)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value).upper()
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        return repr(value).replace(".", ",") if number else repr(value)
    if isinstance(value, datetime) and value.time() == time(0):
        value = value.date()
    if isinstance(value, date) and not isinstance(value, datetime):
        return value.strftime("%Y-%m" if month else "%Y-%m-%d")
    return str(value)


def check_header(cells: list[str], layout: Layout) -> list[str]:
    """The file's columns in file order, or StatementRefused naming what is wrong: an unknown,
    blank or repeated column, a required one missing, or a column and its older stand-in both
    there (or neither)."""
    names = [normalise_header(cell) for cell in cells]
    while names and not names[-1]:
        names.pop()  # spreadsheets often carry empty cells after the last column
    if not names:
        raise refusal(_("Dòng đầu tiên phải là dòng tiêu đề, nhưng đang trống."), line=1)
    errors = []
    blanks = [str(i + 1) for i, name in enumerate(names) if not name]
    if blanks:
        errors.append(
            _("Tiêu đề trống ở cột thứ %(positions)s.") % {"positions": ", ".join(blanks)}
        )
    unknown = [name for name in dict.fromkeys(names) if name and name not in layout.columns]
    if unknown:
        errors.append(
            _("Cột không xác định: %(unknown)s. Các cột hợp lệ: %(columns)s.")
            % {"unknown": ", ".join(unknown), "columns": ", ".join(layout.columns)}
        )
    repeated = sorted({name for name in names if name and names.count(name) > 1})
    if repeated:
        errors.append(_("Cột lặp lại: %(columns)s.") % {"columns": ", ".join(repeated)})
    stood_in_for = {current for _old, current in layout.older}
    missing = [name for name in layout.required if name not in names and name not in stood_in_for]
    if missing:
        errors.append(_("Thiếu cột: %(columns)s.") % {"columns": ", ".join(missing)})
    for old, current in layout.older:
        if old not in names and current not in names:
            errors.append(
                _("Thiếu cột %(current)s (hoặc cột %(old)s của mẫu cũ).")
                % {"old": old, "current": current}
            )
        elif old in names and current in names:
            errors.append(
                _(
                    "Cột %(old)s (mẫu cũ) thay cho cột %(current)s: tệp chỉ được có một trong "
                    "hai cột."
                )
                % {"old": old, "current": current}
            )
    if errors:
        raise StatementRefused([RowError(1, "", message) for message in errors])
    return names
