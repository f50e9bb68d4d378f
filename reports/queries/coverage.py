"""The coverage report: participants by scheme against plan and against their base, by
office and for the province, for a year or a quarter, with the change on the period before.

Rates are as the offices publish them (DOMAIN.md, "coverage rate"): SI (compulsory plus
voluntary) and UI over the working-age labour force, HI over the population; each rate and
share of plan rounded half up to 0.1 %. E.g. 112,488 SI participants of a labour force of
421,303 are 26.7 %; 842,104 HI participants of a population of 905,488, 93.0 % (``share``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, fields
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from participants.models import CoverageFigure
from reports.queries.base import share

if TYPE_CHECKING:
    from accounts.models import User


@dataclass(frozen=True)
class Period:
    """A year (``quarter`` None) or one of its quarters."""

    year: int
    quarter: int | None = None

    @property
    def key(self) -> str:
        """As the page's address and the export's file name spell it: 2025, 2025-Q3."""
        return f"{self.year}-Q{self.quarter}" if self.quarter else str(self.year)

    @property
    def label(self) -> str:
        if self.quarter:
            return _("Quý %(quarter)s/%(year)s") % {"quarter": self.quarter, "year": self.year}
        return _("Năm %(year)s") % {"year": self.year}

    @property
    def end(self) -> date:
        """The day after the period: figures are as at its close."""
        if not self.quarter or self.quarter == 4:
            return date(self.year + 1, 1, 1)
        return date(self.year, self.quarter * 3 + 1, 1)

    @property
    def previous(self) -> Period:
        if not self.quarter:
            return Period(self.year - 1)
        if self.quarter == 1:
            return Period(self.year - 1, 4)
        return Period(self.year, self.quarter - 1)

    @classmethod
    def parse(cls, key: str) -> Period | None:
        year, _sep, quarter = key.partition("-Q")
        if not re.fullmatch(r"[0-9]{4}", year) or (quarter and quarter not in ("1", "2", "3", "4")):
            return None
        return cls(int(year), int(quarter) if quarter else None)


@dataclass(frozen=True)
class Counts:
    """One area's figures for one period (a CoverageFigure's, or several added up)."""

    compulsory_si: int
    voluntary_si: int
    ui: int
    hi: int
    plan_compulsory_si: int | None
    plan_voluntary_si: int | None
    plan_ui: int | None
    plan_hi: int | None
    labour_force: int
    population: int

    @classmethod
    def of(cls, figure: CoverageFigure) -> Counts:
        return cls(**{f.name: getattr(figure, f.name) for f in fields(cls)})

    @classmethod
    def total(cls, counts: list[Counts]) -> Counts:
        """Added up; a plan only where every area has one."""
        values = {}
        for field in fields(cls):
            parts = [getattr(c, field.name) for c in counts]
            values[field.name] = None if None in parts else sum(parts)
        return cls(**values)

    @property
    def si(self) -> int:
        return self.compulsory_si + self.voluntary_si

    @property
    def plan_si(self) -> int | None:
        if self.plan_compulsory_si is None or self.plan_voluntary_si is None:
            return None
        return self.plan_compulsory_si + self.plan_voluntary_si


@dataclass(frozen=True)
class CoverageRow:
    period: str
    area: str
    is_total: bool
    compulsory_si: int
    compulsory_si_of_plan: Decimal | None
    voluntary_si: int
    voluntary_si_of_plan: Decimal | None
    si: int
    si_of_plan: Decimal | None
    si_of_labour_force: Decimal | None
    si_change: int | None  # participants more (less) than in the period before
    ui: int
    ui_of_plan: Decimal | None
    ui_of_labour_force: Decimal | None
    ui_change: int | None
    hi: int
    hi_of_plan: Decimal | None
    hi_of_population: Decimal | None
    hi_change: int | None
    labour_force: int
    population: int


def row(
    period: Period, area: str, now: Counts, before: Counts | None, *, is_total: bool
) -> CoverageRow:
    """One line of the report from an area's figures now and in the period before."""
    return CoverageRow(
        period=period.label,
        area=area,
        is_total=is_total,
        compulsory_si=now.compulsory_si,
        compulsory_si_of_plan=share(now.compulsory_si, now.plan_compulsory_si),
        voluntary_si=now.voluntary_si,
        voluntary_si_of_plan=share(now.voluntary_si, now.plan_voluntary_si),
        si=now.si,
        si_of_plan=share(now.si, now.plan_si),
        si_of_labour_force=share(now.si, now.labour_force),
        si_change=now.si - before.si if before else None,
        ui=now.ui,
        ui_of_plan=share(now.ui, now.plan_ui),
        ui_of_labour_force=share(now.ui, now.labour_force),
        ui_change=now.ui - before.ui if before else None,
        hi=now.hi,
        hi_of_plan=share(now.hi, now.plan_hi),
        hi_of_population=share(now.hi, now.population),
        hi_change=now.hi - before.hi if before else None,
        labour_force=now.labour_force,
        population=now.population,
    )


def _figures(user: User | None) -> QuerySet[CoverageFigure]:
    return CoverageFigure.objects.all() if user is None else CoverageFigure.objects.in_scope(user)


def periods(user: User | None) -> list[Period]:
    """The periods with figures the user may see, newest first (a year before its quarters)."""
    found = _figures(user).order_by().values_list("year", "quarter").distinct()
    return sorted(
        (Period(year, quarter) for year, quarter in found),
        key=lambda p: (p.end, p.quarter is None),
        reverse=True,
    )


def period_on(on: date, choices: list[Period]) -> Period | None:
    """The latest period closed by ``on`` (a year rather than its fourth quarter), if any."""
    closed = [p for p in choices if p.end <= on]
    return max(closed, key=lambda p: (p.end, p.quarter is None)) if closed else None


def coverage_rows(
    *, on: date, user: User | None, period: Period | None = None
) -> list[CoverageRow]:
    """The offices in name order, then the province: its own figures, or where it has
    none the offices added up. ``period`` defaults to the latest closed by ``on``
    (``period_on``); ``user=None`` is the whole province (commands)."""
    figures = _figures(user)
    if period is None:
        period = period_on(on, periods(user))
        if period is None:
            return []
    before = period.previous
    # The offices' and the province's figures (a commune's are not rows of this report).
    found = figures.filter(
        Q(year=period.year, quarter=period.quarter) | Q(year=before.year, quarter=before.quarter),
        commune=None,
    ).select_related("office")
    now: dict[str | None, Counts] = {}
    then: dict[str | None, Counts] = {}
    for figure in found:
        name = figure.office.name if figure.office_id else None
        into = now if (figure.year, figure.quarter) == (period.year, period.quarter) else then
        into[name] = Counts.of(figure)

    offices = sorted(name for name in now if name is not None)
    rows = [row(period, name, now[name], then.get(name), is_total=False) for name in offices]
    if None in now:
        rows.append(row(period, _("Toàn tỉnh"), now[None], then.get(None), is_total=True))
    elif offices:
        # No figure of the province's own: the offices shown, added up (their change only
        # where every one of them has the period before).
        earlier = [then[name] for name in offices if name in then]
        rows.append(
            row(
                period,
                _("Cộng các BHXH cơ sở"),
                Counts.total([now[name] for name in offices]),
                Counts.total(earlier) if len(earlier) == len(offices) else None,
                is_total=True,
            )
        )
    return rows
