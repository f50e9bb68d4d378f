"""An insured person and how to make more, and an employer that paid until May, for the insured
pages' and selectors' tests."""

from __future__ import annotations

from datetime import date

import pytest

from participants.models import InsuredPerson
from tests.factories import ContributionFactory, EmployerFactory, PaymentFactory

MARCH_TO_AUGUST = [date(2025, m, 1) for m in range(3, 9)]


def month(m: int, year: int = 2025) -> date:
    return date(year, m, 1)


def person(employer, number: str, name: str, born: date = date(1990, 5, 31), **kw) -> InsuredPerson:  # type: ignore[no-untyped-def]
    values = {"from_period": date(2025, 3, 1), "to_period": date(2025, 8, 1), "sex": "female"}
    return InsuredPerson.objects.create(
        social_insurance_number=number,
        full_name=name,
        date_of_birth=born,
        employer=employer,
        **{**values, **kw},
    )


@pytest.fixture
def huong(employer_a) -> InsuredPerson:  # type: ignore[no-untyped-def]
    """Employed March to August 2025 by employer_a (Lương Sơn), which paid until May."""
    for m in range(3, 9):
        ContributionFactory(employer=employer_a, period=date(2025, m, 1))
    PaymentFactory(employer=employer_a, paid_on=date(2025, 6, 20), amount=3_000_000)
    return person(employer_a, "1700000001", "Bùi Thị Hương")


def employer_paid_until_may(office):  # type: ignore[no-untyped-def]
    """An employer of ``office`` owing March to August 2025 that paid until May."""
    employer = EmployerFactory(office=office)
    for period in MARCH_TO_AUGUST:
        ContributionFactory(employer=employer, period=period)
    PaymentFactory(employer=employer, paid_on=date(2025, 6, 20), amount=3_000_000)
    return employer
