"""The dry run before "run now" (arrears/jobs/preview.py): it writes nothing and its counts are
the real run's; run dates bounded on the page and in the commands."""

from __future__ import annotations

from datetime import date, time, timedelta

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from arrears.jobs.cycles import JobError, check_run_date, run_date_bounds
from arrears.jobs.preview import preview_monthly, preview_weekly
from arrears.jobs.runs import WEEKLY_KEYS, run_monthly, run_weekly
from arrears.models import CaseEvent, Commitment, JobRun, Policy, RecoveryCase, Reminder
from tests.arrears.jobs.conftest import MONDAY, late
from tests.factories import EmployerFactory, UserFactory

pytestmark = pytest.mark.django_db


def _written() -> tuple[int, ...]:
    return (
        Reminder.objects.count(),
        RecoveryCase.objects.count(),
        CaseEvent.objects.count(),
        JobRun.objects.count(),
        Commitment.objects.count(),
        len(mail.outbox),
    )


def test_weekly_dry_run_writes_nothing_and_equals_the_run(  # type: ignore[no-untyped-def]
    sample_province, office_a, manager, django_capture_on_commit_callbacks
):
    UserFactory(username="spread_1", offices=[office_a], email="s1@bhxh.test")
    Policy.objects.filter(id=Policy.current().id).update(auto_case_months=2)
    before = _written()
    with django_capture_on_commit_callbacks(execute=True):
        preview = preview_weekly(MONDAY)
    assert _written() == before
    with django_capture_on_commit_callbacks(execute=True):
        real = run_weekly(MONDAY)
    assert {key: preview[key] for key in WEEKLY_KEYS} == real
    assert real["cases_opened"] > 0 and real["reminders"] == 19 and real["invitations"] == 15
    assert preview["emails"] == len(mail.outbox)
    # A second dry run, like a second run, finds nothing left to do.
    again = preview_weekly(MONDAY)
    assert {key: again[key] for key in WEEKLY_KEYS} == dict.fromkeys(WEEKLY_KEYS, 0)


def test_monthly_dry_run_equals_the_run(sample_province, django_capture_on_commit_callbacks):  # type: ignore[no-untyped-def]
    day = date(2026, 11, 5)
    preview = preview_monthly(day)
    assert Reminder.objects.count() == 0
    with django_capture_on_commit_callbacks(execute=True):
        real = run_monthly(day)
    assert {key: preview[key] for key in real} == real
    assert real["formal_requests"] > 0
    assert preview["emails"] == real["formal_requests_email"]


def test_run_dates_bounded(office_a):  # type: ignore[no-untyped-def]
    today = date(2026, 12, 3)  # a Thursday: the coming week ends on Sunday 13/12
    assert run_date_bounds(today) == (None, date(2026, 12, 13))
    check_run_date(date(2026, 12, 13), today)
    with pytest.raises(JobError, match="quá xa"):
        check_run_date(date(2026, 12, 14), today)
    late(EmployerFactory(office=office_a), 3)
    assert run_date_bounds(today)[0] == date(2026, 3, 1)
    check_run_date(date(2026, 3, 1), today)
    with pytest.raises(JobError, match="trước kỳ đầu tiên"):
        check_run_date(date(2026, 2, 28), today)


@pytest.mark.parametrize("command", ["run_weekly_jobs", "run_monthly_jobs", "run_quarterly_jobs"])
def test_commands_refuse_dates_out_of_bounds(office_a, command):  # type: ignore[no-untyped-def]
    late(EmployerFactory(office=office_a), 3)
    far = timezone.localdate() + timedelta(weeks=3)
    with pytest.raises(CommandError, match="quá xa"):
        call_command(command, "--date", far.isoformat())
    with pytest.raises(CommandError, match="trước kỳ đầu tiên"):
        call_command(command, "--date", "2026-01-15")
    assert not JobRun.objects.exists()


class _Queue:
    def __init__(self) -> None:
        self.calls: list[tuple[tuple, dict]] = []

    def __call__(self, *args: object, **kwargs: object) -> None:
        self.calls.append((args, kwargs))


def test_run_now_previews_then_queues(client, manager, office_a, monkeypatch):  # type: ignore[no-untyped-def]
    late(EmployerFactory(office=office_a, email="ketoan@dv.test"), 1, 2, 3, 4)
    queued = _Queue()
    monkeypatch.setattr("arrears.jobs.views.queue.send_on_commit", queued)
    client.force_login(manager)
    day = timezone.localdate()
    data = {"job": "weekly", "on": f"{day:%d/%m/%Y}"}
    page = client.post(reverse("job_run_start"), data)
    assert page.status_code == 200
    counts = dict(page.context["counts"])
    assert list(counts.values())[:4] == [1, 1, 0, 1]  # one notice, by e-mail; one invitation
    assert not queued.calls and not JobRun.objects.exists() and not Reminder.objects.exists()
    confirmed = client.post(reverse("job_run_start"), {**data, "confirm": "1"})
    assert confirmed.status_code == 302
    assert queued.calls == [
        (("arrears.tasks.weekly_jobs_task",), {"on": day.isoformat(), "triggered_by": manager.pk})
    ]


def test_run_now_refuses_a_date_out_of_bounds(client, manager, office_a, monkeypatch):  # type: ignore[no-untyped-def]
    queued = _Queue()
    monkeypatch.setattr("arrears.jobs.views.queue.send_on_commit", queued)
    client.force_login(manager)
    far = timezone.localdate() + timedelta(days=30)
    for confirm in ("", "1"):
        answer = client.post(
            reverse("job_run_start"),
            {"job": "weekly", "on": f"{far:%d/%m/%Y}", "confirm": confirm},
            follow=True,
        )
        assert "quá xa" in answer.content.decode()
    assert not queued.calls


def test_weekly_dry_run_books_the_calendar_as_the_run_does(  # type: ignore[no-untyped-def]
    sample_province, django_capture_on_commit_callbacks
):
    """With a session of two places a week in each office, some invited employers are booked
    and the rest wait: the dry run says how many of each, and keeps no slot or booking."""
    from arrears.models import Booking, SessionSlot
    from arrears.sessions import services as sessions
    from participants.models import Office

    offices = Office.objects.filter(
        pk__in={e.office_id for e in sample_province.employers.values()}
    )
    for office in offices:
        sessions.add_pattern(
            office=office,
            weekday=1,
            starts_at=time(8, 30),
            starts_on=MONDAY,
            ends_on=None,
            place="Phòng họp tầng 2",
            online_link="",
            capacity=2,
            officers=[UserFactory(offices=[office])],
        )
    before = (*_written(), Booking.objects.count(), SessionSlot.objects.count())
    preview = preview_weekly(MONDAY)
    assert (*_written(), Booking.objects.count(), SessionSlot.objects.count()) == before
    with django_capture_on_commit_callbacks(execute=True):
        real = run_weekly(MONDAY)
    assert {key: preview[key] for key in WEEKLY_KEYS} == real
    # Each of the 15 employers to invite has a place, or waits for next week uninvited.
    assert real["sessions_booked"] + real["sessions_waiting"] == 15
    assert real["invitations"] == real["sessions_booked"] == Booking.objects.count()
    assert real["sessions_waiting"] > 0
    assert all(slot.bookings.count() <= 2 for slot in SessionSlot.objects.all())
