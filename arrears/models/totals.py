"""The Balance table added up per office, employer status and aging bucket, kept by each
refresh of the table (``arrears.balance_totals``) for the pages that would otherwise add up
a region's employers on every view: the dashboard, the aging report, the employer list's
count."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from participants.models import Office


class BalanceTotal(models.Model):
    """The Balance rows of one office's employers of one status in one aging bucket: how
    many, how many in arrears, their workers affected (those in arrears only, rule 7) and
    their sums. Rewritten whole at each refresh."""

    office = models.ForeignKey(Office, on_delete=models.CASCADE, related_name="+")
    status = models.CharField(max_length=24)
    bucket = models.CharField(max_length=10)
    employers = models.PositiveIntegerField()
    in_arrears = models.PositiveIntegerField()
    workers = models.BigIntegerField()
    arrears = models.BigIntegerField()
    interest = models.BigIntegerField()
    interest_outstanding = models.BigIntegerField()

    class Meta:
        verbose_name = _("tổng số dư nợ")
        constraints = [
            models.UniqueConstraint(
                fields=["office", "status", "bucket"], name="balance_total_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.office_id} {self.status} {self.bucket}: {self.arrears}"


class BalanceTotalState(models.Model):
    """Which refresh the BalanceTotal rows add up: the BalanceState they were kept with
    (``as_of``, ``ledger_version``), and the Balance table's latest day and refresh time
    (what the dashboard keys its figures on). One row."""

    as_of = models.DateField(null=True)
    ledger_version = models.BigIntegerField(null=True)
    balance_as_of = models.DateField(null=True)
    refreshed_at = models.DateTimeField(null=True)

    class Meta:
        verbose_name = _("trạng thái tổng số dư nợ")

    def __str__(self) -> str:
        return f"{self.as_of}: {self.ledger_version}"
