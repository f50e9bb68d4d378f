"""Values checked where they come in: unit codes of letters, digits, "-" and "_"; money that
fits its column; dates within the calendar; no NUL in an address; an overlong login name.
Each refused with its reason, never a 500."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from arrears.cases.forms import MONEY_MAX, parse_money
from desk.forms import DayField
from participants.imports.employers import import_employers
from participants.models import Employer
from reports.models import Certificate
from tests.participants.imports.test_employers import HEADER, employer_line, reasons, refused

pytestmark = pytest.mark.django_db

RULE = "chỉ gồm chữ cái không dấu, chữ số, dấu «-» và «_»"


@pytest.mark.parametrize("code", ["HB/001", 'HB"001', "HB;001", "HBđ01"])
def test_the_employers_import_refuses_a_unit_code_outside_the_rule(code, office_a):  # type: ignore[no-untyped-def]
    line = employer_line("HB00001").replace("HB00001", f'"{code.replace(chr(34), chr(34) * 2)}"', 1)
    refusal = refused(io.BytesIO(f"{HEADER}\n{line}\n".encode()))
    assert [(row, column) for row, column, message in reasons(refusal) if RULE in message] == [
        (2, "unit_code")
    ]
    assert not Employer.objects.exists()


def test_the_employers_import_takes_dashes_and_underscores(office_a):  # type: ignore[no-untyped-def]
    file = io.BytesIO(f"{HEADER}\n{employer_line('HB-001_a')}\n".encode())
    assert import_employers(file).created == 1


def test_a_certificate_for_a_code_outside_the_rule_is_refused(client_as, officer_a, employer_a):  # type: ignore[no-untyped-def]
    response = client_as(officer_a).post(
        reverse("certificates"), {"unit_code": "HB/1\r\nX-Injected: 1", "on": "02/12/2026"}
    )
    assert response.status_code == 200
    assert RULE in response.content.decode()
    assert not Certificate.objects.exists()


def test_a_hold_for_a_code_outside_the_rule_is_refused(client_as, manager, employer_a):  # type: ignore[no-untyped-def]
    response = client_as(manager).post(
        reverse("holds"),
        {"employer": "'\"<>", "reason": "x", "starts_on": "01/12/2026", "ends_on": "31/12/2026"},
    )
    assert response.status_code == 200
    assert RULE in response.content.decode()


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        (str(MONEY_MAX), None),
        (str(MONEY_MAX + 1), "quá lớn"),
        ("9.223.372.036.854.775.808", "quá lớn"),
        ("²", "không hợp lệ"),
        ("١٢", "không hợp lệ"),
    ],
)
def test_money_fits_its_column(text: str, reason: str | None) -> None:
    if reason is None:
        assert parse_money(text) == MONEY_MAX
        return
    with pytest.raises(ValidationError) as caught:
        parse_money(text)
    assert reason in caught.value.messages[0] % caught.value.params


@pytest.mark.parametrize(
    ("text", "ok"),
    [("01/01/1995", True), ("31/12/2099", True), ("31/12/1994", False), ("31/12/9999", False)],
)
def test_a_day_is_within_the_calendar(text: str, ok: bool) -> None:
    field = DayField(input_formats=["%d/%m/%Y"])
    if ok:
        assert field.clean(text)
        return
    with pytest.raises(ValidationError) as caught:
        field.clean(text)
    assert "nằm ngoài khoảng 01/01/1995 – 31/12/2099" in caught.value.messages[0]


@pytest.mark.parametrize("url", ["/xac-minh/%00/", "/xac-minh/ABC/?x=%00", "/don-vi/?q=a%00b"])
def test_a_nul_in_an_address_is_a_400(client, url: str) -> None:  # type: ignore[no-untyped-def]
    response = client.get(url)
    assert response.status_code == 400
    assert response.content.decode() == "Địa chỉ có ký tự không hợp lệ."


def test_an_overlong_login_name_is_a_form_error(client) -> None:  # type: ignore[no-untyped-def]
    response = client.post(reverse("login"), {"username": "x" * 5000, "password": "y"})
    assert response.status_code == 200
    assert response.context["form"].errors["username"]
