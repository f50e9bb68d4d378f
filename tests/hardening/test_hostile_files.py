"""Hostile statement files, refused fast and whole with a reason, nothing written, in bounded
memory and time. The bounds are loose (several times what the desk takes) so that a shared
machine does not fail them; what they catch is a file that takes gigabytes or minutes."""

from __future__ import annotations

import io
import time
import tracemalloc
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from arrears.imports.payments import import_payments
from arrears.models import Payment, StatementUpload
from bench import hostile
from desk.statements.results import StatementRefused
from tests.arrears.imports.conftest import PAYMENTS
from tests.factories import EmployerFactory
from tests.statements import xlsx

pytestmark = pytest.mark.django_db

MB = 1 << 20


@dataclass
class Cost:
    seconds: float = 0.0
    peak: int = 0  # bytes Python allocated at most, tracemalloc's peak


@contextmanager
def measured(*, memory: bool = True) -> Iterator[Cost]:
    """Time taken and, with ``memory``, the peak of Python's allocations (tracemalloc, which
    slows every allocation: leave it off where only the time is asserted)."""
    cost = Cost()
    if memory:
        tracemalloc.start()
    started = time.perf_counter()
    try:
        yield cost
    finally:
        cost.seconds = time.perf_counter() - started
        if memory:
            cost.peak = tracemalloc.get_traced_memory()[1]
            tracemalloc.stop()


def refused_whole(
    importer: Callable[..., object], file: io.BytesIO | Path
) -> tuple[list[str], Cost]:
    with measured() as cost, pytest.raises(StatementRefused) as caught:
        importer(file)
    assert not Payment.objects.exists()
    return caught.value.lines(), cost


@pytest.fixture(scope="module")
def shared_string_bomb(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return hostile.shared_string_bomb(tmp_path_factory.mktemp("bomb") / "payments.xlsx")


def test_a_shared_string_bomb_is_refused_before_it_is_unpacked(shared_string_bomb: Path) -> None:
    assert shared_string_bomb.stat().st_size < 600_000
    EmployerFactory(unit_code="HB001")
    lines, cost = refused_whole(import_payments, shared_string_bomb)
    assert lines == [
        "Tệp XLSX giải nén ra quá lớn (xl/sharedStrings.xml): có thể là tệp độc hại, không được "
        "nhập."
    ]
    assert cost.seconds < 2
    assert cost.peak < 8 * MB


def test_a_part_read_whole_is_bounded_even_when_it_compresses_like_data(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Parts besides the sheets (shared strings, styles, the theme) are read into memory
    whole: over XLSX_MAX_PART they are refused, however ordinary their compression ratio."""
    from desk.statements import reading

    book = xlsx(
        [PAYMENTS.split(","), *([f"HB{i:05}", "2025-08-05", 1, f"r{i}"] for i in range(300))]
    )
    monkeypatch.setattr(reading, "XLSX_MAX_PART", 8192)
    lines, _cost = refused_whole(import_payments, book)
    assert lines[0].startswith("Tệp XLSX giải nén ra quá lớn (xl/theme/theme1.xml)")


def test_a_zip_that_claims_a_huge_directory_is_refused() -> None:
    data = bytearray(xlsx([PAYMENTS.split(","), ["HB001", "2025-08-05", 1, "x"]]).getvalue())
    end = data.rfind(b"PK\x05\x06")
    data[end + 12 : end + 16] = (64 * MB).to_bytes(4, "little")  # size of the directory
    lines, _cost = refused_whole(import_payments, io.BytesIO(bytes(data)))
    assert len(lines) == 1 and lines[0].startswith("Tệp XLSX")


def test_a_sheet_claiming_a_billion_rows_stops_at_excels_last() -> None:
    """A row numbered 1,000,000,000 would have openpyxl yield a billion empty rows before it."""
    book = xlsx([PAYMENTS.split(","), ["HB001", "2025-08-05", 1000, "x"]])
    with zipfile.ZipFile(book) as sound:
        parts = {part: sound.read(part) for part in sound.namelist()}
    sheet = parts["xl/worksheets/sheet1.xml"].decode()
    parts["xl/worksheets/sheet1.xml"] = sheet.replace(
        "</sheetData>",
        '<row r="1000000000"><c r="A1000000000" t="inlineStr"><is><t>HB002</t></is></c>'
        "</row></sheetData>",
    ).encode()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as rebuilt:
        for name, content in parts.items():
            rebuilt.writestr(name, content)
    EmployerFactory(unit_code="HB001")
    with measured(memory=False) as cost:
        result = import_payments(out)
    # The row past Excel's last is never reached: only the real row is imported.
    assert result.created == 1
    assert cost.seconds < 30


def test_a_csv_with_100000_header_columns_is_refused_at_once() -> None:
    file = io.BytesIO(hostile.wide_header_csv(100_000))
    lines, cost = refused_whole(import_payments, file)
    # unit_code, paid_on, amount, reference and the optional purpose
    assert lines == ["Dòng 1: Dòng tiêu đề có 100004 cột, quá nhiều: loại tệp này có 5 cột."]
    # A bound against quadratic header checks (which take minutes), not a timing: 2 s failed
    # once on a loaded 2-core machine at 2.1 s.
    assert cost.seconds < 10
    assert cost.peak < 64 * MB


def test_the_header_check_is_linear() -> None:
    """Repeated names among the most columns a header may have: counted once each, not once
    per column (100,000 columns took 31 s when they were)."""
    from desk.statements.reading import MAX_HEADER_CELLS, check_header
    from desk.statements.results import Layout

    layout = Layout(columns=("a", "b"))
    with measured() as cost, pytest.raises(StatementRefused) as caught:
        check_header(["a"] * MAX_HEADER_CELLS, layout)
    assert "Dòng 1: Cột lặp lại: a." in caught.value.lines()
    assert cost.seconds < 0.5


def test_a_line_without_end_is_refused_without_reading_it_whole() -> None:
    file = io.BytesIO(f"{PAYMENTS}\nHB001,2025-08-05,1000,".encode() + b"x" * (20 * MB))
    lines, cost = refused_whole(import_payments, file)
    assert lines == ["Dòng 2: Dòng dài quá 1000000 ký tự: tệp không phải một bảng kê."]
    assert cost.peak < 32 * MB


def test_an_unbalanced_quote_is_a_row_error_not_a_merged_payment() -> None:
    """Row 3 opens a quote that row 4 closes: read as CSV, one payment of 2,000,000 with a
    reference spanning two lines. Refused instead, naming row 3."""
    EmployerFactory(unit_code="HB001")
    EmployerFactory(unit_code="HB002")
    file = io.BytesIO(hostile.open_quote_csv())
    lines, cost = refused_whole(import_payments, file)
    assert lines == [
        "Dòng 3: Dấu ngoặc kép mở ở dòng này không được đóng, nên các dòng sau bị gộp vào một "
        "ô: hãy đóng dấu ngoặc kép (hoặc bỏ dấu xuống dòng trong ô)."
    ]
    assert cost.seconds < 2


def test_a_quote_never_closed_in_a_big_file_names_its_row() -> None:
    """Everything after the quote would be one cell: refused at the csv module's cell limit
    or at the end, naming the row the quote opened on."""
    EmployerFactory(unit_code="HB001")
    rows = [f"HB001,2025-08-05,{i + 1},UNC-{i}" for i in range(50_000)]
    rows[9] = 'HB001,2025-08-05,10,"UNC-9'
    file = io.BytesIO("\n".join([PAYMENTS, *rows]).encode())
    lines, cost = refused_whole(import_payments, file)
    assert len(lines) == 1 and lines[0].startswith("Dòng 11: ")
    assert cost.seconds < 10
    assert cost.peak < 64 * MB


def test_a_million_and_a_half_rows_go_to_the_background_at_once(  # type: ignore[no-untyped-def]
    client_as, officer_a, office_a, django_capture_on_commit_callbacks, tmp_path
):
    """gunicorn cut such a file off at 30 s with a bare 500. Now the request keeps the file,
    queues its import and answers with the page that follows it, in seconds."""
    EmployerFactory(unit_code="HB001", office=office_a)
    rows = hostile.many_rows_csv(tmp_path / "sao-ke.csv", 1_500_000)
    file = SimpleUploadedFile("sao-ke.csv", rows.read_bytes(), "text/csv")
    client = client_as(officer_a)
    with measured(memory=False) as cost, django_capture_on_commit_callbacks() as queued:
        response = client.post("/nhap-du-lieu/", {"kind": "payments", "file": file})
    assert response.status_code == 302
    assert len(queued) == 1  # the worker's task, not run here
    upload = StatementUpload.objects.get()
    assert upload.size > 40 * MB and upload.status == "queued"
    assert not Payment.objects.exists()
    assert cost.seconds < 20
