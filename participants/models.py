"""Who pays: employers (participating units) and the offices they are registered in."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pghistory
from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex, OpClass
from django.core.validators import RegexValidator
from django.db import models
from django.db.models.functions import Length, Lower, Upper
from django.db.models.lookups import Exact
from django.utils.translation import gettext_lazy as _

from desk.collation import vietnamese_order
from desk.text import fold

if TYPE_CHECKING:
    from accounts.models import User

TAX_CODE_PATTERN = r"^[0-9]{10}(-[0-9]{3})?$"
# Unit codes are letters, digits, "-" and "_": they go into addresses, file names and
# download headers, where "/", quotes or a line break would break them.
UNIT_CODE_PATTERN = r"^[A-Za-z0-9_-]+$"
unit_code_validator = RegexValidator(
    UNIT_CODE_PATTERN,
    _("Mã đơn vị chỉ gồm chữ cái không dấu, chữ số, dấu «-» và «_»."),
    code="unit_code",
)

# Unit codes start with the code of the province that issued them; since the 2025 mergers one
# province holds codes of several. The prefixes of the provinces merged into this one.
UNIT_CODE_PREFIX_LENGTH = 2
FORMER_PROVINCES = {
    "HB": "Hòa Bình",
    "VP": "Vĩnh Phúc",
    "PT": "Phú Thọ",
}


def former_province(unit_code: str) -> str:
    """The former province a unit code was issued by, or its prefix when it is not known."""
    prefix = unit_code[:UNIT_CODE_PREFIX_LENGTH].upper()
    return FORMER_PROVINCES.get(prefix, prefix)


def office_code(name: str) -> str:
    """A code made from an office's name when none is given: its words, diacritics-free and
    upper-case, joined by "_" ("Lương Sơn" -> "LUONG_SON")."""
    return "_".join(fold(name).upper().split())[:20]


class Office(models.Model):
    """An office of the provincial social insurance: the provincial office itself (the root,
    which manages the largest employers) or a grassroots office (BHXH cơ sở, a former district
    or inter-district office) serving a set of communes."""

    class Kind(models.TextChoices):
        PROVINCE = "province", _("BHXH tỉnh")
        GRASSROOTS = "grassroots", _("BHXH cơ sở")

    code = models.CharField(_("mã"), max_length=20, unique=True)
    name = models.CharField(_("tên"), max_length=100, unique=True)
    kind = models.CharField(_("cấp"), max_length=10, choices=Kind.choices, default=Kind.GRASSROOTS)
    address = models.CharField(_("địa chỉ"), max_length=255, blank=True)
    phone = models.CharField(_("điện thoại"), max_length=30, blank=True)
    head = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("giám đốc"),
    )

    class Meta:
        verbose_name = _("BHXH cơ sở")
        verbose_name_plural = _("BHXH cơ sở")
        ordering = ["kind", "name"]
        constraints = [
            # The provincial office is the root: there is at most one.
            models.UniqueConstraint(
                fields=["kind"],
                condition=models.Q(kind="province"),
                name="office_one_province",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Commune(models.Model):
    """A commune-level unit since 1 July 2025 (xã, phường, đặc khu), the grassroots office that
    serves it, and for history the district and province it belonged to before the reform."""

    class Kind(models.TextChoices):
        COMMUNE = "xa", _("Xã")
        WARD = "phuong", _("Phường")
        SPECIAL_ZONE = "dac_khu", _("Đặc khu")

    code = models.CharField(_("mã"), max_length=20, unique=True)
    name = models.CharField(_("tên"), max_length=100)
    kind = models.CharField(_("loại"), max_length=8, choices=Kind.choices)
    office = models.ForeignKey(
        Office, on_delete=models.PROTECT, related_name="communes", verbose_name=_("BHXH cơ sở")
    )
    former_district = models.CharField(_("huyện cũ"), max_length=100, blank=True)
    former_province = models.CharField(_("tỉnh cũ"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("xã/phường")
        verbose_name_plural = _("xã/phường")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=["xa", "phuong", "dac_khu"]),
                name="commune_kind_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.name}"


class Holiday(models.Model):
    """A day the office does not work beyond weekends: public holidays, and days an office
    closes on its own. Sessions are not booked on them and deadlines in working days skip them.
    With no office the day is off for every office of the province."""

    day = models.DateField(_("ngày"))
    name = models.CharField(_("tên ngày nghỉ"), max_length=120)
    office = models.ForeignKey(
        Office,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="holidays",
        verbose_name=_("BHXH cơ sở (trống: toàn tỉnh)"),
    )

    class Meta:
        verbose_name = _("ngày nghỉ")
        verbose_name_plural = _("ngày nghỉ")
        ordering = ["day"]
        constraints = [
            models.UniqueConstraint(
                fields=["day"], condition=models.Q(office=None), name="holiday_one_per_province_day"
            ),
            models.UniqueConstraint(fields=["day", "office"], name="holiday_one_per_office_day"),
        ]

    def __str__(self) -> str:
        return f"{self.day:%d/%m/%Y} {self.name}"


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

        Office heads see their offices; officers their offices, or the communes within them
        they were given; managers and admins the whole province; liaisons only employers
        whose case is referred to their organisation.
        """
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.sees_province:
            return self
        if user.is_office_head:
            return self.filter(office__in=user.offices.all())
        if user.is_officer:
            # An office may narrow an officer to some of its communes (in SQL, so that the
            # scope costs no query of its own).
            given = user.communes.through.objects.filter(user_id=user.pk)
            return self.filter(office__in=user.offices.all()).filter(
                models.Q(commune__in=given.values("commune_id")) | ~models.Exists(given)
            )
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


# Statement-level triggers: an import of a province's employers records its history with one
# INSERT ... SELECT instead of a trigger call per row.
# The search column is derived from the name and codes, so the history does not keep it.
@pghistory.track(level=pghistory.Statement, exclude=["search_text"])
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

    unit_code = models.CharField(
        _("mã đơn vị"), max_length=20, unique=True, validators=[unit_code_validator]
    )
    tax_code = models.CharField(_("mã số thuế"), max_length=14)
    name = models.CharField(_("tên đơn vị"), max_length=255)
    address = models.CharField(_("địa chỉ"), max_length=255, blank=True)
    # The managing office: usually the one serving the employer's commune, but an assignment
    # of its own (the provincial office manages the largest employers).
    office = models.ForeignKey(
        Office, on_delete=models.PROTECT, related_name="employers", verbose_name=_("BHXH quản lý")
    )
    commune = models.ForeignKey(
        Commune,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="employers",
        verbose_name=_("xã/phường"),
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
            models.Index(fields=["office", "status"], name="employer_office_status"),
            # The former province filter (unit_code__istartswith) and its choices.
            models.Index(
                OpClass(Upper("unit_code"), name="varchar_pattern_ops"),
                name="employer_unit_code_prefix",
            ),
            # The list sorted by name: its first Vietnamese sort key, in whose rare ties an
            # incremental sort takes the others (all three keys cost three times as much to
            # build: the translate() of every name, 25 s for a region's first load).
            models.Index(vietnamese_order("name")[0], name="employer_name_order"),
            # The industrial zone filter's choices: the few employers in one.
            models.Index(
                fields=["industrial_zone"],
                condition=models.Q(industrial_zone__gt=""),
                name="employer_industrial_zone",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit_code} – {self.name}"

    @property
    def former_province(self) -> str:
        """The province that issued the unit code, by its prefix (codes issued before the 2025
        merger keep the former province's prefix)."""
        return former_province(self.unit_code)

    @property
    def is_hard_to_collect(self) -> bool:
        return self.status in self.HARD_TO_COLLECT


# --------------------------------------------------------------------------------------------
# Insured persons: the workers behind each employer

# Exactly ten digits: ten characters, none of them other than a digit. Not ^[0-9]{10}$:
# PostgreSQL's regular expressions are slow on counted repetitions, and a province's import
# checks each number twice (the file, the constraint).
SOCIAL_INSURANCE_NUMBER_DIGITS = 10


class Sex(models.TextChoices):
    MALE = "male", _("Nam")
    FEMALE = "female", _("Nữ")


class InsuredPersonQuerySet(models.QuerySet):
    def in_scope(self, user: User) -> InsuredPersonQuerySet:
        """Persons of the employers this user may see (personal data goes no further)."""
        return self.filter(employer__in=Employer.objects.in_scope(user))

    def search(self, text: str) -> InsuredPersonQuerySet:
        """Whole words of the name, ignoring case and diacritics, in any order: "huong bui"
        finds "Bùi Thị Hương" and "Bùi Thị Hường"; "ha" finds "Hà", not "Hải" or "Thảo". A
        10-digit word is the social insurance number, a 4-digit word the year of birth.
        """
        query = models.Q()
        words = []
        for word in fold(text).split():
            if word.isdigit() and len(word) == 10:
                query &= models.Q(social_insurance_number=word)
            elif word.isdigit() and len(word) == 4:
                query &= models.Q(date_of_birth__year=int(word))
            else:
                words.append(word)
        if words:
            # Looked up in the index of name words (person_name_words).
            query &= models.Q(name_words__contains=words)
        return self.alias(name_words=name_words()).filter(query)


def name_words() -> models.Func:
    """A person's folded name as its words: "bui thi huong" -> {bui,thi,huong}."""
    return models.Func(
        models.F("search_text"),
        models.Value(" "),
        function="string_to_array",
        output_field=ArrayField(models.TextField()),
    )


class InsuredPerson(models.Model):
    """A worker insured through an employer, from one month to another (or still)."""

    Sex = Sex

    social_insurance_number = models.CharField(_("mã số BHXH"), max_length=10)
    full_name = models.CharField(_("họ và tên"), max_length=150)
    date_of_birth = models.DateField(_("ngày sinh"))
    sex = models.CharField(_("giới tính"), max_length=6, choices=Sex.choices)
    # Persons hang off their employer as its contributions do. The index below, led by the
    # employer, serves the foreign key too, so the key has no index of its own.
    employer = models.ForeignKey(
        Employer,
        on_delete=models.CASCADE,
        related_name="insured_persons",
        verbose_name=_("đơn vị"),
        db_index=False,
    )
    from_period = models.DateField(_("từ tháng"), help_text=_("Ngày đầu tháng."))
    to_period = models.DateField(
        _("đến tháng"), null=True, blank=True, help_text=_("Để trống khi còn làm việc.")
    )
    # The name lower-cased without diacritics, kept by PostgreSQL (see Employer.search_text).
    search_text = models.GeneratedField(
        expression=models.Func(models.F("full_name"), function="desk_fold"),
        output_field=models.TextField(),
        db_persist=True,
    )

    objects = InsuredPersonQuerySet.as_manager()

    class Meta:
        verbose_name = _("người lao động")
        verbose_name_plural = _("người lao động")
        ordering = ["full_name", "social_insurance_number"]
        constraints = [
            # A constraint rather than unique=True, which would add a second (LIKE) index
            # that every import pays for and no query uses.
            models.UniqueConstraint(
                fields=["social_insurance_number"], name="person_number_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(
                    Exact(Length("social_insurance_number"), SOCIAL_INSURANCE_NUMBER_DIGITS)
                )
                & ~models.Q(social_insurance_number__regex="[^0-9]"),
                name="person_number_format",
            ),
            models.CheckConstraint(condition=models.Q(sex__in=Sex.values), name="person_sex_valid"),
            models.CheckConstraint(
                condition=models.Q(from_period__day=1)
                & (models.Q(to_period__isnull=True) | models.Q(to_period__day=1)),
                name="person_periods_first_of_month",
            ),
            models.CheckConstraint(
                condition=models.Q(to_period__isnull=True)
                | models.Q(to_period__gte=models.F("from_period")),
                name="person_periods_in_order",
            ),
        ]
        indexes = [
            # The insured lookup's name box: persons with all the words typed. Whole words in
            # an array index, not trigrams: the few words of Vietnamese names are shared by
            # so many people that their trigrams pick out most of the table.
            GinIndex(name_words(), name="person_name_words"),
            # An employer's workers, by the month they started.
            models.Index(fields=["employer", "from_period"], name="person_employer_from"),
        ]

    def __str__(self) -> str:
        return f"{self.social_insurance_number} – {self.full_name}"


# --------------------------------------------------------------------------------------------
# Coverage: participants against plan and against the labour force or population


class CoverageFigureQuerySet(models.QuerySet):
    def in_scope(self, user: User) -> CoverageFigureQuerySet:
        """Managers: every area. Officers and heads of offices: their offices, the communes
        they serve, and the province as a whole (a total to compare with). Liaisons: none."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.sees_province:
            return self
        if user.is_officer or user.is_office_head:
            offices = user.offices.all()
            return self.filter(
                models.Q(office__isnull=True, commune__isnull=True)
                | models.Q(office__in=offices)
                | models.Q(commune__office__in=offices)
            )
        return self.none()


class CoverageFigure(models.Model):
    """Participants by scheme in an area (an office, a commune, or the province when both
    are empty) for a year or one of its quarters, with the plan targets and the bases of the
    coverage rates: the working-age labour force (SI, UI) and the population (HI)."""

    office = models.ForeignKey(
        Office,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="coverage_figures",
        verbose_name=_("BHXH cơ sở"),
        help_text=_("Để trống: số liệu toàn tỉnh."),
    )
    commune = models.ForeignKey(
        Commune,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="coverage_figures",
        verbose_name=_("xã/phường"),
        help_text=_("Số liệu của một xã/phường (khi đó để trống BHXH cơ sở)."),
    )
    year = models.PositiveSmallIntegerField(_("năm"))
    quarter = models.PositiveSmallIntegerField(
        _("quý"), null=True, blank=True, help_text=_("Để trống: số liệu cả năm.")
    )
    compulsory_si = models.PositiveIntegerField(_("BHXH bắt buộc"))
    voluntary_si = models.PositiveIntegerField(_("BHXH tự nguyện"))
    ui = models.PositiveIntegerField(_("BHTN"))
    hi = models.PositiveIntegerField(_("BHYT"))
    plan_compulsory_si = models.PositiveIntegerField(
        _("kế hoạch BHXH bắt buộc"), null=True, blank=True
    )
    plan_voluntary_si = models.PositiveIntegerField(
        _("kế hoạch BHXH tự nguyện"), null=True, blank=True
    )
    plan_ui = models.PositiveIntegerField(_("kế hoạch BHTN"), null=True, blank=True)
    plan_hi = models.PositiveIntegerField(_("kế hoạch BHYT"), null=True, blank=True)
    labour_force = models.PositiveIntegerField(_("lực lượng lao động trong độ tuổi"))
    population = models.PositiveIntegerField(_("dân số"))

    objects = CoverageFigureQuerySet.as_manager()

    class Meta:
        verbose_name = _("số liệu bao phủ")
        verbose_name_plural = _("số liệu bao phủ")
        ordering = ["-year", "-quarter", "office__name", "commune__name"]
        constraints = [
            # One figure per area and period; the province (no office, no commune) and the
            # year (no quarter) count as values, not as unknowns.
            models.UniqueConstraint(
                fields=["office", "commune", "year", "quarter"],
                name="coverage_one_per_area_period",
                nulls_distinct=False,
            ),
            models.CheckConstraint(
                condition=models.Q(office__isnull=True) | models.Q(commune__isnull=True),
                name="coverage_office_or_commune",
            ),
            models.CheckConstraint(
                condition=models.Q(year__gte=1995, year__lte=2099), name="coverage_year_range"
            ),
            models.CheckConstraint(
                condition=models.Q(quarter__isnull=True) | models.Q(quarter__range=(1, 4)),
                name="coverage_quarter_range",
            ),
        ]

    def __str__(self) -> str:
        area = self.office or self.commune or _("Toàn tỉnh")
        period = f"Q{self.quarter}/{self.year}" if self.quarter else str(self.year)
        return f"{area} {period}"
