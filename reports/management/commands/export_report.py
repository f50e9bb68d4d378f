"""manage.py export_report REPORT --as-of YYYY-MM-DD --format csv|xlsx|pdf --output FILE
[--by office|commune|former_province|ownership|industrial_zone|status]
manage.py export_report REPORT --from YYYY-MM-DD --to YYYY-MM-DD
[--compare previous,year_before] --format ... --output FILE [--by ...]

``--by`` groups the reports that group: aging by any of these, the case pipeline and
effectiveness by area (office, commune, former_province). ``--from``/``--to`` run a report
that counts events for a period instead of up to a day (``--as-of``), and ``--compare`` adds
the period before and the same period a year earlier beside it."""

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _

from reports import exports
from reports.comparison import COMPARISONS, comparable
from reports.forms import period_error
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
        periodic = ", ".join(name for name, report in REPORTS.items() if report.period)
        parser.add_argument(
            "--from", dest="start", help=_("ngày đầu kỳ, YYYY-MM-DD (%s)") % periodic
        )
        parser.add_argument("--to", dest="end", help=_("ngày cuối kỳ, YYYY-MM-DD"))
        parser.add_argument(
            "--compare", help=_("so sánh với: %s (cách nhau dấu phẩy)") % ", ".join(COMPARISONS)
        )

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
        on = _day(options["as_of"]) or timezone.localdate()
        start, compare = None, ()
        if options["start"] or options["end"]:
            on, start, compare = _period(name, options)
        elif options["compare"]:
            raise CommandError(_("--compare chỉ dùng cùng --from và --to."))
        extra = {}
        if options["by"]:
            groupings = REPORTS[name].groupings
            if not groupings:
                raise CommandError(_("Báo cáo “%(name)s” không nhóm theo --by.") % {"name": name})
            if options["by"] not in groupings:
                raise CommandError(_("--by chỉ nhận: %(valid)s.") % {"valid": ", ".join(groupings)})
            extra["by"] = options["by"]

        wanted = exports.Request(name, on, {}, extra, start, compare)
        path = options["output"]
        with open(path, "wb") as out:
            # user=None: the office itself, the whole province.
            count = exports.write(wanted, fmt, out, user=None)
        exports.record(wanted, fmt, user=None, source=ExportRecord.Source.COMMAND, rows=count)
        self.stdout.write(_("Đã ghi %(count)d dòng vào %(path)s.") % {"count": count, "path": path})


def _day(text: str | None) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise CommandError(
            _("Ngày phải có dạng YYYY-MM-DD. Nhận được “%(text)s”.") % {"text": text}
        ) from exc


def _period(name: str, options: dict[str, Any]) -> tuple[date, date, tuple[str, ...]]:
    """The period's last day, its first and the periods compared, checked."""
    if not REPORTS[name].period:
        periodic = ", ".join(n for n, report in REPORTS.items() if report.period)
        raise CommandError(
            _("Báo cáo “%(name)s” không tính theo kỳ; --from/--to dùng cho: %(valid)s.")
            % {"name": name, "valid": periodic}
        )
    if options["as_of"]:
        raise CommandError(_("Dùng --as-of hoặc --from/--to, không dùng cả hai."))
    start, end = _day(options["start"]), _day(options["end"])
    if start is None or end is None:
        raise CommandError(_("Cần cả --from và --to."))
    error = period_error(start, end, timezone.localdate())
    if error:
        raise CommandError(error)
    compare = tuple(c.strip() for c in (options["compare"] or "").split(",") if c.strip())
    unknown = [c for c in compare if c not in COMPARISONS]
    if unknown:
        raise CommandError(_("--compare chỉ nhận: %(valid)s.") % {"valid": ", ".join(COMPARISONS)})
    if compare and not comparable(REPORTS[name]):
        raise CommandError(
            _("Báo cáo “%(name)s” là danh sách, không so sánh theo kỳ.") % {"name": name}
        )
    return end, start, compare
