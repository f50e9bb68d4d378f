"""A manager reads recovery by agency for the first quarter of 2026 beside the quarter before,
and downloads it: the page's totals count each employer once, and the CSV ends with them."""

from __future__ import annotations

import csv

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.browser import artifact, assert_accessible, log_in, screenshot
from tests.reports.conftest import build_world

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

TITLE = "Kết quả thu hồi nợ qua phối hợp với các cơ quan"


def test_recovery_for_a_quarter_beside_the_one_before(page: Page, manager) -> None:  # type: ignore[no-untyped-def]
    build_world()
    log_in(page, "manager")
    nav = page.get_by_role("navigation", name="Điều hướng chính")
    nav.get_by_role("link", name="Báo cáo", exact=True).click()
    page.get_by_role("link", name=TITLE).click()
    page.get_by_label("Kỳ báo cáo").select_option(label="Từ ngày … đến ngày …")
    page.get_by_label("Từ ngày", exact=True).fill("01/01/2026")
    page.get_by_label("Đến ngày", exact=True).fill("31/03/2026")
    page.get_by_role("group", name="So sánh với").get_by_label("kỳ trước").check()
    page.get_by_role("button", name="Xem").click()

    expect(page.get_by_text("Từ ngày 01/01/2026 đến ngày 31/03/2026")).to_be_visible()
    table = page.get_by_role("table", name=TITLE)
    headers = table.locator("thead th").all_inner_texts()
    totals = table.locator("tfoot td").all_inner_texts()
    assert totals[headers.index("Số đơn vị")] == "4"  # E1, sent to two agencies, once
    assert totals[headers.index("Số đơn vị (kỳ trước)")] == "1"
    assert totals[headers.index("Số đã thu hồi (đồng)")] == "1.800.000\u00a0₫"
    assert totals[headers.index("Tỷ lệ thu hồi")] == "34,62\u00a0%"
    assert_accessible(page)
    screenshot(page, "manager-recovery-q1-2026")

    with page.expect_download() as download:
        page.get_by_role("link", name="CSV").click()
    download.value.save_as(path := artifact("manager-recovery-q1-2026.csv"))
    rows = list(csv.reader(path.open(encoding="utf-8-sig")))
    assert rows[-1][:3] == ["total", "", "Tổng cộng"]
