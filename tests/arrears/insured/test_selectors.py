"""The name search the insured lookup (``find_insured``) starts from: whole words, any order,
answered by the index of name words."""

from __future__ import annotations

from django.db import connection, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desk.text import fold
from participants.models import InsuredPerson
from tests.arrears.insured.conftest import person

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
