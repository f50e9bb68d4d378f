"""Writing checked statement rows: over what is recorded (``upsert``), or, into an empty
table, checked in the same pass that writes them (``write_checked``)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from django.db import IntegrityError, transaction

from desk.bulkload import first_load
from desk.statements.checks import Check, refuse_bad_rows, screens
from desk.statements.results import Staged


def upsert(
    cursor: Any,
    *,
    table: str,
    columns: Sequence[str],
    key: Sequence[str],
    rows: str,
    params: Sequence[object] = (),
) -> tuple[int, int]:
    """Insert ``rows`` into ``table``, or update the row with the same ``key`` where a value
    differs; (created, updated).

    ``rows`` is a SELECT of ``columns``, in that order, with ``params``. An equal row is not
    written at all (``IS DISTINCT FROM``), so re-importing a file leaves no trace: no new row
    version, no trigger, no history.
    """
    with first_load(cursor, table) as empty:
        if empty:
            # Nothing to conflict with (the file's own repeats are refused before this): a
            # plain INSERT, without the speculative insertion ON CONFLICT pays for each row.
            cursor.execute(f"INSERT INTO {table} ({', '.join(columns)}) {rows}", params)
            return cursor.rowcount, 0
    values = [column for column in columns if column not in key]
    cursor.execute(
        f"""
        WITH written AS (
            INSERT INTO {table} AS t ({", ".join(columns)})
            SELECT * FROM ({rows}) AS r
            ON CONFLICT ({", ".join(key)}) DO UPDATE
            SET {", ".join(f"{c} = EXCLUDED.{c}" for c in values)}
            WHERE ({", ".join(f"t.{c}" for c in values)})
                IS DISTINCT FROM ({", ".join(f"EXCLUDED.{c}" for c in values)})
            RETURNING t.xmax = 0 AS created
        )
        SELECT count(*) FILTER (WHERE created), count(*) FILTER (WHERE NOT created) FROM written
        """,  # noqa: S608
        params,
    )
    created, updated = cursor.fetchone()
    return created, updated


class _Unwritten(Exception):
    """A first load left rows out: some row may be bad."""


def write_checked(
    cursor: Any,
    staged: Staged,
    *,
    table: str,
    values: Mapping[str, str],
    source: str,
    checks: Sequence[Check],
    write: Callable[[], tuple[int, int]],
    params: Sequence[object] = (),
) -> tuple[int, int]:
    """Check the staged rows and write them into ``table``; (created, updated).

    ``source``, ``checks`` and ``params`` are those of ``refuse_bad_rows``;
    ``values`` maps ``table``'s columns to SQL over ``r``, a row of ``source``.

    A first load into the empty ``table`` is checked in the pass that writes it: one pass
    instead of a pass to check and another to write, for a province's first load most of the
    time left after COPY. The INSERT takes the rows no check's screen picks out, so a row it
    takes passes every check; a ``repeated_in_file`` check is left to the table's unique key,
    made again after the rows are in (``desk.bulkload``). If the INSERT leaves a row out, or
    the key finds a repeat, the savepoint takes everything back and ``refuse_bad_rows`` names
    the bad rows. Otherwise (rows already recorded, or no bad row found after all: a screen
    picks out more than its checks refuse) ``refuse_bad_rows`` runs, then ``write``, the
    import's own way of writing over what is recorded.
    """
    checked = False
    if not staged.problem_count:  # rows COPY could not take whole: the ordinary way names them
        # IS NOT TRUE: the rows refuse_bad_rows passes over, their screens false or unknown.
        insert = (
            f"INSERT INTO {table} ({', '.join(values)}) SELECT {', '.join(values.values())} "  # noqa: S608
            f"FROM ({source}) AS r "
            f"WHERE ({screens(c for c in checks if not c.repeat)}) IS NOT TRUE"
        )
        try:
            with transaction.atomic(), first_load(cursor, table) as empty:
                if empty:
                    return _insert_all(cursor, insert, params, staged.rows), 0
        except (IntegrityError, _Unwritten) as failure:
            refuse_bad_rows(cursor, staged, source=source, checks=checks, params=params)
            if isinstance(failure, IntegrityError):
                raise  # a key the checks do not know of: a fault, not the file's
            checked = True
    if not checked:
        refuse_bad_rows(cursor, staged, source=source, checks=checks, params=params)
    return write()


def _insert_all(cursor: Any, insert: str, params: Sequence[object], rows: int) -> int:
    """Run ``insert``; _Unwritten unless it writes ``rows`` rows."""
    # The source may read the table being filled (what is recorded: nothing yet), now without
    # its indexes: joined in a loop, it would be read again for every row.
    cursor.execute("SET LOCAL enable_nestloop = off")
    cursor.execute(insert, params)
    written = cursor.rowcount
    cursor.execute("RESET enable_nestloop")
    if written != rows:
        raise _Unwritten
    return written
