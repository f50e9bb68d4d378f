"""The late-payment rate and actionable arrears per office (``YearFigures`` has the rules)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from accounts.models import User
from participants.models import Office
from reports.queries.base import YearFigures, employers_for, share, year_figures


@dataclass(frozen=True)
class LateRateRow:
    area: str
    receivable: int
    arrears: int
    late_rate: Decimal | None
    under_one_month: int
    hard_to_collect: int
    actionable: int
    actionable_rate: Decimal | None
    is_total: bool = False

    @classmethod
    def of(cls, area: str, figures: YearFigures, *, is_total: bool = False) -> LateRateRow:
        return cls(
            area,
            figures.receivable,
            figures.arrears,
            figures.late_rate,
            figures.under_one_month,
            figures.hard_to_collect,
            figures.actionable,
            share(figures.actionable, figures.receivable),
            is_total=is_total,
        )


def late_rate(
    *, on: date, user: User | None, start: date | None = None, **filters: Any
) -> list[LateRateRow]:
    """The late-payment rate as the national figures are reported (arrears over contributions
    receivable) and actionable arrears, per office on ``on``; ``late_rate_totals`` adds
    them up (the province, when every office is shown). ``YearFigures`` has the rules. For
    a period from ``start``, what was receivable is what fell due in it."""
    by_office = year_figures(on, employers_for(user, **filters), start)
    names = dict(Office.objects.filter(pk__in=by_office).values_list("pk", "name"))
    return sorted(
        (LateRateRow.of(names[pk], figures) for pk, figures in by_office.items()),
        key=lambda r: r.area,
    )


def late_rate_totals(rows: Sequence[LateRateRow]) -> LateRateRow | None:
    if not rows:
        return None
    total = sum(
        (
            YearFigures(
                receivable=r.receivable,
                arrears=r.arrears,
                under_one_month=r.under_one_month,
                hard_to_collect=r.hard_to_collect,
            )
            for r in rows
        ),
        YearFigures(),
    )
    return LateRateRow.of(_("Tổng cộng"), total, is_total=True)
