"""The ``manage.py import_<kind>`` commands: the counts printed, or every reason and exit 1;
and the signal each import they run sends (the audit trail's hook)."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connections

from desk.statements.command import StatementCommand, statement_imported
from desk.statements.results import ImportResult, StatementRefused
from participants.models import Employer
from tests.participants.imports.test_employers import HEADER, employer_line
from tests.statements import run_manage, statement

pytestmark = pytest.mark.django_db


def test_command_prints_counts(tmp_path, capsys, office_a):  # type: ignore[no-untyped-def]
    path = tmp_path / "employers.csv"
    path.write_bytes(statement(HEADER, employer_line("HB00001")).getvalue())
    call_command("import_employers", str(path))
    assert "1 dòng: 1 thêm mới, 0 cập nhật, 0 không đổi." in capsys.readouterr().out
    assert Employer.objects.count() == 1


def test_command_refusal_exits_non_zero_with_every_reason(tmp_path, capsys, monkeypatch, office_a):  # type: ignore[no-untyped-def]
    monkeypatch.setattr(connections, "close_all", lambda: None)  # keep the test's transaction
    path = tmp_path / "employers.csv"
    lines = [HEADER, employer_line("HB00001", tax_code="1"), employer_line("HB00002", status="x")]
    path.write_bytes(statement(*lines).getvalue())
    assert run_manage("import_employers", str(path)) == 1
    err = capsys.readouterr().err
    assert "Dòng 2, cột tax_code: Mã số thuế «1» không hợp lệ" in err
    assert "Dòng 3, cột status: Trạng thái «x» không hợp lệ" in err
    assert "Tệp bị từ chối (2 lỗi); không ghi gì vào cơ sở dữ liệu." in err
    assert not Employer.objects.exists()


def test_each_import_sends_its_outcome(tmp_path, office_a) -> None:  # type: ignore[no-untyped-def]
    sent: list[dict[str, Any]] = []

    def heard(sender: Any, **kwargs: Any) -> None:
        sent.append(kwargs)

    statement_imported.connect(heard)
    try:
        good = tmp_path / "employers.csv"
        good.write_bytes(statement(HEADER, employer_line("HB00001")).getvalue())
        call_command("import_employers", str(good))
        bad = tmp_path / "bad.csv"
        bad.write_bytes(statement(HEADER, employer_line("HB00002", tax_code="1")).getvalue())
        with pytest.raises(CommandError, match="Tệp bị từ chối"):
            call_command("import_employers", str(bad))
    finally:
        statement_imported.disconnect(heard)
    assert [(s["user"], s["importer"], s["file"]) for s in sent] == [
        (None, "import_employers", str(good)),
        (None, "import_employers", str(bad)),
    ]
    assert isinstance(sent[0]["outcome"], ImportResult) and sent[0]["outcome"].created == 1
    assert isinstance(sent[1]["outcome"], StatementRefused) and sent[1]["outcome"].total == 1


def test_a_missing_file_is_refused_before_any_import(tmp_path) -> None:  # type: ignore[no-untyped-def]
    class Command(StatementCommand):
        importer = staticmethod(lambda file: pytest.fail("imported"))

    with pytest.raises(CommandError, match="Không tìm thấy tệp"):
        call_command(Command(), str(tmp_path / "missing.csv"))
