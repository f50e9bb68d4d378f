"""Reads about who works the cases: the officers who may take an employer's case, officers'
workloads, who is away, and the stage moves waiting for an approval."""

from __future__ import annotations

from datetime import date

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum
from django.db.models.functions import Coalesce

from accounts.models import User
from arrears.models import LADDER, HandOver, Policy, RecoveryCase, StageRequest
from arrears.models.policy import WorkloadMeasure
from participants.models import Employer


def officers() -> QuerySet[User]:
    """Every active collection officer."""
    return User.objects.filter(role=User.Role.OFFICER, is_active=True, is_superuser=False)


def officers_for(employer: Employer) -> QuerySet[User]:
    """The officers who may work this employer's case: they serve its managing office, whole
    or narrowed to communes that include the employer's (as ``Employer.in_scope`` reads)."""
    given = User.communes.through.objects.filter(user_id=OuterRef("pk"))
    return (
        officers()
        .filter(offices=employer.office_id)
        .filter(~Exists(given) | Exists(given.filter(commune_id=employer.commune_id)))
        .order_by("last_name", "first_name", "username")
        .distinct()
    )


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


def absent_on(day: date) -> set[int]:
    """The officers handed over for ``day``."""
    return set(HandOver.objects.active_on(day).values_list("absent_id", flat=True))


def workloads(measure: str, officer_ids: list[int] | None = None) -> dict[int, int]:
    """Each officer's open cases, counted or as their employers' arrears (the balance table,
    else the arrears when the case was opened)."""
    cases = RecoveryCase.objects.filter(stage__in=LADDER, officer__isnull=False)
    if officer_ids is not None:
        cases = cases.filter(officer_id__in=officer_ids)
    if measure == WorkloadMeasure.ARREARS:
        load = Sum(Coalesce("employer__balance__arrears", "arrears_at_opening"))
    else:
        load = Count("pk")
    return dict(cases.values("officer").annotate(load=load).values_list("officer", "load"))


def previous_officers(employer_ids: list[int]) -> dict[int, int]:
    """The officer of each employer's latest case, for continuity."""
    latest: dict[int, int] = {}
    for employer_id, officer_id in (
        RecoveryCase.objects.filter(employer_id__in=employer_ids, officer__isnull=False)
        .order_by("employer_id", "-opened_on", "-id")
        .values_list("employer_id", "officer_id")
    ):
        latest.setdefault(employer_id, officer_id)
    return latest


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


def policy_measure() -> tuple[str, int]:
    policy = Policy.current()
    return policy.workload_measure, policy.workload_share_above_mean
