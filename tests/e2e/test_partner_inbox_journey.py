"""An officer sends a referral to the labour federation from the case page (its letter takes
the register's number); the federation's liaison signs in, sees it counted in the navigation
and listed in the inbox, and opens it on the case."""

from __future__ import annotations

import pytest
from django.core import mail
from playwright.sync_api import Page, expect

from arrears.cases import services as cases
from arrears.models import IssuedDocument, ReferralNotice, ReferralPurpose
from tests.e2e.browser import assert_accessible, log_in, open_details, screenshot
from tests.e2e.test_officer_journey import ledger_of
from tests.factories import agency

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_liaison_sees_a_new_referral_in_the_inbox(
    page: Page, officer_a, federation, employer_a
) -> None:  # type: ignore[no-untyped-def]
    federation.email = "lan@congdoan.vn"
    federation.save()
    case = cases.open_case(employer=ledger_of(employer_a), by=officer_a)
    draft = cases.create_referral(
        case=case,
        agency=agency("labour_federation"),
        purpose=ReferralPurpose.SUE,
        by=officer_a,
        note="Đề nghị khởi kiện thay người lao động.",
    )

    log_in(page, "officer_a")
    page.goto(f"/ho-so/{case.pk}/")
    open_details(page, "Gửi đề nghị")
    form = page.locator(f"form#send-{draft.pk}")
    expect(form.get_by_label("Số văn bản")).to_have_value("")
    form.get_by_role("button", name="Gửi đề nghị").click()
    # The letter is rendered as it is numbered: the first PDF of a process takes a while.
    expect(page.get_by_role("alert")).to_contain_text("Đã gửi đề nghị", timeout=60_000)
    referral = page.locator(f"#referral-{draft.pk}")
    expect(referral).to_contain_text("1/CV-BHXH")
    expect(referral).to_contain_text("Hạn trả lời")
    assert IssuedDocument.objects.get(referral=draft).code == "1/CV-BHXH"
    assert [m.to for m in mail.outbox] == [["lan@congdoan.vn"]]

    page.context.clear_cookies()
    log_in(page, "federation")
    nav = page.get_by_role("navigation", name="Điều hướng chính")
    inbox_link = nav.get_by_role("link", name="Hộp thư")
    expect(inbox_link).to_contain_text("1")
    inbox_link.click()
    rows = page.locator("#inbox tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Đề nghị mới")
    expect(rows.first).to_contain_text(employer_a.name)
    expect(rows.first).to_contain_text("1/CV-BHXH")
    expect(rows.first).to_contain_text("Chưa đọc")
    assert_accessible(page)
    screenshot(page, "partner-1-inbox")

    rows.first.get_by_role("button", name="Mở").click()
    page.wait_for_url(f"**/ho-so/{case.pk}/#referral-{draft.pk}")
    expect(page.locator(f"#referral-{draft.pk}")).to_contain_text("Đề nghị khởi kiện")
    expect(page.locator("#inbox-count")).to_have_count(0)
    screenshot(page, "partner-2-case")
    assert ReferralNotice.objects.get(recipient=federation).read_at is not None
