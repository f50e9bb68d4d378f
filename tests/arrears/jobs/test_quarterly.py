"""Decree 274's quarterly list (arrears/jobs/quarterly.py): the workbook and its delivery to
the state agencies, once per quarter."""

from __future__ import annotations

from datetime import date, datetime
from io import BytesIO
from zoneinfo import ZoneInfo

import openpyxl
import pytest
from django.core import mail
from django.core.files.storage import default_storage

from accounts.models import User
from arrears.jobs.cycles import quarterly_due
from arrears.jobs.quarterly import artifact_name
from arrears.jobs.runs import run_quarterly
from arrears.models import JobRun, Reminder
from tests.arrears.jobs.conftest import late
from tests.factories import EmployerFactory, UserFactory, agency

pytestmark = pytest.mark.django_db

PROVINCE = ZoneInfo("Asia/Ho_Chi_Minh")


def test_quarterly_list_to_the_state_agencies(office_a, office_b):  # type: ignore[no-untyped-def]
    evading = late(EmployerFactory(office=office_a), 5, 6, 7, 8)
    late_only = late(EmployerFactory(office=office_b), 8)
    # A notice sent on 06/07: May (due 30/06) is evasion by 05/10, June (due 31/07) is not.
    Reminder.objects.create(
        employer=evading,
        cycle="2026-W28",
        kind="notice",
        channel="letter",
        status="sent",
        as_of=date(2026, 7, 6),
        sent_at=datetime(2026, 7, 6, 8, 0, tzinfo=PROVINCE),
        arrears=1_000_000,
        interest=0,
        months_in_arrears=1,
    )
    inspector = UserFactory(
        role=User.Role.LIAISON, agency=agency("labour_inspectorate"), email="tt@example.vn"
    )
    UserFactory(role=User.Role.LIAISON, agency=agency("tax"), email="thue@example.vn")
    UserFactory(role=User.Role.LIAISON, agency=agency("police"), email="ca@example.vn")
    day = date(2026, 10, 5)
    assert quarterly_due(day)

    assert run_quarterly(day) == {"late": 2, "evading": 1, "deliveries": 2}

    assert sorted(m.to[0] for m in mail.outbox) == ["thue@example.vn", "tt@example.vn"]
    message = next(m for m in mail.outbox if m.to == [inspector.email])
    assert message.subject == "Danh sách đơn vị chậm đóng, trốn đóng BHXH quý 2026-Q4"
    ((name, content, _mimetype),) = message.attachments
    assert name == "danh-sach-cham-dong-tron-dong-2026-10-05.xlsx"
    sheet = openpyxl.load_workbook(BytesIO(content)).active
    rows = {row[1]: row for row in sheet.iter_rows(min_row=4, values_only=True)}
    assert rows[evading.unit_code][9:] == (
        4_000_000,
        4,
        "05/2026",
        60_900,
        "Trốn đóng",
        1,
        "05/2026",
    )
    assert rows[late_only.unit_code][13] == "Chậm đóng"
    with default_storage.open(artifact_name(JobRun.objects.get())) as f:
        assert f.read() == content
    # Once per quarter: a second run delivers to no one again.
    assert not quarterly_due(date(2026, 10, 6))
    assert run_quarterly(date(2026, 10, 6))["deliveries"] == 0
    assert len(mail.outbox) == 2


def test_quarterly_list_never_holds_a_formula(office_a):  # type: ignore[no-untyped-def]
    """Names the partner agencies would open in Excel, written as they are and as text: the
    workbook goes through desk.spreadsheets.Book."""
    hostile = {
        "name": '=HYPERLINK("http://evil.example","Bấm vào đây")',
        "address": "+84 Đường Hùng Vương",
        "industrial_zone": "@SUM(1)",
    }
    employer = late(EmployerFactory(office=office_a, **hostile), 5, 6, 7, 8)
    office_a.name = "\tLương Sơn"
    office_a.save()
    run_quarterly(date(2026, 10, 5))
    with default_storage.open(artifact_name(JobRun.objects.get())) as f:
        sheet = openpyxl.load_workbook(BytesIO(f.read())).active
    cells = [cell for row in sheet.iter_rows() for cell in row if cell.value is not None]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    row = next(r for r in sheet.iter_rows(min_row=4) if r[1].value == employer.unit_code)
    written = {c.value: c for c in row if isinstance(c.value, str)}
    for text in [*hostile.values(), "\tLương Sơn"]:
        assert written[text].data_type == "s" and written[text].quotePrefix, text
    assert not written[employer.unit_code].quotePrefix  # ordinary text stays plain
