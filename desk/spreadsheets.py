"""The one way the desk writes a spreadsheet: every XLSX (reports, the quarterly list sent to
partner agencies, any future one) and every CSV cell of text go through here, so that a name
like ``=HYPERLINK("http://x", "click")`` is never a formula (OWASP "CSV injection").

- XLSX (``Book``): XlsxWriter never turns a string into a formula, number or link
  (``strings_to_formulas``, ``strings_to_numbers``, ``strings_to_urls`` off), and a text cell
  starting with ``=``, ``+``, ``-``, ``@``, tab or CR is written as it is, as a string, with
  the cell's "quote prefix" set: Excel and LibreOffice show the text unchanged and keep it
  text when someone edits the cell.
- CSV (``CsvWriter``, ``defuse``): text has no type, so a cell of text starting with one of those
  characters gets a leading apostrophe. Numbers are never prefixed (``-5`` stays a number),
  and the codes of the machine-readable exports (unit codes, statuses, agency codes) never
  start with those characters, so those files keep their values exactly.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable, Mapping
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any, BinaryIO, TextIO

import xlsxwriter

# What makes a cell a formula to Excel and LibreOffice.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

# XlsxWriter's options that would parse a string into something else.
SAFE_OPTIONS = {"strings_to_formulas": False, "strings_to_numbers": False, "strings_to_urls": False}


def risky(text: str) -> bool:
    """Whether a spreadsheet would read ``text``, typed into a cell, as a formula."""
    return text.startswith(FORMULA_STARTS)


def defuse(text: str) -> str:
    """Text for a CSV cell that no spreadsheet will evaluate: ``=HYPERLINK(...)`` becomes
    ``'=HYPERLINK(...)``."""
    return f"'{text}" if risky(text) else text


class CsvWriter:
    """``csv.writer`` whose text cells are defused; numbers are written as they are."""

    def __init__(self, out: TextIO) -> None:
        self._writer = csv.writer(out)

    def writerow(self, cells: Iterable[Any]) -> None:
        self._writer.writerow(defuse(c) if isinstance(c, str) else c for c in cells)


class Book:
    """An XLSX workbook whose cells are written by type, text never parsed.

    Formats are given as plain properties (``{"bold": True}``) and made once each; a text
    cell that looks like a formula gets the same format with ``quote_prefix``.
    """

    def __init__(self, out: BinaryIO | Any, *, constant_memory: bool = False) -> None:
        options: dict[str, Any] = dict(SAFE_OPTIONS)
        options["constant_memory" if constant_memory else "in_memory"] = True
        self.workbook = xlsxwriter.Workbook(out, options)
        self._formats: dict[tuple[tuple[str, Any], ...], Any] = {}

    def sheet(self, name: str) -> Any:
        return self.workbook.add_worksheet(name)

    def format(self, props: Mapping[str, Any] | None) -> Any:
        """The workbook's format with ``props`` (None: the default)."""
        if not props:
            return None
        key = tuple(sorted(props.items()))
        if key not in self._formats:
            self._formats[key] = self.workbook.add_format(dict(props))
        return self._formats[key]

    def write(
        self, sheet: Any, row: int, col: int, value: Any, props: Mapping[str, Any] | None = None
    ) -> None:
        """One cell: None blank (kept only when formatted), numbers as numbers, days as
        dates (dd/mm/yyyy unless ``props`` has a ``num_format``), anything else as text, a
        formula-like text with its quote prefix."""
        if value is None:
            if props:
                sheet.write_blank(row, col, None, self.format(props))
            return
        if isinstance(value, bool):
            value = str(value)
        if isinstance(value, int | float | Decimal):
            number = float(value) if isinstance(value, Decimal) else value
            sheet.write_number(row, col, number, self.format(props))
            return
        if isinstance(value, date):
            day = value if isinstance(value, datetime) else datetime.combine(value, time())
            shown = {"num_format": "dd/mm/yyyy", **(props or {})}
            sheet.write_datetime(row, col, day, self.format(shown))
            return
        text = str(value)
        if risky(text):
            props = {**(props or {}), "quote_prefix": True}
        sheet.write_string(row, col, text, self.format(props))

    def writer(self, props: Mapping[str, Any] | None) -> Callable[[Any, int, int, Any], None]:
        """``write`` for one column's cells, all with ``props``: the same cells, with the
        formats looked up once (a region's export writes millions of cells). Plain ints and
        strs take the short way; anything else goes through ``write``."""
        formats: dict[bool, Any] = {}

        def fmt(quoted: bool) -> Any:  # made on first use, as ``write`` makes them
            if quoted not in formats:
                formats[quoted] = self.format(
                    {**(props or {}), "quote_prefix": True} if quoted else props
                )
            return formats[quoted]

        dated: list[Any] = []  # the format of a day, as ``write`` gives it

        def write(sheet: Any, row: int, col: int, value: Any) -> None:
            kind = type(value)
            if kind is int:
                sheet.write_number(row, col, value, fmt(False))
            elif kind is str:
                sheet.write_string(row, col, value, fmt(value.startswith(FORMULA_STARTS)))
            elif value is None:
                if props:
                    sheet.write_blank(row, col, None, fmt(False))
            elif kind is date:
                if not dated:
                    dated.append(self.format({"num_format": "dd/mm/yyyy", **(props or {})}))
                sheet.write_datetime(row, col, datetime.combine(value, time()), dated[0])
            else:
                self.write(sheet, row, col, value, props)

        return write

    def close(self) -> None:
        self.workbook.close()
