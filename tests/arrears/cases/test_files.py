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


def test_liaisons_on_a_shared_case_see_only_their_organisations_events_and_files(  # type: ignore[no-untyped-def]
    client_as, case_a, officer_a, manager, police
):
    """A case referred to the police and to the labour inspectorate: each liaison sees the
    office's own entries and their organisation's, never the other's events, files or
    dossier, by any page or address; the office's staff see everything."""
    from accounts.models import User
    from arrears.models import Attachment, CaseEvent, Referral, ReferralStatus
    from tests.factories import UserFactory

    inspector = UserFactory(
        username="inspector", role=User.Role.LIAISON, agency=agency("labour_inspectorate")
    )
    # The police referral with a dossier file, sent.
    to_police = cases.create_referral(
        case=case_a, agency=agency("police"), purpose=ReferralPurpose.INVESTIGATE, by=officer_a
    )
    dossier = add_attachment(
        case=case_a,
        file=SimpleUploadedFile("ho-so-cong-an.pdf", PDF),
        by=officer_a,
        referral=to_police,
        dossier_item="minutes",
    )
    Referral.objects.filter(pk=to_police.pk).update(
        status=ReferralStatus.SENT, sent_on=DAY, reference="1/BHXH-CA"
    )
    to_inspectorate = cases.create_referral(
        case=case_a,
        agency=agency("labour_inspectorate"),
        purpose=ReferralPurpose.INSPECT,
        by=manager,
    )
    cases.send_referral(referral=to_inspectorate, by=manager, reference="2/BHXH-TT", sent_on=DAY)
    # Each organisation logs an event with a file; the office one of its own.
    logged = {}
    for user, name in ((police, "bien-ban-cong-an.pdf"), (inspector, "ket-luan-thanh-tra.pdf")):
        event = cases.log_event(
            case=case_a,
            kind="visit",
            by=user,
            text=f"Làm việc ({name})",
            attachments=[SimpleUploadedFile(name, PDF)],
        )
        logged[user.username] = event.attachments.get()
    office = cases.log_event(
        case=case_a,
        kind="note",
        by=officer_a,
        text="Ghi chú của cơ quan",
        attachments=[SimpleUploadedFile("ghi-chu.pdf", PDF)],
    ).attachments.get()

    def url(file):  # type: ignore[no-untyped-def]
        return reverse("case_attachment", args=[case_a.pk, file.pk])

    police_files = {dossier, logged["police"]}
    for user, own, others in (
        (police, police_files, {logged["inspector"]}),
        (inspector, {logged["inspector"]}, police_files),
    ):
        client = client_as(user)
        assert set(Attachment.objects.in_scope(user)) == own | {office}, user
        for file in own | {office}:
            assert client.get(url(file)).status_code == 200, (user, file)
        for file in others:
            assert client.get(url(file)).status_code == 404, (user, file)
        page = client.get(reverse("case_detail", args=[case_a.pk]))
        html = page.content.decode()
        for file in others:
            assert file.original_name not in html, (user, file)
        shown = [entry.event for entry in page.context["timeline"] if entry.event]
        assert {e.agency_id for e in shown} <= {None, user.agency_id}, user
        assert set(
            CaseEvent.objects.in_scope(user)
            .filter(agency__isnull=False)
            .values_list("agency_id", flat=True)
        ) == {user.agency_id}
        referrals = [row.referral for row in page.context["referrals"]]
        assert [r.agency_id for r in referrals] == [user.agency_id], user
    # The office's staff see every organisation's.
    assert set(Attachment.objects.in_scope(manager)) == police_files | {
        logged["inspector"],
        office,
    }
