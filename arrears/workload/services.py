"""Every change of who works a case: assigning and reassigning (one case or many, with a
reason), an absent officer's hand-over and its return, and the stage moves queued for an
approval. Each change is an event on the case's timeline and an entry of the audit log; the
case's history (pghistory) shows the officer field change with who made it."""

from __future__ import annotations

from datetime import date

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from arrears.cases.assignment import officers_for
from arrears.cases.errors import CaseError
from arrears.cases.services import approval_needed, move_stage
from arrears.models import (
    LADDER,
    CaseEvent,
    Decision,
    EventKind,
    HandOver,
    RecoveryCase,
    Stage,
    StageRequest,
)
from arrears.templatetags.cases import person
from arrears.workload import selectors
from audit import record as audit
from audit.models import AuditEntry


def _today() -> date:
    return timezone.localdate()


def _give(
    case: RecoveryCase, officer: User, *, by: User | None, text: str, on: date, action: str
) -> None:
    """Move the case to ``officer``, with its event and audit entry."""
    before = case.officer
    case.officer = officer
    case.save(update_fields=["officer"])
    line = _("%(old)s → %(new)s: %(text)s") % {
        "old": person(before),
        "new": person(officer),
        "text": text,
    }
    CaseEvent.objects.create(
        case=case, kind=EventKind.ASSIGNMENT, occurred_on=on, author=by, text=line
    )
    audit(by, action, case, line, username="" if by else "he-thong")


def check_assignment(case: RecoveryCase, officer: User, by: User) -> None:
    """Refuse giving ``case`` to ``officer`` unless ``by`` approves for the employer's office
    and the officer may work its employer."""
    if not by.approves_for(case.employer.office_id):
        raise CaseError(_("Chỉ lãnh đạo BHXH cơ sở của đơn vị hoặc lãnh đạo tỉnh được giao hồ sơ."))
    if case.officer_id == officer.pk:
        raise CaseError(_("Hồ sơ đã do cán bộ này phụ trách."))
    if not case.is_open:
        raise CaseError(_("Hồ sơ đã kết thúc."))
    if not officers_for(case.employer).filter(pk=officer.pk).exists():
        raise CaseError(
            _("%(officer)s không phụ trách địa bàn của đơn vị %(code)s.")
            % {"officer": person(officer), "code": case.employer.unit_code}
        )


@transaction.atomic
def assign(
    *, case: RecoveryCase, officer: User, by: User, reason: str, on: date | None = None
) -> None:
    """Give one case to another officer, with the reason."""
    if not reason.strip():
        raise CaseError(_("Cần ghi rõ lý do giao lại hồ sơ."))
    case = (
        RecoveryCase.objects.select_for_update(of=("self",))
        .select_related("employer", "officer")
        .get(pk=case.pk)
    )
    check_assignment(case, officer, by)
    _give(
        case,
        officer,
        by=by,
        text=reason.strip(),
        on=on or _today(),
        action=AuditEntry.Action.CASE_ASSIGNED,
    )


# --------------------------------------------------------------------------------------------
# Hand-over while an officer is away


@transaction.atomic
def hand_over(
    *,
    absent: User,
    substitute: User,
    starts_on: date,
    ends_on: date,
    reason: str,
    by: User,
    today: date | None = None,
) -> HandOver:
    """Record an absence; the cases move now if it has started, else on its first day."""
    today = today or _today()
    allowed = selectors.assignable(by)
    if not allowed.filter(pk=absent.pk).exists() or not allowed.filter(pk=substitute.pk).exists():
        raise CaseError(_("Chỉ bàn giao giữa các cán bộ thu của đơn vị mình."))
    if absent.pk == substitute.pk:
        raise CaseError(_("Cán bộ nhận phải khác cán bộ vắng."))
    if not substitute.offices.filter(pk__in=absent.offices.values("pk")).exists():
        raise CaseError(
            _("%(substitute)s không phụ trách BHXH cơ sở nào của %(absent)s.")
            % {"substitute": person(substitute), "absent": person(absent)}
        )
    if starts_on > ends_on:
        raise CaseError(_("Ngày bắt đầu phải trước hoặc bằng ngày kết thúc."))
    if ends_on < today:
        raise CaseError(_("Thời gian vắng đã qua."))
    if HandOver.objects.filter(
        absent=absent, starts_on__lte=ends_on, ends_on__gte=starts_on, returned_at__isnull=True
    ).exists():
        raise CaseError(_("Cán bộ này đã có bàn giao trùng thời gian."))
    handover = HandOver.objects.create(
        absent=absent,
        substitute=substitute,
        starts_on=starts_on,
        ends_on=ends_on,
        reason=reason.strip(),
        created_by=by,
    )
    audit(by, AuditEntry.Action.HAND_OVER, handover, reason.strip())
    if starts_on <= today:
        _start(handover, by=by, on=today)
    return handover


def _start(handover: HandOver, *, by: User | None, on: date) -> int:
    """Move the absent officer's open cases the substitute may work; keep which."""
    text = _("Bàn giao khi vắng từ %(start)s đến %(end)s: %(reason)s") % {
        "start": f"{handover.starts_on:%d/%m/%Y}",
        "end": f"{handover.ends_on:%d/%m/%Y}",
        "reason": handover.reason,
    }
    moved = []
    for case in (
        RecoveryCase.objects.select_for_update(of=("self",))
        .filter(officer=handover.absent, stage__in=LADDER)
        .select_related("employer", "officer")
        .order_by("pk")
    ):
        if officers_for(case.employer).filter(pk=handover.substitute_id).exists():
            _give(
                case,
                handover.substitute,
                by=by,
                text=text,
                on=on,
                action=AuditEntry.Action.HAND_OVER,
            )
            moved.append(case)
    handover.cases.add(*moved)
    handover.started_at = timezone.now()
    handover.save(update_fields=["started_at"])
    return len(moved)


def _return(handover: HandOver, *, on: date) -> int:
    """Give back the cases the substitute still holds (not one reassigned meanwhile)."""
    text = _("Hết thời gian vắng (đến %(end)s): trả lại hồ sơ.") % {
        "end": f"{handover.ends_on:%d/%m/%Y}"
    }
    back = 0
    for case in (
        handover.cases.select_for_update(of=("self",))
        .filter(officer=handover.substitute_id, stage__in=LADDER)
        .select_related("employer", "officer")
        .order_by("pk")
    ):
        _give(case, handover.absent, by=None, text=text, on=on, action=AuditEntry.Action.HAND_OVER)
        back += 1
    handover.returned_at = timezone.now()
    handover.save(update_fields=["returned_at"])
    return back


def apply_hand_overs(on: date | None = None) -> dict[str, int]:
    """The daily job: start the hand-overs whose first day has come, give back the cases of
    those that ended before ``on``. Safe to repeat."""
    on = on or _today()
    started = returned = 0
    for handover in HandOver.objects.filter(
        started_at__isnull=True, starts_on__lte=on, ends_on__gte=on
    ).select_related("absent", "substitute"):
        with transaction.atomic():
            started += _start(handover, by=None, on=on)
    for handover in HandOver.objects.filter(
        started_at__isnull=False, returned_at__isnull=True, ends_on__lt=on
    ).select_related("absent", "substitute"):
        with transaction.atomic():
            returned += _return(handover, on=on)
    return {"handed_over": started, "returned": returned}


# --------------------------------------------------------------------------------------------
# Stage moves waiting for an approval


@transaction.atomic
def request_stage(*, case: RecoveryCase, to: Stage | str, by: User, note: str) -> StageRequest:
    """Queue a move the ladder lets only an approver make, for the head or a manager."""
    to = Stage(to)
    if not note.strip():
        raise CaseError(_("Cần ghi rõ lý do chuyển bước."))
    if approval_needed(case, to) is None:
        raise CaseError(_("Bước này không cần lãnh đạo duyệt."))
    try:
        with transaction.atomic():
            request = StageRequest.objects.create(
                case=case, to_stage=to, note=note.strip(), requested_by=by
            )
    except IntegrityError as exc:
        raise CaseError(_("Hồ sơ đã có một đề nghị chuyển bước đang chờ duyệt.")) from exc
    line = _("Đề nghị chuyển sang bước %(stage)s, chờ lãnh đạo duyệt: %(note)s") % {
        "stage": to.label,
        "note": note.strip(),
    }
    audit(by, AuditEntry.Action.STAGE_REQUEST, case, line)
    CaseEvent.objects.create(
        case=case, kind=EventKind.NOTE, occurred_on=_today(), author=by, text=line
    )
    return request


@transaction.atomic
def decide_stage_request(*, request: StageRequest, by: User, accept: bool) -> None:
    request = (
        StageRequest.objects.select_for_update(of=("self",))
        .select_related("case__employer")
        .get(pk=request.pk)
    )
    if request.decision != Decision.PENDING:
        raise CaseError(_("Đề nghị này đã được quyết định."))
    if not by.approves_for(request.case.employer.office_id):
        raise CaseError(_("Chỉ lãnh đạo được duyệt đề nghị chuyển bước."))
    if accept:
        move_stage(case=request.case, to=Stage(request.to_stage), by=by, note=request.note)
    request.decision = Decision.ACCEPTED if accept else Decision.REJECTED
    request.decided_by = by
    request.decided_at = timezone.now()
    request.save(update_fields=["decision", "decided_by", "decided_at"])
    if not accept:
        audit(
            by,
            AuditEntry.Action.STAGE_REQUEST,
            request.case,
            _("Không duyệt chuyển sang bước %(stage)s.")
            % {"stage": request.get_to_stage_display()},
        )
