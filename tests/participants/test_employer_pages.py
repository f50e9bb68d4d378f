"""The employer list and page as the participants' scope and search make them: an officer's
own districts, a liaison's empty list, the search box.

These test arrears' employer pages; they came with the employer scope tests and wait here to
join those pages' tests."""

import pytest

pytestmark = pytest.mark.django_db


def test_officer_gets_404_for_other_district(client_as, officer_a, employer_a, employer_b):  # type: ignore[no-untyped-def]
    client = client_as(officer_a)
    assert client.get(f"/don-vi/{employer_a.unit_code}/").status_code == 200
    assert client.get(f"/don-vi/{employer_b.unit_code}/").status_code == 404


def test_liaison_list_is_empty(client_as, police, employer_a):  # type: ignore[no-untyped-def]
    response = client_as(police).get("/don-vi/")
    assert response.status_code == 200
    assert employer_a.unit_code not in response.content.decode()
    assert client_as(police).get(f"/don-vi/{employer_a.unit_code}/").status_code == 404


def test_list_search_box(client_as, manager, employer_a, employer_b):  # type: ignore[no-untyped-def]
    response = client_as(manager).get("/don-vi/", {"q": "cong ty minh phat"})
    assert list(response.context["page"].object_list) == [employer_a]
