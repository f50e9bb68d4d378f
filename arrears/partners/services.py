"""Partner work that writes: a referral's deadline fixed when it is sent, its liaisons'
notices (in the inbox, and by e-mail once committed), the reminders before and after the
deadline (a daily beat job, idempotent: one notice per referral, liaison and kind), and
reading a notice."""

from __future__ import annotations

from collections import Counter
from datetime import date

from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from accounts.models import User
from arrears.models import Policy, Referral, ReferralNotice, ReferralStatus
from arrears.partners.selectors import answer_deadline, working_days_left
from desk import queue

Kind = ReferralNotice.Kind


def fix_deadline(referral: Referral, policy: Policy | None = None) -> None:
    """Set (not save) the referral's answer deadline from its sending date and agency kind."""
    referral.answer_due_on = answer_deadline(
        referral.sent_on, referral.agency.kind, referral.case.employer.office, policy
    )


def notify(referral: Referral, kind: str) -> int:
    """A notice of ``kind`` to each active liaison of the referral's organisation that has not
    had one; each new one is e-mailed once the transaction commits. Returns how many."""
    liaisons = User.objects.filter(
        role=User.Role.LIAISON, agency_id=referral.agency_id, is_active=True
    ).values_list("pk", flat=True)
    created = 0
    for pk in liaisons:
        notice, new = ReferralNotice.objects.get_or_create(
            referral=referral, recipient_id=pk, kind=kind
        )
        if new:
            created += 1
            queue.send_on_commit("arrears.tasks.email_referral_notice_task", notice.pk)
    return created


def email_notice(notice_id: int) -> bool:
    """E-mail one notice to its liaison, once (locked, and stamped when sent). Returns
    whether it was sent now; a liaison without an address has only the inbox."""
    with transaction.atomic():
        notice = (
            ReferralNotice.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("recipient", "referral__agency", "referral__case__employer")
            .filter(pk=notice_id, emailed_at__isnull=True)
            .first()
        )
        if notice is None or not notice.recipient.email:
            return False
        referral = notice.referral
        with translation.override(notice.recipient.language):
            subject = f"{notice.get_kind_display()}: {referral.case.employer.name}"
            body = render_to_string(
                "arrears/partners/email/notice.txt",
                {
                    "notice": notice,
                    "referral": referral,
                    "path": reverse("case_detail", args=[referral.case_id]),
                },
            )
        EmailMessage(subject, body, to=[notice.recipient.email]).send()
        notice.emailed_at = timezone.now()
        notice.save(update_fields=["emailed_at"])
    return True


def remind_deadlines(on: date | None = None) -> dict[str, int]:
    """The daily reminders: a notice to the liaisons of each unanswered referral whose
    deadline is within the policy's working days (``due_soon``) or past (``overdue``). A
    second run the same day, or any later day, adds nothing already sent."""
    on = on or timezone.localdate()
    policy = Policy.current()
    counts: Counter[str] = Counter()
    pending = (
        Referral.objects.filter(status=ReferralStatus.SENT, answer_due_on__isnull=False)
        .select_related("case__employer__office")
        .order_by("pk")
    )
    for referral in pending:
        left = working_days_left(referral, on)
        if referral.answer_due_on < on:
            kind = Kind.OVERDUE
        elif left is not None and left <= policy.answer_reminder_days:
            kind = Kind.DUE_SOON
        else:
            continue
        with transaction.atomic():
            counts[kind] += notify(referral, kind)
    return {kind.value: counts[kind] for kind in Kind if kind != Kind.RECEIVED}


def mark_read(notice: ReferralNotice) -> None:
    if notice.read_at is None:
        notice.read_at = timezone.now()
        notice.save(update_fields=["read_at"])
