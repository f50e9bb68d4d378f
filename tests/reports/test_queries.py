"""The reports' queries against the samples (expected.json and the Python ledger) and against
small constructed cases: recovery by agency, aging, late rate, trend, evasion, pipeline,
reminders, publication, effectiveness; each scoped."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from django.db.models import Sum

from arrears import ledger
from arrears.balances import balances_as_of
from arrears.cases import services as cases
from arrears.imports.referrals import import_referrals
from arrears.jobs.services import week_cycle
from arrears.models import (
    CaseEvent,
    Contribution,
    Decision,
    EventKind,
    ForceMajeureClaim,
    Payment,
    RecoveryCase,
    Reminder,
)
from arrears.selectors import employer_ledger
from participants.models import Employer
from reports import queries
from tests.factories import ContributionFactory, EmployerFactory, PaymentFactory
from tests.samples import SAMPLE_DAY, SAMPLES, SampleProvince


@pytest.fixture
def referred(sample_province: SampleProvince) -> SampleProvince:
    """The samples with shared/samples/referrals.csv imported (six referrals, six cases)."""
    import_referrals(SAMPLES / "referrals.csv")
    return sample_province


def _sent(employer: Employer, day: date, kind: str = Reminder.Kind.NOTICE) -> Reminder:
    """A reminder sent at noon in the province on ``day``."""
    return Reminder.objects.create(
        employer=employer,
        cycle=week_cycle(day),
        kind=kind,
        channel=Reminder.Channel.EMAIL,
        status=Reminder.Status.SENT,
        as_of=day,
        arrears=1,
        interest=0,
        months_in_arrears=1,
        sent_at=datetime(day.year, day.month, day.day, 5, 0, tzinfo=UTC),
    )


# --------------------------------------------------------------------------------------------
# recovery_by_agency


def test_recovery_by_agency_matches_expected(referred: SampleProvince) -> None:
    rows = queries.recovery_by_agency(on=SAMPLE_DAY, user=None)
    got = {
        r.agency: {
            "units": r.units,
            "workers": r.workers,
            "arrears_at_referral": r.arrears_at_referral,
            "recovered": r.recovered,
        }
        for r in rows
    }
    assert got == referred.expected["by_agency"]
    iz = next(r for r in rows if r.agency == "iz_board")
    assert (iz.agency_name, str(iz.recovery_rate)) == (
        "Ban Quản lý các khu công nghiệp tỉnh",
        "0.714",
    )

    total = queries.recovery_totals(rows)
    assert (total.units, total.workers) == (6, 157)
    assert (total.arrears_at_referral, total.recovered) == (2_286_208_000, 1_607_936_000)
    assert str(total.recovery_rate) == "0.703"


def test_recovery_before_the_referrals_and_by_scope(
    referred: SampleProvince, federation, officer_a, police
) -> None:  # type: ignore[no-untyped-def]
    # Before the first referral (18/02/2026) there is nothing to report; on 05/03/2026 one
    # referral, and what came back by then.
    assert queries.recovery_by_agency(on=date(2026, 2, 17), user=None) == []
    (early,) = queries.recovery_by_agency(on=date(2026, 3, 5), user=None)
    assert (early.agency, early.units, early.workers) == ("iz_board", 1, 41)
    # A liaison sees their own agency's referrals only.
    (row,) = queries.recovery_by_agency(on=SAMPLE_DAY, user=federation)
    assert (row.agency, row.units, row.workers, row.arrears_at_referral, row.recovered) == (
        "labour_federation",
        2,
        34,
        202_400_000,
        158_400_000,
    )
    assert queries.recovery_by_agency(on=SAMPLE_DAY, user=police) == []
    # An officer of Lương Sơn: HB00012C, referred to the labour inspectorate.
    (row,) = queries.recovery_by_agency(on=SAMPLE_DAY, user=officer_a)
    assert (row.agency, row.units, row.arrears_at_referral, row.recovered) == (
        "labour_inspectorate",
        1,
        207_168_000,
        164_736_000,
    )


# --------------------------------------------------------------------------------------------
# aging


@pytest.mark.parametrize("by", queries.AGING_GROUPS)
def test_aging_totals_agree_with_employer_balances(
    sample_province: SampleProvince, by: str
) -> None:
    rows = queries.aging(on=SAMPLE_DAY, user=None, by=by)
    balances = queries.employer_balances(on=SAMPLE_DAY, user=None)
    total = queries.aging_totals(rows)
    in_arrears = [b for b in balances if b.arrears > 0]
    assert total.arrears == sum(b.arrears for b in balances) == 8_548_089_600
    assert total.interest == sum(b.interest for b in balances) == 1_277_264_801
    assert total.employers_in_arrears == len(in_arrears) == 19
    assert total.workers == sum(b.employees for b in in_arrears)
    buckets = (total.under_3, total.from_3_to_6, total.from_6_to_12, total.over_12)
    assert sum(buckets) == total.arrears
    for bucket, amount in zip(queries.AGING_BUCKETS, buckets, strict=True):
        assert amount == sum(b.arrears for b in balances if b.bucket is bucket)
    for row in rows:  # every group adds up too
        assert row.under_3 + row.from_3_to_6 + row.from_6_to_12 + row.over_12 == row.arrears


def test_aging_groups_are_labelled(sample_province: SampleProvince, officer_a) -> None:  # type: ignore[no-untyped-def]
    by_status = queries.aging(on=SAMPLE_DAY, user=None, by="status")
    assert [r.group for r in by_status] == [
        "Đang hoạt động",
        "Tạm ngừng hoạt động",
        "Chờ giải thể",
        "Đã giải thể",
        "Chủ bỏ trốn",
    ]
    zones = [r.group for r in queries.aging(on=SAMPLE_DAY, user=None, by="industrial_zone")]
    assert zones[-1] == "Ngoài khu công nghiệp"
    (mine,) = queries.aging(on=SAMPLE_DAY, user=officer_a)
    assert (mine.group, mine.employers_in_arrears, mine.arrears) == ("Lương Sơn", 3, 361_120_000)
    with pytest.raises(ValueError, match="aging by 'tax_code'"):
        queries.aging(on=SAMPLE_DAY, user=None, by="tax_code")


# --------------------------------------------------------------------------------------------
# late_rate and the year's figures


def _ledger_under_one_month(on: date) -> int:
    """The unpaid parts of contributions due in [on - 1 month, on), by the Python ledger, of
    employers not hard to collect."""
    month_ago = queries._months_before(on, 1)
    total = 0
    for employer in Employer.objects.exclude(status__in=Employer.HARD_TO_COLLECT):
        dues, payments = employer_ledger(employer)
        for settlement in ledger.settle_on(dues, payments, on):
            if month_ago <= settlement.due.due_on < on:
                total += settlement.unpaid
    return total


def test_late_rate_figures(sample_province: SampleProvince) -> None:
    rows = queries.late_rate(on=SAMPLE_DAY, user=None)
    province = queries.late_rate_totals(rows)
    receivable = Contribution.objects.filter(
        due_on__gte=date(2025, 12, 31), due_on__lt=SAMPLE_DAY
    ).aggregate(total=Sum("total"))["total"]
    hard = sum(r.arrears for r in balances_as_of(SAMPLE_DAY) if r.status in queries.HARD_TO_COLLECT)
    assert province.receivable == receivable == 36_915_712_000
    assert province.arrears == 8_548_089_600
    assert province.hard_to_collect == hard == 311_120_000
    assert province.under_one_month == _ledger_under_one_month(SAMPLE_DAY) == 2_366_816_000
    assert province.actionable == 8_548_089_600 - 2_366_816_000 - 311_120_000
    assert str(province.late_rate) == "0.232"
    assert province.area == "Tổng cộng" and province.is_total
    assert sum(r.arrears for r in rows) == province.arrears


def test_year_opening_and_recovery(sample_province: SampleProvince) -> None:
    figures = sum(queries.year_figures(SAMPLE_DAY).values(), queries.YearFigures())
    opening = {r.employer_id: r.arrears for r in balances_as_of(date(2025, 12, 31))}
    paid = {
        e: sum(
            Payment.objects.filter(
                employer_id=e, paid_on__gt=date(2025, 12, 31), paid_on__lte=SAMPLE_DAY
            ).values_list("amount", flat=True)
        )
        for e in opening
    }
    assert figures.opening_arrears == sum(opening.values()) == 5_388_176_000
    assert figures.recovered == sum(min(opening[e], paid[e]) for e in opening)
    assert figures.employers_in_arrears == 19


def test_months_before_keeps_the_day_or_the_month_end() -> None:
    assert queries._months_before(date(2026, 3, 31), 1) == date(2026, 2, 28)
    assert queries._months_before(date(2026, 1, 15), 1) == date(2025, 12, 15)
    assert queries._months_before(date(2026, 11, 16), 12) == date(2025, 11, 16)


# --------------------------------------------------------------------------------------------
# The trend


def test_trend_equals_the_ledger_at_every_month_end(sample_province: SampleProvince) -> None:
    points = queries.trend_points(SAMPLE_DAY)
    assert points[0] == date(2025, 11, 30) and points[1] == date(2025, 12, 31)
    assert points[-2:] == [date(2026, 10, 31), SAMPLE_DAY]
    by_district = queries.arrears_trend(SAMPLE_DAY)
    months = [
        sum((months[i] for months in by_district.values()), queries.MonthFigures(points[i + 1]))
        for i in range(12)
    ]
    before = {r.employer_id: r.arrears for r in balances_as_of(points[0])}
    for month, start, end in zip(months, points[:-1], points[1:], strict=True):
        at_end = balances_as_of(end)
        assert month.end == end
        assert month.arrears == sum(r.arrears for r in at_end), end
        paid = dict(
            Payment.objects.filter(paid_on__gt=start, paid_on__lte=end)
            .values_list("employer_id")
            .annotate(total=Sum("amount"))
        )
        assert month.payments == sum(paid.values()), end
        assert month.recovered == sum(min(before[e], paid.get(e, 0)) for e in before), end
        before = {r.employer_id: r.arrears for r in at_end}


# --------------------------------------------------------------------------------------------
# Evasion and publication


def test_evasion_agrees_with_the_law_one_employer_at_a_time(
    sample_province: SampleProvince,
) -> None:
    employers = sample_province.employers
    for code in ("HB00005A", "HB00031B", "HB00018D", "HB00000A"):
        _sent(employers[code], date(2026, 8, 3))
    _sent(employers["HB00036B"], date(2026, 11, 20))  # after the as-of date: not counted
    ForceMajeureClaim.objects.create(
        employer=employers["HB00031B"],
        claimed_on=date(2026, 6, 1),
        first_period=date(2026, 3, 1),
        last_period=date(2026, 4, 1),
        reason="Lũ quét",
        proof="force_majeure/x.pdf",
        decision=Decision.ACCEPTED,
    )
    found = queries.evasion_by_employer(SAMPLE_DAY)
    for employer in Employer.objects.all():
        periods = cases.employer_evasion_periods(employer, SAMPLE_DAY)
        expected = (len(periods), min(periods)) if periods else None
        assert found.get(employer.pk) == expected, employer.unit_code
    # HB00031B's claim excuses part of its evasion, not all of it.
    assert employers["HB00005A"].pk in found and found[employers["HB00031B"].pk][1] == date(
        2026, 5, 1
    )


def test_publication_lists_late_and_evading(sample_province: SampleProvince) -> None:
    _sent(sample_province.employers["HB00005A"], date(2026, 8, 3))
    rows = queries.publication(on=SAMPLE_DAY, user=None)
    assert len(rows) == 19
    assert [r.arrears for r in rows] == sorted((r.arrears for r in rows), reverse=True)
    evading = [r for r in rows if r.violation == "Trốn đóng"]
    (row,) = evading
    assert (row.unit_code, row.tax_code, row.arrears) == ("HB00005A", "5437616875", 2_191_360_000)
    assert row.evasion_months == len(
        cases.employer_evasion_periods(sample_province.employers["HB00005A"], SAMPLE_DAY)
    )
    assert {r.violation for r in rows if r is not row} == {"Chậm đóng"}


# --------------------------------------------------------------------------------------------
# Cases, reminders, effectiveness


def test_case_pipeline_after_the_referrals(referred: SampleProvince, officer_a) -> None:  # type: ignore[no-untyped-def]
    rows = queries.case_pipeline(on=SAMPLE_DAY, user=None)
    total = queries.pipeline_totals(rows)
    assert {r.stage for r in rows} == {"detected"}
    assert (total.cases, total.arrears_at_opening, total.recovered) == (
        6,
        2_286_208_000,
        1_607_936_000,
    )
    (mine,) = queries.case_pipeline(on=SAMPLE_DAY, user=officer_a)
    assert (mine.district, mine.stage_name, mine.cases, mine.recovered) == (
        "Lương Sơn",
        "Phát hiện",
        1,
        164_736_000,
    )


def test_reminders_of_the_week(sample_province: SampleProvince, officer_a) -> None:  # type: ignore[no-untyped-def]
    employers = sample_province.employers
    _sent(employers["HB00000A"], SAMPLE_DAY)
    _sent(employers["HB00000A"], SAMPLE_DAY, kind=Reminder.Kind.INVITATION)
    _sent(employers["HB00005A"], SAMPLE_DAY)
    _sent(employers["HB00018D"], SAMPLE_DAY - timedelta(days=7))  # the week before
    rows = queries.reminders(on=SAMPLE_DAY + timedelta(days=3), user=None)
    assert [(r.unit_code, r.kind, r.sent_on) for r in rows] == [
        ("HB00000A", "Mời làm việc", SAMPLE_DAY),
        ("HB00000A", "Thông báo đôn đốc", SAMPLE_DAY),
        ("HB00005A", "Thông báo đôn đốc", SAMPLE_DAY),
    ]
    assert queries.reminder_count(on=SAMPLE_DAY, user=None) == 3
    assert [r.district for r in queries.reminders(on=SAMPLE_DAY, user=officer_a)] == [
        "Lương Sơn",
        "Lương Sơn",
    ]


def test_effectiveness_measures_payment_in_full_after_each_action(
    district_a, officer_a, manager
) -> None:  # type: ignore[no-untyped-def]
    # Two employers, 3,000,000 đ each in arrears (07-09/2025, due by 31/10/2025).
    quick, slow = EmployerFactory(district=district_a), EmployerFactory(district=district_a)
    for employer in (quick, slow):
        for month in (7, 8, 9):
            ContributionFactory(employer=employer, period=date(2025, month, 1))
    # Both reminded on 10/11/2025; quick pays in full 20 days later, slow in 60 days.
    for employer in (quick, slow):
        _sent(employer, date(2025, 11, 10))
    PaymentFactory(employer=quick, paid_on=date(2025, 11, 30), amount=3_000_000)
    PaymentFactory(employer=slow, paid_on=date(2026, 1, 9), amount=3_000_000)
    # A case for slow, opened on 20/11/2025 by officer_a, with a working session then.
    case = RecoveryCase.objects.create(
        employer=slow, officer=officer_a, opened_on=date(2025, 11, 20), arrears_at_opening=3_000_000
    )
    CaseEvent.objects.create(
        case=case, kind=EventKind.WORKING_SESSION, occurred_on=date(2025, 11, 20)
    )

    rows = {
        (r.section, r.group): r for r in queries.effectiveness(on=date(2026, 3, 1), user=manager)
    }
    reminder = rows[("Theo biện pháp", "Thông báo đôn đốc")]
    assert (reminder.units, reminder.arrears_at_start, reminder.recovered) == (
        2,
        6_000_000,
        6_000_000,
    )
    assert (str(reminder.paid_in_full_30), str(reminder.paid_in_full_90)) == ("0.500", "1.000")
    session = rows[("Theo biện pháp", "Buổi làm việc")]
    assert (session.units, str(session.paid_in_full_30), str(session.paid_in_full_90)) == (
        1,
        "0.000",
        "1.000",
    )
    officer = rows[("Theo cán bộ", "officer_a")]
    assert (officer.units, officer.recovered, str(officer.recovery_rate)) == (1, 3_000_000, "1.000")
    assert ("Theo quận/huyện", "Lương Sơn") in rows and ("Theo bước", "Phát hiện") in rows

    # 40 days after the reminders the 90-day window has not passed: no share yet.
    early = {
        (r.section, r.group): r for r in queries.effectiveness(on=date(2025, 12, 20), user=manager)
    }
    reminder = early[("Theo biện pháp", "Thông báo đôn đốc")]
    assert (str(reminder.paid_in_full_30), reminder.paid_in_full_90) == ("0.500", None)


def test_union_suits_list_the_federation_referrals(
    referred: SampleProvince, police, federation
) -> None:  # type: ignore[no-untyped-def]
    rows = queries.union_suits(on=SAMPLE_DAY, user=None)
    assert sorted(r.unit_code for r in rows) == ["HB00019E", "HB00021B"]
    expected = referred.expected["employers"]["HB00021B"]
    row = next(r for r in rows if r.unit_code == "HB00021B")
    assert (row.arrears, row.months_in_arrears, row.interest, row.workers) == (
        expected["arrears"],
        expected["months_in_arrears"],
        expected["interest"],
        expected["employees"],
    )
    assert row.oldest_unpaid_period == date(2026, 4, 1)
    assert row.reference == "4/BHXH-QLT"
    # Amount due: every contribution past its deadline on 16/11/2026 (through 2026-09).
    due = referred.employers["HB00021B"].contributions.filter(due_on__lt=SAMPLE_DAY)
    assert row.amount_due == sum(c.total for c in due)
    assert sorted(r.unit_code for r in queries.union_suits(on=SAMPLE_DAY, user=federation)) == [
        "HB00019E",
        "HB00021B",
    ]
    assert queries.union_suits(on=SAMPLE_DAY, user=police) == []
