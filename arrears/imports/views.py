"""The statement upload page: employers, communes, contributions, payments, persons, coverage
or referrals, checked whole, then written; a large file by a Celery worker, its page polled."""

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods

import audit
from accounts import access
from arrears.imports import background
from arrears.imports.forms import KINDS, StatementForm
from arrears.imports.kinds import COLUMNS, IMPORTERS
from arrears.imports.template_files import template_xlsx
from arrears.models import StatementUpload
from desk.statements.results import Layout, StatementRefused

# What the column list alone does not say.
NOTES = {
    "employers": _(
        "office, commune: mã hoặc tên, có dấu hay không dấu đều được; để trống office thì đơn "
        "vị do BHXH cơ sở phục vụ xã/phường quản lý."
    ),
    "communes": _(
        "kind: xa, phuong hoặc dac_khu; office: mã hoặc tên BHXH cơ sở phục vụ (chưa có thì "
        "được tạo mới). Chỉ lãnh đạo được nhập."
    ),
    "referrals": _(
        "agency: mã cơ quan phối hợp; mã của một loại (police, tax, …) là cơ quan cấp tỉnh của "
        "loại đó."
    ),
}


def _format(kind: str, label: str, layout: Layout) -> dict[str, object]:
    """One kind of file as the page lists it: its columns, those a file may leave out, the
    older columns it still takes, and a note."""
    return {
        "label": label,
        "columns": layout.current,
        "optional": [name for name in layout.current if name in layout.optional],
        "older": layout.older,
        "note": NOTES.get(kind, ""),
        "template": reverse("import_template", args=[kind]),
    }


@require_http_methods(["GET", "POST"])
def import_statement(request: HttpRequest) -> HttpResponse:
    """Managers import anything; officers and office heads rows of their own offices (not
    communes or coverage, which are the province's); liaisons get 404."""
    access.staff(request)
    form = (
        StatementForm(request.POST, request.FILES) if request.method == "POST" else StatementForm()
    )
    context = {
        "form": form,
        "formats": [_format(key, label, COLUMNS[key]) for key, label in KINDS],
    }
    if form.is_valid():
        kind, file = form.cleaned_data["kind"], form.cleaned_data["file"]
        if file.size > settings.STATEMENT_BACKGROUND_BYTES:
            upload = background.queue_upload(kind, file, user=request.user)
            return redirect("import_status", upload.pk)
        context["kind"] = dict(KINDS)[kind]
        try:
            context["result"] = IMPORTERS[kind](file, user=request.user)
        except StatementRefused as refused:
            context["refused"] = refused
        audit.record_import(
            request.user,
            kind,
            form.cleaned_data["file"].name,
            context.get("result") or context["refused"],
        )
    return render(request, "arrears/import.html", context)


@require_GET
def import_status(request: HttpRequest, pk: int) -> HttpResponse:
    """A background import's progress (htmx polls the fragment), then its counts or every
    reason, as the upload page shows them. Only its uploader sees it."""
    access.staff(request)
    upload = access.get_for_user(StatementUpload, request.user, pk=pk)
    outcome = background.outcome(upload)
    context = {
        "upload": upload,
        "kind": dict(KINDS).get(upload.kind, upload.kind),
        "result": None if isinstance(outcome, StatementRefused) else outcome,
        "refused": outcome if isinstance(outcome, StatementRefused) else None,
    }
    if request.htmx:
        return render(request, "arrears/_import_status.html", context)
    return render(request, "arrears/import_status.html", context)


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@require_GET
def import_template(request: HttpRequest, statement: str) -> HttpResponse:
    """The XLSX template of one kind of statement file, for the office's staff."""
    access.staff(request)
    if statement not in COLUMNS:
        raise Http404
    response = HttpResponse(template_xlsx(statement), content_type=XLSX)
    response["Content-Disposition"] = content_disposition_header(True, f"mau-{statement}.xlsx")
    return response
