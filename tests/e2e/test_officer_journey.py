"""An officer's day in the browser: sign in, find an employer typed without diacritics, read its
statement, open a case, log a call with a follow-up, record an instalment plan, move the case
forward."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from arrears.balances import refresh_balances
from arrears.models import CaseEvent, Commitment, EventKind, RecoveryCase, Stage
from arrears.selectors import employer_statement
from participants.models import Employer
from tests.e2e.browser import assert_accessible, log_in, open_details, screenshot
from tests.factories import ContributionFactory, EmployerFactory, PaymentFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def ledger_of(employer: Employer) -> Employer:
    """Four months of 1.000.000 ₫ (07-10/2025), July paid on time: 3.000.000 ₫ in arrears."""
    for month in (7, 8, 9, 10):
        ContributionFactory(employer=employer, period=date(2025, month, 1))
    PaymentFactory(employer=employer, paid_on=date(2025, 8, 20), amount=1_000_000)
    return employer


def test_officer_works_a_case_from_search_to_the_next_stage(
    page: Page, officer_a, employer_a, employer_b, office_a
) -> None:  # type: ignore[no-untyped-def]
    ledger_of(employer_a)
    ledger_of(employer_b)  # another office's: never on this officer's pages
    EmployerFactory(office=office_a, name="Hợp tác xã Đồng Phát", unit_code="TS900001")
    refresh_balances()
    today = timezone.localdate()
    interest = employer_statement(employer_a, today).balance.interest
    assert interest > 0  # the seeded rate (0,03 %/day) is there: serialized_rollback kept it

    log_in(page, "officer_a")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Xin chào")

    # The employer list, searched without diacritics.
    page.get_by_role("navigation", name="Điều hướng chính").get_by_role(
        "link", name="Đơn vị", exact=True
    ).click()
    rows = page.locator("table tbody tr")
    expect(rows).to_have_count(2)
    expect(page.get_by_text(employer_b.name)).to_have_count(0)
    page.get_by_label("Tìm (tên, mã đơn vị, MST)").fill("cong ty minh phat")
    page.get_by_role("button", name="Lọc").click()
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Công ty TNHH Minh Phát")
    expect(rows.first).to_contain_text("3.000.000\u00a0₫")
    assert "q=cong+ty+minh+phat" in page.url
    screenshot(page, "officer-1-employer-search")

    # Its statement: the balance today and the C12-TS lines, in the office's formats.
    rows.first.get_by_role("link", name=employer_a.unit_code).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Công ty TNHH Minh Phát")
    balance = page.get_by_role("region", name=f"Số nợ tính đến ngày {today:%d/%m/%Y}")
    expect(balance).to_contain_text("3.000.000\u00a0₫")
    expect(balance).to_contain_text(f"{interest:,}".replace(",", ".") + "\u00a0₫")
    expect(balance).to_contain_text("08/2025")  # the oldest unpaid period
    statement = page.get_by_role("region", name="Thông báo kết quả đóng theo tháng (mẫu C12-TS)")
    expect(statement.locator("tbody tr").first).to_contain_text("07/2025")
    expect(statement.locator("tfoot")).to_contain_text("4.000.000\u00a0₫")
    expect(page.get_by_role("cell", name="30/09/2025")).to_be_visible()  # August's due date
    assert_accessible(page)
    screenshot(page, "officer-2-statement")

    # A case for it.
    page.get_by_role("button", name="Mở hồ sơ").click()
    expect(page.get_by_role("alert")).to_have_text("Đã mở hồ sơ thu nợ.")
    case = RecoveryCase.objects.get(employer=employer_a)
    assert page.url.endswith(f"/ho-so/{case.pk}/")
    expect(page.locator("#case-body .badge").first).to_have_text("Phát hiện")

    # A call, with a follow-up a week on (the quick forms post through htmx).
    follow_up = today + timedelta(days=7)
    open_details(page, "Ghi diễn biến")
    event_form = page.locator("form#eventform")
    event_form.get_by_label("Loại").select_option(label="Gọi điện")
    event_form.get_by_label("Nội dung").fill("Gọi kế toán trưởng, hẹn nộp trong tuần.")
    event_form.get_by_label("Hẹn theo dõi tiếp").fill(follow_up.isoformat())
    event_form.get_by_role("button", name="Ghi diễn biến").click()
    expect(page.get_by_role("alert")).to_have_text("Đã ghi diễn biến.")
    timeline = page.get_by_role("region", name="Diễn biến")
    expect(timeline).to_contain_text("Gọi kế toán trưởng, hẹn nộp trong tuần.")
    expect(timeline).to_contain_text(f"Hẹn theo dõi tiếp: {follow_up:%d/%m/%Y}")

    # An instalment plan in two parts.
    first, second = today + timedelta(days=10), today + timedelta(days=40)
    open_details(page, "Ghi cam kết trả nợ")
    plan_form = page.locator("form#commitmentform")
    plan_form.get_by_label("Loại").select_option(label="Lộ trình trả nợ theo đợt")
    plan_form.get_by_label("Các đợt trả").fill(
        f"{first:%d/%m/%Y} 1.500.000\n{second:%d/%m/%Y} 1.500.000"
    )
    plan_form.get_by_role("button", name="Ghi cam kết").click()
    expect(page.get_by_role("alert")).to_have_text("Đã ghi cam kết.")
    plan = page.get_by_role("region", name="Cam kết trả nợ")
    expect(plan.locator("tbody tr")).to_have_count(2)
    expect(plan.locator("tbody tr").first).to_contain_text(f"{first:%d/%m/%Y}")
    expect(plan.locator("tbody tr").first).to_contain_text("1.500.000\u00a0₫")

    # Forward to the next stage, with the reason.
    open_details(page, "Chuyển bước")
    move_form = page.locator("form#movestageform")
    move_form.get_by_label("Chuyển đến bước").select_option(label="Đã đôn đốc")
    move_form.get_by_label("Lý do").fill("Đã gửi văn bản đôn đốc lần 1.")
    move_form.get_by_role("button", name="Chuyển bước").click()
    expect(page.get_by_role("alert")).to_have_text("Đã chuyển bước hồ sơ.")
    expect(page.locator("#case-body .badge").first).to_have_text("Đã đôn đốc")
    assert_accessible(page)
    screenshot(page, "officer-3-case")

    case.refresh_from_db()
    assert (case.stage, case.follow_up_on, case.officer) == (Stage.REMINDED, follow_up, officer_a)
    call = case.events.get(kind=EventKind.CALL)
    assert (call.author, call.follow_up_on) == (officer_a, follow_up)
    commitment = Commitment.objects.get(case=case)
    assert [(i.due_on, i.amount) for i in commitment.instalments.order_by("due_on")] == [
        (first, 1_500_000),
        (second, 1_500_000),
    ]
    assert case.events.filter(kind=EventKind.STAGE_MOVE, to_stage=Stage.REMINDED).exists()
    assert CaseEvent.objects.filter(case__employer=employer_b).count() == 0
