"""Exports run and recorded, and certificates of contribution status issued.

Views, the Celery task and ``manage.py export_report`` call these; what the figures are is
``reports.queries``, how they are written ``reports.exports``.
"""

from __future__ import annotations

import base64
import io
import logging
import tempfile
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

import qrcode
from django.conf import settings
from django.core.files import File
from django.core.files.base import ContentFile
from django.db import OperationalError, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from arrears.balances import balances_as_of
from desk.pdf import render_pdf
from participants.models import District, Employer
from reports.exports import REPORTS, Report, csv_chunks, export
from reports.models import Certificate, ExportRecord

if TYPE_CHECKING:
    from accounts.models import User

log = logging.getLogger(__name__)

# Rows written between two progress updates of a background export.
PROGRESS_STEP = 1000
# How the aging report may group its rows.
GROUPINGS = {
    "district": gettext_lazy("quận/huyện"),
    "ownership": gettext_lazy("loại hình"),
    "industrial_zone": gettext_lazy("khu công nghiệp"),
    "status": gettext_lazy("trạng thái"),
}


@dataclass(frozen=True)
class Request:
    """A report asked for: its name, date, filters and options (``by``), as the page's form,
    the command or a stored ExportRecord give them."""

    name: str
    on: date
    filters: dict[str, Any]  # district (id), ownership, industrial_zone, status; None = all
    options: dict[str, Any]

    @property
    def report(self) -> Report:
        return REPORTS[self.name]

    def rows(self, user: User | None) -> list[Any]:
        return list(self.report.rows(on=self.on, user=user, **self.filters, **self.options))

    def size(self, user: User | None) -> int:
        """How many rows it will have, as far as the report can tell without running it."""
        size = self.report.size
        return size(on=self.on, user=user, **self.filters) if size else 0

    def params(self) -> dict[str, Any]:
        """JSON for ExportRecord.params (and back through ``from_params``)."""
        chosen = {k: v for k, v in {**self.filters, **self.options}.items() if v not in (None, "")}
        return {"on": self.on.isoformat(), **chosen}

    @classmethod
    def from_params(cls, name: str, params: dict[str, Any]) -> Request:
        options = {k: v for k, v in params.items() if k in REPORTS[name].options}
        filters = {k: v for k, v in params.items() if k not in options and k != "on"}
        return cls(name, date.fromisoformat(params["on"]), filters, options)

    def details(self) -> list[str]:
        """The heading's lines after the date: the grouping and filters chosen, in words."""
        parts = []
        if self.options.get("by"):
            parts.append(_("theo %(by)s") % {"by": GROUPINGS[self.options["by"]]})
        chosen = self.filters
        if chosen.get("district"):
            name = District.objects.filter(pk=chosen["district"]).values_list("name", flat=True)
            parts.append(_("quận/huyện %(name)s") % {"name": name.first() or ""})
        if chosen.get("ownership"):
            parts.append(str(Employer.Ownership(chosen["ownership"]).label))
        if chosen.get("industrial_zone"):
            parts.append(str(chosen["industrial_zone"]))
        if chosen.get("status"):
            parts.append(str(Employer.Status(chosen["status"]).label))
        return [_("Phạm vi: %(parts)s") % {"parts": "; ".join(parts)}] if parts else []

    def filename(self, fmt: str) -> str:
        return f"{self.report.slug or self.name}-{self.on.isoformat()}.{fmt}"


def record(
    request: Request,
    fmt: str,
    *,
    user: User | None,
    source: ExportRecord.Source,
    status: ExportRecord.Status = ExportRecord.Status.DONE,
    rows: int = 0,
    expected_rows: int | None = None,
) -> ExportRecord:
    """The audit line of an export: who, which report, parameters, format, from where, when."""
    finished = status == ExportRecord.Status.DONE
    return ExportRecord.objects.create(
        user=user,
        report=request.name,
        params=request.params(),
        format=fmt,
        source=source,
        status=status,
        rows_written=rows,
        expected_rows=expected_rows,
        filename=request.filename(fmt),
        finished_at=timezone.now() if finished else None,
    )


def write(
    request: Request,
    fmt: str,
    out: Any,
    *,
    user: User | None,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Compute the report for ``user`` and write it to ``out``; returns the rows written."""
    rows = request.rows(user)
    export(
        request.report,
        fmt,
        out,
        _counted(rows, progress) if progress else rows,
        request.on,
        request.details(),
    )
    return len(rows)


def _counted(rows: Iterable[Any], progress: Callable[[int], None]) -> Iterator[Any]:
    count = 0
    for count, row in enumerate(rows, start=1):
        if count % PROGRESS_STEP == 0:
            progress(count)
        yield row
    progress(count)


def stream_csv(request: Request, *, user: User | None) -> Iterator[bytes]:
    """The CSV of a page's export in chunks, recorded now: its first chunk (the header) goes
    out before the query runs; the record is closed when the last one has gone (or marked
    failed if the download was cut off)."""
    entry = record(
        request,
        "csv",
        user=user,
        source=ExportRecord.Source.PAGE,
        status=ExportRecord.Status.RUNNING,
    )
    written = 0

    def rows() -> Iterator[Any]:
        nonlocal written
        for row in request.rows(user):
            written += 1
            yield row

    def chunks() -> Iterator[bytes]:
        done = False
        try:
            yield from csv_chunks(request.report.columns, rows())
            done = True
        finally:
            ExportRecord.objects.filter(pk=entry.pk).update(
                status=ExportRecord.Status.DONE if done else ExportRecord.Status.FAILED,
                error="" if done else _("Tải xuống bị ngắt giữa chừng."),
                rows_written=written,
                finished_at=timezone.now(),
            )

    return chunks()


def start_background_export(request: Request, fmt: str, *, user: User) -> ExportRecord:
    """Record an export for a worker and queue it once this transaction commits."""
    from reports.tasks import export_report_task

    entry = record(
        request,
        fmt,
        user=user,
        source=ExportRecord.Source.TASK,
        status=ExportRecord.Status.QUEUED,
        expected_rows=request.size(user),
    )
    transaction.on_commit(lambda: export_report_task.delay(entry.pk))
    return entry


def run_background_export(record_id: int) -> None:
    """The worker's side: compute and write the file under MEDIA_ROOT, with progress on the
    record. A record already done (a message delivered twice) is left alone."""
    entry = ExportRecord.objects.select_related("user").get(pk=record_id)
    if entry.status == ExportRecord.Status.DONE:
        return
    entry.status = ExportRecord.Status.RUNNING
    entry.save(update_fields=["status"])
    request = Request.from_params(entry.report, entry.params)

    def progress(count: int) -> None:
        ExportRecord.objects.filter(pk=entry.pk).update(rows_written=count)

    try:
        with tempfile.TemporaryFile() as out:
            written = write(request, entry.format, out, user=entry.user, progress=progress)
            out.seek(0)
            entry.file.save(f"{uuid.uuid4().hex}.{entry.format}", File(out), save=False)
    except OperationalError:
        raise  # the database is briefly gone: the task retries
    except Exception as exc:
        log.exception("export %s failed", entry.pk)
        entry.status = ExportRecord.Status.FAILED
        entry.error = str(exc)
        entry.finished_at = timezone.now()
        entry.save(update_fields=["status", "error", "finished_at"])
        return
    entry.status = ExportRecord.Status.DONE
    entry.rows_written = written
    entry.finished_at = timezone.now()
    entry.save(update_fields=["status", "rows_written", "file", "finished_at"])


# --------------------------------------------------------------------------------------------
# Certificates of contribution status


class CertificateRefused(Exception):
    """The certificate cannot be issued; the message is for the user."""


def issue_certificate(
    *,
    employer: Employer,
    on: date,
    by: User,
    state_arrears: bool,
    link: Callable[[str], str],
) -> Certificate:
    """A certificate of the employer's position on ``on`` (rule 3): "no arrears", or, when
    ``state_arrears`` is ticked, the arrears it has. Refused while it has arrears unless the
    certificate states them, and for a day after today. ``link`` gives the public
    verification page's address of a code (for the QR)."""
    if on > timezone.localdate():
        raise CertificateRefused(_("Ngày xác nhận không được sau hôm nay."))
    (balance,) = balances_as_of(on, employers=Employer.objects.filter(pk=employer.pk))
    if balance.arrears and not state_arrears:
        raise CertificateRefused(
            _(
                "Đơn vị còn nợ %(amount)s đồng (%(months)s tháng) tính đến ngày %(on)s: chỉ cấp "
                "giấy xác nhận có ghi rõ số nợ."
            )
            % {
                "amount": f"{balance.arrears:,}".replace(",", "."),
                "months": balance.months_in_arrears,
                "on": on.strftime("%d/%m/%Y"),
            }
        )
    certificate = Certificate(
        employer=employer,
        on=on,
        arrears=balance.arrears,
        months_in_arrears=balance.months_in_arrears,
        interest=balance.interest,
        issued_by=by,
    )
    with transaction.atomic():
        certificate.save()  # its number and time are on the document
        pdf = certificate_pdf(certificate, link(certificate.code), balance.oldest_unpaid_period)
        certificate.file.save(f"{uuid.uuid4().hex}.pdf", ContentFile(pdf), save=True)
    return certificate


def qr_data_uri(text: str) -> str:
    """A QR code of ``text`` as an inline PNG (data: URI), for documents rendered offline."""
    image = qrcode.make(text, box_size=6, border=2)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return "data:image/png;base64," + base64.b64encode(out.getvalue()).decode("ascii")


def certificate_pdf(certificate: Certificate, url: str, oldest_unpaid: date | None) -> bytes:
    """The certificate as the office prints it, in Vietnamese whatever the issuer's language."""
    employer = certificate.employer
    with translation.override("vi"):
        html = render_to_string(
            "reports/certificate.html",
            {
                "certificate": certificate,
                "employer": employer,
                "oldest_unpaid": oldest_unpaid,
                "url": url,
                "qr": qr_data_uri(url),
                "office": settings.OFFICE_NAME,
                "province": settings.PROVINCE_NAME,
                "today": timezone.localdate(),
            },
        )
    return render_pdf(html)
