"""Contribution statement files in: every row checked first, then one transaction.

One row per employer and period; re-importing replaces that row, and only if a value differs.
Its due date (``due_on``) follows from the period and the employer's payment method, computed
in SQL by ``due_on_sql``, the same rule as ``ledger.due_date``; when an employer's payment
method changes, its contributions are re-dated (``redate_contributions``, connected in
``arrears.apps``).

After a change, balances are refreshed (``balances.request_balance_refresh``, after commit).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from django.db import connection, transaction
from django.dispatch import receiver
from django.utils.translation import gettext as _

from arrears import balances
from arrears.interest.services import interest_first, resplit, resplit_imported
from arrears.ledger import PaymentMethod
from arrears.models import Contribution
from desk.statements.checks import (
    MONTHS_SQL,
    Check,
    Number,
    field_label,
    repeated_in_file,
    required,
    whole_numbers,
)
from desk.statements.results import ImportResult, Layout
from desk.statements.staging import drop_staging, lock_statements, stage
from desk.statements.writing import upsert, write_checked
from participants.imports.employers import payment_methods_changed
from participants.imports.references import employer_scope_sql, unit_checks

if TYPE_CHECKING:
    from accounts.models import User

_CONTRIBUTION_COLUMNS = ("unit_code", "period", "employees", "wage_fund", "si", "hi", "ui", "oaod")
_MONEY = ("wage_fund", "si", "hi", "ui", "oaod")
# Strict: the unit code must match an employer's exactly, the period a month's spelling, the
# amounts digits only; any space is caught (desk.statements.results.Layout.strict).
CONTRIBUTIONS = Layout(
    columns=_CONTRIBUTION_COLUMNS,
    month_columns=frozenset({"period"}),
    number_columns=frozenset({"employees", *_MONEY}),
    strict=frozenset(_CONTRIBUTION_COLUMNS),
)


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
        repeated_in_file(
            "period",
            ["unit_code", "period"],
            lambda value, first: (
                _("Kỳ đóng %(value)s của đơn vị này đã có ở dòng %(first)s của tệp.")
                % {"value": value, "first": first}
            ),
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
            write=lambda: upsert(
                cursor,
                table="arrears_contribution",
                columns=list(values),
                key=["employer_id", "period"],
                # In key order: the new rows reach the (employer, period) key page by page.
                rows=f"SELECT {', '.join(values.values())} FROM ({source}) AS r ORDER BY 1, 2",  # noqa: S608
                params=params,
            ),
        )
        if (created or updated) and interest_first():
            # Rule 12: the interest outstanding on each payment's date follows the contributions.
            resplit_imported(
                f"SELECT e.id FROM {table} AS s "  # noqa: S608
                "JOIN participants_employer AS e ON e.unit_code = s.unit_code"
            )
        drop_staging(cursor, staged)
        if created or updated:
            balances.request_balance_refresh()
    return ImportResult(created=created, updated=updated, unchanged=staged.rows - created - updated)


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
            if interest_first():  # the interest on each payment's date moved with its dues
                resplit(employer_ids)
            balances.request_balance_refresh()
