import pytest

from arrears.cases import services as cases
from tests.arrears.cases.helpers import DAY, ledger


@pytest.fixture
def case_a(employer_a, officer_a):  # type: ignore[no-untyped-def]
    return cases.open_case(employer=ledger(employer_a), by=officer_a, on=DAY)
