"""The register of issued documents (staff, scoped): what was issued, filtered by office,
year and kind; each document's PDF as it was issued."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import render

from accounts import access
from arrears.models import IssuedDocument
from arrears.register.forms import RegisterFilterForm

DOCUMENTS_PER_PAGE = 50


def document_register(request: HttpRequest) -> HttpResponse:
    user = access.staff(request)
    documents = access.scoped(IssuedDocument, user)
    form = RegisterFilterForm(request.GET, documents=documents)
    found = form.apply(documents).select_related("office", "employer", "issued_by")
    page = Paginator(found.order_by("-issued_on", "-year", "-number", "-id"), DOCUMENTS_PER_PAGE)
    return render(
        request,
        "arrears/register/list.html",
        {"form": form, "page": page.get_page(request.GET.get("page"))},
    )


def issued_file(document: IssuedDocument) -> FileResponse:
    """The stored PDF, byte for byte as issued."""
    name = document.code.replace("/", "-")
    return FileResponse(
        document.file.open("rb"),
        as_attachment=True,
        filename=f"{name}-{document.year}.pdf",
        content_type="application/pdf",
    )


def register_file(request: HttpRequest, pk: int) -> FileResponse:
    user = access.staff(request)
    return issued_file(access.get_for_user(IssuedDocument, user, pk=pk))
