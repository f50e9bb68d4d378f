"""What a run would do, without doing it: the counts a manager sees before confirming "run
now". Each reads what the run reads and writes nothing; its figures are the run's summary
keys (a run's own figures, as ``arrears.jobs.runs`` returns them) plus the e-mails it would
send."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from datetime import date

from django.db import transaction

from arrears.balances import BalanceRow, balances_as_of
from arrears.cases.selectors import employer_evasion_periods
from arrears.jobs.cycles import month_cycle, quarter_cycle, week_cycle
from arrears.jobs.digests import digest_recipients
from arrears.jobs.jobrun import served
from arrears.jobs.quarterly import quarterly_recipients
from arrears.jobs.reminders import notice_targets
from arrears.jobs.weekly import case_candidates, newly_broken
from arrears.models import JobRun, Policy, Reminder
from arrears.sessions.weekly import book_invited, weekly_targets
from participants.models import Employer

Channel = Reminder.Channel


def _new_reminders(kind: str, cycle: str, targets: Sequence[BalanceRow]) -> Counter[str]:
    """The reminders ``create_reminders`` would insert, per channel: one per target the cycle
    has none of this kind for, by e-mail where the employer has an address."""
    ids = [t.employer_id for t in targets]
    have = set(
        Reminder.objects.filter(cycle=cycle, kind=kind, employer_id__in=ids).values_list(
            "employer_id", flat=True
        )
    )
    emails = dict(Employer.objects.filter(pk__in=ids).values_list("pk", "email"))
    return Counter(Channel.EMAIL if emails[pk] else Channel.LETTER for pk in ids if pk not in have)


def preview_weekly(on: date) -> dict[str, int]:
    cycle = week_cycle(on)
    policy = Policy.current()
    candidates = notice_targets(on, policy=policy, skip_held=False)
    targeting = weekly_targets(on, cycle=cycle, policy=policy, candidates=candidates)
    targets = targeting.notices
    notices = _new_reminders(Reminder.Kind.NOTICE, cycle, targets)
    # Booking reads the calendar as it fills it: it runs as the job would, and is undone.
    with transaction.atomic():
        booked = book_invited(targeting.invitations, on=on, cycle=cycle)
        transaction.set_rollback(True)
    invited = [t for t in targeting.invitations if t.employer_id not in booked.waiting]
    invitations = _new_reminders(Reminder.Kind.INVITATION, cycle, invited)
    digests = digest_recipients(cycle).count()

    def first_time(key: str, ids: set[int]) -> int:  # as the run counts: once a cycle
        return len(ids - served(JobRun.Job.WEEKLY, cycle, f"ids_{key}"))

    left_out = {
        f"left_out_{reason}": first_time(f"left_out_{reason}", ids)
        for reason, ids in targeting.left_out.items()
    }
    return {
        "reminders": notices.total(),
        "reminders_email": notices[Channel.EMAIL],
        "reminders_letter": notices[Channel.LETTER],
        "invitations": invitations.total(),
        "sessions_booked": booked.booked,
        "sessions_waiting": first_time("waiting", booked.waiting),
        "left_out": sum(left_out.values()),
        **left_out,
        "cases_opened": len(case_candidates(targets=targets, on=on, policy=policy)),
        "commitments_broken": sum(1 for _found in newly_broken(on)),
        "digests": digests,
        "emails": notices[Channel.EMAIL] + invitations[Channel.EMAIL] + digests,
    }


def preview_monthly(on: date) -> dict[str, int]:
    made = _new_reminders(Reminder.Kind.FORMAL_REQUEST, month_cycle(on), notice_targets(on))
    return {
        "formal_requests": made.total(),
        "formal_requests_email": made[Channel.EMAIL],
        "formal_requests_letter": made[Channel.LETTER],
        "emails": made[Channel.EMAIL],
    }


def preview_quarterly(on: date) -> dict[str, int]:
    late = balances_as_of(on, in_arrears=True)
    employers = Employer.objects.in_bulk([row.employer_id for row in late])
    deliveries = quarterly_recipients(quarter_cycle(on)).count()
    return {
        "late": len(late),
        "evading": sum(
            1 for row in late if employer_evasion_periods(employers[row.employer_id], on)
        ),
        "deliveries": deliveries,
        "emails": deliveries,
    }


PREVIEWS: dict[str, Callable[[date], dict[str, int]]] = {
    JobRun.Job.WEEKLY: preview_weekly,
    JobRun.Job.MONTHLY: preview_monthly,
    JobRun.Job.QUARTERLY: preview_quarterly,
}
