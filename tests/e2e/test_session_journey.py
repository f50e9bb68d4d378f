"""A session day in the browser: the officer opens the day's sessions, marks one employer
present, records the minutes with an instalment plan and finds the commitment on the case;
another employer, marked absent a second time, gets the proposal of the next step."""

from __future__ import annotations

from datetime import time, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from arrears.cases import services as cases
from arrears.models import Booking, BookingStatus, Commitment, LadderProposal, SessionSlot, Stage
from arrears.sessions import services as sessions
from tests.e2e.browser import assert_accessible, log_in, screenshot
from tests.factories import EmployerFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_officer_holds_the_days_sessions(page: Page, officer_a, employer_a, office_a) -> None:  # type: ignore[no-untyped-def]
    today = timezone.localdate()
    absent = EmployerFactory(office=office_a, name="Công ty CP Vắng Mặt", unit_code="TS777001")
    case_a = cases.open_case(employer=employer_a, by=officer_a, on=today - timedelta(days=30))
    case_c = cases.open_case(employer=absent, by=officer_a, on=today - timedelta(days=30))
    slot = SessionSlot.objects.create(
        office=office_a, day=today, starts_at=time(8, 30), place="Phòng họp tầng 2", capacity=3
    )
    slot.officers.add(officer_a)
    earlier = SessionSlot.objects.create(
        office=office_a, day=today - timedelta(days=7), starts_at=time(8, 30), place="P2"
    )
    missed = Booking.objects.create(slot=earlier, employer=absent, case=case_c)
    sessions.record_attendance(booking=missed, came=False, by=officer_a)
    present = Booking.objects.create(slot=slot, employer=employer_a, case=case_a)
    second = Booking.objects.create(slot=slot, employer=absent, case=case_c)

    log_in(page, "officer_a")
    page.get_by_role("navigation", name="Điều hướng chính").get_by_role(
        "link", name="Buổi làm việc", exact=True
    ).click()
    page.get_by_role("link", name="Buổi làm việc hôm nay").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Buổi làm việc hôm nay")
    expect(page.get_by_text("08:30 · Phòng họp tầng 2")).to_be_visible()
    assert_accessible(page)
    screenshot(page, "sessions-1-today")

    # Employer A came, with its chief accountant, and agreed a plan in two parts.
    page.get_by_role("link", name=f"{employer_a.unit_code} {employer_a.name}").click()
    attendance = page.locator("form#attendanceform")
    attendance.get_by_label("Có mặt").check()
    attendance.get_by_label("Người đến làm việc").fill("Bùi Thị Hoa")
    attendance.get_by_label("Chức vụ, tư cách").fill("Kế toán trưởng, được ủy quyền")
    attendance.get_by_role("button", name="Ghi điểm danh").click()
    expect(page.get_by_role("alert")).to_have_text("Đã ghi điểm danh.")
    first_due, second_due = today + timedelta(days=15), today + timedelta(days=45)
    minutes = page.locator("form#minutesform")
    minutes.get_by_label("Số nợ đơn vị thừa nhận (đồng)").fill("3.000.000")
    minutes.get_by_label("Lý do chậm đóng đơn vị trình bày").fill("Khách hàng chậm thanh toán")
    minutes.locator("select[name=agreement]").select_option(label="Lộ trình trả theo đợt")
    minutes.get_by_label("Các đợt trả").fill(
        f"{first_due:%d/%m/%Y} 1.000.000\n{second_due:%d/%m/%Y} 2.000.000"
    )
    minutes.get_by_role("button", name="Lưu biên bản").click()
    expect(page.get_by_role("alert")).to_have_text("Đã lưu biên bản làm việc.")
    expect(page.get_by_role("link", name="Biên bản (PDF) để in và ký")).to_be_visible()
    assert_accessible(page)
    screenshot(page, "sessions-2-minutes")

    # The commitment is on the case, made in the same step.
    page.get_by_role("link", name=f"Hồ sơ #{case_a.pk}").click()
    plan = page.get_by_role("region", name="Cam kết trả nợ")
    expect(plan.locator("tbody tr")).to_have_count(2)
    expect(plan.locator("tbody tr").first).to_contain_text(f"{first_due:%d/%m/%Y}")
    expect(plan.locator("tbody tr").first).to_contain_text("1.000.000\u00a0₫")
    commitment = Commitment.objects.get(case=case_a)
    assert [(i.due_on, i.amount) for i in commitment.instalments.all()] == [
        (first_due, 1_000_000),
        (second_due, 2_000_000),
    ]

    # The other employer does not come, a second time: the case proposes the next step.
    page.goto(page.url.split("/ho-so/")[0] + f"/buoi-lam-viec/lich/{second.pk}/")
    attendance = page.locator("form#attendanceform")
    attendance.get_by_label("Vắng mặt").check()
    attendance.get_by_role("button", name="Ghi điểm danh").click()
    expect(page.get_by_role("alert")).to_have_text("Đã ghi điểm danh.")
    expect(page.get_by_text("Đơn vị đã vắng 2 buổi liền.")).to_be_visible()
    page.get_by_role("link", name=f"Hồ sơ #{case_c.pk}").click()
    proposal = page.get_by_role("status").filter(has_text="Đề xuất chuyển sang bước")
    expect(proposal).to_contain_text("«Thanh tra, kiểm tra»")
    expect(proposal).to_contain_text(
        f"Vắng mặt 2 buổi làm việc liền: {earlier.day:%d/%m/%Y}, {today:%d/%m/%Y}."
    )
    assert_accessible(page)
    screenshot(page, "sessions-3-proposal")
    proposal.get_by_role("button", name="Chuyển bước theo đề xuất").click()
    expect(page.get_by_role("alert")).to_have_text("Đã chuyển bước.")
    case_c.refresh_from_db()
    assert case_c.stage == Stage.INSPECTION
    assert LadderProposal.objects.get(case=case_c).status == "accepted"
    present.refresh_from_db()
    assert present.status == BookingStatus.ATTENDED
