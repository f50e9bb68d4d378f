"""The insured persons behind an employer's arrears: whose months are unconfirmed, and one
person's months paid, unpaid or not yet due (``worker_months.month_statuses``), from the
employer's ledger; and the lookup of persons by name or number.

A month of an insured person is confirmed once the employer's contribution for it is paid;
the rules are ``ledger.settle_on`` and ``arrears.worker_months``.
DOMAIN.md rule 7 ("workers affected": the employees on the latest contribution row) stays the
figure of reports; the person-based count here is shown beside it where persons are loaded.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from itertools import groupby
from typing import TYPE_CHECKING

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from arrears import ledger, worker_months
from arrears.selectors import employer_ledger
from desk.collation import vietnamese_key, vietnamese_order
from participants.models import Employer, InsuredPerson

if TYPE_CHECKING:
    from accounts.models import User

MonthStatus = worker_months.MonthStatus

# How pages and the insured person's document name each status: (short label for a month's cell,
# the legend's explanation).
STATUS_LABELS: dict[MonthStatus, tuple[Promise, Promise]] = {
    MonthStatus.PAID: (_("Đã đóng"), _("đơn vị đã đóng đủ cho tháng này")),
    MonthStatus.UNPAID: (
        _("Nợ"),
        _("quá hạn, đơn vị chưa đóng đủ (tháng chưa được xác nhận)"),
    ),
    MonthStatus.NOT_DUE: (_("Chưa đến hạn"), _("chưa đến hạn đóng của đơn vị")),
    MonthStatus.NOT_RECORDED: (
        _("Không có"),
        _("cơ quan BHXH không có số phải đóng của tháng này"),
    ),
}


def month_ranges(months: list[date]) -> list[tuple[date, date]]:
    """Consecutive months as (first, last) runs: 06..08/2025 and 11/2025 rather than four."""
    runs: list[tuple[date, date]] = []
    for month in months:
        index = month.year * 12 + month.month
        if runs and runs[-1][1].year * 12 + runs[-1][1].month == index - 1:
            runs[-1] = (runs[-1][0], month)
        else:
            runs.append((month, month))
    return runs


@dataclass(frozen=True)
class UnconfirmedInsured:
    person: InsuredPerson
    months: list[date]

    @property
    def ranges(self) -> list[tuple[date, date]]:
        return month_ranges(self.months)


@dataclass(frozen=True)
class EmployerInsured:
    """An employer's insured persons on a date, as its page shows them."""

    on: date
    persons: int  # insured persons on record for the employer, whatever their months
    workers_affected: int  # DOMAIN.md rule 7: employees on the latest contribution row
    unconfirmed: list[UnconfirmedInsured] = field(default_factory=list)  # most months first

    @property
    def unconfirmed_months(self) -> int:
        return sum(len(insured.months) for insured in self.unconfirmed)


def employer_insured(employer: Employer, balance: ledger.EmployerBalance) -> EmployerInsured:
    """Its insured persons with months unconfirmed on the balance's date (unpaid, past due), most
    months first, and rule 7's workers affected.

    One query when the employer owes nothing on that date (no month can be unconfirmed),
    else four: the persons, the contributions and payments, rule 7's latest row.
    """
    on = balance.on
    if not balance.months_in_arrears:
        return EmployerInsured(on=on, persons=employer.insured_persons.count(), workers_affected=0)
    persons = list(
        employer.insured_persons.order_by(*vietnamese_order("full_name"), "social_insurance_number")
    )
    latest = (
        employer.contributions.filter(period__lte=ledger.month_start(on))
        .order_by("-period")
        .values_list("employees", flat=True)
        .first()
    )
    unconfirmed: list[UnconfirmedInsured] = []
    if persons:
        settlements = ledger.settle_on(*employer_ledger(employer), on)
        for person in persons:
            months = worker_months.unconfirmed_months(
                settlements,
                worker_months.employment_months(person.from_period, person.to_period, on),
                on,
            )
            if months:
                unconfirmed.append(UnconfirmedInsured(person, months))
        unconfirmed.sort(key=lambda insured: -len(insured.months))  # stable: names stay in order
    return EmployerInsured(
        on=on, persons=len(persons), workers_affected=latest or 0, unconfirmed=unconfirmed
    )


@dataclass(frozen=True)
class MonthCell:
    status: MonthStatus

    @property
    def label(self) -> Promise:
        return STATUS_LABELS[self.status][0]


@dataclass(frozen=True)
class YearOfMonths:
    """One line of a person's calendar: a year and its twelve months (None: not employed)."""

    year: int
    cells: list[MonthCell | None]


@dataclass(frozen=True)
class InsuredMonths:
    """One insured person's months at their employer on a date."""

    person: InsuredPerson
    on: date
    months: list[tuple[date, MonthStatus]]

    @property
    def legend(self) -> list[tuple[MonthCell, Promise, int]]:
        """Each status, what it means, and how many of the person's months have it."""
        counted = Counter(status for _month, status in self.months)
        return [
            (MonthCell(status), meaning, counted[status])
            for status, (_label, meaning) in STATUS_LABELS.items()
        ]

    @property
    def unpaid(self) -> list[tuple[date, date]]:
        return month_ranges([m for m, status in self.months if status is MonthStatus.UNPAID])

    @property
    def years(self) -> list[YearOfMonths]:
        """The months as a calendar, newest year first."""
        lines = []
        for year, months in groupby(self.months, key=lambda item: item[0].year):
            cells: list[MonthCell | None] = [None] * 12
            for month, status in months:
                cells[month.month - 1] = MonthCell(status)
            lines.append(YearOfMonths(year, cells))
        return lines[::-1]


def insured_months(person: InsuredPerson, on: date) -> InsuredMonths:
    """The person's months from their first through ``on`` (or their last), each paid,
    unpaid, not yet due or not recorded. Two queries: the employer's contributions and
    payments (``person.employer`` is expected loaded)."""
    employer = person.employer
    settlements = ledger.settle_on(*employer_ledger(employer), on)
    months = worker_months.employment_months(person.from_period, person.to_period, on)
    return InsuredMonths(
        person=person,
        on=on,
        months=worker_months.month_statuses(settlements, months, on, employer.payment_method),
    )


# Persons matching a search, province-wide, that the lookup looks at; more means the words
# typed are too common (a surname and a middle name) to be worth listing.
MATCHES_LOOKED_AT = 2000


@dataclass(frozen=True)
class Found:
    persons: list[InsuredPerson]  # in name order
    more: bool  # other persons match too: the caller should ask for more words


def find_insured(user: User, text: str, limit: int) -> Found:
    """The persons in the user's scope whose name (or number, or year of birth) matches
    ``text`` (``InsuredPersonQuerySet.search``), at most ``limit`` of them.

    Two steps, on purpose: the matches by the name-word index alone, then those in scope by
    id. In one query the planner may walk every person of the user's employers instead, which
    is much slower for an officer of a large office.
    """
    matched = list(
        InsuredPerson.objects.search(text)
        .order_by()
        .values_list("id", flat=True)[: MATCHES_LOOKED_AT + 1]
    )
    found = list(
        InsuredPerson.objects.in_scope(user)
        .filter(id__in=matched[:MATCHES_LOOKED_AT])
        .select_related("employer")
        .order_by()[: limit + 1]
    )
    found.sort(key=lambda p: (vietnamese_key(p.full_name), p.social_insurance_number))
    return Found(found[:limit], more=len(found) > limit or len(matched) > MATCHES_LOOKED_AT)
