"""The communes file in: the communes each grassroots office serves, every row checked first,
then one transaction.

Columns ``code, name, kind (xa, phuong, dac_khu), office, former_district, former_province``.
``kind`` may be written out ("Xã", "Phường", "Đặc khu"); ``office`` is a code or a name,
whatever the case and with or without diacritics, and a name not yet known creates the office.
The former district and province (history) may be left out: a file without them leaves them
as recorded. Re-importing updates communes by code, and only those whose values differ. Only
managers (and the command) import communes: the map is the province's.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from django.db import connection, transaction
from django.utils.translation import gettext as _

from desk.statements.checks import (
    Check,
    field_label,
    max_length,
    one_of,
    refuse_bad_rows,
    repeated_in_file,
    required,
)
from desk.statements.results import ImportResult, Layout, Staged, refusal
from desk.statements.staging import drop_staging, lock_statements, stage
from desk.statements.writing import upsert
from participants.imports.references import (
    OFFICES_SQL,
    create_offices,
    each_value,
    unknown_names,
)
from participants.models import Commune, Office

if TYPE_CHECKING:
    from accounts.models import User

HISTORY = ("former_district", "former_province")
LAYOUT = Layout(
    columns=("code", "name", "kind", "office", *HISTORY),
    free_text=frozenset({"name", "office", *HISTORY}),
    optional=frozenset(HISTORY),
)

# The kind as its code, however it is written: "Xã" -> xa, "Đặc khu" -> dac_khu.
_KIND = "replace(desk_fold(s.kind), ' ', '_')"


def _places(table: str) -> str:
    """The office each staged row ``s`` names, and the commune recorded with its code."""
    return f"""
        LEFT JOIN ({each_value(table, "office", OFFICES_SQL)}) AS o ON o.value = s.office
        LEFT JOIN participants_commune AS t ON t.code = s.code
    """


def _label(name: str) -> str:
    spelled = {"code": _("mã xã/phường"), "name": _("tên xã/phường")}
    return spelled.get(name) or field_label(Commune, name)


def _checks() -> list[Check]:
    kinds = ", ".join(f"'{kind}'" for kind in Commune.Kind.values)
    office = _("BHXH cơ sở")
    return [
        required("code", _label("code")),
        max_length("code", _label("code"), 20),
        repeated_in_file(
            "code",
            ["code"],
            lambda value, first: (
                _("Mã xã/phường «%(value)s» trùng với dòng %(first)s.")
                % {"value": value, "first": first}
            ),
        ),
        required("name", _label("name")),
        max_length("name", _label("name"), 100),
        required("kind", _label("kind")),
        replace(
            one_of("kind", _label("kind"), Commune.Kind.values),
            bad=f"r.kind <> '' AND r.kind_code NOT IN ({kinds})",
        ),
        required("office", office),
        # A name not known becomes an office: it must fit one.
        max_length("office", office, Office._meta.get_field("name").max_length or 100),
        Check(
            "office",
            "r.office_ambiguous",
            lambda value, _d: (
                _("Có nhiều BHXH cơ sở cùng tên «%(value)s»; hãy ghi mã BHXH cơ sở.")
                % {"value": value}
            ),
        ),
        *(max_length(name, _label(name), 100) for name in HISTORY),
    ]


def _history(staged: Staged) -> dict[str, str]:
    """The former district and province: the file's, or where it leaves them out, as recorded."""
    return {
        name: f"s.{name}" if name in staged.columns else f"coalesce(t.{name}, '')"
        for name in HISTORY
    }


def import_communes(file: BinaryIO | Path, *, user: User | None = None) -> ImportResult:
    """Create or update communes from a file; StatementRefused if any row is bad."""
    if user is not None and not user.sees_province:
        raise refusal(_("Chỉ lãnh đạo được nhập danh mục xã/phường."))
    with transaction.atomic(), connection.cursor() as cursor:
        staged = stage(cursor, file, LAYOUT)
        lock_statements(cursor)
        table = staged.table
        source = f"""
            SELECT s.*, {_KIND} AS kind_code, o.ambiguous AS office_ambiguous
            FROM {table} AS s {_places(table)}
        """  # noqa: S608  (our own SQL; file content is only ever in the staging table)
        refuse_bad_rows(cursor, staged, source=source, checks=_checks())

        # An office not known is created under the file's first spelling of it.
        new_offices = create_offices(unknown_names(cursor, table, "office", OFFICES_SQL))

        values = {
            "name": "s.name",
            "kind": _KIND,
            "office_id": "o.id",
            **_history(staged),
        }
        created, updated = upsert(
            cursor,
            table="participants_commune",
            columns=["code", *values],
            key=["code"],
            rows=f"""
                SELECT s.code, {", ".join(f"{v} AS {c}" for c, v in values.items())}
                FROM {table} AS s {_places(table)}
            """,  # noqa: S608
        )
        drop_staging(cursor, staged)
    return ImportResult(
        created=created,
        updated=updated,
        unchanged=staged.rows - created - updated,
        new_offices=new_offices,
    )
