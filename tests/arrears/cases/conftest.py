from datetime import date

import pytest

from arrears.cases import services as cases
from tests.arrears.cases.helpers import DAY, ledger
from tests.factories import ContributionFactory, PaymentFactory


@pytest.fixture
def late_employer(employer_a):  # type: ignore[no-untyped-def]
    """Four months of 1,000,000 đ (07-10/2025, due 31/08 .. 30/11), July paid on time."""
    for month in (7, 8, 9, 10):
        ContributionFactory(employer=employer_a, period=date(2025, month, 1))
    PaymentFactory(employer=employer_a, paid_on=date(2025, 8, 20), amount=1_000_000)
    return employer_a


@pytest.fixture
def case_a(employer_a, officer_a):  # type: ignore[no-untyped-def]
    return cases.open_case(employer=ledger(employer_a), by=officer_a, on=DAY)


@pytest.fixture
def case_b(employer_b, officer_b):  # type: ignore[no-untyped-def]
    return cases.open_case(employer=ledger(employer_b), by=officer_b, on=DAY)


@pytest.fixture
def media_root(settings, tmp_path):  # type: ignore[no-untyped-def]
    """Uploads go to the test's own directory."""
    settings.MEDIA_ROOT = tmp_path / "media"
