"""The samples with the referrals imported, with the Balance table refreshed, and with
communes and a code of another former province (``areas``); a small world of referrals for
the reports of a period (``world``)."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import date

import pytest

from arrears.balances import refresh_balances
from arrears.cases.services import record_imported_referral
from arrears.imports.referrals import import_referrals
from participants.models import Commune, Employer, Office
from tests.factories import ContributionFactory, EmployerFactory, PaymentFactory, agency
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


# --------------------------------------------------------------------------------------------
# Recovery in a period

_references = itertools.count()


def refer(employer: Employer, code: str, sent_on: date) -> None:
    record_imported_referral(
        employer=employer,
        agency=agency(code),
        purpose="inspect",
        reference=f"{next(_references)}/BHXH-THU",
        sent_on=sent_on,
    )


def owing(employer: Employer, months: int, employees: int) -> None:
    """``months`` monthly contributions of 1,000,000 đ from 2025-07 (due 31/08/2025 on)."""
    for month in range(7, 7 + months):
        ContributionFactory(employer=employer, period=date(2025, month, 1), employees=employees)


@dataclass(frozen=True)
class World:
    e1: Employer
    e2: Employer
    e3: Employer
    e4: Employer
    e5: Employer


@pytest.fixture
def world(db) -> World:  # type: ignore[no-untyped-def]
    """``build_world()``."""
    return build_world()


def build_world() -> World:
    """Five employers (the rule's edge cases, with their figures in the tests):

    - E1 owes 3,000,000 (12 workers), pays 500,000 on 10/01/2026, the day it goes to the
      labour inspectorate (so its arrears then are 2,500,000 and that payment recovers
      nothing), 800,000 on 20/01, is sent to the labour federation on 05/02 (1,700,000), pays
      400,000 on 31/03 (the period's last day) and 5,000,000 on 01/04 (after it);
    - E2 owes 2,000,000 (7 workers), is sent to the inspectorate twice, on 01/02 and 15/03,
      and pays 600,000 on 01/03;
    - E3 owes 1,000,000 (5 workers), pays 300,000 and goes to the federation on 31/03;
    - E4 owes 1,000,000 (9 workers), goes to the inspectorate on 31/12/2025 (before the
      period) and pays it all on 15/02/2026;
    - E5 owes nothing (4 workers on its register) and goes to the industrial-zone board.
    """
    office = Office.objects.create(name="Thử kỳ")
    e1, e2, e3, e4, e5 = (EmployerFactory(office=office, employees=4) for _ in range(5))
    owing(e1, 3, 12)
    owing(e2, 2, 7)
    owing(e3, 1, 5)
    owing(e4, 1, 9)
    for employer, day, amount in (
        (e1, date(2026, 1, 10), 500_000),
        (e1, date(2026, 1, 20), 800_000),
        (e2, date(2026, 3, 1), 600_000),
        (e3, date(2026, 3, 31), 300_000),
    ):
        PaymentFactory(employer=employer, paid_on=day, amount=amount)
    refer(e4, "labour_inspectorate", date(2025, 12, 31))
    refer(e1, "labour_inspectorate", date(2026, 1, 10))
    refer(e2, "labour_inspectorate", date(2026, 2, 1))
    refer(e1, "labour_federation", date(2026, 2, 5))
    refer(e5, "iz_board", date(2026, 2, 10))
    refer(e2, "labour_inspectorate", date(2026, 3, 15))
    refer(e3, "labour_federation", date(2026, 3, 31))
    # Recorded after the referrals, dated after them: they fix nothing at referral.
    PaymentFactory(employer=e1, paid_on=date(2026, 3, 31), amount=400_000)
    PaymentFactory(employer=e1, paid_on=date(2026, 4, 1), amount=5_000_000)
    PaymentFactory(employer=e4, paid_on=date(2026, 2, 15), amount=1_000_000)
    return World(e1, e2, e3, e4, e5)
