"""Reads of the workload pages: the officers a user may give cases to, the hand-overs, and
the stage moves waiting for an approval (who may work an employer's case, and officers'
workloads, are ``arrears.cases.assignment``'s)."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from accounts.models import User
from arrears.cases.assignment import officers
from arrears.models import HandOver, StageRequest


def assignable(user: User) -> QuerySet[User]:
    """The officers this user may give cases to: a manager any, a head their offices'."""
    if user.is_manager:
        return officers().order_by("last_name", "first_name", "username")
    return (
        officers()
        .filter(offices__in=user.offices.all())
        .order_by("last_name", "first_name", "username")
        .distinct()
    )


def pending_requests(user: User) -> QuerySet[StageRequest]:
    """The stage moves waiting for this user's approval (their offices; a manager's all)."""
    waiting = StageRequest.objects.filter(decision="pending").select_related(
        "case__employer__office", "requested_by"
    )
    if user.is_manager:
        return waiting
    return waiting.filter(case__employer__office__in=user.offices.all())


def hand_overs(user: User) -> QuerySet[HandOver]:
    """The hand-overs of the officers this user may give cases to."""
    return (
        HandOver.objects.filter(Q(absent__in=assignable(user)))
        .select_related("absent", "substitute", "created_by")
        .distinct()
    )
