"""Interest owed (rule 12): keeping each payment's split between contributions and interest,
and an officer moving an employer's credit to its interest.

The split is ``ledger.split_receipts``; it is kept on the payments (``interest_part``,
``moved_part``) so that the set-based balances read what settles contributions
(``Payment.to_contributions``). It is rewritten for the employers touched when payments come
in, when contributions come in under "interest first" (the interest on a payment's date
depends on them), when credit is moved, and for everyone when the office changes its split.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

from django.db import connection, transaction
from django.db.models.signals import pre_save
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext as _

import audit
from arrears import balances, ledger
from arrears.models import Contribution, CreditMove, InterestRate, Payment, Policy
from arrears.selectors import employer_dues
from audit.models import AuditEntry
from desk import queue
from desk.templatetags.desk import vnd

if TYPE_CHECKING:
    from accounts.models import User
    from participants.models import Employer


class InterestError(Exception):
    """The move cannot be made; the message is for the user."""


def interest_first() -> bool:
    return Policy.current().interest_split == ledger.InterestSplit.INTEREST_FIRST


def purpose_part_sql(purpose: str, amount: str) -> str:
    """SQL for the interest part a payment's purpose alone gives it (``purpose`` and
    ``amount`` SQL expressions): the whole of a payment for interest, nothing otherwise."""
    return f"CASE WHEN {purpose} = '{Payment.Purpose.INTEREST}' THEN {amount} ELSE 0 END"


# Under "contributions first" a payment's split needs no ledger: by its purpose, unless
# credit was moved from it. One statement for the employers without moves.
_BY_PURPOSE_SQL = f"""
UPDATE arrears_payment p
SET interest_part = {purpose_part_sql("p.purpose", "p.amount")}, moved_part = 0
WHERE ({{scope}})
  AND NOT EXISTS (SELECT FROM arrears_creditmove m WHERE m.employer_id = p.employer_id)
  AND (p.interest_part, p.moved_part)
      IS DISTINCT FROM ({purpose_part_sql("p.purpose", "p.amount")}, 0)
"""  # noqa: S608  (our own SQL)


_BATCH = 500  # employers whose ledgers are loaded together


def resplit(employer_ids: Iterable[int] | None = None) -> int:
    """Rewrite the split of the payments of the employers given (every employer's if None)
    from the ledger; returns how many payments changed. In the caller's transaction."""
    ids = None if employer_ids is None else sorted(set(employer_ids))
    split = Policy.current().interest_split
    changed = 0
    ledgered = Payment.objects.all() if ids is None else Payment.objects.filter(employer_id__in=ids)
    if split == ledger.InterestSplit.CONTRIBUTIONS_FIRST:
        with connection.cursor() as cursor:
            scope = "TRUE" if ids is None else "p.employer_id = ANY(%s)"
            cursor.execute(_BY_PURPOSE_SQL.format(scope=scope), [] if ids is None else [ids])
            changed += cursor.rowcount
        ledgered = ledgered.filter(employer__credit_moves__isnull=False)
    # Without the model's ordering, whose columns DISTINCT would take in: one row an employer.
    employers = list(
        ledgered.order_by("employer_id").values_list("employer_id", flat=True).distinct()
    )
    for start in range(0, len(employers), _BATCH):  # a province's ledgers a batch at a time
        changed += _resplit_by_ledger(set(employers[start : start + _BATCH]), split)
    return changed


def resplit_imported(employers: str, params: Sequence[object] = ()) -> int:
    """Rewrite the split where an import may have changed it, for the employers whose ids
    ``employers`` (SQL, with ``params``) selects; returns how many payments changed.

    New payments come in split by their purpose (``purpose_part_sql``), and a payment's split
    under "contributions first" is that unless credit was moved from the employer's payments:
    only those employers' ledgers are read, so a month's statements cost what their rows do,
    not what the table holds. Under "interest first" every one of them is read.
    """
    query = f"SELECT DISTINCT t.id FROM ({employers}) AS t(id)"  # noqa: S608
    if not interest_first():
        query += " WHERE EXISTS (SELECT FROM arrears_creditmove AS m WHERE m.employer_id = t.id)"
    with connection.cursor() as cursor:
        cursor.execute(query, params)
        ids = [employer_id for (employer_id,) in cursor.fetchall()]
    return resplit(ids) if ids else 0


def _resplit_by_ledger(employer_ids: set[int], split: str) -> int:
    """The split of the employers' payments from ``ledger.split_receipts``, loaded at once."""
    rates = InterestRate.table()
    dues: dict[int, list[ledger.Due]] = defaultdict(list)
    for employer_id, period, total, due_on in (
        Contribution.objects.filter(employer_id__in=employer_ids)
        .order_by("employer_id", "period")
        .values_list("employer_id", "period", "total", "due_on")
    ):
        dues[employer_id].append(ledger.Due(period, total, due_on))
    moves: dict[int, list[ledger.Paid]] = defaultdict(list)
    for move in CreditMove.objects.filter(employer_id__in=employer_ids).order_by("moved_on", "id"):
        moves[move.employer_id].append(ledger.Paid(move.moved_on, move.amount))
    payments: dict[int, list[Payment]] = defaultdict(list)
    for payment in Payment.objects.filter(employer_id__in=employer_ids).order_by("paid_on", "id"):
        payments[payment.employer_id].append(payment)
    changed = []
    for employer_id, rows in payments.items():
        receipts = [_receipt(p) for p in rows]
        splits = ledger.split_receipts(
            dues[employer_id], receipts, moves[employer_id], split, rates
        )
        for payment, part in zip(rows, splits, strict=True):
            if (payment.interest_part, payment.moved_part) != (part.interest, part.moved):
                payment.interest_part, payment.moved_part = part.interest, part.moved
                changed.append(payment)
    Payment.objects.bulk_update(changed, ["interest_part", "moved_part"], batch_size=1000)
    return len(changed)


def _receipt(payment: Payment) -> ledger.Receipt:
    return ledger.Receipt(
        payment.paid_on, payment.amount, payment.purpose == Payment.Purpose.INTEREST
    )


@receiver(pre_save, sender=Policy, dispatch_uid="arrears.interest.split_changed")
def _split_changed(sender: object, instance: Policy, **kwargs: Any) -> None:
    """The office changed how payments are split: every employer's payments are resplit in a
    worker once the change commits, then the balances refreshed."""
    before = list(Policy.objects.filter(pk=instance.pk).values_list("interest_split", flat=True))
    if before and before[0] != instance.interest_split:
        queue.send_on_commit("arrears.tasks.resplit_payments_task")


def move_credit(*, employer: Employer, on: date, amount: int, note: str, by: User) -> CreditMove:
    """Move ``amount`` of the employer's credit on ``on`` (what it paid beyond all its
    contributions) to its interest; audited. Refused beyond the credit of that day, for a
    day after today, or before the employer's latest move (moves go in date order)."""
    if amount <= 0:
        raise InterestError(_("Số tiền chuyển phải lớn hơn 0."))
    if on > timezone.localdate():
        raise InterestError(_("Ngày chuyển không được sau hôm nay."))
    with transaction.atomic():
        latest = employer.credit_moves.order_by("-moved_on").first()
        if latest is not None and on < latest.moved_on:
            raise InterestError(
                _("Đã có lần chuyển ngày %(day)s: ngày chuyển không được trước ngày đó.")
                % {"day": latest.moved_on.strftime("%d/%m/%Y")}
            )
        dues = employer_dues(employer)
        paid = [
            ledger.Paid(paid_on, settles)
            for paid_on, settles in employer.payments.values_list("paid_on", "to_contributions")
        ]
        available = ledger.credit(dues, paid, on)
        if amount > available:
            raise InterestError(
                _("Số nộp thừa ngày %(day)s chỉ còn %(credit)s: không chuyển được %(amount)s.")
                % {"day": on.strftime("%d/%m/%Y"), "credit": vnd(available), "amount": vnd(amount)}
            )
        move = CreditMove.objects.create(
            employer=employer, moved_on=on, amount=amount, note=note, by=by
        )
        resplit([employer.pk])
        audit.record(
            by,
            AuditEntry.Action.CREDIT_TO_INTEREST,
            employer,
            f"{vnd(amount)} ngày {on:%d/%m/%Y}" + (f": {note}" if note else ""),
        )
        balances.request_balance_refresh()
    return move
