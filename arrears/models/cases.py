"""Recovery work: cases up the escalation ladder, their timeline, referrals to partner
agencies, commitments to pay, force-majeure claims, and the letters' editable templates."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

import pghistory
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.models import Agency
from participants.models import Employer

if TYPE_CHECKING:
    from accounts.models import User


class Stage(models.TextChoices):
    """The ladder in order, then the endings."""

    DETECTED = "detected", _("Phát hiện")
    REMINDED = "reminded", _("Đã đôn đốc")
    SUMMONED = "summoned", _("Mời làm việc")
    INSPECTION = "inspection", _("Thanh tra, kiểm tra")
    SANCTIONED = "sanctioned", _("Xử phạt hành chính")
    CRIMINAL_REFERRAL = "criminal_referral", _("Chuyển cơ quan công an")
    PROSECUTION = "prosecution", _("Khởi tố")
    RESOLVED = "resolved", _("Đã thu hồi")
    HARD_TO_COLLECT = "hard_to_collect", _("Nợ khó thu")
    CLOSED = "closed", _("Đã đóng")


LADDER = (
    Stage.DETECTED,
    Stage.REMINDED,
    Stage.SUMMONED,
    Stage.INSPECTION,
    Stage.SANCTIONED,
    Stage.CRIMINAL_REFERRAL,
    Stage.PROSECUTION,
)
ENDINGS = (Stage.RESOLVED, Stage.HARD_TO_COLLECT, Stage.CLOSED)


class RecoveryCaseQuerySet(models.QuerySet):
    def in_scope(self, user: User) -> RecoveryCaseQuerySet:
        """Staff see the cases of the employers they see; a liaison only the cases referred to
        their own agency (sent referrals, not drafts)."""
        if user.is_authenticated and user.is_liaison:
            return self.filter(
                referrals__agency_id=user.agency_id, referrals__sent_on__isnull=False
            ).distinct()
        employers = Employer.objects.in_scope(user)
        if employers.query.where or employers.query.is_empty():
            return self.filter(employer__in=employers)
        # The whole province: every case (not a semi-join with every employer of a region).
        return self.all()

    def open(self) -> RecoveryCaseQuerySet:
        return self.filter(stage__in=LADDER)


@pghistory.track()
class RecoveryCase(models.Model):
    employer = models.ForeignKey(
        Employer, on_delete=models.PROTECT, related_name="recovery_cases", verbose_name=_("đơn vị")
    )
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="cases",
        verbose_name=_("cán bộ phụ trách"),
    )
    stage = models.CharField(
        _("bước"), max_length=20, choices=Stage.choices, default=Stage.DETECTED
    )
    opened_on = models.DateField(_("ngày mở"))
    arrears_at_opening = models.BigIntegerField(_("số nợ khi mở"), default=0)
    closed_on = models.DateField(_("ngày kết thúc"), null=True, blank=True)
    outcome = models.TextField(_("kết quả / lý do kết thúc"), blank=True)
    follow_up_on = models.DateField(_("hẹn theo dõi"), null=True, blank=True)
    criminal_referral_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("lãnh đạo duyệt chuyển công an"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = RecoveryCaseQuerySet.as_manager()

    class Meta:
        verbose_name = _("hồ sơ thu nợ")
        verbose_name_plural = _("hồ sơ thu nợ")
        ordering = ["-opened_on", "-id"]
        constraints = [
            # At most one open case per employer.
            models.UniqueConstraint(
                fields=["employer"],
                condition=models.Q(stage__in=[s.value for s in LADDER]),
                name="one_open_case_per_employer",
            ),
            models.CheckConstraint(
                condition=models.Q(stage__in=Stage.values), name="case_stage_valid"
            ),
        ]
        indexes = [
            # "My work this week": an officer's open cases by follow-up date.
            models.Index(fields=["officer", "follow_up_on"], name="case_officer_follow_up"),
            models.Index(fields=["stage"], name="case_stage"),
            # The case list's default order: its first page without sorting every case.
            models.Index(fields=["-opened_on", "-id"], name="case_opened_order"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.employer.unit_code}"

    @property
    def is_open(self) -> bool:
        return self.stage in LADDER


class EventKind(models.TextChoices):
    CALL = "call", _("Gọi điện")
    LETTER = "letter", _("Gửi văn bản")
    EMAIL = "email", _("Thư điện tử")
    VISIT = "visit", _("Đến làm việc tại đơn vị")
    WORKING_SESSION = "working_session", _("Buổi làm việc")
    INSPECTION = "inspection", _("Thanh tra, kiểm tra")
    PENALTY_DECISION = "penalty_decision", _("Quyết định xử phạt")
    REFERRAL = "referral", _("Chuyển cơ quan phối hợp")
    REFERRAL_ANSWER = "referral_answer", _("Phản hồi của cơ quan phối hợp")
    STAGE_MOVE = "stage_move", _("Chuyển bước")
    PAYMENT = "payment", _("Nhận tiền nộp")
    COMMITMENT = "commitment", _("Cam kết trả nợ")
    NOTE = "note", _("Ghi chú")
    ASSIGNMENT = "assignment", _("Giao cán bộ phụ trách")


class CaseEventQuerySet(models.QuerySet):
    def in_scope(self, user: User) -> CaseEventQuerySet:
        """The events of the cases this user sees; a liaison not another organisation's (its
        referrals, their answers, what its liaisons logged)."""
        scoped = self.filter(case__in=RecoveryCase.objects.in_scope(user))
        if user.is_authenticated and user.is_liaison:
            scoped = scoped.filter(
                models.Q(agency__isnull=True) | models.Q(agency_id=user.agency_id)
            )
        return scoped


class CaseEvent(models.Model):
    """One line of a case's timeline."""

    case = models.ForeignKey(RecoveryCase, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("loại"), max_length=20, choices=EventKind.choices)
    occurred_on = models.DateField(_("ngày"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("người ghi"),
    )
    # Set when a liaison logs an event for their agency.
    agency = models.ForeignKey(
        Agency, null=True, blank=True, on_delete=models.PROTECT, verbose_name=_("cơ quan")
    )
    text = models.TextField(_("nội dung"), blank=True)
    minutes = models.TextField(_("biên bản"), blank=True)
    penalty_amount = models.BigIntegerField(_("số tiền phạt"), null=True, blank=True)
    decision_number = models.CharField(_("số quyết định"), max_length=50, blank=True)
    from_stage = models.CharField(max_length=20, choices=Stage.choices, blank=True)
    to_stage = models.CharField(max_length=20, choices=Stage.choices, blank=True)
    follow_up_on = models.DateField(_("hẹn theo dõi tiếp"), null=True, blank=True)
    payment = models.ForeignKey(
        "arrears.Payment", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = CaseEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("diễn biến")
        verbose_name_plural = _("diễn biến")
        ordering = ["-occurred_on", "-id"]
        constraints = [
            # A payment appears on a case's timeline once.
            models.UniqueConstraint(
                fields=["case", "payment"],
                condition=models.Q(payment__isnull=False),
                name="event_payment_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.occurred_on:%d/%m/%Y}"


class ReferralPurpose(models.TextChoices):
    INVESTIGATE = "investigate", _("Điều tra")
    INSPECT = "inspect", _("Thanh tra, kiểm tra")
    MEDIATE = "mediate", _("Hòa giải, đôn đốc")
    SUE = "sue", _("Khởi kiện thay người lao động")
    OTHER = "other", _("Khác")


class ReferralStatus(models.TextChoices):
    DRAFT = "draft", _("Đang chuẩn bị")
    SENT = "sent", _("Đã gửi")
    ACKNOWLEDGED = "acknowledged", _("Đã tiếp nhận")
    IN_PROGRESS = "in_progress", _("Đang xử lý")
    CONCLUDED = "concluded", _("Đã có kết luận")


class ReferralQuerySet(models.QuerySet):
    def in_scope(self, user: User) -> ReferralQuerySet:
        """Staff see the referrals of the cases they see; a liaison only those sent to their
        own agency (not drafts, not another agency's)."""
        if user.is_authenticated and user.is_liaison:
            return self.filter(agency_id=user.agency_id, sent_on__isnull=False)
        return self.filter(case__in=RecoveryCase.objects.in_scope(user))

    def overdue(self, on: date) -> ReferralQuerySet:
        """Sent, still unanswered, and past their answer deadline on ``on``."""
        return self.filter(status=ReferralStatus.SENT, answer_due_on__lt=on)


@pghistory.track()
class Referral(models.Model):
    case = models.ForeignKey(RecoveryCase, on_delete=models.CASCADE, related_name="referrals")
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="referrals", verbose_name=_("cơ quan")
    )
    purpose = models.CharField(_("mục đích"), max_length=12, choices=ReferralPurpose.choices)
    status = models.CharField(
        _("tình trạng"), max_length=12, choices=ReferralStatus.choices, default=ReferralStatus.DRAFT
    )
    reference = models.CharField(_("số văn bản"), max_length=50, blank=True)
    sent_on = models.DateField(_("ngày gửi"), null=True, blank=True)
    # Fixed when sent (DOMAIN.md rule 8 counts recovery from this figure).
    arrears_at_referral = models.BigIntegerField(_("số nợ khi chuyển"), null=True, blank=True)
    employees_at_referral = models.PositiveIntegerField(
        _("số lao động khi chuyển"), null=True, blank=True
    )
    note = models.TextField(_("nội dung đề nghị"), blank=True)
    # The working day the agency is to answer by (Policy.answer_days of its kind), set when
    # sent; an answer past SENT stops the clock.
    answer_due_on = models.DateField(_("hạn trả lời"), null=True, blank=True)
    response = models.TextField(_("phản hồi của cơ quan"), blank=True)
    outcome = models.TextField(_("kết quả"), blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("lãnh đạo duyệt"),
    )
    approved_at = models.DateTimeField(_("duyệt lúc"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Brought in from an office's existing spreadsheet: recorded as already sent.
    imported = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ReferralQuerySet.as_manager()

    class Meta:
        verbose_name = _("chuyển cơ quan phối hợp")
        verbose_name_plural = _("chuyển cơ quan phối hợp")
        ordering = ["-sent_on", "-id"]
        constraints = [
            # The office's outgoing reference numbers are unique: re-importing changes nothing.
            models.UniqueConstraint(
                fields=["reference"], condition=~models.Q(reference=""), name="referral_reference"
            ),
            models.CheckConstraint(
                condition=models.Q(status="draft") | models.Q(sent_on__isnull=False),
                name="referral_sent_has_date",
            ),
        ]
        indexes = [models.Index(fields=["agency", "sent_on"], name="referral_agency_sent")]

    def __str__(self) -> str:
        return f"{self.agency.code} {self.reference or self.pk}"

    @property
    def number(self) -> str:
        """The letter's number: the register's when the desk issued it (numbers repeat from
        office to office and year to year, so it is not the unique ``reference``), else the
        reference written or imported."""
        issued = getattr(self, "issued_document", None)
        return issued.code if issued is not None else self.reference

    def is_overdue(self, on: date) -> bool:
        return (
            self.status == ReferralStatus.SENT
            and self.answer_due_on is not None
            and self.answer_due_on < on
        )


class AttachmentQuerySet(models.QuerySet):
    def in_scope(self, user: User) -> AttachmentQuerySet:
        """The files of the cases this user sees; a liaison not another organisation's (a
        file of no referral or of their organisation's, on no event or on one that is not
        another organisation's)."""
        scoped = self.filter(case__in=RecoveryCase.objects.in_scope(user))
        if user.is_authenticated and user.is_liaison:
            scoped = scoped.filter(
                models.Q(referral__isnull=True) | models.Q(referral__agency_id=user.agency_id),
                models.Q(event__isnull=True)
                | models.Q(event__agency__isnull=True)
                | models.Q(event__agency_id=user.agency_id),
            )
        return scoped


class Attachment(models.Model):
    """A file on a case: on a timeline event, or an item of a referral's dossier. Stored under
    MEDIA_ROOT (outside the web root) and served only through a scope-checked view."""

    case = models.ForeignKey(RecoveryCase, on_delete=models.CASCADE, related_name="attachments")
    event = models.ForeignKey(
        CaseEvent, null=True, blank=True, on_delete=models.CASCADE, related_name="attachments"
    )
    referral = models.ForeignKey(
        Referral, null=True, blank=True, on_delete=models.CASCADE, related_name="attachments"
    )
    # For a police referral: its dossier item (arrears.cases.dossier.POLICE_DOSSIER).
    dossier_item = models.CharField(_("thành phần hồ sơ"), max_length=40, blank=True)
    file = models.FileField(_("tệp"), upload_to="attachments/%Y/%m/")
    original_name = models.CharField(_("tên tệp"), max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    objects = AttachmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("tệp đính kèm")
        verbose_name_plural = _("tệp đính kèm")
        ordering = ["uploaded_at"]

    def __str__(self) -> str:
        return self.original_name


class CommitmentKind(models.TextChoices):
    PROMISE = "promise", _("Cam kết trả nợ")
    PLAN = "plan", _("Lộ trình trả nợ theo đợt")


@pghistory.track()
class Commitment(models.Model):
    case = models.ForeignKey(RecoveryCase, on_delete=models.CASCADE, related_name="commitments")
    kind = models.CharField(_("loại"), max_length=8, choices=CommitmentKind.choices)
    signed_on = models.DateField(_("ngày cam kết"))
    note = models.TextField(_("ghi chú"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("cam kết")
        verbose_name_plural = _("cam kết")
        ordering = ["-signed_on", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.signed_on:%d/%m/%Y}"


@pghistory.track()
class Instalment(models.Model):
    commitment = models.ForeignKey(Commitment, on_delete=models.CASCADE, related_name="instalments")
    due_on = models.DateField(_("hạn trả"))
    amount = models.BigIntegerField(_("số tiền"))
    # Set by the weekly job when the instalment is found broken, so it is flagged once.
    broken_flagged_on = models.DateField(_("ghi nhận vi phạm ngày"), null=True, blank=True)

    class Meta:
        verbose_name = _("đợt trả")
        verbose_name_plural = _("đợt trả")
        ordering = ["due_on", "id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="instalment_positive")
        ]

    def __str__(self) -> str:
        return f"{self.due_on:%d/%m/%Y}: {self.amount}"


class Decision(models.TextChoices):
    PENDING = "pending", _("Chờ quyết định")
    ACCEPTED = "accepted", _("Chấp nhận")
    REJECTED = "rejected", _("Không chấp nhận")


@pghistory.track()
class ForceMajeureClaim(models.Model):
    """A claim that the employer could not pay (DOMAIN.md): accepted, its months are not
    flagged as evasion."""

    employer = models.ForeignKey(
        Employer, on_delete=models.CASCADE, related_name="force_majeure_claims"
    )
    case = models.ForeignKey(
        RecoveryCase, null=True, blank=True, on_delete=models.SET_NULL, related_name="claims"
    )
    claimed_on = models.DateField(_("ngày đề nghị"))
    first_period = models.DateField(_("từ kỳ"))
    last_period = models.DateField(_("đến kỳ"))
    reason = models.TextField(_("lý do"))
    proof = models.FileField(_("tài liệu chứng minh"), upload_to="force_majeure/%Y/")
    decision = models.CharField(
        _("quyết định"), max_length=10, choices=Decision.choices, default=Decision.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_on = models.DateField(_("ngày quyết định"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("đề nghị bất khả kháng")
        verbose_name_plural = _("đề nghị bất khả kháng")
        ordering = ["-claimed_on"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(first_period__lte=models.F("last_period")),
                name="claim_periods_ordered",
            )
        ]

    def __str__(self) -> str:
        return f"{self.employer.unit_code} {self.first_period:%m/%Y}-{self.last_period:%m/%Y}"


class DocumentTemplate(models.Model):
    """The text of a letter the office sends, editable by managers without a release."""

    class Kind(models.TextChoices):
        REMINDER_NOTICE = "reminder_notice", _("Thông báo đôn đốc")
        SESSION_INVITATION = "session_invitation", _("Giấy mời làm việc")
        REFERRAL_LETTER = "referral_letter", _("Văn bản đề nghị phối hợp")
        FORMAL_REQUEST = "formal_request", _("Văn bản đề nghị đóng (Nghị định 274)")
        MINUTES = "minutes", _("Biên bản làm việc")

    kind = models.CharField(_("loại"), max_length=20, choices=Kind.choices, unique=True)
    title = models.CharField(_("tiêu đề"), max_length=200)
    body = models.TextField(
        _("nội dung"),
        help_text=_("Dùng {{ ten_don_vi }}, {{ so_no }}, {{ tien_lai }}, ... như trong mẫu."),
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("mẫu văn bản")
        verbose_name_plural = _("mẫu văn bản")

    def __str__(self) -> str:
        return self.get_kind_display()
