"""Exports run and recorded: written at once, streamed as CSV, or made in the background.

Views, the Celery task and ``manage.py export_report`` call these; what the figures are is
``reports.queries``, how they are written ``reports.writers``.
"""

from __future__ import annotations

import logging
import tempfile
import uuid
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from django.core.files import File
from django.db import OperationalError
from django.utils import timezone
from django.utils.translation import gettext as _

from desk.periods import Period
from desk.queue import send_on_commit
from desk.replica import stale_reads
from participants.models import FORMER_PROVINCES, Commune, Employer, Office
from reports.comparison import COMPARISONS, compared, compared_period
from reports.models import ExportRecord
from reports.registry import REPORTS
from reports.writers import Report, Summing, csv_chunks, export

if TYPE_CHECKING:
    from accounts.models import User

log = logging.getLogger(__name__)

# Rows written between two progress updates of a background export.
PROGRESS_STEP = 1000


@dataclass(frozen=True)
class Request:
    """A report asked for: its name, date, filters and options (``by``), as the page's form,
    the command or a stored ExportRecord give them."""

    name: str
    on: date
    # office and commune (ids), former_province (a unit code prefix), ownership,
    # industrial_zone, status; None = all
    filters: dict[str, Any]
    options: dict[str, Any]
    # A report that counts events may run for the period from ``start`` to ``on``, and be
    # compared with other periods (keys of comparison.COMPARISONS).
    start: date | None = None
    compare: tuple[str, ...] = ()

    @property
    def report(self) -> Report:
        return REPORTS[self.name]

    def rows(self, user: User | None) -> list[Any]:
        return self._rows(user, self.start, self.on)

    def _rows(self, user: User | None, start: date | None, on: date) -> list[Any]:
        period = {"start": start} if self.report.period and start is not None else {}
        with stale_reads():  # period figures: a replica's lag is fine
            return list(
                self.report.rows(on=on, user=user, **self.filters, **self.options, **period)
            )

    def streamed(self, user: User | None, fmt: str) -> Iterable[Any] | None:
        """The rows one at a time (``Report.stream``) when the report has them so and the
        file is written as they come (CSV, XLSX; no compared periods), else None."""
        if self.report.stream is None or self.compare or fmt not in ("csv", "xlsx"):
            return None
        return _stale(self.report.stream(on=self.on, user=user, **self.filters, **self.options))

    def paged(self, user: User | None, number: int, per_page: int) -> PagedRows | None:
        """For a streamed report with no compared periods: its rows in one pass, holding only
        the page asked for (and the last, should that one be past the end), with their count
        and totals; else None (the report's rows are few enough to hold)."""
        if self.report.stream is None or self.report.sums is None or self.compare:
            return None
        with stale_reads():
            return PagedRows(self.streamed(user, "csv") or (), self.report.sums, number, per_page)

    def shaped(self, user: User | None) -> tuple[Report, list[Any]]:
        """The report as it is shown, and its rows: with the periods compared beside the
        chosen one when asked for."""
        rows = self.rows(user)
        if not self.compare or self.start is None:
            return self.report, rows
        chosen = Period(self.start, self.on)
        others = {}
        for name in COMPARISONS:
            if name in self.compare:
                other = compared_period(chosen, name)
                others[name] = self._rows(user, other.start, other.end)
        return compared(self.report, rows, others)

    def size(self, user: User | None) -> int:
        """How many rows it will have, as far as the report can tell without running it."""
        size = self.report.size
        if not size:
            return 0
        period = {"start": self.start} if self.report.period and self.start else {}
        with stale_reads():
            return size(on=self.on, user=user, **self.filters, **period)

    def params(self) -> dict[str, Any]:
        """JSON for ExportRecord.params (and back through ``from_params``)."""
        chosen = {k: v for k, v in {**self.filters, **self.options}.items() if v not in (None, "")}
        period = {"start": self.start.isoformat()} if self.start else {}
        compare = {"compare": list(self.compare)} if self.compare else {}
        return {"on": self.on.isoformat(), **period, **compare, **chosen}

    @classmethod
    def from_params(cls, name: str, params: dict[str, Any]) -> Request:
        options = {k: v for k, v in params.items() if k in REPORTS[name].options}
        filters = {
            k: v
            for k, v in params.items()
            if k not in options and k not in ("on", "start", "compare")
        }
        start = date.fromisoformat(params["start"]) if params.get("start") else None
        return cls(
            name,
            date.fromisoformat(params["on"]),
            filters,
            options,
            start,
            tuple(params.get("compare", ())),
        )

    def details(self) -> list[str]:
        """The heading's lines after the date: the grouping and filters chosen, in words."""
        parts = []
        by = self.options.get("by")
        if by and self.report.groupings and by in self.report.groupings:
            parts.append(_("theo %(by)s") % {"by": self.report.groupings[by]})
        chosen = self.filters
        if chosen.get("office"):
            name = Office.objects.filter(pk=chosen["office"]).values_list("name", flat=True)
            parts.append(_("BHXH cơ sở %(name)s") % {"name": name.first() or ""})
        if chosen.get("commune"):
            commune = Commune.objects.filter(pk=chosen["commune"]).first()
            parts.append(str(commune or ""))
        if chosen.get("former_province"):
            prefix = chosen["former_province"]
            name = FORMER_PROVINCES.get(prefix, prefix)
            parts.append(_("tỉnh %(name)s (cũ)") % {"name": name})
        if chosen.get("ownership"):
            parts.append(str(Employer.Ownership(chosen["ownership"]).label))
        if chosen.get("industrial_zone"):
            parts.append(str(chosen["industrial_zone"]))
        if chosen.get("status"):
            parts.append(str(Employer.Status(chosen["status"]).label))
        return [_("Phạm vi: %(parts)s") % {"parts": "; ".join(parts)}] if parts else []

    def filename(self, fmt: str) -> str:
        since = f"{self.start.isoformat()}-" if self.start else ""
        return f"{self.report.slug or self.name}-{since}{self.on.isoformat()}.{fmt}"


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
    report, rows = request.report, request.streamed(user, fmt)
    if rows is None:
        report, rows = request.shaped(user)
    written = 0

    def counted() -> Iterator[Any]:
        nonlocal written
        for written, row in enumerate(rows, start=1):
            if progress and written % PROGRESS_STEP == 0:
                progress(written)
            yield row
        if progress:
            progress(written)

    export(report, fmt, out, counted(), request.on, request.details(), request.start)
    return written


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

    def rows(found: Callable[[], Iterable[Any]]) -> Iterator[Any]:
        nonlocal written
        for row in found():
            written += 1
            yield row

    def chunks() -> Iterator[bytes]:
        done = False
        try:
            report = request.report
            if request.compare or report.csv_totals:
                # Small reports whose columns or last row need the figures first.
                report, found = request.shaped(user)
                totals = report.totals(found) if report.csv_totals and report.totals else None
                yield from csv_chunks(report.columns, rows(lambda: found), totals=totals)
            else:
                streamed = request.streamed(user, "csv")
                yield from csv_chunks(
                    report.columns,
                    rows(lambda: request.rows(user) if streamed is None else streamed),
                )
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
    """Record an export for a Celery worker and queue it once this transaction commits."""
    entry = record(
        request,
        fmt,
        user=user,
        source=ExportRecord.Source.TASK,
        status=ExportRecord.Status.QUEUED,
        expected_rows=request.size(user),
    )
    send_on_commit("reports.tasks.export_report_task", entry.pk)
    return entry


def run_background_export(record_id: int) -> None:
    """The Celery worker's side: compute and write the file under MEDIA_ROOT, with progress on the
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


def _stale(rows: Iterable[Any]) -> Iterator[Any]:
    """``rows`` read, as they are taken, where period figures may be read (the replica)."""
    with stale_reads():
        yield from rows


class PagedRows:
    """A report's rows as a Paginator takes them (``len`` and one slice), from one pass over a
    stream: a region's 200,000 employers are counted and totalled, and only the 100 on screen
    are kept."""

    def __init__(self, rows: Iterable[Any], keys: tuple[str, ...], number: int, per_page: int):
        self.start = (max(number, 1) - 1) * per_page
        self.window: list[Any] = []
        last: deque[Any] = deque(maxlen=per_page)
        summing = Summing(rows, keys)
        for index, row in enumerate(summing):
            if self.start <= index < self.start + per_page:
                self.window.append(row)
            last.append(row)
        self.count = summing.count
        self.totals = summing.totals()
        # The paginator shows the last page for a number past the end.
        self.last_start = (self.count - 1) // per_page * per_page if self.count else 0
        self.last = list(last)[len(last) - (self.count - self.last_start) :] if self.count else []

    def __len__(self) -> int:
        return self.count

    def __getitem__(self, chosen: slice) -> list[Any]:
        return self.window if chosen.start == self.start else self.last
