"""The employer statement file in: all rows checked first, then written in one transaction.

Re-importing updates employers by unit code, and only those whose values differ (so the
history triggers record real changes only, an office or commune changed among them).
``office`` (the managing office) and ``commune`` (of the address, optional) are each a code or a
name, whatever the case and with or without diacritics, and must be known; a row without an
office is managed by the office serving its commune. Older files carry ``district`` instead of
``office``: a known former district is managed by its office, and one not known becomes an
office of that name, as districts did before the 2025 reform. A file without ``commune`` leaves
each employer's commune as recorded.

When an employer's payment method changes, the due dates of its contributions follow:
``payment_methods_changed`` is sent inside the transaction, and arrears, which owns
contributions, re-dates them (participants knows nothing of arrears).
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

import pghistory
from django.db import connection, transaction
from django.dispatch import Signal
from django.utils.translation import gettext as _

from desk.bulkload import first_load
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
from desk.statements.results import ImportResult, Layout, Staged
from desk.statements.staging import drop_staging, lock_statements, stage
from desk.statements.writing import upsert
from participants.imports.references import (
    COMMUNES_SQL,
    DISTRICTS_SQL,
    OFFICES_SQL,
    create_offices,
    each_value,
    employer_scope_sql,
    unknown_names,
)
from participants.models import TAX_CODE_PATTERN, UNIT_CODE_PATTERN, Commune, Employer, Office

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
        "commune",
        "industrial_zone",
        "ownership",
        "status",
        "employees",
        "email",
        "phone",
        "legal_representative",
        "payment_method",
        "district",
    ),
    free_text=frozenset(
        {
            "name",
            "address",
            "office",
            "commune",
            "district",
            "industrial_zone",
            "legal_representative",
        }
    ),
    number_columns=frozenset({"employees"}),
    optional=frozenset({"commune"}),
    older=(("district", "office"),),
)

# The managing office of a staged row ``s``: the office it names, else its former district's,
# else the office serving its commune. Joined as ``_places`` joins them.
_OFFICE = (
    "CASE WHEN s.office <> '' THEN o.id WHEN s.district <> '' THEN f.office_id ELSE c.office_id END"
)


def _places(table: str) -> str:
    """The office, commune and former district each staged row ``s`` names, and its employer."""
    return f"""
        LEFT JOIN ({each_value(table, "office", OFFICES_SQL)}) AS o ON o.value = s.office
        LEFT JOIN ({each_value(table, "commune", COMMUNES_SQL)}) AS c ON c.value = s.commune
        LEFT JOIN ({each_value(table, "district", DISTRICTS_SQL)}) AS f ON f.value = s.district
        LEFT JOIN participants_employer AS e ON e.unit_code = s.unit_code
    """


# Each employer column and its value from a staged row ``s`` joined as ``_places`` joins it
# (the commune's is the import's: ``_commune``).
_VALUES = {
    "tax_code": "s.tax_code",
    "name": "s.name",
    "address": "s.address",
    "office_id": _OFFICE,
    "industrial_zone": "s.industrial_zone",
    "ownership": "s.ownership",
    "status": "s.status",
    "employees": "s.employees::integer",
    "email": "s.email",
    "phone": "s.phone",
    "legal_representative": "s.legal_representative",
    "payment_method": "s.payment_method",
}


def _commune(staged: Staged) -> str:
    """The employer's commune: the file's, or, in a file without the column, the one recorded."""
    return "c.id" if "commune" in staged.columns else "e.commune_id"


def _label(name: str) -> str:
    return field_label(Employer, name)


def _checks(*, older: bool) -> list[Check]:
    """Every check of a row; ``older``: the file names a former district, not an office."""
    unit = _label("unit_code")
    return [
        required("unit_code", unit),
        max_length("unit_code", unit, 20),
        Check(
            "unit_code",
            f"r.unit_code <> '' AND r.unit_code !~ '{UNIT_CODE_PATTERN}'",
            lambda value, _d: (
                _(
                    "Mã đơn vị «%(value)s» không hợp lệ: chỉ gồm chữ cái không dấu, chữ số, "
                    "dấu «-» và «_»."
                )
                % {"value": value}
            ),
        ),
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
        *(_district_checks() if older else _office_checks()),
        *_commune_checks(),
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


def _out_of_scope(value: str, _detail: str | None) -> str:
    return _("BHXH cơ sở «%(value)s» không thuộc địa bàn bạn phụ trách.") % {"value": value}


def _office_checks() -> list[Check]:
    """``office``: a known office's code or name, in the user's scope; or left empty for the
    office serving the row's commune."""
    return [
        replace(required("office", _("BHXH cơ sở")), bad="r.office = '' AND r.commune = ''"),
        Check(
            "office",
            "r.office <> '' AND r.office_id IS NULL",
            lambda value, _d: (
                _("BHXH cơ sở «%(value)s» không có trong danh mục.") % {"value": value}
            ),
        ),
        Check(
            "office",
            "r.office_ambiguous",
            lambda value, _d: (
                _("Có nhiều BHXH cơ sở cùng tên «%(value)s»; hãy ghi mã BHXH cơ sở.")
                % {"value": value}
            ),
        ),
        Check(
            "office",
            "r.office_id IS NOT NULL AND r.office <> '' AND NOT r.office_ok",
            _out_of_scope,
        ),
    ]


def _district_checks() -> list[Check]:
    """``district`` (older files): a former district, mapped to its office; one not known
    becomes an office of that name, so it must fit one."""
    label = field_label(Commune, "former_district")
    return [
        replace(required("district", label), bad="r.district = '' AND r.commune = ''"),
        max_length("district", label, Office._meta.get_field("name").max_length or 100),
        # A new office is in no officer's scope.
        Check("district", "r.district <> '' AND NOT r.office_ok", _out_of_scope),
    ]


def _commune_checks() -> list[Check]:
    """``commune``: a known commune's code or name; when it alone gives the office, that
    office in the user's scope; and, for an officer given only some communes, one of them."""
    return [
        Check(
            "commune",
            "r.commune <> '' AND r.commune_id IS NULL",
            lambda value, _d: (
                _("Xã/phường «%(value)s» không có trong danh mục.") % {"value": value}
            ),
        ),
        Check(
            "commune",
            "r.commune_ambiguous",
            lambda value, _d: (
                _("Có nhiều xã/phường tên «%(value)s»; hãy ghi mã xã/phường.") % {"value": value}
            ),
        ),
        Check(
            "commune",
            "r.office = '' AND r.district = '' AND r.commune_id IS NOT NULL AND NOT r.office_ok",
            lambda value, _d: (
                _("Xã/phường «%(value)s» thuộc BHXH cơ sở ngoài địa bàn bạn phụ trách.")
                % {"value": value}
            ),
        ),
        Check(
            "commune",
            "NOT r.commune_ok AND (r.commune = '' OR r.commune_id IS NOT NULL)",
            lambda value, _d: (
                _("Xã/phường «%(value)s» không thuộc địa bàn bạn phụ trách.") % {"value": value}
                if value
                else _("Bạn chỉ phụ trách một số xã/phường: hãy ghi xã/phường của đơn vị.")
            ),
        ),
    ]


def _office_scope_sql(user: User | None, office: str) -> tuple[str, list[Any]]:
    """SQL condition "this user may put an employer in ``office``": officers and office heads
    their own offices only."""
    if user is None or user.sees_province:
        return "TRUE", []
    mine = user.is_officer or user.is_office_head
    offices = list(user.offices.values_list("id", flat=True)) if mine else []
    return f"coalesce(({office}) = ANY(%s), FALSE)", [offices]


def _commune_scope_sql(user: User | None, commune: str) -> tuple[str, list[Any]]:
    """SQL condition "this user may put an employer in ``commune``": all of them, but for an
    officer given only some communes of their offices."""
    communes = list(user.communes.values_list("id", flat=True)) if user and user.is_officer else []
    if not communes:
        return "TRUE", []
    return f"coalesce(({commune}) = ANY(%s), FALSE)", [communes]


def import_employers(file: BinaryIO | Path, *, user: User | None = None) -> ImportResult:
    """Create or update employers from a statement file; StatementRefused if any row is bad."""
    with (
        transaction.atomic(),
        connection.cursor() as cursor,
        pghistory.context(statement="employers", user=user.pk if user else None),
    ):
        staged = stage(cursor, file, LAYOUT)
        lock_statements(cursor)
        table = staged.table
        commune = _commune(staged)
        office_ok, office_params = _office_scope_sql(user, _OFFICE)
        commune_ok, commune_params = _commune_scope_sql(user, commune)
        employer_ok, employer_params = employer_scope_sql(user)
        source = f"""
            SELECT s.*, e.id AS employer_id, {_OFFICE} AS office_id,
                   o.ambiguous AS office_ambiguous, c.id AS commune_id,
                   c.ambiguous AS commune_ambiguous, {office_ok} AS office_ok,
                   {commune_ok} AS commune_ok, {employer_ok} AS employer_ok
            FROM {table} AS s {_places(table)}
        """  # noqa: S608  (our own SQL; file content is only ever in the staging table)
        refuse_bad_rows(
            cursor,
            staged,
            source=source,
            checks=_checks(older="district" in staged.columns),
            params=[*office_params, *commune_params, *employer_params],
        )

        # A former district not known becomes an office under the file's first spelling.
        new_offices = create_offices(unknown_names(cursor, table, "district", DISTRICTS_SQL))

        cursor.execute(
            f"""
            SELECT e.id FROM {table} AS s
            JOIN participants_employer AS e ON e.unit_code = s.unit_code
            WHERE e.payment_method <> s.payment_method
            """  # noqa: S608
        )
        repriced = [row[0] for row in cursor.fetchall()]

        values = {**_VALUES, "commune_id": commune}
        # The history trigger writes a row per employer: into an empty history, its indexes
        # are built after, as the employers' own are (desk.bulkload).
        with first_load(cursor, "participants_employerevent"):
            created, updated = upsert(
                cursor,
                table="participants_employer",
                columns=["unit_code", *values],
                key=["unit_code"],
                rows=f"""
                    SELECT s.unit_code, {", ".join(f"{v} AS {c}" for c, v in values.items())}
                    FROM {table} AS s {_places(table)}
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
