"""Checking the staged rows: each reason a row can be refused is a ``Check``, an SQL condition
over the row, and ``refuse_bad_rows`` runs them all in one query. Also the checks most columns
need (given, not too long, one of a list, a whole number, not repeated in the file) and the
calendars dates and months are checked against."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from django.db.models import Model
from django.utils.translation import gettext as _

from desk.statements.results import MAX_REASONS, RowError, Staged, StatementRefused
from desk.statements.staging import restage


@dataclass(frozen=True)
class Check:
    """One reason a staged row can be refused.

    ``bad`` is an SQL condition over ``r``, a staged row joined with whatever the import's
    source query adds (the employer it names, the user's scope ...); it is true for a bad row.
    ``reason`` turns the offending value (``value``, default the column) and an optional
    ``detail`` into the Vietnamese reason shown to the user. ``screen``, when given, is a
    cheaper condition true for every row that ``bad`` might flag, shared by several checks so
    that good rows are passed over by one test instead of many.
    """

    column: str
    bad: str
    reason: Callable[[str, str | None], str]
    value: str = ""
    detail: str = "NULL"
    screen: str = ""
    # The keys of a ``repeated_in_file`` check. A first load leaves it to the table's own
    # unique key (``write_checked``).
    repeat: tuple[str, ...] = ()


def refuse_bad_rows(
    cursor: Any,
    staged: Staged,
    *,
    source: str,
    checks: Sequence[Check],
    params: Sequence[object] = (),
) -> None:
    """Run every check over the staged rows in one pass; refuse the file if any row fails.

    ``source`` is a SELECT returning the staging table's columns (with ``line``) plus any
    joined columns the checks use; ``params`` are its parameters. The reasons come back in
    row order, at most ``MAX_REASONS`` of them, with the full count.
    """
    source = _with_first_line(source, staged, checks)
    values = ",\n".join(
        f"({k}, ({check.value or _as_written(check.column)})::text, ({check.detail})::text, "
        f"{check.bad})"
        for k, check in enumerate(checks)
    )
    # Everything interpolated is the importer's own SQL, never file content: that is staged.
    sql = f"""
        SELECT r.line, c.k, c.value, c.detail, count(*) OVER ()
        FROM (SELECT * FROM ({source}) AS r WHERE {screens(checks)}) AS r
        CROSS JOIN LATERAL (VALUES {values}) AS c(k, value, detail, bad)
        WHERE c.bad
        ORDER BY r.line, c.k
        LIMIT %s
    """  # noqa: S608
    cursor.execute(sql, [*params, MAX_REASONS])
    found = cursor.fetchall()
    if found and staged.copied_raw:
        # Perhaps only values padded with spaces, which the Python reader trims: read the
        # file again that way, and ask again.
        restage(cursor, staged)
        cursor.execute(sql, [*params, MAX_REASONS])
        found = cursor.fetchall()
    if not found and not staged.problem_count:
        return
    errors = list(staged.problems)
    for line, k, value, detail, _total in found:
        check = checks[k]
        errors.append(RowError(line, check.column, check.reason(value or "", detail)))
    raise StatementRefused(errors, total=staged.problem_count + (found[0][4] if found else 0))


def _as_written(column: str) -> str:
    """The column's value as the file has it, before ``staging.normalise`` (1.000.00 stays)."""
    return f"coalesce(r.as_written ->> '{column}', r.{column})"


def screens(checks: Iterable[Check]) -> str:
    """True for a row some check may refuse (each check's screen, or its condition)."""
    return " OR ".join(f"({screen})" for screen in dict.fromkeys(c.screen or c.bad for c in checks))


# Checks most columns need. Labels are the column's Vietnamese name, in lower case.


def field_label(model: type[Model], name: str) -> str:
    """A model field's name as the reasons spell it: its verbose name ("mã đơn vị")."""
    return str(model._meta.get_field(name).verbose_name)


def _sentence(label: str) -> str:
    """A label opening a sentence: "số tiền" -> "Số tiền", "BHXH" stays "BHXH"."""
    return label[:1].upper() + label[1:]


def required(column: str, label: str) -> Check:
    return Check(
        column, f"r.{column} = ''", lambda _v, _d: _("Thiếu %(label)s.") % {"label": label}
    )


def max_length(column: str, label: str, limit: int) -> Check:
    return Check(
        column,
        f"length(r.{column}) > {int(limit)}",
        lambda _v, _d: (
            _("%(label)s dài quá %(limit)s ký tự.") % {"label": _sentence(label), "limit": limit}
        ),
    )


def one_of(column: str, label: str, choices: Sequence[str]) -> Check:
    """A code from a fixed list (ownership, status, payment method ...)."""
    allowed = ", ".join(f"'{choice}'" for choice in choices if _is_code(choice))
    return Check(
        column,
        f"r.{column} <> '' AND r.{column} NOT IN ({allowed})",
        lambda value, _d: (
            _("%(label)s «%(value)s» không hợp lệ; chỉ nhận: %(choices)s.")
            % {"label": _sentence(label), "value": value, "choices": ", ".join(choices)}
        ),
    )


def _is_code(choice: str) -> bool:
    if not re.fullmatch(r"[a-z_]+", choice):  # inlined into SQL: codes only
        raise ValueError(f"not a plain code: {choice!r}")
    return True


@dataclass(frozen=True)
class Number:
    """A column holding a non-negative whole number of at most ``digits`` digits."""

    column: str
    label: str
    digits: int
    # Whole đồng: "1000.5", "1,5" and "1.000.00" are refused, not guessed at ("1.000.000" is
    # read as 1000000 when staged, ``staging.normalise``).
    money: bool = False


def whole_numbers(*numbers: Number) -> list[Check]:
    """Each number present, written with digits only, not too large.

    The columns share one screen (a single pattern match over all of them), the cheapest way
    past a province's good rows.
    """
    screen = " OR ".join(
        [
            *(
                f"r.{n.column} = '' OR octet_length(r.{n.column}) > {int(n.digits)}"
                for n in numbers
            ),
            "(" + " || ".join(f"r.{n.column}" for n in numbers) + ") ~ '[^0-9]'",
        ]
    )
    checks = []
    for number in numbers:
        column = number.column
        checks += [
            replace(required(column, number.label), screen=screen),
            Check(column, f"r.{column} ~ '[^0-9]'", _not_whole(number), screen=screen),
            Check(
                column,
                f"octet_length(r.{column}) > {int(number.digits)} AND r.{column} !~ '[^0-9]'",
                lambda value, _d, label=number.label: (
                    _("%(label)s «%(value)s» quá lớn.")
                    % {"label": _sentence(label), "value": value}
                ),
                screen=screen,
            ),
        ]
    return checks


def _not_whole(number: Number) -> Callable[[str, str | None], str]:
    label = _sentence(number.label)

    def reason(value: str, _detail: str | None) -> str:
        if value.lstrip().startswith("-"):
            return _("%(label)s không được âm: «%(value)s».") % {"label": label, "value": value}
        if number.money:
            return _(
                "%(label)s «%(value)s» không phải số đồng nguyên: chỉ ghi chữ số, có thể tách "
                "hàng nghìn bằng dấu chấm (1.000.000), không có phần lẻ."
            ) % {"label": label, "value": value}
        return _("%(label)s «%(value)s» phải là số nguyên không âm, chỉ gồm chữ số.") % {
            "label": label,
            "value": value,
        }

    return reason


def repeated_in_file(
    column: str,
    keys: Sequence[str],
    reason: Callable[[str, str | None], str],
    *,
    when: str = "",
) -> Check:
    """A row whose ``keys`` an earlier row of the file already has; ``reason`` gets the value
    in ``column`` and the number of that earlier row.

    ``keys`` are staged columns, or SQL over them (``lower(area)``). The row counts when
    ``when`` (SQL over ``r``) holds, by default when every key is given. One such check per
    import: ``refuse_bad_rows`` gives each row ``first_line`` for it.
    """
    counted = when or " AND ".join(f"r.{key} <> ''" for key in keys)
    return Check(
        column,
        f"{counted} AND r.first_line < r.line",
        reason,
        detail="r.first_line",
        repeat=tuple(keys),
    )


def _with_first_line(source: str, staged: Staged, checks: Sequence[Check]) -> str:
    """``source`` with ``first_line``, for a ``repeated_in_file`` check: the first row with the
    same keys when that is another row, else NULL.

    Grouping rather than a window function: it needs no sort, so it costs the same whatever
    order the file is in.
    """
    repeats = {check.repeat for check in checks if check.repeat}
    if not repeats:
        return source
    (keys,) = repeats  # one first_line per row: one repeated_in_file check per import
    named = ", ".join(f"{key} AS key_{i}" for i, key in enumerate(keys))
    same = " AND ".join(f"dup.key_{i} = {key}" for i, key in enumerate(keys))
    return f"""
            SELECT r.*, dup.first_line FROM ({source}) AS r
            LEFT JOIN (
                SELECT {named}, min(line) AS first_line FROM {staged.table}
                GROUP BY {", ".join(f"key_{i}" for i in range(len(keys)))} HAVING count(*) > 1
            ) AS dup ON {same}
        """  # noqa: S608


# Valid contribution months and payment dates, spelled as the files spell them. Joining a
# column to these validates the calendar (no 2025-02-30) with neither a regular expression per
# row nor a cast that could fail mid-query; a value not in them joins to nothing. Tables made by
# the migration desk 0002, analysed, so that the planner knows their size and hashes them.
MONTHS_SQL = "SELECT spelled, first_day FROM desk_calendar_month"  # 1995-01 to 2099-12
_FIRST_DAY = date(1900, 1, 1)  # of desk_calendar_day, to 2099-12-31


def days_sql(*, since: date = date(1995, 1, 1)) -> str:
    """Every day from ``since`` (dates of birth go further back) to 2099: ``spelled``
    (YYYY-MM-DD) and ``day``."""
    if since < _FIRST_DAY:
        raise ValueError(f"the calendar starts on {_FIRST_DAY}")
    first = since.isoformat()  # a date, formatted: nothing else reaches the SQL
    return f"SELECT spelled, day FROM desk_calendar_day WHERE day >= date '{first}'"  # noqa: S608
