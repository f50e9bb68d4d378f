"""What is owed and what came in: contributions due, payments, interest rates, balances."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models
from django.utils.translation import gettext_lazy as _

from arrears import ledger
from participants.models import Employer

if TYPE_CHECKING:
    from accounts.models import User


class ContributionQuerySet(models.QuerySet):
    def in_scope(self, user: User) -> ContributionQuerySet:
        return self.filter(employer__in=Employer.objects.in_scope(user))


class Contribution(models.Model):
    """One employer's contributions for one month, as declared in the office's statement."""

    # No index of its own: the unique (employer, period) index serves employer lookups, and
    # one index fewer is what province-scale imports pay on every row.
    employer = models.ForeignKey(
        Employer,
        on_delete=models.CASCADE,
        related_name="contributions",
        verbose_name=_("đơn vị"),
        db_index=False,
    )
    period = models.DateField(_("kỳ đóng"), help_text=_("Ngày đầu tháng của kỳ đóng."))
    employees = models.PositiveIntegerField(_("số lao động"))
    wage_fund = models.BigIntegerField(_("quỹ lương"))
    si = models.BigIntegerField(_("BHXH"))
    hi = models.BigIntegerField(_("BHYT"))
    ui = models.BigIntegerField(_("BHTN"))
    oaod = models.BigIntegerField(_("BHTNLĐ-BNN"))
    total = models.GeneratedField(
        expression=models.F("si") + models.F("hi") + models.F("ui") + models.F("oaod"),
        output_field=models.BigIntegerField(),
        db_persist=True,
        verbose_name=_("tổng phải đóng"),
    )
    # Derived from the period and the employer's payment method (ledger.due_date); kept here
    # so the set-based balance SQL reads it, and rewritten when the payment method changes.
    due_on = models.DateField(_("hạn đóng"))

    objects = ContributionQuerySet.as_manager()

    class Meta:
        verbose_name = _("số phải đóng")
        verbose_name_plural = _("số phải đóng")
        ordering = ["employer", "period"]
        constraints = [
            models.UniqueConstraint(
                fields=["employer", "period"], name="contribution_one_per_period"
            ),
            models.CheckConstraint(
                condition=models.Q(period__day=1), name="contribution_period_first_of_month"
            ),
            models.CheckConstraint(
                condition=models.Q(wage_fund__gte=0, si__gte=0, hi__gte=0, ui__gte=0, oaod__gte=0),
                name="contribution_amounts_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.employer.unit_code} {self.period:%m/%Y}"


class PaymentQuerySet(models.QuerySet):
    def in_scope(self, user: User) -> PaymentQuerySet:
        return self.filter(employer__in=Employer.objects.in_scope(user))


class Payment(models.Model):
    class Purpose(models.TextChoices):
        CONTRIBUTIONS = "contributions", _("nộp số phải đóng")
        INTEREST = "interest", _("nộp tiền lãi chậm đóng")

    # Indexed by payment_employer_date below, which serves employer lookups too.
    employer = models.ForeignKey(
        Employer,
        on_delete=models.CASCADE,
        related_name="payments",
        verbose_name=_("đơn vị"),
        db_index=False,
    )
    paid_on = models.DateField(_("ngày nộp"))
    amount = models.BigIntegerField(_("số tiền"))
    # The bank's reference: importing the same statement twice changes nothing.
    reference = models.CharField(_("số chứng từ"), max_length=64)
    purpose = models.CharField(
        _("nội dung nộp"),
        max_length=16,
        choices=Purpose.choices,
        db_default=Purpose.CONTRIBUTIONS,  # rows written in SQL (imports, demo) too
    )
    # Rule 12 (ledger.split_receipts): what of the payment pays interest, by its purpose or the
    # office's split, and the credit an officer moved from it to interest; kept by
    # arrears.interest.services.resplit so that the set-based balances read the rest.
    interest_part = models.BigIntegerField(_("phần trả tiền lãi"), db_default=0)
    moved_part = models.BigIntegerField(_("phần chuyển sang tiền lãi"), db_default=0)
    to_contributions = models.GeneratedField(
        expression=models.F("amount") - models.F("interest_part") - models.F("moved_part"),
        output_field=models.BigIntegerField(),
        db_persist=True,
        verbose_name=_("phần trả số phải đóng"),
    )

    objects = PaymentQuerySet.as_manager()

    class Meta:
        verbose_name = _("khoản nộp")
        verbose_name_plural = _("khoản nộp")
        ordering = ["employer", "paid_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount__gt=0), name="payment_amount_positive"
            ),
            # A constraint rather than unique=True: no second (LIKE) index to maintain.
            models.UniqueConstraint(fields=["reference"], name="payment_reference_unique"),
            models.CheckConstraint(
                condition=models.Q(
                    interest_part__gte=0,
                    moved_part__gte=0,
                    amount__gte=models.F("interest_part") + models.F("moved_part"),
                ),
                name="payment_parts_within_amount",
            ),
        ]
        indexes = [
            # Allocation walks each employer's payments in date order.
            models.Index(fields=["employer", "paid_on"], name="payment_employer_date"),
        ]

    def __str__(self) -> str:
        return f"{self.reference} ({self.amount})"


class CreditMoveQuerySet(models.QuerySet):
    def in_scope(self, user: User) -> CreditMoveQuerySet:
        return self.filter(employer__in=Employer.objects.in_scope(user))


class CreditMove(models.Model):
    """An officer's allocation of an employer's credit (paid beyond its contributions) to its
    interest, from a day on (rule 12)."""

    employer = models.ForeignKey(
        Employer, on_delete=models.CASCADE, related_name="credit_moves", verbose_name=_("đơn vị")
    )
    moved_on = models.DateField(_("ngày chuyển"))
    amount = models.BigIntegerField(_("số tiền"))
    note = models.CharField(_("ghi chú"), max_length=255, blank=True)
    by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, related_name="+", verbose_name=_("người chuyển")
    )
    created_at = models.DateTimeField(_("lúc"), auto_now_add=True)

    objects = CreditMoveQuerySet.as_manager()

    class Meta:
        verbose_name = _("chuyển số nộp thừa sang tiền lãi")
        verbose_name_plural = _("chuyển số nộp thừa sang tiền lãi")
        ordering = ["employer", "moved_on", "id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="credit_move_positive")
        ]

    def __str__(self) -> str:
        return f"{self.employer_id}: {self.amount} ({self.moved_on:%d/%m/%Y})"


class InterestRate(models.Model):
    """The daily late-payment rate in force from a date: the law is data, not code."""

    valid_from = models.DateField(_("áp dụng từ ngày"), unique=True)
    daily_rate = models.DecimalField(_("lãi suất/ngày"), max_digits=10, decimal_places=8)
    note = models.CharField(_("căn cứ"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("lãi suất chậm đóng")
        verbose_name_plural = _("lãi suất chậm đóng")
        ordering = ["valid_from"]
        constraints = [
            models.CheckConstraint(condition=models.Q(daily_rate__gte=0), name="rate_not_negative")
        ]

    def __str__(self) -> str:
        return f"{self.daily_rate * 100} %/ngày từ {self.valid_from:%d/%m/%Y}"

    @classmethod
    def table(cls) -> tuple[ledger.Rate, ...]:
        return tuple(
            ledger.Rate(valid_from=r.valid_from, daily_rate=r.daily_rate)
            for r in cls.objects.order_by("valid_from")
        )


class BalanceQuerySet(models.QuerySet):
    def in_scope(self, user: User) -> BalanceQuerySet:
        return self.filter(employer__in=Employer.objects.in_scope(user))

    def in_arrears(self) -> BalanceQuerySet:
        return self.filter(arrears__gt=0)


class Balance(models.Model):
    """Each employer's figures as of `as_of` (today), precomputed for lists and dashboards.

    Refreshed after every import or payment and nightly by beat; reports for another date
    compute from the ledger instead.
    """

    employer = models.OneToOneField(
        Employer, on_delete=models.CASCADE, primary_key=True, related_name="balance"
    )
    as_of = models.DateField(_("tính đến ngày"))
    arrears = models.BigIntegerField(_("số nợ"), default=0)
    months_in_arrears = models.PositiveIntegerField(_("số tháng nợ"), default=0)
    oldest_unpaid_period = models.DateField(_("kỳ nợ sớm nhất"), null=True, blank=True)
    interest = models.BigIntegerField(_("tiền lãi chậm đóng"), default=0)
    interest_outstanding = models.BigIntegerField(_("tiền lãi còn nợ"), default=0)
    bucket = models.CharField(
        _("nhóm tuổi nợ"),
        max_length=10,
        choices=[
            (ledger.Bucket.NONE.value, _("Không nợ")),
            (ledger.Bucket.UNDER_3.value, _("Dưới 3 tháng")),
            (ledger.Bucket.FROM_3_TO_6.value, _("Từ 3 đến dưới 6 tháng")),
            (ledger.Bucket.FROM_6_TO_12.value, _("Từ 6 đến dưới 12 tháng")),
            (ledger.Bucket.OVER_12.value, _("Từ 12 tháng trở lên")),
        ],
        default=ledger.Bucket.NONE.value,
    )
    workers_affected = models.PositiveIntegerField(_("lao động bị ảnh hưởng"), default=0)
    refreshed_at = models.DateTimeField(_("cập nhật lúc"))

    objects = BalanceQuerySet.as_manager()

    class Meta:
        verbose_name = _("số dư nợ")
        verbose_name_plural = _("số dư nợ")
        indexes = [
            # Lists sorted by arrears, largest first, and "in arrears" filters.
            models.Index(fields=["-arrears"], name="balance_arrears_desc"),
            models.Index(fields=["bucket"], name="balance_bucket"),
        ]

    def __str__(self) -> str:
        return f"{self.employer_id}: {self.arrears} ({self.as_of:%d/%m/%Y})"


class LedgerStamp(models.Model):
    """A count PostgreSQL raises by statement triggers (migration 0006) whenever something the
    balances are computed from changes: contributions, payments, interest rates, employers,
    offices. It is raised inside the writer's transaction, so a reader sees the new count
    only together with the change. One row."""

    version = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("phiên bản sổ nợ")

    def __str__(self) -> str:
        return str(self.version)


class BalanceState(models.Model):
    """What the Balance table holds: the figures on ``as_of`` computed from the ledger as it
    stood at ``ledger_version`` (or later). One row, written by ``refresh_balances``."""

    as_of = models.DateField(null=True)
    ledger_version = models.BigIntegerField(null=True)
    # The last refresh, whatever it rewrote (a row's own ``refreshed_at`` is when it was
    # last computed): the dashboard's "updated at".
    refreshed_at = models.DateTimeField(null=True)

    class Meta:
        verbose_name = _("trạng thái số dư nợ")

    def __str__(self) -> str:
        return f"{self.as_of}: {self.ledger_version}"


class BalancePiece(models.Model):
    """A part of a contribution settled by a payment (``paid_on``), or what no payment settles
    (``paid_on`` null): the allocation of rule 2, which does not depend on the date, kept so
    that ``arrears.balances`` reads any date in one scan. A contribution's first row (``head``)
    carries what counts once per contribution; ``parts`` is how many rows it has.

    Rewritten by ``refresh_balances`` for the employers in BalanceChange, past each one's
    settled prefix (BalancePrefix); no foreign keys (rows of a deleted employer are never
    read: its deletion marks it changed).
    """

    employer_id = models.BigIntegerField()
    period = models.DateField()
    due_on = models.DateField()
    paid_on = models.DateField(null=True)
    amount = models.BigIntegerField()
    parts = models.PositiveIntegerField()
    head = models.BooleanField()
    # On the head row only: rule 7's workers, the employer's next period, and the day the
    # last of the contribution was paid (null while any is unpaid, -infinity for 0).
    employees = models.PositiveIntegerField(null=True)
    next_period = models.DateField(null=True)
    settled_on = models.DateField(null=True)

    class Meta:
        verbose_name = _("phần phân bổ khoản nộp")
        # By employer, and by its periods for the refresh's tail past the settled prefix.
        indexes = [
            models.Index(fields=["employer_id", "period"], name="balancepiece_employer_period")
        ]

    def __str__(self) -> str:
        return f"{self.employer_id} {self.period:%m/%Y}: {self.amount} ({self.paid_on})"


class BalanceChange(models.Model):
    """An employer whose contributions, payments or credit moves changed since the last
    ``refresh_balances`` (statement triggers of migrations 0016 and 0017 add it in the
    writer's transaction): its BalancePiece rows and Balance row are not to be trusted.

    What changed earliest, kept by the triggers with ``least()``: ``period``, the least period
    of the contributions written, updated or deleted, and ``paid_on``, the least date of the
    payments (and credit moves); null when none. ``whole`` (employers added or removed, a
    table emptied): every piece is recomputed. The refresh keeps the pieces before them."""

    employer_id = models.BigIntegerField(primary_key=True)
    period = models.DateField(null=True)
    paid_on = models.DateField(null=True)
    whole = models.BooleanField(db_default=True)

    class Meta:
        verbose_name = _("đơn vị có thay đổi sổ nợ")

    def __str__(self) -> str:
        return str(self.employer_id)


class BalancePrefix(models.Model):
    """An employer's settled prefix: its contributions up to ``last`` (period order), each
    paid in full by ``settled`` and followed by another (``next_period``: the one after
    ``last``), with what ``refresh_balances`` needs of them instead of their pieces: their
    money (``since``, K), what of it payments dated before ``settled`` paid (``paid_before``,
    B), their interest rounded per contribution (rates as they stood: forgotten when rates
    change) and ``last``'s workers (rule 7). Its BalancePiece rows stay; written with them.

    ``settled`` is -infinity for a prefix of contributions of 0 only (read in SQL only)."""

    employer_id = models.BigIntegerField(primary_key=True)
    last = models.DateField()
    settled = models.DateField()
    since = models.BigIntegerField()
    paid_before = models.BigIntegerField()
    interest = models.BigIntegerField()
    employees = models.PositiveIntegerField()
    next_period = models.DateField()

    class Meta:
        verbose_name = _("phần đã trả đủ của sổ nợ")

    def __str__(self) -> str:
        return f"{self.employer_id}: {self.last:%m/%Y}"
