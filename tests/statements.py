"""Statement files for the import tests, and what an import asked of the database."""

from __future__ import annotations

import io
from collections.abc import Callable

from django.db import connection
from django.test.utils import CaptureQueriesContext


def statement(*lines: str, bom: bool = False) -> io.BytesIO:
    """A CSV statement file from its lines (header included)."""
    return io.BytesIO(("\ufeff" if bom else "").encode() + "\n".join(lines).encode("utf-8"))


def check_passes(importer: Callable[[io.BytesIO], object], file: io.BytesIO) -> int:
    """How many times the import ran the checks as a query of their own (refuse_bad_rows)."""
    with CaptureQueriesContext(connection) as queries:
        importer(file)
    return sum("count(*) OVER ()" in query["sql"] for query in queries.captured_queries)
