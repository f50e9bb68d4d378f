"""union_suits: the labour federation's referrals with the figures it sues for."""

from __future__ import annotations

from datetime import date

from accounts.models import Agency, User
from arrears.models import Referral
from reports.queries.union_suits import union_suits
from tests.factories import UserFactory
from tests.samples import SAMPLE_DAY, SampleProvince


def test_union_suits_list_the_federation_referrals(
    referred: SampleProvince, police, federation
) -> None:  # type: ignore[no-untyped-def]
    rows = union_suits(on=SAMPLE_DAY, user=None)
    assert sorted(r.unit_code for r in rows) == ["HB00019E", "HB00021B"]
    expected = referred.expected["employers"]["HB00021B"]
    row = next(r for r in rows if r.unit_code == "HB00021B")
    assert (row.arrears, row.months_in_arrears, row.interest, row.workers) == (
        expected["arrears"],
        expected["months_in_arrears"],
        expected["interest"],
        expected["employees"],
    )
    assert row.oldest_unpaid_period == date(2026, 4, 1)
    assert row.reference == "4/BHXH-QLT"
    # Amount due: every contribution past its deadline on 16/11/2026 (through 2026-09).
    due = referred.employers["HB00021B"].contributions.filter(due_on__lt=SAMPLE_DAY)
    assert row.amount_due == sum(c.total for c in due)
    assert sorted(r.unit_code for r in union_suits(on=SAMPLE_DAY, user=federation)) == [
        "HB00019E",
        "HB00021B",
    ]
    assert union_suits(on=SAMPLE_DAY, user=police) == []


def test_each_union_lists_its_own_referrals(referred: SampleProvince, federation) -> None:  # type: ignore[no-untyped-def]
    iz_union = Agency.objects.create(
        code="cd_kcn", kind=Agency.Kind.LABOUR_FEDERATION, name="Công đoàn các khu công nghiệp"
    )
    Referral.objects.filter(reference="4/BHXH-QLT").update(agency=iz_union)
    union_liaison = UserFactory(username="cd_kcn", role=User.Role.LIAISON, agency=iz_union)
    assert [r.unit_code for r in union_suits(on=SAMPLE_DAY, user=union_liaison)] == ["HB00021B"]
    assert [r.unit_code for r in union_suits(on=SAMPLE_DAY, user=federation)] == ["HB00019E"]
    assert len(union_suits(on=SAMPLE_DAY, user=None)) == 2
