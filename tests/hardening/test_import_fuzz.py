"""The statement imports fuzzed: random bytes, random CSV (headers and cells), XLSX files cut
short or corrupted. Every file is accepted whole or refused whole (StatementRefused) with
nothing written, and nothing else is ever raised; the upload page never answers 500.

The examples are derived from a fixed seed so `make test` is repeatable; FUZZ_EXAMPLES=5000
FUZZ_RANDOM=1 runs a longer, random search.
"""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Callable
from datetime import date

import openpyxl
import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from arrears.imports.views import COLUMNS, IMPORTERS
from desk.statements.results import ImportResult, StatementRefused
from tests.factories import ContributionFactory, EmployerFactory

pytestmark = pytest.mark.django_db

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "40"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=not os.environ.get("FUZZ_RANDOM"),
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
KINDS = sorted(IMPORTERS)

# Values that pass some checks and fail others, so random rows reach the deeper checks, with
# the hostile ones: formulas, NUL, overlong text, odd digits and separators.
PLAUSIBLE = [
    "HB001",
    "HB002",
    "HB999",
    "2025-07",
    "2025-13",
    "2025-07-31",
    "2025-02-30",
    "1990-05-01",
    "1000000",
    "0",
    "-5",
    "1.000",
    "1,5",
    "٣",
    "",
    " ",
    "=1+1",
    "@SUM(1)",
    "police",
    "labour_federation",
    "inspect",
    "monthly",
    "quarterly",
    "active",
    "non_state",
    "Lương Sơn",
    "Toàn tỉnh",
    "3412345678",
    "female",
    "2025",
    "Q3",
    "3",
    "1/BHXH-CA",
    "x" * 300,
    "a\x00b",
    "9" * 40,
]
cells = st.one_of(st.sampled_from(PLAUSIBLE), st.text(max_size=12))


def _tables() -> list[str]:
    """Every table the imports may write to (participants and arrears)."""
    return [
        model._meta.db_table
        for label in ("participants", "arrears")
        for model in apps.get_app_config(label).get_models()
        if model._meta.managed
    ]


def _counts() -> dict[str, int]:
    sql = " UNION ALL ".join(f"SELECT '{t}', count(*) FROM {t}" for t in _tables())  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return dict(cursor.fetchall())


@pytest.fixture
def province(db):  # type: ignore[no-untyped-def]
    """Two employers that random rows can name, with a contribution each."""
    for code in ("HB001", "HB002"):
        employer = EmployerFactory(unit_code=code, office__name="Lương Sơn")
        ContributionFactory(employer=employer, period=date(2025, 7, 1))


def _import(kind: str, data: bytes) -> ImportResult | None:
    """Import ``data``; None when refused, after checking that nothing was written."""
    before = _counts()
    try:
        return IMPORTERS[kind](io.BytesIO(data))
    except StatementRefused as refused:
        assert refused.errors, "a refusal says why"
        assert _counts() == before, f"{kind}: refused, yet rows were written"
        return None


def _csv(header: list[str], rows: list[list[str]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


@st.composite
def csv_files(draw: Callable) -> tuple[str, bytes, int]:  # type: ignore[type-arg]
    """(kind, file, data rows): the kind's own columns in any order (or a mangled header)."""
    kind = draw(st.sampled_from(KINDS))
    columns = list(COLUMNS[kind].columns)
    header = draw(
        st.one_of(
            st.permutations(columns),
            st.lists(st.sampled_from([*columns, "junk", "", "Unit Code"]), max_size=len(columns)),
        )
    )
    width = len(header)
    rows = draw(st.lists(st.lists(cells, min_size=width, max_size=width), max_size=6))
    ragged = draw(st.lists(st.lists(cells, max_size=width + 2), max_size=2))
    rows += ragged
    filled = sum(1 for row in rows if any(cell.strip() for cell in row))
    data = _csv(list(header), rows)
    if draw(st.booleans()):  # past the first 4 KiB, which are sniffed for binary content
        head, _newline, rest = data.partition(b"\n")
        data = head + b"\n" * 4100 + rest
    return kind, data, filled


@FUZZ
@given(
    kind=st.sampled_from(KINDS),
    data=st.binary(max_size=600),
    prefix=st.sampled_from(
        [b"", b"\xef\xbb\xbf", b"PK\x03\x04", b"unit_code,period\n", b"\xff\xfe"]
    ),
)
def test_random_bytes(province, kind: str, data: bytes, prefix: bytes) -> None:  # type: ignore[no-untyped-def]
    _import(kind, prefix + data)


@FUZZ
@given(case=csv_files())
def test_random_csv(province, case: tuple[str, bytes, int]) -> None:  # type: ignore[no-untyped-def]
    kind, data, filled = case
    result = _import(kind, data)
    if result is not None:
        assert result.rows == filled, f"{kind}: accepted, but not every row"


def _xlsx(kind: str) -> bytes:
    """A well-formed workbook of the kind's header and two rows of plausible values."""
    book = openpyxl.Workbook()
    sheet = book.active
    columns = COLUMNS[kind].columns
    sheet.append(list(columns))
    for n in range(2):
        sheet.append([PLAUSIBLE[(i + n) % 10] for i in range(len(columns))])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


WORKBOOKS = {kind: _xlsx(kind) for kind in KINDS}


@FUZZ
@given(
    kind=st.sampled_from(KINDS),
    cut=st.floats(min_value=0.0, max_value=1.0),
    flips=st.lists(st.tuples(st.floats(0.0, 0.999), st.integers(0, 255)), max_size=4),
)
def test_truncated_or_corrupted_xlsx(province, kind: str, cut: float, flips: list) -> None:  # type: ignore[no-untyped-def]
    data = bytearray(WORKBOOKS[kind])
    for where, byte in flips:
        data[int(where * len(data))] = byte
    _import(kind, bytes(data[: max(4, int(cut * len(data)))]))


@settings(FUZZ, max_examples=max(10, EXAMPLES // 3))
@given(
    kind=st.sampled_from(KINDS),
    data=st.one_of(st.binary(max_size=300), csv_files().map(lambda case: case[1])),
    name=st.sampled_from(["tep.csv", "tep.xlsx", "tep.exe", "không dấu.CSV", ""]),
)
def test_the_upload_page_never_fails(province, client, manager, kind, data, name) -> None:  # type: ignore[no-untyped-def]
    client.force_login(manager)
    response = client.post(
        "/nhap-du-lieu/", {"kind": kind, "file": SimpleUploadedFile(name or "x", data)}
    )
    assert response.status_code == 200


def test_a_nul_past_the_sniffed_head_is_refused_with_its_line(province) -> None:  # type: ignore[no-untyped-def]
    data = b"unit_code,paid_on,amount,reference\n" + b"HB001,2025-07-31,100,R1\n" * 300
    with pytest.raises(StatementRefused) as refused:
        IMPORTERS["payments"](io.BytesIO(data + b"HB001,2025-07-31,100,a\x00b\n"))
    assert refused.value.lines() == ["Dòng 302: Có ký tự NUL (mã 0): tệp không phải văn bản CSV."]
