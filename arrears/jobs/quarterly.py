"""Decree 274's quarterly list of late and evading employers: the workbook, kept with its run,
and its delivery to the liaisons of the state management and inspection agencies (each once
per quarter, recorded on the quarter's JobRun)."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import date
from io import BytesIO
from pathlib import Path

from django.core.mail import EmailMessage
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from accounts.models import Agency, User
from arrears.balances import BalanceRow
from arrears.jobs.jobrun import record_served, served
from arrears.models import JobRun
from desk.spreadsheets import Book
from participants.letterhead import provincial_office_name
from participants.models import Employer

log = logging.getLogger(__name__)

# Decree 274: the state management and inspection agencies that get the quarterly list.
STATE_AGENCIES = (
    Agency.Kind.LABOUR_INSPECTORATE,
    Agency.Kind.IZ_BOARD,
    Agency.Kind.TAX,
    Agency.Kind.PEOPLES_COMMITTEE,
)


def artifact_name(run: JobRun) -> str:
    """Where a quarterly run's list is kept (storage name under MEDIA_ROOT)."""
    return f"jobs/{run.job}/{run.cycle}/danh-sach-cham-dong-tron-dong-{run.run_on:%Y-%m-%d}.xlsx"


QUARTERLY_COLUMNS = (
    ("STT", 6),
    ("Mã đơn vị", 12),
    ("Tên đơn vị", 40),
    ("Mã số thuế", 14),
    ("Địa chỉ", 40),
    ("BHXH cơ sở", 14),
    ("Khu công nghiệp", 18),
    ("Trạng thái", 18),
    ("Số lao động", 10),
    ("Số tiền chậm đóng (đồng)", 18),
    ("Số tháng chậm đóng", 10),
    ("Kỳ nợ sớm nhất", 10),
    ("Tiền lãi chậm đóng (đồng)", 18),
    ("Tình trạng", 12),
    ("Số kỳ trốn đóng", 10),
    ("Trốn đóng từ kỳ", 10),
)


def quarterly_workbook(
    late: Sequence[BalanceRow],
    evasion: dict[int, list[date]],
    employers: dict[int, Employer],
    on: date,
) -> bytes:
    """The list as a workbook: one row per late employer, with its evasion if any."""
    out = BytesIO()
    book = Book(out)
    sheet = book.sheet("Danh sách")
    bold = {"bold": True, "text_wrap": True, "valign": "top", "border": 1}
    money = {"num_format": "#,##0"}
    book.write(
        sheet,
        0,
        0,
        f"{provincial_office_name()}: danh sách đơn vị chậm đóng, trốn đóng BHXH, BHYT, BHTN "
        f"tính đến ngày {on:%d/%m/%Y} (Nghị định 274/2025/NĐ-CP)",
        {"bold": True},
    )
    for col, (title, width) in enumerate(QUARTERLY_COLUMNS):
        book.write(sheet, 2, col, title, bold)
        sheet.set_column(col, col, width)
    for n, row in enumerate(late, start=1):
        employer = employers[row.employer_id]
        periods = evasion[row.employer_id]
        values = (
            n,
            row.unit_code,
            row.name,
            employer.tax_code,
            employer.address,
            row.office,
            employer.industrial_zone,
            employer.get_status_display(),
            row.employees,
            row.arrears,
            row.months_in_arrears,
            f"{row.oldest_unpaid_period:%m/%Y}" if row.oldest_unpaid_period else "",
            row.interest,
            "Trốn đóng" if periods else "Chậm đóng",
            len(periods),
            f"{min(periods):%m/%Y}" if periods else "",
        )
        for col, value in enumerate(values):
            book.write(sheet, 2 + n, col, value, money if col in (9, 12) else None)
    sheet.freeze_panes(3, 2)
    book.close()
    return out.getvalue()


def quarterly_recipients(cycle: str) -> QuerySet[User]:
    """The liaisons the quarter's list goes to and who have not had it yet."""
    already = served(JobRun.Job.QUARTERLY, cycle, "delivered_to")
    return (
        User.objects.filter(role=User.Role.LIAISON, agency__kind__in=STATE_AGENCIES, is_active=True)
        .exclude(email="")
        .exclude(pk__in=already)
        .select_related("agency")
        .order_by("pk")
    )


def deliver_quarterly(run: JobRun, workbook: bytes, on: date) -> tuple[int, int]:
    """E-mail the list to each liaison not yet served this quarter. Returns (sent, failed)."""
    liaisons = quarterly_recipients(run.cycle)
    sent = failed = 0
    filename = Path(artifact_name(run)).name
    office = provincial_office_name()
    for liaison in liaisons:
        body = render_to_string(
            "arrears/jobs/email/quarterly.txt",
            {"liaison": liaison, "cycle": run.cycle, "on": on, "office": office},
        )
        message = EmailMessage(
            _("Danh sách đơn vị chậm đóng, trốn đóng BHXH quý %(cycle)s") % {"cycle": run.cycle},
            body,
            to=[liaison.email],
        )
        message.attach(
            filename,
            workbook,
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        try:
            message.send()
        except OSError:
            log.exception("quarterly list to %s failed", liaison.username)
            failed += 1
            continue
        record_served(run, "delivered_to", liaison.pk)
        sent += 1
    return sent, failed
