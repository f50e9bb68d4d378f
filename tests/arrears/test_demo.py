"""The demo province: the generator (no database) and ``manage.py load_demo``."""

from __future__ import annotations

import re
from collections import Counter
from datetime import date
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.core.validators import validate_email

from accounts.models import User
from arrears.ledger import Bucket, Due, EmployerBalance, Paid, balance_on, due_date
from arrears.models import Balance, Contribution, Payment, RecoveryCase
from demo import province as demo
from participants.models import TAX_CODE_PATTERN, Employer

AS_OF = date(2026, 11, 16)  # a Monday, as in shared/samples


def _period(text: str) -> date:
    return date.fromisoformat(f"{text}-01")


def _balance(rows: demo.EmployerRows) -> EmployerBalance:
    method = rows.employer["payment_method"]
    dues = [
        Due(
            _period(c["period"]),
            c["si"] + c["hi"] + c["ui"] + c["oaod"],
            due_date(_period(c["period"]), method),
        )
        for c in rows.contributions
    ]
    return balance_on(dues, [Paid(p["paid_on"], p["amount"]) for p in rows.payments], AS_OF)


# --------------------------------------------------------------------------------------------
# The generator


def test_same_seed_same_province_other_seed_another() -> None:
    first = list(demo.generate(40, as_of=AS_OF, seed=7))
    assert list(demo.generate(40, as_of=AS_OF, seed=7)) == first
    assert list(demo.generate(40, as_of=AS_OF, seed=8)) != first


def test_periods_run_from_july_2025_through_the_last_full_month() -> None:
    months = demo.periods(AS_OF)
    assert (months[0], months[-1], len(months)) == (date(2025, 7, 1), date(2026, 10, 1), 16)
    assert demo.periods(AS_OF, months=3) == [date(2026, 8, 1), date(2026, 9, 1), date(2026, 10, 1)]
    assert demo.periods(date(2025, 7, 31)) == []


def test_tax_check_digit_matches_real_codes() -> None:
    assert demo.tax_check_digit("030058856") == 9  # 0300588569
    assert demo.tax_check_digit("010010910") == 6  # 0100109106
    assert demo.tax_check_digit("000000000") is None  # weighted sum 0 mod 11: no valid code


def test_rows_follow_the_statement_file_formats() -> None:
    province = list(demo.generate(300, as_of=AS_OF))
    units = [r.employer["unit_code"] for r in province]
    assert len(set(units)) == 300
    assert units[:2] == ["HB10000A", "HB10001B"]
    references: list[str] = []
    for rows in province:
        employer = rows.employer
        assert tuple(employer) == demo.EMPLOYER_COLUMNS
        assert re.match(demo.UNIT_CODE_PATTERN, employer["unit_code"])
        assert re.match(TAX_CODE_PATTERN, employer["tax_code"])
        base = employer["tax_code"][:10]
        assert demo.tax_check_digit(base[:9]) == int(base[9])
        assert employer["district"] in demo.DISTRICTS
        assert employer["ownership"] in Employer.Ownership.values
        assert employer["status"] in Employer.Status.values
        assert employer["payment_method"] in Employer.PaymentMethod.values
        assert employer["industrial_zone"] in ("", *demo.INDUSTRIAL_ZONES)
        assert employer["name"] and employer["address"] and employer["legal_representative"]
        if employer["email"]:
            validate_email(employer["email"])
        assert rows.contributions, employer["unit_code"]
        assert employer["employees"] == rows.contributions[-1]["employees"]
        for c in rows.contributions:
            assert tuple(c) == demo.CONTRIBUTION_COLUMNS
            assert re.fullmatch(r"20\d\d-(0[1-9]|1[0-2])", c["period"])
            assert all(type(c[k]) is int for k in demo.CONTRIBUTION_COLUMNS[2:])
            # The rates of the shared samples: SI 25 %, HI 4.5 %, UI 2 %, OA-OD 0.5 %.
            assert (c["si"] * 1000, c["hi"] * 1000, c["ui"] * 1000, c["oaod"] * 1000) == (
                c["wage_fund"] * 250,
                c["wage_fund"] * 45,
                c["wage_fund"] * 20,
                c["wage_fund"] * 5,
            )
            assert 5_000_000 <= c["wage_fund"] // c["employees"] <= 16_200_000
        periods = [c["period"] for c in rows.contributions]
        assert periods == sorted(set(periods))
        for p in rows.payments:
            assert tuple(p) == demo.PAYMENT_COLUMNS
            assert type(p["amount"]) is int and p["amount"] > 0
            assert p["paid_on"] <= AS_OF
            assert re.fullmatch(r"UNC\d{14}", p["reference"])
            references.append(p["reference"])
    assert len(set(references)) == len(references) > 2000


def test_province_mix_looks_like_a_real_one() -> None:
    province = [r.employer for r in demo.generate(300, as_of=AS_OF)]
    statuses = Counter(e["status"] for e in province)
    methods = Counter(e["payment_method"] for e in province)
    sizes = [e["employees"] for e in province]
    with_email = sum(bool(e["email"]) for e in province)
    assert statuses["active"] > 240 and len(statuses) >= 5
    assert methods["monthly"] > 270 and methods["quarterly"] + methods["six_monthly"] > 0
    assert sorted(sizes)[150] <= 50 and max(sizes) > 500
    assert 0.5 < with_email / 300 < 0.7
    assert len({e["district"] for e in province}) == 10


def test_behaviours_leave_about_half_clean_and_every_bucket_in_arrears() -> None:
    province = list(demo.generate(600, as_of=AS_OF))
    balances = [_balance(rows) for rows in province]
    assert {rows.behaviour for rows in province} == set(demo.Behaviour)
    clean = sum(b.arrears == 0 for b in balances)
    assert 0.5 <= clean / 600 <= 0.62
    assert {b.bucket for b in balances} == set(Bucket)
    by_behaviour = {
        behaviour: [
            b for rows, b in zip(province, balances, strict=True) if rows.behaviour == behaviour
        ]
        for behaviour in demo.Behaviour
    }
    # Who pays before every deadline owes nothing; who stopped mostly does.
    assert all(b.arrears == 0 for b in by_behaviour[demo.Behaviour.ON_TIME])
    assert all(b.arrears == 0 for b in by_behaviour[demo.Behaviour.ADVANCE])
    stopped = by_behaviour[demo.Behaviour.STOPPED]
    assert sum(b.arrears > 0 for b in stopped) > 0.8 * len(stopped)


# --------------------------------------------------------------------------------------------
# load_demo


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
    users = {u.username: u for u in User.objects.prefetch_related("districts")}
    manager, officer, police = users["manager"], users["officer"], users["police"]
    assert (manager.role, manager.is_staff, manager.is_superuser) == ("manager", True, True)
    assert manager.get_full_name() == "Nguyễn Thị Thu Hà"
    assert officer.role == "officer" and not officer.is_staff
    assert {d.name for d in officer.districts.all()} == {"Lương Sơn", "Thành phố Hòa Bình"}
    assert (police.role, police.agency.code, police.districts.count()) == ("liaison", "police", 0)
    assert [d.name for d in users["officer_da_bac"].districts.all()] == ["Đà Bắc"]
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
            _period(c["period"]),
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
        figures = _balance(rows)
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
