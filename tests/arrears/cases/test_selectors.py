"""What recovery work reads (arrears/cases/selectors.py): a case's figures, the employer's
evasion periods, and which cases, referrals and files a user sees (the models' in_scope), on
small ledgers with exact figures."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from arrears.cases import services as cases
from arrears.cases.errors import CaseError
from arrears.cases.selectors import case_figures, employer_evasion_periods
from arrears.law import Step
from arrears.models import (
    Attachment,
    RecoveryCase,
    Referral,
    ReferralPurpose,
    ReferralStatus,
    Reminder,
)
from participants.models import Employer
from tests.arrears.cases.helpers import DAY
from tests.factories import agency

pytestmark = pytest.mark.django_db


def test_case_figures(late_employer, officer_a):  # type: ignore[no-untyped-def]
    case = cases.open_case(employer=late_employer, by=officer_a, on=DAY)
    figures = case_figures(case, DAY)
    assert figures.balance.arrears == 3_000_000
    assert figures.balance.months_in_arrears == 3
    assert figures.step == Step.INSPECTION
    # 12-15 % of 3,000,000.
    assert (figures.fine_late.low, figures.fine_late.high) == (360_000, 450_000)
    assert not figures.meets_criminal_criteria
    assert figures.evasion_periods == []  # no reminder was sent


def test_evasion_after_a_reminder_and_force_majeure(late_employer, officer_a, manager):  # type: ignore[no-untyped-def]
    Reminder.objects.create(
        employer=late_employer,
        cycle="2025-W41",
        kind=Reminder.Kind.NOTICE,
        channel=Reminder.Channel.LETTER,
        status=Reminder.Status.SENT,
        as_of=date(2025, 10, 6),
        arrears=1_000_000,
        interest=0,
        months_in_arrears=1,
    )
    # On 15/01/2026: Aug (due 30/09) and Sep (due 31/10) are over 60 days late and were
    # reminded on 06/10 (after Aug's deadline only); Oct (due 30/11) is 46 days late.
    assert employer_evasion_periods(late_employer, DAY) == [date(2025, 8, 1)]
    claim = cases.claim_force_majeure(
        employer=late_employer,
        by=officer_a,
        first_period=date(2025, 8, 1),
        last_period=date(2025, 8, 1),
        reason="Lũ lụt",
        proof=SimpleUploadedFile("proof.pdf", b"%PDF-1.4"),
    )
    with pytest.raises(CaseError):
        cases.decide_force_majeure(claim=claim, by=officer_a, accept=True)
    cases.decide_force_majeure(claim=claim, by=manager, accept=True)
    assert employer_evasion_periods(late_employer, DAY) == []


def test_liaison_sees_only_cases_sent_to_its_agency(late_employer, officer_a, police, federation):  # type: ignore[no-untyped-def]
    case = cases.open_case(employer=late_employer, by=officer_a, on=DAY)
    referral = cases.create_referral(
        case=case, agency=agency("police"), purpose=ReferralPurpose.INVESTIGATE, by=officer_a
    )
    # A draft is not yet the agency's.
    assert not RecoveryCase.objects.in_scope(police).exists()
    referral.status, referral.sent_on = ReferralStatus.SENT, DAY
    referral.save()
    assert list(RecoveryCase.objects.in_scope(police)) == [case]
    assert not RecoveryCase.objects.in_scope(federation).exists()
    assert list(Employer.objects.in_scope(police)) == [late_employer]


@pytest.mark.usefixtures("media_root")
def test_referrals_and_files_in_scope(late_employer, officer_a, officer_b, police, federation):  # type: ignore[no-untyped-def]
    case = cases.open_case(employer=late_employer, by=officer_a, on=DAY)
    draft = cases.create_referral(
        case=case, agency=agency("police"), purpose=ReferralPurpose.INVESTIGATE, by=officer_a
    )
    sent = cases.create_referral(
        case=case, agency=agency("labour_federation"), purpose=ReferralPurpose.SUE, by=officer_a
    )
    cases.send_referral(referral=sent, by=officer_a, reference="3/BHXH", sent_on=DAY)

    def attach(referral):  # type: ignore[no-untyped-def]
        return Attachment.objects.create(
            case=case,
            referral=referral,
            dossier_item="minutes" if referral else "",
            file=SimpleUploadedFile("f.pdf", b"%PDF-1.4"),
            original_name="f.pdf",
            content_type="application/pdf",
            size=8,
        )

    dossier, note = attach(draft), attach(None)
    assert set(Referral.objects.in_scope(officer_a)) == {draft, sent}
    assert not Referral.objects.in_scope(officer_b).exists()
    # A liaison: only what was sent to its agency; a draft is not yet the agency's.
    assert list(Referral.objects.in_scope(federation)) == [sent]
    assert not Referral.objects.in_scope(police).exists()
    assert set(Attachment.objects.in_scope(officer_a)) == {dossier, note}
    assert not Attachment.objects.in_scope(officer_b).exists()
    # Not another agency's dossier.
    assert list(Attachment.objects.in_scope(federation)) == [note]
