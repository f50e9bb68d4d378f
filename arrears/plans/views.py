from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

import audit
from accounts import access
from arrears.models import CollectionPlan
from arrears.plans.forms import PlanFileForm, PlanForm
from arrears.plans.imports import import_collection_plan
from arrears.plans.services import save_plan
from desk.statements.results import StatementRefused


def plans(request: HttpRequest) -> HttpResponse:
    """The offices' collection plans of a year (``?nam=2026``), typed or imported by
    managers."""
    user = access.manager(request)
    year = timezone.localdate().year
    if request.GET.get("nam", "").isdigit():
        year = int(request.GET["nam"])
    form, upload, reasons = PlanForm(initial={"year": year}), PlanFileForm(), []
    if request.method == "POST" and "file" in request.FILES:
        upload = PlanFileForm(request.POST, request.FILES)
        if upload.is_valid():
            file = upload.cleaned_data["file"]
            try:
                result = import_collection_plan(file, user=user)
            except StatementRefused as refused:
                audit.record_import(user, "kế hoạch thu", file.name, refused)
                reasons = refused.lines()
            else:
                audit.record_import(user, "kế hoạch thu", file.name, result)
                messages.success(request, result.summary())
                return redirect(request.get_full_path())
    elif request.method == "POST":
        form = PlanForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            save_plan(
                office=data["office"],
                year=data["year"],
                amount=data["amount"],
                months=form.months(),
                by=user,
            )
            messages.success(request, _("Đã lưu kế hoạch thu."))
            return redirect(f"{request.path}?nam={data['year']}")
    rows: dict[str, dict[int | None, int]] = {}
    for plan in CollectionPlan.objects.filter(year=year).select_related("office"):
        rows.setdefault(plan.office.name, {})[plan.month] = plan.amount
    table = [
        (office, figures.get(None), [figures.get(m) for m in range(1, 13)])
        for office, figures in sorted(rows.items())
    ]
    context = {
        "year": year,
        "table": table,
        "months": range(1, 13),
        "form": form,
        "upload": upload,
        "reasons": reasons,
    }
    return render(request, "arrears/plans.html", context)
