"""The coverage figures file in: every row checked first, then one transaction.

Columns ``area, year, quarter, compulsory_si, voluntary_si, ui, hi, plan_compulsory_si,
plan_voluntary_si, plan_ui, plan_hi, labour_force, population``. ``area`` is ``province``, an
office or a commune, by code or name, whatever the case and with or without diacritics (an
office's name before a commune's of the same name: name the commune by its code, or its kind
and name, "Xã Lương Sơn"); the provincial office's figures are the province's. ``quarter``
1-4, or empty for the whole year; the plan columns may be empty (no target set).
Re-importing replaces the figures of that area and period, and only if a value differs. Only
managers (and the command) import coverage: the figures are the province's.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from django.db import connection, transaction
from django.utils.translation import gettext as _

from desk.statements.checks import (
    Check,
    Number,
    refuse_bad_rows,
    repeated_in_file,
    required,
    whole_numbers,
)
from desk.statements.results import ImportResult, Layout, RowError, StatementRefused
from desk.statements.staging import drop_staging, lock_statements, stage
from participants.imports.references import COMMUNE_KEYS, OFFICE_KEYS, by_key
from participants.models import CoverageFigure

if TYPE_CHECKING:
    from accounts.models import User

PROVINCE = "province"  # the ``area`` of the province's own figures
PARTICIPANTS = ("compulsory_si", "voluntary_si", "ui", "hi")
PLANS = tuple(f"plan_{scheme}" for scheme in PARTICIPANTS)
BASES = ("labour_force", "population")
LAYOUT = Layout(
    columns=("area", "year", "quarter", *PARTICIPANTS, *PLANS, *BASES),
    free_text=frozenset({"area"}),
    number_columns=frozenset({*PARTICIPANTS, *PLANS, *BASES}),
)
_DIGITS = 9  # a head count: under a billion

# The areas a row may name, joined on ``key = desk_fold(area)``: ``area_id`` says which ('p'
# the province, 'o<id>' an office, 'c<id>' a commune), whatever the spelling.
_AREAS = by_key(
    f"""
    SELECT '{PROVINCE}' AS key, 0 AS rank, 0 AS id, NULL::bigint AS office_id,
           NULL::bigint AS commune_id, 'p' AS area_id
    UNION ALL
    SELECT key, rank + 1, id, CASE WHEN kind = 'province' THEN NULL ELSE id END, NULL,
           CASE WHEN kind = 'province' THEN 'p' ELSE 'o' || id END
    FROM ({OFFICE_KEYS}) AS o
    UNION ALL
    SELECT key, rank + 3, id, NULL, id, 'c' || id FROM ({COMMUNE_KEYS}) AS c
    """  # noqa: S608  (our own SQL)
)
# The area of a staged row's ``area``, as a SQL expression over the staging table alone.
_AREA_OF = f"(SELECT a.area_id FROM ({_AREAS}) AS a WHERE a.key = desk_fold(area))"  # noqa: S608


def _label(name: str) -> str:
    """The column's name in reasons, spelled out: the checks capitalise labels, which would
    turn "BHXH" into "Bhxh"."""
    spelled = {
        "compulsory_si": _("số người tham gia bảo hiểm xã hội bắt buộc"),
        "voluntary_si": _("số người tham gia bảo hiểm xã hội tự nguyện"),
        "ui": _("số người tham gia bảo hiểm thất nghiệp"),
        "hi": _("số người tham gia bảo hiểm y tế"),
        "plan_compulsory_si": _("kế hoạch bảo hiểm xã hội bắt buộc"),
        "plan_voluntary_si": _("kế hoạch bảo hiểm xã hội tự nguyện"),
        "plan_ui": _("kế hoạch bảo hiểm thất nghiệp"),
        "plan_hi": _("kế hoạch bảo hiểm y tế"),
    }
    return spelled.get(name) or str(CoverageFigure._meta.get_field(name).verbose_name)


def _optional_number(column: str) -> Check:
    label = _label(column).capitalize()
    return Check(
        column,
        f"r.{column} ~ '[^0-9]' OR octet_length(r.{column}) > {_DIGITS}",
        lambda value, _d: (
            _("%(label)s «%(value)s» phải là số nguyên không âm, tối đa %(digits)s chữ số.")
            % {"label": label, "value": value, "digits": _DIGITS}
        ),
    )


def _positive(column: str) -> Check:
    label = _label(column).capitalize()
    return Check(
        column,
        f"r.{column} ~ '^0+$'",
        lambda _v, _d: (
            _("%(label)s phải lớn hơn 0 (là mẫu số của tỷ lệ bao phủ).") % {"label": label}
        ),
    )


def _checks() -> list[Check]:
    return [
        required("area", _("địa bàn")),
        Check(
            "area",
            "r.area <> '' AND r.area_id IS NULL",
            lambda value, _d: (
                _(
                    "Địa bàn «%(value)s» không phải «%(province)s», một BHXH cơ sở hay một "
                    "xã/phường đã có (mã hoặc tên)."
                )
                % {"value": value, "province": PROVINCE}
            ),
        ),
        Check(
            "area",
            "r.area_ambiguous",
            lambda value, _d: _("Có nhiều địa bàn tên «%(value)s»; hãy ghi mã.") % {"value": value},
        ),
        required("year", _label("year")),
        Check(
            "year",
            # CASE, not OR: SQL does not promise to test the pattern before the cast.
            "r.year <> '' AND CASE WHEN r.year ~ '^[0-9]{4}$' "
            "THEN r.year::integer NOT BETWEEN 1995 AND 2099 ELSE TRUE END",
            lambda value, _d: (
                _("Năm «%(value)s» không hợp lệ: cần 4 chữ số, từ 1995 đến 2099.")
                % {"value": value}
            ),
        ),
        Check(
            "quarter",
            "r.quarter NOT IN ('', '1', '2', '3', '4')",
            lambda value, _d: (
                _("Quý «%(value)s» không hợp lệ: 1, 2, 3, 4 hoặc để trống (cả năm).")
                % {"value": value}
            ),
        ),
        # The same area, by code or name, whatever the spelling; a row whose area is not
        # known is refused above, not as a repeat.
        repeated_in_file(
            "area",
            [_AREA_OF, "year", "quarter"],
            lambda value, first: (
                _("Số liệu của «%(value)s» cho kỳ này đã có ở dòng %(first)s của tệp.")
                % {"value": value, "first": first}
            ),
            when="r.area_id IS NOT NULL",
        ),
        *whole_numbers(
            *(Number(name, _label(name), digits=_DIGITS) for name in (*PARTICIPANTS, *BASES))
        ),
        *(_positive(name) for name in BASES),
        *(_optional_number(name) for name in PLANS),
    ]


def import_coverage(file: BinaryIO | Path, *, user: User | None = None) -> ImportResult:
    """Create or replace coverage figures from a file; StatementRefused if any row is bad."""
    if user is not None and not user.sees_province:
        raise StatementRefused([RowError(None, "", _("Chỉ lãnh đạo được nhập số liệu bao phủ."))])
    with transaction.atomic(), connection.cursor() as cursor:
        staged = stage(cursor, file, LAYOUT)
        lock_statements(cursor)
        table = staged.table
        keyed = f"""
            SELECT s.*, a.office_id, a.commune_id, a.area_id, a.ambiguous AS area_ambiguous
            FROM {table} AS s LEFT JOIN ({_AREAS}) AS a ON a.key = desk_fold(s.area)
        """  # noqa: S608  (our own SQL; file content is only ever in the staging table)
        refuse_bad_rows(cursor, staged, source=keyed, checks=_checks())

        values = {
            "office_id": "k.office_id",
            "commune_id": "k.commune_id",
            "year": "k.year::smallint",
            "quarter": "nullif(k.quarter, '')::smallint",
            **{name: f"k.{name}::integer" for name in (*PARTICIPANTS, *BASES)},
            **{name: f"nullif(k.{name}, '')::integer" for name in PLANS},
        }
        selected = ", ".join(f"{value} AS {name}" for name, value in values.items())
        rows = f"SELECT {selected} FROM ({keyed}) AS k"  # noqa: S608
        same_figure = (
            "c.office_id IS NOT DISTINCT FROM r.office_id "
            "AND c.commune_id IS NOT DISTINCT FROM r.commune_id AND c.year = r.year "
            "AND c.quarter IS NOT DISTINCT FROM r.quarter"
        )
        area = ("office_id", "commune_id", "year", "quarter")
        figures = [name for name in values if name not in area]
        cursor.execute(
            f"""
            UPDATE participants_coveragefigure AS c
            SET {", ".join(f"{name} = r.{name}" for name in figures)}
            FROM ({rows}) AS r
            WHERE {same_figure}
              AND ({", ".join(f"c.{name}" for name in figures)})
                  IS DISTINCT FROM ({", ".join(f"r.{name}" for name in figures)})
            """  # noqa: S608
        )
        updated = cursor.rowcount
        cursor.execute(
            f"""
            INSERT INTO participants_coveragefigure ({", ".join(values)})
            SELECT * FROM ({rows}) AS r
            WHERE NOT EXISTS (SELECT FROM participants_coveragefigure AS c WHERE {same_figure})
            """  # noqa: S608
        )
        created = cursor.rowcount
        drop_staging(cursor, staged)
    return ImportResult(created=created, updated=updated, unchanged=staged.rows - created - updated)
