"""Staging a statement: PostgreSQL's COPY and the Python reader stage the same rows.

A plain CSV is copied as it is and tidied in SQL; anything else is read by Python. Whichever
way a file goes, the staging table must hold the same rows, numbered the same way.
"""

from __future__ import annotations

import csv
import io
import json
from unittest import mock

import pytest
from django.db import connection, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from arrears.imports.payments import import_payments
from arrears.models import Payment
from desk.statements import staging
from desk.statements.results import Layout, StatementRefused
from desk.statements.staging import WHITESPACE, stage
from tests.factories import EmployerFactory

pytestmark = pytest.mark.django_db

EXAMPLES = settings(
    max_examples=60,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
LAYOUT = Layout(columns=("code", "name", "note"), free_text=frozenset({"name"}))

# Letters, Vietnamese in both compositions (ệ, and e + combining circumflex + dot below),
# digits, a backslash, quotes and delimiters (the writer quotes such cells), and every kind of
# white space Python's str.split() knows.
CELL = st.lists(
    st.sampled_from(
        ["a", "B", "7", "ệ", "e\u0302\u0323", "\\", ".", "=", '"', ",", ";", *WHITESPACE]
    ),
    max_size=8,
).map("".join)


def _csv(rows: list[list[str]], *, delimiter: str = ",", bom: bool = False, crlf: bool = False):
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n" if crlf else "\n")
    writer.writerow(LAYOUT.columns)
    writer.writerows(rows)
    return ("\ufeff" if bom else "").encode() + out.getvalue().encode()


def _both_ways(data: bytes) -> tuple[object, object, bool]:
    """What stage() staged (or why it refused), the same with the Python reader alone, and
    whether stage() copied the file as it is."""
    copied: list[bool] = []

    def attempt() -> object:
        try:
            with transaction.atomic(), connection.cursor() as cursor:
                staged = stage(cursor, io.BytesIO(data), LAYOUT)
                copied.append(staged.copied_raw)
                cursor.execute("SELECT line, code, name, note FROM statement_rows ORDER BY line")
                result = (staged.rows, staged.problems, cursor.fetchall())
                transaction.set_rollback(True)
                return result
        except StatementRefused as refused:
            return refused.lines()

    fast = attempt()
    with mock.patch.object(staging, "_copy_raw", return_value=False):
        slow = attempt()
    return fast, slow, copied[0] if copied else False


@EXAMPLES
@given(
    rows=st.lists(st.lists(CELL, min_size=3, max_size=3), min_size=1, max_size=12),
    delimiter=st.sampled_from([",", ";"]),
    bom=st.booleans(),
    crlf=st.booleans(),
)
def test_copy_stages_what_the_reader_stages(rows, delimiter, bom, crlf) -> None:
    fast, slow, copied = _both_ways(_csv(rows, delimiter=delimiter, bom=bom, crlf=crlf))
    assert fast == slow
    # Staged (not refused), with neither "\." nor a line break in a cell: COPY took it, quoted
    # cells and all (the writer quotes whole cells, as Excel does). A cell over a line break
    # goes to the reader, which tells it from a quote left open.
    text = _csv(rows, delimiter=delimiter)
    broken = any("\n" in cell or "\r" in cell for row in rows for cell in row)
    if isinstance(fast, tuple) and b"\\." not in text and not broken:
        assert copied


@EXAMPLES
@given(
    lines=st.lists(
        st.lists(st.sampled_from(["a", "ệ", '"', '""', ",", " ", "\n", "\\."]), max_size=10).map(
            "".join
        ),
        min_size=1,
        max_size=8,
    )
)
def test_hand_written_quotes_stage_as_the_reader_reads_them(lines: list[str]) -> None:
    """Quotes anywhere, as a person typing a file puts them: COPY takes the file only where
    it reads it as Python does."""
    data = ("code,name,note\n" + "\n".join(lines) + "\n").encode()
    fast, slow, _copied = _both_ways(data)
    assert fast == slow


@pytest.mark.parametrize(
    "data",
    [
        # A quote inside a field: Python keeps it, COPY would take it for quoting.
        b'code,name,note\nA1,C\xc3\xb4ng ty "Hoa Sen",x\n',
        # A quote after a quoted cell's end.
        b'code,name,note\nA1,"Minh"x,c\n',
        # "\." alone on a line: the end of the data for COPY, a value for the reader.
        b"code,name,note\nA1,b,c\n\\.\nA2,b,c\n",
        # A short row, a long one, a blank line: the reader says which row and why.
        b"code,name,note\nA1,b\nA2,b,c,d\n\nA3,b,c\n",
        # Not UTF-8 on row 3.
        b"code,name,note\nA1,b,c\nA2,\xff,c\n",
        # Empty cells after the header's columns.
        b"code,name,note,,\nA1,b,c,,\n",
    ],
)
def test_files_copy_cannot_take_are_read_by_python(data: bytes) -> None:
    fast, slow, copied = _both_ways(data)
    assert fast == slow
    assert not copied


def test_whole_quoted_cells_are_copied() -> None:
    data = b'code,name,note\nA1,"Minh, Ph\xc3\xa1t","two ""quoted"""\n"A2",,""\n'
    fast, slow, copied = _both_ways(data)
    assert fast == slow
    assert copied
    assert fast[2] == [(2, "A1", "Minh, Phát", 'two "quoted"'), (3, "A2", "", "")]


def test_a_cell_over_a_line_break_is_read_by_python() -> None:
    data = b'code,name,note\nA1,b,"two\nlines"\n'
    fast, slow, copied = _both_ways(data)
    assert fast == slow
    assert not copied
    assert fast[2] == [(2, "A1", "b", "two\nlines")]


@pytest.mark.parametrize(
    ("data", "line"),
    [
        # The quote opened on row 3 swallows row 4 and closes at its end: one merged row of
        # the right width, which COPY and csv.reader alike would take as one payment.
        (b'code,name,note\nA1,b,c\nA2,b,"ref\nA3,b,ref"\nA4,b,c\n', 3),
        # Never closed: everything after it would be one cell.
        (b'code,name,note\nA1,"b,c\nA2,b,c\nA3,b,c\n', 2),
    ],
)
def test_a_quote_left_open_is_refused_naming_its_row(data: bytes, line: int) -> None:
    fast, slow, _copied = _both_ways(data)
    assert fast == slow
    assert len(fast) == 1
    assert fast[0].startswith(f"Dòng {line}: Dấu ngoặc kép mở ở dòng này không được đóng")


def test_padded_reference_is_trimmed_by_the_copy() -> None:
    EmployerFactory(unit_code="HB001")
    data = "unit_code,paid_on,amount,reference\nHB001,2025-08-05,1000000,\u00a0UNC-1 \t\n"
    import_payments(io.BytesIO(data.encode()))
    assert list(Payment.objects.values_list("reference", flat=True)) == ["UNC-1"]


def test_the_sql_white_space_is_pythons() -> None:
    assert set(WHITESPACE) == {chr(c) for c in range(0x110000) if chr(c).isspace()}


@pytest.mark.parametrize("raw", [True, False])
def test_a_column_the_layout_allows_to_leave_out_is_staged_empty(raw: bool) -> None:
    layout = Layout(columns=("code", "name", "note"), optional=frozenset({"note"}))
    data = io.BytesIO(b"name,code\nMinh,A1\n")
    with (
        mock.patch.object(staging, "_copy_raw", wraps=staging._copy_raw)
        if raw
        else mock.patch.object(staging, "_copy_raw", return_value=False),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        staged = stage(cursor, data, layout)
        cursor.execute("SELECT line, code, name, note FROM statement_rows")
        assert cursor.fetchall() == [(2, "A1", "Minh", "")]
        assert (staged.columns, staged.copied_raw) == (("name", "code"), raw)
        transaction.set_rollback(True)


SPELLED = Layout(
    columns=("month", "day", "amount"),
    month_columns=frozenset({"month"}),
    day_columns=frozenset({"day"}),
    number_columns=frozenset({"amount"}),
    strict=frozenset({"month", "day", "amount"}),
)


def _staged_spellings(data: bytes, *, raw: bool) -> list[tuple[object, ...]]:
    """The rows staged (and what the file had) for SPELLED, by COPY or by the Python reader."""
    with (
        mock.patch.object(staging, "_copy_raw", wraps=staging._copy_raw)
        if raw
        else mock.patch.object(staging, "_copy_raw", return_value=False),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        stage(cursor, io.BytesIO(data), SPELLED)
        cursor.execute("SELECT line, month, day, amount, as_written FROM statement_rows")
        rows = sorted(cursor.fetchall())
        transaction.set_rollback(True)
    return rows


@pytest.mark.parametrize(
    ("month", "day", "amount", "staged"),
    [
        ("12/2026", "02/12/2026", "1.000.000", ("2026-12", "2026-12-02", "1000000")),
        ("1/2026", "2/1/2026", "1,000,000", ("2026-01", "2026-01-02", "1000000")),
        ("2026-12", "2026-12-02", "1000000", ("2026-12", "2026-12-02", "1000000")),
        ("12/2026", "29/02/2024", "999.999", ("2026-12", "2024-02-29", "999999")),
        # Not a month, a day or a whole number: left as written, for the checks to refuse.
        ("13/2026", "31/02/2026", "1.000.00", ("13/2026", "31/02/2026", "1.000.00")),
        ("0/2026", "29/02/2025", "1.5", ("0/2026", "29/02/2025", "1.5")),
        ("12-2026", "0/12/2026", "1,000", ("12-2026", "0/12/2026", "1,000")),
        ("12/26", "2/13/2026", "0.500", ("12/26", "2/13/2026", "0.500")),
        ("2026/12", "02/12/26", "1.0000", ("2026/12", "02/12/26", "1.0000")),
        ("12/2026", "1/1/2026", "1.000,5", ("2026-12", "2026-01-01", "1.000,5")),
    ],
)
@pytest.mark.parametrize("raw", [True, False])
def test_vietnamese_spellings_are_staged_as_the_checks_read_them(  # type: ignore[no-untyped-def]
    month, day, amount, staged, raw
):
    data = f'month,day,amount\n{month},{day},"{amount}"\n'.encode()
    [(line, *values, written)] = _staged_spellings(data, raw=raw)
    assert (line, tuple(values)) == (2, staged)
    if (month, day, amount) == staged == ("2026-12", "2026-12-02", "1000000"):
        assert written is None  # nothing to rewrite, nothing kept
    else:
        assert json.loads(written) == {"month": month, "day": day, "amount": amount}


SPELLING = st.sampled_from(
    [
        *("12/2026", "1/2026", "13/2026", "2026-12", "02/12/2026", "31/02/2026", "29/2/2024"),
        *("1.000.000", "1.000.00", "1,000,000", "1,000", "12.5", "1000000", " 1.000", "", "x/y/z"),
    ]
)


@EXAMPLES
@given(rows=st.lists(st.lists(SPELLING, min_size=3, max_size=3), min_size=1, max_size=6))
def test_copy_and_the_reader_normalise_alike(rows) -> None:  # type: ignore[no-untyped-def]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(SPELLED.columns)
    writer.writerows(rows)
    data = out.getvalue().encode()
    try:
        fast = _staged_spellings(data, raw=True)
    except StatementRefused as refused:
        fast = refused.lines()
    try:
        slow = _staged_spellings(data, raw=False)
    except StatementRefused as refused:
        slow = refused.lines()
    # COPY keeps strict columns as typed (" 1.000"), which the reader trims and then reads.
    if not any(cell != cell.strip() for row in rows for cell in row):
        assert fast == slow
