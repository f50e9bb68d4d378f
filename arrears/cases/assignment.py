"""Who works a case opened without a chosen officer (the weekly job's, an imported
referral's, a bulk opening): spread over the officers who may work it by their workload.

For each case, among the officers who may work it (``selectors.officers_for``, less those
away on a hand-over) with their open workload (cases or arrears, ``Policy.workload_measure``)
plus what this spread has given them already:

- the officer of the employer's previous case keeps it while that leaves them at most
  ``Policy.workload_share_above_mean`` per cent above the mean of those officers (with the
  new case counted);
- otherwise the least loaded takes it (ties: the lowest id).

So no officer receives a case that takes them above the allowed share while another could
take it without, and one with a backlog gets nothing until the others catch up.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, QuerySet, Sum
from django.db.models.functions import Coalesce

from accounts.models import User
from arrears.models import LADDER, HandOver, Policy, RecoveryCase
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


class Spread:
    def __init__(self, *, on: date, policy: Policy | None = None) -> None:
        policy = policy or Policy.current()
        self.measure = policy.workload_measure
        self.allowed = 1 + Decimal(policy.workload_share_above_mean) / 100
        self.absent = absent_on(on)
        self.loads: dict[int, int] = {}
        self.users: dict[int, User] = {}
        self.eligible: dict[tuple[int, int | None], list[int]] = {}
        self.previous: dict[int, int] = {}

    def prepare(self, employers: list[Employer]) -> None:
        """Read once what spreading these employers' cases needs."""
        self.previous = previous_officers([e.pk for e in employers])
        for employer in employers:
            self._eligible(employer)

    def _eligible(self, employer: Employer) -> list[int]:
        key = (employer.office_id, employer.commune_id)
        if key not in self.eligible:
            found = [u for u in officers_for(employer) if u.pk not in self.absent]
            new = [u.pk for u in found if u.pk not in self.users]
            self.users.update((u.pk, u) for u in found)
            if new:
                self.loads.update(dict.fromkeys(new, 0))
                self.loads.update(workloads(self.measure, new))
            self.eligible[key] = sorted(u.pk for u in found)
        return self.eligible[key]

    def weight(self, arrears: int) -> int:
        return arrears if self.measure == WorkloadMeasure.ARREARS else 1

    def of(self, employer: Employer, *, arrears: int = 0) -> User | None:
        """The officer for this employer's new case (None when no officer serves it), counted
        in their load from now on."""
        candidates = self._eligible(employer)
        if not candidates:
            return None
        weight = self.weight(arrears)
        total = sum(self.loads[pk] for pk in candidates) + weight
        cap = self.allowed * total / len(candidates)
        chosen = self.previous.get(employer.pk)
        if chosen not in candidates or self.loads[chosen] + weight > cap:
            chosen = min(candidates, key=lambda pk: (self.loads[pk], pk))
        self.loads[chosen] += weight
        return self.users[chosen]
