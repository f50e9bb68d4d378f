"""participants 0011: the unit code rule. Existing codes are checked first; one that breaks
the rule stops the migration, naming it, and nothing changes until it is corrected."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from tests.factories import EmployerFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

BEFORE = [("participants", "0010_holidays")]
RULE = [("participants", "0011_unit_code_rule")]


def migrate(targets: list[tuple[str, str]]) -> None:
    MigrationExecutor(connection).migrate(targets)


@pytest.fixture
def before_the_rule(transactional_db: None) -> Iterator[None]:
    migrate(BEFORE)
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("UPDATE participants_employer SET unit_code = 'X' || id")
        migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())


def test_codes_that_break_the_rule_stop_the_migration_by_name(before_the_rule: None) -> None:
    EmployerFactory(unit_code="HB001")
    EmployerFactory(unit_code="HB/002")
    EmployerFactory(unit_code='HB"003\r\n')
    with pytest.raises(RuntimeError) as stopped:
        migrate(RULE)
    assert str(stopped.value) == (
        "Unit codes must be letters, digits, '-' and '_' only; correct these employers' codes, "
        "then migrate again: 'HB\"003\\r\\n', 'HB/002'."
    )
    assert ("participants", "0011_unit_code_rule") not in MigrationExecutor(
        connection
    ).loader.applied_migrations


def test_good_codes_migrate(before_the_rule: None) -> None:
    EmployerFactory(unit_code="HB-001_a")
    migrate(RULE)
    assert ("participants", "0011_unit_code_rule") in MigrationExecutor(
        connection
    ).loader.applied_migrations
