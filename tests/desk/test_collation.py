"""Names sort the Vietnamese way, in the database and in Python, on every PostgreSQL build."""

from __future__ import annotations

import random

import pytest
from django.db import connection
from django.db.models import F
from django.db.models.functions import Collate

from arrears.cases import services as cases
from desk.collation import vietnamese_key, vietnamese_order
from participants.models import Employer
from tests.factories import EmployerFactory

# As PostgreSQL's ICU collation "vi-x-icu" orders them (checked on PostgreSQL 15 with ICU):
# punctuation, digits, then the letters; Ă after A, Đ after D, Ơ after Ô after O, Ư after U;
# tones between equal letters (none, grave, hook, tilde, acute, dot below); lower case first.
ICU_ORDER = [
    "-a", "1a", "a", "A", "à", "ả", "Ả", "ã", "á", "ạ", "b a", "ba", "Ba", "Da", "Dz", "Đà",
    "Oz", "Ôz", "Ơ", "Ua", "Uz", "Ưa",
]  # fmt: skip
NAMES = [
    "An Phát",
    "Ánh Dương",  # letters first: d before đ, whatever the tones
    "Anh Đào",
    "Ăn Uống",
    "Âu Lạc",
    "Bình Minh",
    "Dung Hà",
    "Dương Minh",
    "Đà Giang",
    "Đông Á",
    "Hòa Bình",
    "Hợp Tiến",
    "Ô Cấp",
    "Ơn Phúc",
    "Uyên",
    "Ưng Hòa",
    "Yên Thủy",
]


def test_python_key_gives_the_vietnamese_order() -> None:
    shuffled = random.Random(8).sample(ICU_ORDER, len(ICU_ORDER))
    assert sorted(shuffled, key=vietnamese_key) == ICU_ORDER
    assert sorted(random.Random(9).sample(NAMES, len(NAMES)), key=vietnamese_key) == NAMES


@pytest.mark.django_db
def test_database_order_is_the_same(office_a) -> None:  # type: ignore[no-untyped-def]
    for name in random.Random(8).sample(NAMES, len(NAMES)):
        EmployerFactory(office=office_a, name=f"Công ty {name}")
    ordered = Employer.objects.order_by(*vietnamese_order("name")).values_list("name", flat=True)
    assert list(ordered) == [f"Công ty {name}" for name in NAMES]
    backwards = Employer.objects.order_by(*vietnamese_order("name", descending=True))
    assert list(backwards.values_list("name", flat=True)) == [f"Công ty {n}" for n in NAMES[::-1]]


@pytest.mark.django_db
def test_same_order_as_icu_where_the_server_has_it(office_a) -> None:  # type: ignore[no-untyped-def]
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_collation WHERE collname = 'vi-x-icu'")
        if cursor.fetchone() is None:
            pytest.skip("this PostgreSQL is built without ICU (the embedded one is)")
    for name in ICU_ORDER + NAMES:
        EmployerFactory(office=office_a, name=name)
    by_icu = Employer.objects.order_by(Collate(F("name"), "vi-x-icu"), "unit_code")
    ours = Employer.objects.order_by(*vietnamese_order("name"), "unit_code")
    assert list(ours.values_list("name", flat=True)) == list(by_icu.values_list("name", flat=True))


@pytest.mark.django_db
def test_employer_list_sorted_by_name(client_as, officer_a, office_a) -> None:  # type: ignore[no-untyped-def]
    for name in ("Đông Á", "Dương Minh", "Ăn Uống", "An Phát", "Âu Lạc"):
        EmployerFactory(office=office_a, name=name)
    response = client_as(officer_a).get("/don-vi/", {"sort": "name"})
    names = [e.name for e in response.context["page"].object_list]
    assert names == ["An Phát", "Ăn Uống", "Âu Lạc", "Dương Minh", "Đông Á"]


@pytest.mark.django_db
def test_case_list_sorted_by_name(client_as, officer_a, office_a) -> None:  # type: ignore[no-untyped-def]
    for name in ("Đông Á", "Dương Minh", "Ăn Uống", "An Phát"):
        cases.open_case(employer=EmployerFactory(office=office_a, name=name), by=officer_a)
    response = client_as(officer_a).get("/ho-so/", {"sort": "name"})
    names = [case.employer.name for case in response.context["page"].object_list]
    assert names == ["An Phát", "Ăn Uống", "Dương Minh", "Đông Á"]
