"""The scheduled work: reminders sent per cycle, runs of each job, and holds on notices."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pghistory
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from participants.models import Employer

if TYPE_CHECKING:
    from accounts.models import User


class ReminderQuerySet(models.QuerySet):
    def in_scope(self, user: User) -> ReminderQuerySet:
        return self.filter(employer__in=Employer.objects.in_scope(user))


class Reminder(models.Model):
    """One notice to one employer for one cycle (ISO week "2026-W47" or month "2026-11").

    Unique per employer, cycle and kind, so a job that runs twice sends once.
    """

    class Kind(models.TextChoices):
        NOTICE = "notice", _("Thông báo đôn đốc")
        INVITATION = "invitation", _("Mời làm việc")
        FORMAL_REQUEST = "formal_request", _("Văn bản đề nghị đóng hằng tháng")

    class Channel(models.TextChoices):
        EMAIL = "email", _("Thư điện tử")
        LETTER = "letter", _("Thư giấy")

    class Status(models.TextChoices):
        PENDING = "pending", _("Chờ gửi")
        SENT = "sent", _("Đã gửi")
        FAILED = "failed", _("Gửi lỗi")

    employer = models.ForeignKey(Employer, on_delete=models.CASCADE, related_name="reminders")
    cycle = models.CharField(_("kỳ"), max_length=8)
    kind = models.CharField(_("loại"), max_length=16, choices=Kind.choices)
    channel = models.CharField(_("hình thức"), max_length=8, choices=Channel.choices)
    status = models.CharField(
        _("tình trạng"), max_length=8, choices=Status.choices, default=Status.PENDING
    )
    as_of = models.DateField(_("số liệu tính đến"))
    arrears = models.BigIntegerField(_("số nợ"))
    interest = models.BigIntegerField(_("tiền lãi"))
    months_in_arrears = models.PositiveIntegerField(_("số tháng nợ"))
    document = models.FileField(_("văn bản"), upload_to="reminders/%Y/", blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ReminderQuerySet.as_manager()

    class Meta:
        verbose_name = _("thông báo")
        verbose_name_plural = _("thông báo")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["employer", "cycle", "kind"], name="reminder_once_per_cycle"
            )
        ]
        indexes = [
            # The reminders report and the week's letters by office: one cycle, one kind.
            models.Index(fields=["cycle", "kind", "channel"], name="reminder_cycle_kind"),
            # Retrying failed e-mails.
            models.Index(
                fields=["status"], condition=~models.Q(status="sent"), name="reminder_unsent"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.employer.unit_code} {self.cycle} {self.kind}"


class JobRun(models.Model):
    class Job(models.TextChoices):
        WEEKLY = "weekly", _("Việc hằng tuần")
        MONTHLY = "monthly", _("Việc hằng tháng")
        QUARTERLY = "quarterly", _("Việc hằng quý")
        BALANCES = "balances", _("Cập nhật số dư")

    class Outcome(models.TextChoices):
        RUNNING = "running", _("Đang chạy")
        SUCCEEDED = "succeeded", _("Thành công")
        FAILED = "failed", _("Thất bại")

    job = models.CharField(_("công việc"), max_length=10, choices=Job.choices)
    cycle = models.CharField(_("kỳ"), max_length=8)
    run_on = models.DateField(_("ngày chạy"))
    started_at = models.DateTimeField(_("bắt đầu"), auto_now_add=True)
    finished_at = models.DateTimeField(_("kết thúc"), null=True, blank=True)
    outcome = models.CharField(
        _("kết quả"), max_length=10, choices=Outcome.choices, default=Outcome.RUNNING
    )
    counts = models.JSONField(_("số liệu"), default=dict)
    failures = models.PositiveIntegerField(_("số lỗi"), default=0)
    error = models.TextField(_("lỗi"), blank=True)
    triggered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("lần chạy")
        verbose_name_plural = _("lần chạy")
        ordering = ["-started_at"]
        constraints = [
            # Two beats or two workers cannot run the same job for the same cycle at once.
            models.UniqueConstraint(
                fields=["job", "cycle"],
                condition=models.Q(outcome="running"),
                name="one_running_job_per_cycle",
            )
        ]

    def __str__(self) -> str:
        return f"{self.job} {self.cycle} {self.outcome}"


class HoldQuerySet(models.QuerySet):
    def active_on(self, day) -> HoldQuerySet:  # type: ignore[no-untyped-def]
        return self.filter(approved_by__isnull=False, starts_on__lte=day, ends_on__gte=day)


@pghistory.track()
class Hold(models.Model):
    """An employer exempted from automatic notices for a while (a dispute, a public body
    awaiting its budget), with a manager's approval."""

    employer = models.ForeignKey(Employer, on_delete=models.CASCADE, related_name="holds")
    reason = models.TextField(_("lý do"))
    starts_on = models.DateField(_("từ ngày"))
    ends_on = models.DateField(_("đến ngày"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = HoldQuerySet.as_manager()

    class Meta:
        verbose_name = _("tạm dừng thông báo")
        verbose_name_plural = _("tạm dừng thông báo")
        ordering = ["-starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(starts_on__lte=models.F("ends_on")), name="hold_dates_ordered"
            )
        ]

    def __str__(self) -> str:
        return f"{self.employer.unit_code} {self.starts_on:%d/%m/%Y}-{self.ends_on:%d/%m/%Y}"
