"""The employer statement file in: all rows checked first, then written in one transaction.

Re-importing updates employers by unit code, and only those whose values differ (so the
history triggers record real changes only). Offices are given by name; a name not yet
known creates the office. When an employer's payment method changes, the due dates of its
contributions follow: ``payment_methods_changed`` is sent inside the transaction, and
arrears, which owns contributions, re-dates them (participants knows nothing of arrears).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

import pghistory
from django.db import connection, transaction
from django.dispatch import Signal
from django.utils.translation import gettext as _

from desk.statements.checks import (
    Check,
    Number,
    field_label,
    max_length,
    one_of,
    refuse_bad_rows,
    repeated_in_file,
    required,
    whole_numbers,
)
from desk.statements.results import ImportResult, Layout
from desk.statements.staging import drop_staging, lock_statements, stage
from desk.statements.writing import upsert
from participants.imports.references import OFFICES_SQL, employer_scope_sql
from participants.models import TAX_CODE_PATTERN, Employer

if TYPE_CHECKING:
    from accounts.models import User

# Sent with ``employer_ids`` (a list) inside the import's transaction, after the employers whose
# payment method changed are written.
payment_methods_changed = Signal()

LAYOUT = Layout(
    columns=(
        "unit_code",
        "tax_code",
        "name",
        "address",
        "office",
        "industrial_zone",
        "ownership",
        "status",
        "employees",
        "email",
        "phone",
        "legal_representative",
        "payment_method",
    ),
    free_text=frozenset({"name", "address", "office", "industrial_zone", "legal_representative"}),
)

# Each employer column and its value from a staged row ``s`` joined with its office ``d``.
_VALUES = {
    "tax_code": "s.tax_code",
    "name": "s.name",
    "address": "s.address",
    "office_id": "d.id",
    "industrial_zone": "s.industrial_zone",
    "ownership": "s.ownership",
    "status": "s.status",
    "employees": "s.employees::integer",
    "email": "s.email",
    "phone": "s.phone",
    "legal_representative": "s.legal_representative",
    "payment_method": "s.payment_method",
}


def _label(name: str) -> str:
    return field_label(Employer, name)


def _checks() -> list[Check]:
    unit = _label("unit_code")
    return [
        required("unit_code", unit),
        max_length("unit_code", unit, 20),
        repeated_in_file(
            "unit_code",
            ["unit_code"],
            lambda value, first: (
                _("Mã đơn vị «%(value)s» trùng với dòng %(first)s.")
                % {"value": value, "first": first}
            ),
        ),
        Check(
            "unit_code",
            "r.employer_id IS NOT NULL AND NOT r.employer_ok",
            lambda value, _d: (
                _("Đơn vị «%(value)s» thuộc BHXH cơ sở ngoài địa bàn bạn phụ trách.")
                % {"value": value}
            ),
        ),
        required("tax_code", _label("tax_code")),
        Check(
            "tax_code",
            f"r.tax_code <> '' AND r.tax_code !~ '{TAX_CODE_PATTERN}'",
            lambda value, _d: (
                _(
                    "Mã số thuế «%(value)s» không hợp lệ: cần 10 chữ số, hoặc 10 chữ số, "
                    "dấu gạch ngang và 3 chữ số (chi nhánh)."
                )
                % {"value": value}
            ),
        ),
        required("name", _label("name")),
        max_length("name", _label("name"), 255),
        max_length("address", _label("address"), 255),
        required("office", _label("office")),
        max_length("office", _label("office"), 100),
        Check(
            "office",
            "r.office <> '' AND NOT r.office_ok",
            lambda value, _d: (
                _("BHXH cơ sở «%(value)s» không thuộc địa bàn bạn phụ trách.") % {"value": value}
            ),
        ),
        max_length("industrial_zone", _label("industrial_zone"), 150),
        required("ownership", _label("ownership")),
        one_of("ownership", _label("ownership"), Employer.Ownership.values),
        required("status", _label("status")),
        one_of("status", _label("status"), Employer.Status.values),
        *whole_numbers(Number("employees", _label("employees"), digits=9)),
        Check(
            "email",
            "r.email <> '' AND r.email !~ '^[^@[:space:]]+@[^@[:space:]]+[.][^@[:space:]]+$'",
            lambda value, _d: _("Thư điện tử «%(value)s» không hợp lệ.") % {"value": value},
        ),
        max_length("email", _label("email"), 254),
        max_length("phone", _label("phone"), 30),
        max_length("legal_representative", _label("legal_representative"), 150),
        required("payment_method", _label("payment_method")),
        one_of("payment_method", _label("payment_method"), Employer.PaymentMethod.values),
    ]


def _office_scope_sql(user: User | None) -> tuple[str, list[Any]]:
    """SQL condition "this user may put an employer in office ``d``"; an officer's own only."""
    if user is None or user.sees_province:
        return "TRUE", []
    offices = list(user.offices.values_list("id", flat=True)) if user.is_officer else []
    return "coalesce(d.id = ANY(%s), FALSE)", [offices]


def import_employers(file: BinaryIO | Path, *, user: User | None = None) -> ImportResult:
    """Create or update employers from a statement file; StatementRefused if any row is bad."""
    office_ok, office_params = _office_scope_sql(user)
    employer_ok, employer_params = employer_scope_sql(user)
    with (
        transaction.atomic(),
        connection.cursor() as cursor,
        pghistory.context(statement="employers", user=user.pk if user else None),
    ):
        staged = stage(cursor, file, LAYOUT)
        lock_statements(cursor)
        table = staged.table
        source = f"""
            SELECT s.*, e.id AS employer_id, {office_ok} AS office_ok,
                   {employer_ok} AS employer_ok
            FROM {table} AS s
            LEFT JOIN participants_employer AS e ON e.unit_code = s.unit_code
            LEFT JOIN ({OFFICES_SQL}) AS d ON d.key = lower(s.office)
        """  # noqa: S608  (our own SQL; file content is only ever in the staging table)
        refuse_bad_rows(
            cursor,
            staged,
            source=source,
            checks=_checks(),
            params=[*office_params, *employer_params],
        )

        # The file's spelling of a new office is kept: its first row's.
        cursor.execute(
            rf"""
            INSERT INTO participants_office (name, code, kind, address, phone)
            SELECT DISTINCT ON (lower(s.office)) s.office,
                   left(upper(array_to_string(regexp_split_to_array(
                       btrim(desk_fold(s.office)), '\s+'), '_')), 20),
                   'grassroots', '', ''
            FROM {table} AS s
            WHERE NOT EXISTS (
                SELECT FROM participants_office AS d WHERE lower(d.name) = lower(s.office)
            )
            ORDER BY lower(s.office), s.line
            """  # noqa: S608
        )
        new_offices = cursor.rowcount

        cursor.execute(
            f"""
            SELECT e.id FROM {table} AS s
            JOIN participants_employer AS e ON e.unit_code = s.unit_code
            WHERE e.payment_method <> s.payment_method
            """  # noqa: S608
        )
        repriced = [row[0] for row in cursor.fetchall()]

        created, updated = upsert(
            cursor,
            table="participants_employer",
            columns=["unit_code", *_VALUES],
            key=["unit_code"],
            rows=f"""
                SELECT s.unit_code, {", ".join(f"{v} AS {c}" for c, v in _VALUES.items())}
                FROM {table} AS s JOIN ({OFFICES_SQL}) AS d ON d.key = lower(s.office)
            """,  # noqa: S608
        )
        drop_staging(cursor, staged)
        if repriced:
            payment_methods_changed.send(sender=Employer, employer_ids=repriced)
    return ImportResult(
        created=created,
        updated=updated,
        unchanged=staged.rows - created - updated,
        new_offices=new_offices,
    )
