"""aging: its totals agree with employer_balances for every grouping; groups are labelled."""

from __future__ import annotations

import pytest

from reports.queries.aging import AGING_GROUPS, aging, aging_totals
from reports.queries.base import AGING_BUCKETS
from reports.queries.employer_balances import employer_balances
from tests.samples import SAMPLE_DAY, SampleProvince


@pytest.mark.parametrize("by", AGING_GROUPS)
def test_aging_totals_agree_with_employer_balances(
    sample_province: SampleProvince, by: str
) -> None:
    rows = aging(on=SAMPLE_DAY, user=None, by=by)
    balances = employer_balances(on=SAMPLE_DAY, user=None)
    total = aging_totals(rows)
    in_arrears = [b for b in balances if b.arrears > 0]
    assert total.arrears == sum(b.arrears for b in balances) == 8_548_089_600
    assert total.interest == sum(b.interest for b in balances) == 1_277_264_801
    assert total.employers_in_arrears == len(in_arrears) == 19
    assert total.workers == sum(b.employees for b in in_arrears)
    buckets = (total.under_3, total.from_3_to_6, total.from_6_to_12, total.over_12)
    assert sum(buckets) == total.arrears
    for bucket, amount in zip(AGING_BUCKETS, buckets, strict=True):
        assert amount == sum(b.arrears for b in balances if b.bucket is bucket)
    for row in rows:  # every group adds up too
        assert row.under_3 + row.from_3_to_6 + row.from_6_to_12 + row.over_12 == row.arrears


def test_aging_groups_are_labelled(sample_province: SampleProvince, officer_a) -> None:  # type: ignore[no-untyped-def]
    by_status = aging(on=SAMPLE_DAY, user=None, by="status")
    assert [r.group for r in by_status] == [
        "Đang hoạt động",
        "Tạm ngừng hoạt động",
        "Chờ giải thể",
        "Đã giải thể",
        "Chủ bỏ trốn",
    ]
    zones = [r.group for r in aging(on=SAMPLE_DAY, user=None, by="industrial_zone")]
    assert zones[-1] == "Ngoài khu công nghiệp"
    (mine,) = aging(on=SAMPLE_DAY, user=officer_a)
    assert (mine.group, mine.employers_in_arrears, mine.arrears) == ("Lương Sơn", 3, 361_120_000)
    with pytest.raises(ValueError, match="aging by 'tax_code'"):
        aging(on=SAMPLE_DAY, user=None, by="tax_code")


def test_aging_by_commune_and_former_province(areas: SampleProvince, officer_a) -> None:  # type: ignore[no-untyped-def]
    def groups(**kwargs: object) -> list[tuple[str, int, int, int]]:
        return [
            (r.group, r.employers_in_arrears, r.workers, r.arrears)
            for r in aging(on=SAMPLE_DAY, **kwargs)
        ]

    everyone = aging_totals(aging(on=SAMPLE_DAY, user=None))
    rest = everyone.workers - 13 - 23 - 17
    assert groups(user=None, by="commune") == [
        ("Cư Yên", 1, 13, 22_880_000),
        ("Lâm Sơn", 2, 40, 338_240_000),
        ("Chưa có xã/phường", 16, rest, 8_186_969_600),
    ]
    assert groups(user=None, by="former_province") == [
        ("Hòa Bình", 18, everyone.workers - 17, 8_248_569_600),
        ("Vĩnh Phúc", 1, 17, 299_520_000),
    ]
    # Grouped by office, filtered to a commune, a former province.
    lam_son = areas.employers["HB00000A"].office.communes.get(name="Lâm Sơn")
    assert groups(user=None, commune=lam_son.pk) == [("Lương Sơn", 2, 40, 338_240_000)]
    assert groups(user=officer_a, by="former_province") == [
        ("Hòa Bình", 2, 36, 61_600_000),
        ("Vĩnh Phúc", 1, 17, 299_520_000),
    ]
    assert groups(user=None, former_province="VP", by="commune") == [
        ("Lâm Sơn", 1, 17, 299_520_000)
    ]
