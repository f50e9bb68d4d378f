"""Issuing documents: each letter takes the next number of its office's register for the
year ("123/TB-BHXH") and is kept as issued.

The office's counter row for the year is locked (SELECT … FOR UPDATE) by the issuing
transaction and moved on in it, together with the documents and their files: two issuers of
one office wait for each other, and a transaction that fails gives its numbers back, so the
register has no gap and no repeat.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from django.core.files.base import ContentFile
from django.db import transaction

from accounts.models import User
from arrears.documents import letters as documents
from arrears.models import (
    CaseEvent,
    DocumentKind,
    DocumentTemplate,
    IssuedDocument,
    RecoveryCase,
    Referral,
    RegisterCounter,
    Reminder,
)
from participants.models import Employer

# The code of each kind in a number, and the issuer's.
KIND_CODES = {
    DocumentKind.NOTICE: "TB",
    DocumentKind.INVITATION: "GM",
    DocumentKind.FORMAL_REQUEST: "ĐN",
    DocumentKind.REFERRAL: "CV",
    DocumentKind.MINUTES: "BB",
}
ISSUER_CODE = "BHXH"
# The register's kind of each letter the desk composes.
LETTER_KINDS = {
    DocumentTemplate.Kind.REMINDER_NOTICE: DocumentKind.NOTICE,
    DocumentTemplate.Kind.SESSION_INVITATION: DocumentKind.INVITATION,
    DocumentTemplate.Kind.FORMAL_REQUEST: DocumentKind.FORMAL_REQUEST,
    DocumentTemplate.Kind.REFERRAL_LETTER: DocumentKind.REFERRAL,
    DocumentTemplate.Kind.MINUTES: DocumentKind.MINUTES,
}


def document_code(number: int, kind: str) -> str:
    return f"{number}/{KIND_CODES[DocumentKind(kind)]}-{ISSUER_CODE}"


@dataclass(frozen=True)
class Draft:
    """A composed letter about an employer, to be numbered and kept; what it is about."""

    letter: documents.Letter
    employer: Employer
    case: RecoveryCase | None = None
    referral: Referral | None = None
    reminder: Reminder | None = None
    event: CaseEvent | None = None


def _locked_counter(office_id: int, year: int) -> RegisterCounter:
    # The row first (a concurrent insert waits, then does nothing), then its lock.
    RegisterCounter.objects.bulk_create(
        [RegisterCounter(office_id=office_id, year=year)], ignore_conflicts=True
    )
    return RegisterCounter.objects.select_for_update().get(office_id=office_id, year=year)


@transaction.atomic
def issue_letters(
    drafts: Sequence[Draft], *, by: User | None = None, merged: bool = False
) -> tuple[list[IssuedDocument], bytes]:
    """Number each draft in its employer's managing office's register for the year of its
    date, render and store its PDF, and record it. With ``merged``, also every letter in one
    PDF (each laid out once), for the post; else ``b""``."""
    if not drafts:
        return [], b""
    keys = sorted({(d.employer.office_id, d.letter.on.year) for d in drafts})
    counters = {key: _locked_counter(*key) for key in keys}  # in order: no deadlock
    numbered: list[tuple[Draft, documents.Letter, str, int]] = []
    for draft in drafts:
        counter = counters[(draft.employer.office_id, draft.letter.on.year)]
        counter.last_number += 1
        kind = LETTER_KINDS[DocumentTemplate.Kind(draft.letter.kind)]
        letter = replace(draft.letter, number=document_code(counter.last_number, kind))
        numbered.append((draft, letter, kind, counter.last_number))
    pdfs, whole = documents.letters_pdfs([entry[1] for entry in numbered], merged=merged)
    issued = []
    for (draft, letter, kind, number), pdf in zip(numbered, pdfs, strict=True):
        document = IssuedDocument(
            office_id=draft.employer.office_id,
            year=letter.on.year,
            number=number,
            code=letter.number,
            kind=kind,
            issued_on=letter.on,
            title=" – ".join(letter.title.splitlines())[:255],
            recipient=letter.recipient[:255],
            employer=draft.employer,
            case=draft.case,
            referral=draft.referral,
            reminder=draft.reminder,
            event=draft.event,
            issued_by=by,
        )
        document.file.save(
            f"{draft.employer.office_id}-{letter.on.year}-{number}.pdf",
            ContentFile(pdf),
            save=False,
        )
        issued.append(document)
    IssuedDocument.objects.bulk_create(issued)
    RegisterCounter.objects.bulk_update(counters.values(), ["last_number"])
    return issued, whole


def issue_letter(draft: Draft, *, by: User | None = None) -> IssuedDocument:
    """One letter numbered and kept (see ``issue_letters``)."""
    issued, _whole = issue_letters([draft], by=by)
    return issued[0]


def stored_pdf(document: IssuedDocument) -> bytes:
    """The PDF as it was issued."""
    with document.file.open("rb") as file:
        return file.read()
