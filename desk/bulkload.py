"""A first load into an empty table: the rows first, its indexes and foreign keys after.

A province's first statements fill empty tables with hundreds of thousands of rows. Kept
index by index and checked key by key, row by row, that costs several times what the rows
themselves do, while an index built afterwards, or a key checked for all rows in one query,
costs little. So, as PostgreSQL's advice for bulk loads has it, the indexes and foreign keys
are dropped before the INSERT and made again after it, from their own definitions read from
the catalog, inside the import's transaction: should anything fail, the rollback puts them
back as they were.

Dropping them locks the table against readers until the import commits; the table is empty,
so they wait only for rows that were not there yet. A table that already holds rows
is written the ordinary way.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

# Memory to sort and hash a province's keys while the indexes are built, for this transaction.
_BUILD_MEMORY = "256MB"


@contextmanager
def first_load(cursor: Any, table: str) -> Iterator[bool]:
    """Yield whether ``table`` is empty; if it is, without its indexes, unique keys and
    foreign keys until the block ends, when they are made again.

    A key another table's foreign key relies on stays (it cannot be dropped alone), as do
    check constraints (cheap) and triggers (history, the ledger stamp).
    """
    if not _empty(cursor, table):
        yield False
        return
    # Taken before looking again, so that no row can arrive between the look and the load.
    cursor.execute(f"LOCK TABLE {table} IN ACCESS EXCLUSIVE MODE")
    if not _empty(cursor, table):
        yield False
        return
    cursor.execute(
        """
        SELECT c.conname, pg_get_constraintdef(c.oid)
        FROM pg_constraint AS c
        WHERE c.conrelid = %(table)s::regclass
          AND (
              c.contype = 'f'
              OR c.contype IN ('p', 'u') AND NOT EXISTS (  -- a key a foreign key relies on stays
                  SELECT FROM pg_constraint AS f
                  WHERE f.contype = 'f' AND f.confrelid = c.conrelid AND f.conindid = c.conindid
              )
          )
        ORDER BY c.contype DESC, c.conname  -- made again in this order: foreign keys last
        """,
        {"table": table},
    )
    constraints = cursor.fetchall()
    cursor.execute(
        """
        SELECT index.relname, pg_get_indexdef(i.indexrelid)
        FROM pg_index AS i JOIN pg_class AS index ON index.oid = i.indexrelid
        WHERE i.indrelid = %(table)s::regclass AND NOT i.indisprimary
          AND NOT EXISTS (SELECT FROM pg_constraint AS c WHERE c.conindid = i.indexrelid)
        ORDER BY index.relname
        """,
        {"table": table},
    )
    indexes = cursor.fetchall()
    # ALTER TABLE refuses a table with deferred checks still to run (rows the same
    # transaction wrote before): run them now, and defer again once the keys are back.
    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    for name, _definition in constraints:
        cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
    for name, _definition in indexes:
        cursor.execute(f'DROP INDEX "{name}"')
    yield True
    cursor.execute(f"SET LOCAL maintenance_work_mem = '{_BUILD_MEMORY}'")
    for _name, definition in indexes:
        cursor.execute(definition)
    for name, definition in constraints:
        cursor.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
    cursor.execute("RESET maintenance_work_mem")
    # Statistics now, not when autovacuum comes (minutes later, or never where it is off): the
    # next statements (the rest of the import, the refresh, the pages) plan on the table's size.
    cursor.execute(f"ANALYZE {table}")
    # Every deferrable key here is Django's, DEFERRABLE INITIALLY DEFERRED: as it was.
    cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def _empty(cursor: Any, table: str) -> bool:
    cursor.execute(f"SELECT NOT EXISTS (SELECT FROM {table})")  # noqa: S608
    return bool(cursor.fetchone()[0])
