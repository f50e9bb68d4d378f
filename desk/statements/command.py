"""The ``manage.py import_<kind> FILE`` commands, and the signal each import they run sends."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.dispatch import Signal
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from desk.statements.results import ImportResult, StatementRefused

# Sent by StatementCommand after each import with ``user`` (None: a command), ``importer``
# (the import function's name), ``file`` (its path) and ``outcome`` (the ImportResult, or the
# StatementRefused): the audit trail records it, and desk knows nothing of the audit app.
statement_imported = Signal()


class StatementCommand(BaseCommand):
    """``manage.py import_<kind> FILE``: print the counts, or every reason and exit 1."""

    importer: Callable[..., ImportResult]  # set as staticmethod(import_...)

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help=_("Tệp CSV (UTF-8) hoặc XLSX."))

    def handle(self, *args: object, file: Path, **options: object) -> None:
        if not file.is_file():
            raise CommandError(_("Không tìm thấy tệp %(file)s.") % {"file": file})
        try:
            result = self.importer(file)
        except StatementRefused as refused:
            self._imported(file, refused)
            for line in refused.lines():
                self.stderr.write(line)
            raise CommandError(
                ngettext(
                    "Tệp bị từ chối (%(count)s lỗi); không ghi gì vào cơ sở dữ liệu.",
                    "Tệp bị từ chối (%(count)s lỗi); không ghi gì vào cơ sở dữ liệu.",
                    refused.total,
                )
                % {"count": refused.total}
            ) from None
        self._imported(file, result)
        self.stdout.write(self.style.SUCCESS(result.summary()))

    def _imported(self, file: Path, outcome: ImportResult | StatementRefused) -> None:
        statement_imported.send(
            sender=type(self),
            user=None,
            importer=self.importer.__name__,
            file=str(file),
            outcome=outcome,
        )
