"""The samples with the referrals imported, and with the Balance table refreshed."""

from __future__ import annotations

import pytest

from arrears.balances import refresh_balances
from arrears.imports.referrals import import_referrals
from tests.samples import SAMPLE_DAY, SAMPLES, SampleProvince


@pytest.fixture
def referred(sample_province: SampleProvince) -> SampleProvince:
    """The samples with shared/samples/referrals.csv imported (six referrals, six cases)."""
    import_referrals(SAMPLES / "referrals.csv")
    return sample_province


@pytest.fixture
def refreshed(referred: SampleProvince) -> SampleProvince:
    refresh_balances(SAMPLE_DAY)
    return referred
