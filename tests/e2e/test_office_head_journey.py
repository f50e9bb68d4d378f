"""The head of a grassroots office signs in, looks over their officers' week, approves the police
referral of a case in their office, and the officer can then send it; another office's case
answers 404, as if it did not exist."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from playwright.sync_api import Page, expect

from arrears.cases import services as cases
from arrears.cases.attachments import add_attachment
from arrears.cases.dossier import POLICE_DOSSIER
from arrears.models import ReferralPurpose
from tests.e2e.browser import assert_accessible, log_in, screenshot
from tests.e2e.test_officer_journey import ledger_of
from tests.factories import agency

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PDF = b"%PDF-1.4\n% a dossier item\n"


def test_head_approves_a_police_referral_in_their_office_only(
    page: Page, head_a, officer_a, officer_b, employer_a, employer_b
) -> None:  # type: ignore[no-untyped-def]
    case = cases.open_case(employer=ledger_of(employer_a), by=officer_a)
    other_office = cases.open_case(employer=ledger_of(employer_b), by=officer_b)
    referral = cases.create_referral(
        case=case,
        agency=agency("police"),
        purpose=ReferralPurpose.INVESTIGATE,
        by=officer_a,
        note="Đề nghị điều tra hành vi trốn đóng",
    )
    for item, _label in POLICE_DOSSIER:
        add_attachment(
            case=case,
            file=SimpleUploadedFile(f"{item}.pdf", PDF),
            by=officer_a,
            referral=referral,
            dossier_item=item,
        )

    log_in(page, "head_a")
    expect(page.get_by_text("head_a · Lãnh đạo BHXH cơ sở")).to_be_visible()
    # Their week: their office's officers to choose from, not another office's.
    page.goto("/ho-so/tuan-nay/")
    officers = page.get_by_label("Cán bộ")
    expect(officers.locator("option")).to_have_count(2)  # everyone, and officer_a
    expect(officers).to_contain_text("officer_a")
    expect(officers).not_to_contain_text("officer_b")

    page.goto("/ho-so/")
    rows = page.locator("table tbody tr")
    expect(rows).to_have_count(1)
    rows.first.get_by_role("link", name=employer_a.unit_code).click()
    card = page.locator(f"#referral-{referral.pk}")
    expect(card).to_contain_text(agency("police").name)
    card.get_by_role("button", name="Phê duyệt hồ sơ chuyển công an").click()
    expect(page.get_by_role("alert")).to_have_text("Đã phê duyệt đề nghị chuyển hồ sơ.")
    expect(page.locator(f"#referral-{referral.pk}")).to_contain_text("Lãnh đạo duyệt")
    expect(page.locator(f"#referral-{referral.pk}")).to_contain_text("head_a")
    expect(page.get_by_text("Chờ lãnh đạo phê duyệt trước khi gửi.")).to_have_count(0)
    assert_accessible(page)
    screenshot(page, "office-head-1-approved")

    referral.refresh_from_db()
    assert referral.approved_by == head_a
    # The officer may now send it.
    cases.send_referral(referral=referral, by=officer_a, reference="21/BHXH-CA")

    # Another office's case: as if it did not exist.
    response = page.goto(f"/ho-so/{other_office.pk}/")
    assert response is not None and response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Không tìm thấy trang")
    expect(page.get_by_text(employer_b.name)).to_have_count(0)
    screenshot(page, "office-head-2-not-found")
