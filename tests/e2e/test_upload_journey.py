"""An officer uploads a contributions file with mistakes, reads why each row was refused, then
uploads the corrected file and reads the counts."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from arrears.models import Contribution
from tests.e2e.browser import assert_accessible, log_in, screenshot
from tests.factories import EmployerFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

HEADER = "unit_code,period,employees,wage_fund,si,hi,ui,oaod"


def upload(page: Page, tmp_path: Path, name: str, *lines: str) -> None:
    file = tmp_path / name
    file.write_text("\n".join(lines) + "\n", encoding="utf-8")
    page.get_by_label("Số phải đóng").check()
    page.get_by_label("Tệp CSV hoặc XLSX").set_input_files(file)
    page.get_by_role("button", name="Kiểm tra và nhập").click()


def test_officer_sees_refused_rows_then_the_counts(
    page: Page, tmp_path: Path, officer_a, office_a, employer_b
) -> None:  # type: ignore[no-untyped-def]
    EmployerFactory(unit_code="HB00001", office=office_a)
    EmployerFactory(unit_code="HB00002", office=office_a)
    log_in(page, "officer_a")
    page.get_by_role("link", name="Nhập dữ liệu").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Nhập dữ liệu")

    upload(
        page,
        tmp_path,
        "thang-07.csv",
        HEADER,
        "HB00001,2025-07,10,4000000,800000,120000,60000,20000",
        "HB00002,2025-13,10,4000000,800000,120000,60000,20000",
        f"{employer_b.unit_code},2025-07,10,4000000,800000,120000,60000,20000",
        "HB09999,2025-07,10,4000000,800000,120000,60000,20000",
    )
    expect(page.get_by_role("alert")).to_contain_text(
        "Tệp bị từ chối (Số phải đóng): không có dữ liệu nào được ghi."
    )
    expect(page.get_by_role("alert")).to_contain_text("Có 3 lỗi.")
    refused = page.locator("table").filter(has=page.get_by_role("columnheader", name="Lý do"))
    expect(refused.locator("tbody tr")).to_have_count(3)
    reasons = [row.split("\t") for row in refused.locator("tbody tr").all_inner_texts()]
    assert reasons == [
        ["3", "period", "Kỳ đóng «2025-13» không hợp lệ: cần dạng YYYY-MM, ví dụ 2025-07."],
        [
            "4",
            "unit_code",
            f"Đơn vị «{employer_b.unit_code}» không thuộc địa bàn bạn phụ trách.",
        ],
        ["5", "unit_code", "Mã đơn vị «HB09999» chưa có trong danh sách đơn vị."],
    ]
    assert Contribution.objects.count() == 0
    assert_accessible(page)
    screenshot(page, "upload-1-refused")

    upload(
        page,
        tmp_path,
        "thang-07-da-sua.csv",
        HEADER,
        "HB00001,2025-07,10,4000000,800000,120000,60000,20000",
        "HB00002,2025-07,12,4800000,960000,144000,72000,24000",
        "HB00002,2025-08,12,4800000,960000,144000,72000,24000",
    )
    done = page.get_by_role("status")
    expect(done).to_contain_text("Đã nhập xong: Số phải đóng")
    expect(done.get_by_role("row", name="Thêm mới")).to_contain_text("3")
    expect(done.get_by_role("row", name="Cập nhật")).to_contain_text("0")
    expect(page.get_by_role("columnheader", name="Lý do")).to_have_count(0)
    screenshot(page, "upload-2-done")
    assert sorted(
        Contribution.objects.values_list("employer__unit_code", "period", "employees")
    ) == [
        ("HB00001", date(2025, 7, 1), 10),
        ("HB00002", date(2025, 7, 1), 12),
        ("HB00002", date(2025, 8, 1), 12),
    ]
