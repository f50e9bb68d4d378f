"""How a statement row names what is recorded: an employer by its unit code (known, and in the
importing user's scope); an office or a commune by its code or its name, ignoring case and
Vietnamese diacritics; a former district by the office that took it over. Also the offices an
import creates for names not yet known."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import EmptyResultSet
from django.utils.translation import gettext as _

from desk.statements.checks import Check, field_label, required
from participants.models import Employer, Office, office_code

if TYPE_CHECKING:
    from accounts.models import User


def by_key(keys: str) -> str:
    """``keys`` (a SELECT of ``key, rank, id, ...``) with one row per key: the lowest rank's
    (a code before a name), and ``ambiguous`` when two rows of that rank share the key."""
    return f"""
        SELECT DISTINCT ON (key) k.*, count(*) OVER (PARTITION BY key, rank) > 1 AS ambiguous
        FROM ({keys}) AS k WHERE key <> '' ORDER BY key, rank, id
    """  # noqa: S608  (our own SQL)


# Offices and communes by code (rank 0) and by name (rank 1), folded as ``desk_fold`` folds the
# file's text: "Lương Sơn", "LUONG SON", "BHXH cơ sở Lương Sơn" (as letters print it) and the
# code "LUONG_SON" all name the office Lương Sơn. A commune also by its kind and name ("Xã Hòa
# Sơn", "phuong ky son"); several communes may share a name, never a code.
OFFICE_KEYS = """
    SELECT desk_fold(code) AS key, 0 AS rank, id, kind FROM participants_office
    UNION ALL SELECT desk_fold(name), 1, id, kind FROM participants_office
    UNION ALL SELECT desk_fold('BHXH cơ sở', name), 1, id, kind FROM participants_office
    UNION ALL SELECT desk_fold('Bảo hiểm xã hội cơ sở', name), 1, id, kind
    FROM participants_office
"""
COMMUNE_KEYS = """
    SELECT desk_fold(code) AS key, 0 AS rank, id, office_id FROM participants_commune
    UNION ALL SELECT desk_fold(name), 1, id, office_id FROM participants_commune
    UNION ALL SELECT desk_fold(replace(kind, '_', ' '), name), 1, id, office_id
    FROM participants_commune
"""
# Joined on ``key = desk_fold(value)``, or through ``each_value``.
OFFICES_SQL = by_key(OFFICE_KEYS)
COMMUNES_SQL = by_key(COMMUNE_KEYS)
# A former district (files of before the 2025 reform) to its office: the office serving most
# of the communes that were in it, else the office of that name (districts became offices
# under their own names).
DISTRICTS_SQL = """
    SELECT DISTINCT ON (key) key, office_id FROM (
        SELECT desk_fold(former_district) AS key, 0 AS rank, office_id, count(*) AS communes
        FROM participants_commune WHERE former_district <> '' GROUP BY 1, office_id
        UNION ALL SELECT desk_fold(name), 1, id, 0 FROM participants_office
    ) AS k ORDER BY key, rank, communes DESC, office_id
"""


def each_value(table: str, column: str, keyed: str) -> str:
    """``keyed`` (OFFICES_SQL, COMMUNES_SQL, DISTRICTS_SQL) for each value of ``column`` in the
    staging ``table``, as ``value``: joined on ``value = s.<column>``, each value is folded
    once rather than on every row (a province's employers name a few dozen offices)."""
    return f"""
        SELECT v.value, k.* FROM (SELECT DISTINCT {column} AS value FROM {table}) AS v
        JOIN ({keyed}) AS k ON k.key = desk_fold(v.value)
    """  # noqa: S608  (our own SQL)


def unknown_names(cursor: Any, table: str, column: str, keyed: str) -> list[str]:
    """The values of ``column`` in the staging ``table`` that name nothing in ``keyed``; values
    the same once folded are one, spelled as in the first row with it."""
    cursor.execute(
        f"""
        SELECT DISTINCT ON (desk_fold(v.value)) v.value
        FROM (
            SELECT {column} AS value, min(line) AS line FROM {table}
            WHERE {column} <> '' GROUP BY {column}
        ) AS v LEFT JOIN ({keyed}) AS k ON k.key = desk_fold(v.value)
        WHERE k.key IS NULL ORDER BY desk_fold(v.value), v.line
        """  # noqa: S608  (our own SQL)
    )
    return [name for (name,) in cursor.fetchall()]


def create_offices(names: list[str]) -> int:
    """Create a grassroots office for each of ``names`` (none known yet), its code made from
    its name (``office_code``), made unique with a number; how many were created."""
    taken = set(Office.objects.values_list("code", flat=True))
    Office.objects.bulk_create(
        Office(name=name, code=_unique_code(name, taken), kind=Office.Kind.GRASSROOTS)
        for name in names
    )
    return len(names)


def _unique_code(name: str, taken: set[str]) -> str:
    base = office_code(name) or "BHXH"
    code, n = base, 1
    while code in taken:
        n += 1
        code = f"{base[: 20 - len(str(n)) - 1]}_{n}"
    taken.add(code)
    return code


def employer_scope_sql(user: User | None, alias: str = "e") -> tuple[str, list[Any]]:
    """SQL condition "this user may import rows of employer ``alias``", and its parameters.

    Managers and the commands (no user): every employer. Officers and office heads: those of
    their offices (Employer.objects.in_scope). Nobody else imports, whatever they may read.
    """
    if user is None or user.sees_province:
        return "TRUE", []
    if not (user.is_officer or user.is_office_head):
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
