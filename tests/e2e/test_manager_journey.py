"""A manager reads the dashboard, filters the aging report by office, and downloads it as
XLSX and PDF: the files, opened, carry the same totals as the page."""

from __future__ import annotations

from datetime import date

import pytest
from openpyxl import load_workbook
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from arrears.balances import refresh_balances
from tests.e2e.browser import artifact, assert_accessible, log_in, screenshot
from tests.e2e.test_officer_journey import ledger_of
from tests.factories import ContributionFactory, EmployerFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

TOTAL_ARREARS = "Tổng số nợ (đồng)"


def long_debtor(employer):  # type: ignore[no-untyped-def]
    """Nine unpaid months of 500.000 ₫ (01-09/2025): 4.500.000 ₫, 6 to under 12 months
    (09/2025 is due 31/10/2025; more months fall due by today)."""
    for month in range(1, 10):
        ContributionFactory(
            employer=employer,
            period=date(2025, month, 1),
            si=400_000,
            hi=60_000,
            ui=30_000,
            oaod=10_000,
            employees=20,
        )
    return employer


def test_manager_dashboard_aging_by_office_and_exports(
    page: Page, manager, employer_a, employer_b, office_a
) -> None:  # type: ignore[no-untyped-def]
    ledger_of(employer_a)  # Lương Sơn: 3.000.000 ₫, 3 months
    long_debtor(EmployerFactory(office=office_a, name="Hợp tác xã Đồng Tiến"))  # 4.500.000 ₫
    ledger_of(employer_b)  # Tân Lạc: 3.000.000 ₫
    refresh_balances()

    log_in(page, "manager")
    nav = page.get_by_role("navigation", name="Điều hướng chính")
    nav.get_by_role("link", name="Báo cáo", exact=True).click()
    page.get_by_role("link", name="Tổng quan (biểu đồ)").click()
    kpis = page.get_by_role("region", name="Chỉ tiêu chính")
    expect(kpis).to_contain_text("10.500.000\u00a0₫")  # the province's arrears
    expect(kpis).to_contain_text("3 đơn vị đang nợ")
    assert_accessible(page)
    screenshot(page, "manager-1-dashboard")

    nav.get_by_role("link", name="Báo cáo", exact=True).click()
    page.get_by_role("link", name="Tuổi nợ chậm đóng BHXH, BHYT, BHTN").click()
    page.get_by_label("BHXH cơ sở").select_option(label="Lương Sơn")
    page.get_by_role("button", name="Xem").click()
    table = page.get_by_role("table", name="Tuổi nợ chậm đóng BHXH, BHYT, BHTN")
    expect(table.locator("tbody tr")).to_have_count(1)
    expect(table.locator("tbody tr").first).to_contain_text("Lương Sơn")
    headers = table.locator("thead th").all_inner_texts()
    totals = table.locator("tfoot td").all_inner_texts()
    column = headers.index(TOTAL_ARREARS)
    assert totals[column] == "7.500.000\u00a0₫"
    assert totals[headers.index("Số đơn vị nợ")] == "2"
    assert "office=" in page.url
    assert_accessible(page)
    screenshot(page, "manager-2-aging-luong-son")

    with page.expect_download() as xlsx:
        page.get_by_role("link", name="XLSX").click()
    assert xlsx.value.suggested_filename.endswith(".xlsx")
    xlsx.value.save_as(workbook := artifact("manager-aging-luong-son.xlsx"))
    sheet = load_workbook(workbook, read_only=True).active
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    header = next(row for row in rows if TOTAL_ARREARS in row)
    total = next(row for row in rows if row[0] == "Tổng cộng")
    # Every figure of the totals row is the page's, to the đồng.
    on_page = [int(t.replace("\u00a0₫", "").replace(".", "")) for t in totals[1:]]
    assert total[1 : len(headers)] == on_page
    assert total[header.index(TOTAL_ARREARS)] == 7_500_000
    assert [row[0] for row in rows[rows.index(header) + 1 : rows.index(total)]] == ["Lương Sơn"]

    with page.expect_download() as pdf:
        page.get_by_role("link", name="PDF").click()
    assert pdf.value.suggested_filename.endswith(".pdf")
    pdf.value.save_as(document := artifact("manager-aging-luong-son.pdf"))
    text = "\n".join(p.extract_text() for p in PdfReader(document).pages)
    assert "TUỔI NỢ CHẬM ĐÓNG BHXH, BHYT, BHTN" in text
    assert "BHXH cơ sở Lương Sơn" in text
    total_line = next(line for line in text.splitlines() if line.startswith("Tổng cộng"))
    assert total_line.split()[2:] == [t.replace("\u00a0₫", "") for t in totals[1:]]
    assert "Tân Lạc" not in text
