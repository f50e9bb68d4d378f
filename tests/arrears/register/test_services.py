"""The register of issued documents (arrears/register/services.py): numbers per office and
year without gaps or repeats, even with two issuers at once; each PDF kept as issued; the
letters of the weekly run and of referrals numbered."""

from __future__ import annotations

import threading
from datetime import date
from io import BytesIO

import pytest
from django.core import mail
from django.db import connection, transaction
from pypdf import PdfReader

from arrears.cases import services as cases
from arrears.cases.selectors import case_letter
from arrears.jobs.delivery import deliver_reminder, deliver_reminders, post_letters
from arrears.jobs.runs import run_weekly
from arrears.models import (
    DocumentTemplate,
    IssuedDocument,
    ReferralPurpose,
    RegisterCounter,
    Reminder,
)
from arrears.register.services import Draft, issue_letter, stored_pdf
from tests.arrears.cases.helpers import ledger
from tests.arrears.jobs.conftest import MONDAY, late
from tests.factories import EmployerFactory, OfficeFactory, agency

Kind = DocumentTemplate.Kind


def _draft(case, kind=Kind.REMINDER_NOTICE, on=date(2026, 1, 15)):  # type: ignore[no-untyped-def]
    return Draft(case_letter(case, kind, on=on), case.employer, case=case)


def _text(pdf: bytes) -> str:
    return " ".join(" ".join(p.extract_text().split()) for p in PdfReader(BytesIO(pdf)).pages)


@pytest.mark.django_db
def test_numbers_run_per_office_and_year_with_a_code_per_kind(employer_a, employer_b, officer_a):  # type: ignore[no-untyped-def]
    case_a = cases.open_case(employer=ledger(employer_a), by=officer_a, on=date(2026, 1, 15))
    case_b = cases.open_case(employer=ledger(employer_b), by=None, on=date(2026, 1, 15))
    codes = [
        issue_letter(_draft(case_a, Kind.REMINDER_NOTICE), by=officer_a).code,
        issue_letter(_draft(case_a, Kind.SESSION_INVITATION)).code,
        issue_letter(_draft(case_b, Kind.REMINDER_NOTICE)).code,
        issue_letter(_draft(case_a, Kind.REMINDER_NOTICE, on=date(2027, 1, 4))).code,
        issue_letter(_draft(case_a, Kind.REMINDER_NOTICE)).code,
    ]
    assert codes == ["1/TB-BHXH", "2/GM-BHXH", "1/TB-BHXH", "1/TB-BHXH", "3/TB-BHXH"]
    first = IssuedDocument.objects.get(office=employer_a.office, year=2026, number=1)
    assert (first.kind, first.issued_by, first.employer, first.case) == (
        "notice",
        officer_a,
        employer_a,
        case_a,
    )
    # The number is on the letter as issued.
    assert "Số: 1/TB-BHXH" in _text(stored_pdf(first))


@pytest.mark.django_db
def test_a_failed_issue_gives_its_number_back(employer_a, officer_a):  # type: ignore[no-untyped-def]
    case = cases.open_case(employer=ledger(employer_a), by=officer_a, on=date(2026, 1, 15))
    with pytest.raises(RuntimeError), transaction.atomic():
        issue_letter(_draft(case))
        raise RuntimeError("the issuing transaction fails after numbering")
    assert not IssuedDocument.objects.exists()
    assert issue_letter(_draft(case)).code == "1/TB-BHXH"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_issuers_at_once_take_every_number_once():  # type: ignore[no-untyped-def]
    """Two threads, each on its own database connection, issue letters of one office at the
    same time: the numbers are 1..N, none missing, none twice."""
    office = OfficeFactory(name="Lương Sơn")
    case = cases.open_case(
        employer=ledger(EmployerFactory(office=office)), by=None, on=date(2026, 1, 15)
    )
    each = 4
    start = threading.Barrier(2)
    errors: list[BaseException] = []

    def issuer() -> None:
        try:
            start.wait()
            for _ in range(each):
                issue_letter(_draft(case))
        except BaseException as exc:  # reported by the assertion below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=issuer) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    numbers = sorted(IssuedDocument.objects.filter(office=office).values_list("number", flat=True))
    assert numbers == list(range(1, 2 * each + 1))
    assert RegisterCounter.objects.get(office=office, year=2026).last_number == 2 * each


@pytest.mark.django_db
def test_a_referral_sent_without_a_reference_takes_the_registers_number(
    client_as, employer_a, officer_a, federation
):  # type: ignore[no-untyped-def]
    from django.urls import reverse

    case = cases.open_case(employer=ledger(employer_a), by=officer_a, on=date(2026, 1, 15))
    referral = cases.create_referral(
        case=case, agency=agency("labour_federation"), purpose=ReferralPurpose.SUE, by=officer_a
    )
    referral = cases.send_referral(referral=referral, by=officer_a, sent_on=date(2026, 1, 16))
    issued = IssuedDocument.objects.get(referral=referral)
    assert (referral.number, issued.kind, issued.case) == ("1/CV-BHXH", "referral", case)
    assert "Chuyển Liên đoàn" in case.events.get(kind="referral").text
    assert "số 1/CV-BHXH" in case.events.get(kind="referral").text
    # The letter downloaded again, by the office or the liaison, is the one issued.
    url = reverse("case_referral_letter", args=[case.pk, referral.pk])
    kept = stored_pdf(issued)
    for user in (officer_a, federation, officer_a):
        response = client_as(user).get(url)
        assert b"".join(response.streaming_content) == kept
    # Even once the wording has changed.
    DocumentTemplate.objects.create(kind=Kind.REFERRAL_LETTER, title="KHÁC", body="Khác hẳn.")
    response = client_as(officer_a).get(url)
    assert b"".join(response.streaming_content) == kept


@pytest.mark.django_db
def test_the_weekly_letters_are_numbered_and_kept(
    employer_a, employer_b, django_capture_on_commit_callbacks
):  # type: ignore[no-untyped-def]
    """An e-mailed notice's attachment is its issued PDF; a retry sends the same document; the
    post's letters of an office are numbered in its register, each kept."""
    employer_a.email = "ketoan@minhphat.vn"
    employer_a.save()
    late(employer_a, 7, 8, 9)
    second = late(EmployerFactory(office=employer_a.office), 7, 8, 9)
    late(employer_b, 7, 8, 9)
    run_weekly(MONDAY)
    emailed = Reminder.objects.get(employer=employer_a, kind="notice")
    assert deliver_reminder(reminder_id=emailed.pk)
    (message,) = mail.outbox
    document = IssuedDocument.objects.get(reminder=emailed)
    assert message.attachments[0][1] == stored_pdf(document)
    assert document.code.endswith("/TB-BHXH")
    assert not deliver_reminder(reminder_id=emailed.pk)  # sent once
    # A retry (as after a mail server's failure) sends the same document, no new number.
    Reminder.objects.filter(pk=emailed.pk).update(status=Reminder.Status.FAILED)
    assert deliver_reminder(reminder_id=emailed.pk)
    assert mail.outbox[1].attachments[0][1] == stored_pdf(document)
    assert IssuedDocument.objects.filter(reminder=emailed).count() == 1
    # The post: the office's other employer's letters (notice, invitation) take the next
    # numbers, each kept, and the merged file carries them.
    pdf = post_letters(cycle="2026-W47", office=employer_a.office)
    posted = IssuedDocument.objects.filter(reminder__employer=second).order_by("number")
    assert [d.kind for d in posted] == ["invitation", "notice"]
    assert all(d.office == employer_a.office for d in posted)
    for issued in posted:
        assert f"Số: {issued.code}" in _text(pdf)
        assert f"Số: {issued.code}" in _text(stored_pdf(issued))
    office_numbers = sorted(
        IssuedDocument.objects.filter(office=employer_a.office).values_list("number", flat=True)
    )
    assert office_numbers == list(range(1, len(office_numbers) + 1))
    # Rebuilt (a rerun completing the cycle): the numbers stay.
    before = dict(IssuedDocument.objects.values_list("pk", "code"))
    Reminder.objects.filter(employer=second).update(status=Reminder.Status.PENDING)
    post_letters(cycle="2026-W47", office=employer_a.office)
    assert dict(IssuedDocument.objects.values_list("pk", "code")) == before


@pytest.mark.django_db
def test_an_offices_emails_are_numbered_and_rendered_together(employer_a, employer_b):  # type: ignore[no-untyped-def]
    """The weekly e-mails go by batches of one office (``deliver_reminders``): each notice
    takes the next number of its office's register, its attachment is its own issued PDF
    (its number and employer, nobody else's), and a batch delivered again sends nothing."""
    late(employer_a, 7, 8, 9)
    others = [late(EmployerFactory(office=employer_a.office), 7, 8, 9) for _ in range(2)]
    late(employer_b, 7, 8, 9)
    for employer in (employer_a, *others, employer_b):
        employer.email = f"ketoan{employer.pk}@example.vn"
        employer.save()
    run_weekly(MONDAY)
    notices = Reminder.objects.filter(kind="notice", employer__office=employer_a.office)
    ids = sorted(notices.values_list("pk", flat=True))
    assert len(ids) == 3

    assert deliver_reminders(reminder_ids=ids) == 3

    documents = IssuedDocument.objects.filter(reminder_id__in=ids).order_by("number")
    assert [d.reminder_id for d in documents] == ids
    assert [d.number for d in documents] == [1, 2, 3]
    attachments = {m.to[0]: m.attachments[0][1] for m in mail.outbox}
    for document in documents:
        pdf = stored_pdf(document)
        assert attachments[document.employer.email] == pdf
        assert len(PdfReader(BytesIO(pdf)).pages) == 1
        text = _text(pdf)
        assert f"Số: {document.code}" in text and document.employer.unit_code in text
        assert all(d.employer.unit_code not in text for d in documents if d != document)
    assert set(notices.values_list("status", flat=True)) == {"sent"}
    assert deliver_reminders(reminder_ids=ids) == 0
    assert len(mail.outbox) == 3
