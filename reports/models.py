"""What the reports leave behind: the audit trail of exports (with the files of those made in
the background) and the certificates of contribution status issued to employers."""

from __future__ import annotations

import secrets
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from participants.models import Employer

if TYPE_CHECKING:
    from accounts.models import User

# Crockford's base32 without the letters people misread (I, L, O, U): 24 characters carry
# 120 random bits, printed in groups of four.
CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_LENGTH = 24


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _n in range(CODE_LENGTH))


class ExportRecordQuerySet(models.QuerySet):
    def in_scope(self, user: User) -> ExportRecordQuerySet:
        """A requester's own exports: nobody else sees them, managers included."""
        return self.filter(user=user)


class ExportRecord(models.Model):
    """One export of a report: who, which report, with what parameters, in which format,
    from where and when. A background export also keeps its progress and its file, which
    only its requester may download."""

    class Source(models.TextChoices):
        PAGE = "page", _("Trang báo cáo")
        TASK = "task", _("Xuất nền")
        COMMAND = "command", _("Lệnh export_report")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Chờ xử lý")
        RUNNING = "running", _("Đang xuất")
        DONE = "done", _("Hoàn thành")
        FAILED = "failed", _("Lỗi")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("người xuất"),
    )
    report = models.CharField(_("báo cáo"), max_length=40)
    params = models.JSONField(_("tham số"), default=dict)
    format = models.CharField(_("định dạng"), max_length=4)
    source = models.CharField(_("nguồn"), max_length=8, choices=Source.choices)
    status = models.CharField(
        _("tình trạng"), max_length=8, choices=Status.choices, default=Status.QUEUED
    )
    expected_rows = models.PositiveIntegerField(_("số dòng dự kiến"), null=True, blank=True)
    rows_written = models.PositiveIntegerField(_("số dòng đã ghi"), default=0)
    file = models.FileField(_("tệp"), upload_to="exports/%Y/%m/", blank=True)
    filename = models.CharField(_("tên tệp"), max_length=120, blank=True)
    error = models.TextField(_("lỗi"), blank=True)
    created_at = models.DateTimeField(_("lúc yêu cầu"), auto_now_add=True)
    finished_at = models.DateTimeField(_("lúc xong"), null=True, blank=True)

    objects = ExportRecordQuerySet.as_manager()

    class Meta:
        verbose_name = _("lần xuất báo cáo")
        verbose_name_plural = _("lần xuất báo cáo")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["user", "-created_at"], name="export_user_recent")]

    def __str__(self) -> str:
        return f"{self.report}.{self.format} {self.created_at:%d/%m/%Y %H:%M}"

    @property
    def percent(self) -> int:
        """Progress for the page: rows written of those expected (99 until the file is in)."""
        if self.status == self.Status.DONE:
            return 100
        if not self.expected_rows:
            return 0
        return min(99, self.rows_written * 100 // self.expected_rows)


class CertificateQuerySet(models.QuerySet):
    def in_scope(self, user: User) -> CertificateQuerySet:
        """Certificates of the employers this user sees."""
        return self.filter(employer__in=Employer.objects.in_scope(user))


class Certificate(models.Model):
    """A certificate of contribution status: the employer's arrears on a date (none, or the
    amount it states), with a random code that the public page checks."""

    code = models.CharField(_("mã xác minh"), max_length=CODE_LENGTH, unique=True, default=new_code)
    employer = models.ForeignKey(
        Employer, on_delete=models.PROTECT, related_name="certificates", verbose_name=_("đơn vị")
    )
    on = models.DateField(_("tính đến ngày"))
    arrears = models.BigIntegerField(_("số tiền chậm đóng"))
    months_in_arrears = models.PositiveIntegerField(_("số tháng chậm đóng"))
    interest = models.BigIntegerField(_("tiền lãi chậm đóng"))
    interest_outstanding = models.BigIntegerField(_("tiền lãi còn nợ"), default=0)  # rule 12
    file = models.FileField(_("tệp"), upload_to="certificates/%Y/")
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("người cấp"),
    )
    issued_at = models.DateTimeField(_("lúc cấp"), auto_now_add=True)

    objects = CertificateQuerySet.as_manager()

    class Meta:
        verbose_name = _("giấy xác nhận tình trạng đóng")
        verbose_name_plural = _("giấy xác nhận tình trạng đóng")
        ordering = ["-issued_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(arrears__gte=0), name="certificate_arrears_not_negative"
            )
        ]

    def __str__(self) -> str:
        return f"{self.employer.unit_code} {self.on:%d/%m/%Y}"

    @property
    def printed_code(self) -> str:
        """The code as printed: groups of four (ABCD-EFGH-...)."""
        return "-".join(self.code[i : i + 4] for i in range(0, len(self.code), 4))


class DashboardSnapshot(models.Model):
    """The dashboards' figures per office for one refresh of the Balance table (its date
    and time): computed by the first dashboard after the refresh, read by all the others,
    whatever process serves them. Only the latest is kept."""

    as_of = models.DateField(_("tính đến ngày"))
    refreshed_at = models.DateTimeField(_("số dư cập nhật lúc"))
    figures = models.JSONField(_("số liệu"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("số liệu tổng quan")
        verbose_name_plural = _("số liệu tổng quan")
        constraints = [
            models.UniqueConstraint(fields=["as_of", "refreshed_at"], name="snapshot_per_refresh")
        ]

    def __str__(self) -> str:
        return f"{self.as_of:%d/%m/%Y} ({self.refreshed_at:%d/%m/%Y %H:%M})"
