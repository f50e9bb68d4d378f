"""Statement lines, employers and a balance-refresh counter for the contribution and payment
import tests."""

import io

import pytest
from django.db import connection

from arrears import balances
from desk.statements.results import StatementRefused
from tests.factories import EmployerFactory

CONTRIBUTIONS = "unit_code,period,employees,wage_fund,si,hi,ui,oaod"
PAYMENTS = "unit_code,paid_on,amount,reference"


@pytest.fixture
def refreshes(monkeypatch):  # type: ignore[no-untyped-def]
    """How many times an import asked for a balance refresh."""
    calls: list[None] = []
    monkeypatch.setattr(balances, "request_balance_refresh", lambda: calls.append(None))
    return calls


@pytest.fixture
def units(office_a, office_b):  # type: ignore[no-untyped-def]
    """A monthly, a quarterly and a six-monthly payer (office A) and one of office B."""
    methods = {"M1": "monthly", "Q1": "quarterly", "S1": "six_monthly"}
    made = {
        code: EmployerFactory(unit_code=code, office=office_a, payment_method=method)
        for code, method in methods.items()
    }
    made["B1"] = EmployerFactory(unit_code="B1", office=office_b)
    return made


def contribution(unit: str, period: str, si: str = "2500000", employees: str = "10") -> str:
    return f"{unit},{period},{employees},10000000,{si},450000,200000,50000"


def refused(importer, file: io.BytesIO, **kwargs: object) -> list[tuple[int | None, str, str]]:  # type: ignore[no-untyped-def]
    with pytest.raises(StatementRefused) as caught:
        importer(file, **kwargs)
    return [(e.line, e.column, e.message) for e in caught.value.errors]


def xmins(table: str) -> list[int]:
    """Row versions: an UPDATE, even one writing equal values, gives the row a new xmin."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT xmin::text::bigint FROM {table} ORDER BY id")  # noqa: S608
        return [row[0] for row in cursor.fetchall()]
