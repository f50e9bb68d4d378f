"""Sending the reminders (arrears/jobs/delivery.py): each e-mail once, a managing office's
letters merged for the post under its letterhead, a mail server's failure recorded then
retried."""

from __future__ import annotations

import smtplib
from io import BytesIO

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from pypdf import PdfReader

from arrears import tasks
from arrears.jobs.delivery import deliver_reminder, post_letters
from arrears.jobs.runs import run_weekly
from arrears.models import Reminder
from config.celery import app as celery_app
from tests.arrears.jobs.conftest import MONDAY, late

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
