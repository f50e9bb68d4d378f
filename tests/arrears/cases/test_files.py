"""What a case hands out as files (arrears/cases/files.py): attachments served only to those
who may see the case, and to a liaison not another agency's dossier."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from arrears.cases import services as cases
from arrears.cases.attachments import add_attachment
from arrears.models import ReferralPurpose
from tests.arrears.cases.helpers import DAY
from tests.factories import agency

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root")]

PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n"


def test_served_only_to_those_who_see_the_case(  # type: ignore[no-untyped-def]
    client_as, case_a, case_b, officer_a, officer_b, manager, police, federation
):
    file_a = add_attachment(case=case_a, file=SimpleUploadedFile("a.pdf", PDF), by=officer_a)
    file_b = add_attachment(case=case_b, file=SimpleUploadedFile("b.pdf", PDF), by=officer_b)
    url_a = reverse("case_attachment", args=[case_a.pk, file_a.pk])
    url_b = reverse("case_attachment", args=[case_b.pk, file_b.pk])
    assert client_as(officer_a).get(url_a).status_code == 200
    assert client_as(officer_b).get(url_a).status_code == 404
    assert client_as(manager).get(url_b).status_code == 200
    # Case B's file through case A's address is not case A's.
    wrong = reverse("case_attachment", args=[case_a.pk, file_b.pk])
    assert client_as(officer_a).get(wrong).status_code == 404

    cases.record_imported_referral(
        employer=case_a.employer,
        agency=agency("police"),
        purpose=ReferralPurpose.INVESTIGATE,
        reference="1/BHXH-CA",
        sent_on=DAY,
    )
    assert client_as(police).get(url_a).status_code == 200
    assert client_as(police).get(url_b).status_code == 404
    assert client_as(police).get(wrong).status_code == 404
    assert client_as(federation).get(url_a).status_code == 404


def test_another_agencys_dossier_is_not_a_liaisons(client_as, case_a, officer_a, federation):  # type: ignore[no-untyped-def]
    police_draft = cases.create_referral(
        case=case_a, agency=agency("police"), purpose="investigate", by=officer_a
    )
    dossier = add_attachment(
        case=case_a,
        file=SimpleUploadedFile("qd.pdf", PDF),
        by=officer_a,
        referral=police_draft,
        dossier_item="sanction_decision",
    )
    referral = cases.create_referral(
        case=case_a, agency=agency("labour_federation"), purpose="sue", by=officer_a
    )
    cases.send_referral(referral=referral, by=officer_a, reference="3/BHXH", sent_on=DAY)
    event_file = add_attachment(case=case_a, file=SimpleUploadedFile("e.pdf", PDF), by=officer_a)
    client = client_as(federation)
    assert (
        client.get(reverse("case_attachment", args=[case_a.pk, event_file.pk])).status_code == 200
    )
    assert client.get(reverse("case_attachment", args=[case_a.pk, dossier.pk])).status_code == 404
