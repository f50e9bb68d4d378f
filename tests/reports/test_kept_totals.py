"""The per-office totals each Balance refresh keeps (arrears.balance_totals): the aging report,
the dashboard and the employer list's count read them while they are current, and give the
same figures as adding up the Balance table or the ledger; they follow a refresh, and are
left alone while the ledger has changed since."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from arrears import balance_totals
from arrears.balances import refresh_balances
from arrears.models import Balance, BalanceTotalState
from participants.models import Commune, Employer, Office
from participants.selectors import scope_offices
from reports import dashboard
from reports.queries import aging as aging_module
from reports.queries.aging import aging
from tests.factories import PaymentFactory
from tests.samples import SAMPLE_DAY, SampleProvince


def _computed(monkeypatch: pytest.MonkeyPatch, **kwargs: Any) -> list[aging_module.AgingRow]:
    """The aging report as it is without kept totals (from the Balance table)."""
    with monkeypatch.context() as patched:
        patched.setattr(aging_module, "kept_current", lambda on: False)
        return aging(on=SAMPLE_DAY, **kwargs)


def _kept(**kwargs: Any) -> list[aging_module.AgingRow]:
    """The aging report, checked to have read the kept totals and not the Balance table."""
    with CaptureQueriesContext(connection) as queries:
        rows = aging(on=SAMPLE_DAY, **kwargs)
    sql = " ".join(q["sql"] for q in queries.captured_queries)
    assert "arrears_balancetotal t" in sql
    assert "arrears_balance b" not in sql
    return rows


@pytest.mark.parametrize("by", ["office", "status"])
def test_aging_from_kept_totals_equals_the_balance_table(
    refreshed: SampleProvince, monkeypatch: pytest.MonkeyPatch, manager, officer_a, head_a, by
) -> None:  # type: ignore[no-untyped-def]
    luong_son = Office.objects.get(name="Lương Sơn")
    for user in (None, manager, officer_a, head_a):
        for filters in ({}, {"status": "active"}, {"office": luong_son.pk}):
            kept = _kept(user=user, by=by, **filters)
            assert kept, (user, filters)
            assert kept == _computed(monkeypatch, user=user, by=by, **filters), (user, filters)
    # Both add up to the samples' totals.
    everyone = aging_module.aging_totals(_kept(user=None, by=by))
    assert (everyone.arrears, everyone.interest) == (8_548_089_600, 1_277_264_801)
    assert everyone.employers_in_arrears == 19


def test_what_kept_totals_cannot_give_is_computed(
    areas: SampleProvince, officer_a, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    refresh_balances(SAMPLE_DAY)
    lam_son = Commune.objects.get(name="Lâm Sơn")
    officer_a.communes.add(lam_son)  # an officer given one commune: not a whole office
    assert scope_offices(officer_a) is None
    for kwargs in (
        {"user": officer_a},
        {"user": None, "by": "commune"},
        {"user": None, "commune": lam_son.pk},
        {"user": None, "ownership": "private"},
    ):
        with CaptureQueriesContext(connection) as queries:
            rows = aging(on=SAMPLE_DAY, **kwargs)
        assert "arrears_balancetotal t" not in " ".join(q["sql"] for q in queries.captured_queries)
        assert rows == _computed(monkeypatch, **kwargs)
    (mine,) = aging(on=SAMPLE_DAY, user=officer_a)
    assert (mine.group, mine.employers_in_arrears, mine.arrears) == ("Lương Sơn", 2, 338_240_000)


def test_kept_totals_follow_a_refresh(refreshed: SampleProvince) -> None:
    assert balance_totals.kept_current(SAMPLE_DAY)
    before = aging_module.aging_totals(aging(on=SAMPLE_DAY, user=None))
    debtor = Employer.objects.filter(balance__arrears__gt=0).order_by("-balance__arrears")[0]
    PaymentFactory(employer=debtor, paid_on=SAMPLE_DAY, amount=1_000_000)
    # The ledger changed: not current until the refresh; the report computes meanwhile.
    assert not balance_totals.kept_current(SAMPLE_DAY)
    assert not balance_totals.kept_current(None)
    assert aging_module.aging_totals(aging(on=SAMPLE_DAY, user=None)).arrears == (
        before.arrears - 1_000_000
    )
    refresh_balances(SAMPLE_DAY)
    assert balance_totals.kept_current(SAMPLE_DAY)
    after = aging_module.aging_totals(_kept(user=None))
    assert after.arrears == before.arrears - 1_000_000
    # Another day's figures are the ledger's, not the kept ones.
    assert not balance_totals.kept_current(SAMPLE_DAY.replace(day=1))
    assert balance_totals.kept_current(None)


def test_dashboard_from_kept_totals_equals_the_balance_table(
    refreshed: SampleProvince, monkeypatch: pytest.MonkeyPatch
) -> None:
    state = balance_totals.kept_stamp()
    assert state is not None
    stamp = Balance.objects.values_list("as_of", "refreshed_at").distinct()
    assert [(state.balance_as_of, state.refreshed_at)] == list(stamp)

    def by_office() -> list[dict[str, Any]]:
        """Each office and bucket's figures, a sum of no rows as 0 (as the dashboard reads it)."""
        found = [{k: v or 0 for k, v in g.items()} for g in dashboard._today_by_office()]
        return sorted(found, key=lambda g: (g["office_id"], g["bucket"]))

    kept = by_office()
    monkeypatch.setattr(dashboard, "kept_stamp", lambda: None)
    assert kept == by_office()
    assert sum(g["owed"] for g in kept) == 8_548_089_600
    assert sum(g["hard"] for g in kept) == 311_120_000


def test_a_refresh_that_did_not_keep_totals_is_not_read(refreshed: SampleProvince) -> None:
    BalanceTotalState.objects.update(ledger_version=-1)  # as if kept by an older refresh
    assert balance_totals.kept_stamp() is None
    assert not balance_totals.kept_current(SAMPLE_DAY)


def test_employer_list_counts_from_kept_totals(
    refreshed: SampleProvince, manager, officer_a, client_as
) -> None:  # type: ignore[no-untyped-def]
    for user in (manager, officer_a):
        exact = Employer.objects.in_scope(user).count()
        assert balance_totals.kept_employer_count(user) == exact
        client = client_as(user)
        with CaptureQueriesContext(connection) as queries:
            page = client.get(reverse("employer_list")).context["page"]
        assert page.paginator.count == exact
        counts = [q["sql"] for q in queries.captured_queries if "COUNT(" in q["sql"].upper()]
        assert not any("participants_employer" in sql for sql in counts), counts
        # Filtered, the list counts itself.
        filtered = client.get(reverse("employer_list"), {"status": "active"}).context["page"]
        assert filtered.paginator.count == (
            Employer.objects.in_scope(user).filter(status="active").count()
        )
