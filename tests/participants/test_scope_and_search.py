import pytest
from django.db import IntegrityError, transaction

from participants.models import Employer
from tests.factories import EmployerFactory

pytestmark = pytest.mark.django_db


def test_officer_sees_only_own_districts(officer_a, employer_a, employer_b):  # type: ignore[no-untyped-def]
    assert list(Employer.objects.in_scope(officer_a)) == [employer_a]


def test_manager_sees_province(manager, employer_a, employer_b):  # type: ignore[no-untyped-def]
    assert set(Employer.objects.in_scope(manager)) == {employer_a, employer_b}


def test_liaison_sees_no_employer_without_referrals(police, employer_a):  # type: ignore[no-untyped-def]
    assert not Employer.objects.in_scope(police).exists()


def test_officer_gets_404_for_other_district(client_as, officer_a, employer_a, employer_b):  # type: ignore[no-untyped-def]
    client = client_as(officer_a)
    assert client.get(f"/don-vi/{employer_a.unit_code}/").status_code == 200
    assert client.get(f"/don-vi/{employer_b.unit_code}/").status_code == 404


def test_liaison_list_is_empty(client_as, police, employer_a):  # type: ignore[no-untyped-def]
    response = client_as(police).get("/don-vi/")
    assert response.status_code == 200
    assert employer_a.unit_code not in response.content.decode()
    assert client_as(police).get(f"/don-vi/{employer_a.unit_code}/").status_code == 404


@pytest.mark.parametrize(
    "typed", ["cong ty minh phat", "CÔNG TY MINH PHÁT", "minh phat", "Minh  Phát"]
)
def test_search_ignores_diacritics_and_case(typed, employer_a, employer_b):  # type: ignore[no-untyped-def]
    assert list(Employer.objects.search(typed)) == [employer_a]


def test_search_folds_d_with_stroke(employer_a, employer_b):  # type: ignore[no-untyped-def]
    assert list(Employer.objects.search("dong tam")) == [employer_b]


def test_search_by_unit_code_and_tax_code(employer_a, employer_b):  # type: ignore[no-untyped-def]
    assert list(Employer.objects.search(employer_b.unit_code.lower())) == [employer_b]
    assert list(Employer.objects.search(employer_a.tax_code)) == [employer_a]


def test_list_search_box(client_as, manager, employer_a, employer_b):  # type: ignore[no-untyped-def]
    response = client_as(manager).get("/don-vi/", {"q": "cong ty minh phat"})
    assert list(response.context["page"].object_list) == [employer_a]


@pytest.mark.parametrize("bad", ["123", "540000000A", "5400000000-12", "54000000001"])
def test_tax_code_format_is_a_database_constraint(bad, district_a):  # type: ignore[no-untyped-def]
    with pytest.raises(IntegrityError), transaction.atomic():
        EmployerFactory(district=district_a, tax_code=bad)


def test_branch_tax_code_is_accepted(district_a):  # type: ignore[no-untyped-def]
    assert EmployerFactory(district=district_a, tax_code="5400000000-001").pk


def test_unit_code_is_unique(district_a):  # type: ignore[no-untyped-def]
    EmployerFactory(district=district_a, unit_code="HB1")
    with pytest.raises(IntegrityError), transaction.atomic():
        EmployerFactory(district=district_a, unit_code="HB1")


def test_unknown_status_is_refused_by_the_database(district_a):  # type: ignore[no-untyped-def]
    with pytest.raises(IntegrityError), transaction.atomic():
        EmployerFactory(district=district_a, status="closed")
