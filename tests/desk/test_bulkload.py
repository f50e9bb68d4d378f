"""A first load into an empty table: indexes and keys dropped for the INSERT, made again after."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, connection, transaction

from desk.bulkload import first_load
from tests.factories import EmployerFactory, PaymentFactory

pytestmark = pytest.mark.django_db

TABLE = "arrears_payment"


def _keys() -> set[tuple[str, str]]:
    return _keys_of(TABLE)


def _keys_of(table: str) -> set[tuple[str, str]]:
    """The table's indexes and constraints, each with its definition."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT indexrelid::regclass::text, pg_get_indexdef(indexrelid)
            FROM pg_index WHERE indrelid = %(t)s::regclass
            UNION ALL
            SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint
            WHERE conrelid = %(t)s::regclass
            """,
            {"t": table},
        )
        return set(cursor.fetchall())


def _insert(cursor, employer_id: int, *references: str) -> None:  # type: ignore[no-untyped-def]
    for reference in references:
        cursor.execute(
            f"INSERT INTO {TABLE} (employer_id, paid_on, amount, reference) "  # noqa: S608
            "VALUES (%s, '2025-08-01', 1000, %s)",
            [employer_id, reference],
        )


def test_an_empty_table_loads_without_its_keys_and_gets_them_back_the_same():
    employer = EmployerFactory()
    before = _keys()
    with connection.cursor() as cursor, first_load(cursor, TABLE) as empty:
        assert empty
        during = _keys()
        _insert(cursor, employer.pk, "UNC-1", "UNC-2")
    assert _keys() == before
    dropped = {name for name, _ in before - during}
    assert "payment_reference_unique" in dropped  # the unique key
    assert "payment_employer_date" in dropped  # a plain index
    assert any(name.endswith("_fk_participa") for name in dropped)  # the foreign key
    assert "arrears_payment_pkey" not in dropped  # case events point at payments
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        _insert(cursor, employer.pk, "UNC-1")  # the unique key holds again


def test_a_table_with_rows_keeps_its_keys():
    PaymentFactory()
    before = _keys()
    with connection.cursor() as cursor, first_load(cursor, TABLE) as empty:
        assert not empty
        assert _keys() == before


def test_a_repeated_key_fails_the_load_and_the_rollback_restores_the_keys():
    employer = EmployerFactory()
    before = _keys()
    with (
        pytest.raises(IntegrityError, match="payment_reference_unique"),
        transaction.atomic(),
        connection.cursor() as cursor,
        first_load(cursor, TABLE),
    ):
        _insert(cursor, employer.pk, "UNC-1", "UNC-1")
    assert _keys() == before
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {TABLE}")  # noqa: S608
        assert cursor.fetchone() == (0,)


def test_a_missing_employer_fails_the_load_when_the_foreign_key_is_made_again():
    with (
        pytest.raises(IntegrityError, match="_fk_participa"),
        transaction.atomic(),
        connection.cursor() as cursor,
        first_load(cursor, TABLE),
    ):
        _insert(cursor, 999_999_999, "UNC-1")


def test_every_deferrable_key_is_initially_deferred():
    """first_load defers every deferrable key again when it is done: right only while none
    is DEFERRABLE INITIALLY IMMEDIATE."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT conname FROM pg_constraint WHERE condeferrable AND NOT condeferred "
            "AND connamespace = 'public'::regnamespace"
        )
        assert cursor.fetchall() == []


def test_a_primary_key_nothing_points_at_is_made_again_too():
    table = "arrears_contribution"
    before = _keys_of(table)
    with connection.cursor() as cursor, first_load(cursor, table) as empty:
        assert empty
        assert "arrears_contribution_pkey" not in {name for name, _ in _keys_of(table)}
    assert _keys_of(table) == before


def test_a_first_load_leaves_the_table_analysed():
    """The planner has the loaded rows' statistics at once (pg_stats, filled by ANALYZE),
    without waiting for autovacuum."""
    employer = EmployerFactory()
    with connection.cursor() as cursor:
        with first_load(cursor, TABLE) as empty:
            assert empty
            _insert(cursor, employer.pk, "UNC-1", "UNC-2", "UNC-3")
        cursor.execute(
            "SELECT n_distinct FROM pg_stats WHERE tablename = %s AND attname = 'reference'",
            [TABLE],
        )
        assert cursor.fetchall() == [(-1.0,)]  # every reference distinct
