"""Staff, their roles and districts, and the partner agencies whose liaisons log in too."""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class Agency(models.Model):
    class Code(models.TextChoices):
        POLICE = "police", _("Công an tỉnh")
        LABOUR_INSPECTORATE = "labour_inspectorate", _("Thanh tra Sở Nội vụ")
        LABOUR_FEDERATION = "labour_federation", _("Liên đoàn Lao động tỉnh")
        IZ_BOARD = "iz_board", _("Ban Quản lý các khu công nghiệp")
        TAX = "tax", _("Cục Thuế")
        PEOPLES_COMMITTEE = "peoples_committee", _("Ủy ban nhân dân")
        COURT = "court", _("Tòa án nhân dân")
        PROCURACY = "procuracy", _("Viện kiểm sát nhân dân")

    code = models.CharField(_("mã"), max_length=24, choices=Code.choices, unique=True)
    name = models.CharField(_("tên"), max_length=150)
    address = models.CharField(_("địa chỉ"), max_length=255, blank=True)
    email = models.EmailField(_("thư điện tử"), blank=True)

    class Meta:
        verbose_name = _("cơ quan phối hợp")
        verbose_name_plural = _("cơ quan phối hợp")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    class Role(models.TextChoices):
        OFFICER = "officer", _("Cán bộ thu")
        MANAGER = "manager", _("Lãnh đạo")
        LIAISON = "liaison", _("Cán bộ cơ quan phối hợp")

    role = models.CharField(_("vai trò"), max_length=10, choices=Role.choices, default=Role.OFFICER)
    districts = models.ManyToManyField(
        "participants.District", blank=True, related_name="officers", verbose_name=_("quận/huyện")
    )
    agency = models.ForeignKey(
        Agency,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="liaisons",
        verbose_name=_("cơ quan"),
    )
    language = models.CharField(
        _("ngôn ngữ"), max_length=5, choices=[("vi", "Tiếng Việt"), ("en", "English")], default="vi"
    )

    class Meta:
        verbose_name = _("người dùng")
        verbose_name_plural = _("người dùng")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(role="liaison") | models.Q(agency__isnull=False),
                name="liaison_has_agency",
            )
        ]

    @property
    def sees_province(self) -> bool:
        return self.is_superuser or self.role == self.Role.MANAGER

    @property
    def is_manager(self) -> bool:
        return self.sees_province

    @property
    def is_officer(self) -> bool:
        return self.role == self.Role.OFFICER and not self.is_superuser

    @property
    def is_liaison(self) -> bool:
        return self.role == self.Role.LIAISON and not self.is_superuser

    @property
    def is_staff_member(self) -> bool:
        """Staff of the social insurance office (not a partner agency's liaison)."""
        return not self.is_liaison
