"""recovery_by_agency against the samples' expected figures, before the referrals and by scope;
per kind of organisation, with two organisations of one kind."""

from __future__ import annotations

from datetime import date

import pytest

from accounts.models import Agency, User
from arrears.models import Referral
from reports.queries.recovery_by_agency import GROUPINGS, recovery_by_agency, recovery_totals
from tests.factories import UserFactory
from tests.samples import SAMPLE_DAY, SampleProvince


def test_recovery_by_agency_matches_expected(referred: SampleProvince) -> None:
    rows = recovery_by_agency(on=SAMPLE_DAY, user=None)
    got = {
        r.agency: {
            "units": r.units,
            "workers": r.workers,
            "arrears_at_referral": r.arrears_at_referral,
            "recovered": r.recovered,
        }
        for r in rows
    }
    assert got == referred.expected["by_agency"]
    iz = next(r for r in rows if r.agency == "iz_board")
    assert (iz.agency_name, str(iz.recovery_rate)) == (
        "Ban Quản lý các khu công nghiệp tỉnh",
        "0.7137",
    )

    total = recovery_totals(rows)
    assert (total.units, total.workers) == (6, 157)
    assert (total.arrears_at_referral, total.recovered) == (2_286_208_000, 1_607_936_000)
    assert str(total.recovery_rate) == "0.7033"


def test_recovery_before_the_referrals_and_by_scope(
    referred: SampleProvince, federation, officer_a, police
) -> None:  # type: ignore[no-untyped-def]
    # Before the first referral (18/02/2026) there is nothing to report; on 05/03/2026 one
    # referral, and what came back by then.
    assert recovery_by_agency(on=date(2026, 2, 17), user=None) == []
    (early,) = recovery_by_agency(on=date(2026, 3, 5), user=None)
    assert (early.agency, early.units, early.workers) == ("iz_board", 1, 41)
    # A liaison sees their own agency's referrals only.
    (row,) = recovery_by_agency(on=SAMPLE_DAY, user=federation)
    assert (row.agency, row.units, row.workers, row.arrears_at_referral, row.recovered) == (
        "labour_federation",
        2,
        34,
        202_400_000,
        158_400_000,
    )
    assert recovery_by_agency(on=SAMPLE_DAY, user=police) == []
    # An officer of Lương Sơn: HB00012C, referred to the labour inspectorate.
    (row,) = recovery_by_agency(on=SAMPLE_DAY, user=officer_a)
    assert (row.agency, row.units, row.arrears_at_referral, row.recovered) == (
        "labour_inspectorate",
        1,
        207_168_000,
        164_736_000,
    )


def test_recovery_by_kind_and_two_organisations_of_one_kind(
    referred: SampleProvince, federation
) -> None:  # type: ignore[no-untyped-def]
    # The industrial zones' union, a second labour-federation organisation, got HB00021B.
    iz_union = Agency.objects.create(
        code="cd_kcn", kind=Agency.Kind.LABOUR_FEDERATION, name="Công đoàn các khu công nghiệp"
    )
    Referral.objects.filter(reference="4/BHXH-QLT").update(agency=iz_union)
    by_agency = {r.agency: r for r in recovery_by_agency(on=SAMPLE_DAY, user=None)}
    assert [r.agency_name for r in by_agency.values()] == sorted(
        r.agency_name for r in by_agency.values()
    )
    assert (by_agency["labour_federation"].units, by_agency["cd_kcn"].units) == (1, 1)
    by_kind = recovery_by_agency(on=SAMPLE_DAY, user=None, by="kind")
    # In the kinds' order, named by kind; the union's row is both organisations together.
    assert [(r.agency, r.agency_name) for r in by_kind] == [
        ("labour_inspectorate", "Thanh tra Sở Nội vụ"),
        ("labour_federation", "Công đoàn"),
        ("iz_board", "Ban Quản lý các khu công nghiệp"),
    ]
    unions = by_kind[1]
    expected = referred.expected["by_agency"]["labour_federation"]
    assert (unions.units, unions.workers, unions.arrears_at_referral, unions.recovered) == (
        expected["units"],
        expected["workers"],
        expected["arrears_at_referral"],
        expected["recovered"],
    )
    assert (
        unions.recovered == by_agency["labour_federation"].recovered + by_agency["cd_kcn"].recovered
    )
    assert recovery_totals(by_kind) == recovery_totals(list(by_agency.values()))
    # Each union's liaison: their own organisation's referrals, whichever the grouping.
    union_liaison = UserFactory(username="cd_kcn", role=User.Role.LIAISON, agency=iz_union)
    for by in GROUPINGS:
        (mine,) = recovery_by_agency(on=SAMPLE_DAY, user=union_liaison, by=by)
        assert (mine.units, mine.recovered) == (1, by_agency["cd_kcn"].recovered)
        (theirs,) = recovery_by_agency(on=SAMPLE_DAY, user=federation, by=by)
        assert (theirs.units, theirs.recovered) == (1, by_agency["labour_federation"].recovered)
    with pytest.raises(ValueError, match="not 'office'"):
        recovery_by_agency(on=SAMPLE_DAY, user=None, by="office")
