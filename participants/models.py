"""Who pays: employers (participating units) and the districts they are registered in."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pghistory
from django.contrib.postgres.indexes import GinIndex
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from desk.text import fold

if TYPE_CHECKING:
    from accounts.models import User

TAX_CODE_PATTERN = r"^[0-9]{10}(-[0-9]{3})?$"


class District(models.Model):
    name = models.CharField(_("tên"), max_length=100, unique=True)

    class Meta:
        verbose_name = _("quận/huyện")
        verbose_name_plural = _("quận/huyện")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Ownership(models.TextChoices):
    STATE = "state", _("Nhà nước")
    NON_STATE = "non_state", _("Ngoài nhà nước")
    FDI = "fdi", _("Có vốn đầu tư nước ngoài")
    COOPERATIVE = "cooperative", _("Hợp tác xã")
    HOUSEHOLD = "household", _("Hộ kinh doanh")
    PUBLIC_AGENCY = "public_agency", _("Cơ quan, đơn vị sự nghiệp công")
    OTHER = "other", _("Khác")


class Status(models.TextChoices):
    ACTIVE = "active", _("Đang hoạt động")
    SUSPENDED = "suspended", _("Tạm ngừng hoạt động")
    AWAITING_DISSOLUTION = "awaiting_dissolution", _("Chờ giải thể")
    DISSOLVED = "dissolved", _("Đã giải thể")
    BANKRUPT = "bankrupt", _("Phá sản")
    ABSCONDED = "absconded", _("Chủ bỏ trốn")


class PaymentMethod(models.TextChoices):
    MONTHLY = "monthly", _("Hằng tháng")
    QUARTERLY = "quarterly", _("3 tháng một lần")
    SIX_MONTHLY = "six_monthly", _("6 tháng một lần")


class EmployerQuerySet(models.QuerySet):
    def in_scope(self, user: User) -> EmployerQuerySet:
        """The employers this user may see; everything else answers 404.

        Officers see their districts; managers and admins the whole province; liaisons only
        employers whose case is referred to their agency.
        """
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.sees_province:
            return self
        if user.is_officer:
            return self.filter(district__in=user.districts.all())
        if user.is_liaison and user.agency_id:
            # Through the referrals (arrears.Referral) sent to their agency.
            return self.filter(
                recovery_cases__referrals__agency_id=user.agency_id,
                recovery_cases__referrals__sent_on__isnull=False,
            ).distinct()
        return self.none()

    def search(self, text: str) -> EmployerQuerySet:
        """Name, unit code or tax code, ignoring case and Vietnamese diacritics.

        Every word typed must appear, in any order: "cong ty minh phat" finds
        "Công ty TNHH Minh Phát".
        """
        words = fold(text).split()
        return self.filter(*[models.Q(search_text__contains=word) for word in words])


@pghistory.track()
class Employer(models.Model):
    Ownership = Ownership
    Status = Status
    PaymentMethod = PaymentMethod

    # Statuses whose debt is counted apart as hard to collect (DOMAIN.md).
    HARD_TO_COLLECT = (
        Status.SUSPENDED,
        Status.AWAITING_DISSOLUTION,
        Status.DISSOLVED,
        Status.BANKRUPT,
        Status.ABSCONDED,
    )

    unit_code = models.CharField(_("mã đơn vị"), max_length=20, unique=True)
    tax_code = models.CharField(_("mã số thuế"), max_length=14)
    name = models.CharField(_("tên đơn vị"), max_length=255)
    address = models.CharField(_("địa chỉ"), max_length=255, blank=True)
    district = models.ForeignKey(
        District, on_delete=models.PROTECT, related_name="employers", verbose_name=_("quận/huyện")
    )
    industrial_zone = models.CharField(_("khu công nghiệp"), max_length=150, blank=True)
    ownership = models.CharField(_("loại hình"), max_length=20, choices=Ownership.choices)
    status = models.CharField(_("trạng thái"), max_length=24, choices=Status.choices)
    employees = models.PositiveIntegerField(_("số lao động"), default=0)
    email = models.EmailField(_("thư điện tử"), blank=True)
    phone = models.CharField(_("điện thoại"), max_length=30, blank=True)
    legal_representative = models.CharField(
        _("người đại diện pháp luật"), max_length=150, blank=True
    )
    payment_method = models.CharField(
        _("phương thức đóng"), max_length=12, choices=PaymentMethod.choices
    )
    # Lower-cased, diacritics-free name, unit code and tax code, kept by PostgreSQL itself so
    # set-based imports cannot forget it; the trigram index below makes `contains` fast.
    search_text = models.GeneratedField(
        expression=models.Func(
            models.F("name"),
            models.F("unit_code"),
            models.F("tax_code"),
            function="desk_fold",
        ),
        output_field=models.TextField(),
        db_persist=True,
    )

    objects = EmployerQuerySet.as_manager()

    class Meta:
        verbose_name = _("đơn vị")
        verbose_name_plural = _("đơn vị")
        ordering = ["unit_code"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(tax_code__regex=TAX_CODE_PATTERN),
                name="employer_tax_code_format",
            ),
            models.CheckConstraint(
                condition=models.Q(ownership__in=Ownership.values), name="employer_ownership_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=Status.values), name="employer_status_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(payment_method__in=PaymentMethod.values),
                name="employer_payment_method_valid",
            ),
        ]
        indexes = [
            # The employer list's search box: search_text LIKE '%...%'.
            GinIndex(
                fields=["search_text"], opclasses=["gin_trgm_ops"], name="employer_search_trgm"
            ),
            models.Index(Lower("name"), name="employer_name_lower"),
            models.Index(fields=["district", "status"], name="employer_district_status"),
        ]

    def __str__(self) -> str:
        return f"{self.unit_code} – {self.name}"

    @property
    def is_hard_to_collect(self) -> bool:
        return self.status in self.HARD_TO_COLLECT
