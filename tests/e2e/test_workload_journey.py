"""A manager ticks ten cases on the case list, reassigns them to another officer after the
confirmation page, then previews the weekly run (a dry run: its counts, nothing written) and
confirms it; the run makes what the preview said."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from arrears.cases import services as cases
from arrears.models import CaseEvent, EventKind, JobRun, RecoveryCase, Reminder
from audit.models import AuditEntry
from tests.e2e.browser import assert_accessible, log_in, screenshot
from tests.e2e.test_officer_journey import ledger_of
from tests.factories import EmployerFactory, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_manager_reassigns_ten_cases_then_previews_and_confirms_a_run(
    page: Page, manager, office_a, officer_a
) -> None:  # type: ignore[no-untyped-def]
    other = UserFactory(
        username="officer_c", first_name="Lê Thị", last_name="Cúc", offices=[office_a]
    )
    opened = [
        cases.open_case(employer=ledger_of(EmployerFactory(office=office_a)), by=officer_a)
        for _ in range(12)
    ]
    log_in(page, "manager")
    page.goto("/ho-so/")
    boxes = page.locator("table tbody input[type=checkbox]")
    expect(boxes).to_have_count(12)
    select_all = page.get_by_label("Chọn tất cả các dòng của trang")
    select_all.check()
    expect(page.locator("table tbody input[type=checkbox]:checked")).to_have_count(12)
    select_all.uncheck()
    expect(page.locator("table tbody input[type=checkbox]:checked")).to_have_count(0)
    for index in range(10):
        boxes.nth(index).check()
    page.get_by_label("Với các dòng đã chọn", exact=True).select_option("assign")
    page.get_by_role("button", name="Tiếp tục").click()
    # The confirmation page asks for the officer and the reason, then says what it will do.
    page.get_by_label("Cán bộ phụ trách").select_option(label="Lê Thị Cúc")
    page.get_by_label("Lý do / ghi chú").fill("Cân đối khối lượng việc")
    page.get_by_role("button", name="Xem sẽ làm gì").click()
    expect(page.locator("#bulk-plan")).to_contain_text("10 mục sẽ được thực hiện")
    assert not other.cases.exists()
    assert_accessible(page)
    screenshot(page, "workload-1-confirm")
    page.get_by_role("button", name="Xác nhận").click()
    expect(page.get_by_role("alert")).to_contain_text("Giao cho cán bộ: đã làm 10")
    assert other.cases.count() == 10
    assert RecoveryCase.objects.filter(officer=officer_a).count() == 2
    assert CaseEvent.objects.filter(kind=EventKind.ASSIGNMENT, author=manager).count() == 10
    assert AuditEntry.objects.filter(action="case_assigned", user=manager).count() == 10
    assert {c.pk for c in other.cases.all()} <= {c.pk for c in opened}

    # "Run now": first the dry run's counts, nothing written.
    page.goto("/viec-dinh-ky/")
    page.get_by_label("Công việc").select_option("weekly")
    page.get_by_role("button", name="Xem trước").click()
    preview = page.locator("#run-preview")
    expect(preview).to_contain_text("Thông báo đôn đốc")
    expect(preview.locator("tr").first).to_contain_text("12")
    assert not JobRun.objects.exists() and not Reminder.objects.exists()
    assert_accessible(page)
    screenshot(page, "workload-2-run-preview")
    page.get_by_role("button", name="Xác nhận và đưa vào hàng đợi").click()
    expect(page.get_by_role("alert")).to_contain_text("Đã đưa vào hàng đợi")
    run = JobRun.objects.get()
    assert run.counts["reminders"] == 12
    assert Reminder.objects.filter(kind=Reminder.Kind.NOTICE).count() == 12
