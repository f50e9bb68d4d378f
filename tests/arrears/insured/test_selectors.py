"""The insured selectors: the name search the insured lookup (``find_insured``) starts from
(whole words, any order, answered by the index of name words), ``month_ranges``, and
``employer_insured`` (the persons of an employer with months unconfirmed)."""

from __future__ import annotations

from datetime import date

from django.db import connection, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from arrears.insured.selectors import employer_insured, month_ranges
from arrears.selectors import employer_statement
from desk.text import fold
from participants.models import InsuredPerson
from tests.arrears.insured.conftest import employer_paid_until_may, month, person

NAMES = ["Bùi Thị Hương", "Bùi Thị Hường", "Nguyễn Văn An", "Nguyễn Thị Ân", "Đinh An Bùi"]


@given(
    words=st.lists(
        st.sampled_from(["bui", "thi", "huong", "an", "nguyen", "ha", "van", "d"]), max_size=4
    )
)
@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
def test_a_name_matches_when_it_holds_every_word_typed(employer_a, words) -> None:  # type: ignore[no-untyped-def]
    """The search by the index of name words finds what a whole-word reading of the name does."""
    if not InsuredPerson.objects.exists():
        for number, name in enumerate(NAMES, start=1700000001):
            person(employer_a, str(number), name)
    text = " ".join(words)
    expected = {name for name in NAMES if set(words) <= set(fold(name).split())}
    assert {p.full_name for p in InsuredPerson.objects.search(text)} == expected


def test_the_name_search_is_one_the_index_answers(huong) -> None:  # type: ignore[no-untyped-def]
    query = InsuredPerson.objects.search("bui huong").values("id").query
    sql, params = query.sql_with_params()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # a handful of rows: force the choice
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "person_name_words" in plan, plan


def test_month_ranges() -> None:
    months = [month(6), month(7), month(8), month(11), month(12), month(1, 2026)]
    assert month_ranges(months) == [(month(6), month(8)), (month(11), month(1, 2026))]
    assert month_ranges([]) == []


def test_employer_insured_lists_those_with_unconfirmed_months(
    office_a, django_assert_num_queries
) -> None:  # type: ignore[no-untyped-def]
    employer = employer_paid_until_may(office_a)
    for number, name, start, end in [
        ("1700000001", "Bùi Thị Hương", month(3), month(8)),
        ("1700000002", "Đinh Văn Tùng", month(7), None),
        ("1700000003", "Hà Thị Lan", month(3), month(5)),  # left in May: all paid
    ]:
        InsuredPerson.objects.create(
            social_insurance_number=number,
            full_name=name,
            date_of_birth=date(1990, 1, 1),
            sex="female",
            employer=employer,
            from_period=start,
            to_period=end,
        )
    balance = employer_statement(employer, date(2025, 10, 15)).balance
    with django_assert_num_queries(4):
        workers = employer_insured(employer, balance)
    assert (workers.persons, workers.workers_affected, workers.unconfirmed_months) == (3, 10, 5)
    assert [(w.person.full_name, w.months) for w in workers.unconfirmed] == [
        ("Bùi Thị Hương", [month(6), month(7), month(8)]),
        ("Đinh Văn Tùng", [month(7), month(8)]),
    ]
