"""The dashboard: the trend against the ledger at every month end, its figures on the samples
(for a manager and an officer), and before any Balance refresh."""

from __future__ import annotations

import json
from datetime import date

from django.db.models import Sum
from django.urls import reverse

from arrears.balances import balances_as_of
from arrears.models import Payment
from reports.dashboard import MonthFigures, arrears_trend, trend_points
from tests.samples import SAMPLE_DAY, SampleProvince


def test_trend_equals_the_ledger_at_every_month_end(sample_province: SampleProvince) -> None:
    points = trend_points(SAMPLE_DAY)
    assert points[0] == date(2025, 11, 30) and points[1] == date(2025, 12, 31)
    assert points[-2:] == [date(2026, 10, 31), SAMPLE_DAY]
    by_office = arrears_trend(SAMPLE_DAY)
    months = [
        sum((months[i] for months in by_office.values()), MonthFigures(points[i + 1]))
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


def test_dashboard_figures_on_the_samples(
    refreshed: SampleProvince, manager, client_as, django_assert_max_num_queries
) -> None:  # type: ignore[no-untyped-def]
    client = client_as(manager)
    client.get(reverse("dashboard"))  # the day's ledger figures are cached from here on
    # 10: the working sessions' counts and the overdue referrals' count, one query each
    with django_assert_max_num_queries(10):
        response = client.get(reverse("home"))
    assert response.status_code == 200
    figures = response.context["figures"]
    totals = refreshed.expected["totals"]
    assert figures.as_of == SAMPLE_DAY
    assert figures.arrears == totals["arrears"] == 8_548_089_600
    assert figures.employers_in_arrears == totals["employers_in_arrears"] == 19
    assert figures.interest == totals["interest"] == 1_277_264_801
    assert figures.workers_affected == sum(
        e["employees"] for e in refreshed.expected["employers"].values() if e["arrears"]
    )
    assert figures.hard_to_collect == 311_120_000
    assert figures.actionable == 8_548_089_600 - 2_366_816_000 - 311_120_000
    assert str(figures.late_rate) == "0.2316"
    assert (figures.year.opening_arrears, figures.year.receivable) == (
        5_388_176_000,
        36_915_712_000,
    )
    assert sum(s.arrears for s in figures.aging) == figures.arrears
    assert sum(s.arrears for s in figures.by_office) == figures.arrears
    assert figures.trend[-1].arrears == figures.arrears and len(figures.trend) == 12

    page = response.content.decode()
    assert "Xin chào" in page and "8.548.089.600" in page
    # Charts: data as JSON for the static script, no inline script, a table for each.
    trend = json.loads(
        page.split('id="chart-trend" type="application/json">')[1].split("</script>")[0]
    )
    assert trend["labels"][0] == "12/2025" and trend["arrears"][-1] == 8_548_089_600
    assert page.count("<details>") == 3
    assert "/static/reports/charts." in page and "/static/vendor/chart.umd.min." in page
    assert "<script>" not in page


def test_dashboard_of_an_officer_covers_their_offices(
    refreshed: SampleProvince, officer_a, client_as
) -> None:  # type: ignore[no-untyped-def]
    figures = client_as(officer_a).get(reverse("dashboard")).context["figures"]
    assert figures.arrears == 361_120_000  # Lương Sơn's three employers
    assert [s.label for s in figures.by_office] == ["Lương Sơn"]
    assert figures.trend[-1].arrears == 361_120_000


def test_dashboard_before_any_balance(manager, client_as) -> None:  # type: ignore[no-untyped-def]
    page = client_as(manager).get(reverse("dashboard")).content.decode()
    assert "Chưa có số liệu" in page
