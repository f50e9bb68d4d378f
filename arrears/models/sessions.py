"""The working-session cycle: each office's session calendar (weekly patterns and the slots
they make, one-off slots), employers booked into slots, their attendance, the structured
minutes that become commitments, and the ladder steps proposed when sessions are missed or a
commitment is broken."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

import pghistory
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from arrears.models.cases import Attachment, CaseEvent, Commitment, RecoveryCase, Stage
from arrears.models.money import Payment
from participants.models import Employer, Office

if TYPE_CHECKING:
    from accounts.models import User

WEEKDAYS = [
    (0, _("Thứ Hai")),
    (1, _("Thứ Ba")),
    (2, _("Thứ Tư")),
    (3, _("Thứ Năm")),
    (4, _("Thứ Sáu")),
]


def _offices_of(user: User) -> models.QuerySet[Office]:
    """The offices whose calendar a user sees: the province for managers, their own for the
    office's staff, none for liaisons."""
    if not user.is_authenticated or not user.is_active or user.is_liaison:
        return Office.objects.none()
    if user.sees_province:
        return Office.objects.all()
    return user.offices.all()


class SlotPlace(models.Model):
    """Where and when a session is held, and by whom: shared by patterns and slots."""

    office = models.ForeignKey(
        Office, on_delete=models.CASCADE, related_name="+", verbose_name=_("BHXH cơ sở")
    )
    starts_at = models.TimeField(_("giờ bắt đầu"))
    place = models.CharField(_("địa điểm (phòng)"), max_length=200, blank=True)
    online_link = models.URLField(_("đường dẫn họp trực tuyến"), blank=True)
    capacity = models.PositiveSmallIntegerField(_("số đơn vị tối đa"), default=4)
    officers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="+", verbose_name=_("cán bộ chủ trì")
    )

    class Meta:
        abstract = True

    @property
    def where(self) -> str:
        return self.place or self.online_link


class SessionPatternQuerySet(models.QuerySet):
    def in_scope(self, user: User) -> SessionPatternQuerySet:
        return self.filter(office__in=_offices_of(user))


class SessionPattern(SlotPlace):
    """A weekly recurring session: each ``weekday`` from ``starts_on`` (to ``ends_on``)."""

    weekday = models.PositiveSmallIntegerField(_("thứ"), choices=WEEKDAYS)
    starts_on = models.DateField(_("áp dụng từ ngày"))
    ends_on = models.DateField(_("đến ngày"), null=True, blank=True)

    objects = SessionPatternQuerySet.as_manager()

    class Meta:
        verbose_name = _("lịch làm việc hằng tuần")
        verbose_name_plural = _("lịch làm việc hằng tuần")
        ordering = ["office", "weekday", "starts_at"]
        constraints = [
            models.CheckConstraint(condition=models.Q(capacity__gt=0), name="pattern_capacity"),
            models.CheckConstraint(
                condition=~models.Q(place="", online_link=""), name="pattern_has_place"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.starts_at:%H:%M}"


class SessionSlotQuerySet(models.QuerySet):
    def in_scope(self, user: User) -> SessionSlotQuerySet:
        return self.filter(office__in=_offices_of(user))


class SessionSlot(SlotPlace):
    """One session on one day: made from a pattern (once per day) or added on its own."""

    pattern = models.ForeignKey(
        SessionPattern, null=True, blank=True, on_delete=models.SET_NULL, related_name="slots"
    )
    day = models.DateField(_("ngày"))

    objects = SessionSlotQuerySet.as_manager()

    class Meta:
        verbose_name = _("buổi làm việc")
        verbose_name_plural = _("buổi làm việc")
        ordering = ["day", "starts_at", "id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(capacity__gt=0), name="slot_capacity"),
            models.CheckConstraint(
                condition=~models.Q(place="", online_link=""), name="slot_has_place"
            ),
            models.UniqueConstraint(
                fields=["pattern", "day"],
                condition=models.Q(pattern__isnull=False),
                name="slot_once_per_pattern_day",
            ),
        ]
        indexes = [models.Index(fields=["office", "day"], name="slot_office_day")]

    def __str__(self) -> str:
        return f"{self.day:%d/%m/%Y} {self.starts_at:%H:%M}"


class BookingStatus(models.TextChoices):
    BOOKED = "booked", _("Đã xếp lịch")
    CONFIRMED = "confirmed", _("Đơn vị xác nhận")
    MOVE_ASKED = "move_asked", _("Đơn vị xin đổi lịch")
    ATTENDED = "attended", _("Có mặt")
    ABSENT = "absent", _("Vắng mặt")
    MOVED = "moved", _("Đã chuyển lịch")
    CANCELLED = "cancelled", _("Đã hủy")


# A booking in these holds its seat and still waits for the session.
UPCOMING = (BookingStatus.BOOKED, BookingStatus.CONFIRMED, BookingStatus.MOVE_ASKED)
# A booking in these counts against the slot's capacity.
SEATED = (*UPCOMING, BookingStatus.ATTENDED, BookingStatus.ABSENT)


# "Paid within 30 days" of a session.
PAID_WITHIN_DAYS = 30


@dataclass(frozen=True)
class SessionCounts:
    invited: int
    came: int
    committed: int
    paid_within_30_days: int


class BookingQuerySet(models.QuerySet):
    def in_scope(self, user: User) -> BookingQuerySet:
        """The bookings of the employers this user sees, in the calendars they see."""
        return self.filter(
            employer__in=Employer.objects.in_scope(user), slot__office__in=_offices_of(user)
        )

    def counts(self, start: date, end: date) -> SessionCounts:
        """Of these bookings' sessions from ``start`` to ``end``: employers invited, those who
        came, those who signed a commitment there, those who came and paid something within
        30 days of the session."""
        held = self.filter(slot__day__range=(start, end)).exclude(
            status__in=[BookingStatus.CANCELLED, BookingStatus.MOVED]
        )
        came = models.Q(status=BookingStatus.ATTENDED)
        paid = models.Exists(
            Payment.objects.filter(
                employer_id=models.OuterRef("employer_id"),
                paid_on__gte=models.OuterRef("slot__day"),
                paid_on__lte=models.ExpressionWrapper(
                    models.OuterRef("slot__day") + timedelta(days=PAID_WITHIN_DAYS),
                    output_field=models.DateField(),
                ),
            )
        )

        def employers(condition: models.Q | None = None) -> models.Count:
            return models.Count("employer", distinct=True, filter=condition)

        return SessionCounts(
            **held.aggregate(
                invited=employers(),
                came=employers(came),
                committed=employers(came & models.Q(minutes__commitment__isnull=False)),
                paid_within_30_days=employers(came & models.Q(paid)),
            )
        )


@pghistory.track()
class Booking(models.Model):
    """An employer invited to one session: by the weekly job (its ``cycle``) or by hand."""

    slot = models.ForeignKey(
        SessionSlot, on_delete=models.PROTECT, related_name="bookings", verbose_name=_("buổi")
    )
    employer = models.ForeignKey(
        Employer, on_delete=models.CASCADE, related_name="session_bookings"
    )
    case = models.ForeignKey(
        RecoveryCase,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="session_bookings",
    )
    # The week of the weekly run that booked it (blank: booked by hand).
    cycle = models.CharField(_("kỳ"), max_length=8, blank=True)
    status = models.CharField(
        _("tình trạng"), max_length=12, choices=BookingStatus.choices, default=BookingStatus.BOOKED
    )
    reply_note = models.TextField(_("phản hồi của đơn vị"), blank=True)
    attendee_name = models.CharField(_("người đến làm việc"), max_length=150, blank=True)
    attendee_role = models.CharField(_("chức vụ, tư cách"), max_length=150, blank=True)
    moved_from = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="moved_to"
    )
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = BookingQuerySet.as_manager()

    class Meta:
        verbose_name = _("lịch mời làm việc")
        verbose_name_plural = _("lịch mời làm việc")
        ordering = ["slot__day", "slot__starts_at", "id"]
        constraints = [
            # The weekly job books an employer once per week, however often it runs.
            models.UniqueConstraint(
                fields=["employer", "cycle"], condition=~models.Q(cycle=""), name="booking_once"
            ),
            models.UniqueConstraint(
                fields=["employer", "slot"],
                condition=models.Q(status__in=[s.value for s in SEATED]),
                name="booking_one_seat",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.employer.unit_code} {self.slot}"

    @property
    def is_upcoming(self) -> bool:
        return self.status in UPCOMING


class Agreement(models.TextChoices):
    NONE = "none", _("Chưa thống nhất được")
    PROMISE = "promise", _("Cam kết trả một lần")
    PLAN = "plan", _("Lộ trình trả theo đợt")


class SessionMinutes(models.Model):
    """What a session concluded; the signed copy (generated, or a scan) is the working-session
    minutes of the police dossier."""

    booking = models.OneToOneField(Booking, on_delete=models.CASCADE, related_name="minutes")
    arrears_acknowledged = models.BigIntegerField(_("số nợ đơn vị thừa nhận (đồng)"))
    reasons = models.TextField(_("lý do chậm đóng đơn vị trình bày"))
    agreement = models.CharField(_("thống nhất"), max_length=8, choices=Agreement.choices)
    agreed_text = models.TextField(_("nội dung thống nhất khác"), blank=True)
    # They go with their case (its timeline event); the commitment may be deleted alone.
    event = models.OneToOneField(CaseEvent, on_delete=models.CASCADE, related_name="+")
    commitment = models.OneToOneField(
        Commitment, null=True, blank=True, on_delete=models.SET_NULL, related_name="minutes"
    )
    signed = models.OneToOneField(
        Attachment,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="session_minutes",
        verbose_name=_("biên bản đã ký"),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("biên bản làm việc")
        verbose_name_plural = _("biên bản làm việc")

    def __str__(self) -> str:
        return str(self.booking)


class ProposalCause(models.TextChoices):
    ABSENCES = "absences", _("Vắng mặt các buổi làm việc")
    BROKEN = "broken", _("Vi phạm cam kết")


class ProposalStatus(models.TextChoices):
    OPEN = "open", _("Chờ xử lý")
    ACCEPTED = "accepted", _("Đã chuyển bước")
    DISMISSED = "dismissed", _("Không chuyển")


class LadderProposalQuerySet(models.QuerySet):
    def in_scope(self, user: User) -> LadderProposalQuerySet:
        return self.filter(case__in=RecoveryCase.objects.in_scope(user))


class LadderProposal(models.Model):
    """The next ladder step proposed to the case's officer, and why. ``source`` names what
    caused it (the last missed booking, the broken commitment), so it is proposed once."""

    case = models.ForeignKey(RecoveryCase, on_delete=models.CASCADE, related_name="proposals")
    cause = models.CharField(_("lý do"), max_length=10, choices=ProposalCause.choices)
    source = models.CharField(max_length=40)
    to_stage = models.CharField(_("đề xuất chuyển sang"), max_length=20, choices=Stage.choices)
    reason = models.TextField(_("căn cứ"))
    needs_approval = models.BooleanField(_("cần lãnh đạo phê duyệt"), default=False)
    proposed_on = models.DateField(_("ngày đề xuất"))
    status = models.CharField(
        _("tình trạng"), max_length=10, choices=ProposalStatus.choices, default=ProposalStatus.OPEN
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_on = models.DateField(null=True, blank=True)

    objects = LadderProposalQuerySet.as_manager()

    class Meta:
        verbose_name = _("đề xuất chuyển bước")
        verbose_name_plural = _("đề xuất chuyển bước")
        ordering = ["-proposed_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "cause", "source"], name="proposal_once_per_cause"
            )
        ]

    def __str__(self) -> str:
        return f"{self.case} → {self.to_stage}"
