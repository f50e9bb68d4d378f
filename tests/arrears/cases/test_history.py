"""A case's history (arrears/cases/history.py): kept by the database triggers, set-based
writes included, and shown on the case page with who changed what."""

from datetime import date

import pytest
from django.urls import reverse

from arrears.cases import services as cases
from arrears.models import RecoveryCase, Stage
from tests.arrears.cases.helpers import DAY, detail

pytestmark = pytest.mark.django_db


def test_history_is_kept_by_triggers(late_employer, officer_a):  # type: ignore[no-untyped-def]
    case = cases.open_case(employer=late_employer, by=officer_a, on=DAY)
    cases.move_stage(case=case, to=Stage.REMINDED, by=officer_a, note="Đã gửi thông báo")
    RecoveryCase.objects.filter(pk=case.pk).update(follow_up_on=DAY)  # a set-based write
    stages = list(case.history.order_by("pgh_id").values_list("stage", flat=True))
    assert stages == [Stage.DETECTED, Stage.REMINDED, Stage.REMINDED]


def test_history_shows_who_changed_what(client_as, case_a, officer_a):  # type: ignore[no-untyped-def]
    officer_a.first_name, officer_a.last_name = "Bùi Văn", "Thắng"
    officer_a.save()
    # A set-based write outside any request (a job, a command) is the system's. (The test
    # runs in one transaction, where a request's history context stays set: so it goes first.)
    RecoveryCase.objects.filter(pk=case_a.pk).update(follow_up_on=date(2026, 2, 2))
    client = client_as(officer_a)
    client.post(
        reverse("case_move", args=[case_a.pk]),
        {"to": "reminded", "note": "Đã gửi thông báo", "on": "2026-01-16"},
    )
    history = client.get(detail(case_a)).context["history"]
    moved = next(e for e in history if any(c.new == "Đã đôn đốc" for c in e.changes))
    assert moved.who == "Bùi Văn Thắng" and moved.what == "Hồ sơ"
    assert any(c.old == "Phát hiện" for c in moved.changes)
    follow_up = next(e for e in history if any(c.new == "02/02/2026" for c in e.changes))
    assert follow_up.who == "Hệ thống"
