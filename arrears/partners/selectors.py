"""Reads of partner work: a referral's answer deadline in working days, a liaison's inbox,
and the referrals past their deadline (for the case, the case list, the dashboard and the
manager's digest)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING

from django.db.models import QuerySet

from arrears.models import Policy, RecoveryCase, Referral, ReferralNotice
from desk.workdays import add_working_days, working_days_between
from participants.models import Office
from participants.selectors import holidays

if TYPE_CHECKING:
    from accounts.models import User


def _days_off(start: date, days: int, office: Office | None) -> set[date]:
    """The holidays that may fall within ``days`` working days of ``start`` (a long span:
    Tết alone takes a week or more)."""
    return holidays(start, start + timedelta(days=days * 2 + 40), office)


def answer_deadline(
    sent_on: date, agency_kind: str, office: Office | None, policy: Policy | None = None
) -> date:
    """The day an organisation of ``agency_kind`` is to answer a referral sent on
    ``sent_on``: the policy's working days for the kind, counted after the sending, less
    weekends and the province's and ``office``'s holidays."""
    days = (policy or Policy.current()).answer_days(agency_kind)
    return add_working_days(sent_on, days, _days_off(sent_on, days, office))


def working_days_left(referral: Referral, on: date) -> int | None:
    """Working days from ``on`` to the referral's deadline (negative once past it)."""
    if referral.answer_due_on is None:
        return None
    start, end = sorted((on, referral.answer_due_on))
    office = referral.case.employer.office
    days_off = holidays(start, end, office)
    return working_days_between(on, referral.answer_due_on, days_off)


def inbox(user: User) -> QuerySet[ReferralNotice]:
    """A liaison's notices, newest first, with what each row shows."""
    return ReferralNotice.objects.in_scope(user).select_related(
        "referral__agency", "referral__case__employer"
    )


def unread_count(user: User) -> int:
    if not user.is_authenticated or not user.is_liaison:
        return 0
    return ReferralNotice.objects.in_scope(user).unread().count()


def overdue_referrals(user: User, on: date) -> QuerySet[Referral]:
    """The referrals this user sees that are past their answer deadline on ``on``."""
    return Referral.objects.in_scope(user).overdue(on)


def cases_with_overdue_referral(on: date) -> QuerySet[RecoveryCase]:
    """The cases with a referral past its deadline on ``on`` (a filter of case lists)."""
    return RecoveryCase.objects.filter(pk__in=Referral.objects.overdue(on).values("case_id"))
