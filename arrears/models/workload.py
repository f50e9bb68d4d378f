"""Who works which case: an absent officer's hand-over for a period, and the stage moves a
bulk action could not make without an approval, waiting for it."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from arrears.models.cases import Decision, RecoveryCase, Stage


class HandOverQuerySet(models.QuerySet):
    def active_on(self, day: date) -> HandOverQuerySet:
        return self.filter(starts_on__lte=day, ends_on__gte=day)


class HandOver(models.Model):
    """An absent officer's open cases go to a substitute from ``starts_on`` to ``ends_on``.

    The cases are moved when the period starts (at once when it has started, else by the
    daily job) and the moved ones are kept in ``cases``; the day after ``ends_on`` the daily
    job gives back those the substitute still holds (one reassigned meanwhile stays where a
    manager put it). While the period runs the absent officer gets no automatic case."""

    absent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="hand_overs_out",
        verbose_name=_("cán bộ vắng"),
    )
    substitute = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="hand_overs_in",
        verbose_name=_("cán bộ nhận"),
    )
    starts_on = models.DateField(_("từ ngày"))
    ends_on = models.DateField(_("đến ngày"))
    reason = models.TextField(_("lý do"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(_("đã chuyển lúc"), null=True, blank=True)
    returned_at = models.DateTimeField(_("đã trả lại lúc"), null=True, blank=True)
    cases = models.ManyToManyField(RecoveryCase, blank=True, related_name="+")

    objects = HandOverQuerySet.as_manager()

    class Meta:
        verbose_name = _("bàn giao khi vắng")
        verbose_name_plural = _("bàn giao khi vắng")
        ordering = ["-starts_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(starts_on__lte=models.F("ends_on")),
                name="hand_over_dates_ordered",
            ),
            models.CheckConstraint(
                condition=~models.Q(absent=models.F("substitute")),
                name="hand_over_to_another",
            ),
        ]

    def __str__(self) -> str:
        period = f"{self.starts_on:%d/%m/%Y}-{self.ends_on:%d/%m/%Y}"
        return f"{self.absent} → {self.substitute} {period}"


class StageRequest(models.Model):
    """A stage move asked for in bulk that the ladder lets only an approver make (back down
    the ladder, a reopening, to the police without approval): it waits for the head of the
    employer's office or a manager."""

    case = models.ForeignKey(RecoveryCase, on_delete=models.CASCADE, related_name="stage_requests")
    to_stage = models.CharField(_("chuyển đến bước"), max_length=20, choices=Stage.choices)
    note = models.TextField(_("lý do"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    decision = models.CharField(
        _("quyết định"), max_length=10, choices=Decision.choices, default=Decision.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("đề nghị chuyển bước")
        verbose_name_plural = _("đề nghị chuyển bước")
        ordering = ["requested_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["case"],
                condition=models.Q(decision="pending"),
                name="one_pending_stage_request",
            )
        ]

    def __str__(self) -> str:
        return f"{self.case} → {self.get_to_stage_display()}"
