"""The demo province's generator (no database): reproducible rows in the statement files'
formats, a realistic mix of employers."""

from __future__ import annotations

import re
from collections import Counter
from datetime import date

from django.core.validators import validate_email

from arrears.ledger import Due, EmployerBalance, Paid, balance_on, due_date
from demo import province as demo
from demo import vocabulary
from participants.models import TAX_CODE_PATTERN, Employer

AS_OF = date(2026, 11, 16)  # a Monday, as in shared/samples


def month(text: str) -> date:
    return date.fromisoformat(f"{text}-01")


def balance_of(rows: demo.EmployerRows) -> EmployerBalance:
    """The ledger's balance on ``AS_OF`` of one generated employer."""
    method = rows.employer["payment_method"]
    dues = [
        Due(
            month(c["period"]),
            c["si"] + c["hi"] + c["ui"] + c["oaod"],
            due_date(month(c["period"]), method),
        )
        for c in rows.contributions
    ]
    return balance_on(dues, [Paid(p["paid_on"], p["amount"]) for p in rows.payments], AS_OF)


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
        assert employer["office"] in demo.OFFICES
        assert employer["ownership"] in Employer.Ownership.values
        assert employer["status"] in Employer.Status.values
        assert employer["payment_method"] in Employer.PaymentMethod.values
        assert employer["industrial_zone"] in ("", *vocabulary.INDUSTRIAL_ZONES)
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
    assert len({e["office"] for e in province}) == 10
