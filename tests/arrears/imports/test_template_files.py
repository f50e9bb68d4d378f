"""The template of each kind of statement file: its header is the layout's, its notes say
what each column holds, and a template filled in as it comes imports."""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.urls import reverse

from arrears import balances
from arrears.imports.contributions import import_contributions
from arrears.imports.kinds import COLUMNS
from arrears.imports.payments import import_payments
from arrears.models import Contribution, Payment
from desk.statements.reading import check_header
from tests.factories import EmployerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_refresh(monkeypatch):  # type: ignore[no-untyped-def]
    monkeypatch.setattr(balances, "request_balance_refresh", lambda: None)


def template(client, kind: str) -> openpyxl.Workbook:  # type: ignore[no-untyped-def]
    response = client.get(reverse("import_template", args=[kind]))
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="mau-{kind}.xlsx"'
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return openpyxl.load_workbook(io.BytesIO(response.content))


@pytest.mark.parametrize("kind", sorted(COLUMNS))
def test_each_template_has_the_header_an_example_and_notes(kind, client_as, officer_a):  # type: ignore[no-untyped-def]
    book = template(client_as(officer_a), kind)
    data, notes = book.worksheets
    rows = [list(row) for row in data.iter_rows(values_only=True)]
    layout = COLUMNS[kind]
    assert rows[0] == list(layout.current)
    assert check_header(rows[0], layout) == list(layout.current)
    assert len(rows) == 2 and any(rows[1])
    assert notes.title == "Ghi chú"
    explained = {row[0]: row for row in notes.iter_rows(min_row=2, values_only=True) if row[0]}
    for column in layout.current:
        assert explained[column][2], column  # what it holds, in words
        assert explained[column][1] == ("có" if column in layout.required else "không")


def test_the_payments_template_imports_as_it_comes(client_as, officer_a, office_a):  # type: ignore[no-untyped-def]
    EmployerFactory(unit_code="HB00001A", office=office_a)
    out = io.BytesIO()
    template(client_as(officer_a), "payments").save(out)
    result = import_payments(io.BytesIO(out.getvalue()))
    assert result.created == 1
    payment = Payment.objects.get()
    assert (str(payment.paid_on), payment.amount) == ("2026-12-05", 45_760_000)


def test_the_contributions_template_imports_as_it_comes(client_as, officer_a, office_a):  # type: ignore[no-untyped-def]
    EmployerFactory(unit_code="HB00001A", office=office_a)
    out = io.BytesIO()
    template(client_as(officer_a), "contributions").save(out)
    assert import_contributions(io.BytesIO(out.getvalue())).created == 1
    row = Contribution.objects.get()
    assert (str(row.period), row.si, row.oaod) == ("2026-11-01", 35_750_000, 715_000)


def test_the_upload_page_links_every_template(client_as, officer_a):  # type: ignore[no-untyped-def]
    page = client_as(officer_a).get(reverse("import_statement")).content.decode()
    for kind in COLUMNS:
        assert f'href="/nhap-du-lieu/mau/{kind}.xlsx" download' in page


def test_an_unknown_kind_is_404(client_as, officer_a):  # type: ignore[no-untyped-def]
    assert client_as(officer_a).get("/nhap-du-lieu/mau/passwords.xlsx").status_code == 404
