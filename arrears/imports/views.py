"""The statement upload page: employers, contributions or payments, checked whole, then written."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

import audit
from accounts import access
from arrears.imports.contributions import CONTRIBUTIONS, import_contributions
from arrears.imports.forms import KINDS, StatementForm
from arrears.imports.payments import PAYMENTS, import_payments
from arrears.imports.referrals import REFERRALS, import_referrals
from desk.statements.results import ImportResult, StatementRefused
from participants.imports.coverage import LAYOUT as COVERAGE
from participants.imports.coverage import import_coverage
from participants.imports.employers import LAYOUT as EMPLOYERS
from participants.imports.employers import import_employers
from participants.imports.persons import LAYOUT as PERSONS
from participants.imports.persons import import_persons

IMPORTERS: dict[str, Callable[..., ImportResult]] = {
    "employers": import_employers,
    "contributions": import_contributions,
    "payments": import_payments,
    "persons": import_persons,
    "coverage": import_coverage,
    "referrals": import_referrals,
}
COLUMNS = {
    "employers": EMPLOYERS,
    "contributions": CONTRIBUTIONS,
    "payments": PAYMENTS,
    "persons": PERSONS,
    "coverage": COVERAGE,
    "referrals": REFERRALS,
}


@require_http_methods(["GET", "POST"])
def import_statement(request: HttpRequest) -> HttpResponse:
    """Managers import anything; officers rows of their own offices; liaisons get 404."""
    access.staff(request)
    form = (
        StatementForm(request.POST, request.FILES) if request.method == "POST" else StatementForm()
    )
    context = {"form": form, "formats": [(label, COLUMNS[key].columns) for key, label in KINDS]}
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
