"""The weekly digests: each officer's work of the week, each manager's figures of the week;
each recipient served once per week (recorded on the week's JobRun)."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import date, timedelta

from django.core.mail import EmailMessage, get_connection
from django.db.models import Count, Q, QuerySet
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from accounts.models import User
from arrears.balances import BalanceRow
from arrears.jobs.cycles import week_bounds
from arrears.jobs.jobrun import record_served, served
from arrears.models import (
    LADDER,
    Booking,
    Hold,
    Instalment,
    JobRun,
    RecoveryCase,
    Referral,
    Reminder,
)

log = logging.getLogger(__name__)

Kind = Reminder.Kind
Channel = Reminder.Channel
Status = Reminder.Status


def digest_recipients(cycle: str) -> QuerySet[User]:
    """Those the week's digest goes to and who have not had it yet."""
    already = served(JobRun.Job.WEEKLY, cycle, "digest_recipients")
    return (
        User.objects.filter(
            role__in=[User.Role.OFFICER, User.Role.MANAGER], is_active=True, is_superuser=False
        )
        .exclude(email="")
        .exclude(pk__in=already)
        .order_by("pk")
    )


def send_digests(run: JobRun, *, on: date, rows: Sequence[BalanceRow]) -> tuple[int, int]:
    """One e-mail to each officer (their follow-ups, instalments and broken commitments this
    week) and each manager (the week's figures), once per week. Returns (sent, failed)."""
    monday, sunday = week_bounds(on)
    recipients = digest_recipients(run.cycle)
    figures = _week_figures(run.cycle, monday, sunday, rows) if recipients else {}
    sent = failed = 0
    mail = get_connection()
    for user in recipients:
        with translation.override(user.language):
            if user.role == User.Role.MANAGER:
                subject = _("Số liệu thu nợ tuần %(cycle)s") % {"cycle": run.cycle}
                context = {"user": user, **figures}
                template = "arrears/jobs/email/digest_manager.txt"
            else:
                subject = _("Việc cần làm tuần %(cycle)s") % {"cycle": run.cycle}
                context = {"user": user, **_officer_items(user, monday, sunday)}
                template = "arrears/jobs/email/digest_officer.txt"
            context.update(cycle=run.cycle, monday=monday, sunday=sunday)
            body = render_to_string(template, context)
        try:
            EmailMessage(subject, body, to=[user.email], connection=mail).send()
        except OSError:
            log.exception("digest to %s failed", user.username)
            failed += 1
            continue
        record_served(run, "digest_recipients", user.pk)
        sent += 1
    return sent, failed


def _officer_items(officer: User, monday: date, sunday: date) -> dict[str, object]:
    mine = Q(commitment__case__officer=officer)
    return {
        "follow_ups": RecoveryCase.objects.open()
        .filter(officer=officer, follow_up_on__lte=sunday)
        .select_related("employer")
        .order_by("follow_up_on", "pk"),
        "instalments_due": Instalment.objects.filter(
            mine, commitment__case__stage__in=LADDER, due_on__range=(monday, sunday)
        )
        .select_related("commitment__case__employer")
        .order_by("due_on", "pk"),
        "broken": Instalment.objects.filter(mine, broken_flagged_on__range=(monday, sunday))
        .select_related("commitment__case__employer")
        .order_by("due_on", "pk"),
    }


def _week_figures(
    cycle: str, monday: date, sunday: date, rows: Sequence[BalanceRow]
) -> dict[str, object]:
    in_arrears = [r for r in rows if r.arrears > 0]
    reminders = Reminder.objects.filter(cycle=cycle).aggregate(
        notices=Count("pk", filter=Q(kind=Kind.NOTICE)),
        by_email=Count("pk", filter=Q(kind=Kind.NOTICE, channel=Channel.EMAIL)),
        by_letter=Count("pk", filter=Q(kind=Kind.NOTICE, channel=Channel.LETTER)),
        invitations=Count("pk", filter=Q(kind=Kind.INVITATION)),
        failed=Count("pk", filter=Q(status=Status.FAILED)),
    )
    return {
        "employers_in_arrears": len(in_arrears),
        "arrears": sum(r.arrears for r in in_arrears),
        "interest": sum(r.interest for r in in_arrears),
        "reminders": reminders,
        "cases_opened": RecoveryCase.objects.filter(opened_on__range=(monday, sunday)).count(),
        "open_cases": RecoveryCase.objects.open().count(),
        "commitments_broken": Instalment.objects.filter(broken_flagged_on__range=(monday, sunday))
        .values("commitment")
        .distinct()
        .count(),
        "holds": Hold.objects.active_on(monday).count(),
        "sessions": Booking.objects.counts(monday - timedelta(days=7), monday - timedelta(days=1)),
        "referrals_overdue": Referral.objects.overdue(monday).count(),
    }
