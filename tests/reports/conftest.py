"""The samples with the referrals imported, with the Balance table refreshed, and with
communes and a code of another former province (``areas``)."""

from __future__ import annotations

import pytest

from arrears.balances import refresh_balances
from arrears.imports.referrals import import_referrals
from participants.models import Commune, Employer, Office
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


@pytest.fixture
def areas(referred: SampleProvince) -> SampleProvince:
    """The samples with the referrals, two communes of Lương Sơn and one code of the former
    Vĩnh Phúc: HB00000A and HB00012C (renamed VP00012C) in Lâm Sơn, HB00037C in Cư Yên, the
    other employers with no commune yet."""
    luong_son = Office.objects.get(name="Lương Sơn")
    lam_son, cu_yen = (
        Commune.objects.create(
            code=code,
            name=name,
            kind=Commune.Kind.COMMUNE,
            office=luong_son,
            former_district="Lương Sơn",
            former_province="Hòa Bình",
        )
        for code, name in (("04891", "Lâm Sơn"), ("04903", "Cư Yên"))
    )
    Employer.objects.filter(unit_code__in=["HB00000A", "HB00012C"]).update(commune=lam_son)
    Employer.objects.filter(unit_code="HB00037C").update(commune=cu_yen)
    Employer.objects.filter(unit_code="HB00012C").update(unit_code="VP00012C")
    return referred
