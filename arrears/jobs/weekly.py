"""What the weekly run does besides reminders and digests (DOMAIN.md flow 5): cases opened
for the employers past the policy's thresholds, and broken commitments flagged on their
cases."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import date

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from arrears import law
from arrears.balances import BalanceRow
from arrears.cases import services as cases
from arrears.cases.assignment import Spread
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

# The cases opened are committed this many at a time, not each in a commit of its own (a
# province's week opens thousands); a case opened by hand meanwhile waits at most for one.
CASES_PER_COMMIT = 500


def case_candidates(
    *, targets: Sequence[BalanceRow], on: date, policy: Policy
) -> dict[int, BalanceRow]:
    """The targets past the policy's thresholds that have no open case and whose current
    arrears no ended case already dealt with: those the run opens a case for."""
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
    return {
        pk: row
        for pk, row in candidates.items()
        if pk not in with_open_case and not (pk in ended and ended[pk] >= started.get(pk, on))
    }


def open_cases(*, targets: Sequence[BalanceRow], on: date, policy: Policy) -> tuple[int, int]:
    """Open a case for each candidate (``case_candidates``), each given to an officer of its
    office by workload (``arrears.cases.assignment``), CASES_PER_COMMIT in a transaction and
    in two statements (one by one when one of them was opened meanwhile by hand). Returns
    (opened, failed)."""
    candidates = case_candidates(targets=targets, on=on, policy=policy)
    employers = sorted(Employer.objects.in_bulk(list(candidates)).values(), key=lambda e: e.pk)
    officers = Spread(on=on, policy=policy)
    officers.prepare(employers)
    opened = failed = 0
    for start in range(0, len(employers), CASES_PER_COMMIT):
        chunk = [(e, candidates[e.pk]) for e in employers[start : start + CASES_PER_COMMIT]]
        with transaction.atomic():
            try:
                cases.open_cases_together(
                    [(e, row.arrears, _opening_note(row)) for e, row in chunk],
                    on=on,
                    spread=officers,
                )
            except CaseError:  # one opened meanwhile by hand: each then on its own
                done = _open_each(chunk, on=on, spread=officers)
            else:
                done = (len(chunk), 0)
        opened, failed = opened + done[0], failed + done[1]
    return opened, failed


def _open_each(
    chunk: list[tuple[Employer, BalanceRow]], *, on: date, spread: Spread
) -> tuple[int, int]:
    opened = failed = 0
    for employer, row in chunk:
        try:
            cases.open_case(
                employer=employer,
                by=None,
                spread=spread,  # one for the run, also when no officer serves one
                on=on,
                arrears=row.arrears,
                note=_opening_note(row),
            )
            opened += 1
        except CaseError:  # a case opened meanwhile by hand
            failed += 1
    return opened, failed


def _opening_note(row: BalanceRow) -> str:
    return _("Mở tự động: nợ %(months)s tháng, %(amount)s đồng.") % {
        "months": row.months_in_arrears,
        "amount": grouped(row.arrears),
    }


def flag_broken_commitments(on: date) -> int:
    """Check the commitments of open cases that have an instalment due before ``on`` and not
    yet flagged; flag each newly broken instalment once, with an event on its case. Returns
    the number of commitments found broken."""
    return sum(1 for commitment, newly in newly_broken(on) if _flag(commitment, newly, on))


def newly_broken(on: date) -> Iterator[tuple[Commitment, list[int]]]:
    """The commitments of open cases with an instalment found broken before ``on`` and not
    yet flagged, each with those instalments' ids."""
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
    for commitment in commitments:
        checks = cases.check_commitment(commitment, on)
        # law.check_instalments answers in (due date, amount) order.
        ordered = sorted(commitment.instalments.all(), key=lambda i: (i.due_on, i.amount))
        newly = [
            instalment.pk
            for instalment, check in zip(ordered, checks, strict=True)
            if check.status == law.InstalmentStatus.BROKEN and instalment.broken_flagged_on is None
        ]
        if newly:
            yield commitment, newly


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
