"""effectiveness on a constructed case: recovery and payment in full after each action."""

from __future__ import annotations

from datetime import date

from arrears.models import CaseEvent, EventKind, RecoveryCase
from reports.queries.effectiveness import effectiveness
from tests.factories import ContributionFactory, EmployerFactory, PaymentFactory
from tests.reports.queries.helpers import sent_reminder
from tests.samples import SAMPLE_DAY, SampleProvince


def test_effectiveness_measures_payment_in_full_after_each_action(
    office_a, officer_a, manager
) -> None:  # type: ignore[no-untyped-def]
    # Two employers, 3,000,000 đ each in arrears (07-09/2025, due by 31/10/2025).
    quick, slow = EmployerFactory(office=office_a), EmployerFactory(office=office_a)
    for employer in (quick, slow):
        for month in (7, 8, 9):
            ContributionFactory(employer=employer, period=date(2025, month, 1))
    # Both reminded on 10/11/2025; quick pays in full 20 days later, slow in 60 days.
    for employer in (quick, slow):
        sent_reminder(employer, date(2025, 11, 10))
    PaymentFactory(employer=quick, paid_on=date(2025, 11, 30), amount=3_000_000)
    PaymentFactory(employer=slow, paid_on=date(2026, 1, 9), amount=3_000_000)
    # A case for slow, opened on 20/11/2025 by officer_a, with a working session then.
    case = RecoveryCase.objects.create(
        employer=slow, officer=officer_a, opened_on=date(2025, 11, 20), arrears_at_opening=3_000_000
    )
    CaseEvent.objects.create(
        case=case, kind=EventKind.WORKING_SESSION, occurred_on=date(2025, 11, 20)
    )

    rows = {(r.section, r.group): r for r in effectiveness(on=date(2026, 3, 1), user=manager)}
    reminder = rows[("Theo biện pháp", "Thông báo đôn đốc")]
    assert (reminder.units, reminder.arrears_at_start, reminder.recovered) == (
        2,
        6_000_000,
        6_000_000,
    )
    assert (str(reminder.paid_in_full_30), str(reminder.paid_in_full_90)) == ("0.5000", "1.0000")
    session = rows[("Theo biện pháp", "Buổi làm việc")]
    assert (session.units, str(session.paid_in_full_30), str(session.paid_in_full_90)) == (
        1,
        "0.0000",
        "1.0000",
    )
    officer = rows[("Theo cán bộ", "officer_a")]
    assert (officer.units, officer.recovered, str(officer.recovery_rate)) == (
        1,
        3_000_000,
        "1.0000",
    )
    assert ("Theo BHXH cơ sở", "Lương Sơn") in rows and ("Theo bước", "Phát hiện") in rows

    # 40 days after the reminders the 90-day window has not passed: no share yet.
    early = {(r.section, r.group): r for r in effectiveness(on=date(2025, 12, 20), user=manager)}
    reminder = early[("Theo biện pháp", "Thông báo đôn đốc")]
    assert (str(reminder.paid_in_full_30), reminder.paid_in_full_90) == ("0.5000", None)


def test_effectiveness_groups_cases_by_the_area_chosen(areas: SampleProvince) -> None:
    def area(by: str) -> dict[str, tuple[int, int, int]]:
        return {
            r.group: (r.units, r.arrears_at_start, r.recovered)
            for r in effectiveness(on=SAMPLE_DAY, user=None, by=by)
            if r.section
            == {"office": "Theo BHXH cơ sở", "commune": "Theo xã/phường"}.get(by, "Theo tỉnh cũ")
        }

    assert area("commune") == {
        "Lâm Sơn": (1, 207_168_000, 164_736_000),
        "Chưa có xã/phường": (5, 2_079_040_000, 1_443_200_000),
    }
    assert area("former_province") == {
        "Hòa Bình": (5, 2_079_040_000, 1_443_200_000),
        "Vĩnh Phúc": (1, 207_168_000, 164_736_000),
    }
    assert area("office")["Lương Sơn"] == (1, 207_168_000, 164_736_000)
    # One section of areas whichever is chosen, between the officers and the stages.
    sections = [r.section for r in effectiveness(on=SAMPLE_DAY, user=None, by="commune")]
    assert "Theo BHXH cơ sở" not in sections
    assert sections.index("Theo xã/phường") < sections.index("Theo bước")
