"""Bulk actions on a selection of the case list or of the employer list: what each would do
(``plan``, shown on a confirmation page) and doing it (``perform``).

The selection is read through the user's scope: ids they may not see are counted as
``unknown`` and never acted on. Each case acted on gets its event and audit entry from the
service that acts (assignment, stage move, opening), the print an event per case and one
audit entry for the whole."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts import access
from accounts.models import User
from arrears.cases import services as cases
from arrears.cases.assignment import Spread
from arrears.cases.errors import CaseError
from arrears.cases.selectors import case_letter
from arrears.documents import letters as documents
from arrears.models import CaseEvent, DocumentTemplate, EventKind, RecoveryCase, Stage
from arrears.workload import services
from audit import record as audit
from audit.models import AuditEntry
from participants.models import Employer

ACTIONS = {
    "assign": gettext_lazy("Giao cho cán bộ"),
    "move": gettext_lazy("Chuyển bước"),
    "print": gettext_lazy("In văn bản (một tệp PDF)"),
    "close": gettext_lazy("Kết thúc hồ sơ đã thu hồi đủ"),
    "open": gettext_lazy("Mở hồ sơ"),
}
# Who may start which: giving cases to officers is for those who approve.
APPROVER_ACTIONS = {"assign"}


@dataclass
class Plan:
    action: str
    act: list[Any] = field(default_factory=list)  # cases, or employers for "open"
    queued: list[RecoveryCase] = field(default_factory=list)  # moves that wait for approval
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (unit code, why)
    unknown: int = 0  # ids not in the user's scope (or not at all)


def _ids(raw: list[str]) -> set[int]:
    return {int(v) for v in raw if v.isdigit()}


def selected_cases(user: User, source: str, raw_ids: list[str]) -> tuple[QuerySet, int]:
    """The selected cases the user sees (from the employer list: the open cases of the
    selected employers they see), and how many ids were out of scope."""
    ids = _ids(raw_ids)
    if source == "employers":
        seen = access.scoped(Employer, user).filter(pk__in=ids)
        found = RecoveryCase.objects.open().filter(employer__in=seen)
        return found, len(ids) - seen.count()
    found = access.scoped(RecoveryCase, user).filter(pk__in=ids)
    return found, len(ids) - found.count()


def plan(
    *, user: User, source: str, action: str, raw_ids: list[str], params: dict[str, Any]
) -> Plan:
    result = Plan(action)
    if action == "open":
        ids = _ids(raw_ids)
        employers = list(access.scoped(Employer, user).filter(pk__in=ids).order_by("unit_code"))
        result.unknown = len(ids) - len(employers)
        with_case = set(
            RecoveryCase.objects.open()
            .filter(employer__in=employers)
            .values_list("employer_id", flat=True)
        )
        for employer in employers:
            if employer.pk in with_case:
                result.skipped.append((employer.unit_code, _("đã có hồ sơ đang mở")))
            else:
                result.act.append(employer)
        return result
    found, result.unknown = selected_cases(user, source, raw_ids)
    for case in found.select_related("employer__office", "employer__balance", "officer").order_by(
        "employer__unit_code"
    ):
        code = case.employer.unit_code
        if action == "assign":
            try:
                services.check_assignment(case, params["officer"], user)
            except CaseError as exc:
                result.skipped.append((code, str(exc)))
                continue
        elif action == "move":
            to = Stage(params["stage"])
            if case.stage == to:
                result.skipped.append((code, _("đã ở bước này")))
                continue
            if not user.approves_for(case.employer.office_id) and cases.approval_needed(case, to):
                result.queued.append(case)
                continue
        elif action == "close":
            balance = getattr(case.employer, "balance", None)
            if not case.is_open or balance is None or balance.arrears > 0:
                result.skipped.append((code, _("còn nợ hoặc hồ sơ đã kết thúc")))
                continue
        result.act.append(case)
    return result


@dataclass
class Outcome:
    done: int = 0
    queued: int = 0
    refused: list[tuple[str, str]] = field(default_factory=list)
    pdf: bytes | None = None


def perform(*, user: User, plan: Plan, params: dict[str, Any]) -> Outcome:
    """Do what ``plan`` said: each case on its own, so one refusal leaves the others done."""
    outcome = Outcome()
    today = timezone.localdate()
    if plan.action == "print":
        return _print(user, plan, params["kind"], today)
    spread = Spread(on=today) if plan.action == "open" else None
    if spread is not None:
        spread.prepare(plan.act)
    for item in plan.act:
        code = item.unit_code if plan.action == "open" else item.employer.unit_code
        try:
            with transaction.atomic():
                _one(user, plan.action, item, params, spread)
        except CaseError as exc:
            outcome.refused.append((code, str(exc)))
        else:
            outcome.done += 1
    for case in plan.queued:
        try:
            services.request_stage(case=case, to=params["stage"], by=user, note=params["note"])
        except CaseError as exc:
            outcome.refused.append((case.employer.unit_code, str(exc)))
        else:
            outcome.queued += 1
    return outcome


def _one(user: User, action: str, item: Any, params: dict[str, Any], spread: Spread | None) -> None:
    note = params.get("note") or ""
    if action == "assign":
        services.assign(case=item, officer=params["officer"], by=user, reason=note)
    elif action == "move":
        cases.move_stage(case=item, to=params["stage"], by=user, note=note)
    elif action == "close":
        cases.move_stage(
            case=item, to=Stage.RESOLVED, by=user, note=note or _("Đơn vị đã nộp đủ số nợ.")
        )
    elif action == "open":
        officer = user if user.is_officer else params.get("officer")
        if officer is None and spread is not None:
            arrears = getattr(getattr(item, "balance", None), "arrears", 0) or 0
            officer = spread.of(item, arrears=arrears)
        case = cases.open_case(employer=item, by=user, officer=officer, note=note)
        audit(user, AuditEntry.Action.BULK_ACTION, case, _("Mở hồ sơ (hàng loạt)."))


def _print(user: User, plan: Plan, kind: str, on: date) -> Outcome:
    label = DocumentTemplate.Kind(kind).label
    letters = [case_letter(case, kind, on=on) for case in plan.act]
    pdf = documents.letters_pdf(iter(letters))
    with transaction.atomic():
        CaseEvent.objects.bulk_create(
            CaseEvent(
                case=case,
                kind=EventKind.NOTE,
                occurred_on=on,
                author=user,
                text=_("In %(kind)s (in hàng loạt).") % {"kind": label},
            )
            for case in plan.act
        )
        audit(
            user,
            AuditEntry.Action.BULK_ACTION,
            detail=_("In %(kind)s: %(n)s hồ sơ (%(codes)s)")
            % {
                "kind": label,
                "n": len(plan.act),
                "codes": ", ".join(case.employer.unit_code for case in plan.act),
            },
        )
    return Outcome(done=len(plan.act), pdf=pdf)
