"""Payment statement files in (bank statements): every row checked first, then one
transaction.

The bank reference is unique; the same reference with the same content changes nothing, with
different content it is refused as a conflict. A new payment is written split by its purpose
(rule 12), and resplit only where the office's split or a credit move makes more of it. After
a change, balances are refreshed (``balances.request_balance_refresh``, after commit).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from django.db import connection, transaction
from django.utils.translation import gettext as _

from arrears import balances
from arrears.interest.services import purpose_part_sql, resplit_imported
from arrears.models import Payment
from desk.statements.checks import (
    Check,
    Number,
    days_sql,
    field_label,
    max_length,
    one_of,
    repeated_in_file,
    required,
    whole_numbers,
)
from desk.statements.results import ImportResult, Layout
from desk.statements.staging import drop_staging, lock_statements, stage
from desk.statements.writing import write_checked
from participants.imports.references import employer_scope_sql, unit_checks

if TYPE_CHECKING:
    from django.db.backends.utils import CursorWrapper

    from accounts.models import User

PAYMENTS = Layout(
    columns=("unit_code", "paid_on", "amount", "reference", "purpose"),
    day_columns=frozenset({"paid_on"}),
    number_columns=frozenset({"amount"}),
    strict=frozenset({"unit_code", "paid_on", "amount"}),
    optional=frozenset({"purpose"}),  # rule 12: empty is contributions
)
# What a recorded payment is compared with: an empty purpose is contributions.
_PURPOSE_SQL = f"coalesce(nullif(s.purpose, ''), '{Payment.Purpose.CONTRIBUTIONS}')"


def _payment_checks() -> list[Check]:
    return [
        *unit_checks(),
        required("paid_on", field_label(Payment, "paid_on")),
        Check(
            "paid_on",
            "r.paid_on <> '' AND r.day IS NULL",
            lambda value, _d: (
                _("Ngày nộp «%(value)s» không hợp lệ: cần dạng YYYY-MM-DD, ví dụ 2025-09-15.")
                % {"value": value}
            ),
        ),
        *whole_numbers(Number("amount", field_label(Payment, "amount"), digits=15, money=True)),
        Check(
            "amount",
            "r.amount <> '' AND r.amount !~ '[^0-9]' AND ltrim(r.amount, '0') = ''",
            lambda _v, _d: _("Số tiền phải lớn hơn 0."),
        ),
        required("reference", field_label(Payment, "reference")),
        one_of("purpose", field_label(Payment, "purpose"), Payment.Purpose.values),
        max_length("reference", field_label(Payment, "reference"), 64),
        repeated_in_file(
            "reference",
            ["reference"],
            lambda value, first: (
                _("Số chứng từ «%(value)s» trùng với dòng %(first)s của tệp.")
                % {"value": value, "first": first}
            ),
        ),
        # Only rows otherwise valid are compared with what is recorded.
        Check(
            "reference",
            """r.recorded_id IS NOT NULL AND r.employer_id IS NOT NULL AND r.day IS NOT NULL
               AND r.amount_value IS NOT NULL
               AND (r.recorded_employer_id, r.recorded_paid_on, r.recorded_amount,
                    r.recorded_purpose)
                   IS DISTINCT FROM (r.employer_id, r.day, r.amount_value, r.purpose_value)""",
            lambda value, _d: (
                _(
                    "Số chứng từ «%(value)s» đã được ghi nhận với nội dung khác (đơn vị, ngày nộp, "
                    "số tiền hoặc nội dung nộp); không ghi đè khoản nộp đã có."
                )
                % {"value": value}
            ),
        ),
    ]


def import_payments(file: BinaryIO | Path, *, user: User | None = None) -> ImportResult:
    """Record payments from a bank statement file; a reference already recorded is skipped."""
    in_scope, params = employer_scope_sql(user)
    with transaction.atomic(), connection.cursor() as cursor:
        staged = stage(cursor, file, PAYMENTS)
        lock_statements(cursor)
        table = staged.table
        source = f"""
            SELECT s.*, e.id AS employer_id, {in_scope} AS employer_ok, d.day,
                   CASE WHEN s.amount <> '' AND s.amount !~ '[^0-9]'
                        AND octet_length(s.amount) <= 15 THEN s.amount::bigint END AS amount_value,
                   p.id AS recorded_id, p.employer_id AS recorded_employer_id,
                   p.paid_on AS recorded_paid_on, p.amount AS recorded_amount,
                   p.purpose AS recorded_purpose, {_PURPOSE_SQL} AS purpose_value
            FROM {table} AS s
            LEFT JOIN participants_employer AS e ON e.unit_code = s.unit_code
            LEFT JOIN ({days_sql()}) AS d ON d.spelled = s.paid_on
            LEFT JOIN arrears_payment AS p ON p.reference = s.reference
        """  # noqa: S608  (our own SQL; file content is only ever in the staging table)
        created, _updated = write_checked(
            cursor,
            staged,
            table="arrears_payment",
            values={
                "employer_id": "r.employer_id",
                "paid_on": "r.day",
                "amount": "r.amount_value",
                "reference": "r.reference",
                "purpose": "r.purpose_value",
                "interest_part": purpose_part_sql("r.purpose_value", "r.amount_value"),
            },
            source=source,
            checks=_payment_checks(),
            params=params,
            write=lambda: _record_new(cursor, table),
        )
        if created:  # the split of their employers' payments, where the new ones change it
            resplit_imported(
                f"SELECT e.id FROM {table} AS s "  # noqa: S608
                "JOIN participants_employer AS e ON e.unit_code = s.unit_code"
            )
            balances.request_balance_refresh()
        drop_staging(cursor, staged)
    return ImportResult(created=created, unchanged=staged.rows - created)


def _record_new(cursor: CursorWrapper, table: str) -> tuple[int, int]:
    """Insert the staged payments not yet recorded; (created, 0). A reference already
    recorded is identical (checked before): set aside. Not INSERT ... WHERE NOT EXISTS: the
    planner may re-scan a table it is filling, unanalysed, for every row."""
    # Each staged reference looked up in the key, not every recorded payment hashed: a
    # month's statement costs what its rows do, whatever the table holds.
    cursor.execute("SET LOCAL enable_hashjoin = off")
    cursor.execute(
        f"DELETE FROM {table} AS s USING arrears_payment AS p "  # noqa: S608
        "WHERE p.reference = s.reference"
    )
    cursor.execute("RESET enable_hashjoin")
    # In the order of the employer and date key, which new rows then reach page by page.
    cursor.execute(
        f"""
        INSERT INTO arrears_payment (employer_id, paid_on, amount, reference, purpose,
                                     interest_part)
        SELECT e.id, s.paid_on::date, s.amount::bigint, s.reference, {_PURPOSE_SQL},
               {purpose_part_sql(_PURPOSE_SQL, "s.amount::bigint")}
        FROM {table} AS s JOIN participants_employer AS e ON e.unit_code = s.unit_code
        ORDER BY e.id, s.paid_on
        """  # noqa: S608
    )
    return cursor.rowcount, 0
