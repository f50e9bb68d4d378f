"""A police referral's dossier (arrears/cases/dossier.py): every item before it is sent,
uploaded through the case page, and only while the referral is a draft."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from arrears.cases import services as cases
from arrears.cases.attachments import add_attachment
from arrears.cases.dossier import POLICE_DOSSIER, dossier_missing
from arrears.cases.errors import CaseError
from arrears.models import Attachment, ReferralPurpose, ReferralStatus
from tests.arrears.cases.helpers import DAY
from tests.factories import agency

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root")]

PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n"

EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00"


def test_police_referral_needs_dossier_and_approval(late_employer, officer_a, manager):  # type: ignore[no-untyped-def]
    case = cases.open_case(employer=late_employer, by=officer_a, on=DAY)
    referral = cases.create_referral(
        case=case, agency=agency("police"), purpose=ReferralPurpose.INVESTIGATE, by=officer_a
    )
    with pytest.raises(CaseError, match="còn thiếu"):
        cases.send_referral(referral=referral, by=officer_a, reference="9/BHXH-QLT")
    for item, label in POLICE_DOSSIER:
        Attachment.objects.create(
            case=case,
            referral=referral,
            dossier_item=item,
            file=SimpleUploadedFile(f"{item}.pdf", b"%PDF-1.4 test"),
            original_name=f"{label}.pdf",
            content_type="application/pdf",
            size=13,
        )
    assert dossier_missing(referral) == []
    with pytest.raises(CaseError, match="phê duyệt"):
        cases.send_referral(referral=referral, by=officer_a, reference="9/BHXH-QLT")
    cases.approve_referral(referral=referral, by=manager)
    cases.send_referral(referral=referral, by=officer_a, reference="9/BHXH-QLT", sent_on=DAY)
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.SENT


def test_dossier_upload_is_checked_and_only_on_drafts(client_as, case_a, officer_a, manager):  # type: ignore[no-untyped-def]
    referral = cases.create_referral(
        case=case_a, agency=agency("police"), purpose="investigate", by=officer_a
    )
    client = client_as(officer_a)

    def upload(item, name, content):  # type: ignore[no-untyped-def]
        url = reverse("case_dossier_upload", args=[case_a.pk, referral.pk, item])
        return client.post(url, {"file": SimpleUploadedFile(name, content)}, HTTP_HX_REQUEST="true")

    response = upload("minutes", "bb.pdf", EXE)
    assert "Tệp «bb.pdf» có nội dung không phải tệp PDF" in response.content.decode()
    assert upload("selfie", "x.pdf", PDF).status_code == 404
    for item, _label in POLICE_DOSSIER:
        upload(item, f"{item}.pdf", PDF)
    assert referral.attachments.count() == 7
    cases.approve_referral(referral=referral, by=manager)
    cases.send_referral(referral=referral, by=officer_a, reference="1/BHXH-CA", sent_on=DAY)
    response = upload("minutes", "them.pdf", PDF)
    assert "Đề nghị đã gửi; không thay đổi hồ sơ kèm theo." in response.content.decode()
    assert referral.attachments.count() == 7
    # Only a police referral has a dossier.
    other = cases.create_referral(case=case_a, agency=agency("tax"), purpose="other", by=officer_a)
    with pytest.raises(CaseError, match="Thành phần hồ sơ"):
        add_attachment(
            case=case_a,
            file=SimpleUploadedFile("x.pdf", PDF),
            by=officer_a,
            referral=other,
            dossier_item="minutes",
        )
