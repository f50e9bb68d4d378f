"""The recovery work done in a period, counted from the cases' timelines: working sessions
held, commitments signed, inspections, sanction decisions and their fines, referrals sent,
cases sent to the police and prosecuted. Each is counted on the day it happened, from
``start`` to ``end`` inclusive (the province's summary reads these)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Q, QuerySet, Sum

from accounts.models import Agency, User
from arrears.models import (
    CaseEvent,
    Commitment,
    EventKind,
    Instalment,
    RecoveryCase,
    Referral,
    Stage,
)


@dataclass(frozen=True)
class CaseWork:
    working_sessions: int  # working-session events
    commitments: int  # commitments signed
    committed: int  # đồng: the instalments of those commitments
    inspections: int  # inspection events
    penalty_decisions: int  # sanction decisions
    fines: int  # đồng: the fines those decisions set
    referrals: int  # referrals sent to any partner organisation
    police_referrals: int  # of which to the police
    criminal_referrals: int  # cases moved to "sent to the police" (Art. 216)
    prosecutions: int  # cases moved to "prosecuted"


def _cases(user: User | None) -> QuerySet[RecoveryCase]:
    return RecoveryCase.objects.all() if user is None else RecoveryCase.objects.in_scope(user)


def case_work(*, start: date, end: date, user: User | None) -> CaseWork:
    """What was done from ``start`` to ``end`` on the cases ``user`` sees (None: the
    province)."""
    events = CaseEvent.objects.all() if user is None else CaseEvent.objects.in_scope(user)
    counted = events.filter(occurred_on__range=(start, end)).aggregate(
        sessions=Count("pk", filter=Q(kind=EventKind.WORKING_SESSION)),
        inspections=Count("pk", filter=Q(kind=EventKind.INSPECTION)),
        decisions=Count("pk", filter=Q(kind=EventKind.PENALTY_DECISION)),
        fines=Sum("penalty_amount", filter=Q(kind=EventKind.PENALTY_DECISION), default=0),
        criminal=Count("pk", filter=Q(kind=EventKind.STAGE_MOVE, to_stage=Stage.CRIMINAL_REFERRAL)),
        prosecuted=Count("pk", filter=Q(kind=EventKind.STAGE_MOVE, to_stage=Stage.PROSECUTION)),
    )
    cases = _cases(user)
    signed = Commitment.objects.filter(case__in=cases, signed_on__range=(start, end))
    referrals = Referral.objects.all() if user is None else Referral.objects.in_scope(user)
    sent = referrals.filter(sent_on__range=(start, end)).aggregate(
        all=Count("pk"), police=Count("pk", filter=Q(agency__kind=Agency.Kind.POLICE))
    )
    committed = Instalment.objects.filter(commitment__in=signed).aggregate(
        total=Sum("amount", default=0)
    )["total"]
    return CaseWork(
        working_sessions=counted["sessions"],
        commitments=signed.count(),
        committed=int(committed),
        inspections=counted["inspections"],
        penalty_decisions=counted["decisions"],
        fines=int(counted["fines"]),
        referrals=sent["all"],
        police_referrals=sent["police"],
        criminal_referrals=counted["criminal"],
        prosecutions=counted["prosecuted"],
    )
