"""employer_balances: scoped to the user and narrowed by the filters."""

from __future__ import annotations

from participants.models import Employer
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
