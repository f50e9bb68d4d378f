"""The quick actions on a case: each posts one form (or presses one button) and turns it
into one service call; htmx swaps the case back in, or the form with the service's refusal.
The fine calculator answers on the same page."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_htmx.http import reswap, retarget

from accounts import access
from arrears import law
from arrears.cases import services
from arrears.cases.attachments import add_attachment
from arrears.cases.dossier import POLICE_DOSSIER
from arrears.cases.errors import CaseError
from arrears.cases.forms import (
    AnswerReferralForm,
    CommitmentForm,
    DossierFileForm,
    EventForm,
    FineForm,
    ForceMajeureForm,
    MoveStageForm,
    QuickForm,
    ReferralForm,
    SendReferralForm,
)
from arrears.cases.selectors import case_figures
from arrears.cases.views import case_for, detail_context, referral_for
from arrears.models import Policy, RecoveryCase, Stage
from participants.models import Employer


def _after(request: HttpRequest, case: RecoveryCase) -> HttpResponse:
    """The case page again: the body as an htmx partial, or a redirect without JavaScript."""
    if request.htmx:
        case = case_for(request, case.pk)  # what the action changed, read afresh
        response = render(
            request, "arrears/cases/detail.html#case-body", detail_context(request, case)
        )
        return reswap(retarget(response, "#case-body"), "outerHTML")
    return redirect("case_detail", case.pk)


def _submit(
    request: HttpRequest,
    case: RecoveryCase,
    form: QuickForm,
    perform: Callable[[dict[str, Any]], object],
    done: str,
) -> HttpResponse:
    """Run ``perform`` on the cleaned form; a service's refusal becomes a form error."""
    if form.is_valid():
        try:
            perform(form.cleaned_data)
        except CaseError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, done)
            return _after(request, case)
    if request.htmx:
        return render(request, "arrears/cases/_form.html", {"form": form})
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)
    return redirect("case_detail", case.pk)


def _press(
    request: HttpRequest, case: RecoveryCase, perform: Callable[[], object], done: str
) -> HttpResponse:
    """A button without a form (approve, decide): the refusal is a message on the page."""
    try:
        perform()
    except CaseError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, done)
    return _after(request, case)


@require_POST
def case_open(request: HttpRequest, unit_code: str) -> HttpResponse:
    """Open a case from the employer's page."""
    user = access.staff(request)
    employer = access.get_for_user(Employer, user, unit_code=unit_code)
    if not user.is_officer:  # a manager or a head names the case's officer
        return redirect("case_open_for", unit_code)
    try:
        case = services.open_case(employer=employer, by=request.user)
    except CaseError as exc:
        messages.error(request, str(exc))
        return redirect("employer_detail", unit_code)
    messages.success(request, _("Đã mở hồ sơ thu nợ."))
    return redirect("case_detail", case.pk)


@require_POST
def case_log_event(request: HttpRequest, pk: int) -> HttpResponse:
    case = case_for(request, pk)  # liaisons too: their agency's events
    form = EventForm(request.POST, request.FILES, user=request.user, action=request.path)
    return _submit(
        request,
        case,
        form,
        lambda d: services.log_event(
            case=case,
            kind=d["kind"],
            by=request.user,
            occurred_on=d["occurred_on"],
            text=d["text"],
            minutes=d["minutes"],
            penalty_amount=d["penalty_amount"],
            decision_number=d["decision_number"],
            follow_up_on=d["follow_up_on"],
            attachments=d["attachments"],
        ),
        _("Đã ghi diễn biến."),
    )


@require_POST
def case_move(request: HttpRequest, pk: int) -> HttpResponse:
    case = case_for(request, pk, staff=True)
    form = MoveStageForm(request.POST, case=case, user=request.user, action=request.path)
    return _submit(
        request,
        case,
        form,
        lambda d: services.move_stage(
            case=case, to=Stage(d["to"]), by=request.user, note=d["note"], on=d["on"]
        ),
        _("Đã chuyển bước hồ sơ."),
    )


@require_POST
def case_resolve(request: HttpRequest, pk: int) -> HttpResponse:
    """The banner's button when arrears are back to zero."""
    case = case_for(request, pk, staff=True)
    return _press(
        request,
        case,
        lambda: services.move_stage(
            case=case, to=Stage.RESOLVED, by=request.user, note=_("Đơn vị đã nộp đủ số nợ.")
        ),
        _("Hồ sơ đã kết thúc: đã thu hồi."),
    )


@require_POST
def case_approve_criminal(request: HttpRequest, pk: int) -> HttpResponse:
    case = case_for(request, pk, staff=True)
    return _press(
        request,
        case,
        lambda: services.approve_criminal_referral(case=case, by=request.user),
        _("Đã phê duyệt chuyển hồ sơ sang cơ quan công an."),
    )


@require_POST
def case_refer(request: HttpRequest, pk: int) -> HttpResponse:
    case = case_for(request, pk, staff=True)
    form = ReferralForm(request.POST, employer=case.employer, action=request.path)
    return _submit(
        request,
        case,
        form,
        lambda d: services.create_referral(
            case=case, agency=d["agency"], purpose=d["purpose"], by=request.user, note=d["note"]
        ),
        _("Đã tạo đề nghị chuyển cơ quan phối hợp (chưa gửi)."),
    )


@require_POST
def case_dossier_upload(request: HttpRequest, pk: int, referral_pk: int, item: str) -> HttpResponse:
    case = case_for(request, pk, staff=True)
    referral = referral_for(request, case, referral_pk)
    if item not in dict(POLICE_DOSSIER):
        raise Http404
    form = DossierFileForm(
        request.POST, request.FILES, action=request.path, html_id=f"dossier-{referral.pk}-{item}"
    )
    return _submit(
        request,
        case,
        form,
        lambda d: add_attachment(
            case=case, file=d["file"], by=request.user, referral=referral, dossier_item=item
        ),
        _("Đã tải lên: %(item)s.") % {"item": dict(POLICE_DOSSIER)[item]},
    )


@require_POST
def case_referral_approve(request: HttpRequest, pk: int, referral_pk: int) -> HttpResponse:
    case = case_for(request, pk, staff=True)
    referral = referral_for(request, case, referral_pk)
    return _press(
        request,
        case,
        lambda: services.approve_referral(referral=referral, by=request.user),
        _("Đã phê duyệt đề nghị chuyển hồ sơ."),
    )


@require_POST
def case_referral_send(request: HttpRequest, pk: int, referral_pk: int) -> HttpResponse:
    case = case_for(request, pk, staff=True)
    referral = referral_for(request, case, referral_pk)
    form = SendReferralForm(request.POST, action=request.path, html_id=f"send-{referral.pk}")
    return _submit(
        request,
        case,
        form,
        lambda d: services.send_referral(
            referral=referral, by=request.user, reference=d["reference"], sent_on=d["sent_on"]
        ),
        _("Đã gửi đề nghị đến %(agency)s.") % {"agency": referral.agency.name},
    )


@require_POST
def case_referral_answer(request: HttpRequest, pk: int, referral_pk: int) -> HttpResponse:
    case = case_for(request, pk)  # the agency's liaison, or staff recording a reply by letter
    referral = referral_for(request, case, referral_pk)
    form = AnswerReferralForm(request.POST, action=request.path, html_id=f"answer-{referral.pk}")
    return _submit(
        request,
        case,
        form,
        lambda d: services.answer_referral(
            referral=referral,
            by=request.user,
            status=d["status"],
            response=d["response"],
            outcome=d["outcome"],
            reason=d["reason"],
        ),
        _("Đã ghi phản hồi."),
    )


@require_POST
def case_commit(request: HttpRequest, pk: int) -> HttpResponse:
    case = case_for(request, pk, staff=True)
    form = CommitmentForm(request.POST, action=request.path)
    return _submit(
        request,
        case,
        form,
        lambda d: services.add_commitment(
            case=case,
            kind=d["kind"],
            signed_on=d["signed_on"],
            instalments=d["instalments"],
            by=request.user,
            note=d["note"],
        ),
        _("Đã ghi cam kết."),
    )


@require_POST
def case_claim(request: HttpRequest, pk: int) -> HttpResponse:
    case = case_for(request, pk, staff=True)
    form = ForceMajeureForm(request.POST, request.FILES, action=request.path)
    return _submit(
        request,
        case,
        form,
        lambda d: services.claim_force_majeure(
            employer=case.employer,
            case=case,
            by=request.user,
            first_period=d["first_period"],
            last_period=d["last_period"],
            reason=d["reason"],
            proof=d["proof"],
        ),
        _("Đã ghi đề nghị xác nhận bất khả kháng."),
    )


@require_POST
def case_claim_decide(request: HttpRequest, pk: int, claim_pk: int) -> HttpResponse:
    case = case_for(request, pk, staff=True)
    claim = get_object_or_404(case.claims, pk=claim_pk)
    accept = request.POST.get("decision") == "accept"
    return _press(
        request,
        case,
        lambda: services.decide_force_majeure(claim=claim, by=request.user, accept=accept),
        _("Đã chấp nhận đề nghị bất khả kháng.")
        if accept
        else _("Đã không chấp nhận đề nghị bất khả kháng."),
    )


def case_fines(request: HttpRequest, pk: int) -> HttpResponse:
    """The fine calculator: the Decree 12 ranges on an amount the user types."""
    case = case_for(request, pk)
    form = FineForm(request.GET or None, action=request.path)
    context: dict[str, Any] = {"case": case, "fine_form": form, "ranges": None}
    if form.is_valid():
        rules = Policy.current().fine_rules
        payable = form.cleaned_data["payable"]
        context["ranges"] = {v: law.fine_range(payable, v, rules) for v in law.Violation}
    else:
        context["figures"] = case_figures(case)
    template = "arrears/cases/_fines.html" if request.htmx else "arrears/cases/fines_page.html"
    return render(request, template, context)
