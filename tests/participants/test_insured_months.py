"""Insured persons' months and the pages that show them: the ledger's rule for a person's
months (no database), the workers section of the employer page, and the demo's persons.

These test arrears.ledger, arrears.insured.selectors, the employer page and demo; they came
with the persons tests and wait here to join those packages' tests."""

from __future__ import annotations

from datetime import date

from django.urls import reverse

from arrears import ledger
from arrears.insured.selectors import employer_insured, month_ranges
from arrears.ledger import Due, MonthStatus, Paid
from arrears.models import RecoveryCase, Referral
from arrears.selectors import employer_statement
from demo import insured as demo_insured
from demo import province as demo
from demo.persons import share_out
from participants.models import CoverageFigure, InsuredPerson
from tests.factories import (
    ContributionFactory,
    DistrictFactory,
    EmployerFactory,
    PaymentFactory,
)

MONTHLY = ledger.PaymentMethod.MONTHLY
MARCH_TO_AUGUST = [date(2025, m, 1) for m in range(3, 9)]


def month(m: int, year: int = 2025) -> date:
    return date(year, m, 1)


def dues(months: list[date], amount: int = 1_000_000) -> list[Due]:
    return [Due(m, amount, ledger.due_date(m, MONTHLY)) for m in months]


# --------------------------------------------------------------------------------------------
# The rule (ledger.py, no database)


def test_worked_example_employer_paid_until_may_leaves_june_to_august_unpaid() -> None:
    """A worker employed March to August by an employer that paid until May sees June to
    August unpaid once they are past due."""
    on = date(2025, 10, 15)  # August's contribution fell due on 30/09
    payments = [Paid(date(2025, 4, 20), 2_000_000), Paid(date(2025, 6, 25), 1_000_000)]
    settlements = ledger.settle_on(dues(MARCH_TO_AUGUST), payments, on)
    months = ledger.employment_months(month(3), month(8), on)
    assert months == MARCH_TO_AUGUST

    assert ledger.month_statuses(settlements, months, on, MONTHLY) == [
        (month(3), MonthStatus.PAID),
        (month(4), MonthStatus.PAID),
        (month(5), MonthStatus.PAID),
        (month(6), MonthStatus.UNPAID),
        (month(7), MonthStatus.UNPAID),
        (month(8), MonthStatus.UNPAID),
    ]
    assert ledger.unconfirmed_months(settlements, months, on) == [month(6), month(7), month(8)]


def test_a_month_not_yet_due_is_not_unconfirmed() -> None:
    on = date(2025, 9, 15)  # August falls due on 30/09
    settlements = ledger.settle_on(dues(MARCH_TO_AUGUST), [Paid(date(2025, 6, 1), 3_000_000)], on)
    statuses = dict(ledger.month_statuses(settlements, MARCH_TO_AUGUST, on, MONTHLY))
    assert statuses[month(7)] is MonthStatus.UNPAID  # due 31/08
    assert statuses[month(8)] is MonthStatus.NOT_DUE
    assert ledger.unconfirmed_months(settlements, MARCH_TO_AUGUST, on) == [month(6), month(7)]


def test_the_due_date_itself_is_not_yet_late() -> None:
    """Rule 3: a contribution is in arrears once its due date is before the day."""
    settlements = ledger.settle_on(dues([month(8)]), [], date(2025, 9, 30))
    assert ledger.month_statuses(settlements, [month(8)], date(2025, 9, 30), MONTHLY) == [
        (month(8), MonthStatus.NOT_DUE)
    ]
    settlements = ledger.settle_on(dues([month(8)]), [], date(2025, 10, 1))
    assert ledger.unconfirmed_months(settlements, [month(8)], date(2025, 10, 1)) == [month(8)]


def test_payments_after_the_day_do_not_count_and_a_part_paid_month_is_unpaid() -> None:
    payments = [Paid(date(2025, 10, 1), 2_500_000), Paid(date(2025, 12, 1), 10_000_000)]
    on = date(2025, 11, 1)
    settlements = ledger.settle_on(dues([month(m) for m in (6, 7, 8)]), payments, on)
    assert ledger.month_statuses(settlements, [month(6), month(7), month(8)], on, MONTHLY) == [
        (month(6), MonthStatus.PAID),
        (month(7), MonthStatus.PAID),
        (month(8), MonthStatus.UNPAID),  # 500,000 of 1,000,000 paid by 01/11
    ]


def test_paid_in_advance_is_paid_before_it_is_due() -> None:
    on = date(2025, 9, 15)
    settlements = ledger.settle_on(dues([month(9)]), [Paid(date(2025, 9, 2), 1_000_000)], on)
    assert ledger.month_statuses(settlements, [month(9)], on, MONTHLY) == [
        (month(9), MonthStatus.PAID)
    ]


def test_a_month_without_contribution_is_not_due_then_not_recorded() -> None:
    """No contribution for the month: nothing to confirm it by. A quarterly payer's August is
    due on 31/10, so on 15/10 it is not due yet and on 01/11 it is not recorded."""
    quarterly = ledger.PaymentMethod.QUARTERLY
    assert ledger.month_statuses([], [month(8)], date(2025, 10, 15), quarterly) == [
        (month(8), MonthStatus.NOT_DUE)
    ]
    assert ledger.month_statuses([], [month(8)], date(2025, 11, 1), quarterly) == [
        (month(8), MonthStatus.NOT_RECORDED)
    ]
    assert ledger.unconfirmed_months([], [month(8)], date(2025, 11, 1)) == []


def test_employment_months_run_to_the_last_month_or_the_day() -> None:
    on = date(2025, 11, 20)
    assert ledger.employment_months(month(9), None, on) == [month(9), month(10), month(11)]
    assert ledger.employment_months(month(9), month(10), on) == [month(9), month(10)]
    assert ledger.employment_months(month(10), month(12, 2026), on) == [month(10), month(11)]
    assert ledger.employment_months(month(12), None, on) == []  # starts after the day
    assert ledger.employment_months(month(11, 2024), month(2), on) == [
        month(11, 2024),
        month(12, 2024),
        month(1),
        month(2),
    ]


def test_month_ranges() -> None:
    months = [month(6), month(7), month(8), month(11), month(12), month(1, 2026)]
    assert month_ranges(months) == [(month(6), month(8)), (month(11), month(1, 2026))]
    assert month_ranges([]) == []


# --------------------------------------------------------------------------------------------
# The employer page


def employer_paid_until_may(district):  # type: ignore[no-untyped-def]
    employer = EmployerFactory(district=district)
    for period in MARCH_TO_AUGUST:
        ContributionFactory(employer=employer, period=period)
    PaymentFactory(employer=employer, paid_on=date(2025, 6, 20), amount=3_000_000)
    return employer


def test_employer_workers_lists_those_with_unconfirmed_months(
    district_a, django_assert_num_queries
) -> None:  # type: ignore[no-untyped-def]
    employer = employer_paid_until_may(district_a)
    for number, name, start, end in [
        ("1700000001", "Bùi Thị Hương", month(3), month(8)),
        ("1700000002", "Đinh Văn Tùng", month(7), None),
        ("1700000003", "Hà Thị Lan", month(3), month(5)),  # left in May: all paid
    ]:
        InsuredPerson.objects.create(
            social_insurance_number=number,
            full_name=name,
            date_of_birth=date(1990, 1, 1),
            sex="female",
            employer=employer,
            from_period=start,
            to_period=end,
        )
    balance = employer_statement(employer, date(2025, 10, 15)).balance
    with django_assert_num_queries(4):
        workers = employer_insured(employer, balance)
    assert (workers.persons, workers.workers_affected, workers.unconfirmed_months) == (3, 10, 5)
    assert [(w.person.full_name, w.months) for w in workers.unconfirmed] == [
        ("Bùi Thị Hương", [month(6), month(7), month(8)]),
        ("Đinh Văn Tùng", [month(7), month(8)]),
    ]


def test_employer_page_shows_the_workers_section(district_a, officer_a, client_as) -> None:  # type: ignore[no-untyped-def]
    employer = employer_paid_until_may(district_a)
    InsuredPerson.objects.create(
        social_insurance_number="1700000001",
        full_name="Bùi Thị Hương",
        date_of_birth=date(1990, 1, 1),
        sex="female",
        employer=employer,
        from_period=month(3),
        to_period=month(8),
    )
    url = reverse("employer_detail", args=[employer.unit_code])
    html = client_as(officer_a).get(url, {"on": "15/10/2025"}).content.decode()
    assert "Người lao động có tháng chưa xác nhận" in html
    assert "1 người (3 tháng), trong 1 người lao động đã nạp" in html
    assert "06/2025–08/2025" in html
    assert reverse("insured_detail", args=["1700000001"]) in html


def test_a_liaison_sees_the_workers_of_an_employer_referred_to_them_without_links(
    district_a, police, client_as
) -> None:  # type: ignore[no-untyped-def]
    employer = employer_paid_until_may(district_a)
    InsuredPerson.objects.create(
        social_insurance_number="1700000001",
        full_name="Bùi Thị Hương",
        date_of_birth=date(1990, 1, 1),
        sex="female",
        employer=employer,
        from_period=month(3),
        to_period=month(8),
    )
    case = RecoveryCase.objects.create(
        employer=employer, stage="criminal_referral", opened_on=date(2025, 9, 1)
    )
    Referral.objects.create(
        case=case, agency=police.agency, purpose="investigate", sent_on=date(2025, 10, 1)
    )
    url = reverse("employer_detail", args=[employer.unit_code])
    html = client_as(police).get(url, {"on": "15/10/2025"}).content.decode()
    assert "Bùi Thị Hương" in html and "06/2025–08/2025" in html
    assert reverse("insured_detail", args=["1700000001"]) not in html


# --------------------------------------------------------------------------------------------
# The demo's persons


def test_share_out_by_headcount_never_more_than_it() -> None:
    assert share_out(10, [1, 3, 6]) == [1, 3, 6]
    assert share_out(5, [1, 3, 6]) == [1, 1, 3]
    assert share_out(100, [1, 3, 6]) == [1, 3, 6]
    assert sum(share_out(7, [5, 5, 5, 5])) == 7


def test_demo_persons_are_a_few_per_employer(district_a) -> None:  # type: ignore[no-untyped-def]
    rows = list(demo.generate(40, as_of=date(2026, 1, 15), seed=5))
    districts = {name: DistrictFactory(name=name) for name in demo.DISTRICTS}
    employers = [
        EmployerFactory(
            unit_code=r.employer["unit_code"],
            district=districts[r.employer["district"]],
            employees=r.employer["employees"],
        )
        for r in rows
    ]
    made = demo_insured.make_persons(rows, employers)
    assert made == InsuredPerson.objects.count() > 40
    for employer in employers:
        persons = list(employer.insured_persons.all())
        assert len(persons) <= min(employer.employees, demo_insured.MOST)
        assert all(p.from_period >= date(2025, 7, 1) for p in persons)
    numbers = list(InsuredPerson.objects.values_list("social_insurance_number", flat=True))
    assert len(set(numbers)) == len(numbers)
    assert all(len(n) == 10 and n.isdigit() for n in numbers)

    assert demo_insured.make_coverage((2024, 2025)) == (len(demo.DISTRICTS) + 1) * 2 * 5
    assert demo_insured.make_coverage((2024, 2025)) == 110  # replaced, not added
    province = CoverageFigure.objects.get(district=None, year=2025, quarter=None)
    districts_2025 = CoverageFigure.objects.filter(district__isnull=False, year=2025, quarter=None)
    assert province.hi == sum(f.hi for f in districts_2025)
