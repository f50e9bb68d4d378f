"""The office's register of issued documents: each letter takes the next number of its
office's register for the year, and its PDF is kept as issued."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from participants.models import Employer, Office

if TYPE_CHECKING:
    from accounts.models import User


class DocumentKind(models.TextChoices):
    """What the office issues, each with its code in the number ("123/TB-BHXH")."""

    NOTICE = "notice", _("Thông báo đôn đốc")
    INVITATION = "invitation", _("Giấy mời làm việc")
    FORMAL_REQUEST = "formal_request", _("Văn bản đề nghị đóng")
    REFERRAL = "referral", _("Văn bản đề nghị phối hợp")
    MINUTES = "minutes", _("Biên bản làm việc")


class RegisterCounter(models.Model):
    """The last number an office's register gave in a year: locked (SELECT … FOR UPDATE) by
    the transaction that issues the next, so numbers come without gaps or repeats."""

    office = models.ForeignKey(Office, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["office", "year"], name="register_counter_once")
        ]

    def __str__(self) -> str:
        return f"{self.office_id}/{self.year}: {self.last_number}"


class IssuedDocumentQuerySet(models.QuerySet):
    def in_scope(self, user: User) -> IssuedDocumentQuerySet:
        """Staff see the documents about the employers they see (a manager every one);
        liaisons none here (a referral's letter reaches them on its case)."""
        if not user.is_authenticated or user.is_liaison:
            return self.none()
        if user.sees_province:
            return self
        return self.filter(employer__in=Employer.objects.in_scope(user))


class IssuedDocument(models.Model):
    office = models.ForeignKey(
        Office, on_delete=models.PROTECT, related_name="+", verbose_name=_("cơ quan ban hành")
    )
    year = models.PositiveSmallIntegerField(_("năm"))
    number = models.PositiveIntegerField(_("số"))
    code = models.CharField(_("số, ký hiệu"), max_length=40)
    kind = models.CharField(_("loại"), max_length=16, choices=DocumentKind.choices)
    issued_on = models.DateField(_("ngày ban hành"))
    title = models.CharField(_("trích yếu"), max_length=255)
    recipient = models.CharField(_("nơi nhận"), max_length=255)
    employer = models.ForeignKey(
        Employer, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    case = models.ForeignKey(
        "arrears.RecoveryCase", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    referral = models.OneToOneField(
        "arrears.Referral",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="issued_document",
    )
    event = models.OneToOneField(
        "arrears.CaseEvent",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="issued_document",
    )
    reminder = models.OneToOneField(
        "arrears.Reminder",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="issued_document",
    )
    file = models.FileField(_("tệp"), upload_to="register/%Y/")
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("người ban hành"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = IssuedDocumentQuerySet.as_manager()

    class Meta:
        verbose_name = _("văn bản đã ban hành")
        verbose_name_plural = _("sổ văn bản đã ban hành")
        ordering = ["-year", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["office", "year", "number"], name="issued_document_number_once"
            )
        ]
        indexes = [models.Index(fields=["year", "kind"], name="issued_document_year_kind")]

    def __str__(self) -> str:
        return self.code
