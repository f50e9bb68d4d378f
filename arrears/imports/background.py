"""Statement files imported by a Celery worker: a file over STATEMENT_BACKGROUND_BYTES is kept
under MEDIA_ROOT and imported there, so that no web request waits for a province's file; the
page polls its StatementUpload for the outcome, the same counts or reasons as the page gives."""

from __future__ import annotations

import io
import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from django.core.files.uploadedfile import UploadedFile
from django.db import OperationalError, connection
from django.utils import timezone

import audit
from arrears.imports.kinds import IMPORTERS
from arrears.models import StatementUpload
from desk.queue import send_on_commit
from desk.statements.results import ImportResult, RowError, StatementRefused

if TYPE_CHECKING:
    from accounts.models import User

log = logging.getLogger(__name__)
TASK = "arrears.tasks.import_statement_task"


def queue_upload(kind: str, file: UploadedFile, *, user: User) -> StatementUpload:
    """Keep ``file`` and queue its import once this transaction commits."""
    upload = StatementUpload(user=user, kind=kind, filename=file.name or "", size=file.size or 0)
    upload.file.save(f"{kind}{Path(file.name or '').suffix[:5].lower()}", file, save=False)
    upload.save()
    send_on_commit(TASK, upload.pk)
    return upload


def run_upload(upload_id: int) -> None:
    """The worker's side: import the kept file as its uploader, record the outcome, delete
    the file. A message delivered twice finds the upload finished and does nothing; one
    taken back from a worker lost mid-import runs it again (the import is one transaction,
    so nothing of the lost run was kept)."""
    upload = StatementUpload.objects.select_related("user").get(pk=upload_id)
    if not upload.pending:
        return
    upload.status = StatementUpload.Status.RUNNING
    upload.started_at = timezone.now()
    upload.save(update_fields=["status", "started_at"])
    outcome: ImportResult | StatementRefused
    try:
        with Path(upload.file.path).open("rb") as file, progress(upload, file):
            outcome = IMPORTERS[upload.kind](file, user=upload.user)
    except StatementRefused as refused:
        outcome = refused
    except OperationalError:
        raise  # the database is briefly gone: the task retries
    except Exception:
        log.exception("background import %s failed", upload.pk)
        _finish(upload, StatementUpload.Status.FAILED)
        return
    audit.record_import(upload.user, upload.kind, upload.filename, outcome)
    if isinstance(outcome, StatementRefused):
        upload.reasons = [[e.line, e.column, e.message] for e in outcome.errors]
        upload.reason_total = outcome.total
        _finish(upload, StatementUpload.Status.REFUSED)
    else:
        upload.counts = {
            "created": outcome.created,
            "updated": outcome.updated,
            "unchanged": outcome.unchanged,
            "new_offices": outcome.new_offices,
        }
        _finish(upload, StatementUpload.Status.DONE)


# How often the page's progress is written while a file is read.
PROGRESS_SECONDS = 2.0


@contextmanager
def progress(upload: StatementUpload, file: io.BufferedReader) -> Iterator[None]:
    """While the import reads ``file``, a thread notes how far it has read on the upload,
    every PROGRESS_SECONDS, on a connection of its own: the import's transaction, which
    commits only at its end, cannot say it."""
    done = threading.Event()
    position = file.raw.tell  # the descriptor's offset: safe to ask from another thread

    def note() -> None:
        try:
            while not done.wait(PROGRESS_SECONDS):
                read = min(position(), upload.size)
                StatementUpload.objects.filter(pk=upload.pk).update(bytes_read=read)
        finally:
            connection.close()  # this thread's own

    watcher = threading.Thread(target=note, name=f"import-progress-{upload.pk}", daemon=True)
    watcher.start()
    try:
        yield
    finally:
        done.set()
        watcher.join()
        upload.bytes_read = upload.size


def _finish(upload: StatementUpload, status: StatementUpload.Status) -> None:
    upload.status = status
    upload.finished_at = timezone.now()
    upload.file.delete(save=False)
    upload.save()


def outcome(upload: StatementUpload) -> ImportResult | StatementRefused | None:
    """What the page shows for a finished upload, as it shows an import it ran itself."""
    if upload.status == StatementUpload.Status.DONE:
        return ImportResult(**upload.counts)
    if upload.status == StatementUpload.Status.REFUSED:
        errors = [RowError(line, column, message) for line, column, message in upload.reasons]
        return StatementRefused(errors, total=upload.reason_total)
    return None
