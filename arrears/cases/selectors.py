"""What recovery work reads: a case's figures as of a date, its timeline, the employer's
evasion periods, instalments kept or broken (in SQL, for lists), and a case's letters.

Nothing here writes; the state changes are in ``arrears.cases.services``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from django.db import models
from django.db.models.functions import Coalesce, Least
from django.utils import timezone

from arrears import law, ledger
from arrears.documents import letters as documents
from arrears.models import (
    CaseEvent,
    Decision,
    DocumentTemplate,
    EventKind,
    Instalment,
    InterestRate,
    Payment,
    Policy,
    RecoveryCase,
    Referral,
    Reminder,
)
from arrears.selectors import employer_ledger, interest_owed
from participants.models import Employer

if TYPE_CHECKING:
    from accounts.models import User

# The letters to the employer a case's page offers (a referral's letter is the referral's).
DOCUMENT_KINDS = (DocumentTemplate.Kind.REMINDER_NOTICE, DocumentTemplate.Kind.SESSION_INVITATION)


def employer_balance(employer: Employer, on: date) -> ledger.EmployerBalance:
    """The employer's balance on ``on`` from its ledger."""
    dues, paid = employer_ledger(employer)
    return ledger.balance_on(dues, paid, on, InterestRate.table())


def employer_employees(employer: Employer) -> int:
    """Rule 7: the employees on the latest contribution row (the register's figure if none)."""
    latest = employer.contributions.order_by("-period").values_list("employees", flat=True).first()
    return employer.employees if latest is None else latest


@dataclass(frozen=True)
class CaseFigures:
    """What the case page shows beside the timeline, as of a date."""

    balance: ledger.EmployerBalance
    workers: int
    step: law.Step
    evasion_periods: list[date]
    sanctioned: bool
    meets_criminal_criteria: bool
    fine_late: law.FineRange
    fine_none_paid: law.FineRange
    fine_evasion: law.FineRange
    offered_for_resolution: bool


def employer_evasion_periods(employer: Employer, on: date) -> list[date]:
    """Rule 10 for one employer, with its reminders and accepted force-majeure claims."""
    dues, paid = employer_ledger(employer)
    reminded = [
        timezone.localdate(r.sent_at) if r.sent_at else r.as_of
        for r in Reminder.objects.filter(employer=employer, status=Reminder.Status.SENT)
    ]
    excused = list(
        employer.force_majeure_claims.filter(decision=Decision.ACCEPTED).values_list(
            "first_period", "last_period"
        )
    )
    return law.evasion_periods(dues, paid, on, reminded_on=reminded, excused=excused)


def case_figures(case: RecoveryCase, on: date | None = None) -> CaseFigures:
    on = on or timezone.localdate()
    employer = case.employer
    policy = Policy.current()
    dues, paid = employer_ledger(employer)
    balance = ledger.balance_on(dues, paid, on, InterestRate.table())
    employees = employer_employees(employer)
    sanctioned = case.events.filter(kind=EventKind.PENALTY_DECISION).exists()
    fines = policy.fine_rules
    return CaseFigures(
        balance=balance,
        workers=employees,
        step=law.recommended_step(balance.months_in_arrears),
        evasion_periods=employer_evasion_periods(employer, on),
        sanctioned=sanctioned,
        meets_criminal_criteria=law.meets_criminal_criteria(
            months_in_arrears=balance.months_in_arrears,
            sanctioned=sanctioned,
            arrears=balance.arrears,
            workers=employees,
            thresholds=policy.criminal_thresholds,
        ),
        fine_late=law.fine_range(balance.arrears, law.Violation.LATE, fines),
        fine_none_paid=law.fine_range(balance.arrears, law.Violation.NONE_PAID, fines),
        fine_evasion=law.fine_range(balance.arrears, law.Violation.EVASION, fines),
        offered_for_resolution=case.is_open and balance.arrears == 0,
    )


@dataclass
class TimelineEntry:
    day: date
    event: CaseEvent | None = None
    payment: Payment | None = None


def case_timeline(case: RecoveryCase, today: date, user: User) -> list[TimelineEntry]:
    """The case's events this user sees (a liaison: not another organisation's) and the
    employer's payments since the opening, latest first (a payment an event already records
    appears once)."""
    events = list(
        case.events.in_scope(user)
        .select_related("author", "agency", "issued_document")
        .prefetch_related("attachments")
    )
    on_timeline = {event.payment_id for event in events if event.payment_id}
    received = case.employer.payments.filter(paid_on__range=(case.opened_on, today)).exclude(
        pk__in=on_timeline
    )
    timeline = [TimelineEntry(e.occurred_on, event=e) for e in events]
    timeline += [TimelineEntry(p.paid_on, payment=p) for p in received]
    timeline.sort(
        key=lambda t: (t.day, t.event.pk if t.event else 0, t.payment.pk if t.payment else 0),
        reverse=True,
    )
    return timeline


def with_instalment_status(
    instalments: models.QuerySet[Instalment], on: date
) -> models.QuerySet[Instalment]:
    """``law.check_instalments`` in SQL, so lists can filter on it: each instalment annotated
    with ``owed_so_far`` (its commitment's instalments up to it, in due order) and
    ``paid_by_due`` (the employer's payments from the signing through its due date, up to
    ``on``). Kept when paid_by_due >= owed_so_far; broken when not and due before ``on``."""
    this = models.OuterRef("due_on"), models.OuterRef("amount"), models.OuterRef("id")
    up_to_this = (
        models.Q(due_on__lt=this[0])
        | models.Q(due_on=this[0], amount__lt=this[1])
        | models.Q(due_on=this[0], amount=this[1], id__lte=this[2])
    )
    owed = (
        Instalment.objects.filter(up_to_this, commitment=models.OuterRef("commitment"))
        .values("commitment")
        .annotate(total=models.Sum("amount"))
        .values("total")
    )
    paid = (
        Payment.objects.filter(
            employer=models.OuterRef("commitment__case__employer"),
            paid_on__gte=models.OuterRef("commitment__signed_on"),
            paid_on__lte=Least(models.OuterRef("due_on"), models.Value(on)),
        )
        .values("employer")
        .annotate(total=models.Sum("amount"))
        .values("total")
    )
    return instalments.annotate(
        owed_so_far=models.Subquery(owed, output_field=models.BigIntegerField()),
        paid_by_due=Coalesce(
            models.Subquery(paid, output_field=models.BigIntegerField()), models.Value(0)
        ),
    )


def instalment_status(instalment: Instalment, on: date) -> law.InstalmentStatus:
    """The status of an instalment annotated by ``with_instalment_status`` for ``on``."""
    if instalment.paid_by_due >= instalment.owed_so_far:
        return law.InstalmentStatus.KEPT
    if instalment.due_on < on:
        return law.InstalmentStatus.BROKEN
    return law.InstalmentStatus.PENDING


def broken_instalments(on: date | None = None) -> models.QuerySet[Instalment]:
    """Instalments due before ``on`` (default today) and not covered by then."""
    on = on or timezone.localdate()
    return with_instalment_status(Instalment.objects.filter(due_on__lt=on), on).filter(
        paid_by_due__lt=models.F("owed_so_far")
    )


def case_letter(
    case: RecoveryCase,
    kind: str,
    *,
    on: date | None = None,
    referral: Referral | None = None,
    event: CaseEvent | None = None,
) -> documents.Letter:
    """A letter about the case's employer with its figures on ``on`` (default today): the
    reminder notice or session invitation to the employer, a referral's letter to its
    agency, or the minutes of a working session (``event``)."""
    on = on or timezone.localdate()
    employer = case.employer
    balance = employer_balance(employer, on)
    oldest_due_on = (
        ledger.due_date(balance.oldest_unpaid_period, employer.payment_method)
        if balance.oldest_unpaid_period
        else None
    )
    paid = interest_owed(employer, balance.interest, on).paid
    context = documents.employer_context(
        employer, balance, oldest_due_on=oldest_due_on, interest_paid=paid
    )
    recipient = employer.name
    if referral is not None:
        employees = referral.employees_at_referral
        if employees is None:
            employees = employer_employees(employer)
        context |= {
            "co_quan_nhan": referral.agency.name,
            "muc_dich": referral.get_purpose_display().lower(),
            "so_lao_dong": str(employees),
            "noi_dung": referral.note,
        }
        recipient = referral.agency.name
    if event is not None:
        context |= {"ngay_lam_viec": f"{event.occurred_on:%d/%m/%Y}", "bien_ban": event.minutes}
    return documents.compose(kind, context, on=on, recipient=recipient)
