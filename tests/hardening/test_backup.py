"""`make backup` and `make restore`: a dump restored into a fresh database gives back every
row of every table; a database that holds tables is not overwritten without FORCE."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import psycopg
import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from psycopg import sql

from arrears.cases import services as cases
from audit import record
from audit.models import AuditEntry
from desk.backup import conninfo, row_counts
from tests.factories import ContributionFactory, PaymentFactory

# pg_dump sees committed rows only; serialized_rollback gives the next tests back the rows the
# migrations wrote (agencies, rates), which the flush after a transactional test removes.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def _drop(params: dict, name: str) -> None:
    with psycopg.connect(conninfo(params, dbname="postgres"), autocommit=True) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )


def test_a_restored_dump_has_every_row(tmp_path: Path, employer_a, officer_a) -> None:  # type: ignore[no-untyped-def]
    for month in (7, 8, 9):
        ContributionFactory(employer=employer_a, period=date(2025, month, 1))
    PaymentFactory(employer=employer_a)
    cases.open_case(employer=employer_a, by=officer_a, on=date(2026, 1, 5))
    record(officer_a, AuditEntry.Action.LOGIN)
    params = connection.get_connection_params()
    restored = f"{params['dbname']}_restored"
    dump = tmp_path / "arrears.dump"
    call_command("backup_db", out=dump)
    assert dump.stat().st_size > 0
    try:
        call_command("restore_db", str(dump), database_name=restored)
        original = row_counts(conninfo(params))
        copy = row_counts(conninfo(params, dbname=restored))
        assert copy == original
        assert copy["participants_employer"] == 1
        assert copy["arrears_contribution"] == 3
        assert copy["arrears_recoverycase"] == 1
        assert copy["audit_auditentry"] >= 1
        # The copy is a database like the first: its triggers came along (the trail is
        # append-only there too).
        with (
            psycopg.connect(conninfo(params, dbname=restored)) as conn,
            pytest.raises(psycopg.errors.RaiseException),
        ):
            conn.execute("DELETE FROM audit_auditentry")
        # Restoring again over the copy is refused, unless forced.
        with pytest.raises(CommandError, match="không khôi phục đè"):
            call_command("restore_db", str(dump), database_name=restored)
        call_command("restore_db", str(dump), database_name=restored, force=True)
        assert row_counts(conninfo(params, dbname=restored)) == original
    finally:
        _drop(params, restored)


def test_restore_refuses_the_live_database(tmp_path: Path) -> None:
    dump = tmp_path / "x.dump"
    dump.write_bytes(b"PGDMP")
    with pytest.raises(CommandError, match="đã có bảng: không khôi phục đè"):
        call_command("restore_db", str(dump))
    assert connection.introspection.table_names()  # still there
