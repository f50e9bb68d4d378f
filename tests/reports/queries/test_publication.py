"""Evasion (rule 10) for every employer at once, as the law has it one at a time, and the
publication list of late and evading employers."""

from __future__ import annotations

from datetime import date

from arrears.cases.selectors import employer_evasion_periods
from arrears.models import Decision, ForceMajeureClaim
from participants.models import Employer
from reports.queries.publication import evasion_by_employer, publication
from tests.reports.queries.helpers import sent_reminder
from tests.samples import SAMPLE_DAY, SampleProvince


def test_evasion_agrees_with_the_law_one_employer_at_a_time(
    sample_province: SampleProvince,
) -> None:
    employers = sample_province.employers
    for code in ("HB00005A", "HB00031B", "HB00018D", "HB00000A"):
        sent_reminder(employers[code], date(2026, 8, 3))
    sent_reminder(employers["HB00036B"], date(2026, 11, 20))  # after the as-of date: not counted
    ForceMajeureClaim.objects.create(
        employer=employers["HB00031B"],
        claimed_on=date(2026, 6, 1),
        first_period=date(2026, 3, 1),
        last_period=date(2026, 4, 1),
        reason="Lũ quét",
        proof="force_majeure/x.pdf",
        decision=Decision.ACCEPTED,
    )
    found = evasion_by_employer(SAMPLE_DAY)
    for employer in Employer.objects.all():
        periods = employer_evasion_periods(employer, SAMPLE_DAY)
        expected = (len(periods), min(periods)) if periods else None
        assert found.get(employer.pk) == expected, employer.unit_code
    # HB00031B's claim excuses part of its evasion, not all of it.
    assert employers["HB00005A"].pk in found and found[employers["HB00031B"].pk][1] == date(
        2026, 5, 1
    )


def test_publication_lists_late_and_evading(sample_province: SampleProvince) -> None:
    sent_reminder(sample_province.employers["HB00005A"], date(2026, 8, 3))
    rows = publication(on=SAMPLE_DAY, user=None)
    assert len(rows) == 19
    assert [r.arrears for r in rows] == sorted((r.arrears for r in rows), reverse=True)
    evading = [r for r in rows if r.violation == "Trốn đóng"]
    (row,) = evading
    assert (row.unit_code, row.tax_code, row.arrears) == ("HB00005A", "5437616875", 2_191_360_000)
    assert row.evasion_months == len(
        employer_evasion_periods(sample_province.employers["HB00005A"], SAMPLE_DAY)
    )
    assert {r.violation for r in rows if r is not row} == {"Chậm đóng"}
