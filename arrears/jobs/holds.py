"""Holds on notices: those who approve for an employer's office (its head, a manager) exempt
the employer from the automatic notices for a while, and approve it before it takes effect."""

from __future__ import annotations

from datetime import date

from django.utils.translation import gettext as _

from accounts.models import User
from arrears.jobs.cycles import JobError
from arrears.models import Hold
from participants.models import Employer


def put_on_hold(
    *, employer: Employer, by: User, reason: str, starts_on: date, ends_on: date
) -> Hold:
    """Exempt an employer from automatic notices for a while (approved apart)."""
    if not by.approves_for(employer.office_id):
        raise JobError(_("Chỉ lãnh đạo được tạm dừng thông báo."))
    if not reason.strip():
        raise JobError(_("Cần ghi lý do tạm dừng."))
    if ends_on < starts_on:
        raise JobError(_("Ngày kết thúc phải từ ngày bắt đầu trở đi."))
    return Hold.objects.create(
        employer=employer,
        reason=reason.strip(),
        starts_on=starts_on,
        ends_on=ends_on,
        requested_by=by,
    )


def approve_hold(*, hold: Hold, by: User) -> Hold:
    if not by.approves_for(hold.employer.office_id):
        raise JobError(_("Chỉ lãnh đạo được duyệt tạm dừng thông báo."))
    if hold.approved_by_id is not None:
        raise JobError(_("Đề nghị tạm dừng này đã được duyệt."))
    hold.approved_by = by
    hold.save(update_fields=["approved_by"])
    return hold
