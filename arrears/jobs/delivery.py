"""Sending the reminders: each e-mail in its own task, each managing office's letters for the
post merged into one document under its letterhead.

Delivery (``deliver_reminder``, in ``send_reminder_task``) takes the reminders still pending
or failed, under a row lock, and records each failure on the reminder. A PDF is costly to
render, so each is rendered once, where workers can share the load, and many together (the
fonts are subset once for them all): an office's e-mails by batches (``deliver_reminders``,
in ``send_reminders_task``), an office's letters for the post in one merged document
(``post_letters_task``), which is also those letters' stored document. Each letter takes
its number in its office's register (``arrears.register``) and is kept as issued there.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import replace
from itertools import groupby
from operator import itemgetter
from pathlib import Path

from django.core.files.storage import default_storage
from django.core.mail import EmailMessage, get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.db import connection as db_connection
from django.db import transaction
from django.db.models import Count, F, QuerySet
from django.template.loader import render_to_string
from django.utils import timezone

from arrears.documents import letters as documents
from arrears.jobs.reminders import reminder_letter, reminder_letters
from arrears.models import IssuedDocument, Reminder
from arrears.register.services import Draft, issue_letters, stored_pdf
from desk import queue
from participants.models import Office

Channel = Reminder.Channel
Status = Reminder.Status

# An office's e-mails are numbered and rendered this many at a time: enough to share the
# fonts' subsetting, few enough that the register's lock is not held long.
EMAIL_BATCH = 50


def queue_unsent(reminders: QuerySet[Reminder]) -> None:
    """Once committed, queue the delivery of every reminder among ``reminders`` still unsent:
    a merge task per cycle and office with letters, a send task per e-mail. A broker that
    cannot be reached raises, so the job's task retries."""
    unsent = reminders.filter(status__in=[Status.PENDING, Status.FAILED])
    emails = unsent.filter(channel=Channel.EMAIL).order_by("employer__office", "pk")
    batches = _interleaved(
        [pks[start : start + EMAIL_BATCH] for start in range(0, len(pks), EMAIL_BATCH)]
        for _office, group in groupby(
            emails.values_list("employer__office", "pk"), key=itemgetter(0)
        )
        for pks in [[pk for _same, pk in group]]
    )
    # The largest merge first: the longest tasks at the start, so workers finish together.
    posts = list(
        unsent.filter(channel=Channel.LETTER)
        .values_list("cycle", "employer__office")
        .annotate(letters=Count("pk"))
        .order_by("-letters", "cycle", "employer__office")
    )

    def send_all() -> None:
        # The merges first, then the e-mails.
        for cycle, office_id, _letters in posts:
            queue.send("arrears.tasks.post_letters_task", cycle, office_id)
        for batch in batches:
            queue.send("arrears.tasks.send_reminders_task", batch)

    transaction.on_commit(send_all)


def _interleaved(per_office: Iterable[list[list[int]]]) -> list[list[int]]:
    """The offices' batches in one order where each office's are spread evenly: batches
    taken one after the other by two workers are of different offices, which do not wait
    for each other's register lock (an office's batches one after the other would)."""
    placed = [
        ((index + 0.5) / len(batches), order, batch)
        for order, batches in enumerate(per_office)
        for index, batch in enumerate(batches)
    ]
    return [batch for _position, _order, batch in sorted(placed, key=itemgetter(0, 1))]


def _number_reminder(reminder_id: int) -> documents.Letter | None:
    """Give an unsent e-mail reminder its register number and keep its PDF, in a transaction
    of its own (the register's lock is not held while mailing). Returns the letter when it
    was numbered now."""
    return _number_reminders([reminder_id]).get(reminder_id)


def _number_reminders(reminder_ids: list[int]) -> dict[int, documents.Letter]:
    """``_number_reminder`` for many reminders at once, their PDFs rendered together."""
    with transaction.atomic():
        reminders = list(
            Reminder.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("employer__office")
            .filter(
                pk__in=reminder_ids,
                channel=Channel.EMAIL,
                status__in=[Status.PENDING, Status.FAILED],
                issued_document__isnull=True,
            )
            .order_by("pk")
        )
        drafts = [
            Draft(letter, r.employer, reminder=r)
            for r, letter in zip(reminders, reminder_letters(reminders), strict=True)
        ]
        issued, _none = issue_letters(drafts)
    return {
        draft.reminder.pk: replace(draft.letter, number=document.code)
        for draft, document in zip(drafts, issued, strict=True)
        if draft.reminder is not None
    }


def deliver_reminders(*, reminder_ids: list[int]) -> int:
    """E-mail each of the reminders still unsent, numbered and rendered together, over one
    connection to the mail server; one that fails is recorded (``deliver_reminder``) and
    queued again alone, to be retried. Returns how many were sent now."""
    letters = _number_reminders(reminder_ids)
    reminders = Reminder.objects.select_related("employer__office", "issued_document").in_bulk(
        reminder_ids
    )
    # Numbered by an earlier attempt that failed to send: their letters again, together.
    earlier = [
        r
        for pk, r in reminders.items()
        if pk not in letters and _issued(r) is not None and r.status != Status.SENT
    ]
    for reminder, letter in zip(earlier, reminder_letters(earlier), strict=True):
        letters[reminder.pk] = replace(letter, number=reminder.issued_document.code)
    sent = 0
    with _mail_session() as connection:
        for pk in reminder_ids:
            reminder = reminders.get(pk)
            try:
                if reminder is not None and pk in letters:
                    sent += _send(reminder, letters[pk], connection)
                else:  # not numbered: locked by another task, or gone
                    sent += deliver_reminder(reminder_id=pk)
            except OSError:
                queue.send("arrears.tasks.send_reminder_task", pk)
    return sent


@contextmanager
def _mail_session() -> Iterator[BaseEmailBackend]:
    """One connection to the mail server for a batch's e-mails. A server that cannot be
    reached now leaves each e-mail to try its own, and to record its own failure."""
    connection = get_connection()
    with suppress(OSError):
        connection.open()
    try:
        yield connection
    finally:
        with suppress(OSError):  # what was sent is recorded; the server's goodbye is not news
            connection.close()


def deliver_reminder(*, reminder_id: int, numbered: documents.Letter | None = None) -> bool:
    """E-mail one reminder with its PDF attached, if it is still unsent. Returns whether it
    was sent now (letters go by the post: ``post_letters``). ``numbered``: its letter, when
    the caller has just numbered it."""
    numbered = numbered or _number_reminder(reminder_id)
    reminder = (
        Reminder.objects.select_related("employer__office", "issued_document")
        .filter(pk=reminder_id)
        .first()
    )
    return reminder is not None and _send(reminder, numbered, None)


def _issued(reminder: Reminder) -> IssuedDocument | None:
    """The reminder's document as read with it (None when it had none then)."""
    return getattr(reminder, "issued_document", None)


# A reminder's row, locked while it is e-mailed, then what came of it: plain statements, as
# each of a week's e-mails runs them.
_LOCK_UNSENT = """
SELECT attempts FROM arrears_reminder
WHERE id = %s AND channel = %s AND status IN (%s, %s)
FOR UPDATE SKIP LOCKED
"""
_RECORD = """
UPDATE arrears_reminder SET attempts = %s, status = %s, last_error = %s,
                            sent_at = COALESCE(%s, sent_at)
WHERE id = %s
"""


def _send(
    reminder: Reminder,
    letter: documents.Letter | None,
    connection: BaseEmailBackend | None,
) -> bool:
    """E-mail ``reminder`` (read with its employer and document) if it is still unsent.

    The PDF is the one kept when the reminder took its register number, so a retry sends
    the same document. The row stays locked while sending, so two tasks for the same
    reminder (a redelivered message, a rerun's queue) send it once. A failure is recorded on
    the reminder (attempts, last error, status failed) and raised again, for the task to
    retry."""
    with transaction.atomic(), db_connection.cursor() as cursor:
        cursor.execute(_LOCK_UNSENT, [reminder.pk, Channel.EMAIL, Status.PENDING, Status.FAILED])
        locked = cursor.fetchone()
        if locked is None:
            return False
        document = _issued(reminder) or IssuedDocument.objects.filter(reminder=reminder).first()
        if document is None:  # its numbering rolled back: the nightly run queues it again
            return False
        letter = letter or replace(reminder_letter(reminder), number=document.code)
        failure: OSError | None = None
        try:
            _email_reminder(reminder, letter, stored_pdf(document), connection)
        except OSError as exc:  # smtplib's errors are OSErrors
            failure = exc
            outcome = (Status.FAILED, f"{type(exc).__name__}: {exc}"[:1000], None)
        else:
            outcome = (Status.SENT, "", timezone.now())
        cursor.execute(_RECORD, [locked[0] + 1, *outcome, reminder.pk])
    if failure is not None:
        raise failure
    return True


def _email_reminder(
    reminder: Reminder,
    letter: documents.Letter,
    pdf: bytes,
    connection: BaseEmailBackend | None,
) -> None:
    employer = reminder.employer
    subject = " – ".join(letter.title.splitlines()) + f" ({employer.unit_code})"
    body = render_to_string(
        "arrears/jobs/email/reminder.txt",
        {"letter": letter, "employer": employer, "office": letter.letterhead.issuer},
    )
    message = EmailMessage(subject, body, to=[employer.email], connection=connection)
    message.attach(
        f"{reminder.cycle}-{reminder.kind}-{employer.unit_code}.pdf", pdf, "application/pdf"
    )
    message.send()


def post_letters(*, cycle: str, office: Office) -> bytes | None:
    """The cycle's printable letters of one office in one PDF, for the post (None when the
    office has none).

    The file is kept under MEDIA_ROOT (``post/<cycle>/<office>.pdf``) and is each letter's
    stored document: a letter is sent once it is in it. It is built again while the office
    has letters not yet in it (a rerun completing the cycle, a build that failed).
    """
    letters = Reminder.objects.filter(cycle=cycle, channel=Channel.LETTER, employer__office=office)
    if not letters.exists():
        return None
    name = f"post/{cycle}/{office.pk}.pdf"
    path = Path(default_storage.path(name))
    unsent = letters.filter(status__in=[Status.PENDING, Status.FAILED])
    if path.exists() and not unsent.exists():
        return path.read_bytes()
    included = list(
        letters.select_related("employer__office").order_by("employer__unit_code", "kind")
    )
    pdf = _numbered_letters(included)
    path.parent.mkdir(parents=True, exist_ok=True)
    # Written aside then renamed: a download never reads half a file.
    with tempfile.NamedTemporaryFile(dir=path.parent, suffix=".part", delete=False) as part:
        part.write(pdf)
    os.chmod(part.name, default_storage.file_permissions_mode or 0o644)  # as uploads are
    os.replace(part.name, path)
    unsent.filter(pk__in=[r.pk for r in included]).update(
        status=Status.SENT,
        sent_at=timezone.now(),
        document=name,
        attempts=F("attempts") + 1,
        last_error="",
    )
    return pdf


def _numbered_letters(included: list[Reminder]) -> bytes:
    """The letters in one PDF, each numbered in the register and kept as issued: those not
    yet issued take their numbers now (laid out once for both), those issued keep theirs."""
    codes = dict(
        IssuedDocument.objects.filter(reminder__in=included).values_list("reminder_id", "code")
    )
    fresh = [r for r in included if r.pk not in codes]
    drafts = [
        Draft(letter, r.employer, reminder=r)
        for r, letter in zip(fresh, reminder_letters(fresh), strict=True)
    ]
    if len(drafts) == len(included):
        _issued, pdf = issue_letters(drafts, merged=True)
        return pdf
    issued, _none = issue_letters(drafts)
    codes |= {document.reminder_id: document.code for document in issued}
    return documents.letters_pdf(
        replace(letter, number=codes[r.pk])
        for r, letter in zip(included, reminder_letters(included), strict=True)
    )
