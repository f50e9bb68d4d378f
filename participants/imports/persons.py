"""The insured persons statement file in: all rows checked first, then one transaction.

Columns ``social_insurance_number, full_name, date_of_birth (YYYY-MM-DD), sex (male, female),
unit_code, from_period (YYYY-MM), to_period (YYYY-MM, empty while still employed)``.
Re-importing updates persons by social insurance number, and only those whose values differ;
a person moved to another employer is moved. The employer must already be registered.

Officers import persons of their offices' employers only, and cannot take a person from an
employer outside them; managers and the command import any.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from django.db import connection, transaction
from django.utils.translation import gettext as _

from desk.statements.checks import (
    MONTHS_SQL,
    Check,
    days_sql,
    max_length,
    one_of,
    repeated_in_file,
    required,
)
from desk.statements.results import ImportResult, Layout
from desk.statements.staging import drop_staging, lock_statements, stage
from desk.statements.writing import write_checked
from participants.imports.references import employer_scope_sql, unit_checks
from participants.models import SOCIAL_INSURANCE_NUMBER_DIGITS, InsuredPerson

if TYPE_CHECKING:
    from django.db.backends.utils import CursorWrapper

    from accounts.models import User

LAYOUT = Layout(
    columns=(
        "social_insurance_number",
        "full_name",
        "date_of_birth",
        "sex",
        "unit_code",
        "from_period",
        "to_period",
    ),
    free_text=frozenset({"full_name"}),
    month_columns=frozenset({"from_period", "to_period"}),
    day_columns=frozenset({"date_of_birth"}),
    # Matched exactly (number pattern, calendar, codes): any space is caught by a check.
    strict=frozenset(
        {"social_insurance_number", "date_of_birth", "sex", "unit_code", "from_period", "to_period"}
    ),
)

# The oldest date of birth a file may hold: anyone older is a typing mistake.
BORN_SINCE = date(1900, 1, 1)
# Persons written by one import from which the table's statistics are renewed at once rather
# than when autovacuum next passes.
ANALYZE_AFTER = 1000

# Each person column and its value from a staged row ``s`` joined with its employer ``e``.
_VALUES = {
    "full_name": "s.full_name",
    "date_of_birth": "s.date_of_birth::date",
    "sex": "s.sex",
    "employer_id": "e.id",
    "from_period": "(s.from_period || '-01')::date",
    "to_period": "(nullif(s.to_period, '') || '-01')::date",
}


def _label(name: str) -> str:
    return str(InsuredPerson._meta.get_field(name).verbose_name)


# Anything but exactly ten digits (see SOCIAL_INSURANCE_NUMBER_DIGITS).
_NOT_A_NUMBER = (
    f"octet_length(r.social_insurance_number) <> {SOCIAL_INSURANCE_NUMBER_DIGITS} "
    "OR r.social_insurance_number ~ '[^0-9]'"
)

# True for every row some check below refuses, and cheap for a good one: the lookups left
# empty cover the required columns too. One test per good row instead of one per check.
_SCREEN = " OR ".join(
    (
        "r.employer_id IS NULL",
        "NOT r.employer_ok",
        "NOT r.recorded_ok",
        "r.born IS NULL",
        "r.start IS NULL",
        "r.born >= r.start",
        "(r.finish IS NULL AND r.to_period <> '')",
        "r.finish < r.start",
        f"r.sex NOT IN ({', '.join(repr(str(sex)) for sex in InsuredPerson.Sex.values)})",
        "length(r.full_name) NOT BETWEEN 1 AND 150",
        _NOT_A_NUMBER,
    )
)


def _checks() -> list[Check]:
    return [check if check.repeat else replace(check, screen=_SCREEN) for check in _row_checks()]


def _row_checks() -> list[Check]:
    number = _label("social_insurance_number")
    return [
        required("social_insurance_number", number),
        Check(
            "social_insurance_number",
            f"r.social_insurance_number <> '' AND ({_NOT_A_NUMBER})",
            lambda value, _d: (
                _("Mã số BHXH «%(value)s» không hợp lệ: cần đúng 10 chữ số.") % {"value": value}
            ),
        ),
        repeated_in_file(
            "social_insurance_number",
            ["social_insurance_number"],
            lambda value, first: (
                _("Mã số BHXH «%(value)s» trùng với dòng %(first)s của tệp.")
                % {"value": value, "first": first}
            ),
        ),
        Check(
            "social_insurance_number",
            "r.recorded_employer_id IS NOT NULL AND NOT r.recorded_ok",
            lambda value, _d: (
                _(
                    "Người lao động «%(value)s» đang thuộc đơn vị ngoài địa bàn bạn phụ trách; "
                    "không chuyển được."
                )
                % {"value": value}
            ),
        ),
        required("full_name", _label("full_name")),
        max_length("full_name", _label("full_name"), 150),
        required("date_of_birth", _label("date_of_birth")),
        Check(
            "date_of_birth",
            "r.date_of_birth <> '' AND r.born IS NULL",
            lambda value, _d: (
                _("Ngày sinh «%(value)s» không hợp lệ: cần dạng YYYY-MM-DD, ví dụ 1990-05-31.")
                % {"value": value}
            ),
        ),
        Check(
            "date_of_birth",
            "r.born >= r.start",
            lambda value, _d: (
                _("Ngày sinh «%(value)s» không trước tháng bắt đầu làm việc.") % {"value": value}
            ),
        ),
        required("sex", _label("sex")),
        one_of("sex", _label("sex"), InsuredPerson.Sex.values),
        *unit_checks(),
        required("from_period", _label("from_period")),
        Check(
            "from_period",
            "r.from_period <> '' AND r.start IS NULL",
            lambda value, _d: (
                _("Tháng bắt đầu «%(value)s» không hợp lệ: cần dạng YYYY-MM, ví dụ 2025-07.")
                % {"value": value}
            ),
        ),
        Check(
            "to_period",
            "r.to_period <> '' AND r.finish IS NULL",
            lambda value, _d: (
                _("Tháng kết thúc «%(value)s» không hợp lệ: cần dạng YYYY-MM, ví dụ 2025-12.")
                % {"value": value}
            ),
        ),
        Check(
            "to_period",
            "r.finish < r.start",
            lambda value, _d: (
                _("Tháng kết thúc «%(value)s» trước tháng bắt đầu.") % {"value": value}
            ),
        ),
    ]


def import_persons(file: BinaryIO | Path, *, user: User | None = None) -> ImportResult:
    """Create or update insured persons from a statement file; StatementRefused if any row
    is bad."""
    employer_ok, employer_params = employer_scope_sql(user, "e")
    recorded_ok, recorded_params = employer_scope_sql(user, "pe")
    with transaction.atomic(), connection.cursor() as cursor:
        staged = stage(cursor, file, LAYOUT)
        lock_statements(cursor)
        table = staged.table
        # A temporary table has no statistics until analysed; without them PostgreSQL joins a
        # province's rows to the employers one index lookup at a time.
        cursor.execute(f"ANALYZE {table}")
        source = f"""
            SELECT s.*, e.id AS employer_id, {employer_ok} AS employer_ok,
                   b.day AS born, f.first_day AS start, t.first_day AS finish,
                   pe.id AS recorded_employer_id, {recorded_ok} AS recorded_ok
            FROM {table} AS s
            LEFT JOIN participants_employer AS e ON e.unit_code = s.unit_code
            LEFT JOIN ({days_sql(since=BORN_SINCE)}) AS b
                ON b.spelled = s.date_of_birth
            LEFT JOIN ({MONTHS_SQL}) AS f ON f.spelled = s.from_period
            LEFT JOIN ({MONTHS_SQL}) AS t ON t.spelled = s.to_period
            LEFT JOIN participants_insuredperson AS p
                ON p.social_insurance_number = s.social_insurance_number
            LEFT JOIN participants_employer AS pe ON pe.id = p.employer_id
        """  # noqa: S608  (our own SQL; file content is only ever in the staging table)
        created, updated = write_checked(
            cursor,
            staged,
            table="participants_insuredperson",
            values={
                "social_insurance_number": "r.social_insurance_number",
                "full_name": "r.full_name",
                "date_of_birth": "r.born",
                "sex": "r.sex",
                "employer_id": "r.employer_id",
                "from_period": "r.start",
                "to_period": "r.finish",
            },
            source=source,
            checks=_checks(),
            params=[*employer_params, *recorded_params],
            write=lambda: _write_over(cursor, table),
        )
        drop_staging(cursor, staged)
        if created + updated >= ANALYZE_AFTER:
            # Fresh statistics before the first lookup: with those of an emptier table the
            # planner scans every person for a name search, and the analysis costs little.
            cursor.execute("ANALYZE participants_insuredperson")
    return ImportResult(created=created, updated=updated, unchanged=staged.rows - created - updated)


def _write_over(cursor: CursorWrapper, table: str) -> tuple[int, int]:
    """Update the persons already recorded where a value differs, then insert the new ones;
    (created, updated)."""
    columns = ", ".join(_VALUES)
    values = ", ".join(_VALUES.values())
    # Update only what differs, so a re-import of the same file writes nothing.
    cursor.execute(
        f"""
        UPDATE participants_insuredperson AS p
        SET {", ".join(f"{column} = {value}" for column, value in _VALUES.items())}
        FROM {table} AS s JOIN participants_employer AS e ON e.unit_code = s.unit_code
        WHERE p.social_insurance_number = s.social_insurance_number
          AND ({", ".join(f"p.{column}" for column in _VALUES)}) IS DISTINCT FROM ({values})
        """  # noqa: S608
    )
    updated = cursor.rowcount
    # In number order: the unique index then grows at its right edge instead of being
    # written all over.
    cursor.execute(
        f"""
        INSERT INTO participants_insuredperson (social_insurance_number, {columns})
        SELECT s.social_insurance_number, {values}
        FROM {table} AS s JOIN participants_employer AS e ON e.unit_code = s.unit_code
        WHERE NOT EXISTS (
            SELECT FROM participants_insuredperson AS p
            WHERE p.social_insurance_number = s.social_insurance_number
        )
        ORDER BY s.social_insurance_number
        """  # noqa: S608
    )
    return cursor.rowcount, updated
