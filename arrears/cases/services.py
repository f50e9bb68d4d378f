"""Every state change of recovery work: open a case, log an event, move it up (or back) the
ladder, refer it to an agency, record commitments and force-majeure claims.

Views, tasks and commands call these; the reads are in ``selectors.py``, attachments in
``attachments.py``, and the rules they apply in ``ledger.py`` and ``law.py``. Each raises
``CaseError`` (``errors.py``) with a message for the user when a rule says no.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date
from pathlib import PurePath

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Agency, User
from arrears import law, ledger
from arrears.cases.assignment import Spread
from arrears.cases.attachments import add_attachment, check_attachment
from arrears.cases.dossier import dossier_missing
from arrears.cases.errors import CaseError
from arrears.cases.selectors import case_letter, employer_balance, employer_employees
from arrears.models import (
    ENDINGS,
    LADDER,
    CaseEvent,
    Commitment,
    CommitmentKind,
    Decision,
    DocumentTemplate,
    EventKind,
    ForceMajeureClaim,
    Instalment,
    RecoveryCase,
    Referral,
    ReferralNotice,
    ReferralPurpose,
    ReferralStatus,
    Stage,
)
from arrears.partners import services as partners
from arrears.register.services import Draft, issue_letter
from arrears.selectors import employer_ledger
from audit import record as audit
from audit.models import AuditEntry
from desk.text import grouped
from participants.models import Employer


def _today() -> date:
    return timezone.localdate()


@transaction.atomic
def open_case(
    *,
    employer: Employer,
    by: User | None,
    officer: User | None = None,
    on: date | None = None,
    note: str = "",
    arrears: int | None = None,
    spread: Spread | None = None,
) -> RecoveryCase:
    """Open a case at DETECTED with a note. ``arrears``, the employer's arrears on ``on``
    when the caller has them already (the weekly job, from the set-based balances), spares
    computing them again from the ledger. Its officer: ``officer``, else the officer opening
    it, else one of the employer's officers by workload (``spread``, the caller's spread of
    many cases, else a new ``assignment.Spread``)."""
    on = on or _today()
    if arrears is None:
        arrears = employer_balance(employer, on).arrears
    if officer is None:
        if by and by.is_officer:
            officer = by
        else:
            officer = (spread or Spread(on=on)).of(employer, arrears=arrears)
    try:
        with transaction.atomic():
            case = RecoveryCase.objects.create(
                employer=employer,
                officer=officer,
                stage=Stage.DETECTED,
                opened_on=on,
                arrears_at_opening=arrears,
            )
    except IntegrityError as exc:
        raise CaseError(_("Đơn vị này đã có hồ sơ đang mở.")) from exc
    CaseEvent.objects.create(
        case=case,
        kind=EventKind.NOTE,
        occurred_on=on,
        author=by,
        text=note or _("Mở hồ sơ thu nợ."),
    )
    return case


def open_cases_together(
    openings: Sequence[tuple[Employer, int, str]], *, on: date, spread: Spread
) -> list[RecoveryCase]:
    """``open_case`` by no one for each (employer, arrears, note), officers by ``spread`` in
    that order, in two statements for them all (the weekly job opens thousands): all or
    none. CaseError, ``spread`` left as it was, when one of them has an open case by now."""
    before = dict(spread.loads)
    cases = [
        RecoveryCase(
            employer=employer,
            officer=spread.of(employer, arrears=arrears),
            stage=Stage.DETECTED,
            opened_on=on,
            arrears_at_opening=arrears,
        )
        for employer, arrears, _note in openings
    ]
    try:
        with transaction.atomic():
            RecoveryCase.objects.bulk_create(cases)
            CaseEvent.objects.bulk_create(
                CaseEvent(case=case, kind=EventKind.NOTE, occurred_on=on, text=note)
                for case, (_employer, _arrears, note) in zip(cases, openings, strict=True)
            )
    except IntegrityError as exc:
        spread.loads = before
        raise CaseError(_("Đơn vị này đã có hồ sơ đang mở.")) from exc
    return cases


def _ladder_index(stage: str) -> int:
    return LADDER.index(Stage(stage))


def approval_needed(case: RecoveryCase, to: Stage) -> str | None:
    """Why moving ``case`` to ``to`` needs the approval of the head of the employer's office
    or a manager (reopening it, moving it back, sending it to the police unapproved), else
    None."""
    if not case.is_open:
        return _("Chỉ lãnh đạo được mở lại hồ sơ đã kết thúc.")
    if to in LADDER and _ladder_index(to) < _ladder_index(case.stage):
        return _("Chỉ lãnh đạo được chuyển hồ sơ về bước trước.")
    if to == Stage.CRIMINAL_REFERRAL and case.criminal_referral_approved_by_id is None:
        return _("Chuyển hồ sơ sang cơ quan công an cần lãnh đạo phê duyệt.")
    return None


@transaction.atomic
def move_stage(
    *, case: RecoveryCase, to: Stage, by: User, note: str, on: date | None = None
) -> CaseEvent:
    """Officers move a case forward with a note. Only those who approve for the employer's
    office (its head, a manager) move it back, reopen an ended case, or send it to the police
    without a prior approval."""
    on = on or _today()
    to = Stage(to)
    case = RecoveryCase.objects.select_for_update().select_related("employer").get(pk=case.pk)
    approves = by.approves_for(case.employer.office_id)
    if not note.strip():
        raise CaseError(_("Cần ghi rõ lý do chuyển bước."))
    if to == case.stage:
        raise CaseError(_("Hồ sơ đã ở bước này."))
    if by.is_liaison:
        raise CaseError(_("Cán bộ cơ quan phối hợp không chuyển bước hồ sơ."))
    if not approves and (needed := approval_needed(case, to)):
        raise CaseError(needed)
    if not case.is_open and to in ENDINGS:
        raise CaseError(_("Hồ sơ đã kết thúc; hãy mở lại về một bước trước."))
    if to == Stage.CRIMINAL_REFERRAL and case.criminal_referral_approved_by_id is None:
        case.criminal_referral_approved_by = by
    if to == Stage.RESOLVED and employer_balance(case.employer, on).arrears > 0:
        raise CaseError(_("Đơn vị vẫn còn nợ; chỉ kết thúc 'đã thu hồi' khi số nợ bằng 0."))
    if to == Stage.HARD_TO_COLLECT and not case.employer.is_hard_to_collect:
        raise CaseError(
            _(
                "Chỉ xếp nợ khó thu khi đơn vị tạm ngừng, chờ giải thể, giải thể, "
                "phá sản hoặc chủ bỏ trốn."
            )
        )
    from_stage = case.stage
    case.stage = to
    case.closed_on = on if to in ENDINGS else None
    if to in ENDINGS:
        case.outcome = note
    try:
        with transaction.atomic():
            case.save(
                update_fields=["stage", "closed_on", "outcome", "criminal_referral_approved_by"]
            )
    except IntegrityError as exc:
        raise CaseError(_("Đơn vị đã có một hồ sơ khác đang mở.")) from exc
    audit(by, AuditEntry.Action.STAGE_MOVE, case, f"{Stage(from_stage).label} → {to.label}: {note}")
    return CaseEvent.objects.create(
        case=case,
        kind=EventKind.STAGE_MOVE,
        occurred_on=on,
        author=by,
        text=note,
        from_stage=from_stage,
        to_stage=to,
    )


@transaction.atomic
def approve_criminal_referral(*, case: RecoveryCase, by: User, on: date | None = None) -> None:
    """The head of the employer's office, or a manager, approves sending the case to the
    police."""
    if not by.approves_for(case.employer.office_id):
        raise CaseError(_("Chỉ lãnh đạo được phê duyệt chuyển hồ sơ sang công an."))
    case.criminal_referral_approved_by = by
    case.save(update_fields=["criminal_referral_approved_by"])
    audit(by, AuditEntry.Action.CRIMINAL_APPROVAL, case)
    CaseEvent.objects.create(
        case=case,
        kind=EventKind.NOTE,
        occurred_on=on or _today(),
        author=by,
        text=_("Lãnh đạo phê duyệt chuyển hồ sơ sang cơ quan công an."),
    )


# What a liaison may log on a case referred to their agency.
LIAISON_EVENT_KINDS = (
    EventKind.CALL,
    EventKind.VISIT,
    EventKind.WORKING_SESSION,
    EventKind.INSPECTION,
    EventKind.PENALTY_DECISION,
    EventKind.NOTE,
)
# Kinds that only the services write (the ledger, stage moves, referrals, commitments).
SYSTEM_EVENT_KINDS = (
    EventKind.STAGE_MOVE,
    EventKind.PAYMENT,
    EventKind.REFERRAL,
    EventKind.REFERRAL_ANSWER,
    EventKind.COMMITMENT,
)


@transaction.atomic
def log_event(
    *,
    case: RecoveryCase,
    kind: EventKind | str,
    by: User,
    occurred_on: date | None = None,
    text: str = "",
    minutes: str = "",
    penalty_amount: int | None = None,
    decision_number: str = "",
    follow_up_on: date | None = None,
    attachments: Sequence[UploadedFile] = (),
) -> CaseEvent:
    kind = EventKind(kind)
    if kind in SYSTEM_EVENT_KINDS:
        raise CaseError(_("Loại diễn biến này do hệ thống ghi."))
    if by.is_liaison and kind not in LIAISON_EVENT_KINDS:
        raise CaseError(_("Cơ quan phối hợp không ghi được loại diễn biến này."))
    if kind == EventKind.PENALTY_DECISION and (not penalty_amount or not decision_number):
        raise CaseError(_("Quyết định xử phạt cần số quyết định và số tiền phạt."))
    event = CaseEvent.objects.create(
        case=case,
        kind=kind,
        occurred_on=occurred_on or _today(),
        author=by,
        agency=by.agency if by.is_liaison else None,
        text=text,
        minutes=minutes,
        penalty_amount=penalty_amount,
        decision_number=decision_number,
        follow_up_on=follow_up_on,
    )
    if follow_up_on is not None:
        case.follow_up_on = follow_up_on
        case.save(update_fields=["follow_up_on"])
    for file in attachments:
        add_attachment(case=case, file=file, by=by, event=event)
    return event


@transaction.atomic
def create_referral(
    *,
    case: RecoveryCase,
    agency: Agency,
    purpose: ReferralPurpose | str,
    by: User,
    note: str = "",
) -> Referral:
    if by.is_liaison:
        raise CaseError(_("Cán bộ cơ quan phối hợp không tạo đề nghị chuyển hồ sơ."))
    referral = Referral.objects.create(
        case=case, agency=agency, purpose=ReferralPurpose(purpose), note=note, created_by=by
    )
    audit(by, AuditEntry.Action.REFERRAL_CREATED, referral, f"{case} {note}".strip())
    return referral


@transaction.atomic
def approve_referral(*, referral: Referral, by: User) -> None:
    """The head of the employer's office, or a manager, approves a police dossier."""
    if not by.approves_for(referral.case.employer.office_id):
        raise CaseError(_("Chỉ lãnh đạo được phê duyệt đề nghị chuyển hồ sơ."))
    referral.approved_by = by
    referral.approved_at = timezone.now()
    referral.save(update_fields=["approved_by", "approved_at"])
    audit(by, AuditEntry.Action.REFERRAL_APPROVED, referral)


def _fix_at_referral(referral: Referral, sent_on: date) -> None:
    """Rule 8: the arrears at the referral date, fixed once when sent."""
    employer = referral.case.employer
    referral.arrears_at_referral = employer_balance(employer, sent_on).arrears
    referral.employees_at_referral = employer_employees(employer)


@transaction.atomic
def send_referral(
    *, referral: Referral, by: User, reference: str = "", sent_on: date | None = None
) -> Referral:
    """Send a referral: a reference written by hand, or (none given) its letter numbered in
    the register and kept as sent; the arrears fixed, the deadline set, the liaisons told."""
    referral = (
        Referral.objects.select_for_update().select_related("agency", "case").get(pk=referral.pk)
    )
    if referral.status != ReferralStatus.DRAFT:
        raise CaseError(_("Đề nghị này đã được gửi."))
    if referral.agency.kind == Agency.Kind.POLICE:
        missing = dossier_missing(referral)
        if missing:
            raise CaseError(
                _("Hồ sơ chuyển công an còn thiếu: %(items)s.")
                % {"items": "; ".join(str(label) for _item, label in missing)}
            )
        if referral.approved_by_id is None:
            raise CaseError(_("Hồ sơ chuyển công an cần lãnh đạo phê duyệt trước khi gửi."))
    sent_on = sent_on or _today()
    _fix_at_referral(referral, sent_on)
    referral.reference = reference.strip()
    referral.sent_on = sent_on
    referral.status = ReferralStatus.SENT
    partners.fix_deadline(referral)
    try:
        with transaction.atomic():
            referral.save()
    except IntegrityError as exc:
        raise CaseError(_("Số văn bản %(ref)s đã được dùng.") % {"ref": reference}) from exc
    if not referral.reference:
        # The letter takes the register's next number and is kept as sent.
        letter = case_letter(
            referral.case, DocumentTemplate.Kind.REFERRAL_LETTER, on=sent_on, referral=referral
        )
        issue_letter(
            Draft(letter, referral.case.employer, case=referral.case, referral=referral), by=by
        )
    audit(by, AuditEntry.Action.REFERRAL_SENT, referral, f"{referral.number} {sent_on:%d/%m/%Y}")
    _referral_event(referral, by)
    partners.notify(referral, ReferralNotice.Kind.RECEIVED)
    return referral


def _referral_event(referral: Referral, by: User | None) -> CaseEvent:
    return CaseEvent.objects.create(
        case=referral.case,
        kind=EventKind.REFERRAL,
        occurred_on=referral.sent_on,
        author=by,
        agency=referral.agency,
        text=_("Chuyển %(agency)s (%(purpose)s), số %(ref)s.")
        % {
            "agency": referral.agency.name,
            "purpose": referral.get_purpose_display(),
            "ref": referral.number,
        },
    )


@transaction.atomic
def record_imported_referral(
    *,
    employer: Employer,
    agency: Agency,
    purpose: ReferralPurpose | str,
    reference: str,
    sent_on: date,
    by: User | None = None,
) -> Referral:
    """A referral from the office's existing records (``manage.py import_referrals``): already
    sent, so neither the police dossier nor an approval applies. Opens a case (detected, on
    the referral date) when the employer has none open; the arrears and employees at referral
    are fixed as for a referral sent here (rule 8)."""
    case = RecoveryCase.objects.open().filter(employer=employer).first()
    if case is None:
        case = open_case(
            employer=employer,
            by=by,
            on=sent_on,
            note=_("Mở hồ sơ khi nhập danh sách đã chuyển cơ quan phối hợp."),
        )
    referral = Referral(
        case=case,
        agency=agency,
        purpose=ReferralPurpose(purpose),
        status=ReferralStatus.SENT,
        reference=reference,
        sent_on=sent_on,
        imported=True,
        created_by=by,
    )
    _fix_at_referral(referral, sent_on)
    partners.fix_deadline(referral)
    referral.save()
    _referral_event(referral, by)
    return referral


@transaction.atomic
def answer_referral(
    *,
    referral: Referral,
    by: User,
    status: ReferralStatus | str,
    response: str,
    outcome: str = "",
    reason: str = "",
    on: date | None = None,
) -> Referral:
    """The agency's answer: acknowledged, in progress, concluded (with an outcome). An answer
    never erases the outcome recorded (an empty one keeps it; the history keeps any it
    replaces), and a concluded referral reopens only with a reason, kept on the timeline."""
    status = ReferralStatus(status)
    referral = Referral.objects.select_for_update().select_related("case").get(pk=referral.pk)
    if referral.status == ReferralStatus.DRAFT:
        raise CaseError(_("Đề nghị chưa được gửi."))
    if status == ReferralStatus.DRAFT or status == ReferralStatus.SENT:
        raise CaseError(_("Tình trạng phản hồi không hợp lệ."))
    if by.is_liaison and by.agency_id != referral.agency_id:
        raise CaseError(_("Chỉ cơ quan nhận đề nghị được phản hồi."))
    outcome = outcome.strip() or referral.outcome
    if status == ReferralStatus.CONCLUDED and not outcome:
        raise CaseError(_("Cần ghi kết quả khi kết thúc xử lý."))
    reopening = referral.status == ReferralStatus.CONCLUDED and status != ReferralStatus.CONCLUDED
    if reopening and not reason.strip():
        raise CaseError(_("Đề nghị đã có kết luận; cần ghi lý do để mở lại."))
    referral.status = status
    referral.response = response
    referral.outcome = outcome
    referral.save(update_fields=["status", "response", "outcome"])
    text = f"{referral.get_status_display()}: {response}" + (f" — {outcome}" if outcome else "")
    if reopening:
        text = (
            _("Mở lại đề nghị đã có kết luận. Lý do: %(reason)s") % {"reason": reason.strip()}
            + f"\n{text}"
        )
    audit(by, AuditEntry.Action.REFERRAL_ANSWERED, referral, text)
    CaseEvent.objects.create(
        case=referral.case,
        kind=EventKind.REFERRAL_ANSWER,
        occurred_on=on or _today(),
        author=by,
        agency=referral.agency,
        text=text,
    )
    return referral


@transaction.atomic
def add_commitment(
    *,
    case: RecoveryCase,
    kind: CommitmentKind | str,
    signed_on: date,
    instalments: Sequence[tuple[date, int]],
    by: User,
    note: str = "",
) -> Commitment:
    kind = CommitmentKind(kind)
    if not instalments:
        raise CaseError(_("Cần ít nhất một đợt trả (ngày và số tiền)."))
    if kind == CommitmentKind.PROMISE and len(instalments) != 1:
        raise CaseError(_("Cam kết trả nợ có đúng một hạn trả; nhiều đợt hãy chọn lộ trình."))
    for due_on, amount in instalments:
        if amount <= 0:
            raise CaseError(_("Số tiền mỗi đợt phải lớn hơn 0."))
        if due_on < signed_on:
            raise CaseError(_("Hạn trả không được trước ngày cam kết."))
    commitment = Commitment.objects.create(
        case=case, kind=kind, signed_on=signed_on, note=note, created_by=by
    )
    Instalment.objects.bulk_create(
        Instalment(commitment=commitment, due_on=d, amount=a) for d, a in sorted(instalments)
    )
    total = sum(a for _d, a in instalments)
    CaseEvent.objects.create(
        case=case,
        kind=EventKind.COMMITMENT,
        occurred_on=signed_on,
        author=by,
        text=_("%(kind)s: %(n)s đợt, tổng %(total)s đồng.")
        % {"kind": commitment.get_kind_display(), "n": len(instalments), "total": grouped(total)},
        follow_up_on=min(d for d, _a in instalments),
    )
    return commitment


def check_commitment(
    commitment: Commitment,
    on: date | None = None,
    *,
    payments: Sequence[ledger.Paid] | None = None,
) -> list[law.InstalmentCheck]:
    """Each instalment kept, broken or pending from the ledger's payments (``payments``: the
    employer's, when the caller has them already, e.g. for several commitments)."""
    if payments is None:
        _dues, payments = employer_ledger(commitment.case.employer)
    return law.check_instalments(
        [(i.due_on, i.amount) for i in commitment.instalments.all()],
        payments,
        signed_on=commitment.signed_on,
        on=on or _today(),
    )


@transaction.atomic
def claim_force_majeure(
    *,
    employer: Employer,
    by: User,
    first_period: date,
    last_period: date,
    reason: str,
    proof: UploadedFile,
    case: RecoveryCase | None = None,
) -> ForceMajeureClaim:
    if first_period > last_period:
        raise CaseError(_("Kỳ bắt đầu phải trước kỳ kết thúc."))
    check_attachment(proof)
    proof.name = f"{uuid.uuid4().hex}{PurePath(proof.name or '').suffix.lower()}"
    return ForceMajeureClaim.objects.create(
        employer=employer,
        case=case,
        claimed_on=_today(),
        first_period=first_period.replace(day=1),
        last_period=last_period.replace(day=1),
        reason=reason,
        proof=proof,
        created_by=by,
    )


@transaction.atomic
def decide_force_majeure(*, claim: ForceMajeureClaim, by: User, accept: bool) -> None:
    """The head of the employer's office, or a manager, accepts or rejects a claim."""
    if not by.approves_for(claim.employer.office_id):
        raise CaseError(_("Chỉ lãnh đạo quyết định đề nghị bất khả kháng."))
    claim.decision = Decision.ACCEPTED if accept else Decision.REJECTED
    claim.decided_by = by
    claim.decided_on = _today()
    claim.save(update_fields=["decision", "decided_by", "decided_on"])
