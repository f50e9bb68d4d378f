"""The participants' models: employers and insured persons in a user's scope, the employer
search, and the rules the database keeps (tax code, unit code, status, ten-digit numbers)."""

from __future__ import annotations

import functools
from datetime import date

import pytest
from django.db import IntegrityError, transaction

from participants.imports.persons import import_persons
from participants.models import Employer, InsuredPerson
from tests.factories import CommuneFactory, EmployerFactory
from tests.participants.imports.test_persons import HEADER, person_line
from tests.statements import statement

pytestmark = pytest.mark.django_db


def test_officer_sees_only_own_offices(officer_a, employer_a, employer_b):  # type: ignore[no-untyped-def]
    assert list(Employer.objects.in_scope(officer_a)) == [employer_a]


def test_manager_sees_province(manager, employer_a, employer_b):  # type: ignore[no-untyped-def]
    assert set(Employer.objects.in_scope(manager)) == {employer_a, employer_b}


def test_liaison_sees_no_employer_without_referrals(police, employer_a):  # type: ignore[no-untyped-def]
    assert not Employer.objects.in_scope(police).exists()


def test_office_head_sees_their_offices_whole(head_a, office_a, employer_a, employer_b):  # type: ignore[no-untyped-def]
    # A head is never narrowed to communes: a commune given to them changes nothing.
    elsewhere = CommuneFactory(name="Xã Lâm Sơn", office=office_a)
    head_a.communes.add(elsewhere)
    assert list(Employer.objects.in_scope(head_a)) == [employer_a]


def test_officer_narrowed_to_communes_sees_only_theirs(officer_a, office_a, employer_a):  # type: ignore[no-untyped-def]
    lam_son = CommuneFactory(name="Xã Lâm Sơn", office=office_a)
    cu_yen = CommuneFactory(name="Xã Cư Yên", office=office_a)
    in_lam_son = EmployerFactory(office=office_a, commune=lam_son)
    EmployerFactory(office=office_a, commune=cu_yen)
    assert Employer.objects.in_scope(officer_a).count() == 3  # not narrowed: the whole office
    officer_a.communes.add(lam_son)
    assert list(Employer.objects.in_scope(officer_a)) == [in_lam_son]


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


@pytest.mark.parametrize("bad", ["123", "540000000A", "5400000000-12", "54000000001"])
def test_tax_code_format_is_a_database_constraint(bad, office_a):  # type: ignore[no-untyped-def]
    with pytest.raises(IntegrityError), transaction.atomic():
        EmployerFactory(office=office_a, tax_code=bad)


def test_branch_tax_code_is_accepted(office_a):  # type: ignore[no-untyped-def]
    assert EmployerFactory(office=office_a, tax_code="5400000000-001").pk


def test_unit_code_is_unique(office_a):  # type: ignore[no-untyped-def]
    EmployerFactory(office=office_a, unit_code="HB1")
    with pytest.raises(IntegrityError), transaction.atomic():
        EmployerFactory(office=office_a, unit_code="HB1")


def test_unknown_status_is_refused_by_the_database(office_a):  # type: ignore[no-untyped-def]
    with pytest.raises(IntegrityError), transaction.atomic():
        EmployerFactory(office=office_a, status="closed")


def test_persons_in_scope_follow_their_employers(
    employer_a, employer_b, officer_a, manager, police
) -> None:  # type: ignore[no-untyped-def]
    import_persons(
        statement(
            HEADER,
            person_line("1700000001", employer_a.unit_code),
            person_line("1700000002", employer_b.unit_code),
        )
    )
    numbers = lambda user: set(  # noqa: E731
        InsuredPerson.objects.in_scope(user).values_list("social_insurance_number", flat=True)
    )
    assert numbers(manager) == {"1700000001", "1700000002"}
    assert numbers(officer_a) == {"1700000001"}
    assert numbers(police) == set()  # nothing referred to the police


@pytest.mark.parametrize(
    ("number", "kept"),
    [
        ("1700000001", True),
        ("170000001", False),  # nine digits
        ("170000000 ", False),  # a space
        ("17000000O1", False),  # a letter O
        ("１７００００００01", False),  # full-width digits: ten characters, not ten digits
    ],
)
def test_the_database_keeps_only_ten_digit_numbers(employer_a, number, kept) -> None:  # type: ignore[no-untyped-def]
    values = {"full_name": "Bùi Thị Hương", "date_of_birth": date(1990, 5, 31), "sex": "female"}
    make = functools.partial(
        InsuredPerson.objects.create,
        employer=employer_a,
        from_period=date(2025, 3, 1),
        social_insurance_number=number,
        **values,
    )
    if kept:
        make()
    else:
        with pytest.raises(IntegrityError, match="person_number_format"), transaction.atomic():
            make()
