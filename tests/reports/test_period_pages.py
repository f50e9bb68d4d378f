"""The report pages for a period: the picker (presets and dates), the periods compared beside
it, the files of a period, and bad dates refused in words (never a 500)."""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from reports.models import ExportRecord
from tests.reports.conftest import World

PAGE = reverse("report_recovery_by_agency")
Q1 = {"period": "custom", "start": "01/01/2026", "end": "31/03/2026"}


def _figures(row) -> tuple[object, ...]:  # type: ignore[no-untyped-def]
    if isinstance(row, dict):
        return tuple(row[k] for k in ("agency", "units", "arrears_at_referral", "recovered"))
    return (row.agency, row.units, row.arrears_at_referral, row.recovered)


def test_recovery_for_chosen_dates(world: World, manager, client_as) -> None:  # type: ignore[no-untyped-def]
    response = client_as(manager).get(PAGE, Q1)
    assert response.status_code == 200
    rows = response.context["page"].object_list
    assert [_figures(r) for r in rows] == [
        ("iz_board", 1, 0, 0),
        ("labour_federation", 2, 2_400_000, 400_000),
        ("labour_inspectorate", 2, 5_900_000, 1_800_000),  # E2 sent twice: both referrals
    ]
    assert _figures(response.context["totals"]) == ("total", 4, 5_200_000, 1_800_000)
    html = response.content.decode()
    assert "Từ ngày 01/01/2026 đến ngày 31/03/2026" in html
    assert "34,62\u00a0%" in html  # the totals' rate, two decimals
    # The liaison of the federation: its own organisation, in the period too.


def test_a_liaison_reads_their_own_for_a_period(world: World, federation, client_as) -> None:  # type: ignore[no-untyped-def]
    rows = client_as(federation).get(PAGE, Q1).context["page"].object_list
    assert [_figures(r) for r in rows] == [("labour_federation", 2, 2_400_000, 400_000)]


def test_presets_of_the_picker(world: World, manager, client_as) -> None:  # type: ignore[no-untyped-def]
    client = client_as(manager)
    year = timezone.localdate().year
    response = client.get(PAGE, {"period": "last_year"})
    assert response.context["when"] == f"Từ ngày 01/01/{year - 1} đến ngày 31/12/{year - 1}"
    # This year so far: up to today.
    response = client.get(PAGE, {"period": "this_year"})
    today = timezone.localdate().strftime("%d/%m/%Y")
    assert response.context["when"] == f"Từ ngày 01/01/{year} đến ngày {today}"
    quarter = (timezone.localdate().month - 1) // 3 * 3 + 1
    response = client.get(PAGE, {"period": "this_quarter"})
    assert response.context["when"].startswith(f"Từ ngày 01/{quarter:02d}/{year} đến ngày ")
    response = client.get(PAGE, {"period": "this_month"})
    assert response.context["when"].startswith(
        f"Từ ngày 01/{timezone.localdate().month:02d}/{year}"
    )
    # Without a period: up to the day, as before.
    assert client.get(PAGE, {"on": "31/03/2026"}).context["when"] == "Tính đến ngày 31/03/2026"


def test_the_periods_compared_beside_it(world: World, manager, client_as) -> None:  # type: ignore[no-untyped-def]
    response = client_as(manager).get(PAGE, {**Q1, "compare": ["previous", "year_before"]})
    keys = [c.key for c in response.context["report"].columns]
    assert keys[3:6] == ["units", "units_previous", "units_year_before"]
    rows = {r["agency"]: r for r in response.context["page"].object_list}
    assert (
        rows["labour_inspectorate"]["units"],
        rows["labour_inspectorate"]["units_previous"],
    ) == (
        2,
        1,
    )
    totals = response.context["totals"]
    assert (totals["units"], totals["units_previous"], totals["units_year_before"]) == (4, 1, None)
    html = response.content.decode()
    assert "Số đơn vị (kỳ trước)" in html and "Số đơn vị (cùng kỳ năm trước)" in html


def test_the_files_of_a_period(world: World, manager, client_as) -> None:  # type: ignore[no-untyped-def]
    client = client_as(manager)
    response = client.get(PAGE, {**Q1, "format": "csv"})
    assert response["Content-Disposition"] == (
        'attachment; filename="thu-hoi-theo-co-quan-2026-01-01-2026-03-31.csv"'
    )
    lines = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert lines[-1] == ["total", "", "Tổng cộng", "4", "28", "5200000", "1800000", "34.62"]
    entry = ExportRecord.objects.get()
    assert entry.params == {
        "on": "2026-03-31",
        "start": "2026-01-01",
        "by": "agency",
    }
    response = client.get(PAGE, {**Q1, "compare": ["previous"], "format": "xlsx"})
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    # the office on the first line, the title on the second
    assert sheet["A3"].value == "Từ ngày 01/01/2026 đến ngày 31/03/2026"
    assert sheet["A4"].value == "Phạm vi: theo cơ quan phối hợp"
    labels = [cell.value for cell in sheet[5]]
    assert labels[2:4] == ["Số đơn vị", "Số đơn vị (kỳ trước)"]  # the code is for machines


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"period": "custom", "start": "31/03/2026", "end": "01/01/2026"}, "end",
         "Ngày đầu kỳ (31/03/2026) sau ngày cuối kỳ (01/01/2026)."),
        ({"period": "custom", "start": "01/01/2026", "end": "31/12/9999"}, "end",
         "Ngày cuối kỳ không được sau 31/12/"),
        ({"period": "custom", "start": "quý một", "end": "31/03/2026"}, "start", "Nhập"),
        ({"period": "custom", "end": "31/03/2026"}, "start", "Chọn ngày đầu kỳ."),
        ({"period": "custom", "start": "01/01/2026"}, "end", "Chọn ngày cuối kỳ."),
        ({"period": "next_decade"}, "period", "Hãy chọn"),
        ({"compare": "previous"}, "compare", "Chọn kỳ báo cáo để so sánh với kỳ khác."),
        ({**Q1, "compare": "last_week"}, "compare", "Hãy chọn"),
    ],
)  # fmt: skip
def test_bad_dates_are_refused_in_words(
    db, manager, client_as, params: dict[str, str], field: str, message: str
) -> None:  # type: ignore[no-untyped-def]
    for extra in ({}, {"format": "csv"}):
        response = client_as(manager).get(PAGE, {**params, **extra})
        assert response.status_code == 200
        errors = response.context["form"].errors[field]
        assert any(error.startswith(message) for error in errors), errors
    assert not ExportRecord.objects.exists()


def test_reports_of_a_day_have_no_picker(db, manager, client_as) -> None:  # type: ignore[no-untyped-def]
    form = client_as(manager).get(reverse("report_aging")).context["form"]
    assert "period" not in form.fields and "compare" not in form.fields


def test_dates_without_the_picker_are_a_period(world: World, manager, client_as) -> None:  # type: ignore[no-untyped-def]
    response = client_as(manager).get(PAGE, {"start": "2026-01-01", "end": "2026-03-31"})
    assert response.context["when"] == "Từ ngày 01/01/2026 đến ngày 31/03/2026"
    assert response.context["totals"].units == 4
