"""The office's thresholds: what the law leaves to the office, or may change by decree.

One row, edited by managers in the application, so a new decree needs no release.
"""

from __future__ import annotations

from decimal import Decimal

import pghistory
from django.db import models
from django.utils.translation import gettext_lazy as _

from arrears.law import CriminalThresholds, FineRules
from arrears.ledger import InterestSplit


class WorkloadMeasure(models.TextChoices):
    """What an officer's workload is counted in when automatic cases are spread."""

    CASES = "cases", _("số hồ sơ đang mở")
    ARREARS = "arrears", _("số nợ của hồ sơ đang mở")


@pghistory.track(exclude=["updated_at"])
class Policy(models.Model):
    # Weekly job (DOMAIN.md rule 9).
    invitation_months = models.PositiveSmallIntegerField(
        _("mời làm việc khi nợ từ (tháng)"), default=3
    )
    notice_tolerance = models.BigIntegerField(
        _("không gửi thông báo khi nợ dưới (đồng)"), default=0
    )
    auto_case_months = models.PositiveSmallIntegerField(
        _("tự động mở hồ sơ khi nợ từ (tháng)"), default=3
    )
    auto_case_arrears = models.BigIntegerField(_("và số nợ từ (đồng)"), default=0)
    # Decree 274/2025: the monthly formal request goes out within the first 10 days.
    monthly_request_day = models.PositiveSmallIntegerField(
        _("ngày gửi văn bản đề nghị hằng tháng"), default=5
    )
    # Penal Code Art. 216 clause 1.
    criminal_months = models.PositiveSmallIntegerField(_("truy cứu: số tháng trốn đóng"), default=6)
    criminal_arrears = models.BigIntegerField(_("truy cứu: số tiền từ (đồng)"), default=50_000_000)
    criminal_workers = models.PositiveIntegerField(_("truy cứu: số lao động từ"), default=10)
    # Decree 12/2022 Art. 39.
    fine_late_min_pct = models.DecimalField(
        _("phạt chậm đóng: tối thiểu (%)"), max_digits=5, decimal_places=2, default=Decimal("12")
    )
    fine_late_max_pct = models.DecimalField(
        _("phạt chậm đóng: tối đa (%)"), max_digits=5, decimal_places=2, default=Decimal("15")
    )
    fine_none_paid_min_pct = models.DecimalField(
        _("phạt không đóng cho toàn bộ lao động: tối thiểu (%)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("18"),
    )
    fine_none_paid_max_pct = models.DecimalField(
        _("phạt không đóng cho toàn bộ lao động: tối đa (%)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("20"),
    )
    fine_cap = models.BigIntegerField(_("mức phạt tối đa (đồng)"), default=75_000_000)
    evasion_fine_min = models.BigIntegerField(_("phạt trốn đóng: từ (đồng)"), default=50_000_000)
    evasion_fine_max = models.BigIntegerField(_("phạt trốn đóng: đến (đồng)"), default=75_000_000)
    # Working sessions (issue 16): whom the weekly job leaves out of its invitations and
    # notices, and when missed sessions propose the next ladder step.
    invite_skip_police_court = models.BooleanField(
        _("không mời làm việc đơn vị có hồ sơ đang ở công an, tòa án"), default=True
    )
    invite_skip_commitment = models.BooleanField(
        _("không mời làm việc đơn vị đang giữ đúng cam kết trả nợ"), default=True
    )
    invite_skip_hold = models.BooleanField(
        _("không mời làm việc đơn vị đang tạm dừng thông báo"), default=True
    )
    invite_skip_booked = models.BooleanField(
        _("không mời làm việc đơn vị đã có lịch làm việc"), default=True
    )
    notice_skip_police_court = models.BooleanField(
        _("không gửi thông báo đôn đốc cho đơn vị có hồ sơ đang ở công an, tòa án"),
        default=False,
    )
    notice_skip_commitment = models.BooleanField(
        _("không gửi thông báo đôn đốc cho đơn vị đang giữ đúng cam kết trả nợ"), default=False
    )
    notice_skip_hold = models.BooleanField(
        _("không gửi thông báo đôn đốc cho đơn vị đang tạm dừng thông báo"), default=True
    )
    notice_skip_booked = models.BooleanField(
        _("không gửi thông báo đôn đốc cho đơn vị đã có lịch làm việc"), default=False
    )
    sessions_missed_limit = models.PositiveSmallIntegerField(
        _("đề xuất chuyển bước khi vắng mặt buổi làm việc (lần)"), default=2
    )
    # Case workload: how automatic cases are spread across the officers of an office.
    workload_measure = models.CharField(
        _("chia hồ sơ tự động theo"),
        max_length=8,
        choices=WorkloadMeasure.choices,
        default=WorkloadMeasure.CASES,
    )
    workload_share_above_mean = models.PositiveSmallIntegerField(
        _("một cán bộ nhận tối đa trên mức bình quân (%)"), default=20
    )
    # Partner deadlines: working days an organisation of each kind has to answer a referral
    # (weekends and the holiday table skipped), and how early its liaisons are reminded.
    answer_days_police = models.PositiveSmallIntegerField(
        _("hạn trả lời: công an (ngày làm việc)"), default=20
    )
    answer_days_labour_inspectorate = models.PositiveSmallIntegerField(
        _("hạn trả lời: thanh tra (ngày làm việc)"), default=15
    )
    answer_days_labour_federation = models.PositiveSmallIntegerField(
        _("hạn trả lời: công đoàn (ngày làm việc)"), default=10
    )
    answer_days_iz_board = models.PositiveSmallIntegerField(
        _("hạn trả lời: ban quản lý khu công nghiệp (ngày làm việc)"), default=10
    )
    answer_days_tax = models.PositiveSmallIntegerField(
        _("hạn trả lời: cơ quan thuế (ngày làm việc)"), default=15
    )
    answer_days_peoples_committee = models.PositiveSmallIntegerField(
        _("hạn trả lời: ủy ban nhân dân (ngày làm việc)"), default=15
    )
    answer_days_court = models.PositiveSmallIntegerField(
        _("hạn trả lời: tòa án (ngày làm việc)"), default=30
    )
    answer_days_procuracy = models.PositiveSmallIntegerField(
        _("hạn trả lời: viện kiểm sát (ngày làm việc)"), default=30
    )
    answer_reminder_days = models.PositiveSmallIntegerField(
        _("nhắc cơ quan phối hợp trước hạn (ngày làm việc)"), default=3
    )
    # Interest owed (rule 12): how a payment is split between contributions and interest.
    interest_split = models.CharField(
        _("thứ tự phân bổ khoản nộp"),
        max_length=24,
        choices=[
            (InterestSplit.CONTRIBUTIONS_FIRST.value, _("Trả số phải đóng trước")),
            (InterestSplit.INTEREST_FIRST.value, _("Trả tiền lãi còn nợ trước")),
        ],
        default=InterestSplit.CONTRIBUTIONS_FIRST.value,
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("ngưỡng và tham số")
        verbose_name_plural = _("ngưỡng và tham số")
        constraints = [
            models.CheckConstraint(condition=models.Q(id=1), name="policy_single_row"),
            models.CheckConstraint(
                condition=models.Q(monthly_request_day__gte=1, monthly_request_day__lte=10),
                name="policy_monthly_day_in_first_ten",
            ),
        ]

    def __str__(self) -> str:
        return str(_("Ngưỡng và tham số của cơ quan"))

    @classmethod
    def current(cls) -> Policy:
        policy, _created = cls.objects.get_or_create(id=1)
        return policy

    def answer_days(self, agency_kind: str) -> int:
        """The working days an organisation of ``agency_kind`` has to answer a referral."""
        return getattr(self, f"answer_days_{agency_kind}")

    @property
    def criminal_thresholds(self) -> CriminalThresholds:
        return CriminalThresholds(
            months=self.criminal_months,
            arrears=self.criminal_arrears,
            workers=self.criminal_workers,
        )

    @property
    def fine_rules(self) -> FineRules:
        hundred = Decimal(100)
        return FineRules(
            late_min_pct=self.fine_late_min_pct / hundred,
            late_max_pct=self.fine_late_max_pct / hundred,
            none_paid_min_pct=self.fine_none_paid_min_pct / hundred,
            none_paid_max_pct=self.fine_none_paid_max_pct / hundred,
            cap=self.fine_cap,
            evasion_min=self.evasion_fine_min,
            evasion_max=self.evasion_fine_max,
        )
