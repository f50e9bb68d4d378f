"""The list the labour federation needs to sue on workers' behalf (DOMAIN.md "Unions")."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Sum

from accounts.models import Agency, User
from arrears.balances import current_balances
from arrears.models import Contribution, Referral
from participants.models import Employer
from reports.queries.base import employers_for


@dataclass(frozen=True)
class UnionSuitRow:
    unit_code: str
    name: str
    tax_code: str
    address: str
    reference: str
    sent_on: date
    workers: int
    amount_due: int
    arrears: int
    months_in_arrears: int
    oldest_unpaid_period: date | None
    interest: int


def union_suits(
    *, on: date, user: User | None, start: date | None = None, **filters: Any
) -> list[UnionSuitRow]:
    """DOMAIN.md "Unions": for each employer referred to the labour federation (sent on or
    before ``on``, and from ``start`` for a period), the amount due (contributions past their
    deadline), the amount late (rule 3), the duration (months in arrears, from the oldest
    unpaid period) and the interest (rule 5), as of ``on``. A federation liaison sees the
    list of its own referrals."""
    if user is not None and user.is_liaison and user.agency.kind != Agency.Kind.LABOUR_FEDERATION:
        return []
    sent = Referral.objects.filter(agency__kind=Agency.Kind.LABOUR_FEDERATION, sent_on__lte=on)
    if start is not None:
        sent = sent.filter(sent_on__gte=start)
    if user is not None and user.is_liaison:  # a union: its own referrals, not another's
        sent = sent.filter(agency_id=user.agency_id)
    referrals = {
        r.case.employer_id: r
        for r in sent.select_related("case", "issued_document").order_by("sent_on", "id")
    }
    if not referrals:
        return []
    scoped = employers_for(user, **filters)
    employers = (scoped if scoped is not None else Employer.objects.all()).filter(
        pk__in=referrals.keys()
    )
    due = dict(
        Contribution.objects.filter(employer__in=employers, due_on__lt=on)
        .values("employer_id")
        .annotate(total=Sum("total"))
        .values_list("employer_id", "total")
    )
    details = {e.pk: e for e in employers.only("tax_code", "address")}
    return [
        UnionSuitRow(
            unit_code=row.unit_code,
            name=row.name,
            tax_code=details[row.employer_id].tax_code,
            address=details[row.employer_id].address,
            reference=referrals[row.employer_id].number,
            sent_on=referrals[row.employer_id].sent_on,
            workers=row.employees,
            amount_due=due.get(row.employer_id, 0),
            arrears=row.arrears,
            months_in_arrears=row.months_in_arrears,
            oldest_unpaid_period=row.oldest_unpaid_period,
            interest=row.interest,
        )
        for row in current_balances(on, employers=employers)
    ]
