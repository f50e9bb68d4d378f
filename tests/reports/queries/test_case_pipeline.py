"""case_pipeline after the samples' referrals, for the province and one officer."""

from __future__ import annotations

from reports.queries.case_pipeline import case_pipeline, pipeline_totals
from tests.samples import SAMPLE_DAY, SampleProvince


def test_case_pipeline_after_the_referrals(referred: SampleProvince, officer_a) -> None:  # type: ignore[no-untyped-def]
    rows = case_pipeline(on=SAMPLE_DAY, user=None)
    total = pipeline_totals(rows)
    assert {r.stage for r in rows} == {"detected"}
    assert (total.cases, total.arrears_at_opening, total.recovered) == (
        6,
        2_286_208_000,
        1_607_936_000,
    )
    (mine,) = case_pipeline(on=SAMPLE_DAY, user=officer_a)
    assert (mine.area, mine.stage_name, mine.cases, mine.recovered) == (
        "Lương Sơn",
        "Phát hiện",
        1,
        164_736_000,
    )


def test_case_pipeline_by_commune_and_former_province(areas: SampleProvince) -> None:
    def groups(by: str, **filters: object) -> list[tuple[str, int, int, int]]:
        return [
            (r.area, r.cases, r.arrears_at_opening, r.recovered)
            for r in case_pipeline(on=SAMPLE_DAY, user=None, by=by, **filters)
        ]

    assert groups("commune") == [
        ("Lâm Sơn", 1, 207_168_000, 164_736_000),
        ("Chưa có xã/phường", 5, 2_079_040_000, 1_443_200_000),
    ]
    assert groups("former_province") == [
        ("Hòa Bình", 5, 2_079_040_000, 1_443_200_000),
        ("Vĩnh Phúc", 1, 207_168_000, 164_736_000),
    ]
    assert groups("office", former_province="VP") == [("Lương Sơn", 1, 207_168_000, 164_736_000)]
