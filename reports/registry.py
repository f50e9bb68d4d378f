"""The registry of reports: each one's query, columns, totals, page and note, in one place.

A new report is one ``Report`` entry here; the pages (``reports.urls``), the exports and
``manage.py export_report`` list them from ``REPORTS``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import Agency
from participants.models import Employer
from reports.queries import (
    aging,
    case_pipeline,
    collection_plan,
    coverage,
    effectiveness,
    employer_balances,
    hard_to_collect,
    late_rate,
    publication,
    recovery_by_agency,
    reminders,
    union_suits,
)
from reports.queries.base import AREAS, BUCKET_LABELS
from reports.writers import Column, Report, summed

CHIEF_ACCOUNTANT = gettext_lazy("KẾ TOÁN TRƯỞNG")
STATUSES = dict(Employer.Status.choices)
AGENCY_KINDS = dict(Agency.Kind.choices)
# The totals row's code in recovery_by_agency's CSV ("total"), shown as nothing on screen.
TOTAL_CODE = {"total": ""}


BALANCE_SUMS = ("employees", "arrears", "interest")


def _reminder_totals(rows: Sequence[Any]) -> dict[str, Any] | None:
    if not rows:
        return None
    return {
        "name": _("Tổng cộng: %(count)s văn bản, %(units)s đơn vị")
        % {"count": len(rows), "units": len({r.unit_code for r in rows})},
        "arrears": sum(r.arrears for r in rows),
        "interest": sum(r.interest for r in rows),
    }


def _union_suit_totals(rows: Sequence[Any]) -> dict[str, Any] | None:
    if not rows:
        return None
    return {
        "name": _("Tổng cộng"),
        **{
            key: sum(getattr(r, key) for r in rows)
            for key in ("workers", "amount_due", "arrears", "interest")
        },
    }


def _publication_totals(rows: Sequence[Any]) -> dict[str, Any]:
    return {"name": _("Tổng cộng"), "arrears": sum(r.arrears for r in rows)}


def _money(key: str, label: Promise, width: int = 18) -> Column:
    return Column(key, label, "money", width)


def _count(key: str, label: Promise, width: int = 10) -> Column:
    return Column(key, label, "count", width)


def _rate(key: str, label: Promise, width: int = 11) -> Column:
    return Column(key, label, "percent", width)


REPORTS: dict[str, Report] = {
    "employer_balances": Report(
        title=gettext_lazy("Số tiền chậm đóng BHXH, BHYT, BHTN theo đơn vị"),
        columns=(
            Column("unit_code", gettext_lazy("Mã đơn vị"), width=12),
            Column("name", gettext_lazy("Tên đơn vị"), width=36),
            Column("office", gettext_lazy("BHXH cơ sở"), width=18),
            Column("commune", gettext_lazy("Xã/phường"), width=16),
            Column("status", gettext_lazy("Trạng thái"), width=16, labels=STATUSES),
            Column("employees", gettext_lazy("Số lao động"), "count", width=10),
            Column("arrears", gettext_lazy("Số tiền chậm đóng (đồng)"), "money", width=18),
            Column("months_in_arrears", gettext_lazy("Số tháng chậm đóng"), "count", width=10),
            Column("oldest_unpaid_period", gettext_lazy("Kỳ nợ sớm nhất"), "month", width=12),
            Column("interest", gettext_lazy("Tiền lãi chậm đóng (đồng)"), "money", width=18),
            Column("bucket", gettext_lazy("Nhóm tuổi nợ"), width=18, labels=BUCKET_LABELS),
        ),
        rows=employer_balances.employer_balances,
        totals=lambda rows: summed(rows, BALANCE_SUMS),
        stream=employer_balances.streamed_balances,
        sums=BALANCE_SUMS,
        size=employer_balances.employer_count,
        slug="no-theo-don-vi",
        note=gettext_lazy(
            "Số tiền chậm đóng: phần chưa nộp của các khoản phải đóng đã quá hạn, tính các "
            "khoản nộp đến hết ngày báo cáo. Số lao động: theo kỳ phải đóng gần nhất. Nhóm tuổi "
            "nợ theo số tháng chậm đóng (trong tệp CSV: under_3 dưới 3 tháng, 3_to_6, 6_to_12, "
            "12_plus từ 12 tháng trở lên)."
        ),
        countersign=CHIEF_ACCOUNTANT,
    ),
    "aging": Report(
        title=gettext_lazy("Tuổi nợ chậm đóng BHXH, BHYT, BHTN"),
        columns=(
            Column("group", gettext_lazy("Nhóm"), width=26),
            _count("employers_in_arrears", gettext_lazy("Số đơn vị nợ")),
            _count("workers", gettext_lazy("Số lao động bị ảnh hưởng"), 12),
            _money("under_3", gettext_lazy("Nợ dưới 3 tháng (đồng)")),
            _money("from_3_to_6", gettext_lazy("Nợ từ 3 đến dưới 6 tháng (đồng)")),
            _money("from_6_to_12", gettext_lazy("Nợ từ 6 đến dưới 12 tháng (đồng)")),
            _money("over_12", gettext_lazy("Nợ từ 12 tháng trở lên (đồng)")),
            _money("arrears", gettext_lazy("Tổng số nợ (đồng)")),
            _money("interest", gettext_lazy("Tiền lãi chậm đóng (đồng)")),
        ),
        rows=aging.aging,
        totals=aging.aging_totals,
        slug="tuoi-no",
        groupings=aging.GROUPINGS,
        note=gettext_lazy(
            "Mỗi đơn vị nợ xếp vào một nhóm tuổi nợ theo số tháng chậm đóng. Số lao động bị ảnh "
            "hưởng: lao động của các đơn vị đang nợ, theo kỳ phải đóng gần nhất. Tiền lãi: của "
            "mọi đơn vị trong nhóm (cả đơn vị đã nộp đủ nhưng nộp chậm)."
        ),
        countersign=CHIEF_ACCOUNTANT,
    ),
    "recovery_by_agency": Report(
        title=gettext_lazy("Kết quả thu hồi nợ qua phối hợp với các cơ quan"),
        columns=(
            Column(
                "agency", gettext_lazy("Mã cơ quan"), width=20, labels=TOTAL_CODE, for_machines=True
            ),
            Column("agency_kind", gettext_lazy("Loại cơ quan"), width=22, labels=AGENCY_KINDS),
            Column("agency_name", gettext_lazy("Cơ quan phối hợp"), width=36),
            _count("units", gettext_lazy("Số đơn vị")),
            _count("workers", gettext_lazy("Số lao động")),
            _money("arrears_at_referral", gettext_lazy("Số nợ khi chuyển (đồng)")),
            _money("recovered", gettext_lazy("Số đã thu hồi (đồng)")),
            _rate("recovery_rate", gettext_lazy("Tỷ lệ thu hồi")),
        ),
        rows=recovery_by_agency.recovery_by_agency,
        totals=recovery_by_agency.recovery_totals,
        slug="thu-hoi-theo-co-quan",
        groupings=recovery_by_agency.GROUPINGS,
        liaisons=True,
        period=True,
        csv_totals=True,
        note=gettext_lazy(
            "Các hồ sơ đã chuyển đến ngày báo cáo (hoặc trong kỳ báo cáo). Mỗi đơn vị tính một "
            "lần ở mỗi cơ quan, theo lần chuyển đầu tiên đến cơ quan đó trong kỳ; dòng tổng cộng "
            "tính mỗi đơn vị một lần, theo lần chuyển đầu tiên trong kỳ. Số nợ khi chuyển: số "
            "tiền chậm đóng tại ngày chuyển. Số đã thu hồi: số nhỏ hơn giữa số nợ khi chuyển và "
            "số đơn vị đã nộp sau ngày chuyển đến ngày cuối kỳ (ngày báo cáo). Số lao động: theo "
            "lần chuyển đó."
        ),
    ),
    "case_pipeline": Report(
        title=gettext_lazy("Hồ sơ thu nợ theo bước xử lý và địa bàn"),
        columns=(
            Column("area", gettext_lazy("Địa bàn"), width=22),
            Column("stage", gettext_lazy("Mã bước"), width=16, for_machines=True),
            Column("stage_name", gettext_lazy("Bước"), width=24),
            _count("cases", gettext_lazy("Số hồ sơ")),
            _money("arrears_at_opening", gettext_lazy("Số nợ khi mở hồ sơ (đồng)")),
            _money("recovered", gettext_lazy("Đã thu hồi từ khi mở (đồng)")),
            _rate("recovery_rate", gettext_lazy("Tỷ lệ thu hồi")),
        ),
        rows=case_pipeline.case_pipeline,
        totals=case_pipeline.pipeline_totals,
        slug="ho-so-theo-buoc",
        period=True,
        groupings=AREAS,
        note=gettext_lazy(
            "Các hồ sơ mở đến ngày báo cáo, theo bước hiện tại. Đã thu hồi: với mỗi hồ sơ, số "
            "nhỏ hơn giữa số nợ khi mở và số đơn vị đã nộp sau ngày mở đến ngày báo cáo. "
            "Theo kỳ: các hồ sơ mở trong kỳ, số đã thu hồi đến ngày cuối kỳ."
        ),
    ),
    "reminders": Report(
        title=gettext_lazy("Thông báo đôn đốc và giấy mời làm việc trong tuần"),
        columns=(
            Column("cycle", gettext_lazy("Tuần"), width=10),
            Column("unit_code", gettext_lazy("Mã đơn vị"), width=12),
            Column("name", gettext_lazy("Tên đơn vị"), width=36),
            Column("office", gettext_lazy("BHXH cơ sở"), width=18),
            Column("kind", gettext_lazy("Loại"), width=18),
            Column("channel", gettext_lazy("Hình thức"), width=12),
            Column("status", gettext_lazy("Tình trạng"), width=10),
            _money("arrears", gettext_lazy("Số nợ (đồng)")),
            _count("months_in_arrears", gettext_lazy("Số tháng nợ")),
            _money("interest", gettext_lazy("Tiền lãi (đồng)")),
            Column("sent_on", gettext_lazy("Ngày gửi"), "date", 12),
        ),
        rows=reminders.reminders,
        totals=_reminder_totals,
        size=reminders.reminder_count,
        slug="thong-bao-tuan",
        period=True,
        note=gettext_lazy(
            "Các thông báo đôn đốc và giấy mời làm việc của tuần (theo ISO) chứa ngày báo cáo, "
            "với số liệu nêu trong văn bản. "
            "Theo kỳ: các thông báo và giấy mời của các tuần có số liệu tính trong kỳ."
        ),
    ),
    "publication": Report(
        title=gettext_lazy("Danh sách đơn vị chậm đóng, trốn đóng BHXH, BHYT, BHTN"),
        columns=(
            Column("unit_code", gettext_lazy("Mã đơn vị"), width=12),
            Column("name", gettext_lazy("Tên đơn vị"), width=40),
            Column("tax_code", gettext_lazy("Mã số thuế"), width=14),
            Column("address", gettext_lazy("Địa chỉ"), width=32),
            Column("office", gettext_lazy("BHXH cơ sở"), width=18),
            _money("arrears", gettext_lazy("Số tiền chậm đóng (đồng)")),
            _count("months_in_arrears", gettext_lazy("Số tháng chậm đóng")),
            Column("oldest_unpaid_period", gettext_lazy("Kỳ nợ sớm nhất"), "month", 12),
            Column("violation", gettext_lazy("Hành vi"), width=12),
            _count("evasion_months", gettext_lazy("Số kỳ trốn đóng")),
        ),
        rows=publication.publication,
        totals=_publication_totals,
        size=employer_balances.employer_count,
        slug="cong-khai",
        note=gettext_lazy(
            "Công khai theo Nghị định 274/2025/NĐ-CP. Trốn đóng: có khoản quá hạn hơn 60 ngày "
            "vẫn chưa nộp sau khi đã được đôn đốc bằng văn bản (trừ trường hợp bất khả kháng đã "
            "được chấp nhận); còn lại là chậm đóng."
        ),
    ),
    "union_suits": Report(
        title=gettext_lazy("Danh sách đơn vị đề nghị Công đoàn khởi kiện"),
        columns=(
            Column("unit_code", gettext_lazy("Mã đơn vị"), width=12),
            Column("name", gettext_lazy("Tên đơn vị"), width=36),
            Column("tax_code", gettext_lazy("Mã số thuế"), width=14),
            Column("address", gettext_lazy("Địa chỉ"), width=30),
            Column("reference", gettext_lazy("Số văn bản chuyển"), width=14),
            Column("sent_on", gettext_lazy("Ngày chuyển"), "date", 12),
            _count("workers", gettext_lazy("Số lao động")),
            _money("amount_due", gettext_lazy("Số phải đóng (đồng)")),
            _money("arrears", gettext_lazy("Số chậm đóng (đồng)")),
            _count("months_in_arrears", gettext_lazy("Thời gian chậm đóng (tháng)")),
            Column("oldest_unpaid_period", gettext_lazy("Chậm từ kỳ"), "month", 12),
            _money("interest", gettext_lazy("Tiền lãi chậm đóng (đồng)")),
        ),
        rows=union_suits.union_suits,
        totals=_union_suit_totals,
        slug="cong-doan-khoi-kien",
        period=True,
        liaisons=True,
        note=gettext_lazy(
            "Các đơn vị đã chuyển Liên đoàn Lao động tỉnh để khởi kiện thay người lao động: số "
            "phải đóng đã quá hạn, số chậm đóng, thời gian chậm đóng và tiền lãi đến ngày báo cáo. "
            "Theo kỳ: các đơn vị chuyển trong kỳ, số liệu đến ngày cuối kỳ."
        ),
    ),
    "late_rate": Report(
        title=gettext_lazy("Tỷ lệ chậm đóng và số nợ có khả năng thu"),
        columns=(
            Column("area", gettext_lazy("Địa bàn"), width=24),
            _money("receivable", gettext_lazy("Số phải thu từ đầu năm (đồng)")),
            _money("arrears", gettext_lazy("Số tiền chậm đóng (đồng)")),
            _rate("late_rate", gettext_lazy("Tỷ lệ chậm đóng")),
            _money("under_one_month", gettext_lazy("Nợ dưới 1 tháng (đồng)")),
            _money("hard_to_collect", gettext_lazy("Nợ khó thu (đồng)")),
            _money("actionable", gettext_lazy("Nợ có khả năng thu (đồng)")),
            _rate("actionable_rate", gettext_lazy("Tỷ lệ nợ có khả năng thu")),
        ),
        rows=late_rate.late_rate,
        totals=late_rate.late_rate_totals,
        slug="ty-le-cham-dong",
        period=True,
        note=gettext_lazy(
            "Tỷ lệ chậm đóng = số tiền chậm đóng / số phải thu từ đầu năm (các khoản có hạn đóng "
            "từ 31/12 năm trước đến trước ngày báo cáo). Nợ có khả năng thu = tổng nợ trừ nợ "
            "dưới 1 tháng (phần chưa nộp của các khoản quá hạn chưa đủ 1 tháng) và nợ khó thu "
            "(đơn vị tạm ngừng, chờ giải thể, đã giải thể, phá sản, chủ bỏ trốn). "
            "Theo kỳ: số phải thu là các khoản có hạn đóng trôi qua trong kỳ, số tiền chậm đóng "
            "tính đến ngày cuối kỳ."
        ),
        countersign=CHIEF_ACCOUNTANT,
    ),
    "effectiveness": Report(
        title=gettext_lazy("Hiệu quả các biện pháp thu hồi nợ"),
        columns=(
            Column("section", gettext_lazy("Phân theo"), width=16),
            Column("group", gettext_lazy("Nhóm"), width=36),
            _count("units", gettext_lazy("Số hồ sơ, đơn vị"), 12),
            _money("arrears_at_start", gettext_lazy("Số nợ ban đầu (đồng)")),
            _money("recovered", gettext_lazy("Đã thu hồi (đồng)")),
            _rate("recovery_rate", gettext_lazy("Tỷ lệ thu hồi")),
            _rate("paid_in_full_30", gettext_lazy("Nộp đủ trong 30 ngày"), 12),
            _rate("paid_in_full_90", gettext_lazy("Nộp đủ trong 90 ngày"), 12),
        ),
        rows=effectiveness.effectiveness,
        slug="hieu-qua",
        period=True,
        groupings=AREAS,
        note=gettext_lazy(
            "Theo cán bộ, địa bàn (BHXH cơ sở, xã/phường hoặc tỉnh cũ), bước: các hồ sơ mở "
            "đến ngày báo cáo; số nợ ban đầu là số nợ khi mở. Theo biện pháp: mỗi đơn vị tính "
            "một lần, ở lần đầu áp dụng biện pháp khi đang nợ; số nợ ban đầu là số nợ ngày đó. "
            "Đã thu hồi: số nhỏ hơn giữa số nợ ban đầu và số đã nộp sau đó đến ngày báo cáo. "
            "Nộp đủ trong 30 (90) ngày: tỷ lệ đơn vị nộp đủ số nợ ban đầu trong 30 (90) ngày "
            "sau đó, trong số đã qua đủ 30 (90) ngày. "
            "Theo kỳ: các hồ sơ mở và các biện pháp áp dụng lần đầu trong kỳ, số đã thu hồi đến "
            "ngày cuối kỳ."
        ),
    ),
    "coverage": Report(
        title=gettext_lazy("Tình hình bao phủ BHXH, BHTN, BHYT"),
        columns=(
            Column("period", gettext_lazy("Kỳ"), width=12),
            Column("area", gettext_lazy("Địa bàn"), width=22),
            _count("compulsory_si", gettext_lazy("BHXH bắt buộc (người)"), 12),
            _rate("compulsory_si_of_plan", gettext_lazy("BHXH bắt buộc: % kế hoạch"), 11),
            _count("voluntary_si", gettext_lazy("BHXH tự nguyện (người)"), 12),
            _rate("voluntary_si_of_plan", gettext_lazy("BHXH tự nguyện: % kế hoạch"), 11),
            _count("si", gettext_lazy("Tổng BHXH (người)"), 12),
            _rate("si_of_plan", gettext_lazy("BHXH: % kế hoạch"), 11),
            _rate("si_of_labour_force", gettext_lazy("BHXH: % lực lượng lao động"), 12),
            _count("si_change", gettext_lazy("BHXH: tăng/giảm so với kỳ trước"), 12),
            _count("ui", gettext_lazy("BHTN (người)"), 12),
            _rate("ui_of_plan", gettext_lazy("BHTN: % kế hoạch"), 11),
            _rate("ui_of_labour_force", gettext_lazy("BHTN: % lực lượng lao động"), 12),
            _count("ui_change", gettext_lazy("BHTN: tăng/giảm so với kỳ trước"), 12),
            _count("hi", gettext_lazy("BHYT (người)"), 12),
            _rate("hi_of_plan", gettext_lazy("BHYT: % kế hoạch"), 11),
            _rate("hi_of_population", gettext_lazy("BHYT: % dân số"), 11),
            _count("hi_change", gettext_lazy("BHYT: tăng/giảm so với kỳ trước"), 12),
            _count("labour_force", gettext_lazy("Lực lượng lao động trong độ tuổi"), 14),
            _count("population", gettext_lazy("Dân số"), 12),
        ),
        rows=coverage.coverage_rows,
    ),
    "collection_plan": Report(
        title=gettext_lazy("Kết quả thu so với kế hoạch và tỷ lệ chậm đóng theo tháng"),
        columns=(
            Column("area", gettext_lazy("Địa bàn"), width=22),
            Column("month", gettext_lazy("Tháng"), "month", 10),
            _money("plan_year", gettext_lazy("Kế hoạch năm (đồng)")),
            _money("plan_month", gettext_lazy("Kế hoạch tháng (đồng)")),
            _money("collected", gettext_lazy("Thu trong tháng (đồng)")),
            _money("collected_to_date", gettext_lazy("Thu lũy kế từ đầu năm (đồng)")),
            _rate("of_plan", gettext_lazy("% kế hoạch năm")),
            _money("plan_to_date", gettext_lazy("Kế hoạch lũy kế (đồng)")),
            _rate("of_plan_to_date", gettext_lazy("% kế hoạch lũy kế")),
            _money("due", gettext_lazy("Số phải thu đã đến hạn (đồng)")),
            _money("arrears", gettext_lazy("Số tiền chậm đóng (đồng)")),
            _rate("late_rate", gettext_lazy("Tỷ lệ chậm đóng")),
        ),
        rows=collection_plan.collection_plan,
        slug="ke-hoach-thu",
        groupings=collection_plan.GROUPINGS,
        note=gettext_lazy(
            "Thu: phần các khoản nộp trong tháng (từ đầu năm) dùng để trả số phải đóng, không "
            "gồm tiền lãi, theo BHXH cơ sở quản lý đơn vị. Kế hoạch: kế hoạch năm của BHXH cơ "
            "sở; kế hoạch tháng khi có phân bổ theo tháng. Số phải thu: các khoản có hạn đóng "
            "từ 31/12 năm trước đến trước cuối tháng (hoặc ngày báo cáo); số tiền chậm đóng "
            "tính đến ngày đó; tỷ lệ chậm đóng = số tiền chậm đóng / số phải thu."
        ),
        countersign=CHIEF_ACCOUNTANT,
    ),
    "hard_to_collect": Report(
        title=gettext_lazy("Nợ khó thu: đơn vị tạm ngừng, chờ giải thể, đã giải thể, phá sản"),
        columns=(
            Column("area", gettext_lazy("Địa bàn"), width=22),
            Column("kind", gettext_lazy("Mã nhóm"), width=12),
            Column("kind_name", gettext_lazy("Nhóm"), width=34),
            _count("units", gettext_lazy("Số đơn vị nợ")),
            _count("workers", gettext_lazy("Số lao động")),
            _money("arrears", gettext_lazy("Số tiền chậm đóng (đồng)")),
            _money("interest_outstanding", gettext_lazy("Tiền lãi còn nợ (đồng)")),
        ),
        rows=hard_to_collect.hard_to_collect,
        totals=hard_to_collect.hard_to_collect_totals,
        slug="no-kho-thu",
        groupings=hard_to_collect.GROUPINGS,
        note=gettext_lazy(
            "Các đơn vị đang nợ tại ngày báo cáo, theo trạng thái: tạm ngừng hoạt động hoặc chờ "
            "giải thể; đã giải thể, phá sản hoặc chủ bỏ trốn. Số lao động: theo kỳ phải đóng "
            "gần nhất."
        ),
        countersign=CHIEF_ACCOUNTANT,
    ),
}

# Rule 12: the same reports with the interest still owed as a column of its own (the
# reports above keep their columns and files as they were).
_OUTSTANDING = Column(
    "interest_outstanding", gettext_lazy("Tiền lãi còn nợ (đồng)"), "money", width=18
)
REPORTS["employer_balances_interest"] = replace(
    REPORTS["employer_balances"],
    title=gettext_lazy("Số tiền chậm đóng và tiền lãi còn nợ theo đơn vị"),
    columns=(
        *REPORTS["employer_balances"].columns[:-1],
        _OUTSTANDING,
        REPORTS["employer_balances"].columns[-1],
    ),
    totals=lambda rows: summed(rows, (*BALANCE_SUMS, "interest_outstanding")),
    sums=(*BALANCE_SUMS, "interest_outstanding"),
    slug="no-va-lai-theo-don-vi",
)
REPORTS["aging_interest"] = replace(
    REPORTS["aging"],
    title=gettext_lazy("Tuổi nợ chậm đóng và tiền lãi còn nợ"),
    columns=(*REPORTS["aging"].columns, _OUTSTANDING),
    slug="tuoi-no-va-lai",
)
