"""The weekly job's part of the session cycle: whom it leaves out of its notices and
invitations (the Policy's settings), and booking the invited employers into free slots of
their managing office in the coming week.

An office with no slot in the coming week invites as before, without a date; in an office
whose slots are full, the rest wait for the next week and get no invitation this week.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db import transaction
from django.db.models import Count, Q

from accounts.models import Agency
from arrears import law
from arrears.balances import BalanceRow
from arrears.cases.services import check_commitment
from arrears.models import (
    SEATED,
    UPCOMING,
    Booking,
    Commitment,
    Hold,
    Policy,
    RecoveryCase,
    ReferralStatus,
    SessionSlot,
    Stage,
)
from arrears.selectors import employer_ledgers
from arrears.sessions.services import ensure_pattern_slots
from desk.workdays import is_working_day
from participants.models import Employer, Office
from participants.selectors import holidays

# Why an employer is left out, in the order a reason is given when several apply.
REASONS = ("police_court", "hold", "commitment", "booked")
# The agencies a case "with the police or the courts" has been sent to.
POLICE_COURT_AGENCIES = (Agency.Kind.POLICE, Agency.Kind.COURT, Agency.Kind.PROCURACY)


@dataclass
class Targeting:
    notices: list[BalanceRow]
    invitations: list[BalanceRow]
    # reason -> the employers left out of a notice or an invitation for it (first reason).
    left_out: dict[str, set[int]] = field(default_factory=dict)


# Each rule's employers are read whole and kept if among the candidates: a region's
# candidates are tens of thousands, each rule's employers few.


def _with_police_or_court(ids: set[int]) -> set[int]:
    cases = RecoveryCase.objects.open()
    return ids & set(
        cases.filter(
            Q(stage__in=[Stage.CRIMINAL_REFERRAL, Stage.PROSECUTION])
            | Q(
                referrals__agency__kind__in=POLICE_COURT_AGENCIES,
                referrals__sent_on__isnull=False,
            )
            & ~Q(referrals__status=ReferralStatus.CONCLUDED)
        ).values_list("employer_id", flat=True)
    )


def _keeping_commitment(ids: set[int], on: date) -> set[int]:
    """Employers of an open case with a commitment still running (an instalment not yet due)
    and none of it broken, from the ledger's payments."""
    running = [
        commitment
        for commitment in Commitment.objects.filter(
            case__in=RecoveryCase.objects.open(), instalments__due_on__gte=on
        )
        .distinct()
        .select_related("case")
        .prefetch_related("instalments")
        if commitment.case.employer_id in ids
    ]
    ledgers = employer_ledgers({c.case.employer_id for c in running})
    keeping: set[int] = set()
    for commitment in running:
        _dues, paid = ledgers[commitment.case.employer_id]
        checks = check_commitment(commitment, on, payments=paid)
        if all(c.status != law.InstalmentStatus.BROKEN for c in checks):
            keeping.add(commitment.case.employer_id)
    return keeping


def _booked(ids: set[int], on: date, cycle: str) -> set[int]:
    """Employers already holding a session from an earlier week or booked by hand."""
    return ids & set(
        Booking.objects.filter(status__in=UPCOMING, slot__day__gte=on)
        .exclude(cycle=cycle)
        .values_list("employer_id", flat=True)
    )


def weekly_targets(
    on: date, *, cycle: str, policy: Policy, candidates: Sequence[BalanceRow]
) -> Targeting:
    """The notices and invitations of the week among ``candidates`` (rule 9's employers,
    holds not yet applied), each rule applied as the Policy says for each kind."""
    ids = {row.employer_id for row in candidates}
    found = {
        "police_court": _with_police_or_court(ids),
        "hold": ids & set(Hold.objects.active_on(on).values_list("employer_id", flat=True)),
        "commitment": _keeping_commitment(ids, on),
        "booked": _booked(ids, on, cycle),
    }
    notice_rules = [r for r in REASONS if getattr(policy, f"notice_skip_{r}")]
    invite_rules = [r for r in REASONS if getattr(policy, f"invite_skip_{r}")]

    def reason(row: BalanceRow, rules: list[str]) -> str | None:
        return next((r for r in rules if row.employer_id in found[r]), None)

    left_out: dict[str, set[int]] = {r: set() for r in REASONS}
    notices, invitations = [], []
    for row in candidates:
        why = reason(row, notice_rules)
        if why is None:
            notices.append(row)
        else:
            left_out[why].add(row.employer_id)
        if row.months_in_arrears < policy.invitation_months:
            continue
        why = reason(row, invite_rules)
        if why is None:
            invitations.append(row)
        elif not any(row.employer_id in s for s in left_out.values()):
            left_out[why].add(row.employer_id)
    return Targeting(notices, invitations, left_out)


def coming_week(on: date) -> tuple[date, date]:
    """Monday and Sunday of the week after the week of ``on``."""
    monday = on - timedelta(days=on.weekday()) + timedelta(days=7)
    return monday, monday + timedelta(days=6)


@dataclass
class Booked:
    booked: int = 0
    # Invited employers of an office whose slots were full: no invitation this week.
    waiting: set[int] = field(default_factory=set)


def book_invited(invited: Sequence[BalanceRow], *, on: date, cycle: str) -> Booked:
    """Book each invited employer not yet booked this cycle into a free slot of its managing
    office in the coming week, the longest in arrears first (capacity respected, holidays
    skipped); an office with no slot that week books nothing."""
    monday, sunday = coming_week(on)
    already = set(Booking.objects.filter(cycle=cycle).values_list("employer_id", flat=True))
    offices = dict(
        Employer.objects.filter(pk__in=[t.employer_id for t in invited]).values_list(
            "pk", "office_id"
        )
    )
    by_office: dict[int, list[BalanceRow]] = defaultdict(list)
    for row in sorted(invited, key=lambda t: (-t.months_in_arrears, -t.arrears, t.employer_id)):
        if row.employer_id not in already and offices.get(row.employer_id):
            by_office[offices[row.employer_id]].append(row)
    cases = dict(
        RecoveryCase.objects.open().filter(employer_id__in=offices).values_list("employer_id", "pk")
    )
    result = Booked()
    for office in Office.objects.filter(pk__in=by_office).order_by("pk"):
        ensure_pattern_slots(office, monday, sunday)
        with transaction.atomic():
            seats = _free_seats(office, monday, sunday)
            if seats is None:
                continue
            for row in by_office[office.pk]:
                if not seats:
                    result.waiting.add(row.employer_id)
                    continue
                slot = seats[0]
                Booking.objects.create(
                    slot=slot,
                    employer_id=row.employer_id,
                    case_id=cases.get(row.employer_id),
                    cycle=cycle,
                )
                result.booked += 1
                slot.free -= 1  # type: ignore[attr-defined]
                if not slot.free:  # type: ignore[attr-defined]
                    seats.pop(0)
    return result


def _free_seats(office: Office, monday: date, sunday: date) -> list[SessionSlot] | None:
    """The office's slots of the week with a free seat, earliest first, locked for booking
    (each with ``free``); None when the office has no slot that week at all."""
    off = holidays(monday, sunday, office)
    slots = [
        slot
        for slot in SessionSlot.objects.select_for_update()
        .filter(office=office, day__range=(monday, sunday))
        .order_by("day", "starts_at", "pk")
        if is_working_day(slot.day, off)
    ]
    if not slots:
        return None
    taken = dict(
        Booking.objects.filter(slot__in=slots, status__in=SEATED)
        .values("slot")
        .annotate(n=Count("pk"))
        .values_list("slot", "n")
    )
    free = []
    for slot in slots:
        slot.free = slot.capacity - taken.get(slot.pk, 0)  # type: ignore[attr-defined]
        if slot.free > 0:  # type: ignore[attr-defined]
            free.append(slot)
    return free
