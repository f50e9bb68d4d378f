"""Each office's yearly plan of contributions to collect, with an optional monthly split."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from participants.models import Office


class CollectionPlan(models.Model):
    """An office's plan of contributions to collect for a year (``month`` None) or for one
    month of it (the optional split)."""

    office = models.ForeignKey(
        Office,
        on_delete=models.CASCADE,
        related_name="collection_plans",
        verbose_name=_("BHXH cơ sở"),
    )
    year = models.PositiveSmallIntegerField(_("năm"))
    month = models.PositiveSmallIntegerField(_("tháng"), null=True, blank=True)
    amount = models.BigIntegerField(_("kế hoạch thu (đồng)"))

    class Meta:
        verbose_name = _("kế hoạch thu")
        verbose_name_plural = _("kế hoạch thu")
        ordering = ["year", "office", "month"]
        constraints = [
            models.UniqueConstraint(
                fields=["office", "year", "month"],
                name="collection_plan_one_per_period",
                nulls_distinct=False,
            ),
            models.CheckConstraint(
                condition=models.Q(amount__gte=0, year__gte=1995, year__lte=2099)
                & (models.Q(month__isnull=True) | models.Q(month__gte=1, month__lte=12)),
                name="collection_plan_valid",
            ),
        ]

    def __str__(self) -> str:
        period = f"{self.month:02d}/{self.year}" if self.month else str(self.year)
        return f"{self.office_id} {period}: {self.amount}"
