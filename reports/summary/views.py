"""The summary page (managers): the period picker, the summary on screen, and the same as
DOCX or PDF (``?format=docx|pdf``)."""

from __future__ import annotations

import io

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import content_disposition_header

from accounts import access
from reports.models import ExportRecord
from reports.summary import documents
from reports.summary.forms import SummaryPeriodForm
from reports.summary.sections import TITLE, province_summary


def summary_page(request: HttpRequest) -> HttpResponse:
    """The province's summary for the period chosen (by default the last quarter closed)."""
    user = access.manager(request)
    form = SummaryPeriodForm(request.GET)
    context: dict[str, object] = {"form": form, "title": TITLE}
    if not form.is_valid():
        return render(request, "reports/summary.html", context)
    summary = province_summary(form.period, user)
    fmt = request.GET.get("format")
    if fmt in documents.WRITERS:
        out = io.BytesIO()
        documents.write(summary, fmt, out)
        name = documents.filename(summary, fmt)
        ExportRecord.objects.create(
            user=user,
            report="province_summary",
            params={"from": form.period.start.isoformat(), "to": form.period.end.isoformat()},
            format=fmt,
            source=ExportRecord.Source.PAGE,
            status=ExportRecord.Status.DONE,
            filename=name,
            finished_at=timezone.now(),
        )
        response = HttpResponse(out.getvalue(), content_type=documents.FORMATS[fmt])
        response["Content-Disposition"] = content_disposition_header(True, name)
        return response
    context.update(
        summary=summary,
        header=documents.header(summary),
        subtitle=documents.subtitle(summary),
        sections=[(s, [documents.cells(line) for line in s.lines]) for s in summary.sections],
    )
    return render(request, "reports/summary.html", context)
