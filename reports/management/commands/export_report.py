"""manage.py export_report REPORT --as-of YYYY-MM-DD --format csv|xlsx|pdf --output FILE
[--by office|commune|former_province|ownership|industrial_zone|status]

``--by`` groups the reports that group: aging by any of these, the case pipeline and
effectiveness by area (office, commune, former_province)."""

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _

from reports import exports
from reports.models import ExportRecord
from reports.registry import REPORTS
from reports.writers import WRITERS


class Command(BaseCommand):
    help = "Xuất một báo cáo của toàn tỉnh ra tệp CSV, XLSX hoặc PDF."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("report", help=", ".join(REPORTS))
        parser.add_argument("--as-of", help=_("ngày tính số liệu, YYYY-MM-DD (mặc định: hôm nay)"))
        parser.add_argument("--format", default="csv", help=", ".join(WRITERS))
        parser.add_argument("--output", required=True, help=_("tệp kết quả"))
        grouped = ", ".join(
            f"{name} ({'|'.join(report.groupings)})"
            for name, report in REPORTS.items()
            if report.groupings
        )
        parser.add_argument("--by", help=_("nhóm theo: %s") % grouped)

    def handle(self, *args: Any, **options: Any) -> None:
        name, fmt = options["report"], options["format"]
        if name not in REPORTS:
            raise CommandError(
                _("Không có báo cáo “%(name)s”. Các báo cáo: %(valid)s.")
                % {"name": name, "valid": ", ".join(REPORTS)}
            )
        if fmt not in WRITERS:
            raise CommandError(
                _("Không có định dạng “%(fmt)s”. Các định dạng: %(valid)s.")
                % {"fmt": fmt, "valid": ", ".join(WRITERS)}
            )
        try:
            on = date.fromisoformat(options["as_of"]) if options["as_of"] else timezone.localdate()
        except ValueError as exc:
            raise CommandError(_("Ngày phải có dạng YYYY-MM-DD.")) from exc
        extra = {}
        if options["by"]:
            groupings = REPORTS[name].groupings
            if not groupings:
                raise CommandError(_("Báo cáo “%(name)s” không nhóm theo --by.") % {"name": name})
            if options["by"] not in groupings:
                raise CommandError(_("--by chỉ nhận: %(valid)s.") % {"valid": ", ".join(groupings)})
            extra["by"] = options["by"]

        wanted = exports.Request(name, on, {}, extra)
        path = options["output"]
        with open(path, "wb") as out:
            # user=None: the office itself, the whole province.
            count = exports.write(wanted, fmt, out, user=None)
        exports.record(wanted, fmt, user=None, source=ExportRecord.Source.COMMAND, rows=count)
        self.stdout.write(_("Đã ghi %(count)d dòng vào %(path)s.") % {"count": count, "path": path})
