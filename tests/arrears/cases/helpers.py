"""What the case tests share: a small ledger, a referral sent without the pages, the case
page's address and the messages a page shows."""

from datetime import date

from django.urls import reverse

from arrears.cases import services as cases
from arrears.models import ReferralPurpose
from tests.factories import ContributionFactory, PaymentFactory, agency

DAY = date(2026, 1, 15)
PDF = b"%PDF-1.4\n% a test file\n"
HTMX = {"HTTP_HX_REQUEST": "true"}


def ledger(employer):  # type: ignore[no-untyped-def]
    """Four months of 1,000,000 đ (07-10/2025), July paid on time: 3,000,000 đ in arrears."""
    for month in (7, 8, 9, 10):
        ContributionFactory(employer=employer, period=date(2025, month, 1))
    PaymentFactory(employer=employer, paid_on=date(2025, 8, 20), amount=1_000_000)
    return employer


def send(case, code, reference, by, purpose=ReferralPurpose.INSPECT):  # type: ignore[no-untyped-def]
    """A referral sent without the pages (a police one recorded as imported)."""
    if code == "police":
        return cases.record_imported_referral(
            employer=case.employer,
            agency=agency(code),
            purpose=ReferralPurpose.INVESTIGATE,
            reference=reference,
            sent_on=DAY,
        )
    referral = cases.create_referral(case=case, agency=agency(code), purpose=purpose, by=by)
    return cases.send_referral(referral=referral, by=by, reference=reference, sent_on=DAY)


def detail(case):  # type: ignore[no-untyped-def]
    return reverse("case_detail", args=[case.pk])


def page_messages(response) -> list[str]:  # type: ignore[no-untyped-def]
    return [str(m) for m in response.context["messages"]]
