"""Report pages: the figures on screen and the same rows as CSV, XLSX or PDF (``?format=``);
the dashboard; background exports; certificates and their public verification."""

from __future__ import annotations

import io

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    StreamingHttpResponse,
)
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

from accounts import access
from arrears.partners.selectors import overdue_referrals
from desk.replica import stale_reads
from participants.models import Employer
from reports import exports
from reports.certificates import CertificateRefused, issue_certificate
from reports.dashboard import dashboard_for
from reports.forms import CertificateForm, ReportFilterForm
from reports.models import Certificate, ExportRecord
from reports.queries import coverage
from reports.registry import REPORTS
from reports.writers import CONTENT_TYPES, WRITERS, when

# Rows per screen of a report page; the exports hold them all.
PAGE_ROWS = 100


def home(request: HttpRequest) -> HttpResponse:
    """Each role lands where its day's work starts: the office's staff on the dashboard of
    their province or offices, liaisons on their agency's page."""
    if request.user.is_staff_member:
        return dashboard(request)
    return render(request, "accounts/home.html")


def coverage_report(request: HttpRequest) -> HttpResponse:
    """Coverage by office and for the province, for the period chosen (``?ky=2025`` or
    ``?ky=2025-Q3``; by default the latest closed one). Staff only: liaisons get 404."""
    access.staff(request)
    with stale_reads():
        choices = coverage.periods(request.user)
        chosen = coverage.Period.parse(request.GET.get("ky", ""))
        if chosen not in choices:
            chosen = coverage.period_on(timezone.localdate(), choices) or next(iter(choices), None)
        rows = (
            coverage.coverage_rows(on=timezone.localdate(), user=request.user, period=chosen)
            if chosen
            else []
        )
    fmt = request.GET.get("format")
    if fmt in WRITERS and chosen:
        report = REPORTS["coverage"]
        out = io.BytesIO()
        WRITERS[fmt](out, report.columns, rows, heading=(str(report.title), chosen.label))
        wanted = exports.Request("coverage", timezone.localdate(), {}, {"ky": chosen.key})
        exports.record(
            wanted, fmt, user=request.user, source=ExportRecord.Source.PAGE, rows=len(rows)
        )
        response = HttpResponse(out.getvalue(), content_type=CONTENT_TYPES[fmt])
        response["Content-Disposition"] = content_disposition_header(
            True, f"bao-phu-{chosen.key}.{fmt}"
        )
        return response
    context = {
        "rows": rows,
        "choices": choices,
        "chosen": chosen,
        "title": REPORTS["coverage"].title,
    }
    return render(request, "reports/coverage.html", context)


def dashboard(request: HttpRequest) -> HttpResponse:
    """The managers' home (officers': their offices): today's figures from the Balance
    table, the year's from the ledger, each chart also as a table."""
    access.staff(request)
    figures = dashboard_for(request.user)
    charts = None
    if figures is not None:
        charts = {
            "aging": {
                "labels": [s.label for s in figures.aging],
                "values": [s.arrears for s in figures.aging],
            },
            "trend": {
                "labels": [f"{m.end:%m/%Y}" for m in figures.trend],
                "arrears": [m.arrears for m in figures.trend],
                "recovered": [m.recovered for m in figures.trend],
                "names": [_("Số nợ cuối tháng"), _("Thu hồi nợ trong tháng")],
            },
            "offices": {
                "labels": [s.label for s in figures.by_office],
                "values": [s.arrears for s in figures.by_office],
            },
        }
    overdue = overdue_referrals(request.user, timezone.localdate()).count()
    return render(
        request,
        "reports/dashboard.html",
        {"figures": figures, "charts": charts, "referrals_overdue": overdue},
    )


def report_index(request: HttpRequest) -> HttpResponse:
    """The reports this user may open, and their own recent exports."""
    staff = request.user.is_staff_member
    reports = [
        (report, reverse(f"report_{name}"))
        for name, report in REPORTS.items()
        if report.slug and (staff or report.liaisons)
    ]
    if staff:
        reports.append((REPORTS["coverage"], reverse("coverage_report")))
    recent = [
        (entry, REPORTS[entry.report].title if entry.report in REPORTS else entry.report)
        for entry in ExportRecord.objects.filter(user=request.user)[:10]
    ]
    return render(
        request, "reports/index.html", {"reports": reports, "exports": recent, "staff": staff}
    )


def report_page(request: HttpRequest, name: str) -> HttpResponse:
    """One report with its filters, on screen (100 rows a page, then the totals) or as a
    file: CSV streamed; XLSX and PDF made here up to settings.REPORT_BACKGROUND_ROWS (PDF:
    REPORT_BACKGROUND_PDF_ROWS) rows, beyond that by a worker while the page shows
    progress. Liaisons only reach the reports open to them (recovery by agency), scoped to
    their agency."""
    report = REPORTS[name]
    # Liaisons reach only the reports open to them, scoped to their organisation.
    if not report.liaisons:
        access.staff(request)
    form = ReportFilterForm(request.GET, user=request.user, report=report)
    context = {"report": report, "name": name, "form": form}
    if not form.is_valid():
        return render(request, "reports/report.html", context)
    wanted = exports.Request(name, *form.chosen)
    fmt = request.GET.get("format")
    if fmt in WRITERS:
        return _export(request, wanted, fmt)
    context.update(when=when(wanted.on, wanted.start), details=wanted.details())
    paged = wanted.paged(request.user, _page_number(request), PAGE_ROWS)
    if paged is not None:
        context.update(
            page=Paginator(paged, PAGE_ROWS).get_page(request.GET.get("page")),
            count=len(paged),
            totals=paged.totals,
        )
        return render(request, "reports/report.html", context)
    # With periods compared, the report shown has their columns beside its own.
    shown, rows = wanted.shaped(request.user)
    context.update(
        report=shown,
        page=Paginator(rows, PAGE_ROWS).get_page(request.GET.get("page")),
        count=len(rows),
        totals=shown.totals(rows) if shown.totals and rows else None,
    )
    return render(request, "reports/report.html", context)


def _page_number(request: HttpRequest) -> int:
    """The page asked for; anything but a whole number is the first (as Paginator.get_page
    takes it)."""
    try:
        return max(int(request.GET.get("page", 1)), 1)
    except ValueError:
        return 1


def _export(request: HttpRequest, wanted: exports.Request, fmt: str) -> HttpResponse:
    user = request.user
    if fmt == "csv":
        response: HttpResponse | StreamingHttpResponse = StreamingHttpResponse(
            exports.stream_csv(wanted, user=user), content_type=CONTENT_TYPES["csv"]
        )
    elif wanted.size(user) > (
        settings.REPORT_BACKGROUND_PDF_ROWS if fmt == "pdf" else settings.REPORT_BACKGROUND_ROWS
    ):
        entry = exports.start_background_export(wanted, fmt, user=user)
        return redirect("export_status", entry.pk)
    else:
        out = io.BytesIO()
        count = exports.write(wanted, fmt, out, user=user)
        exports.record(wanted, fmt, user=user, source=ExportRecord.Source.PAGE, rows=count)
        response = HttpResponse(out.getvalue(), content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = content_disposition_header(True, wanted.filename(fmt))
    return response


def export_status(request: HttpRequest, pk: int) -> HttpResponse:
    """A background export's progress (htmx polls the fragment), then its download link.
    Only its requester sees it."""
    entry = access.get_for_user(ExportRecord, request.user, pk=pk, source=ExportRecord.Source.TASK)
    context = {"entry": entry, "title": REPORTS[entry.report].title}
    if request.htmx:
        return render(request, "reports/_export_status.html", context)
    return render(request, "reports/export_status.html", context)


def export_download(request: HttpRequest, pk: int) -> FileResponse:
    """A background export's file, for its requester only (404 for anyone else)."""
    entry = access.get_for_user(ExportRecord, request.user, pk=pk, status=ExportRecord.Status.DONE)
    if not entry.file:
        raise Http404
    return FileResponse(entry.file.open("rb"), as_attachment=True, filename=entry.filename)


def certificates(request: HttpRequest) -> HttpResponse:
    """Issue a certificate of contribution status (POST) and list those issued for the
    employers the user sees. ``?don_vi=<unit code>`` fills the form in."""
    user = access.staff(request)
    scoped = access.scoped(Employer, user)
    if request.method == "POST":
        form = CertificateForm(request.POST)
        if form.is_valid():
            employer = scoped.filter(unit_code=form.cleaned_data["unit_code"].strip()).first()
            if employer is None:
                form.add_error("unit_code", _("Không tìm thấy đơn vị có mã này."))
            else:
                try:
                    certificate = issue_certificate(
                        employer=employer,
                        on=form.cleaned_data["on"],
                        by=request.user,
                        state_arrears=form.cleaned_data["state_arrears"],
                        link=lambda code: request.build_absolute_uri(
                            reverse("verify_certificate", args=[code])
                        ),
                    )
                except CertificateRefused as exc:
                    form.add_error(None, str(exc))
                else:
                    messages.success(
                        request,
                        _("Đã cấp giấy xác nhận cho %(name)s, mã xác minh %(code)s.")
                        % {"name": employer.name, "code": certificate.printed_code},
                    )
                    return redirect("certificates")
    else:
        form = CertificateForm(
            initial={"unit_code": request.GET.get("don_vi", ""), "on": timezone.localdate()}
        )
    issued = access.scoped(Certificate, user).select_related("employer", "issued_by")[:30]
    return render(request, "reports/certificates.html", {"form": form, "issued": issued})


def certificate_file(request: HttpRequest, pk: int) -> FileResponse:
    """An issued certificate's PDF, for staff who see its employer."""
    user = access.staff(request)
    certificate = access.get_for_user(Certificate, user, pk=pk)
    return FileResponse(
        certificate.file.open("rb"),
        content_type="application/pdf",
        filename=f"giay-xac-nhan-{certificate.employer.unit_code}-{certificate.on}.pdf",
    )


@login_not_required
def verify_certificate(request: HttpRequest, code: str) -> HttpResponse:
    """The public check of a certificate's code (its QR leads here): whether it is genuine,
    and then only the employer's name, the date and the arrears it states."""
    normalized = "".join(code.split()).replace("-", "").upper()
    certificate = (
        Certificate.objects.select_related("employer").filter(code=normalized).first()
        if normalized
        else None
    )
    return render(
        request,
        "reports/verify.html",
        {"certificate": certificate},
        status=200 if certificate else 404,
    )
