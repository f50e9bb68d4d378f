"""The coverage sample imported, for the coverage import and report tests."""

from __future__ import annotations

import pytest

from participants.imports.coverage import import_coverage
from tests.statements import COVERAGE_SAMPLE


@pytest.fixture
def sample(district_a, district_b) -> None:  # type: ignore[no-untyped-def]
    """docs/samples/coverage.csv: the province 2023-2024 (2024 is the published figure),
    Lương Sơn (district_a) 2023-2024 and Tân Lạc (district_b) 2024."""
    result = import_coverage(COVERAGE_SAMPLE)
    assert (result.created, result.updated, result.unchanged) == (6, 0, 0)
