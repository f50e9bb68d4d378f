"""What a statement import gives back: its counts, or the file refused with every reason; and
the shapes the reading, staging and checks pass between them (Layout, Staged)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

# Reasons shown for a refused file: enough to fix a systematic mistake, few enough to read.
MAX_REASONS = 200


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
    new_offices: int = 0

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
        if self.new_offices:
            text += " " + ngettext(
                "%(count)s BHXH cơ sở mới.", "%(count)s BHXH cơ sở mới.", self.new_offices
            ) % {"count": self.new_offices}
        return text


@dataclass(frozen=True)
class Layout:
    """The columns of one kind of statement file."""

    columns: tuple[str, ...]
    # Written text (names, addresses): NFC-normalised and inner spaces collapsed, so the same
    # name typed on two machines matches.
    free_text: frozenset[str] = frozenset()
    # Months, days and whole numbers. Besides YYYY-MM, YYYY-MM-DD and digits they may come as
    # Vietnamese Excel writes them (12/2026, 02/12/2026, 1.000.000): staging rewrites those
    # (``staging.normalise``). An XLSX date cell in a month column means its month.
    month_columns: frozenset[str] = frozenset()
    day_columns: frozenset[str] = frozenset()
    number_columns: frozenset[str] = frozenset()
    # Columns whose checks refuse any white space (codes matched exactly, digits, dates): a
    # file copied as it is may leave them untrimmed, since a padded value is caught by its
    # check and the file then read again by the Python reader, which trims. At least one of
    # them must be required, so that a blank row is caught the same way. The other columns
    # are trimmed (free text also normalised) in SQL after the copy.
    strict: frozenset[str] = frozenset()
    # Columns a file may leave out: staged as '' on every row.
    optional: frozenset[str] = frozenset()
    # Columns of an older format, each with the column it stands in for: a file has one or the
    # other, never both (the employers' ``district``, before offices and communes).
    older: tuple[tuple[str, str], ...] = ()

    @property
    def required(self) -> tuple[str, ...]:
        """The columns every file must have (or the older column standing in for one)."""
        left_out = self.optional | {old for old, _current in self.older}
        return tuple(name for name in self.columns if name not in left_out)

    @property
    def current(self) -> tuple[str, ...]:
        """The columns of the current format: all but the older ones."""
        older = {old for old, _current in self.older}
        return tuple(name for name in self.columns if name not in older)


@dataclass
class Staged:
    """A statement loaded into the staging table, with what its structure got wrong."""

    table: str
    file: BinaryIO | Path
    layout: Layout
    # The file's own columns, in its order: the layout's less any it may leave out.
    columns: tuple[str, ...] = ()
    rows: int = 0
    problems: list[RowError] = field(default_factory=list)
    problem_count: int = 0
    # Loaded by PostgreSQL's own COPY, strict columns as typed (see Layout.strict).
    copied_raw: bool = False

    def note(self, error: RowError) -> None:
        self.problem_count += 1
        if len(self.problems) < MAX_REASONS:
            self.problems.append(error)


def refusal(message: str, line: int | None = None, column: str = "") -> StatementRefused:
    """The file refused for one reason."""
    return StatementRefused([RowError(line, column, message)])
