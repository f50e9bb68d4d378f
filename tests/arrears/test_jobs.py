"""The scheduled jobs (arrears/jobs.py): the weekly run on the sample province and on small
ledgers, the monthly formal request, the quarterly list, holds, digests, delivery failures,
interrupted and concurrent runs, and the beat schedule."""

from __future__ import annotations

import json
import smtplib
from datetime import date, datetime
from io import BytesIO, StringIO
from zoneinfo import ZoneInfo

import openpyxl
import psycopg
import pytest
from django.core import mail
from django.core.files.storage import default_storage
from django.core.mail.backends.locmem import EmailBackend
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django_celery_beat.models import PeriodicTask
from pypdf import PdfReader

from accounts.models import User
from arrears import tasks
from arrears.cases import services as cases
from arrears.jobs import services as jobs
from arrears.models import (
    CaseEvent,
    EventKind,
    Hold,
    Instalment,
    JobRun,
    Policy,
    RecoveryCase,
    Reminder,
)
from config.celery import app as celery_app
from participants.models import Employer
from tests.factories import ContributionFactory, EmployerFactory, UserFactory, agency

pytestmark = pytest.mark.django_db

MONDAY = date(2026, 11, 16)  # expected.json's as-of date, ISO week 2026-W47
ZEROS = dict.fromkeys(jobs.WEEKLY_KEYS, 0)
PROVINCE = ZoneInfo("Asia/Ho_Chi_Minh")


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


# --- the sample province ------------------------------------------------------------------


def test_first_run_matches_expected_then_the_second_does_nothing(sample_province):  # type: ignore[no-untyped-def]
    first = jobs.run_weekly(MONDAY)
    assert {key: first[key] for key in sample_province.expected["weekly"]} == (
        sample_province.expected["weekly"]
    )
    # Every employer in arrears on the date gets its notice (none is dissolved or bankrupt).
    in_arrears = {code for code, e in sample_province.expected["employers"].items() if e["arrears"]}
    assert set(notices()) == in_arrears
    assert jobs.run_weekly(MONDAY) == ZEROS
    assert Reminder.objects.count() == 19 + 15
    runs = JobRun.objects.order_by("started_at")
    assert [(r.cycle, r.outcome) for r in runs] == [("2026-W47", "succeeded")] * 2
    assert runs[1].counts["reminders"] == 0


def test_channel_follows_the_e_mail_address(sample_province):  # type: ignore[no-untyped-def]
    jobs.run_weekly(MONDAY)
    expected = sample_province.expected["employers"]
    assert notices() == {
        code: "email" if expected[code]["email"] else "letter"
        for code, e in expected.items()
        if e["arrears"]
    }
    invited = set(
        Reminder.objects.filter(kind=Reminder.Kind.INVITATION).values_list(
            "employer__unit_code", flat=True
        )
    )
    assert invited == {code for code, e in expected.items() if e["months_in_arrears"] >= 3}


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


def test_deliveries_send_each_reminder_once(sample_province, django_capture_on_commit_callbacks):  # type: ignore[no-untyped-def]
    with django_capture_on_commit_callbacks(execute=True):
        jobs.run_weekly(MONDAY)
    # 11 notices and, of the 15 invited, those with an address, by e-mail; the rest by post.
    emailed = Reminder.objects.filter(channel=Reminder.Channel.EMAIL)
    assert emailed.count() == len(mail.outbox) == 11 + emailed.filter(kind="invitation").count()
    assert set(Reminder.objects.values_list("status", flat=True)) == {"sent"}
    message = next(m for m in mail.outbox if m.to == [sample_province.employers["HB00000A"].email])
    assert message.subject.startswith("THÔNG BÁO – Về việc đôn đốc đóng BHXH")
    assert "38.720.000 đồng" in message.body
    ((name, pdf, mimetype),) = message.attachments
    assert (name, mimetype) == ("2026-W47-notice-HB00000A.pdf", "application/pdf")
    assert "38.720.000" in PdfReader(BytesIO(pdf)).pages[0].extract_text()
    # The letters are sent once in their district's merged file, which is their document.
    letters = Reminder.objects.filter(channel=Reminder.Channel.LETTER).select_related("employer")
    for letter in letters:
        assert letter.document.name == f"post/2026-W47/{letter.employer.district_id}.pdf"
    with django_capture_on_commit_callbacks(execute=True):
        jobs.run_weekly(MONDAY)
    assert len(mail.outbox) == emailed.count()
    assert set(Reminder.objects.values_list("attempts", flat=True)) == {1}


def test_post_letters_merge_a_district(sample_province):  # type: ignore[no-untyped-def]
    jobs.run_weekly(MONDAY)
    letters = Reminder.objects.filter(channel=Reminder.Channel.LETTER).select_related(
        "employer__district"
    )
    district = letters[0].employer.district
    mine = letters.filter(employer__district=district)
    pdf = jobs.post_letters(cycle="2026-W47", district=district)
    text = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(BytesIO(pdf)).pages)
    for reminder in mine:
        assert f"mã đơn vị {reminder.employer.unit_code}" in text
    assert set(mine.values_list("status", flat=True)) == {"sent"}
    # Built once: the next call reads the file.
    assert jobs.post_letters(cycle="2026-W47", district=district) == pdf


# --- who gets a notice ----------------------------------------------------------------------


def test_holds_tolerance_and_dissolved_employers_get_no_notice(district_a, manager):  # type: ignore[no-untyped-def]
    reminded = late(EmployerFactory(district=district_a, email="a@example.vn"), 7, 8, 9)
    held = late(EmployerFactory(district=district_a), 7, 8, 9)
    small = EmployerFactory(district=district_a)
    ContributionFactory(employer=small, period=date(2026, 9, 1), si=400_000)  # 600,000 đ
    late(EmployerFactory(district=district_a, status=Employer.Status.DISSOLVED), 9)
    late(EmployerFactory(district=district_a, status=Employer.Status.BANKRUPT), 9)
    suspended = late(EmployerFactory(district=district_a, status=Employer.Status.SUSPENDED), 9)
    hold = jobs.put_on_hold(
        employer=held,
        by=manager,
        reason="Tranh chấp số lao động",
        starts_on=date(2026, 11, 1),
        ends_on=date(2026, 12, 31),
    )
    # Not yet approved: no effect.
    assert held.unit_code in {r.unit_code for r in jobs.notice_targets(MONDAY)}
    jobs.approve_hold(hold=hold, by=manager)
    Policy.objects.filter(pk=Policy.current().pk).update(notice_tolerance=1_000_000)

    summary = jobs.run_weekly(MONDAY)

    assert notices() == {reminded.unit_code: "email", suspended.unit_code: "letter"}
    assert (summary["reminders"], summary["reminders_email"], summary["reminders_letter"]) == (
        2,
        1,
        1,
    )
    # 3 months (Jul, Aug, Sep due by 31/10) for the one reminded: invited.
    assert summary["invitations"] == 1
    # The hold over, the held employer is reminded the next week.
    Hold.objects.filter(pk=hold.pk).update(ends_on=date(2026, 11, 22))
    assert jobs.run_weekly(date(2026, 11, 23))["reminders"] == 3


def test_invitation_months_is_the_policys(district_a):  # type: ignore[no-untyped-def]
    late(EmployerFactory(district=district_a), 8, 9)  # 2 months in arrears on 16/11
    assert jobs.run_weekly(MONDAY)["invitations"] == 0
    Policy.objects.filter(pk=Policy.current().pk).update(invitation_months=2)
    assert jobs.run_weekly(date(2026, 11, 23))["invitations"] == 1


def test_hold_rules(employer_a, officer_a, manager):  # type: ignore[no-untyped-def]
    with pytest.raises(jobs.JobError, match="Chỉ lãnh đạo"):
        jobs.put_on_hold(
            employer=employer_a, by=officer_a, reason="x", starts_on=MONDAY, ends_on=MONDAY
        )
    with pytest.raises(jobs.JobError, match="Ngày kết thúc"):
        jobs.put_on_hold(
            employer=employer_a,
            by=manager,
            reason="x",
            starts_on=MONDAY,
            ends_on=date(2026, 11, 1),
        )
    hold = jobs.put_on_hold(
        employer=employer_a, by=manager, reason="Chờ kinh phí", starts_on=MONDAY, ends_on=MONDAY
    )
    with pytest.raises(jobs.JobError, match="Chỉ lãnh đạo"):
        jobs.approve_hold(hold=hold, by=officer_a)
    jobs.approve_hold(hold=hold, by=manager)
    with pytest.raises(jobs.JobError, match="đã được duyệt"):
        jobs.approve_hold(hold=hold, by=manager)
    assert list(Hold.objects.active_on(MONDAY)) == [hold]


# --- cases and commitments ------------------------------------------------------------------


def test_cases_open_past_the_thresholds_once(district_a, officer_a):  # type: ignore[no-untyped-def]
    three = late(EmployerFactory(district=district_a), 7, 8, 9)
    late(EmployerFactory(district=district_a), 8, 9)  # 2 months: below auto_case_months
    assert jobs.run_weekly(MONDAY)["cases_opened"] == 1
    case = RecoveryCase.objects.get()
    assert (case.employer, case.officer, case.opened_on) == (three, officer_a, MONDAY)
    assert case.arrears_at_opening == 3_000_000
    assert "3 tháng, 3.000.000 đồng" in case.events.get().text
    assert jobs.run_weekly(date(2026, 11, 23))["cases_opened"] == 0
    # Ended by the office for these arrears: not reopened every Monday.
    RecoveryCase.objects.filter(pk=case.pk).update(stage="closed", closed_on=date(2026, 11, 20))
    assert jobs.run_weekly(date(2026, 11, 30))["cases_opened"] == 0


def test_broken_instalment_flagged_once(employer_a, officer_a):  # type: ignore[no-untyped-def]
    late(employer_a, 7, 8, 9)
    case = cases.open_case(employer=employer_a, by=officer_a, on=date(2026, 11, 2))
    cases.add_commitment(
        case=case,
        kind="plan",
        signed_on=date(2026, 11, 2),
        instalments=[(date(2026, 11, 10), 1_500_000), (date(2026, 12, 10), 1_500_000)],
        by=officer_a,
    )
    assert jobs.run_weekly(MONDAY)["commitments_broken"] == 1
    first, second = Instalment.objects.order_by("due_on")
    assert (first.broken_flagged_on, second.broken_flagged_on) == (MONDAY, None)
    event = CaseEvent.objects.get(case=case, kind=EventKind.COMMITMENT, occurred_on=MONDAY)
    assert "đợt hạn 10/11/2026, 1.500.000 đồng" in event.text
    assert jobs.run_weekly(MONDAY)["commitments_broken"] == 0
    assert jobs.run_weekly(date(2026, 11, 23))["commitments_broken"] == 0
    assert CaseEvent.objects.filter(kind=EventKind.COMMITMENT, occurred_on=MONDAY).count() == 1


# --- digests ----------------------------------------------------------------------------------


def test_digests_once_per_week(employer_a, officer_a, officer_b, manager):  # type: ignore[no-untyped-def]
    User.objects.filter(pk__in=[officer_a.pk, manager.pk]).update(email="x@bhxh.example.vn")
    late(employer_a, 7, 8, 9)
    case = cases.open_case(employer=employer_a, by=officer_a, on=date(2026, 11, 2))
    RecoveryCase.objects.filter(pk=case.pk).update(follow_up_on=date(2026, 11, 18))

    assert jobs.run_weekly(MONDAY)["digests"] == 2  # officer_b has no address
    manager_mail, officer_mail = sorted(mail.outbox, key=lambda m: m.subject)
    assert manager_mail.subject == "Số liệu thu nợ tuần 2026-W47"
    assert "Đơn vị chậm đóng: 1" in manager_mail.body
    assert "Số tiền chậm đóng: 3.000.000" in manager_mail.body
    assert officer_mail.subject == "Việc cần làm tuần 2026-W47"
    assert f"18/11/2026  {employer_a.unit_code} {employer_a.name}" in officer_mail.body

    assert jobs.run_weekly(MONDAY)["digests"] == 0
    assert len(mail.outbox) == 2
    assert jobs.run_weekly(date(2026, 11, 23))["digests"] == 2


# --- delivery failures ------------------------------------------------------------------------


class FlakyBackend(EmailBackend):
    """The mail server refuses the first ``failures`` messages."""

    failures = 0

    def send_messages(self, messages):  # type: ignore[no-untyped-def]
        if FlakyBackend.failures:
            FlakyBackend.failures -= 1
            raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
        return super().send_messages(messages)


@pytest.fixture
def flaky_mail(settings):  # type: ignore[no-untyped-def]
    settings.EMAIL_BACKEND = f"{__name__}.FlakyBackend"
    yield FlakyBackend
    FlakyBackend.failures = 0


def test_failure_is_recorded_then_retried(employer_a, flaky_mail, monkeypatch):  # type: ignore[no-untyped-def]
    employer_a.email = "ketoan@minhphat.vn"
    employer_a.save()
    late(employer_a, 9)
    jobs.run_weekly(MONDAY)
    reminder = Reminder.objects.get()

    flaky_mail.failures = 1
    with pytest.raises(smtplib.SMTPServerDisconnected):
        jobs.deliver_reminder(reminder_id=reminder.pk)
    reminder.refresh_from_db()
    assert (reminder.status, reminder.attempts) == ("failed", 1)
    assert reminder.last_error == "SMTPServerDisconnected: Connection unexpectedly closed"
    assert mail.outbox == []

    # The task retries (with backoff in a worker; at once here) until the server takes it.
    flaky_mail.failures = 2
    monkeypatch.setitem(celery_app.conf, "task_eager_propagates", False)  # eager retries run
    assert tasks.send_reminder_task.delay(reminder.pk).get() is True
    reminder.refresh_from_db()
    assert (reminder.status, reminder.attempts, reminder.last_error) == ("sent", 4, "")
    assert len(mail.outbox) == 1
    # Sent: nothing more to do.
    assert jobs.deliver_reminder(reminder_id=reminder.pk) is False


# --- interrupted and concurrent runs ----------------------------------------------------------


def test_a_run_that_died_half_way_is_completed_without_duplicates(sample_province):  # type: ignore[no-untyped-def]
    # What a worker killed after writing some reminders leaves: its run "running", 5 notices.
    dead = JobRun.objects.create(job="weekly", cycle="2026-W47", run_on=MONDAY)
    jobs.create_reminders(
        kind="notice", cycle="2026-W47", on=MONDAY, targets=jobs.notice_targets(MONDAY)[:5]
    )

    summary = jobs.run_weekly(MONDAY)

    assert summary["reminders"] == 19 - 5
    assert summary["invitations"] == 15
    assert Reminder.objects.filter(kind="notice").count() == 19
    dead.refresh_from_db()
    assert dead.outcome == "failed"
    assert dead.error.startswith("Bị gián đoạn")


def test_a_failed_run_is_recorded_and_the_next_completes(sample_province, monkeypatch):  # type: ignore[no-untyped-def]
    def crash(**kwargs):  # type: ignore[no-untyped-def]
        raise RuntimeError("mất kết nối giữa chừng")

    monkeypatch.setattr(jobs, "open_cases", crash)
    with pytest.raises(RuntimeError):
        jobs.run_weekly(MONDAY)
    failed = JobRun.objects.get()
    assert (failed.outcome, failed.error) == ("failed", "RuntimeError: mất kết nối giữa chừng")
    assert failed.counts["reminders"] == 19  # written before the crash
    monkeypatch.undo()

    summary = jobs.run_weekly(MONDAY)
    assert (summary["reminders"], summary["invitations"], summary["cases_opened"]) == (0, 0, 15)
    assert Reminder.objects.count() == 19 + 15


def test_two_runs_of_a_cycle_cannot_overlap(employer_a):  # type: ignore[no-untyped-def]
    late(employer_a, 9)
    # Another process holds the cycle's lock, as a run in progress does.
    with psycopg.connect(**connection.get_connection_params()) as other:
        other.execute(
            "SELECT pg_advisory_lock(hashtext('arrears.jobs'), hashtext('weekly:2026-W47'))"
        )
        with pytest.raises(jobs.JobBusy):
            jobs.run_weekly(MONDAY)
        assert jobs.run_scheduled("weekly", on="2026-11-16") is None  # the task steps aside
        # Another week is another lock.
        assert jobs.run_weekly(date(2026, 11, 23))["reminders"] == 1
    assert not Reminder.objects.filter(cycle="2026-W47").exists()
    assert jobs.run_weekly(MONDAY)["reminders"] == 1
    # And behind the lock, the database allows one running JobRun per job and cycle.
    JobRun.objects.create(job="weekly", cycle="2026-W50", run_on=date(2026, 12, 7))
    with pytest.raises(IntegrityError), transaction.atomic():
        JobRun.objects.create(job="weekly", cycle="2026-W50", run_on=date(2026, 12, 7))


# --- monthly and quarterly --------------------------------------------------------------------


def test_monthly_formal_request(sample_province, django_capture_on_commit_callbacks):  # type: ignore[no-untyped-def]
    day = date(2026, 11, 5)
    assert jobs.monthly_due(day)  # the policy's day (5)
    assert not jobs.monthly_due(date(2026, 11, 4))
    assert not jobs.monthly_due(date(2026, 11, 11))
    with django_capture_on_commit_callbacks(execute=True):
        summary = jobs.run_monthly(day)
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
    assert not jobs.monthly_due(date(2026, 11, 6))  # done for the month
    assert jobs.run_monthly(date(2026, 11, 6))["formal_requests"] == 0


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


def test_quarterly_list_to_the_state_agencies(district_a, district_b):  # type: ignore[no-untyped-def]
    evading = late(EmployerFactory(district=district_a), 5, 6, 7, 8)
    late_only = late(EmployerFactory(district=district_b), 8)
    # A notice sent on 06/07: May (due 30/06) is evasion by 05/10, June (due 31/07) is not.
    Reminder.objects.create(
        employer=evading,
        cycle="2026-W28",
        kind="notice",
        channel="letter",
        status="sent",
        as_of=date(2026, 7, 6),
        sent_at=datetime(2026, 7, 6, 8, 0, tzinfo=PROVINCE),
        arrears=1_000_000,
        interest=0,
        months_in_arrears=1,
    )
    inspector = UserFactory(
        role=User.Role.LIAISON, agency=agency("labour_inspectorate"), email="tt@example.vn"
    )
    UserFactory(role=User.Role.LIAISON, agency=agency("tax"), email="thue@example.vn")
    UserFactory(role=User.Role.LIAISON, agency=agency("police"), email="ca@example.vn")
    day = date(2026, 10, 5)
    assert jobs.quarterly_due(day)

    assert jobs.run_quarterly(day) == {"late": 2, "evading": 1, "deliveries": 2}

    assert sorted(m.to[0] for m in mail.outbox) == ["thue@example.vn", "tt@example.vn"]
    message = next(m for m in mail.outbox if m.to == [inspector.email])
    assert message.subject == "Danh sách đơn vị chậm đóng, trốn đóng BHXH quý 2026-Q4"
    ((name, content, _mimetype),) = message.attachments
    assert name == "danh-sach-cham-dong-tron-dong-2026-10-05.xlsx"
    sheet = openpyxl.load_workbook(BytesIO(content)).active
    rows = {row[1]: row for row in sheet.iter_rows(min_row=4, values_only=True)}
    assert rows[evading.unit_code][9:] == (
        4_000_000,
        4,
        "05/2026",
        60_900,
        "Trốn đóng",
        1,
        "05/2026",
    )
    assert rows[late_only.unit_code][13] == "Chậm đóng"
    with default_storage.open(jobs.artifact_name(JobRun.objects.get())) as f:
        assert f.read() == content
    # Once per quarter: a second run delivers to no one again.
    assert not jobs.quarterly_due(date(2026, 10, 6))
    assert jobs.run_quarterly(date(2026, 10, 6))["deliveries"] == 0
    assert len(mail.outbox) == 2


def test_nightly_refreshes_balances_and_requeues_unsent(employer_a, employer_b):  # type: ignore[no-untyped-def]
    late(employer_a, 9)
    jobs.run_weekly(MONDAY)  # its deliveries never queued (no commit in this test)
    assert jobs.run_nightly(date(2026, 11, 17)) == {"balances": 2, "requeued": 1}
    assert employer_a.balance.arrears == 1_000_000


# --- the beat schedule ------------------------------------------------------------------------


def test_setup_periodic_tasks_is_idempotent():  # type: ignore[no-untyped-def]
    call_command("setup_periodic_tasks", stdout=StringIO())
    PeriodicTask.objects.filter(task="arrears.tasks.nightly_task").update(enabled=False)
    call_command("setup_periodic_tasks", stdout=StringIO())
    schedule = {
        t.task: (
            t.crontab.minute,
            t.crontab.hour,
            t.crontab.day_of_month,
            t.crontab.month_of_year,
            t.crontab.day_of_week,
            str(t.crontab.timezone),
            t.enabled,
        )
        for t in PeriodicTask.objects.select_related("crontab")
        if t.task.startswith("arrears.")
    }
    tz = "Asia/Ho_Chi_Minh"
    assert schedule == {
        "arrears.tasks.weekly_jobs_task": ("30", "7", "*", "*", "1", tz, True),
        "arrears.tasks.monthly_jobs_task": ("0", "7", "1-10", "*", "*", tz, True),
        "arrears.tasks.quarterly_jobs_task": ("15", "7", "1-14", "1,4,7,10", "*", tz, True),
        "arrears.tasks.nightly_task": ("0", "1", "*", "*", "*", tz, False),  # as the admin set
    }
