"""Staff, their roles and offices, and the partner agencies whose liaisons log in too."""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class AgencyKind(models.TextChoices):
    """What an organisation is, at whatever level (the provincial police and a commune police
    station are both police)."""

    POLICE = "police", _("Công an")
    LABOUR_INSPECTORATE = "labour_inspectorate", _("Thanh tra Sở Nội vụ")
    LABOUR_FEDERATION = "labour_federation", _("Công đoàn")
    IZ_BOARD = "iz_board", _("Ban Quản lý các khu công nghiệp")
    TAX = "tax", _("Cơ quan thuế")
    PEOPLES_COMMITTEE = "peoples_committee", _("Ủy ban nhân dân")
    COURT = "court", _("Tòa án nhân dân")
    PROCURACY = "procuracy", _("Viện kiểm sát nhân dân")


class Agency(models.Model):
    """A partner organisation: a kind (police, inspectorate, …), a name and an area (the
    province, or some communes). Many organisations share a kind: the provincial police's
    economic division and a commune police station are both ``police``. The province-level
    organisation of each kind has the kind's value as its code, so files may name a kind."""

    Kind = AgencyKind

    code = models.CharField(_("mã"), max_length=40, unique=True)
    kind = models.CharField(_("loại"), max_length=24, choices=Kind.choices)
    name = models.CharField(_("tên"), max_length=150)
    communes = models.ManyToManyField(
        "participants.Commune",
        blank=True,
        related_name="agencies",
        verbose_name=_("địa bàn"),
        help_text=_("Để trống: toàn tỉnh."),
    )
    address = models.CharField(_("địa chỉ"), max_length=255, blank=True)
    email = models.EmailField(_("thư điện tử"), blank=True)

    class Meta:
        verbose_name = _("cơ quan phối hợp")
        verbose_name_plural = _("cơ quan phối hợp")
        ordering = ["kind", "name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=AgencyKind.values),
                name="agency_kind_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    class Role(models.TextChoices):
        OFFICER = "officer", _("Cán bộ thu")
        OFFICE_HEAD = "office_head", _("Lãnh đạo BHXH cơ sở")
        MANAGER = "manager", _("Lãnh đạo BHXH tỉnh")
        LIAISON = "liaison", _("Cán bộ cơ quan phối hợp")

    role = models.CharField(_("vai trò"), max_length=12, choices=Role.choices, default=Role.OFFICER)
    offices = models.ManyToManyField(
        "participants.Office", blank=True, related_name="officers", verbose_name=_("BHXH cơ sở")
    )
    communes = models.ManyToManyField(
        "participants.Commune",
        blank=True,
        related_name="officers",
        verbose_name=_("xã/phường phụ trách"),
        help_text=_("Để trống: mọi xã/phường của BHXH cơ sở."),
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
    def is_office_head(self) -> bool:
        return self.role == self.Role.OFFICE_HEAD and not self.is_superuser

    @property
    def gives_approvals(self) -> bool:
        """Whether this user gives the approvals the ladder asks for somewhere (a manager, or
        the head of a grassroots office); which ones is ``approves_for``."""
        return self.is_manager or self.is_office_head

    def approves_for(self, office_id: int | None) -> bool:
        """Whether this user gives the approvals the ladder asks for in that office: managers
        everywhere, the head of a grassroots office in their own offices."""
        if self.is_manager:
            return True
        return (
            self.is_office_head
            and office_id is not None
            and self.offices.filter(pk=office_id).exists()
        )

    @property
    def is_liaison(self) -> bool:
        return self.role == self.Role.LIAISON and not self.is_superuser

    @property
    def is_staff_member(self) -> bool:
        """Staff of the social insurance office (not a partner agency's liaison)."""
        return not self.is_liaison
