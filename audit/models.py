"""One row per accountable action. Append-only: a trigger refuses UPDATE and DELETE."""

from __future__ import annotations

import pgtrigger
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEntry(models.Model):
    class Action(models.TextChoices):
        LOGIN = "login", _("Đăng nhập")
        LOGIN_FAILED = "login_failed", _("Đăng nhập sai")
        LOGOUT = "logout", _("Đăng xuất")
        IMPORT = "import", _("Nhập dữ liệu")
        IMPORT_REFUSED = "import_refused", _("Nhập dữ liệu bị từ chối")
        EXPORT = "export", _("Xuất báo cáo")
        STAGE_MOVE = "stage_move", _("Chuyển bước hồ sơ")
        CRIMINAL_APPROVAL = "criminal_approval", _("Duyệt chuyển công an")
        REFERRAL_CREATED = "referral_created", _("Tạo đề nghị chuyển cơ quan")
        REFERRAL_APPROVED = "referral_approved", _("Duyệt đề nghị chuyển cơ quan")
        REFERRAL_SENT = "referral_sent", _("Gửi đề nghị chuyển cơ quan")
        REFERRAL_ANSWERED = "referral_answered", _("Phản hồi đề nghị")
        CASE_ASSIGNED = "case_assigned", _("Giao hồ sơ cho cán bộ")
        HAND_OVER = "hand_over", _("Bàn giao hồ sơ khi vắng")
        STAGE_REQUEST = "stage_request", _("Đề nghị duyệt chuyển bước")
        BULK_ACTION = "bulk_action", _("Thao tác hàng loạt")
        CREDIT_TO_INTEREST = "credit_to_interest", _("Chuyển số nộp thừa sang tiền lãi")

    at = models.DateTimeField(_("lúc"), auto_now_add=True, db_index=True)
    # No database constraint and no cascade: an entry outlives the account it names.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
        verbose_name=_("người dùng"),
    )
    username = models.CharField(_("tên đăng nhập"), max_length=150, blank=True)
    action = models.CharField(_("hành động"), max_length=20, choices=Action.choices)
    target_type = models.CharField(_("loại đối tượng"), max_length=60, blank=True)
    target_id = models.CharField(_("mã đối tượng"), max_length=40, blank=True)
    target_label = models.CharField(_("đối tượng"), max_length=200, blank=True)
    detail = models.TextField(_("chi tiết"), blank=True)
    ip = models.GenericIPAddressField(_("địa chỉ IP"), null=True, blank=True)

    class Meta:
        verbose_name = _("mục nhật ký")
        verbose_name_plural = _("nhật ký hoạt động")
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["action", "-at"], name="audit_action_recent"),
            models.Index(fields=["user", "-at"], name="audit_user_recent"),
        ]
        triggers = [
            pgtrigger.Protect(
                name="audit_append_only", operation=pgtrigger.Update | pgtrigger.Delete
            )
        ]

    def __str__(self) -> str:
        return f"{self.at:%d/%m/%Y %H:%M} {self.username} {self.action}"
