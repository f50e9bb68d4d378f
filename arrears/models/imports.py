"""Statement files too big to import while the page waits: each is a StatementUpload, imported
by a Celery worker, its outcome kept for the page that polls it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from accounts.models import User


class StatementUploadQuerySet(models.QuerySet):
    def in_scope(self, user: User) -> StatementUploadQuerySet:
        """An uploader's own files: their rows and reasons are nobody else's business."""
        return self.filter(user=user)


class StatementUpload(models.Model):
    """One statement file imported in the background: who sent it, what kind, its outcome
    (the counts, or every reason it was refused, as the page shows them)."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Chờ xử lý")
        RUNNING = "running", _("Đang kiểm tra và nhập")
        DONE = "done", _("Đã nhập")
        REFUSED = "refused", _("Bị từ chối")
        FAILED = "failed", _("Lỗi")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("người nhập"),
    )
    kind = models.CharField(_("loại dữ liệu"), max_length=16)
    filename = models.CharField(_("tên tệp"), max_length=255)
    size = models.BigIntegerField(_("dung lượng"))
    # How far the worker has read the file, for the page's progress bar (background.Progress).
    bytes_read = models.BigIntegerField(_("đã đọc"), default=0)
    # Kept until the worker has read it, then deleted: the rows are in the tables.
    file = models.FileField(_("tệp"), upload_to="imports/%Y/%m/", blank=True)
    status = models.CharField(
        _("tình trạng"), max_length=8, choices=Status.choices, default=Status.QUEUED
    )
    # ImportResult's counts, or the refusal: its reasons as [line, column, message] and total.
    counts = models.JSONField(_("số dòng"), default=dict, blank=True)
    reasons = models.JSONField(_("lý do từ chối"), default=list, blank=True)
    reason_total = models.PositiveIntegerField(_("số lỗi"), default=0)
    created_at = models.DateTimeField(_("lúc gửi"), auto_now_add=True)
    started_at = models.DateTimeField(_("lúc bắt đầu"), null=True, blank=True)
    finished_at = models.DateTimeField(_("lúc xong"), null=True, blank=True)

    objects = StatementUploadQuerySet.as_manager()

    class Meta:
        verbose_name = _("tệp nhập nền")
        verbose_name_plural = _("tệp nhập nền")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.kind} «{self.filename}»"

    @property
    def pending(self) -> bool:
        return self.status in {self.Status.QUEUED, self.Status.RUNNING}

    @property
    def percent_read(self) -> int:
        return min(100, self.bytes_read * 100 // self.size) if self.size else 0
