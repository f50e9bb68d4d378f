"""An employer that paid ahead, for the interest tests."""

from datetime import date

import pytest

from tests.factories import ContributionFactory, EmployerFactory, PaymentFactory


@pytest.fixture
def paid_ahead(office_a):  # type: ignore[no-untyped-def]
    """1,000,000 for 07/2025 (due 31/08/2025) paid with 100,000 more on 10/09/2025: ten days
    late, so 1,000,000 x 0.03 % x 10 = 3,000 of interest, and a credit of 100,000."""
    employer = EmployerFactory(office=office_a, unit_code="TN0001")
    ContributionFactory(employer=employer, period=date(2025, 7, 1), due_on=date(2025, 8, 31))
    PaymentFactory(employer=employer, paid_on=date(2025, 9, 10), amount=1_100_000)
    return employer
