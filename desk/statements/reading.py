"""Reading a statement file: its kind from its first bytes, decoding, its rows as lists of
text (CSV or the first sheet of an XLSX), and the header checked against the layout."""

from __future__ import annotations

import csv
import io
import itertools
import re
import zipfile
from collections import Counter
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

# Bounds that keep a hostile file from taking a worker's memory or time: a statement has a
# few dozen columns and short lines, and an XLSX's parts besides its sheets (shared strings,
# styles) are read whole into memory by openpyxl, the sheets as a stream.
MAX_HEADER_CELLS = 256
MAX_LINE_CHARS = 1_000_000
XLSX_MAX_DIRECTORY = 1 << 20  # the zip's central directory: an XLSX lists a dozen parts
XLSX_MAX_UNCOMPRESSED = 4 << 30
XLSX_MAX_PART = 64 << 20  # any part openpyxl reads whole: shared strings, styles, workbook
XLSX_MAX_RATIO = 100  # uncompressed / compressed, for parts over a megabyte
EXCEL_MAX_ROWS = 1_048_576


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
        check_archive(stream)
        return _xlsx_records(stream, layout)
    return _csv_records(stream)


def _csv_records(stream: BinaryIO) -> Generator[list[str]]:
    """Rows of a CSV. A cell that runs over a line break into text with the delimiter is a
    quote left open, which would merge the rows after it into one: refused, naming its row."""
    text = io.TextIOWrapper(stream, encoding="utf-8-sig", newline="")  # type: ignore[type-var]
    record = 1  # the row being read, as a spreadsheet numbers it
    try:
        lines = _bounded_lines(text)
        first = next(lines, "")
        dialect = csv_dialect(first)
        reader = csv.reader(itertools.chain([first], lines), dialect)
        read = 0
        for row in reader:
            if reader.line_num - read > 1:  # a cell over a line break: rare, so looked at here
                _refuse_open_quote(row, dialect.delimiter, record)
            read = reader.line_num
            yield row
            record += 1
    except UnicodeDecodeError:
        raise refusal(
            _("Tệp không phải mã UTF-8 (lỗi ở dòng %(line)s): hãy lưu lại thành CSV UTF-8.")
            % {"line": _first_undecodable_line(stream)}
        ) from None
    except csv.Error as exc:
        reason = _("Không đọc được tệp CSV: %(reason)s") % {"reason": exc}
        if "field limit" in str(exc):
            reason = _(
                "Có ô dài hơn %(limit)s ký tự: có lẽ một dấu ngoặc kép mở ở dòng này không "
                "được đóng."
            ) % {"limit": csv.field_size_limit()}
        raise refusal(reason, line=record) from None
    finally:
        text.detach()  # the caller's file stays open


def _bounded_lines(text: io.TextIOWrapper) -> Iterator[str]:
    """The lines of ``text``, none longer than MAX_LINE_CHARS (held in memory whole)."""
    number = 0
    while line := text.readline(MAX_LINE_CHARS):
        number += 1
        if len(line) == MAX_LINE_CHARS and not line.endswith("\n"):
            raise refusal(
                _("Dòng dài quá %(limit)s ký tự: tệp không phải một bảng kê.")
                % {"limit": MAX_LINE_CHARS},
                line=number,
            )
        yield line


def _refuse_open_quote(row: list[str], delimiter: str, record: int) -> None:
    for cell in row:
        for cut in ("\n", "\r"):
            at = cell.find(cut)
            if at >= 0 and delimiter in cell[at:]:
                raise refusal(
                    _(
                        "Dấu ngoặc kép mở ở dòng này không được đóng, nên các dòng sau bị gộp "
                        "vào một ô: hãy đóng dấu ngoặc kép (hoặc bỏ dấu xuống dòng trong ô)."
                    ),
                    line=record,
                )


def check_archive(stream: BinaryIO) -> None:
    """Refuse an XLSX whose zip would unpack to more than a statement can be (a zip bomb),
    from its directory alone, before openpyxl opens it. zipfile stops each part at the size
    the directory gives (and checks its CRC), so the sizes checked here are those read."""
    broken = _("Tệp XLSX bị hỏng hoặc không phải bảng tính Excel.")
    too_big = _("Tệp XLSX giải nén ra quá lớn (%(part)s): có thể là tệp độc hại, không được nhập.")
    try:
        # zipfile's reader of the end record, which gives the directory's size before the
        # directory is read.
        end = zipfile._EndRecData(stream)
        if end is None:
            raise refusal(broken)
        if end[zipfile._ECD_SIZE] > XLSX_MAX_DIRECTORY:
            raise refusal(too_big % {"part": _("danh mục")})
        with zipfile.ZipFile(stream) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise refusal(broken) from exc
    finally:
        stream.seek(0)
    total = 0
    for part in parts:
        total += part.file_size
        sheet = part.filename.startswith("xl/worksheets/")
        if (
            (not sheet and part.file_size > XLSX_MAX_PART)
            or total > XLSX_MAX_UNCOMPRESSED
            or (
                part.file_size > 1 << 20
                and part.file_size > XLSX_MAX_RATIO * max(part.compress_size, 1)
            )
        ):
            raise refusal(too_big % {"part": part.filename[:80]})


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
        sheet = book.worksheets[0]
        # The sheet's own dimension is not trusted: it would pad every row to its width. The
        # rows stop at Excel's last, whatever row numbers the sheet claims.
        sheet.reset_dimensions()
        rows = sheet.iter_rows(max_row=EXCEL_MAX_ROWS, values_only=True)
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
    if len(names) > MAX_HEADER_CELLS:
        raise refusal(
            _("Dòng tiêu đề có %(count)s cột, quá nhiều: loại tệp này có %(columns)s cột.")
            % {"count": len(names), "columns": len(layout.columns)},
            line=1,
        )
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
    repeated = sorted(name for name, count in Counter(names).items() if name and count > 1)
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
