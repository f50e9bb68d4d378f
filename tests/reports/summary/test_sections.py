"""reports/summary/sections.py: the summary's figures are the reports' own, for each column;
what was done in a period (sessions, commitments, inspections, fines, referrals) counted in
that period only."""

from __future__ import annotations

from datetime import date, time

import pytest

from arrears.models import (
    CaseEvent,
    Commitment,
    CommitmentKind,
    EventKind,
    Instalment,
    RecoveryCase,
    Stage,
)
from reports.queries import (
    case_pipeline,
    collection_plan,
    coverage,
    effectiveness,
    hard_to_collect,
    late_rate,
)
from reports.queries import recovery_by_agency as recovery
from reports.summary.periods import SummaryPeriod
from reports.summary.sections import SECTIONS, Section, province_summary
from tests.samples import SAMPLE_DAY, SampleProvince

# The samples' day closes the period: the as-of reports read it for the first column.
PERIOD = SummaryPeriod(date(2026, 10, 1), SAMPLE_DAY)


def _section(title: str, period: SummaryPeriod = PERIOD) -> Section:
    summary = province_summary(period)
    return next(s for s in summary.sections if s.title == title)


def _values(section: Section, label: str) -> tuple[object, ...]:
    return next(line.values for line in section.lines if line.label == label)


def test_arrears_and_late_rate_are_the_late_rate_report(referred: SampleProvince) -> None:
    section = _section("Nợ đóng và tỷ lệ chậm đóng")
    for index, column in enumerate(PERIOD.columns):
        totals = late_rate.late_rate_totals(late_rate.late_rate(on=column.on, user=None))
        want = (totals.arrears, totals.late_rate) if totals else (None, None)
        got = (
            _values(section, "Số tiền chậm đóng (đồng)")[index],
            _values(section, "Tỷ lệ chậm đóng")[index],
        )
        assert got == want
    assert _values(section, "Số tiền chậm đóng (đồng)")[0] == 8_548_089_600  # expected.json


def test_recovery_by_kind_is_the_recovery_report_for_the_period(referred: SampleProvince) -> None:
    # The samples' referrals were all sent in 2026: the year to the samples' day holds them.
    year = SummaryPeriod(date(2026, 1, 1), SAMPLE_DAY)
    assert (
        _values(_section("Phối hợp thu hồi nợ theo loại cơ quan"), "Cộng: đã thu hồi (đồng)")[0]
        is None
    )  # none was sent from October
    section = _section("Phối hợp thu hồi nợ theo loại cơ quan", year)
    want = referred.expected["by_agency"]["labour_inspectorate"]
    assert _values(section, "Thanh tra Sở Nội vụ: số đơn vị")[0] == want["units"]
    assert _values(section, "Thanh tra Sở Nội vụ: đã thu hồi (đồng)")[0] == want["recovered"]
    rows = recovery.recovery_by_agency(on=SAMPLE_DAY, start=date(2026, 1, 1), user=None, by="kind")
    totals = recovery.recovery_totals(rows)
    assert _values(section, "Cộng: đã thu hồi (đồng)")[0] == totals.recovered
    assert _values(section, "Cộng: tỷ lệ thu hồi")[0] == totals.recovery_rate
    assert totals.recovered == sum(v["recovered"] for v in referred.expected["by_agency"].values())


def test_case_stages_are_the_pipeline_report(referred: SampleProvince) -> None:
    section = _section("Hồ sơ thu nợ")
    totals = case_pipeline.pipeline_totals(case_pipeline.case_pipeline(on=SAMPLE_DAY, user=None))
    assert _values(section, "Số hồ sơ đang mở")[0] == totals.cases == 6
    assert _values(section, "Đã thu hồi từ khi mở (đồng)")[0] == totals.recovered


def test_what_was_done_in_each_period(referred: SampleProvince) -> None:
    case = RecoveryCase.objects.order_by("pk").first()
    for day, kind, fine in (
        (date(2026, 10, 2), EventKind.WORKING_SESSION, None),
        (date(2026, 11, 16), EventKind.WORKING_SESSION, None),
        (date(2026, 11, 17), EventKind.WORKING_SESSION, None),  # after the period
        (date(2026, 9, 30), EventKind.INSPECTION, None),  # the period before
        (date(2026, 10, 20), EventKind.INSPECTION, None),
        (date(2026, 10, 25), EventKind.PENALTY_DECISION, 45_000_000),
        (date(2025, 10, 25), EventKind.PENALTY_DECISION, 12_500_000),  # a year earlier
    ):
        CaseEvent.objects.create(case=case, kind=kind, occurred_on=day, penalty_amount=fine)
    CaseEvent.objects.create(
        case=case,
        kind=EventKind.STAGE_MOVE,
        occurred_on=date(2026, 11, 1),
        from_stage=Stage.SANCTIONED,
        to_stage=Stage.CRIMINAL_REFERRAL,
    )
    commitment = Commitment.objects.create(
        case=case, kind=CommitmentKind.PLAN, signed_on=date(2026, 10, 10)
    )
    for month, amount in ((11, 30_000_000), (12, 20_500_000)):
        Instalment.objects.create(
            commitment=commitment, due_on=date(2026, month, 28), amount=amount
        )

    sessions = _section("Làm việc với đơn vị và cam kết trả nợ")
    assert _values(sessions, "Số buổi làm việc ghi ở hồ sơ") == (2, 0, 0)
    assert _values(sessions, "Số cam kết trả nợ đã ký") == (1, 0, 0)
    assert _values(sessions, "Số tiền cam kết trả (đồng)") == (50_500_000, 0, 0)
    fines = _section("Thanh tra, kiểm tra và xử phạt")
    # 30/09 is after the period before (01/08 to 16/09: as many months, the same days)
    assert _values(fines, "Số cuộc thanh tra, kiểm tra") == (1, 0, 0)
    assert _values(fines, "Số quyết định xử phạt") == (1, 0, 1)
    assert _values(fines, "Số tiền phạt (đồng)") == (45_000_000, 0, 12_500_000)
    (inspected,) = [
        r
        for r in effectiveness.effectiveness(on=SAMPLE_DAY, user=None)
        if (r.section, r.group) == ("Theo biện pháp", "Thanh tra, kiểm tra")
    ]
    assert inspected.units == 1
    assert _values(fines, "Thanh tra, kiểm tra: số đơn vị (lũy kế)")[0] == inspected.units
    assert _values(fines, "Thanh tra, kiểm tra: đã thu hồi (đồng)")[0] == inspected.recovered
    criminal = _section("Chuyển cơ quan công an, khởi tố")
    assert _values(criminal, "Số hồ sơ chuyển sang bước Chuyển cơ quan công an") == (1, 0, 0)
    # The samples' six referrals were sent before the period.
    assert _values(criminal, "Số hồ sơ chuyển cơ quan phối hợp")[0] == 0


def test_coverage_is_the_coverage_report(coverage_sample) -> None:  # type: ignore[no-untyped-def]
    section = _section("Bao phủ BHXH, BHTN, BHYT", SummaryPeriod.of_year(2024))
    rows = coverage.coverage_rows(on=date(2024, 12, 31), user=None, period=coverage.Period(2024))
    province = next(r for r in rows if r.is_total)
    assert _values(section, "Tổng BHXH (người)")[0] == province.si == 112_488
    assert _values(section, "BHXH: % lực lượng lao động")[0] == province.si_of_labour_force
    assert _values(section, "BHYT: % dân số")[0] == province.hi_of_population
    assert section.note == (
        "Số liệu bao phủ đã dùng cho từng cột: Năm 2024: Năm 2024; Năm 2023: Năm 2023."
    )


@pytest.mark.django_db
def test_every_section_answers_on_an_empty_province() -> None:
    summary = province_summary(SummaryPeriod.of_quarter(2026, 3))
    assert len(summary.sections) == len(SECTIONS)
    for section in summary.sections:
        assert section.lines and all(len(line.values) == 3 for line in section.lines)


def test_collection_against_plan_is_the_plan_report(referred: SampleProvince) -> None:
    from arrears.models import CollectionPlan
    from participants.models import Office

    planned, *others = Office.objects.filter(employers__isnull=False).distinct().order_by("pk")
    CollectionPlan.objects.create(office=planned, year=2026, month=None, amount=1_000_000_000)
    section = _section("Thu so với kế hoạch")
    rows = collection_plan.collection_plan(on=SAMPLE_DAY, user=None, by="office")
    (mine,) = [r for r in rows if r.area == planned.name and r.month == date(2026, 11, 1)]
    # Only the office with a plan is measured against it; the others are named in the note.
    assert _values(section, "Kế hoạch thu cả năm của các cơ sở có kế hoạch (đồng)")[0] == (
        1_000_000_000
    )
    assert _values(section, "Các cơ sở đó đã thu từ đầu năm (đồng)")[0] == mine.collected_to_date
    assert _values(section, "Đạt so với kế hoạch năm")[0] == mine.of_plan
    assert others and all(o.name in section.note for o in others)
    # October and November to the 16th: every office's two months added up.
    autumn = sum(r.collected for r in rows if r.month >= date(2026, 10, 1))
    assert _values(section, "Số đã thu trong kỳ (đồng)")[0] == autumn > 0


def test_hard_to_collect_is_the_report(referred: SampleProvince) -> None:
    section = _section("Nợ khó thu")
    rows = hard_to_collect.hard_to_collect(on=SAMPLE_DAY, user=None, by="province")
    assert rows
    for row in rows:
        assert _values(section, f"{row.kind_name}: số đơn vị")[0] == row.units
        assert _values(section, f"{row.kind_name}: số nợ (đồng)")[0] == row.arrears


def test_sessions_are_the_calendar_counts(referred: SampleProvince) -> None:
    from arrears.models import Booking, SessionSlot

    first, second, *_rest = referred.employers.values()
    for employer, day, came in (
        (first, date(2026, 10, 6), True),
        (second, date(2026, 10, 13), False),
    ):
        slot = SessionSlot.objects.create(
            office=employer.office, day=day, starts_at=time(8, 30), place="Phòng họp", capacity=3
        )
        Booking.objects.create(
            slot=slot,
            employer=employer,
            status="attended" if came else "absent",
            attendee_name="Nguyễn Văn A" if came else "",
            attendee_role="Kế toán trưởng" if came else "",
        )
    section = _section("Làm việc với đơn vị và cam kết trả nợ")
    counts = Booking.objects.counts(PERIOD.start, PERIOD.end)
    assert _values(section, "Đơn vị được mời làm việc") == (2, 0, 0) == (counts.invited, 0, 0)
    assert _values(section, "Đơn vị đến làm việc") == (1, 0, 0) == (counts.came, 0, 0)
