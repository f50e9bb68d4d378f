"""The collection plan file in: ``office, year, month, amount``, every row checked first,
then one transaction. ``office`` a grassroots office by code or name (as the other files name
it); ``month`` 1-12 for the monthly split, or empty for the year's plan. Re-importing
replaces the amount of that office and period, only where it differs. Managers only (and the
command): the plan is the province's.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from django.db import connection, transaction
from django.utils.translation import gettext as _

from arrears.models import CollectionPlan
from desk.statements.checks import (
    Check,
    Number,
    field_label,
    refuse_bad_rows,
    repeated_in_file,
    required,
    whole_numbers,
)
from desk.statements.results import ImportResult, Layout, RowError, StatementRefused
from desk.statements.staging import drop_staging, lock_statements, stage
from participants.imports.references import OFFICES_SQL

if TYPE_CHECKING:
    from accounts.models import User

LAYOUT = Layout(
    columns=("office", "year", "month", "amount"),
    free_text=frozenset({"office"}),
    number_columns=frozenset({"amount"}),
    optional=frozenset({"month"}),
)


# The office a staged row names, as SQL over the staging table alone (for the repeat check).
_OFFICE_OF = f"(SELECT o.id FROM ({OFFICES_SQL}) AS o WHERE o.key = desk_fold(office))"  # noqa: S608


def _checks() -> list[Check]:
    return [
        required("office", field_label(CollectionPlan, "office")),
        Check(
            "office",
            "r.office <> '' AND r.office_id IS NULL",
            lambda value, _d: (
                _("BHXH cơ sở «%(value)s» chưa có (ghi mã hoặc tên).") % {"value": value}
            ),
        ),
        Check(
            "office",
            "r.office_ambiguous",
            lambda value, _d: (
                _("Có nhiều BHXH cơ sở tên «%(value)s»; hãy ghi mã.") % {"value": value}
            ),
        ),
        required("year", field_label(CollectionPlan, "year")),
        Check(
            "year",
            "r.year <> '' AND CASE WHEN r.year ~ '^[0-9]{4}$' "
            "THEN r.year::integer NOT BETWEEN 1995 AND 2099 ELSE TRUE END",
            lambda value, _d: (
                _("Năm «%(value)s» không hợp lệ: cần 4 chữ số, từ 1995 đến 2099.")
                % {"value": value}
            ),
        ),
        Check(
            "month",
            "r.month NOT IN ('', " + ", ".join(f"'{m}'" for m in range(1, 13)) + ")",
            lambda value, _d: (
                _("Tháng «%(value)s» không hợp lệ: 1 đến 12, hoặc để trống (cả năm).")
                % {"value": value}
            ),
        ),
        repeated_in_file(
            "office",
            [_OFFICE_OF, "year", "month"],
            lambda value, first: (
                _("Kế hoạch của «%(value)s» cho kỳ này đã có ở dòng %(first)s của tệp.")
                % {"value": value, "first": first}
            ),
            when="r.office_id IS NOT NULL",
        ),
        *whole_numbers(
            Number("amount", field_label(CollectionPlan, "amount"), digits=15, money=True)
        ),
    ]


def import_collection_plan(file: BinaryIO | Path, *, user: User | None = None) -> ImportResult:
    """Create or replace plan amounts from a file; StatementRefused if any row is bad."""
    if user is not None and not user.sees_province:
        raise StatementRefused([RowError(None, "", _("Chỉ lãnh đạo được nhập kế hoạch thu."))])
    with transaction.atomic(), connection.cursor() as cursor:
        staged = stage(cursor, file, LAYOUT)
        lock_statements(cursor)
        keyed = f"""
            SELECT s.*, o.id AS office_id, o.ambiguous AS office_ambiguous
            FROM {staged.table} AS s LEFT JOIN ({OFFICES_SQL}) AS o ON o.key = desk_fold(s.office)
        """  # noqa: S608  (our own SQL; file content is only ever in the staging table)
        refuse_bad_rows(cursor, staged, source=keyed, checks=_checks())
        rows = f"""
            SELECT k.office_id, k.year::smallint AS year, nullif(k.month, '')::smallint AS month,
                   k.amount::bigint AS amount
            FROM ({keyed}) AS k
        """  # noqa: S608
        same = (
            "p.office_id = r.office_id AND p.year = r.year AND p.month IS NOT DISTINCT FROM r.month"
        )
        cursor.execute(
            f"""
            UPDATE arrears_collectionplan AS p SET amount = r.amount FROM ({rows}) AS r
            WHERE {same} AND p.amount <> r.amount
            """  # noqa: S608
        )
        updated = cursor.rowcount
        cursor.execute(
            f"""
            INSERT INTO arrears_collectionplan (office_id, year, month, amount)
            SELECT r.office_id, r.year, r.month, r.amount FROM ({rows}) AS r
            WHERE NOT EXISTS (SELECT FROM arrears_collectionplan AS p WHERE {same})
            """  # noqa: S608
        )
        created = cursor.rowcount
        drop_staging(cursor, staged)
    return ImportResult(created=created, updated=updated, unchanged=staged.rows - created - updated)
