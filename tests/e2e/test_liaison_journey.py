"""The police liaison signs in, sees only the case referred to the police, answers the referral;
any other case answers 404, as if it did not exist."""

from __future__ import annotations

from datetime import date

import pytest
from playwright.sync_api import Page, expect

from arrears.cases import services as cases
from arrears.models import CaseEvent, EventKind, ReferralPurpose, ReferralStatus
from tests.e2e.browser import assert_accessible, log_in, open_details, screenshot
from tests.e2e.test_officer_journey import ledger_of
from tests.factories import EmployerFactory, agency

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

SENT = date(2026, 10, 5)


def test_police_liaison_answers_its_referral_and_nothing_else(
    page: Page, police, officer_a, employer_a, employer_b, office_a
) -> None:  # type: ignore[no-untyped-def]
    to_police = cases.record_imported_referral(
        employer=ledger_of(employer_a),
        agency=agency("police"),
        purpose=ReferralPurpose.INVESTIGATE,
        reference="123/BHXH-QLT",
        sent_on=SENT,
    )
    to_inspectorate = cases.record_imported_referral(
        employer=ledger_of(employer_b),
        agency=agency("labour_inspectorate"),
        purpose=ReferralPurpose.INSPECT,
        reference="124/BHXH-QLT",
        sent_on=SENT,
    )
    not_referred = cases.open_case(
        employer=EmployerFactory(office=office_a, name="Công ty Cổ phần Sông Đà"),
        by=officer_a,
    )

    log_in(page, "police")
    nav = page.get_by_role("navigation", name="Điều hướng chính")
    expect(nav.get_by_role("link", name="Hồ sơ", exact=True)).to_be_visible()
    for hidden in ("Đơn vị", "Nhập dữ liệu", "Việc định kỳ", "Báo cáo"):
        expect(nav.get_by_role("link", name=hidden, exact=True)).to_have_count(0)

    nav.get_by_role("link", name="Hồ sơ", exact=True).click()
    rows = page.locator("table tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text(employer_a.name)
    rows.first.get_by_role("link", name=employer_a.unit_code).click()

    referral = page.locator(f"#referral-{to_police.pk}")
    expect(referral).to_contain_text("123/BHXH-QLT · 05/10/2026")
    expect(referral).to_contain_text("3.000.000\u00a0₫")  # the arrears when it was sent
    expect(page.get_by_role("region", name="Thao tác")).to_have_count(0)  # staff's actions
    open_details(page, "Phản hồi đề nghị")
    form = referral.locator(f"form#answer-{to_police.pk}")
    form.get_by_label("Tình trạng").select_option(label="Đang xử lý")
    form.get_by_label("Phản hồi").fill("Đã phân công điều tra viên xác minh.")
    form.get_by_role("button", name="Ghi phản hồi").click()
    expect(page.get_by_role("alert")).to_have_text("Đã ghi phản hồi.")
    expect(page.locator(f"#referral-{to_police.pk} .badge").first).to_have_text("Đang xử lý")
    expect(page.get_by_role("region", name="Diễn biến")).to_contain_text(
        "Đang xử lý: Đã phân công điều tra viên xác minh."
    )
    assert_accessible(page)
    screenshot(page, "liaison-1-case")

    to_police.refresh_from_db()
    assert (to_police.status, to_police.response) == (
        ReferralStatus.IN_PROGRESS,
        "Đã phân công điều tra viên xác minh.",
    )
    answer = CaseEvent.objects.get(case=to_police.case, kind=EventKind.REFERRAL_ANSWER)
    assert (answer.author, answer.agency) == (police, agency("police"))

    # Another agency's case and a case never referred: as if they did not exist.
    for other in (to_inspectorate.case, not_referred):
        response = page.goto(f"/ho-so/{other.pk}/")
        assert response is not None and response.status == 404
        expect(page.get_by_role("heading", level=1)).to_have_text("Không tìm thấy trang")
        expect(page.get_by_text(other.employer.name)).to_have_count(0)
    screenshot(page, "liaison-2-not-found")
    for employer, status in ((employer_a, 200), (employer_b, 404)):
        response = page.goto(f"/don-vi/{employer.unit_code}/")
        assert response is not None and response.status == status
