"""A period's report beside the same report for the period before and the same period a year
earlier: each figure column followed by its value in each period compared."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from django.utils.translation import gettext_lazy

from desk.periods import Period
from reports.writers import Column, Report, cell_value

# The periods a report may be compared with, in the order their columns follow.
COMPARISONS = {
    "previous": gettext_lazy("kỳ trước"),
    "year_before": gettext_lazy("cùng kỳ năm trước"),
}
_FIGURES = ("count", "money", "percent")


def comparable(report: Report) -> bool:
    """Whether a report's rows can stand beside another period's: it counts events and each
    row is a named group (an agency, an area, a stage), not a dated event of a list."""
    return report.period and all(c.kind in (*_FIGURES, "text") for c in report.columns)


def compared_period(period: Period, name: str) -> Period:
    """The period ``name`` (a key of COMPARISONS) of ``period``."""
    return period.previous() if name == "previous" else period.year_before()


def _key(columns: Sequence[Column], row: Any) -> tuple[Any, ...]:
    """What a row is about: its values that are not figures (the agency, area, stage...)."""
    return tuple(cell_value(row, c.key) for c in columns if c.kind not in _FIGURES)


def _values(columns: Sequence[Column], row: Any, suffix: str = "") -> dict[str, Any]:
    return {
        f"{c.key}{suffix}": cell_value(row, c.key)
        for c in columns
        if not suffix or c.kind in _FIGURES
    }


def _blank(columns: Sequence[Column], row: Any) -> dict[str, Any]:
    """A row of a period compared that the chosen period lacks: what it is about, no figures."""
    return {c.key: None if c.kind in _FIGURES else cell_value(row, c.key) for c in columns}


def compared(
    report: Report,
    rows: Sequence[Any],
    others: dict[str, Sequence[Any]],
) -> tuple[Report, list[dict[str, Any]]]:
    """``report`` with a column per figure and period compared (``figure_previous``,
    ``figure_year_before``), and ``rows`` merged with ``others`` (a period's name -> its
    rows) by what each row is about: the chosen period's rows first in their order, then
    those found only in a period compared. The totals row is each period's own."""
    columns = []
    for column in report.columns:
        columns.append(column)
        if column.kind in _FIGURES:
            columns += [
                replace(column, key=f"{column.key}_{name}", label=f"{column.label} ({label})")
                for name, label in COMPARISONS.items()
                if name in others
            ]
    merged: dict[tuple[Any, ...], dict[str, Any]] = {
        _key(report.columns, row): _values(report.columns, row) for row in rows
    }
    for name, found in others.items():
        for row in found:
            entry = merged.setdefault(_key(report.columns, row), _blank(report.columns, row))
            entry.update(_values(report.columns, row, f"_{name}"))
    count = report.totals
    total = None
    if count is not None and (rows or any(others.values())):
        sums = {name: count(found) if found else None for name, found in others.items()}
        if rows:
            total = _values(report.columns, count(rows))
        else:
            total = _blank(report.columns, next(row for row in sums.values() if row))
        for name, row in sums.items():
            total.update(_values(report.columns, row or {}, f"_{name}"))
    shown = replace(report, columns=tuple(columns), totals=lambda _rows: total)
    return shown, list(merged.values())
