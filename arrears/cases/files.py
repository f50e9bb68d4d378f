"""What a case hands out as files: its attachments and force-majeure proofs, to those who
see the case, and its letters as PDF with the employer's figures on a date."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import access
from arrears.cases import services
from arrears.cases.attachments import ATTACHMENT_TYPES
from arrears.cases.selectors import DOCUMENT_KINDS, case_letter
from arrears.cases.views import case_for, referral_for
from arrears.documents import letters as documents
from arrears.models import DocumentTemplate, EventKind, IssuedDocument
from arrears.register.services import Draft, issue_letter
from arrears.register.views import issued_file
from desk.forms import DayField

_DAY = DayField(required=False, input_formats=["%Y-%m-%d", "%d/%m/%Y"])


def _on(request: HttpRequest) -> date:
    """``?on=`` as YYYY-MM-DD or dd/mm/yyyy, else today."""
    try:
        return _DAY.clean(request.GET.get("on")) or timezone.localdate()
    except ValidationError:
        return timezone.localdate()


def case_attachment(request: HttpRequest, pk: int, attachment_pk: int) -> FileResponse:
    """A file of the case, to those who see the case (a liaison: not another agency's
    dossier)."""
    case = case_for(request, pk)
    attachment = access.get_for_user(case.attachments.all(), request.user, pk=attachment_pk)
    return FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )


def case_claim_proof(request: HttpRequest, pk: int, claim_pk: int) -> FileResponse:
    case = case_for(request, pk)
    claim = get_object_or_404(case.claims, pk=claim_pk)
    extension = claim.proof.name.rsplit(".", 1)[-1].lower() if "." in claim.proof.name else ""
    content_type = ATTACHMENT_TYPES.get(f".{extension}", (b"", None))[1]
    return FileResponse(
        claim.proof.open("rb"),
        as_attachment=True,
        filename=f"bat-kha-khang-{claim.pk}.{extension}",
        content_type=content_type or "application/octet-stream",
    )


def _pdf(letter: documents.Letter, name: str) -> HttpResponse:
    response = HttpResponse(documents.letter_pdf(letter), content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(True, f"{name}.pdf")
    return response


def case_document(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    """The reminder notice or the session invitation, with the figures of ``?on=`` (today)."""
    case = case_for(request, pk, staff=True)
    if kind not in DOCUMENT_KINDS:
        raise Http404
    on = _on(request)
    letter = case_letter(case, kind, on=on)
    return _pdf(letter, f"{kind}-{case.employer.unit_code}-{on:%Y%m%d}")


@require_POST
def case_issue_document(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    """Issue the reminder notice or the session invitation with today's figures: numbered in
    the register and kept; the kept PDF is the answer."""
    user = access.staff(request)
    case = case_for(request, pk, staff=True)
    if kind not in DOCUMENT_KINDS:
        raise Http404
    letter = case_letter(case, kind, on=timezone.localdate())
    with transaction.atomic():
        issued = issue_letter(Draft(letter, case.employer, case=case), by=user)
        # On the timeline too, as a letter printed in bulk is.
        services.log_event(
            case=case,
            kind=EventKind.LETTER,
            by=user,
            text=_("Ban hành %(title)s số %(code)s")
            % {"title": issued.get_kind_display(), "code": issued.code},
        )
    return redirect("register_file", issued.pk)


@require_POST
def case_issue_minutes(request: HttpRequest, pk: int, event_pk: int) -> HttpResponse:
    """Issue the minutes of a working session recorded on the case (once: issued again, the
    kept PDF), with the employer's figures on the session's day."""
    user = access.staff(request)
    case = case_for(request, pk, staff=True)
    event = access.get_for_user(
        case.events.exclude(minutes="").select_related("issued_document"), user, pk=event_pk
    )
    issued = IssuedDocument.objects.filter(event=event).first()
    if issued is None:
        letter = case_letter(case, DocumentTemplate.Kind.MINUTES, on=event.occurred_on, event=event)
        issued = issue_letter(Draft(letter, case.employer, case=case, event=event), by=user)
    return redirect("register_file", issued.pk)


def case_referral_letter(request: HttpRequest, pk: int, referral_pk: int) -> HttpResponse:
    """The letter of a referral to its agency (its liaison may read it too): as issued when
    the register numbered it, else composed with the figures of its date."""
    case = case_for(request, pk)
    referral = referral_for(request, case, referral_pk)
    issued = IssuedDocument.objects.filter(referral=referral).first()
    if issued is not None and "on" not in request.GET:
        return issued_file(issued)
    on = _on(request) if "on" in request.GET else (referral.sent_on or timezone.localdate())
    letter = case_letter(case, DocumentTemplate.Kind.REFERRAL_LETTER, on=on, referral=referral)
    return _pdf(letter, f"referral-{case.employer.unit_code}-{referral.agency.code}-{on:%Y%m%d}")
