"""Sending the reminders (arrears/jobs/delivery.py): each e-mail once, a managing office's
letters merged for the post under its letterhead, a mail server's failure recorded then
retried, offices taking turns in the queue."""

from __future__ import annotations

import smtplib
from io import BytesIO
from itertools import pairwise

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from pypdf import PdfReader

from arrears import tasks
from arrears.jobs import delivery
from arrears.jobs.delivery import deliver_reminder, deliver_reminders, post_letters
from arrears.jobs.runs import run_weekly
from arrears.models import IssuedDocument, Reminder
from arrears.register.services import stored_pdf
from config.celery import app as celery_app
from desk import queue
from tests.arrears.jobs.conftest import MONDAY, late
from tests.factories import EmployerFactory

pytestmark = pytest.mark.django_db


def test_deliveries_send_each_reminder_once(sample_province, django_capture_on_commit_callbacks):  # type: ignore[no-untyped-def]
    with django_capture_on_commit_callbacks(execute=True):
        run_weekly(MONDAY)
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
    # The letters are sent once in their office's merged file, which is their document.
    letters = Reminder.objects.filter(channel=Reminder.Channel.LETTER).select_related("employer")
    for letter in letters:
        assert letter.document.name == f"post/2026-W47/{letter.employer.office_id}.pdf"
    with django_capture_on_commit_callbacks(execute=True):
        run_weekly(MONDAY)
    assert len(mail.outbox) == emailed.count()
    assert set(Reminder.objects.values_list("attempts", flat=True)) == {1}


def test_post_letters_merge_an_office(sample_province):  # type: ignore[no-untyped-def]
    run_weekly(MONDAY)
    letters = Reminder.objects.filter(channel=Reminder.Channel.LETTER).select_related(
        "employer__office"
    )
    office = letters[0].employer.office
    mine = letters.filter(employer__office=office)
    pdf = post_letters(cycle="2026-W47", office=office)
    pages = [" ".join(p.extract_text().split()) for p in PdfReader(BytesIO(pdf)).pages]
    text = " ".join(pages)
    for reminder in mine:
        assert f"mã đơn vị {reminder.employer.unit_code}" in text
    # Every letter comes from the office under the provincial office.
    heads = [page for page in pages if "Độc lập - Tự do - Hạnh phúc" in page]
    assert len(heads) == mine.count()
    for page in heads:
        assert "BẢO HIỂM XÃ HỘI TỈNH PHÚ THỌ" in page
        assert f"BHXH CƠ SỞ {office.name.upper()}" in page
    assert set(mine.values_list("status", flat=True)) == {"sent"}
    # Built once: the next call reads the file.
    assert post_letters(cycle="2026-W47", office=office) == pdf


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
    run_weekly(MONDAY)
    reminder = Reminder.objects.get()

    flaky_mail.failures = 1
    with pytest.raises(smtplib.SMTPServerDisconnected):
        deliver_reminder(reminder_id=reminder.pk)
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
    assert deliver_reminder(reminder_id=reminder.pk) is False


def test_a_batch_sends_the_others_and_retries_a_failure_alone(office_a, flaky_mail, monkeypatch):  # type: ignore[no-untyped-def]
    """A batch's e-mails go over one connection, numbered in the office's register in their
    order; the one the server refuses is recorded and queued again alone, with its number
    and document kept for the retry."""
    for n in range(3):
        late(EmployerFactory(office=office_a, email=f"ketoan{n}@example.vn"), 7, 8, 9)
    run_weekly(MONDAY)
    ids = sorted(Reminder.objects.filter(kind="notice").values_list("pk", flat=True))
    queued: list[tuple[str, tuple[int, ...]]] = []
    monkeypatch.setattr(queue, "send", lambda name, *args: queued.append((name, args)))

    flaky_mail.failures = 1
    assert deliver_reminders(reminder_ids=ids) == 2

    assert queued == [("arrears.tasks.send_reminder_task", (ids[0],))]
    status = dict(Reminder.objects.filter(pk__in=ids).values_list("pk", "status"))
    assert status == {ids[0]: "failed", ids[1]: "sent", ids[2]: "sent"}
    numbers = IssuedDocument.objects.filter(reminder_id__in=ids).order_by("reminder_id")
    assert [d.number for d in numbers] == [1, 2, 3]
    assert deliver_reminder(reminder_id=ids[0]) is True
    assert mail.outbox[-1].attachments[0][1] == stored_pdf(numbers[0])
    assert IssuedDocument.objects.count() == 3
    assert deliver_reminders(reminder_ids=ids) == 0


def test_offices_take_turns_in_the_queue(
    office_a, office_b, monkeypatch, django_capture_on_commit_callbacks
):  # type: ignore[no-untyped-def]
    """The merges go first, the largest first; then the e-mail batches, each office's spread
    out so that two workers taking the next two are not held by one office's register."""
    for office, emails, letters in ((office_a, 3, 1), (office_b, 3, 2)):
        for n in range(emails):
            late(EmployerFactory(office=office, email=f"{office.pk}-{n}@example.vn"), 7, 8, 9)
        for _ in range(letters):
            late(EmployerFactory(office=office, email=""), 9)
    monkeypatch.setattr(delivery, "EMAIL_BATCH", 1)
    queued: list[tuple[str, tuple]] = []  # type: ignore[type-arg]
    monkeypatch.setattr(queue, "send", lambda name, *args: queued.append((name, args)))
    with django_capture_on_commit_callbacks(execute=True):
        run_weekly(MONDAY)
    posts = [args for name, args in queued if name.endswith("post_letters_task")]
    assert posts == [("2026-W47", office_b.pk), ("2026-W47", office_a.pk)]
    assert queued[: len(posts)] == [("arrears.tasks.post_letters_task", p) for p in posts]
    batches = [args[0] for name, args in queued if name.endswith("send_reminders_task")]
    office = dict(Reminder.objects.values_list("pk", "employer__office"))
    offices = [office[pk] for (pk,) in batches]
    assert all(a != b for a, b in pairwise(offices))
    emailed = Reminder.objects.filter(channel=Reminder.Channel.EMAIL)
    assert sorted(pk for (pk,) in batches) == sorted(emailed.values_list("pk", flat=True))
