"""The sample province of tests/fixtures/samples in the test database: fixture
``sample_province``.

A deliberately plain loader (bulk_create through the ORM, no checking) so tests of balances,
reports and jobs share the office's ground truth; statement imports have their own code.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from arrears import ledger
from arrears.models import Contribution, Payment
from participants.models import Employer, Office, office_code

SAMPLES = Path(__file__).resolve().parent / "fixtures" / "samples"
SAMPLE_DAY = date(2026, 11, 16)  # the as-of date of expected.json


@dataclass(frozen=True)
class SampleProvince:
    employers: dict[str, Employer]  # by unit code
    expected: dict[str, Any]  # expected.json


def read_csv(name: str) -> list[dict[str, str]]:
    with (SAMPLES / name).open(encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def _period(text: str) -> date:
    return date.fromisoformat(f"{text}-01")


def load_sample_province() -> SampleProvince:
    rows = read_csv("employers.csv")
    # The samples are district-era files: each former district is a grassroots office.
    offices = {
        name: Office.objects.get_or_create(name=name, defaults={"code": office_code(name)})[0]
        for name in {r["district"] for r in rows}
    }
    fields = ("unit_code", "tax_code", "name", "address", "industrial_zone", "ownership")
    fields += ("status", "employees", "email", "phone", "legal_representative", "payment_method")
    employers = Employer.objects.bulk_create(
        Employer(office=offices[r["district"]], **{f: r[f] for f in fields}) for r in rows
    )
    by_code = {e.unit_code: e for e in employers}

    contributions = []
    for r in read_csv("contributions.csv"):
        employer, period = by_code[r["unit_code"]], _period(r["period"])
        amounts = {f: int(r[f]) for f in ("employees", "wage_fund", "si", "hi", "ui", "oaod")}
        due_on = ledger.due_date(period, employer.payment_method)
        contributions.append(
            Contribution(employer=employer, period=period, due_on=due_on, **amounts)
        )
    Contribution.objects.bulk_create(contributions)
    Payment.objects.bulk_create(
        Payment(
            employer=by_code[r["unit_code"]],
            paid_on=date.fromisoformat(r["paid_on"]),
            amount=int(r["amount"]),
            reference=r["reference"],
        )
        for r in read_csv("payments.csv")
    )
    expected = json.loads((SAMPLES / "expected.json").read_text(encoding="utf-8"))
    return SampleProvince(employers=by_code, expected=expected)


@pytest.fixture
def sample_province(db) -> SampleProvince:  # type: ignore[no-untyped-def]
    """The 40 sample employers with their contributions and payments, and expected.json."""
    return load_sample_province()
