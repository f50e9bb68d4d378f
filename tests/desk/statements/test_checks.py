"""Checking the staged rows: every reason found in one query and named by its row (after
COPY too, where a padded value is read again rather than refused), the reasons capped with
the full count, and the one check for a row the file repeats."""

from __future__ import annotations

import io

import pytest
from django.db import connection, transaction

from arrears.imports.contributions import import_contributions
from arrears.models import Contribution
from desk.statements.checks import Check, refuse_bad_rows, repeated_in_file
from desk.statements.results import MAX_REASONS, Layout, StatementRefused
from desk.statements.staging import stage
from tests.factories import EmployerFactory
from tests.participants.imports.test_employers import HEADER, employer_line, refused
from tests.statements import statement

pytestmark = pytest.mark.django_db

CODES = Layout(columns=("code", "name"))


def _reasons(data: bytes, *checks: Check) -> list[tuple[int | None, str, str]]:
    """The reasons refuse_bad_rows gives for ``data`` staged as CODES (none: [])."""
    with transaction.atomic(), connection.cursor() as cursor:
        staged = stage(cursor, io.BytesIO(data), CODES)
        try:
            refuse_bad_rows(cursor, staged, source=f"SELECT * FROM {staged.table}", checks=checks)  # noqa: S608
        except StatementRefused as refusal:
            return [(e.line, e.column, e.message) for e in refusal.errors]
        finally:
            transaction.set_rollback(True)
    return []


def _repeat(value: str, first: str | None) -> str:
    return f"«{value}» = {first}"


def _contribution_file(rows: list[str]) -> io.BytesIO:
    return io.BytesIO(
        ("unit_code,period,employees,wage_fund,si,hi,ui,oaod\n" + "".join(rows)).encode()
    )


def test_padded_strict_values_are_trimmed_not_refused() -> None:
    EmployerFactory(unit_code="HB001")
    result = import_contributions(
        _contribution_file([" HB001 , 2025-07,10,50000000, 8750000,1500000,500000,250000 \n"])
    )
    assert result.created == 1
    contribution = Contribution.objects.get()
    assert (contribution.period.isoformat(), contribution.si, contribution.oaod) == (
        "2025-07-01",
        8750000,
        250000,
    )


def test_bad_values_are_named_by_row_after_the_copy() -> None:
    EmployerFactory(unit_code="HB001")
    file = _contribution_file(
        [
            "HB001,2025-07,10,50000000,8750000,1500000,500000,250000\n",
            "HB001,2025-13,10,50000000,8750000,1500000,500000,250000\n",
            "HB002,2025-08,10,50000000,-5,1500000,500000,250000\n",
        ]
    )
    with pytest.raises(StatementRefused) as refused:
        import_contributions(file)
    assert [(error.line, error.column) for error in refused.value.errors] == [
        (3, "period"),
        (4, "unit_code"),
        (4, "si"),
    ]
    assert not Contribution.objects.exists()


def test_reasons_are_capped_with_the_full_count(office_a):  # type: ignore[no-untyped-def]
    lines = [employer_line(f"HB{n:05d}", tax_code="1") for n in range(MAX_REASONS + 50)]
    refusal = refused(statement(HEADER, *lines))
    assert len(refusal.errors) == MAX_REASONS
    assert (refusal.total, refusal.omitted) == (MAX_REASONS + 50, 50)
    assert refusal.lines()[-1] == "… và 50 lỗi khác."


def test_a_repeat_names_the_first_row_with_the_same_keys() -> None:
    data = b"code,name\nA,x\nB,y\nA,z\n,w\n,w\nA,x\n"
    check = repeated_in_file("code", ["code"], _repeat)
    # Blank codes are not repeats (a code is required by a check of its own).
    assert _reasons(data, check) == [(4, "code", "«A» = 2"), (7, "code", "«A» = 2")]
    both = repeated_in_file("name", ["code", "name"], _repeat)
    assert _reasons(data, both) == [(7, "name", "«x» = 2")]


def test_a_repeat_by_keys_computed_from_the_columns_when_the_row_counts() -> None:
    data = b"code,name\nA,x\na,y\nA,z\n,w\n,v\n"
    # Case aside, "a" repeats row 2; row 4 does too, but only rows whose code is not "A"
    # count, blank ones included.
    check = repeated_in_file("code", ["lower(code)"], _repeat, when="r.code <> 'A'")
    assert _reasons(data, check) == [(3, "code", "«a» = 2"), (6, "code", "«» = 5")]
