"""The session cycle wherever an employer or a case is shown, and on the dashboard.

{% load session_cycle %}
{% employer_bookings employer as bookings %}     its sessions, latest first
{% case_proposals case as proposals %}           the ladder steps proposed, still open
{% session_counts user as counts %}              the last 30 days of the user's employers
"""

from __future__ import annotations

from datetime import timedelta

from django import template
from django.db.models import QuerySet
from django.utils import timezone

from accounts.models import User
from arrears.models import Booking, LadderProposal, ProposalStatus, RecoveryCase
from arrears.models.sessions import PAID_WITHIN_DAYS, SessionCounts
from participants.models import Employer

register = template.Library()


@register.simple_tag
def employer_bookings(employer: Employer) -> QuerySet[Booking]:
    return (
        Booking.objects.filter(employer=employer)
        .select_related("slot", "minutes")
        .order_by("-slot__day", "-pk")
    )


@register.simple_tag
def case_proposals(case: RecoveryCase) -> QuerySet[LadderProposal]:
    return case.proposals.filter(status=ProposalStatus.OPEN)


@register.simple_tag
def session_counts(user: User) -> SessionCounts:
    today = timezone.localdate()
    return Booking.objects.filter(employer__in=Employer.objects.in_scope(user)).counts(
        today - timedelta(days=PAID_WITHIN_DAYS), today
    )
