"""The demo province's generator (no database): reproducible rows in the statement files'
formats, a realistic mix of employers."""

from __future__ import annotations

import re
from collections import Counter
from datetime import date

from django.core.validators import validate_email

from arrears.ledger import Due, EmployerBalance, Paid, balance_on, due_date
from demo import places
from demo import province as demo
from demo.identity import tax_check_digit
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


def test_rows_follow_the_statement_file_formats() -> None:
    province = list(demo.generate(300, as_of=AS_OF))
    units = [r.employer["unit_code"] for r in province]
    assert len(set(units)) == 300
    # Numbered in order from 10000 behind the former province's prefix, letters A-E in turn.
    assert [u[2:] for u in units[:6]] == [
        "10000A",
        "10001B",
        "10002C",
        "10003D",
        "10004E",
        "10005A",
    ]
    communes = {c.code: c for c in places.COMMUNES}
    offices = {places.PROVINCE_OFFICE.code, *(o.code for o in places.OFFICES)}
    references: list[str] = []
    for rows in province:
        employer = rows.employer
        assert tuple(employer) == demo.EMPLOYER_COLUMNS
        assert re.match(demo.UNIT_CODE_PATTERN, employer["unit_code"])
        assert re.match(TAX_CODE_PATTERN, employer["tax_code"])
        base = employer["tax_code"][:10]
        assert tax_check_digit(base[:9]) == int(base[9])
        assert employer["commune"] in communes
        assert employer["office"] in offices
        assert employer["industrial_zone"] in ("", *places.INDUSTRIAL_ZONES)
        assert employer["ownership"] in Employer.Ownership.values
        assert employer["status"] in Employer.Status.values
        assert employer["payment_method"] in Employer.PaymentMethod.values
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
    assert len({e["office"] for e in province}) == len(places.OFFICES) + 1  # and the province's
    assert {e["unit_code"][:2] for e in province} == {"HB", "VP", "PT"}
    assert len({e["commune"] for e in province}) > 50
    zoned = [e for e in province if e["industrial_zone"]]
    assert len({e["industrial_zone"] for e in zoned}) > 5
    assert sum(e["ownership"] == "fdi" for e in zoned) > 0.5 * len(zoned)


def test_employers_lie_in_communes_of_their_former_province() -> None:
    """The commune of the address, the office serving it (or the provincial office for the
    largest), and the former province's prefixes on the unit code, tax code and landline."""
    communes = {c.code: c for c in places.COMMUNES}
    province = [r.employer for r in demo.generate(300, as_of=AS_OF)]
    for employer in province:
        commune = communes[employer["commune"]]
        prefix = employer["unit_code"][:2]
        assert prefix == commune.prefix
        assert employer["address"].endswith(f"{places.commune_label(commune)}, tỉnh Phú Thọ")
        assert "huyện" not in employer["address"] and "thị trấn" not in employer["address"]
        if employer["employees"] >= demo.LARGEST:
            assert employer["office"] == places.PROVINCE_OFFICE.code
        else:
            assert employer["office"] == commune.office
        if employer["industrial_zone"]:
            assert places.INDUSTRIAL_ZONES[employer["industrial_zone"]] == commune.code
            assert employer["industrial_zone"] in employer["address"]
        if "-" not in employer["tax_code"]:  # a branch has its company's code
            assert employer["tax_code"].startswith(places.TAX_PREFIXES[prefix])
        if len(employer["phone"]) == 11:  # a landline: the former province's area code
            assert employer["phone"].startswith(places.AREA_CODES[prefix])
    managed = [e for e in province if e["office"] == places.PROVINCE_OFFICE.code]
    assert 0 < len(managed) < 0.1 * len(province)


def test_commune_rows_are_the_communes_file() -> None:
    rows = demo.commune_rows()
    assert len(rows) == len(places.COMMUNES)
    assert all(tuple(row) == demo.COMMUNE_COLUMNS for row in rows)
    luong_son = next(row for row in rows if row["code"] == "X_LUONG_SON")
    assert luong_son == {
        "code": "X_LUONG_SON",
        "name": "Lương Sơn",
        "kind": "xa",
        "office": "Lương Sơn",
        "former_district": "Lương Sơn",
        "former_province": "Hòa Bình",
    }
    viet_tri = next(row for row in rows if row["code"] == "P_VIET_TRI")
    assert (viet_tri["kind"], viet_tri["former_province"]) == ("phuong", "Phú Thọ")
