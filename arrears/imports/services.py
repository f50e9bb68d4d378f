"""Contribution and payment statement files in: every row checked first, then one transaction.

Contributions: one row per employer and period; re-importing replaces that row, and only if
a value differs. Their due date (``due_on``) follows from the period and the employer's
payment method, computed in SQL by ``due_on_sql``, the same rule as ``ledger.due_date``.
Payments: the bank reference is unique; the same reference with the same content changes
nothing, with different content it is refused as a conflict.

After a change, balances are refreshed (``services.request_balance_refresh``, after commit).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from django.db import connection, transaction
from django.dispatch import receiver
from django.utils.translation import gettext as _

from arrears import selectors as services
from arrears.ledger import PaymentMethod
from arrears.models import Contribution, Payment
from desk.statements import (
    MONTHS_SQL,
    Check,
    ImportResult,
    Layout,
    Number,
    days_sql,
    drop_staging,
    field_label,
    lock_statements,
    max_length,
    required,
    stage,
    upsert,
    whole_numbers,
    write_checked,
)
from participants.imports import employer_scope_sql, payment_methods_changed, unit_checks

if TYPE_CHECKING:
    from django.db.backends.utils import CursorWrapper

    from accounts.models import User

_CONTRIBUTION_COLUMNS = ("unit_code", "period", "employees", "wage_fund", "si", "hi", "ui", "oaod")
# Strict: the unit code must match an employer's exactly, the period a month's spelling, the
# amounts digits only; any space is caught (desk.statements.Layout.strict).
CONTRIBUTIONS = Layout(
    columns=_CONTRIBUTION_COLUMNS,
    month_columns=frozenset({"period"}),
    strict=frozenset(_CONTRIBUTION_COLUMNS),
)
PAYMENTS = Layout(
    columns=("unit_code", "paid_on", "amount", "reference"),
    strict=frozenset({"unit_code", "paid_on", "amount"}),
)
_MONEY = ("wage_fund", "si", "hi", "ui", "oaod")


def due_on_sql(period: str, method: str) -> str:
    """SQL for ``ledger.due_date(period, method)``: the last day of the month after the cycle
    (the month, its quarter or its half-year) that holds the period.

    ``period`` and ``method`` are SQL expressions (a date, a payment method code). A method
    the ledger does not know gives NULL, which ``due_on NOT NULL`` refuses loudly.
    """
    month = f"extract(month FROM {period})::integer"
    cycle_end = (
        f"CASE {method}"
        f" WHEN '{PaymentMethod.MONTHLY.value}' THEN {month}"
        f" WHEN '{PaymentMethod.QUARTERLY.value}' THEN ({month} - 1) / 3 * 3 + 3"
        f" WHEN '{PaymentMethod.SIX_MONTHLY.value}' THEN CASE WHEN {month} <= 6 THEN 6 ELSE 12 END"
        " END"
    )
    # 1 January plus (cycle end + 1) months is the first day of the month after the month
    # after the cycle; the day before it is the deadline.
    return (
        f"(date_trunc('year', {period}::timestamp)"
        f" + make_interval(months => {cycle_end} + 1) - interval '1 day')::date"
    )


def _contribution_checks() -> list[Check]:
    return [
        *unit_checks(),
        required("period", field_label(Contribution, "period")),
        Check(
            "period",
            "r.period <> '' AND r.month IS NULL",
            lambda value, _d: (
                _("Kỳ đóng «%(value)s» không hợp lệ: cần dạng YYYY-MM, ví dụ 2025-07.")
                % {"value": value}
            ),
        ),
        Check(
            "period",
            "r.unit_code <> '' AND r.period <> '' AND r.first_line < r.line",
            lambda value, first: (
                _("Kỳ đóng %(value)s của đơn vị này đã có ở dòng %(first)s của tệp.")
                % {"value": value, "first": first}
            ),
            detail="r.first_line",
            repeat=True,
        ),
        *whole_numbers(
            Number("employees", field_label(Contribution, "employees"), digits=9),
            *(
                Number(name, field_label(Contribution, name), digits=15, money=True)
                for name in _MONEY
            ),
        ),
    ]


def import_contributions(file: BinaryIO | Path, *, user: User | None = None) -> ImportResult:
    """Create or replace contributions (employer, period) from a statement file."""
    in_scope, params = employer_scope_sql(user)
    with transaction.atomic(), connection.cursor() as cursor:
        staged = stage(cursor, file, CONTRIBUTIONS)
        lock_statements(cursor)
        table = staged.table
        source = f"""
            SELECT s.*, e.id AS employer_id, e.payment_method, {in_scope} AS employer_ok,
                   m.first_day AS month
            FROM {table} AS s
            LEFT JOIN participants_employer AS e ON e.unit_code = s.unit_code
            LEFT JOIN ({MONTHS_SQL}) AS m ON m.spelled = s.period
        """  # noqa: S608  (our own SQL; file content is only ever in the staging table)
        # Over a row r of the source, once it is checked.
        values = {
            "employer_id": "r.employer_id",
            "period": "r.month",
            "employees": "r.employees::integer",
            **{name: f"r.{name}::bigint" for name in _MONEY},
            "due_on": due_on_sql("r.month", "r.payment_method"),
        }
        created, updated = write_checked(
            cursor,
            staged,
            table="arrears_contribution",
            values=values,
            source=source,
            checks=_contribution_checks(),
            params=params,
            repeats=["unit_code", "period"],
            write=lambda: upsert(
                cursor,
                table="arrears_contribution",
                columns=list(values),
                key=["employer_id", "period"],
                rows=f"SELECT {', '.join(values.values())} FROM ({source}) AS r",  # noqa: S608
                params=params,
            ),
        )
        drop_staging(cursor, staged)
        if created or updated:
            services.request_balance_refresh()
    return ImportResult(created=created, updated=updated, unchanged=staged.rows - created - updated)


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
        max_length("reference", field_label(Payment, "reference"), 64),
        Check(
            "reference",
            "r.reference <> '' AND r.first_line < r.line",
            lambda value, first: (
                _("Số chứng từ «%(value)s» trùng với dòng %(first)s của tệp.")
                % {"value": value, "first": first}
            ),
            detail="r.first_line",
            repeat=True,
        ),
        # Only rows otherwise valid are compared with what is recorded.
        Check(
            "reference",
            """r.recorded_id IS NOT NULL AND r.employer_id IS NOT NULL AND r.day IS NOT NULL
               AND r.amount_value IS NOT NULL
               AND (r.recorded_employer_id, r.recorded_paid_on, r.recorded_amount)
                   IS DISTINCT FROM (r.employer_id, r.day, r.amount_value)""",
            lambda value, _d: (
                _(
                    "Số chứng từ «%(value)s» đã được ghi nhận với nội dung khác (đơn vị, ngày nộp "
                    "hoặc số tiền); không ghi đè khoản nộp đã có."
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
                   p.paid_on AS recorded_paid_on, p.amount AS recorded_amount
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
            },
            source=source,
            checks=_payment_checks(),
            params=params,
            repeats=["reference"],
            write=lambda: _record_new(cursor, table),
        )
        drop_staging(cursor, staged)
        if created:
            services.request_balance_refresh()
    return ImportResult(created=created, unchanged=staged.rows - created)


def _record_new(cursor: CursorWrapper, table: str) -> tuple[int, int]:
    """Insert the staged payments not yet recorded; (created, 0). A reference already
    recorded is identical (checked before): set aside. Not INSERT ... WHERE NOT EXISTS: the
    planner may re-scan a table it is filling, unanalysed, for every row."""
    cursor.execute(
        f"DELETE FROM {table} AS s USING arrears_payment AS p "  # noqa: S608
        "WHERE p.reference = s.reference"
    )
    cursor.execute(
        f"""
        INSERT INTO arrears_payment (employer_id, paid_on, amount, reference)
        SELECT e.id, s.paid_on::date, s.amount::bigint, s.reference
        FROM {table} AS s JOIN participants_employer AS e ON e.unit_code = s.unit_code
        """  # noqa: S608
    )
    return cursor.rowcount, 0


@receiver(payment_methods_changed, dispatch_uid="arrears.redate_contributions")
def redate_contributions(sender: object, *, employer_ids: list[int], **kwargs: Any) -> None:
    """An employer's payment method changed: its contributions' due dates follow, in the same
    transaction as the change, and balances are refreshed after commit."""
    with connection.cursor() as cursor:
        due_on = due_on_sql("c.period", "e.payment_method")
        cursor.execute(
            f"""
            UPDATE arrears_contribution AS c SET due_on = {due_on}
            FROM participants_employer AS e
            WHERE e.id = c.employer_id AND e.id = ANY(%s) AND c.due_on IS DISTINCT FROM {due_on}
            """,  # noqa: S608
            [employer_ids],
        )
        if cursor.rowcount:
            services.request_balance_refresh()
