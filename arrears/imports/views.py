"""The statement upload page: employers, communes, contributions, payments, persons, coverage
or referrals, checked whole, then written."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

import audit
from accounts import access
from arrears.imports.contributions import CONTRIBUTIONS, import_contributions
from arrears.imports.forms import KINDS, StatementForm
from arrears.imports.payments import PAYMENTS, import_payments
from arrears.imports.referrals import REFERRALS, import_referrals
from desk.statements.results import ImportResult, Layout, StatementRefused
from participants.imports.communes import LAYOUT as COMMUNES
from participants.imports.communes import import_communes
from participants.imports.coverage import LAYOUT as COVERAGE
from participants.imports.coverage import import_coverage
from participants.imports.employers import LAYOUT as EMPLOYERS
from participants.imports.employers import import_employers
from participants.imports.persons import LAYOUT as PERSONS
from participants.imports.persons import import_persons

IMPORTERS: dict[str, Callable[..., ImportResult]] = {
    "employers": import_employers,
    "communes": import_communes,
    "contributions": import_contributions,
    "payments": import_payments,
    "persons": import_persons,
    "coverage": import_coverage,
    "referrals": import_referrals,
}
COLUMNS = {
    "employers": EMPLOYERS,
    "communes": COMMUNES,
    "contributions": CONTRIBUTIONS,
    "payments": PAYMENTS,
    "persons": PERSONS,
    "coverage": COVERAGE,
    "referrals": REFERRALS,
}
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
        kind = form.cleaned_data["kind"]
        context["kind"] = dict(KINDS)[kind]
        try:
            context["result"] = IMPORTERS[kind](form.cleaned_data["file"], user=request.user)
        except StatementRefused as refused:
            context["refused"] = refused
        audit.record_import(
            request.user,
            kind,
            form.cleaned_data["file"].name,
            context.get("result") or context["refused"],
        )
    return render(request, "arrears/import.html", context)
