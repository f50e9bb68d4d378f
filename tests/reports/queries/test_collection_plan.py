"""collection_plan: collected against the plan and the late rate, month by month, with exact
figures; the plan's file import and its page."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from arrears.interest.services import resplit
from arrears.models import CollectionPlan
from arrears.plans.imports import import_collection_plan
from desk.statements.results import StatementRefused
from reports.queries.collection_plan import collection_plan
from tests.factories import ContributionFactory, EmployerFactory, PaymentFactory
from tests.statements import statement

pytestmark = pytest.mark.django_db
ON = date(2026, 3, 31)
HEADER = "office,year,month,amount"


def _contribution(employer, period: date, due_on: date, total: int) -> None:  # type: ignore[no-untyped-def]
    ContributionFactory(
        employer=employer, period=period, due_on=due_on, si=total, hi=0, ui=0, oaod=0
    )


@pytest.fixture
def world(office_a, office_b):  # type: ignore[no-untyped-def]
    """Office A (Lương Sơn): 1,000,000 due for each of 12/2025, 01/2026 and 02/2026 (due
    31/01, 28/02, 31/03); 800,000 paid on 15/01, 700,000 on 20/02 and 300,000 of interest on
    10/03. Office B: 2,000,000 for 01/2026 (due 28/02) paid on 05/03. Plans for 2026: A
    12,000,000 with 1,000,000 for each of January to March; B 24,000,000, no split."""
    a = EmployerFactory(office=office_a, payment_method="monthly")
    for period, due_on in [
        (date(2025, 12, 1), date(2026, 1, 31)),
        (date(2026, 1, 1), date(2026, 2, 28)),
        (date(2026, 2, 1), date(2026, 3, 31)),
    ]:
        _contribution(a, period, due_on, 1_000_000)
    PaymentFactory(employer=a, paid_on=date(2026, 1, 15), amount=800_000)
    PaymentFactory(employer=a, paid_on=date(2026, 2, 20), amount=700_000)
    PaymentFactory(employer=a, paid_on=date(2026, 3, 10), amount=300_000, purpose="interest")
    resplit([a.pk])
    b = EmployerFactory(office=office_b, payment_method="monthly")
    _contribution(b, date(2026, 1, 1), date(2026, 2, 28), 2_000_000)
    PaymentFactory(employer=b, paid_on=date(2026, 3, 5), amount=2_000_000)
    import_collection_plan(
        statement(
            HEADER,
            "Lương Sơn,2026,,12000000",
            "Lương Sơn,2026,1,1000000",
            "luong son,2026,2,1.000.000",
            "BHXH cơ sở Lương Sơn,2026,3,1000000",
            f"{office_b.code},2026,,24000000",
        )
    )


def _figures(rows):  # type: ignore[no-untyped-def]
    return [
        (
            r.area,
            r.month.month,
            r.plan_month,
            r.collected,
            r.collected_to_date,
            r.of_plan,
            r.plan_to_date,
            r.of_plan_to_date,
            r.due,
            r.arrears,
            r.late_rate,
        )
        for r in rows
    ]


def D(text: str) -> Decimal:
    return Decimal(text)


def test_by_office_month_by_month(world, manager) -> None:  # type: ignore[no-untyped-def]
    rows = collection_plan(on=ON, user=manager)
    assert {r.area: r.plan_year for r in rows} == {"Lương Sơn": 12_000_000, "Tân Lạc": 24_000_000}
    assert _figures(rows) == [
        # The interest paid on 10/03 is not collection; 500,000 of 01/2026 is late on 31/03.
        (
            "Lương Sơn",
            1,
            1_000_000,
            800_000,
            800_000,
            D("0.0667"),
            1_000_000,
            D("0.800"),
            0,
            0,
            None,
        ),
        (
            "Lương Sơn",
            2,
            1_000_000,
            700_000,
            1_500_000,
            D("0.125"),
            2_000_000,
            D("0.750"),
            1_000_000,
            0,
            D("0.000"),
        ),
        (
            "Lương Sơn",
            3,
            1_000_000,
            0,
            1_500_000,
            D("0.125"),
            3_000_000,
            D("0.500"),
            2_000_000,
            500_000,
            D("0.250"),
        ),
        ("Tân Lạc", 1, None, 0, 0, D("0.000"), None, None, 0, 0, None),
        ("Tân Lạc", 2, None, 0, 0, D("0.000"), None, None, 0, 0, None),
        (
            "Tân Lạc",
            3,
            None,
            2_000_000,
            2_000_000,
            D("0.0833"),
            None,
            None,
            2_000_000,
            0,
            D("0.000"),
        ),
    ]


def test_the_province(world, manager, officer_a) -> None:  # type: ignore[no-untyped-def]
    rows = collection_plan(on=ON, user=manager, by="province")
    assert _figures(rows) == [
        ("Toàn tỉnh", 1, None, 800_000, 800_000, D("0.0222"), None, None, 0, 0, None),
        (
            "Toàn tỉnh",
            2,
            None,
            700_000,
            1_500_000,
            D("0.0417"),
            None,
            None,
            1_000_000,
            0,
            D("0.000"),
        ),
        (
            "Toàn tỉnh",
            3,
            None,
            2_000_000,
            3_500_000,
            D("0.0972"),
            None,
            None,
            4_000_000,
            500_000,
            D("0.125"),
        ),
    ]
    assert {r.plan_year for r in rows} == {36_000_000}
    # An officer: their office only; a day in February stops there.
    mine = collection_plan(on=date(2026, 2, 10), user=officer_a)
    assert [(r.area, r.month.month, r.collected_to_date) for r in mine] == [
        ("Lương Sơn", 1, 800_000),
        ("Lương Sơn", 2, 800_000),
    ]


def test_the_plan_file_is_refused_by_row(world, manager) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(StatementRefused) as refused:
        import_collection_plan(
            statement(
                HEADER,
                "Nơi Khác,2026,,1",
                "Lương Sơn,2026,13,1",
                "Lương Sơn,26,,1",
                'Lương Sơn,2026,,"1,5"',
            ),
            user=manager,
        )
    assert refused.value.lines() == [
        "Dòng 2, cột office: BHXH cơ sở «Nơi Khác» chưa có (ghi mã hoặc tên).",
        "Dòng 3, cột month: Tháng «13» không hợp lệ: 1 đến 12, hoặc để trống (cả năm).",
        "Dòng 4, cột year: Năm «26» không hợp lệ: cần 4 chữ số, từ 1995 đến 2099.",
        "Dòng 5, cột amount: Kế hoạch thu (đồng) «1,5» không phải số đồng nguyên: chỉ ghi chữ "
        "số, có thể tách hàng nghìn bằng dấu chấm (1.000.000), không có phần lẻ.",
    ]
    assert CollectionPlan.objects.count() == 5  # as it was
    again = import_collection_plan(statement(HEADER, "Lương Sơn,2026,,13000000"), user=manager)
    assert (again.created, again.updated) == (0, 1)


def test_managers_type_the_plan_on_its_page(office_a, manager, client_as) -> None:  # type: ignore[no-untyped-def]
    client = client_as(manager)
    url = reverse("collection_plans")
    data = {"office": office_a.pk, "year": 2027, "amount": 5_000_000, "month_1": 400_000}
    assert client.post(url, data).status_code == 302
    plans = CollectionPlan.objects.filter(office=office_a, year=2027)
    assert sorted(plans.values_list("month", "amount"), key=str) == [
        (1, 400_000),
        (None, 5_000_000),
    ]
    page = client.get(url, {"nam": "2027"}).content.decode()
    assert "5.000.000" in page and "400.000" in page
    bad = client.post(url, {"office": office_a.pk, "year": 2027, "amount": -1})
    assert bad.status_code == 200 and "0" in bad.content.decode()
    file = statement(HEADER, "Nowhere,2027,,1")
    file.name = "ke-hoach.csv"
    upload = client.post(url, {"file": file})
    assert "BHXH cơ sở «Nowhere» chưa có" in upload.content.decode()
