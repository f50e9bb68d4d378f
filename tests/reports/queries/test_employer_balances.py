"""employer_balances: scoped to the user and narrowed by the filters (office, commune,
former province, ...); each row names the employer's office and commune."""

from __future__ import annotations

from participants.models import Commune, Employer
from reports.queries.employer_balances import employer_balances
from tests.samples import SAMPLE_DAY, SampleProvince


def test_query_is_scoped_and_filtered(
    sample_province: SampleProvince, officer_a, officer_b, manager, police
) -> None:  # type: ignore[no-untyped-def]
    def units(**kwargs: object) -> set[str]:
        return {r.unit_code for r in employer_balances(on=SAMPLE_DAY, **kwargs)}

    everyone = set(sample_province.employers)
    assert units(user=None) == units(user=manager) == everyone
    luong_son = set(
        Employer.objects.filter(office__name="Lương Sơn").values_list("unit_code", flat=True)
    )
    assert units(user=officer_a) == luong_son == {"HB00000A", "HB00012C", "HB00037C"}
    assert units(user=police) == set()
    assert units(user=officer_b, office=sample_province.employers["HB00000A"].office) == set()
    suspended = units(user=None, status="suspended")
    assert suspended == {
        unit
        for unit, want in sample_province.expected["employers"].items()
        if want["status"] == "suspended"
    }
    assert units(user=officer_a, status="", ownership=None) == luong_son


def test_rows_name_the_office_and_commune_and_filter_by_them(
    areas: SampleProvince, officer_a
) -> None:  # type: ignore[no-untyped-def]
    rows = {r.unit_code: r for r in employer_balances(on=SAMPLE_DAY, user=None)}
    assert len(rows) == 40
    assert (rows["VP00012C"].office, rows["VP00012C"].commune) == ("Lương Sơn", "Lâm Sơn")
    assert (rows["HB00037C"].office, rows["HB00037C"].commune) == ("Lương Sơn", "Cư Yên")
    assert (rows["HB00018D"].office, rows["HB00018D"].commune) == ("Thành phố Hòa Bình", None)
    assert (rows["VP00012C"].arrears, rows["VP00012C"].interest) == (299_520_000, 22_402_597)
    # Largest arrears first, as before the new columns.
    assert next(iter(rows)) == "HB00018D"

    def units(**filters: object) -> dict[str, int]:
        return {r.unit_code: r.arrears for r in employer_balances(on=SAMPLE_DAY, **filters)}

    lam_son = Commune.objects.get(name="Lâm Sơn")
    assert units(user=None, commune=lam_son) == {"VP00012C": 299_520_000, "HB00000A": 38_720_000}
    assert units(user=officer_a, commune=lam_son.pk) == units(user=None, commune=lam_son)
    assert units(user=None, former_province="VP") == {"VP00012C": 299_520_000}
    assert len(units(user=None, former_province="HB")) == 39
    assert units(user=None, former_province="PT") == {}
