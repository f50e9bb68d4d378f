"""reminders: the notices and invitations of one week, scoped."""

from __future__ import annotations

from datetime import timedelta

from arrears.models import Reminder
from reports.queries.reminders import reminder_count, reminders
from tests.reports.queries.helpers import sent_reminder
from tests.samples import SAMPLE_DAY, SampleProvince


def test_reminders_of_the_week(sample_province: SampleProvince, officer_a) -> None:  # type: ignore[no-untyped-def]
    employers = sample_province.employers
    sent_reminder(employers["HB00000A"], SAMPLE_DAY)
    sent_reminder(employers["HB00000A"], SAMPLE_DAY, kind=Reminder.Kind.INVITATION)
    sent_reminder(employers["HB00005A"], SAMPLE_DAY)
    sent_reminder(employers["HB00018D"], SAMPLE_DAY - timedelta(days=7))  # the week before
    rows = reminders(on=SAMPLE_DAY + timedelta(days=3), user=None)
    assert [(r.unit_code, r.kind, r.sent_on) for r in rows] == [
        ("HB00000A", "Mời làm việc", SAMPLE_DAY),
        ("HB00000A", "Thông báo đôn đốc", SAMPLE_DAY),
        ("HB00005A", "Thông báo đôn đốc", SAMPLE_DAY),
    ]
    assert reminder_count(on=SAMPLE_DAY, user=None) == 3
    assert [r.office for r in reminders(on=SAMPLE_DAY, user=officer_a)] == [
        "Lương Sơn",
        "Lương Sơn",
    ]
