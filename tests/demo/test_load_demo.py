"""``manage.py load_demo``: the demo's users, ledger and balances; idempotent, --reset, and
never without DEBUG."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from accounts.models import User
from arrears.ledger import due_date
from arrears.models import Balance, Contribution, Payment, RecoveryCase
from demo import province as demo
from participants.models import Employer
from tests.demo.test_province import AS_OF, balance_of, month


def _load(**options) -> str:  # type: ignore[no-untyped-def]
    out = StringIO()
    call_command("load_demo", employers=12, as_of=AS_OF, stdout=out, **options)
    return out.getvalue()


@pytest.fixture
def debug(settings):  # type: ignore[no-untyped-def]
    settings.DEBUG = True


@pytest.mark.django_db
@pytest.mark.usefixtures("debug")
def test_load_demo_creates_users_with_their_roles_and_scope() -> None:
    output = _load()
    users = {u.username: u for u in User.objects.prefetch_related("offices")}
    manager, officer, police = users["manager"], users["officer"], users["police"]
    assert (manager.role, manager.is_staff, manager.is_superuser) == ("manager", True, True)
    assert manager.get_full_name() == "Nguyễn Thị Thu Hà"
    assert officer.role == "officer" and not officer.is_staff
    assert {d.name for d in officer.offices.all()} == {"Lương Sơn", "Thành phố Hòa Bình"}
    assert (police.role, police.agency.code, police.offices.count()) == ("liaison", "police", 0)
    assert [d.name for d in users["officer_da_bac"].offices.all()] == ["Đà Bắc"]
    assert users["federation"].agency.code == "labour_federation"
    assert all(u.check_password("demo") for u in users.values())
    assert "http://127.0.0.1:8000/" in output and "officer_kim_boi" in output


@pytest.mark.django_db
@pytest.mark.usefixtures("debug")
def test_load_demo_writes_the_generated_ledger_and_balances() -> None:
    _load()
    province = list(demo.generate(12, as_of=AS_OF))
    assert sorted(Employer.objects.values_list("unit_code", flat=True)) == [
        r.employer["unit_code"] for r in province
    ]
    expected_contributions = {
        (
            c["unit_code"],
            month(c["period"]),
            c["employees"],
            c["wage_fund"],
            c["si"],
            c["hi"],
            c["ui"],
            c["oaod"],
        )
        for r in province
        for c in r.contributions
    }
    stored = Contribution.objects.values_list(
        "employer__unit_code", "period", "employees", "wage_fund", "si", "hi", "ui", "oaod"
    )
    assert set(stored) == expected_contributions
    assert len(stored) == len(expected_contributions)
    for contribution in Contribution.objects.select_related("employer"):
        assert contribution.due_on == due_date(
            contribution.period, contribution.employer.payment_method
        )
    expected_payments = {
        (p["unit_code"], p["paid_on"], p["amount"], p["reference"])
        for r in province
        for p in r.payments
    }
    stored_payments = Payment.objects.values_list(
        "employer__unit_code", "paid_on", "amount", "reference"
    )
    assert set(stored_payments) == expected_payments
    # Balances are refreshed at once, to the ledger's figures.
    balances = {b.employer.unit_code: b for b in Balance.objects.select_related("employer")}
    for rows in province:
        figures = balance_of(rows)
        stored_balance = balances[rows.employer["unit_code"]]
        assert (stored_balance.arrears, stored_balance.months_in_arrears) == (
            figures.arrears,
            figures.months_in_arrears,
        )


@pytest.mark.django_db
@pytest.mark.usefixtures("debug")
def test_load_demo_is_idempotent_and_reset_reloads() -> None:
    _load()
    ids = sorted(Employer.objects.values_list("pk", flat=True))
    counts = (Contribution.objects.count(), Payment.objects.count(), User.objects.count())

    assert "demo already loaded" in _load()
    assert sorted(Employer.objects.values_list("pk", flat=True)) == ids
    assert (Contribution.objects.count(), Payment.objects.count(), User.objects.count()) == counts

    # A case opened in the demo protects its employer; --reset clears it too. (Closed, so it
    # cannot meet the demo's own open case of that employer; those are made again.)
    extra = RecoveryCase.objects.create(
        employer=Employer.objects.first(), opened_on=AS_OF, stage="closed"
    )
    _load(reset=True)
    assert not RecoveryCase.objects.filter(pk=extra.pk).exists()
    assert (
        Employer.objects.count() == 12
        and sorted(Employer.objects.values_list("pk", flat=True)) != ids
    )
    assert (Contribution.objects.count(), Payment.objects.count(), User.objects.count()) == counts


@pytest.mark.django_db
def test_load_demo_refuses_without_debug(settings) -> None:  # type: ignore[no-untyped-def]
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        _load()
    assert not Employer.objects.exists()
    assert not User.objects.filter(username="manager").exists()
