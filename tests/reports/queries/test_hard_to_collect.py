"""hard_to_collect: the two lines of hard-to-collect debt per area, with exact figures from
the sample province, and the province's own lines."""

from __future__ import annotations

from datetime import date

from arrears.imports.payments import import_payments
from reports.queries.hard_to_collect import (
    HardToCollectRow,
    hard_to_collect,
    hard_to_collect_totals,
)
from tests.samples import SAMPLE_DAY, SampleProvince
from tests.statements import statement

SUSPENDED = "Tạm ngừng hoạt động, chờ giải thể"
CLOSED = "Đã giải thể, phá sản, chủ bỏ trốn"


def test_the_lines_per_office(sample_province: SampleProvince) -> None:
    rows = hard_to_collect(on=SAMPLE_DAY, user=None)
    assert rows == [
        HardToCollectRow("Đà Bắc", "suspended", SUSPENDED, 1, 4, 29_952_000, 1_721_894),
        HardToCollectRow("Lạc Thủy", "suspended", SUSPENDED, 1, 11, 89_856_000, 431_309),
        HardToCollectRow("Tân Lạc", "suspended", SUSPENDED, 1, 11, 143_792_000, 10_165_698),
        HardToCollectRow("Tân Lạc", "closed", CLOSED, 1, 4, 47_520_000, 3_523_872),
    ]
    total = hard_to_collect_totals(rows)
    assert (total.units, total.workers, total.arrears) == (4, 30, 311_120_000)
    # The same as the late-rate report's hard-to-collect debt.
    expected = sample_province.expected["employers"]
    assert total.arrears == sum(
        e["arrears"]
        for e in expected.values()
        if e["status"]
        in {"suspended", "awaiting_dissolution", "dissolved", "bankrupt", "absconded"}
    )


def test_the_province_lines_and_interest_paid(sample_province: SampleProvince, officer_a) -> None:  # type: ignore[no-untyped-def]
    province = hard_to_collect(on=SAMPLE_DAY, user=None, by="province")
    assert [(r.area, r.kind, r.units, r.arrears) for r in province] == [
        ("Toàn tỉnh", "suspended", 3, 263_600_000),
        ("Toàn tỉnh", "closed", 1, 47_520_000),
    ]
    # Interest paid for the closed unit lowers its interest outstanding, not its arrears.
    (closed,) = [
        unit
        for unit, e in sample_province.expected["employers"].items()
        if e["arrears"] and e["status"] in {"dissolved", "bankrupt", "absconded"}
    ]
    import_payments(
        statement(
            "unit_code,paid_on,amount,reference,purpose",
            f"{closed},2026-11-10,523872,LAI1,interest",
        )
    )
    _suspended, after = hard_to_collect(on=SAMPLE_DAY, user=None, by="province")
    assert (after.arrears, after.interest_outstanding) == (47_520_000, 3_000_000)
    # An officer sees only their offices: Lương Sơn has no hard-to-collect debt.
    assert hard_to_collect(on=SAMPLE_DAY, user=officer_a) == []
    assert hard_to_collect(on=SAMPLE_DAY, user=None, office=officer_a.offices.get()) == []
    tan_lac = hard_to_collect(on=date(2026, 11, 16), user=None, former_province="HB", by="office")
    assert {r.area for r in tan_lac} == {"Đà Bắc", "Lạc Thủy", "Tân Lạc"}
