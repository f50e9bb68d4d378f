"""recovery_by_agency against the samples' expected figures, before the referrals and by scope."""

from __future__ import annotations

from datetime import date

from reports.queries.recovery_by_agency import recovery_by_agency, recovery_totals
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
        "0.714",
    )

    total = recovery_totals(rows)
    assert (total.units, total.workers) == (6, 157)
    assert (total.arrears_at_referral, total.recovered) == (2_286_208_000, 1_607_936_000)
    assert str(total.recovery_rate) == "0.703"


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
