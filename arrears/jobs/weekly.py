"""What the weekly run does besides reminders and digests (DOMAIN.md flow 5): cases opened
for the employers past the policy's thresholds, and broken commitments flagged on their
cases."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from accounts.models import User
from arrears import law
from arrears.balances import BalanceRow
from arrears.cases import services as cases
from arrears.cases.errors import CaseError
from arrears.models import (
    LADDER,
    CaseEvent,
    Commitment,
    Contribution,
    EventKind,
    Instalment,
    Policy,
    RecoveryCase,
)
from desk.text import grouped
from participants.models import Employer


def open_cases(*, targets: Sequence[BalanceRow], on: date, policy: Policy) -> tuple[int, int]:
    """Open a case for each target past the policy's thresholds that has no open case and
    whose current arrears no ended case already dealt with. Returns (opened, failed)."""
    candidates = {
        t.employer_id: t
        for t in targets
        if t.months_in_arrears >= policy.auto_case_months and t.arrears >= policy.auto_case_arrears
    }
    with_open_case = set(
        RecoveryCase.objects.open()
        .filter(employer_id__in=candidates)
        .values_list("employer_id", flat=True)
    )
    ended = dict(
        RecoveryCase.objects.filter(employer_id__in=candidates, closed_on__isnull=False)
        .values("employer_id")
        .annotate(last=Max("closed_on"))
        .values_list("employer_id", "last")
    )
    # When did the current arrears start: the deadline of the oldest unpaid contribution.
    started = {
        employer_id: due_on
        for employer_id, period, due_on in Contribution.objects.filter(
            employer_id__in=ended
        ).values_list("employer_id", "period", "due_on")
        if period == candidates[employer_id].oldest_unpaid_period
    }
    officers = _Officers()
    employers = Employer.objects.in_bulk(
        [
            pk
            for pk in candidates
            if pk not in with_open_case and not (pk in ended and ended[pk] >= started.get(pk, on))
        ]
    )
    opened = failed = 0
    for employer in employers.values():
        try:
            cases.open_case(
                employer=employer,
                by=None,
                officer=officers.of(employer),
                on=on,
                arrears=candidates[employer.pk].arrears,
                note=_("Mở tự động: nợ %(months)s tháng, %(amount)s đồng.")
                % {
                    "months": candidates[employer.pk].months_in_arrears,
                    "amount": grouped(candidates[employer.pk].arrears),
                },
            )
            opened += 1
        except CaseError:  # a case opened meanwhile by hand
            failed += 1
    return opened, failed


class _Officers:
    """The officer a new automatic case goes to: among the active officers who see the
    employer, the first (by id) given its commune, else the first serving its whole office."""

    def __init__(self) -> None:
        self.by_office: dict[int, User] = {}
        self.by_commune: dict[int, User] = {}
        for officer in (
            User.objects.filter(role=User.Role.OFFICER, is_active=True, is_superuser=False)
            .prefetch_related("offices", "communes")
            .order_by("pk")
        ):
            offices = {office.pk for office in officer.offices.all()}
            communes = [c for c in officer.communes.all() if c.office_id in offices]
            for commune in communes:
                self.by_commune.setdefault(commune.pk, officer)
            if not officer.communes.all():
                for office in offices:
                    self.by_office.setdefault(office, officer)

    def of(self, employer: Employer) -> User | None:
        if employer.commune_id in self.by_commune:
            return self.by_commune[employer.commune_id]
        return self.by_office.get(employer.office_id)


def flag_broken_commitments(on: date) -> int:
    """Check the commitments of open cases that have an instalment due before ``on`` and not
    yet flagged; flag each newly broken instalment once, with an event on its case. Returns
    the number of commitments found broken."""
    commitments = (
        Commitment.objects.filter(
            case__stage__in=LADDER,
            instalments__due_on__lt=on,
            instalments__broken_flagged_on__isnull=True,
        )
        .distinct()
        .select_related("case__employer")
        .prefetch_related("instalments")
    )
    broken = 0
    for commitment in commitments:
        checks = cases.check_commitment(commitment, on)
        # law.check_instalments answers in (due date, amount) order.
        ordered = sorted(commitment.instalments.all(), key=lambda i: (i.due_on, i.amount))
        newly = [
            instalment.pk
            for instalment, check in zip(ordered, checks, strict=True)
            if check.status == law.InstalmentStatus.BROKEN and instalment.broken_flagged_on is None
        ]
        if newly and _flag(commitment, newly, on):
            broken += 1
    return broken


@transaction.atomic
def _flag(commitment: Commitment, instalment_ids: list[int], on: date) -> bool:
    instalments = list(
        Instalment.objects.select_for_update()
        .filter(pk__in=instalment_ids, broken_flagged_on__isnull=True)
        .order_by("due_on", "pk")
    )
    if not instalments:  # flagged meanwhile
        return False
    Instalment.objects.filter(pk__in=[i.pk for i in instalments]).update(broken_flagged_on=on)
    CaseEvent.objects.create(
        case=commitment.case,
        kind=EventKind.COMMITMENT,
        occurred_on=on,
        text=_("Vi phạm cam kết ngày %(signed)s: %(items)s chưa được trả đủ.")
        % {
            "signed": f"{commitment.signed_on:%d/%m/%Y}",
            "items": "; ".join(
                _("đợt hạn %(due)s, %(amount)s đồng")
                % {"due": f"{i.due_on:%d/%m/%Y}", "amount": grouped(i.amount)}
                for i in instalments
            ),
        },
    )
    return True
