"""The office's thresholds: what the law leaves to the office, or may change by decree.

One row, edited by managers in the application, so a new decree needs no release.
"""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _

from arrears.law import CriminalThresholds, FineRules
from arrears.ledger import InterestSplit


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
