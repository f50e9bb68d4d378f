"""Statement files in: what the employer, contribution and payment imports share.

A statement is CSV (UTF-8, with or without BOM) or XLSX, its first row the header, columns in
any order (DOMAIN.md, "Statement files"). Python only reads the file's structure here: it
sniffs the kind, decodes, checks the header and counts cells, and streams every row, with
its row number, into a TEMP staging table of text columns through psycopg's COPY. Each
import then checks the values with one set-based query over that table (``refuse_bad_rows``)
and writes with a few set-based statements: no Python work per row beyond reading it, and a
bad file is refused whole, with every reason, before anything is written. A first load into
an empty table checks and writes in one pass instead (``write_checked``), and a bad file is
taken back before its reasons are given.

Row numbers are those a spreadsheet shows: the header is row 1. A column the importer does
not know is refused (not ignored), so a misspelt header cannot silently drop a column.
"""

from __future__ import annotations

import codecs
import csv
import io
import itertools
import re
import unicodedata
from collections.abc import Callable, Generator, Iterable, Iterator, Mapping, Sequence
from contextlib import closing, contextmanager
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time
from pathlib import Path
from typing import Any, BinaryIO

import psycopg
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import IntegrityError, transaction
from django.db.models import Model
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from audit import record_import
from desk.bulkload import first_load

# Reasons shown for a refused file: enough to fix a systematic mistake, few enough to read.
MAX_REASONS = 200
STAGING_TABLE = "statement_rows"

_XLSX_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls and other old Office files
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
_SNIFF_BYTES = 4096
_COPY_CHUNK = 1 << 20
# What Python's str.strip() and str.split() take for white space, spelled for PostgreSQL's
# btrim() and regular expressions, so that SQL tidies a value exactly as the reader would.
WHITESPACE = "".join(
    map(
        chr,
        (
            *range(0x09, 0x0E),
            *range(0x1C, 0x21),
            0x85,
            0xA0,
            0x1680,
            *range(0x2000, 0x200B),
            0x2028,
            0x2029,
            0x202F,
            0x205F,
            0x3000,
        ),
    )
)


@dataclass(frozen=True)
class RowError:
    """Why one row (or, with ``line`` None, the whole file) is refused."""

    line: int | None  # the row as the user sees it in the file: the header is row 1
    column: str  # the file's column name, "" when the reason is about the row or the file
    message: str


class StatementRefused(Exception):
    """The file was refused whole and nothing was written.

    ``errors`` holds the first ``MAX_REASONS`` reasons in row order; ``total`` counts them all.
    """

    def __init__(self, errors: Sequence[RowError], *, total: int | None = None) -> None:
        ordered = sorted(errors, key=lambda error: error.line or 0)
        self.errors: list[RowError] = ordered[:MAX_REASONS]
        self.total = max(total if total is not None else len(ordered), len(self.errors))
        super().__init__("\n".join(self.lines()))

    @property
    def omitted(self) -> int:
        return self.total - len(self.errors)

    def lines(self) -> list[str]:
        """One line of text per reason, as the commands print them."""
        out = []
        for error in self.errors:
            where = [_("Dòng %(line)s") % {"line": error.line}] if error.line else []
            if error.column:
                where.append(_("cột %(column)s") % {"column": error.column})
            prefix = ", ".join(where)
            out.append(f"{prefix}: {error.message}" if prefix else error.message)
        if self.omitted:
            out.append(_("… và %(count)s lỗi khác.") % {"count": self.omitted})
        return out


@dataclass(frozen=True)
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    new_districts: int = 0

    @property
    def rows(self) -> int:
        return self.created + self.updated + self.unchanged

    def summary(self) -> str:
        text = _(
            "%(rows)s dòng: %(created)s thêm mới, %(updated)s cập nhật, %(unchanged)s không đổi."
        )
        text %= {
            "rows": self.rows,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
        }
        if self.new_districts:
            text += " " + ngettext(
                "%(count)s quận/huyện mới.", "%(count)s quận/huyện mới.", self.new_districts
            ) % {"count": self.new_districts}
        return text


@dataclass(frozen=True)
class Layout:
    """The columns of one kind of statement file."""

    columns: tuple[str, ...]
    # Written text (names, addresses): NFC-normalised and inner spaces collapsed, so the same
    # name typed on two machines matches.
    free_text: frozenset[str] = frozenset()
    # An XLSX date cell here means the month it falls in (YYYY-MM), not the day.
    month_columns: frozenset[str] = frozenset()
    # Columns whose checks refuse any white space (codes matched exactly, digits, dates): a
    # file copied as it is may leave them untrimmed, since a padded value is caught by its
    # check and the file then read again by the Python reader, which trims. At least one of
    # them must be required, so that a blank row is caught the same way. The other columns
    # are trimmed (free text also normalised) in SQL after the copy.
    strict: frozenset[str] = frozenset()


@dataclass
class Staged:
    """A statement loaded into the staging table, with what its structure got wrong."""

    table: str
    file: BinaryIO | Path
    layout: Layout
    rows: int = 0
    problems: list[RowError] = field(default_factory=list)
    problem_count: int = 0
    # Loaded by PostgreSQL's own COPY, strict columns as typed (see Layout.strict).
    copied_raw: bool = False

    def note(self, error: RowError) -> None:
        self.problem_count += 1
        if len(self.problems) < MAX_REASONS:
            self.problems.append(error)


def normalise_header(name: object) -> str:
    """ " Unit Code " -> "unit_code": header names ignore case, spaces and hyphens."""
    return re.sub(r"[\s\-]+", "_", str(name if name is not None else "").strip().lower())


def _refuse(message: str, line: int | None = None, column: str = "") -> StatementRefused:
    return StatementRefused([RowError(line, column, message)])


# ---------------------------------------------------------------------------------------------
# Reading: file kind, decoding, records


@contextmanager
def _opened(file: BinaryIO | Path) -> Iterator[BinaryIO]:
    if isinstance(file, Path):
        with file.open("rb") as handle:
            yield handle
    else:
        file.seek(0)
        yield file


def _sniff(stream: BinaryIO) -> str:
    """ "csv" or "xlsx", from the file's first bytes; StatementRefused for anything else."""
    head = stream.read(_SNIFF_BYTES)
    stream.seek(0)
    if not head.strip(b" \t\r\n\xef\xbb\xbf"):
        raise _refuse(_("Tệp rỗng."))
    if head.startswith(_XLSX_MAGIC):
        return "xlsx"
    if head.startswith(_OLE_MAGIC):
        raise _refuse(
            _("Tệp Excel cũ (.xls) không được hỗ trợ: hãy lưu lại thành .xlsx hoặc CSV UTF-8.")
        )
    if head.startswith(_UTF16_BOMS):
        raise _refuse(_("Tệp mã UTF-16: hãy lưu lại thành CSV UTF-8."))
    if b"\x00" in head:
        raise _refuse(_("Tệp không phải CSV hay XLSX (tệp nhị phân)."))
    return "csv"


def _records(stream: BinaryIO, layout: Layout) -> Generator[list[str]]:
    """The file's rows as lists of text, header first, whatever its kind."""
    if _sniff(stream) == "xlsx":
        return _xlsx_records(stream, layout)
    return _csv_records(stream)


def _csv_records(stream: BinaryIO) -> Generator[list[str]]:
    text = io.TextIOWrapper(stream, encoding="utf-8-sig", newline="")  # type: ignore[type-var]
    try:
        first = text.readline()
        dialect = _dialect(first)
        yield from csv.reader(itertools.chain([first], text), dialect)
    except UnicodeDecodeError:
        raise _refuse(
            _("Tệp không phải mã UTF-8 (lỗi ở dòng %(line)s): hãy lưu lại thành CSV UTF-8.")
            % {"line": _first_undecodable_line(stream)}
        ) from None
    except csv.Error as exc:
        raise _refuse(_("Không đọc được tệp CSV: %(reason)s") % {"reason": exc}) from None
    finally:
        text.detach()  # the caller's file stays open


def _dialect(header: str) -> type[csv.Dialect]:
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
        raise _refuse(broken) from exc
    try:
        months: frozenset[int] = frozenset()
        width = 0
        for index, row in enumerate(_guarded(rows, broken)):
            if index == 0:
                width = len(row)
                months = frozenset(
                    i
                    for i, name in enumerate(row)
                    if normalise_header(name) in layout.month_columns
                )
            cells = [_cell_text(value, i in months) for i, value in enumerate(row)]
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
            raise _refuse(message) from exc
        yield row


def _cell_text(value: object, month: bool) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value).upper()
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime) and value.time() == time(0):
        value = value.date()
    if isinstance(value, date) and not isinstance(value, datetime):
        return value.strftime("%Y-%m" if month else "%Y-%m-%d")
    return str(value)


# ---------------------------------------------------------------------------------------------
# The header


def _check_header(cells: list[str], layout: Layout) -> list[str]:
    """The file's columns in file order, or StatementRefused naming what is wrong."""
    names = [normalise_header(cell) for cell in cells]
    while names and not names[-1]:
        names.pop()  # spreadsheets often carry empty cells after the last column
    if not names:
        raise _refuse(_("Dòng đầu tiên phải là dòng tiêu đề, nhưng đang trống."), line=1)
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
    missing = [name for name in layout.columns if name not in names]
    if missing:
        errors.append(_("Thiếu cột: %(columns)s.") % {"columns": ", ".join(missing)})
    if errors:
        raise StatementRefused([RowError(1, "", message) for message in errors])
    return names


# ---------------------------------------------------------------------------------------------
# Staging


def stage(cursor: Any, file: BinaryIO | Path, layout: Layout) -> Staged:
    """Read ``file`` into a fresh TEMP table of text columns plus ``line``, by COPY.

    ``cursor`` is a Django cursor on PostgreSQL (psycopg 3). Values arrive stripped of
    surrounding spaces (but see ``Layout.strict``); blank rows are skipped. A short row, or
    cells after the last column, is noted as a problem (and not copied) so that the caller
    reports it beside the value checks; a file that cannot be read at all raises
    StatementRefused straight away.

    A plain UTF-8 CSV goes to PostgreSQL's own COPY parser untouched, the way a province's
    statements load in about the time psql's ``\\copy`` takes. Anything else, or a file that
    COPY refuses, is read by Python row by row, which can say which row is wrong and why.
    """
    # Room to hash a province's rows in memory, for this transaction only. The staged rows
    # come unsorted and without statistics, and the planner would otherwise sort all of them
    # to merge-join with a few hundred calendar days; hash joins it is.
    cursor.execute("SET LOCAL work_mem = '64MB'")
    cursor.execute("SET LOCAL enable_mergejoin = off")
    staged = Staged(table=STAGING_TABLE, file=file, layout=layout)
    with _opened(file) as stream:
        if not (_sniff(stream) == "csv" and _copy_raw(cursor, stream, staged)):
            stream.seek(0)
            _copy_records(cursor, stream, staged)
    if not staged.rows and not staged.problem_count:
        raise _refuse(_("Tệp không có dòng dữ liệu nào (chỉ có dòng tiêu đề)."))
    return staged


def _create_staging(cursor: Any, staged: Staged) -> None:
    cursor.execute(f"DROP TABLE IF EXISTS pg_temp.{staged.table}")
    cursor.execute(
        # Row numbers count from 2, the header being row 1; COPY keeps the file's order.
        f"CREATE TEMP TABLE {staged.table} ("
        "line integer GENERATED BY DEFAULT AS IDENTITY (START WITH 2) NOT NULL, "
        + ", ".join(f"{name} text NOT NULL" for name in staged.layout.columns)
        + ") ON COMMIT DROP"
    )


class _NotPlain(Exception):
    """The file needs the Python reader."""


class _QuoteCheck:
    """Raises _NotPlain at a quote outside a whole quoted cell.

    COPY and Python's reader read a cell the same way when it is unquoted with no quote in
    it, or quoted whole (from the delimiter to the delimiter, inner quotes doubled), as
    Excel writes them. A quote inside an unquoted cell is text to Python and the start of a
    quoted part to COPY. The check takes whole lines (a quoted cell cut by the end of a
    chunk is taken with the next one, and one holding a line break is left to the reader).
    """

    def __init__(self, delimiter: str) -> None:
        d = re.escape(delimiter.encode())
        # Possessive: no backtracking, whatever the quotes of a line.
        self._quoted = re.compile(
            rb"(?:^|(?<=[\n" + d + rb']))"(?:[^"]|"")*+"(?=[\r\n' + d + rb"]|$)"
        )
        self._carry = b""

    def feed(self, chunk: bytes, *, last: bool = False) -> None:
        text = self._carry + chunk
        if b'"' not in text:
            self._carry = b""
            return
        cut = len(text) if last else text.rfind(b"\n") + 1
        self._carry = text[cut:]
        if b'"' in self._quoted.sub(b"", text[:cut]):
            raise _NotPlain


def _copy_raw(cursor: Any, stream: BinaryIO, staged: Staged) -> bool:
    """Stage a plain CSV with COPY itself; False (nothing staged) if the file is not plain.

    Plain: a header on one line, no more header cells than columns, and every row with one
    cell per column in UTF-8. COPY refuses anything else as a whole, without saying much;
    the savepoint takes back what it did, and the caller reads the file again in Python.
    """
    first = stream.readline(_SNIFF_BYTES).removeprefix(codecs.BOM_UTF8)
    if not first.endswith(b"\n") or b'"' in first:
        return False
    try:
        header = first.decode("utf-8")
    except UnicodeDecodeError:
        return False
    dialect = _dialect(header)
    cells = next(csv.reader([header], dialect))
    columns = _check_header(cells, staged.layout)
    if len(cells) != len(columns):
        return False
    names = ", ".join(columns)
    try:
        with transaction.atomic():
            _create_staging(cursor, staged)
            copy_sql = (
                f"COPY {staged.table} ({names}) FROM STDIN (FORMAT csv, "
                f"DELIMITER '{dialect.delimiter}', FORCE_NOT_NULL ({names}))"
            )
            with cursor.copy(copy_sql) as copy:
                quotes = _QuoteCheck(dialect.delimiter)
                tail = b""
                while chunk := stream.read(_COPY_CHUNK):
                    # COPY takes "\." alone on a line for the end of the data.
                    if b"\\." in tail + chunk:
                        raise _NotPlain
                    quotes.feed(chunk)
                    copy.write(chunk)
                    tail = chunk[-1:]
                quotes.feed(b"", last=True)
            staged.rows = cursor.rowcount
            _tidy(cursor, staged)
    except (psycopg.DataError, _NotPlain):
        return False
    staged.copied_raw = True
    return True


def _tidy(cursor: Any, staged: Staged) -> None:
    """Trim what COPY left as typed, as the Python reader would, except strict columns;
    without strict columns, drop blank rows too."""
    layout = staged.layout
    table = staged.table
    changes, tests = [], []
    for name in (column for column in layout.columns if column not in layout.strict):
        if name in layout.free_text:
            tidy = f"regexp_replace(btrim(normalize({name}, NFC), %(ws)s), %(runs)s, ' ', 'g')"
            tests.append(f"{name} IS NOT NFC NORMALIZED OR {name} ~ %(untidy)s")
        else:
            tidy = f"btrim({name}, %(ws)s)"
            tests.append(f"{name} <> {tidy}")
        changes.append(f"{name} = {tidy}")
    if changes:
        cursor.execute(
            f"UPDATE {table} SET {', '.join(changes)} WHERE {' OR '.join(tests)}",  # noqa: S608
            {
                "ws": WHITESPACE,
                "runs": f"[{WHITESPACE}]+",
                # White space at either end, two in a row, or any but the plain space.
                "untidy": f"^[{WHITESPACE}]|[{WHITESPACE}]$|[{WHITESPACE}]{{2}}"
                f"|[{WHITESPACE.replace(' ', '')}]",
            },
        )
    if not layout.strict:
        blank = " AND ".join(f"{name} = ''" for name in layout.columns)
        cursor.execute(f"DELETE FROM {table} WHERE {blank}")  # noqa: S608
        staged.rows -= cursor.rowcount


def _copy_records(cursor: Any, stream: BinaryIO, staged: Staged) -> None:
    """Stage the file through the Python reader: any kind, every row checked for its shape."""
    layout = staged.layout
    with closing(_records(stream, layout)) as records:
        header = next(records, None)
        if header is None:
            raise _refuse(_("Tệp rỗng."))
        columns = _check_header(header, layout)
        _create_staging(cursor, staged)
        width = len(columns)
        free = [i for i, name in enumerate(columns) if name in layout.free_text]
        strip = str.strip
        rows = 0
        copy_sql = f"COPY {staged.table} (line, {', '.join(columns)}) FROM STDIN"
        # The hot loop of a province-sized file: keep it to a length check, a strip and a write.
        with cursor.copy(copy_sql) as copy:
            write = copy.write_row
            for line, cells in enumerate(records, start=2):
                if len(cells) != width:
                    if not _fits(cells, width, line, staged):
                        continue
                    del cells[width:]
                values = [*map(strip, cells)]
                if not any(values):
                    continue
                for i in free:
                    values[i] = " ".join(unicodedata.normalize("NFC", values[i]).split())
                try:
                    write((line, *values))
                except psycopg.DataError:  # a NUL character: no PostgreSQL text holds one
                    raise _refuse(
                        _("Có ký tự NUL (mã 0): tệp không phải văn bản CSV."), line=line
                    ) from None
                rows += 1
        staged.rows = rows


def _restage(cursor: Any, staged: Staged) -> None:
    """Stage again through the Python reader, which trims what COPY kept as typed."""
    staged.rows, staged.problems, staged.problem_count = 0, [], 0
    staged.copied_raw = False
    with _opened(staged.file) as stream:
        _copy_records(cursor, stream, staged)


def _fits(cells: list[str], width: int, line: int, staged: Staged) -> bool:
    """Whether a row of the wrong length can still be read: only empty cells past the end."""
    if len(cells) > width:
        extra = [str(i + 1) for i in range(width, len(cells)) if cells[i].strip()]
        if not extra:
            return True
        staged.note(
            RowError(
                line,
                "",
                _("Có dữ liệu ở cột thứ %(positions)s, ngoài %(width)s cột của dòng tiêu đề.")
                % {"positions": ", ".join(extra), "width": width},
            )
        )
        return False
    if not any(cell.strip() for cell in cells):
        return False  # a blank line
    staged.note(
        RowError(
            line,
            "",
            _("Dòng chỉ có %(cells)s ô, thiếu so với %(width)s cột của dòng tiêu đề.")
            % {"cells": len(cells), "width": width},
        )
    )
    return False


def drop_staging(cursor: Any, staged: Staged) -> None:
    """Drop the staging table and the planner settings ``stage`` made for the import."""
    cursor.execute(f"DROP TABLE IF EXISTS pg_temp.{staged.table}")
    cursor.execute("RESET work_mem")
    cursor.execute("RESET enable_mergejoin")


def upsert(
    cursor: Any,
    *,
    table: str,
    columns: Sequence[str],
    key: Sequence[str],
    rows: str,
    params: Sequence[object] = (),
) -> tuple[int, int]:
    """Insert ``rows`` into ``table``, or update the row with the same ``key`` where a value
    differs; (created, updated).

    ``rows`` is a SELECT of ``columns``, in that order, with ``params``. An equal row is not
    written at all (``IS DISTINCT FROM``), so re-importing a file leaves no trace: no new row
    version, no trigger, no history.
    """
    with first_load(cursor, table) as empty:
        if empty:
            # Nothing to conflict with (the file's own repeats are refused before this): a
            # plain INSERT, without the speculative insertion ON CONFLICT pays for each row.
            cursor.execute(f"INSERT INTO {table} ({', '.join(columns)}) {rows}", params)
            return cursor.rowcount, 0
    values = [column for column in columns if column not in key]
    cursor.execute(
        f"""
        WITH written AS (
            INSERT INTO {table} AS t ({", ".join(columns)})
            SELECT * FROM ({rows}) AS r
            ON CONFLICT ({", ".join(key)}) DO UPDATE
            SET {", ".join(f"{c} = EXCLUDED.{c}" for c in values)}
            WHERE ({", ".join(f"t.{c}" for c in values)})
                IS DISTINCT FROM ({", ".join(f"EXCLUDED.{c}" for c in values)})
            RETURNING t.xmax = 0 AS created
        )
        SELECT count(*) FILTER (WHERE created), count(*) FILTER (WHERE NOT created) FROM written
        """,  # noqa: S608
        params,
    )
    created, updated = cursor.fetchone()
    return created, updated


# Statement imports take this transaction-level advisory lock once the file is staged, so they
# run one at a time: each checks and writes against a database no other import is changing
# (an employer's payment method cannot change under a contribution import, a payment checked
# as new is still new when it is inserted).
STATEMENT_LOCK = 0x5354_4D54  # "STMT"


def lock_statements(cursor: Any) -> None:
    cursor.execute("SELECT pg_advisory_xact_lock(%s)", [STATEMENT_LOCK])


# ---------------------------------------------------------------------------------------------
# Set-based checks


@dataclass(frozen=True)
class Check:
    """One reason a staged row can be refused.

    ``bad`` is an SQL condition over ``r``, a staged row joined with whatever the import's
    source query adds (the employer it names, the user's scope ...); it is true for a bad row.
    ``reason`` turns the offending value (``value``, default the column) and an optional
    ``detail`` into the Vietnamese reason shown to the user. ``screen``, when given, is a
    cheaper condition true for every row that ``bad`` might flag, shared by several checks so
    that good rows are passed over by one test instead of many.
    """

    column: str
    bad: str
    reason: Callable[[str, str | None], str]
    value: str = ""
    detail: str = "NULL"
    screen: str = ""
    # A value the file repeats (the check reads ``first_line``, see ``refuse_bad_rows``). A
    # first load leaves it to the table's own unique key (``write_checked``).
    repeat: bool = False


def refuse_bad_rows(
    cursor: Any,
    staged: Staged,
    *,
    source: str,
    checks: Sequence[Check],
    params: Sequence[object] = (),
    repeats: Sequence[str] = (),
) -> None:
    """Run every check over the staged rows in one pass; refuse the file if any row fails.

    ``source`` is a SELECT returning the staging table's columns (with ``line``) plus any
    joined columns the checks use; ``params`` are its parameters. With ``repeats`` (staged
    columns), each row also gets ``first_line``: the first row with the same values in them
    when that is another row, else NULL. The reasons come back in row order, at most
    ``MAX_REASONS`` of them, with the full count.
    """
    if repeats:
        keys = ", ".join(repeats)
        source = f"""
            SELECT r.*, dup.first_line FROM ({source}) AS r
            LEFT JOIN ({_duplicates_sql(staged.table, repeats)}) AS dup USING ({keys})
        """  # noqa: S608
    values = ",\n".join(
        f"({k}, ({check.value or 'r.' + check.column})::text, ({check.detail})::text, {check.bad})"
        for k, check in enumerate(checks)
    )
    # Everything interpolated is the importer's own SQL, never file content: that is staged.
    sql = f"""
        SELECT r.line, c.k, c.value, c.detail, count(*) OVER ()
        FROM (SELECT * FROM ({source}) AS r WHERE {_screens(checks)}) AS r
        CROSS JOIN LATERAL (VALUES {values}) AS c(k, value, detail, bad)
        WHERE c.bad
        ORDER BY r.line, c.k
        LIMIT %s
    """  # noqa: S608
    cursor.execute(sql, [*params, MAX_REASONS])
    found = cursor.fetchall()
    if found and staged.copied_raw:
        # Perhaps only values padded with spaces, which the Python reader trims: read the
        # file again that way, and ask again.
        _restage(cursor, staged)
        cursor.execute(sql, [*params, MAX_REASONS])
        found = cursor.fetchall()
    if not found and not staged.problem_count:
        return
    errors = list(staged.problems)
    for line, k, value, detail, _total in found:
        check = checks[k]
        errors.append(RowError(line, check.column, check.reason(value or "", detail)))
    raise StatementRefused(errors, total=staged.problem_count + (found[0][4] if found else 0))


def _screens(checks: Iterable[Check]) -> str:
    """True for a row some check may refuse (each check's screen, or its condition)."""
    return " OR ".join(f"({screen})" for screen in dict.fromkeys(c.screen or c.bad for c in checks))


class _Unwritten(Exception):
    """A first load left rows out: some row may be bad."""


def write_checked(
    cursor: Any,
    staged: Staged,
    *,
    table: str,
    values: Mapping[str, str],
    source: str,
    checks: Sequence[Check],
    write: Callable[[], tuple[int, int]],
    params: Sequence[object] = (),
    repeats: Sequence[str] = (),
) -> tuple[int, int]:
    """Check the staged rows and write them into ``table``; (created, updated).

    ``source``, ``checks``, ``params`` and ``repeats`` are those of ``refuse_bad_rows``;
    ``values`` maps ``table``'s columns to SQL over ``r``, a row of ``source``.

    A first load into the empty ``table`` is checked in the pass that writes it: one pass
    instead of a pass to check and another to write, for a province's first load most of the
    time left after COPY. The INSERT takes the rows no check's screen picks out, so a row it
    takes passes every check; the checks on ``repeats`` are left to the table's unique key,
    made again after the rows are in (``desk.bulkload``). If the INSERT leaves a row out, or
    the key finds a repeat, the savepoint takes everything back and ``refuse_bad_rows`` names
    the bad rows. Otherwise (rows already recorded, or no bad row found after all: a screen
    picks out more than its checks refuse) ``refuse_bad_rows`` runs, then ``write``, the
    import's own way of writing over what is recorded.
    """
    checked = False
    if not staged.problem_count:  # rows COPY could not take whole: the ordinary way names them
        # IS NOT TRUE: the rows refuse_bad_rows passes over, their screens false or unknown.
        insert = (
            f"INSERT INTO {table} ({', '.join(values)}) SELECT {', '.join(values.values())} "  # noqa: S608
            f"FROM ({source}) AS r "
            f"WHERE ({_screens(c for c in checks if not c.repeat)}) IS NOT TRUE"
        )
        try:
            with transaction.atomic(), first_load(cursor, table) as empty:
                if empty:
                    return _insert_all(cursor, insert, params, staged.rows), 0
        except (IntegrityError, _Unwritten) as failure:
            refuse_bad_rows(
                cursor, staged, source=source, checks=checks, params=params, repeats=repeats
            )
            if isinstance(failure, IntegrityError):
                raise  # a key the checks do not know of: a fault, not the file's
            checked = True
    if not checked:
        refuse_bad_rows(
            cursor, staged, source=source, checks=checks, params=params, repeats=repeats
        )
    return write()


def _insert_all(cursor: Any, insert: str, params: Sequence[object], rows: int) -> int:
    """Run ``insert``; _Unwritten unless it writes ``rows`` rows."""
    # The source may read the table being filled (what is recorded: nothing yet), now without
    # its indexes: joined in a loop, it would be read again for every row.
    cursor.execute("SET LOCAL enable_nestloop = off")
    cursor.execute(insert, params)
    written = cursor.rowcount
    cursor.execute("RESET enable_nestloop")
    if written != rows:
        raise _Unwritten
    return written


# Checks most columns need. Labels are the column's Vietnamese name, in lower case.


def field_label(model: type[Model], name: str) -> str:
    """A model field's name as the reasons spell it: its verbose name ("mã đơn vị")."""
    return str(model._meta.get_field(name).verbose_name)


def _sentence(label: str) -> str:
    """A label opening a sentence: "số tiền" -> "Số tiền", "BHXH" stays "BHXH"."""
    return label[:1].upper() + label[1:]


def required(column: str, label: str) -> Check:
    return Check(
        column, f"r.{column} = ''", lambda _v, _d: _("Thiếu %(label)s.") % {"label": label}
    )


def max_length(column: str, label: str, limit: int) -> Check:
    return Check(
        column,
        f"length(r.{column}) > {int(limit)}",
        lambda _v, _d: (
            _("%(label)s dài quá %(limit)s ký tự.") % {"label": _sentence(label), "limit": limit}
        ),
    )


def one_of(column: str, label: str, choices: Sequence[str]) -> Check:
    """A code from a fixed list (ownership, status, payment method ...)."""
    allowed = ", ".join(f"'{choice}'" for choice in choices if _is_code(choice))
    return Check(
        column,
        f"r.{column} <> '' AND r.{column} NOT IN ({allowed})",
        lambda value, _d: (
            _("%(label)s «%(value)s» không hợp lệ; chỉ nhận: %(choices)s.")
            % {"label": _sentence(label), "value": value, "choices": ", ".join(choices)}
        ),
    )


def _is_code(choice: str) -> bool:
    if not re.fullmatch(r"[a-z_]+", choice):  # inlined into SQL: codes only
        raise ValueError(f"not a plain code: {choice!r}")
    return True


@dataclass(frozen=True)
class Number:
    """A column holding a non-negative whole number of at most ``digits`` digits."""

    column: str
    label: str
    digits: int
    money: bool = False  # whole đồng: "1000.5", "1,5" and "1.000" are refused, not guessed at


def whole_numbers(*numbers: Number) -> list[Check]:
    """Each number present, written with digits only, not too large.

    The columns share one screen (a single pattern match over all of them), the cheapest way
    past a province's good rows.
    """
    screen = " OR ".join(
        [
            *(
                f"r.{n.column} = '' OR octet_length(r.{n.column}) > {int(n.digits)}"
                for n in numbers
            ),
            "(" + " || ".join(f"r.{n.column}" for n in numbers) + ") ~ '[^0-9]'",
        ]
    )
    checks = []
    for number in numbers:
        column = number.column
        checks += [
            replace(required(column, number.label), screen=screen),
            Check(column, f"r.{column} ~ '[^0-9]'", _not_whole(number), screen=screen),
            Check(
                column,
                f"octet_length(r.{column}) > {int(number.digits)} AND r.{column} !~ '[^0-9]'",
                lambda value, _d, label=number.label: (
                    _("%(label)s «%(value)s» quá lớn.")
                    % {"label": _sentence(label), "value": value}
                ),
                screen=screen,
            ),
        ]
    return checks


def _not_whole(number: Number) -> Callable[[str, str | None], str]:
    label = _sentence(number.label)

    def reason(value: str, _detail: str | None) -> str:
        if value.lstrip().startswith("-"):
            return _("%(label)s không được âm: «%(value)s».") % {"label": label, "value": value}
        if number.money:
            return _(
                "%(label)s «%(value)s» không phải số đồng nguyên: chỉ ghi chữ số, không có "
                "phần lẻ, dấu chấm hay dấu phẩy."
            ) % {"label": label, "value": value}
        return _("%(label)s «%(value)s» phải là số nguyên không âm, chỉ gồm chữ số.") % {
            "label": label,
            "value": value,
        }

    return reason


def _duplicates_sql(table: str, keys: Sequence[str]) -> str:
    """The keys present on more than one row, with the first row they appear on (first_line).

    Grouping rather than a window function: it needs no sort, so it costs the same whatever
    order the file is in.
    """
    columns = ", ".join(keys)
    return (
        f"SELECT {columns}, min(line) AS first_line FROM {table} "  # noqa: S608
        f"GROUP BY {columns} HAVING count(*) > 1"
    )


# Valid contribution months and payment dates, spelled as the files spell them. Joining a
# column to these validates the calendar (no 2025-02-30) with neither a regular expression per
# row nor a cast that could fail mid-query; a value not in them joins to nothing.
MONTHS_SQL = (
    "SELECT to_char(d, 'YYYY-MM') AS spelled, d::date AS first_day FROM generate_series("
    "date '1995-01-01', date '2099-12-01', interval '1 month') AS d"
)


def days_sql(*, since: date = date(1995, 1, 1)) -> str:
    """Every day from ``since`` (dates of birth go further back) to 2099: ``spelled``
    (YYYY-MM-DD) and ``day``."""
    first = since.isoformat()  # a date, formatted: nothing else reaches the SQL
    return (
        "SELECT to_char(d, 'YYYY-MM-DD') AS spelled, d::date AS day "  # noqa: S608
        f"FROM generate_series(date '{first}', date '2099-12-31', interval '1 day') AS d"
    )


# ---------------------------------------------------------------------------------------------
# The commands


class StatementCommand(BaseCommand):
    """``manage.py import_<kind> FILE``: print the counts, or every reason and exit 1."""

    importer: Callable[..., ImportResult]  # set as staticmethod(import_...)

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help=_("Tệp CSV (UTF-8) hoặc XLSX."))

    def handle(self, *args: object, file: Path, **options: object) -> None:
        if not file.is_file():
            raise CommandError(_("Không tìm thấy tệp %(file)s.") % {"file": file})
        try:
            result = self.importer(file)
        except StatementRefused as refused:
            record_import(None, self.importer.__name__, str(file), refused)
            for line in refused.lines():
                self.stderr.write(line)
            raise CommandError(
                ngettext(
                    "Tệp bị từ chối (%(count)s lỗi); không ghi gì vào cơ sở dữ liệu.",
                    "Tệp bị từ chối (%(count)s lỗi); không ghi gì vào cơ sở dữ liệu.",
                    refused.total,
                )
                % {"count": refused.total}
            ) from None
        record_import(None, self.importer.__name__, str(file), result)
        self.stdout.write(self.style.SUCCESS(result.summary()))
