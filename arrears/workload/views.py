"""Pages of who works the cases: reassigning a case, opening one for a named officer, the
hand-overs of absent officers, the stage moves waiting for approval, and the bulk actions of
the case and employer lists (their confirmation page, then the work).

Reassigning, opening for an officer, hand-overs and approvals are for managers and heads of
offices (``access.approver``); the bulk actions for the office's staff, on what they see."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import access
from arrears.cases import services as cases
from arrears.cases.errors import CaseError
from arrears.models import RecoveryCase
from arrears.workload import bulk, selectors, services
from arrears.workload.forms import AssignForm, BulkForm, HandOverForm, OpenCaseForm
from participants.models import Employer

SOURCES = {"cases": "case_list", "employers": "employer_list"}
SHOWN_ROWS = 50  # rows of a plan listed on its confirmation page


def case_assign(request: HttpRequest, pk: int) -> HttpResponse:
    """Give one case to another officer, with a reason."""
    user = access.approver(request)
    case = access.get_for_user(
        RecoveryCase.objects.select_related("employer__office", "officer"), user, pk=pk
    )
    form = AssignForm(request.POST or None, employer=case.employer)
    if request.method == "POST" and form.is_valid():
        try:
            services.assign(
                case=case,
                officer=form.cleaned_data["officer"],
                by=user,
                reason=form.cleaned_data["reason"],
            )
        except CaseError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Đã giao lại hồ sơ."))
            return redirect("case_detail", case.pk)
    return render(request, "arrears/workload/assign.html", {"case": case, "form": form})


def case_open_for(request: HttpRequest, unit_code: str) -> HttpResponse:
    """A manager or a head opens a case and names its officer."""
    user = access.approver(request)
    employer = access.get_for_user(Employer, user, unit_code=unit_code)
    form = OpenCaseForm(request.POST or None, employer=employer)
    if request.method == "POST" and form.is_valid():
        try:
            case = cases.open_case(
                employer=employer,
                by=user,
                officer=form.cleaned_data["officer"],
                note=form.cleaned_data["note"],
            )
        except CaseError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Đã mở hồ sơ thu nợ."))
            return redirect("case_detail", case.pk)
    return render(request, "arrears/workload/open.html", {"employer": employer, "form": form})


def hand_overs(request: HttpRequest) -> HttpResponse:
    user = access.approver(request)
    form = HandOverForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        try:
            handover = services.hand_over(by=user, **form.cleaned_data)
        except CaseError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request,
                _("Đã ghi bàn giao; %(n)s hồ sơ đã chuyển.") % {"n": handover.cases.count()}
                if handover.started_at
                else _("Đã ghi bàn giao; hồ sơ sẽ chuyển vào ngày bắt đầu."),
            )
            return redirect("hand_overs")
    page = Paginator(selectors.hand_overs(user), 30).get_page(request.GET.get("page"))
    return render(
        request,
        "arrears/workload/hand_overs.html",
        {"form": form, "page": page, "today": timezone.localdate()},
    )


def stage_requests(request: HttpRequest) -> HttpResponse:
    user = access.approver(request)
    page = Paginator(selectors.pending_requests(user), 50).get_page(request.GET.get("page"))
    return render(request, "arrears/workload/stage_requests.html", {"page": page})


@require_POST
def stage_request_decide(request: HttpRequest, pk: int) -> HttpResponse:
    user = access.approver(request)
    waiting = get_object_or_404(selectors.pending_requests(user), pk=pk)
    try:
        services.decide_stage_request(
            request=waiting, by=user, accept=request.POST.get("accept") == "1"
        )
    except CaseError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Đã ghi quyết định."))
    return redirect("stage_requests")


@require_POST
def bulk_action(request: HttpRequest, source: str) -> HttpResponse:
    """The confirmation page of a bulk action (what it will do, to how many), then, posted
    again with ``confirm``, the work."""
    user = access.staff(request)
    if source not in SOURCES:
        raise Http404
    raw_ids = request.POST.getlist("ids")
    form = BulkForm(request.POST, user=user)
    if not raw_ids:
        messages.error(request, _("Chưa chọn dòng nào."))
        return redirect(SOURCES[source])
    if not form.is_valid():
        if "action" in form.errors:
            messages.error(request, _("Chưa chọn thao tác."))
            return redirect(SOURCES[source])
        if "step" not in request.POST:  # arriving from the list: ask, not yet complain
            form.errors.clear()
        return _confirm_page(request, source, form, raw_ids, None)
    params = {**form.cleaned_data, "officer": form.cleaned_data.get("officer")}
    action = form.cleaned_data["action"]
    if source == "cases" and action == "open":
        raise Http404
    plan = bulk.plan(user=user, source=source, action=action, raw_ids=raw_ids, params=params)
    if request.POST.get("confirm") != "1":
        return _confirm_page(request, source, form, raw_ids, plan)
    outcome = bulk.perform(user=user, plan=plan, params=params)
    if outcome.pdf is not None:
        response = HttpResponse(outcome.pdf, content_type="application/pdf")
        name = f"van-ban-{form.cleaned_data['kind']}-{timezone.localdate():%Y%m%d}.pdf"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
    messages.success(
        request,
        _("%(action)s: đã làm %(done)s, chờ duyệt %(queued)s, không làm được %(refused)s.")
        % {
            "action": bulk.ACTIONS[action],
            "done": outcome.done,
            "queued": outcome.queued,
            "refused": len(outcome.refused),
        },
    )
    for code, why in outcome.refused[:SHOWN_ROWS]:
        messages.warning(request, f"{code}: {why}")
    return redirect(SOURCES[source])


def _confirm_page(
    request: HttpRequest, source: str, form: BulkForm, raw_ids: list[str], plan: bulk.Plan | None
) -> HttpResponse:
    return render(
        request,
        "arrears/workload/bulk_confirm.html",
        {
            "source": source,
            "form": form,
            "ids": raw_ids,
            "plan": plan,
            "label": bulk.ACTIONS.get(request.POST.get("action", ""), ""),
            "shown": SHOWN_ROWS,
        },
    )
