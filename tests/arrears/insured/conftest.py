"""An insured person and how to make more, for the insured pages' and selectors' tests."""

from __future__ import annotations

from datetime import date

import pytest

from participants.models import InsuredPerson
from tests.factories import ContributionFactory, PaymentFactory


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
