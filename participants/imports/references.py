"""How a statement row names what is recorded: an employer by its unit code (known, and in the
importing user's scope), a office by its name."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import EmptyResultSet
from django.utils.translation import gettext as _

from desk.statements.checks import Check, field_label, required
from participants.models import Employer

if TYPE_CHECKING:
    from accounts.models import User

# Offices by name, ignoring case; the oldest wins should two differ only in case.
OFFICES_SQL = """
    SELECT DISTINCT ON (lower(name)) id, lower(name) AS key
    FROM participants_office ORDER BY lower(name), id
"""


def employer_scope_sql(user: User | None, alias: str = "e") -> tuple[str, list[Any]]:
    """SQL condition "this user may import rows of employer ``alias``", and its parameters.

    Managers and the commands (no user): every employer. Officers: those of their offices
    (Employer.objects.in_scope). Nobody else imports, whatever they may read.
    """
    if user is None or user.sees_province:
        return "TRUE", []
    if not user.is_officer:
        return "FALSE", []
    try:
        scoped = Employer.objects.in_scope(user).order_by().values("id")
        sql, params = scoped.query.sql_with_params()
    except EmptyResultSet:  # in_scope(...) is none(): an inactive user
        return "FALSE", []
    return f"{alias}.id IN ({sql})", list(params)


def unit_checks() -> list[Check]:
    """The unit code of a row naming an employer (contributions, payments, persons): given,
    known, and in the importing user's scope. The source query supplies ``employer_id`` (the
    employer with that code) and ``employer_ok`` (``employer_scope_sql``)."""
    return [
        required("unit_code", field_label(Employer, "unit_code")),
        Check(
            "unit_code",
            "r.unit_code <> '' AND r.employer_id IS NULL",
            lambda value, _d: (
                _("Mã đơn vị «%(value)s» chưa có trong danh sách đơn vị.") % {"value": value}
            ),
        ),
        Check(
            "unit_code",
            "r.employer_id IS NOT NULL AND NOT r.employer_ok",
            lambda value, _d: (
                _("Đơn vị «%(value)s» không thuộc địa bàn bạn phụ trách.") % {"value": value}
            ),
        ),
    ]
