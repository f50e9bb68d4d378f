"""What the jobs' tests share: media in the test's own directory, a week and late employers."""

from __future__ import annotations

from datetime import date

import pytest

from arrears.models import Reminder
from participants.models import Employer
from tests.factories import ContributionFactory

MONDAY = date(2026, 11, 16)  # expected.json's as-of date, ISO week 2026-W47


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path


def late(employer: Employer, *months: int, year: int = 2026) -> Employer:
    """Unpaid contributions of 1,000,000 đ for these months (monthly payer: due at the end of
    the next month)."""
    for month in months:
        ContributionFactory(employer=employer, period=date(year, month, 1))
    return employer


def notices(cycle: str = "2026-W47") -> dict[str, str]:
    return dict(
        Reminder.objects.filter(cycle=cycle, kind=Reminder.Kind.NOTICE).values_list(
            "employer__unit_code", "channel"
        )
    )
