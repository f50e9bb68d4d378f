"""The runs (arrears/jobs/runs.py): the weekly run on the sample province, its command, the
monthly formal request and its task's day, the nightly refresh."""

from __future__ import annotations

import json
from datetime import date
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command

from arrears import tasks
from arrears.jobs.cycles import monthly_due
from arrears.jobs.runs import WEEKLY_KEYS, run_monthly, run_nightly, run_weekly
from arrears.models import JobRun, Policy, Reminder
from tests.arrears.jobs.conftest import MONDAY, late, notices

pytestmark = pytest.mark.django_db

ZEROS = dict.fromkeys(WEEKLY_KEYS, 0)


def test_first_run_matches_expected_then_the_second_does_nothing(sample_province):  # type: ignore[no-untyped-def]
    first = run_weekly(MONDAY)
    assert {key: first[key] for key in sample_province.expected["weekly"]} == (
        sample_province.expected["weekly"]
    )
    # Every employer in arrears on the date gets its notice (none is dissolved or bankrupt).
    in_arrears = {code for code, e in sample_province.expected["employers"].items() if e["arrears"]}
    assert set(notices()) == in_arrears
    assert run_weekly(MONDAY) == ZEROS
    assert Reminder.objects.count() == 19 + 15
    runs = JobRun.objects.order_by("started_at")
    assert [(r.cycle, r.outcome) for r in runs] == [("2026-W47", "succeeded")] * 2
    assert runs[1].counts["reminders"] == 0


def test_command_prints_the_summary_last(sample_province):  # type: ignore[no-untyped-def]
    out = StringIO()
    call_command("run_weekly_jobs", "--date", "2026-11-16", stdout=out)
    summary = json.loads(out.getvalue().strip().splitlines()[-1])
    assert {k: summary[k] for k in ("reminders", "reminders_email", "reminders_letter")} == {
        "reminders": 19,
        "reminders_email": 11,
        "reminders_letter": 8,
    }
    assert summary["invitations"] == 15
    out = StringIO()
    call_command("run_weekly_jobs", "--date", "2026-11-16", stdout=out)
    assert json.loads(out.getvalue().strip().splitlines()[-1]) == ZEROS


def test_monthly_formal_request(sample_province, django_capture_on_commit_callbacks):  # type: ignore[no-untyped-def]
    day = date(2026, 11, 5)
    assert monthly_due(day)  # the policy's day (5)
    assert not monthly_due(date(2026, 11, 4))
    assert not monthly_due(date(2026, 11, 11))
    with django_capture_on_commit_callbacks(execute=True):
        summary = run_monthly(day)
    made = Reminder.objects.filter(cycle="2026-11", kind=Reminder.Kind.FORMAL_REQUEST)
    assert summary == {
        "formal_requests": made.count(),
        "formal_requests_email": made.filter(channel="email").count(),
        "formal_requests_letter": made.filter(channel="letter").count(),
    }
    assert summary["formal_requests"] > 0
    reminder = made.filter(channel="email").select_related("employer").first()
    message = next(m for m in mail.outbox if m.to == [reminder.employer.email])
    assert "Nghị định 274/2025/NĐ-CP" in message.body
    assert "0,03 % mỗi ngày" in message.body
    assert "được xác định là trốn đóng" in message.body
    assert not monthly_due(date(2026, 11, 6))  # done for the month
    assert run_monthly(date(2026, 11, 6))["formal_requests"] == 0


def test_monthly_task_runs_on_the_policys_day(employer_a):  # type: ignore[no-untyped-def]
    late(employer_a, 9)
    Policy.objects.filter(pk=Policy.current().pk).update(monthly_request_day=3)
    assert tasks.monthly_jobs_task.delay(on="2026-11-02").get() is None
    assert not JobRun.objects.exists()
    assert tasks.monthly_jobs_task.delay(on="2026-11-03").get()["formal_requests"] == 1
    assert tasks.monthly_jobs_task.delay(on="2026-11-04").get() is None
    # A manager's run goes regardless of the day.
    forced = tasks.monthly_jobs_task.delay(on="2026-11-20", force=True).get()
    assert forced["formal_requests"] == 0


def test_nightly_refreshes_balances_and_requeues_unsent(employer_a, employer_b):  # type: ignore[no-untyped-def]
    late(employer_a, 9)
    run_weekly(MONDAY)  # its deliveries never queued (no commit in this test)
    assert run_nightly(date(2026, 11, 17)) == {"balances": 2, "requeued": 1}
    assert employer_a.balance.arrears == 1_000_000
