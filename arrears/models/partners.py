"""What reaches a partner organisation's liaisons: a notice in their in-app inbox (and by
e-mail) when a referral is sent to them, and before and after its answer deadline."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from arrears.models.cases import Referral

if TYPE_CHECKING:
    from accounts.models import User


class ReferralNoticeQuerySet(models.QuerySet):
    def in_scope(self, user: User) -> ReferralNoticeQuerySet:
        """A person's own notices, and only while the referral is still their organisation's."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(recipient=user, referral__in=Referral.objects.in_scope(user))

    def unread(self) -> ReferralNoticeQuerySet:
        return self.filter(read_at__isnull=True)


class ReferralNotice(models.Model):
    """One notice to one liaison about one referral; unique per kind, so a job that runs
    twice notifies once."""

    class Kind(models.TextChoices):
        RECEIVED = "received", _("Đề nghị mới")
        DUE_SOON = "due_soon", _("Sắp đến hạn trả lời")
        OVERDUE = "overdue", _("Quá hạn trả lời")

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="notices")
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="referral_notices"
    )
    kind = models.CharField(_("loại"), max_length=10, choices=Kind.choices)
    created_at = models.DateTimeField(_("lúc"), auto_now_add=True)
    read_at = models.DateTimeField(_("đã đọc lúc"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("đã gửi thư lúc"), null=True, blank=True)

    objects = ReferralNoticeQuerySet.as_manager()

    class Meta:
        verbose_name = _("thông báo cho cơ quan phối hợp")
        verbose_name_plural = _("thông báo cho cơ quan phối hợp")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["referral", "recipient", "kind"], name="referral_notice_once"
            )
        ]
        indexes = [
            models.Index(
                fields=["recipient"],
                condition=models.Q(read_at__isnull=True),
                name="referral_notice_unread",
            )
        ]

    def __str__(self) -> str:
        return f"{self.referral} {self.kind} → {self.recipient_id}"
