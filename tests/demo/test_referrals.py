"""Who works, approves and answers the demo's referrals, and which organisation each goes to
(demo.referrals): an officer narrowed to the commune first, the office's head, the commune's
own organisation where there is one."""

from __future__ import annotations

from datetime import date

import pytest

from accounts.models import Agency, User
from demo import referrals
from demo.offices import IZ_UNION
from participants.models import Office
from tests.factories import CommuneFactory, EmployerFactory, OfficeFactory, UserFactory, agency

pytestmark = pytest.mark.django_db


def test_work_picks_officer_approver_and_organisation() -> None:
    office, province = OfficeFactory(name="Phúc Yên"), Office.objects.get(kind="province")
    town = CommuneFactory(name="Phúc Yên", office=office)
    village = CommuneFactory(name="Bình Xuyên", office=office)
    manager = UserFactory(username="m", role=User.Role.MANAGER)
    officer = UserFactory(username="o", offices=[office])
    narrowed = UserFactory(username="n", offices=[office], communes=[village])
    head = UserFactory(username="h", role=User.Role.OFFICE_HEAD, offices=[office])
    committee = Agency.objects.create(
        code="peoples_committee_binh_xuyen", kind="peoples_committee", name="UBND xã Bình Xuyên"
    )
    committee.communes.set([village])
    union = Agency.objects.create(code=IZ_UNION[0], kind="labour_federation", name=IZ_UNION[1])
    union.communes.set([village])
    work = referrals.Work.of(date(2026, 11, 16), [manager, officer, narrowed, head])

    in_town = EmployerFactory(office=office, commune=town)
    in_village = EmployerFactory(office=office, commune=village, industrial_zone="KCN Bình Xuyên")
    largest = EmployerFactory(office=province, commune=village)
    assert [work.officer(e) for e in (in_town, in_village, largest)] == [officer, narrowed, manager]
    assert [work.approver(e) for e in (in_town, largest)] == [head, manager]

    # The commune's own People's Committee, none where the commune has none (the industrial
    # zones' union is not the commune's federation); the province's for a province kind.
    assert referrals.COMMITTEE.organisation(work, in_village) == committee
    assert referrals.COMMITTEE.organisation(work, in_town) is None
    assert referrals.POLICE_STATION.organisation(work, in_village) is None
    assert referrals.FEDERATION.organisation(work, in_village) == agency("labour_federation")
    assert referrals.IZ_UNION_SUIT.organisation(work, in_village) == union
    assert referrals.IZ_UNION_SUIT.organisation(work, in_town) is None
