"""The unit code picker: what a person types, without diacritics and in any case, offers the
employers they see, and only those."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.factories import EmployerFactory

pytestmark = pytest.mark.django_db

URL = "/don-vi/chon/goi-y/"


def picks(client, **typed: str) -> str:  # type: ignore[no-untyped-def]
    response = client.get(URL, typed, headers={"HX-Request": "true", "HX-Trigger": "id_unit_code"})
    assert response.status_code == 200
    return response.content.decode()


def test_url() -> None:
    assert reverse("employer_picker") == URL


def test_a_name_without_diacritics_in_any_case_finds_the_employer(  # type: ignore[no-untyped-def]
    client_as, officer_a, employer_a, office_b
):
    EmployerFactory(office=office_b, name="Công ty TNHH Minh Phát Tân Lạc")
    page = picks(client_as(officer_a), unit_code="MINH phat")
    assert page.count('role="option"') == 1
    assert f'data-pick="{employer_a.unit_code}" data-pick-for="id_unit_code"' in page
    assert "Công ty TNHH Minh Phát" in page


def test_the_field_may_be_named_anything_and_a_code_is_found(client_as, manager, employer_a):  # type: ignore[no-untyped-def]
    page = picks(client_as(manager), employer=employer_a.unit_code.lower())
    assert f'data-pick="{employer_a.unit_code}"' in page


def test_nothing_typed_offers_nothing(client_as, officer_a, employer_a):  # type: ignore[no-untyped-def]
    assert "option" not in picks(client_as(officer_a), q="  ")


def test_a_liaison_is_offered_only_what_was_referred(client_as, police, employer_a):  # type: ignore[no-untyped-def]
    assert "option" not in picks(client_as(police), q="minh phat")


@pytest.mark.parametrize(
    ("url", "name"),
    [(reverse("certificates"), "unit_code"), (reverse("case_list"), "q")],
)
def test_the_forms_where_a_code_is_typed_use_the_picker(url, name, client_as, officer_a):  # type: ignore[no-untyped-def]
    page = client_as(officer_a).get(url).content.decode()
    assert f'name="{name}"' in page
    assert f'hx-get="{URL}"' in page
    assert f'id="id_{name}-picks"' in page


def test_the_holds_form_uses_the_picker(client_as, manager):  # type: ignore[no-untyped-def]
    page = client_as(manager).get(reverse("holds")).content.decode()
    assert f'hx-get="{URL}"' in page and 'id="id_employer-picks"' in page
