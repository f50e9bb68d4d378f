"""Holds on notices (arrears/jobs/holds.py): who may put and approve them."""

from __future__ import annotations

from datetime import date

import pytest

from arrears.jobs.cycles import JobError
from arrears.jobs.holds import approve_hold, put_on_hold
from arrears.models import Hold
from tests.arrears.jobs.conftest import MONDAY

pytestmark = pytest.mark.django_db


def test_hold_rules(employer_a, officer_a, manager):  # type: ignore[no-untyped-def]
    with pytest.raises(JobError, match="Chỉ lãnh đạo"):
        put_on_hold(employer=employer_a, by=officer_a, reason="x", starts_on=MONDAY, ends_on=MONDAY)
    with pytest.raises(JobError, match="Ngày kết thúc"):
        put_on_hold(
            employer=employer_a,
            by=manager,
            reason="x",
            starts_on=MONDAY,
            ends_on=date(2026, 11, 1),
        )
    hold = put_on_hold(
        employer=employer_a, by=manager, reason="Chờ kinh phí", starts_on=MONDAY, ends_on=MONDAY
    )
    with pytest.raises(JobError, match="Chỉ lãnh đạo"):
        approve_hold(hold=hold, by=officer_a)
    approve_hold(hold=hold, by=manager)
    with pytest.raises(JobError, match="đã được duyệt"):
        approve_hold(hold=hold, by=manager)
    assert list(Hold.objects.active_on(MONDAY)) == [hold]


def test_a_head_puts_and_approves_holds_in_their_office_only(  # type: ignore[no-untyped-def]
    employer_a, head_a, head_b
):
    with pytest.raises(JobError, match="Chỉ lãnh đạo"):
        put_on_hold(employer=employer_a, by=head_b, reason="x", starts_on=MONDAY, ends_on=MONDAY)
    hold = put_on_hold(
        employer=employer_a, by=head_a, reason="Tranh chấp", starts_on=MONDAY, ends_on=MONDAY
    )
    with pytest.raises(JobError, match="Chỉ lãnh đạo"):
        approve_hold(hold=hold, by=head_b)
    approve_hold(hold=hold, by=head_a)
    assert list(Hold.objects.active_on(MONDAY)) == [hold]
