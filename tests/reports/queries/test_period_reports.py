"""The other reports that count events, for a period: the cases opened in it, the union's
list of the referrals sent in it, the actions taken in it, the weeks run in it, and the late
rate on what fell due in it (``world`` in tests/reports/conftest.py)."""

from __future__ import annotations

from datetime import date

from reports.queries.case_pipeline import case_pipeline
from reports.queries.effectiveness import effectiveness
from reports.queries.late_rate import late_rate
from reports.queries.reminders import reminders
from reports.queries.union_suits import union_suits
from tests.reports.conftest import World
from tests.reports.queries.helpers import sent_reminder

Q1 = {"start": date(2026, 1, 1), "on": date(2026, 3, 31)}
LAST_YEAR = {"start": date(2025, 1, 1), "on": date(2025, 12, 31)}


def test_cases_opened_in_the_period(world: World) -> None:
    # Each employer's case opened with its first referral: E4 in 2025, the others in Q1.
    assert [r.cases for r in case_pipeline(user=None, **Q1)] == [4]
    assert [r.cases for r in case_pipeline(user=None, **LAST_YEAR)] == [1]
    assert [r.cases for r in case_pipeline(on=date(2026, 3, 31), user=None)] == [5]
    assert case_pipeline(user=None, start=date(2026, 4, 1), on=date(2026, 6, 30)) == []


def test_union_suits_of_the_period(world: World) -> None:
    codes = {r.unit_code for r in union_suits(user=None, **Q1)}
    assert codes == {world.e1.unit_code, world.e3.unit_code}
    assert union_suits(user=None, start=date(2026, 3, 1), on=date(2026, 3, 30)) == []


def test_effectiveness_of_the_period(world: World) -> None:
    rows = {(r.section, r.group): r for r in effectiveness(user=None, **Q1)}
    assert rows[("Theo BHXH cơ sở", "Thử kỳ")].units == 4
    # The inspectorate's first referrals in the quarter: E1 (10/01) and E2 (01/02), not E4.
    inspectorate = next(r for key, r in rows.items() if "Thanh tra" in key[1])
    assert inspectorate.units == 2


def test_reminders_of_the_weeks_run_in_the_period(world: World) -> None:
    sent_reminder(world.e1, date(2026, 2, 2))
    sent_reminder(world.e2, date(2026, 4, 6))
    assert [r.unit_code for r in reminders(user=None, **Q1)] == [world.e1.unit_code]
    assert [r.unit_code for r in reminders(on=date(2026, 4, 8), user=None)] == [world.e2.unit_code]


def test_late_rate_on_what_fell_due_in_the_period(world: World) -> None:
    # The second half of 2025: all 7,000,000 fell due (31/08 to 31/10) and none was paid.
    (half,) = late_rate(user=None, start=date(2025, 7, 1), on=date(2025, 12, 31))
    assert (half.receivable, half.arrears, str(half.late_rate)) == (7_000_000, 7_000_000, "1.0000")
    # Nothing fell due in Q1 2026: no rate, the arrears on 31/03 (7,000,000 less 3,600,000).
    (quarter,) = late_rate(user=None, **Q1)
    assert (quarter.receivable, quarter.arrears, quarter.late_rate) == (0, 3_400_000, None)
