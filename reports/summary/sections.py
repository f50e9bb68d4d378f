"""The province's summary as a list of sections, one small function each.

A section function takes the summary's columns (the period, the one before, the same a
year earlier: ``SummaryPeriod.columns``) and the user whose scope it reads (None: the
province) and returns a ``Section``: a title and lines of figures, one value per column.
The figures are the reports' own: each function calls the report's query
(``reports.queries``) for each column and picks its lines; nothing is computed again here.
Reports read "as of" a day are read on each column's last day (``SummaryPeriod.on``).

A new section is one function and its place in ``SECTIONS``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from arrears.models import Booking, Stage
from desk.replica import stale_reads
from participants.letterhead import provincial_office_name
from reports.queries import (
    case_pipeline,
    case_work,
    collection_plan,
    coverage,
    effectiveness,
    hard_to_collect,
    late_rate,
)
from reports.queries import recovery_by_agency as recovery
from reports.queries.base import share
from reports.summary.periods import SummaryPeriod
from reports.writers import Kind

TITLE = gettext_lazy("Báo cáo tình hình thu, nợ đóng BHXH, BHYT, BHTN")


@dataclass(frozen=True)
class Line:
    label: str
    kind: Kind  # money, count or percent
    values: tuple[Any, ...]  # one per column; None: no figure


@dataclass(frozen=True)
class Section:
    title: str
    lines: tuple[Line, ...]
    note: str = ""


@dataclass(frozen=True)
class Summary:
    office: str
    title: str
    columns: tuple[SummaryPeriod, ...]
    sections: tuple[Section, ...]

    @property
    def period(self) -> SummaryPeriod:
        return self.columns[0]


Columns = Sequence[SummaryPeriod]


def _lines(rows: Sequence[Any], fields: Sequence[tuple[str, Kind, str]]) -> tuple[Line, ...]:
    """One line per field (label, kind, attribute) of each column's row (None: no figure)."""
    return tuple(
        Line(label, kind, tuple(getattr(row, key) if row is not None else None for row in rows))
        for label, kind, key in fields
    )


def _by_label(tables: Sequence[Sequence[Any]], label: Callable[[Any], str]) -> dict[str, list[Any]]:
    """Each label seen in any column's rows (in order of first appearance) with its row per
    column (None where that column has no such row)."""
    found: dict[str, list[Any]] = {}
    for index, rows in enumerate(tables):
        for row in rows:
            found.setdefault(label(row), [None] * len(tables))[index] = row
    return found


def collection_against_plan(columns: Columns, user: User | None) -> Section:
    """The collection-plan report's office months: collected in the period (every office's
    months added up), and on its last day, for the offices that have a plan for the year,
    the plan, what they collected since January and the share of the plan (an office with
    no plan would otherwise count its money against the others' plans)."""
    tables = [collection_plan.collection_plan(on=p.on, user=user, by="office") for p in columns]
    in_period, plans, collected, unplanned = [], [], [], set()
    for p, rows in zip(columns, tables, strict=True):
        in_period.append(sum(r.collected for r in rows if p.start <= r.month <= p.on))
        last = [r for r in rows if (r.month.year, r.month.month) == (p.on.year, p.on.month)]
        planned = [r for r in last if r.plan_year is not None]
        unplanned.update(r.area for r in last if r.plan_year is None)
        plans.append(sum(r.plan_year for r in planned) if planned else None)
        collected.append(sum(r.collected_to_date for r in planned) if planned else None)
    shares = tuple(
        share(c, plan) if plan else None for c, plan in zip(collected, plans, strict=True)
    )
    note = _("Như báo cáo Thu so với kế hoạch, đến ngày cuối kỳ.")
    if unplanned:
        note += " " + _("Chưa có kế hoạch (không tính vào tỷ lệ): %(offices)s.") % {
            "offices": ", ".join(sorted(unplanned))
        }
    return Section(
        _("Thu so với kế hoạch"),
        (
            Line(_("Số đã thu trong kỳ (đồng)"), "money", tuple(in_period)),
            Line(_("Kế hoạch thu cả năm của các cơ sở có kế hoạch (đồng)"), "money", tuple(plans)),
            Line(_("Các cơ sở đó đã thu từ đầu năm (đồng)"), "money", tuple(collected)),
            Line(_("Đạt so với kế hoạch năm"), "percent", shares),
        ),
        note,
    )


def arrears_and_late_rate(columns: Columns, user: User | None) -> Section:
    """The late-rate report's province totals (``late_rate_totals``)."""
    rows = [late_rate.late_rate_totals(late_rate.late_rate(on=p.on, user=user)) for p in columns]
    return Section(
        _("Nợ đóng và tỷ lệ chậm đóng"),
        _lines(
            rows,
            (
                (_("Số phải thu từ đầu năm (đồng)"), "money", "receivable"),
                (_("Số tiền chậm đóng (đồng)"), "money", "arrears"),
                (_("Tỷ lệ chậm đóng"), "percent", "late_rate"),
                (_("Nợ dưới 1 tháng (đồng)"), "money", "under_one_month"),
                (_("Nợ khó thu (đồng)"), "money", "hard_to_collect"),
                (_("Nợ có khả năng thu (đồng)"), "money", "actionable"),
            ),
        ),
        _("Số liệu đến ngày cuối kỳ, như báo cáo Tỷ lệ chậm đóng."),
    )


def hard_to_collect_debt(columns: Columns, user: User | None) -> Section:
    """The hard-to-collect report's two lines for the province on each period's last day
    (a line with no unit: none, 0)."""
    tables = [hard_to_collect.hard_to_collect(on=p.on, user=user, by="province") for p in columns]
    lines: list[Line] = []
    for code, name, _statuses in hard_to_collect.KINDS:
        rows = [next((r for r in rows if r.kind == code), None) for rows in tables]
        for label, key in (
            (_("%(kind)s: số đơn vị") % {"kind": name}, "units"),
            (_("%(kind)s: số nợ (đồng)") % {"kind": name}, "arrears"),
        ):
            kind: Kind = "count" if key == "units" else "money"
            lines.append(Line(label, kind, tuple(getattr(r, key) if r else 0 for r in rows)))
    return Section(
        _("Nợ khó thu"),
        tuple(lines),
        _("Như báo cáo Nợ khó thu, toàn tỉnh, đến ngày cuối kỳ."),
    )


def sessions_and_commitments(columns: Columns, user: User | None) -> Section:
    """The session calendar's counts (employers invited, came, committed there, paid within
    30 days: the dashboard's and the digest's) and the commitments signed in each period
    (``case_work``)."""
    bookings = Booking.objects.all() if user is None else Booking.objects.in_scope(user)
    sessions = [bookings.counts(p.start, p.end) for p in columns]
    work = [case_work.case_work(start=p.start, end=p.end, user=user) for p in columns]
    return Section(
        _("Làm việc với đơn vị và cam kết trả nợ"),
        _lines(
            sessions,
            (
                (_("Đơn vị được mời làm việc"), "count", "invited"),
                (_("Đơn vị đến làm việc"), "count", "came"),
                (_("Đơn vị ký cam kết tại buổi làm việc"), "count", "committed"),
                (
                    _("Đơn vị đã nộp tiền trong 30 ngày sau buổi làm việc"),
                    "count",
                    "paid_within_30_days",
                ),
            ),
        )
        + _lines(
            work,
            (
                (_("Số buổi làm việc ghi ở hồ sơ"), "count", "working_sessions"),
                (_("Số cam kết trả nợ đã ký"), "count", "commitments"),
                (_("Số tiền cam kết trả (đồng)"), "money", "committed"),
            ),
        ),
    )


def recovery_by_agency_kind(columns: Columns, user: User | None) -> Section:
    """The recovery-by-agency report grouped by kind of organisation, with its totals."""
    tables = [
        recovery.recovery_by_agency(on=p.on, start=p.start, user=user, by="kind") for p in columns
    ]
    totals = [recovery.recovery_totals(rows) for rows in tables]
    lines: list[Line] = []
    for kind, values in _by_label(tables, lambda r: r.agency_name).items():
        lines.extend(
            _lines(
                values,
                (
                    (_("%(kind)s: số đơn vị") % {"kind": kind}, "count", "units"),
                    (
                        _("%(kind)s: số nợ khi chuyển (đồng)") % {"kind": kind},
                        "money",
                        "arrears_at_referral",
                    ),
                    (_("%(kind)s: đã thu hồi (đồng)") % {"kind": kind}, "money", "recovered"),
                    (_("%(kind)s: tỷ lệ thu hồi") % {"kind": kind}, "percent", "recovery_rate"),
                ),
            )
        )
    lines.extend(
        _lines(
            totals,
            (
                (_("Cộng: số nợ khi chuyển (đồng)"), "money", "arrears_at_referral"),
                (_("Cộng: đã thu hồi (đồng)"), "money", "recovered"),
                (_("Cộng: tỷ lệ thu hồi"), "percent", "recovery_rate"),
            ),
        )
    )
    return Section(
        _("Phối hợp thu hồi nợ theo loại cơ quan"),
        tuple(lines),
        _(
            "Các đề nghị gửi trong kỳ và số đã thu hồi đến ngày cuối kỳ, như báo cáo Kết quả "
            "thu hồi nợ qua phối hợp cho một kỳ; dòng cộng tính mỗi đơn vị một lần."
        ),
    )


def inspections_and_fines(columns: Columns, user: User | None) -> Section:
    """Inspections and sanction decisions in each period (``case_work``), and what the
    effectiveness report says they brought back."""
    work = [case_work.case_work(start=p.start, end=p.end, user=user) for p in columns]
    lines = list(
        _lines(
            work,
            (
                (_("Số cuộc thanh tra, kiểm tra"), "count", "inspections"),
                (_("Số quyết định xử phạt"), "count", "penalty_decisions"),
                (_("Số tiền phạt (đồng)"), "money", "fines"),
            ),
        )
    )
    actions = [
        [
            r
            for r in effectiveness.effectiveness(on=p.on, user=user)
            # The "by action" rows (a stage bears the inspection's name too).
            if r.section == _("Theo biện pháp")
            and r.group in (_("Thanh tra, kiểm tra"), _("Quyết định xử phạt"))
        ]
        for p in columns
    ]
    for group, values in _by_label(actions, lambda r: r.group).items():
        lines.extend(
            _lines(
                values,
                (
                    (_("%(action)s: số đơn vị (lũy kế)") % {"action": group}, "count", "units"),
                    (_("%(action)s: đã thu hồi (đồng)") % {"action": group}, "money", "recovered"),
                    (
                        _("%(action)s: tỷ lệ thu hồi") % {"action": group},
                        "percent",
                        "recovery_rate",
                    ),
                ),
            )
        )
    return Section(_("Thanh tra, kiểm tra và xử phạt"), tuple(lines))


def criminal_referrals(columns: Columns, user: User | None) -> Section:
    """Referrals to the police and cases moved to the police or prosecuted in each period
    (``case_work``); the cases at those stages on the period's last day (case pipeline)."""
    work = [case_work.case_work(start=p.start, end=p.end, user=user) for p in columns]
    lines = list(
        _lines(
            work,
            (
                (_("Số hồ sơ chuyển cơ quan phối hợp"), "count", "referrals"),
                (_("Trong đó chuyển cơ quan công an"), "count", "police_referrals"),
                (
                    _("Số hồ sơ chuyển sang bước Chuyển cơ quan công an"),
                    "count",
                    "criminal_referrals",
                ),
                (_("Số hồ sơ chuyển sang bước Khởi tố"), "count", "prosecutions"),
            ),
        )
    )
    pipelines = [case_pipeline.case_pipeline(on=p.on, user=user) for p in columns]
    for stage in (Stage.CRIMINAL_REFERRAL, Stage.PROSECUTION):
        # The report's own totals over its rows at that stage (one per office).
        rows = [
            case_pipeline.pipeline_totals([r for r in rows if r.stage == stage.value])
            for rows in pipelines
        ]
        name = {"stage": stage.label}
        lines.extend(
            _lines(
                rows,
                (
                    (_("Đang ở bước %(stage)s: số hồ sơ") % name, "count", "cases"),
                    (
                        _("Đang ở bước %(stage)s: số nợ khi mở (đồng)") % name,
                        "money",
                        "arrears_at_opening",
                    ),
                    (_("Đang ở bước %(stage)s: đã thu hồi (đồng)") % name, "money", "recovered"),
                ),
            )
        )
    return Section(_("Chuyển cơ quan công an, khởi tố"), tuple(lines))


def case_stages(columns: Columns, user: User | None) -> Section:
    """The case pipeline's totals on each period's last day."""
    rows = [
        case_pipeline.pipeline_totals(case_pipeline.case_pipeline(on=p.on, user=user))
        for p in columns
    ]
    return Section(
        _("Hồ sơ thu nợ"),
        _lines(
            rows,
            (
                (_("Số hồ sơ đang mở"), "count", "cases"),
                (_("Số nợ khi mở hồ sơ (đồng)"), "money", "arrears_at_opening"),
                (_("Đã thu hồi từ khi mở (đồng)"), "money", "recovered"),
                (_("Tỷ lệ thu hồi"), "percent", "recovery_rate"),
            ),
        ),
    )


def coverage_against_plan(columns: Columns, user: User | None) -> Section:
    """The coverage report's province row for each period's year or quarter."""
    choices = coverage.periods(user)
    rows, read = [], []
    for p in columns:
        chosen = p.coverage_period(choices)
        found = coverage.coverage_rows(on=p.on, user=user, period=chosen) if chosen else []
        rows.append(next((r for r in found if r.is_total), None))
        used = chosen.label if chosen else _("chưa có số liệu")
        read.append(f"{p.label}: {used}")
    return Section(
        _("Bao phủ BHXH, BHTN, BHYT"),
        _lines(
            rows,
            (
                (_("BHXH bắt buộc (người)"), "count", "compulsory_si"),
                (_("BHXH tự nguyện (người)"), "count", "voluntary_si"),
                (_("Tổng BHXH (người)"), "count", "si"),
                (_("BHXH: % kế hoạch"), "percent", "si_of_plan"),
                (_("BHXH: % lực lượng lao động"), "percent", "si_of_labour_force"),
                (_("BHTN (người)"), "count", "ui"),
                (_("BHTN: % kế hoạch"), "percent", "ui_of_plan"),
                (_("BHTN: % lực lượng lao động"), "percent", "ui_of_labour_force"),
                (_("BHYT (người)"), "count", "hi"),
                (_("BHYT: % kế hoạch"), "percent", "hi_of_plan"),
                (_("BHYT: % dân số"), "percent", "hi_of_population"),
            ),
        ),
        _("Số liệu bao phủ đã dùng cho từng cột: %(read)s.") % {"read": "; ".join(read)},
    )


# The summary's sections in order.
SECTIONS: tuple[Callable[[Columns, User | None], Section], ...] = (
    collection_against_plan,
    arrears_and_late_rate,
    hard_to_collect_debt,
    sessions_and_commitments,
    recovery_by_agency_kind,
    inspections_and_fines,
    criminal_referrals,
    case_stages,
    coverage_against_plan,
)


@stale_reads()  # period figures: a replica's lag is fine
def province_summary(period: SummaryPeriod, user: User | None = None) -> Summary:
    """The summary for ``period``, with its comparison columns, as ``user`` sees it."""
    columns = period.columns
    return Summary(
        office=provincial_office_name(),
        title=str(TITLE),
        columns=columns,
        sections=tuple(section(columns, user) for section in SECTIONS),
    )
