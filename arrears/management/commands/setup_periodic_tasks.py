"""The beat schedule, kept in version control: creates or updates the django-celery-beat rows
(admins may still pause a task; its enabled flag is left as they set it).

    crontab fields: minute hour day-of-month month-of-year day-of-week, province time
"""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.translation import gettext as _
from django_celery_beat.models import CrontabSchedule, PeriodicTask

# (name, task, minute, hour, day of month, month of year, day of week, description)
SCHEDULE: tuple[tuple[str, str, str, str, str, str, str, str], ...] = (
    # 30 7 * * 1: every Monday at 07:30, before the office opens its week.
    (
        "Việc hằng tuần",
        "arrears.tasks.weekly_jobs_task",
        *("30", "7", "*", "*", "1"),
        "Thông báo đôn đốc, giấy mời làm việc, hồ sơ tự động, cam kết vi phạm, thư tổng hợp.",
    ),
    # 0 7 1-10 * *: every morning of the first ten days; the task itself sends on
    # Policy.monthly_request_day (or the first day after it that it could), so changing that
    # day needs no edit here (Decree 274: within the month's first 10 days).
    (
        "Văn bản đề nghị hằng tháng",
        "arrears.tasks.monthly_jobs_task",
        *("0", "7", "1-10", "*", "*"),
        "Văn bản đề nghị đóng gửi đơn vị chậm đóng (Nghị định 274/2025/NĐ-CP).",
    ),
    # 15 7 1-14 1,4,7,10 *: days 1-14 of each quarter's first month, before the 15th; the
    # task runs once per quarter (a day missed is caught up the next).
    (
        "Danh sách hằng quý",
        "arrears.tasks.quarterly_jobs_task",
        *("15", "7", "1-14", "1,4,7,10", "*"),
        "Danh sách đơn vị chậm đóng, trốn đóng gửi cơ quan quản lý nhà nước, thanh tra.",
    ),
    # 0 1 * * *: every night at 01:00, once the day has turned (contributions fall due and
    # interest grows with the calendar alone).
    (
        "Cập nhật số dư hằng đêm",
        "arrears.tasks.nightly_task",
        *("0", "1", "*", "*", "*"),
        "Số dư nợ tính đến ngày mới; gửi lại thông báo chưa gửi được.",
    ),
    # 5 0 * * *: just after midnight, absent officers' cases handed over from the first day
    # of their absence and given back the day after its last (safe to repeat).
    (
        "Bàn giao hồ sơ khi vắng",
        "arrears.tasks.hand_overs_task",
        *("5", "0", "*", "*", "*"),
        "Chuyển hồ sơ của cán bộ vắng cho người nhận, trả lại khi hết thời gian vắng.",
    ),
    # 0 7 * * 1-5: every working morning, the liaisons' reminders before and after a
    # referral's answer deadline (one per referral, liaison and kind, however often it runs).
    (
        "Nhắc hạn trả lời cơ quan phối hợp",
        "arrears.tasks.referral_deadlines_task",
        *("0", "7", "*", "*", "1-5"),
        "Nhắc cơ quan phối hợp trước và sau hạn trả lời đề nghị.",
    ),
    # */10 * * * *: every ten minutes, a run whose worker died (its lock gone with it) is
    # queued again instead of waiting for its next cycle.
    (
        "Chạy lại việc bị gián đoạn",
        "arrears.tasks.resume_interrupted_task",
        *("*/10", "*", "*", "*", "*"),
        "Việc định kỳ đang chạy dở khi tiến trình dừng đột ngột được đưa lại vào hàng đợi.",
    ),
)


class Command(BaseCommand):
    help = "Tạo hoặc cập nhật lịch chạy định kỳ (celery beat) theo mã nguồn."

    @transaction.atomic
    def handle(self, *args: Any, **options: Any) -> None:
        zone = ZoneInfo(settings.TIME_ZONE)
        for name, task, minute, hour, day_of_month, month, day_of_week, text in SCHEDULE:
            crontab, _created = CrontabSchedule.objects.get_or_create(
                minute=minute,
                hour=hour,
                day_of_month=day_of_month,
                month_of_year=month,
                day_of_week=day_of_week,
                timezone=zone,
            )
            periodic, created = PeriodicTask.objects.update_or_create(
                name=name, defaults={"task": task, "crontab": crontab, "description": text}
            )
            verb = _("tạo") if created else _("cập nhật")
            self.stdout.write(f"  {verb}: {periodic.name} ({crontab.human_readable})")
