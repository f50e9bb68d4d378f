"""manage.py province_summary --from YYYY-MM-DD --to YYYY-MM-DD --format docx|pdf --output FILE

The summary the province asks for (reports/summary), for the whole province."""

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _

from reports.models import ExportRecord
from reports.summary import documents
from reports.summary.periods import SummaryPeriod
from reports.summary.sections import province_summary


class Command(BaseCommand):
    help = "Báo cáo tổng hợp của tỉnh cho một kỳ, ra tệp DOCX hoặc PDF."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--from", dest="start", required=True, help=_("từ ngày, YYYY-MM-DD"))
        parser.add_argument("--to", dest="end", required=True, help=_("đến ngày, YYYY-MM-DD"))
        parser.add_argument("--format", default="docx", help=", ".join(documents.WRITERS))
        parser.add_argument("--output", required=True, help=_("tệp kết quả"))

    def handle(self, *args: Any, **options: Any) -> None:
        fmt = options["format"]
        if fmt not in documents.WRITERS:
            raise CommandError(
                _("Không có định dạng “%(fmt)s”. Các định dạng: %(valid)s.")
                % {"fmt": fmt, "valid": ", ".join(documents.WRITERS)}
            )
        try:
            start, end = date.fromisoformat(options["start"]), date.fromisoformat(options["end"])
        except ValueError as exc:
            raise CommandError(_("Ngày phải có dạng YYYY-MM-DD.")) from exc
        if start > end:
            raise CommandError(_("--from phải trước hoặc bằng --to."))
        period = SummaryPeriod.between(start, end)
        summary = province_summary(period)
        path = options["output"]
        with open(path, "wb") as out:
            documents.write(summary, fmt, out)
        ExportRecord.objects.create(
            report="province_summary",
            params={"from": start.isoformat(), "to": end.isoformat()},
            format=fmt,
            source=ExportRecord.Source.COMMAND,
            status=ExportRecord.Status.DONE,
            filename=documents.filename(summary, fmt),
            finished_at=timezone.now(),
        )
        self.stdout.write(
            _("Đã ghi báo cáo tổng hợp %(label)s vào %(path)s.")
            % {"label": period.label, "path": path}
        )
