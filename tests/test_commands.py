"""Every management command of the project answers --help with what it does (and builds its
parser without touching the database)."""

from __future__ import annotations

import pytest
from django.core.management import get_commands, load_command_class

APPS = {"accounts", "arrears", "audit", "demo", "desk", "participants", "reports"}
COMMANDS = sorted((name, app) for name, app in get_commands().items() if app in APPS)


def test_the_project_has_its_commands() -> None:
    names = {name for name, _app in COMMANDS}
    assert {"import_employers", "export_report", "run_weekly_jobs", "load_demo"} <= names


@pytest.mark.parametrize(("name", "app"), COMMANDS, ids=[name for name, _app in COMMANDS])
def test_help(name: str, app: str, capsys) -> None:  # type: ignore[no-untyped-def]
    command = load_command_class(app, name)
    with pytest.raises(SystemExit) as exit_:
        command.run_from_argv(["manage.py", name, "--help"])
    assert exit_.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith("usage: manage.py " + name)
    assert command.help and str(command.help).split()[0] in out, name
