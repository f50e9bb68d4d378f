"""The office's scheduled work: the weekly reminders (DOMAIN.md rule 9), invitations, cases
opened automatically, broken commitments and digests; the monthly formal request and the
quarterly list of Decree 274/2025; the nightly balance refresh; holds on notices.

Every run is safe to repeat and to interrupt:

- one run per job and cycle at a time: a session advisory lock held for the whole run (two
  beats or workers: the second gets ``JobBusy``), with the ``JobRun`` "one running" constraint
  behind it. PostgreSQL drops the lock with the connection, so a worker killed half-way
  leaves its ``JobRun`` "running" and the next run, holding the lock, marks it interrupted;
- rows first, sending after: reminders are inserted with ON CONFLICT DO NOTHING (unique per
  employer, cycle and kind), so a rerun inserts only what is missing and its summary counts
  only that; delivery (``deliver_reminder``, in ``send_reminder_task``) takes the reminders
  still pending or failed, under a row lock, and records each failure on the reminder;
- digests and the quarterly list record who got them, per cycle, on the cycle's ``JobRun``.

PDFs cost tens of milliseconds each, so each is rendered once, where workers can share the
load: an e-mail's in its own send task, a district's letters for the post together in one
merged document (``post_letters_task``), which is also those letters' stored document.
"""

from __future__ import annotations

import logging
import os
import re
import tempfile
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date, timedelta
from io import BytesIO
from pathlib import Path

import xlsxwriter
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.mail import EmailMessage, get_connection
from django.db import DatabaseError, connection, transaction
from django.db.models import Count, F, Max, Q, QuerySet
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import Agency, User
from arrears import law, ledger
from arrears.balances import BalanceRow, balances_as_of, refresh_balances
from arrears.cases import services as cases
from arrears.documents import letters as documents
from arrears.models import (
    LADDER,
    CaseEvent,
    Commitment,
    Contribution,
    DocumentTemplate,
    EventKind,
    Hold,
    Instalment,
    InterestRate,
    JobRun,
    Policy,
    RecoveryCase,
    Reminder,
)
from arrears.selectors import employer_ledger
from arrears.tasks import post_letters_task, send_reminder_task
from desk.text import grouped
from participants.models import District, Employer

log = logging.getLogger(__name__)

Kind = Reminder.Kind
Channel = Reminder.Channel
Status = Reminder.Status

WEEKLY_KEYS = (
    "reminders",
    "reminders_email",
    "reminders_letter",
    "invitations",
    "cases_opened",
    "commitments_broken",
    "digests",
)
MONTHLY_KEYS = ("formal_requests", "formal_requests_email", "formal_requests_letter")
QUARTERLY_KEYS = ("late", "evading", "deliveries")
NIGHTLY_KEYS = ("balances", "requeued")

# Rule 9: no notice to an employer that no longer exists.
NO_NOTICE_STATUSES = (Employer.Status.DISSOLVED, Employer.Status.BANKRUPT)
# Decree 274: the state management and inspection agencies that get the quarterly list.
STATE_AGENCIES = (
    Agency.Code.LABOUR_INSPECTORATE,
    Agency.Code.IZ_BOARD,
    Agency.Code.TAX,
    Agency.Code.PEOPLES_COMMITTEE,
)
# Decree 274: the monthly request within the month's first 10 days; the quarterly list before
# the 15th of the quarter's first month.
MONTHLY_LAST_DAY = 10
QUARTERLY_LAST_DAY = 14
# The nightly run queues again the reminders still unsent that are at most this old.
REQUEUE_DAYS = 31

LETTER_KINDS = {
    Kind.NOTICE: DocumentTemplate.Kind.REMINDER_NOTICE,
    Kind.INVITATION: DocumentTemplate.Kind.SESSION_INVITATION,
    Kind.FORMAL_REQUEST: DocumentTemplate.Kind.FORMAL_REQUEST,
}


class JobError(Exception):
    """A rule refused the change; the message is for the user."""


class JobBusy(JobError):
    """Another process is running the same job for the same cycle."""


# --------------------------------------------------------------------------------------------
# Cycles


# A cycle as the URLs take it: a week "2026-W47", a month "2026-11", a quarter "2026-Q4".
CYCLE_PATTERN = re.compile(r"[0-9]{4}-(W[0-9]{2}|[0-9]{2}|Q[1-4])")


def week_cycle(on: date) -> str:
    """ISO week: 2026-11-16 -> "2026-W47"."""
    year, week, _day = on.isocalendar()
    return f"{year}-W{week:02d}"


def month_cycle(on: date) -> str:
    return f"{on:%Y-%m}"


def quarter_cycle(on: date) -> str:
    return f"{on.year}-Q{(on.month - 1) // 3 + 1}"


def week_bounds(on: date) -> tuple[date, date]:
    """Monday and Sunday of the ISO week holding ``on``."""
    monday = on - timedelta(days=on.weekday())
    return monday, monday + timedelta(days=6)


def monthly_due(on: date) -> bool:
    """Whether the formal request goes out on ``on``: from the policy's day to the 10th, until
    a run for the month has succeeded (a day missed by beat is caught up the next day)."""
    if not Policy.current().monthly_request_day <= on.day <= MONTHLY_LAST_DAY:
        return False
    return not _succeeded(JobRun.Job.MONTHLY, month_cycle(on))


def quarterly_due(on: date) -> bool:
    """Whether the quarterly list goes out on ``on``: the quarter's first month, up to the
    14th, until a run for the quarter has succeeded."""
    if on.month % 3 != 1 or on.day > QUARTERLY_LAST_DAY:
        return False
    return not _succeeded(JobRun.Job.QUARTERLY, quarter_cycle(on))


def _succeeded(job: str, cycle: str) -> bool:
    return JobRun.objects.filter(job=job, cycle=cycle, outcome=JobRun.Outcome.SUCCEEDED).exists()


# --------------------------------------------------------------------------------------------
# One run at a time


@contextmanager
def _job_run(job: str, cycle: str, on: date, triggered_by: User | None) -> Iterator[JobRun]:
    """Hold the (job, cycle) lock for the whole run and record it as a JobRun.

    The lock is a session advisory lock rather than a transaction's: the run commits as it
    goes (rows before sending), and the lock must outlive those commits.
    """
    key = f"{job}:{cycle}"
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(hashtext('arrears.jobs'), hashtext(%s))", [key])
        if not cursor.fetchone()[0]:
            raise JobBusy(_("Việc này đang chạy cho kỳ %(cycle)s.") % {"cycle": cycle})
    try:
        # Holding the lock, any run still "running" for this cycle died without finishing.
        JobRun.objects.filter(job=job, cycle=cycle, outcome=JobRun.Outcome.RUNNING).update(
            outcome=JobRun.Outcome.FAILED,
            finished_at=timezone.now(),
            error=_("Bị gián đoạn (tiến trình dừng giữa chừng); lần chạy sau đã làm tiếp."),
        )
        run = JobRun.objects.create(job=job, cycle=cycle, run_on=on, triggered_by=triggered_by)
        try:
            yield run
        except BaseException as exc:
            run.outcome = JobRun.Outcome.FAILED
            run.error = f"{type(exc).__name__}: {exc}"[:2000]
            raise
        else:
            run.outcome = JobRun.Outcome.SUCCEEDED
        finally:
            run.finished_at = timezone.now()
            run.save(update_fields=["outcome", "error", "finished_at", "counts", "failures"])
    finally:
        try:
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT pg_advisory_unlock(hashtext('arrears.jobs'), hashtext(%s))",
                    [key],
                )
        except DatabaseError:
            log.warning("could not unlock %s: its session is gone, and the lock with it", key)


def _served(job: str, cycle: str, key: str) -> set[int]:
    """Who already got this cycle's mail (digests, the quarterly list), from its runs."""
    served: set[int] = set()
    for counts in JobRun.objects.filter(job=job, cycle=cycle).values_list("counts", flat=True):
        served.update(counts.get(key, []))
    return served


def _record_served(run: JobRun, key: str, user_id: int) -> None:
    run.counts.setdefault(key, []).append(user_id)
    run.save(update_fields=["counts"])


# --------------------------------------------------------------------------------------------
# Reminders


def notice_targets(
    on: date, *, policy: Policy | None = None, rows: Sequence[BalanceRow] | None = None
) -> list[BalanceRow]:
    """Rule 9: the employers in arrears on ``on`` that get a notice, computed from the ledger
    (any date works): not dissolved or bankrupt, not on hold, not below the tolerance."""
    policy = policy or Policy.current()
    rows = balances_as_of(on) if rows is None else rows
    held = set(Hold.objects.active_on(on).values_list("employer_id", flat=True))
    return [
        row
        for row in rows
        if row.arrears > 0
        and row.arrears >= policy.notice_tolerance
        and row.status not in NO_NOTICE_STATUSES
        and row.employer_id not in held
    ]


_INSERT_REMINDERS = """
INSERT INTO arrears_reminder (employer_id, cycle, kind, channel, status, as_of, arrears,
                              interest, months_in_arrears, document, attempts, last_error,
                              created_at)
SELECT t.employer_id, %(cycle)s, %(kind)s,
       CASE WHEN e.email <> '' THEN %(email)s ELSE %(letter)s END,
       %(pending)s, %(on)s, t.arrears, t.interest, t.months, '', 0, '', %(now)s
FROM unnest(%(ids)s::bigint[], %(arrears)s::bigint[], %(interest)s::bigint[],
            %(months)s::integer[]) AS t (employer_id, arrears, interest, months)
JOIN participants_employer e ON e.id = t.employer_id
ON CONFLICT (employer_id, cycle, kind) DO NOTHING
RETURNING channel
"""


def create_reminders(
    *, kind: str, cycle: str, on: date, targets: Sequence[BalanceRow]
) -> Counter[str]:
    """One reminder per target for the cycle, by e-mail where the employer has an address,
    else a letter; those the cycle already has are left alone. Returns how many were
    inserted, per channel."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            _INSERT_REMINDERS,
            {
                "cycle": cycle,
                "kind": kind,
                "email": Channel.EMAIL,
                "letter": Channel.LETTER,
                "pending": Status.PENDING,
                "on": on,
                "now": timezone.now(),
                "ids": [t.employer_id for t in targets],
                "arrears": [t.arrears for t in targets],
                "interest": [t.interest for t in targets],
                "months": [t.months_in_arrears for t in targets],
            },
        )
        return Counter(channel for (channel,) in cursor.fetchall())


def _queue_unsent(reminders: QuerySet[Reminder]) -> None:
    """Once committed, queue the delivery of every reminder among ``reminders`` still unsent:
    a merge task per cycle and district with letters, a send task per e-mail. A broker that
    cannot be reached raises, so the job's task retries."""
    unsent = reminders.filter(status__in=[Status.PENDING, Status.FAILED])
    emails = list(unsent.filter(channel=Channel.EMAIL).values_list("pk", flat=True))
    posts = list(
        unsent.filter(channel=Channel.LETTER)
        .values_list("cycle", "employer__district")
        .distinct()
        .order_by()
    )

    def queue() -> None:
        # The merges first: they are the longest tasks, so workers finish together.
        for cycle, district_id in posts:
            post_letters_task.delay(cycle, district_id)
        for pk in emails:
            send_reminder_task.delay(pk)

    transaction.on_commit(queue)


def reminder_letter(
    reminder: Reminder, rates: Sequence[ledger.Rate] | None = None
) -> documents.Letter:
    """The reminder's letter, with the employer's figures on its date from the ledger."""
    employer = reminder.employer
    dues, paid = employer_ledger(employer)
    balance = ledger.balance_on(dues, paid, reminder.as_of, rates or InterestRate.table())
    oldest_due_on = next(
        (due.due_on for due in dues if due.period == balance.oldest_unpaid_period), None
    )
    context = documents.employer_context(employer, balance, oldest_due_on=oldest_due_on)
    return documents.compose(
        LETTER_KINDS[reminder.kind], context, on=reminder.as_of, recipient=employer.name
    )


def deliver_reminder(*, reminder_id: int) -> bool:
    """E-mail one reminder with its PDF attached, if it is still unsent. Returns whether it
    was sent now (letters go by the post: ``post_letters``).

    The row stays locked while sending, so two tasks for the same reminder (a redelivered
    message, a rerun's queue) send it once. A failure is recorded on the reminder (attempts,
    last error, status failed) and raised again, for the task to retry.
    """
    with transaction.atomic():
        reminder = (
            Reminder.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("employer")
            .filter(
                pk=reminder_id, channel=Channel.EMAIL, status__in=[Status.PENDING, Status.FAILED]
            )
            .first()
        )
        if reminder is None:
            return False
        letter = reminder_letter(reminder)
        pdf = documents.letter_pdf(letter)
        reminder.attempts += 1
        failure: OSError | None = None
        try:
            _email_reminder(reminder, letter, pdf)
        except OSError as exc:  # smtplib's errors are OSErrors
            failure = exc
            reminder.status = Status.FAILED
            reminder.last_error = f"{type(exc).__name__}: {exc}"[:1000]
        else:
            reminder.status = Status.SENT
            reminder.sent_at = timezone.now()
            reminder.last_error = ""
        reminder.save(update_fields=["attempts", "status", "last_error", "sent_at"])
    if failure is not None:
        raise failure
    return True


def _email_reminder(reminder: Reminder, letter: documents.Letter, pdf: bytes) -> None:
    employer = reminder.employer
    subject = " – ".join(letter.title.splitlines()) + f" ({employer.unit_code})"
    body = render_to_string(
        "arrears/jobs/email/reminder.txt",
        {"letter": letter, "employer": employer, "office": settings.OFFICE_NAME},
    )
    message = EmailMessage(subject, body, to=[employer.email])
    message.attach(
        f"{reminder.cycle}-{reminder.kind}-{employer.unit_code}.pdf", pdf, "application/pdf"
    )
    message.send()


# --------------------------------------------------------------------------------------------
# Letters for the post


def post_letters(*, cycle: str, district: District) -> bytes | None:
    """The cycle's printable letters of one district in one PDF, for the post (None when the
    district has none).

    The file is kept under MEDIA_ROOT (``post/<cycle>/<district>.pdf``) and is each letter's
    stored document: a letter is sent once it is in it. It is built again while the district
    has letters not yet in it (a rerun completing the cycle, a build that failed).
    """
    letters = Reminder.objects.filter(
        cycle=cycle, channel=Channel.LETTER, employer__district=district
    )
    if not letters.exists():
        return None
    name = f"post/{cycle}/{district.pk}.pdf"
    path = Path(default_storage.path(name))
    unsent = letters.filter(status__in=[Status.PENDING, Status.FAILED])
    if path.exists() and not unsent.exists():
        return path.read_bytes()
    included = list(letters.select_related("employer").order_by("employer__unit_code", "kind"))
    rates = InterestRate.table()
    pdf = documents.letters_pdf(reminder_letter(r, rates) for r in included)
    path.parent.mkdir(parents=True, exist_ok=True)
    # Written aside then renamed: a download never reads half a file.
    with tempfile.NamedTemporaryFile(dir=path.parent, suffix=".part", delete=False) as part:
        part.write(pdf)
    os.chmod(part.name, default_storage.file_permissions_mode or 0o644)  # as uploads are
    os.replace(part.name, path)
    unsent.filter(pk__in=[r.pk for r in included]).update(
        status=Status.SENT,
        sent_at=timezone.now(),
        document=name,
        attempts=F("attempts") + 1,
        last_error="",
    )
    return pdf


# --------------------------------------------------------------------------------------------
# Cases and commitments


def open_cases(*, targets: Sequence[BalanceRow], on: date, policy: Policy) -> tuple[int, int]:
    """Open a case for each target past the policy's thresholds that has no open case and
    whose current arrears no ended case already dealt with. Returns (opened, failed)."""
    candidates = {
        t.employer_id: t
        for t in targets
        if t.months_in_arrears >= policy.auto_case_months and t.arrears >= policy.auto_case_arrears
    }
    with_open_case = set(
        RecoveryCase.objects.open()
        .filter(employer_id__in=candidates)
        .values_list("employer_id", flat=True)
    )
    ended = dict(
        RecoveryCase.objects.filter(employer_id__in=candidates, closed_on__isnull=False)
        .values("employer_id")
        .annotate(last=Max("closed_on"))
        .values_list("employer_id", "last")
    )
    # When did the current arrears start: the deadline of the oldest unpaid contribution.
    started = {
        employer_id: due_on
        for employer_id, period, due_on in Contribution.objects.filter(
            employer_id__in=ended
        ).values_list("employer_id", "period", "due_on")
        if period == candidates[employer_id].oldest_unpaid_period
    }
    officers = _district_officers()
    employers = Employer.objects.in_bulk(
        [
            pk
            for pk in candidates
            if pk not in with_open_case and not (pk in ended and ended[pk] >= started.get(pk, on))
        ]
    )
    opened = failed = 0
    for employer in employers.values():
        try:
            cases.open_case(
                employer=employer,
                by=None,
                officer=officers.get(employer.district_id),
                on=on,
                arrears=candidates[employer.pk].arrears,
                note=_("Mở tự động: nợ %(months)s tháng, %(amount)s đồng.")
                % {
                    "months": candidates[employer.pk].months_in_arrears,
                    "amount": grouped(candidates[employer.pk].arrears),
                },
            )
            opened += 1
        except cases.CaseError:  # a case opened meanwhile by hand
            failed += 1
    return opened, failed


def _district_officers() -> dict[int, User]:
    """The officer a new automatic case goes to: the district's first active officer."""
    officers: dict[int, User] = {}
    for officer in (
        User.objects.filter(role=User.Role.OFFICER, is_active=True, is_superuser=False)
        .prefetch_related("districts")
        .order_by("pk")
    ):
        for district in officer.districts.all():
            officers.setdefault(district.pk, officer)
    return officers


def flag_broken_commitments(on: date) -> int:
    """Check the commitments of open cases that have an instalment due before ``on`` and not
    yet flagged; flag each newly broken instalment once, with an event on its case. Returns
    the number of commitments found broken."""
    commitments = (
        Commitment.objects.filter(
            case__stage__in=LADDER,
            instalments__due_on__lt=on,
            instalments__broken_flagged_on__isnull=True,
        )
        .distinct()
        .select_related("case__employer")
        .prefetch_related("instalments")
    )
    broken = 0
    for commitment in commitments:
        checks = cases.check_commitment(commitment, on)
        # law.check_instalments answers in (due date, amount) order.
        ordered = sorted(commitment.instalments.all(), key=lambda i: (i.due_on, i.amount))
        newly = [
            instalment.pk
            for instalment, check in zip(ordered, checks, strict=True)
            if check.status == law.InstalmentStatus.BROKEN and instalment.broken_flagged_on is None
        ]
        if newly and _flag(commitment, newly, on):
            broken += 1
    return broken


@transaction.atomic
def _flag(commitment: Commitment, instalment_ids: list[int], on: date) -> bool:
    instalments = list(
        Instalment.objects.select_for_update()
        .filter(pk__in=instalment_ids, broken_flagged_on__isnull=True)
        .order_by("due_on", "pk")
    )
    if not instalments:  # flagged meanwhile
        return False
    Instalment.objects.filter(pk__in=[i.pk for i in instalments]).update(broken_flagged_on=on)
    CaseEvent.objects.create(
        case=commitment.case,
        kind=EventKind.COMMITMENT,
        occurred_on=on,
        text=_("Vi phạm cam kết ngày %(signed)s: %(items)s chưa được trả đủ.")
        % {
            "signed": f"{commitment.signed_on:%d/%m/%Y}",
            "items": "; ".join(
                _("đợt hạn %(due)s, %(amount)s đồng")
                % {"due": f"{i.due_on:%d/%m/%Y}", "amount": grouped(i.amount)}
                for i in instalments
            ),
        },
    )
    return True


# --------------------------------------------------------------------------------------------
# Digests


def _send_digests(run: JobRun, *, on: date, rows: Sequence[BalanceRow]) -> tuple[int, int]:
    """One e-mail to each officer (their follow-ups, instalments and broken commitments this
    week) and each manager (the week's figures), once per week. Returns (sent, failed)."""
    monday, sunday = week_bounds(on)
    served = _served(JobRun.Job.WEEKLY, run.cycle, "digest_recipients")
    recipients = (
        User.objects.filter(
            role__in=[User.Role.OFFICER, User.Role.MANAGER], is_active=True, is_superuser=False
        )
        .exclude(email="")
        .exclude(pk__in=served)
        .order_by("pk")
    )
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
        _record_served(run, "digest_recipients", user.pk)
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
    }


# --------------------------------------------------------------------------------------------
# The runs


def run_weekly(on: date, *, triggered_by: User | None = None) -> dict[str, int]:
    """The weekly job for the ISO week of ``on`` (DOMAIN.md rule 9 and flow 5). Returns what
    this run newly did; a second run for the same week returns zeros."""
    cycle = week_cycle(on)
    summary = dict.fromkeys(WEEKLY_KEYS, 0)
    with _job_run(JobRun.Job.WEEKLY, cycle, on, triggered_by) as run:
        policy = Policy.current()
        rows = balances_as_of(on)
        targets = notice_targets(on, policy=policy, rows=rows)
        notices = create_reminders(kind=Kind.NOTICE, cycle=cycle, on=on, targets=targets)
        invited = [t for t in targets if t.months_in_arrears >= policy.invitation_months]
        invitations = create_reminders(kind=Kind.INVITATION, cycle=cycle, on=on, targets=invited)
        summary.update(
            reminders=notices.total(),
            reminders_email=notices[Channel.EMAIL],
            reminders_letter=notices[Channel.LETTER],
            invitations=invitations.total(),
        )
        run.counts.update(summary)
        run.save(update_fields=["counts"])
        _queue_unsent(Reminder.objects.filter(cycle=cycle))
        summary["cases_opened"], case_failures = open_cases(targets=targets, on=on, policy=policy)
        summary["commitments_broken"] = flag_broken_commitments(on)
        run.counts.update(summary)
        summary["digests"], digest_failures = _send_digests(run, on=on, rows=rows)
        run.counts.update(summary)
        run.failures = case_failures + digest_failures
    return summary


def run_monthly(on: date, *, triggered_by: User | None = None) -> dict[str, int]:
    """Decree 274's formal written request to every late employer, for the month of ``on``:
    the amount, the days late, the 0.03 % charge, the measures that follow and the date its
    oldest unpaid contribution becomes evasion (the FORMAL_REQUEST letter)."""
    cycle = month_cycle(on)
    with _job_run(JobRun.Job.MONTHLY, cycle, on, triggered_by) as run:
        targets = notice_targets(on)
        made = create_reminders(kind=Kind.FORMAL_REQUEST, cycle=cycle, on=on, targets=targets)
        summary = {
            "formal_requests": made.total(),
            "formal_requests_email": made[Channel.EMAIL],
            "formal_requests_letter": made[Channel.LETTER],
        }
        run.counts.update(summary)
        _queue_unsent(Reminder.objects.filter(cycle=cycle))
    return summary


def run_quarterly(on: date, *, triggered_by: User | None = None) -> dict[str, int]:
    """Decree 274's quarterly list of late and evading employers as of ``on``, stored with
    the run and e-mailed to the liaisons of the state management and inspection agencies
    (each once per quarter)."""
    cycle = quarter_cycle(on)
    with _job_run(JobRun.Job.QUARTERLY, cycle, on, triggered_by) as run:
        late = [row for row in balances_as_of(on) if row.arrears > 0]
        employers = Employer.objects.in_bulk([row.employer_id for row in late])
        evasion = {
            row.employer_id: cases.employer_evasion_periods(employers[row.employer_id], on)
            for row in late
        }
        workbook = _quarterly_workbook(late, evasion, employers, on)
        name = artifact_name(run)
        default_storage.delete(name)
        default_storage.save(name, ContentFile(workbook))
        delivered, failures = _deliver_quarterly(run, workbook, on)
        run.counts.update(
            late=len(late),
            evading=sum(1 for periods in evasion.values() if periods),
            deliveries=delivered,
        )
        run.failures = failures
    return {key: run.counts[key] for key in QUARTERLY_KEYS}


def run_nightly(on: date, *, triggered_by: User | None = None) -> dict[str, int]:
    """The Balance table as of ``on``, then the recent reminders still unsent queued again
    (a broker that was down, a mail server that refused them past their retries)."""
    with _job_run(JobRun.Job.BALANCES, f"{on:%Y%m%d}", on, triggered_by) as run:
        run.counts["balances"] = refresh_balances(on)
        recent = Reminder.objects.filter(
            created_at__gte=timezone.now() - timedelta(days=REQUEUE_DAYS)
        )
        _queue_unsent(recent)
        run.counts["requeued"] = recent.filter(status__in=[Status.PENDING, Status.FAILED]).count()
    return {key: run.counts[key] for key in NIGHTLY_KEYS}


RUNS: dict[str, Callable[..., dict[str, int]]] = {
    JobRun.Job.WEEKLY: run_weekly,
    JobRun.Job.MONTHLY: run_monthly,
    JobRun.Job.QUARTERLY: run_quarterly,
    JobRun.Job.BALANCES: run_nightly,
}
DUE: dict[str, Callable[[date], bool]] = {
    JobRun.Job.MONTHLY: monthly_due,
    JobRun.Job.QUARTERLY: quarterly_due,
}


def run_scheduled(
    job: str, *, on: str | None = None, triggered_by: int | None = None, force: bool = False
) -> dict[str, int] | None:
    """What a job's task does: run it for ``on`` (ISO date; default today in the province).

    Beat calls the monthly and quarterly tasks on several days; unless ``force``d (a
    manager's run), they run only when due. None when nothing ran: not due, or another
    process running the same cycle (it will finish it)."""
    day = date.fromisoformat(on) if on else timezone.localdate()
    if not force and job in DUE and not DUE[job](day):
        return None
    user = User.objects.filter(pk=triggered_by).first() if triggered_by else None
    try:
        return RUNS[job](day, triggered_by=user)
    except JobBusy:
        log.info("%s for %s already running elsewhere", job, day)
        return None


# --------------------------------------------------------------------------------------------
# The quarterly list


def artifact_name(run: JobRun) -> str:
    """Where a quarterly run's list is kept (storage name under MEDIA_ROOT)."""
    return f"jobs/{run.job}/{run.cycle}/danh-sach-cham-dong-tron-dong-{run.run_on:%Y-%m-%d}.xlsx"


QUARTERLY_COLUMNS = (
    ("STT", 6),
    ("Mã đơn vị", 12),
    ("Tên đơn vị", 40),
    ("Mã số thuế", 14),
    ("Địa chỉ", 40),
    ("Quận/huyện", 14),
    ("Khu công nghiệp", 18),
    ("Trạng thái", 18),
    ("Số lao động", 10),
    ("Số tiền chậm đóng (đồng)", 18),
    ("Số tháng chậm đóng", 10),
    ("Kỳ nợ sớm nhất", 10),
    ("Tiền lãi chậm đóng (đồng)", 18),
    ("Tình trạng", 12),
    ("Số kỳ trốn đóng", 10),
    ("Trốn đóng từ kỳ", 10),
)


def _quarterly_workbook(
    late: Sequence[BalanceRow],
    evasion: dict[int, list[date]],
    employers: dict[int, Employer],
    on: date,
) -> bytes:
    out = BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    sheet = book.add_worksheet("Danh sách")
    bold = book.add_format({"bold": True, "text_wrap": True, "valign": "top", "border": 1})
    money = book.add_format({"num_format": "#,##0"})
    sheet.write(
        0,
        0,
        f"{settings.OFFICE_NAME}: danh sách đơn vị chậm đóng, trốn đóng BHXH, BHYT, BHTN "
        f"tính đến ngày {on:%d/%m/%Y} (Nghị định 274/2025/NĐ-CP)",
        book.add_format({"bold": True}),
    )
    for col, (title, width) in enumerate(QUARTERLY_COLUMNS):
        sheet.write(2, col, title, bold)
        sheet.set_column(col, col, width)
    for n, row in enumerate(late, start=1):
        employer = employers[row.employer_id]
        periods = evasion[row.employer_id]
        values = (
            n,
            row.unit_code,
            row.name,
            employer.tax_code,
            employer.address,
            row.district,
            employer.industrial_zone,
            employer.get_status_display(),
            row.employees,
            row.arrears,
            row.months_in_arrears,
            f"{row.oldest_unpaid_period:%m/%Y}" if row.oldest_unpaid_period else "",
            row.interest,
            "Trốn đóng" if periods else "Chậm đóng",
            len(periods),
            f"{min(periods):%m/%Y}" if periods else "",
        )
        for col, value in enumerate(values):
            sheet.write(2 + n, col, value, money if col in (9, 12) else None)
    sheet.freeze_panes(3, 2)
    book.close()
    return out.getvalue()


def _deliver_quarterly(run: JobRun, workbook: bytes, on: date) -> tuple[int, int]:
    served = _served(JobRun.Job.QUARTERLY, run.cycle, "delivered_to")
    liaisons = (
        User.objects.filter(role=User.Role.LIAISON, agency__code__in=STATE_AGENCIES, is_active=True)
        .exclude(email="")
        .exclude(pk__in=served)
        .select_related("agency")
        .order_by("pk")
    )
    sent = failed = 0
    filename = Path(artifact_name(run)).name
    for liaison in liaisons:
        body = render_to_string(
            "arrears/jobs/email/quarterly.txt",
            {"liaison": liaison, "cycle": run.cycle, "on": on, "office": settings.OFFICE_NAME},
        )
        message = EmailMessage(
            _("Danh sách đơn vị chậm đóng, trốn đóng BHXH quý %(cycle)s") % {"cycle": run.cycle},
            body,
            to=[liaison.email],
        )
        message.attach(
            filename,
            workbook,
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        try:
            message.send()
        except OSError:
            log.exception("quarterly list to %s failed", liaison.username)
            failed += 1
            continue
        _record_served(run, "delivered_to", liaison.pk)
        sent += 1
    return sent, failed


# --------------------------------------------------------------------------------------------
# Holds


def put_on_hold(
    *, employer: Employer, by: User, reason: str, starts_on: date, ends_on: date
) -> Hold:
    """A manager exempts an employer from automatic notices for a while (approved apart)."""
    if not by.is_manager:
        raise JobError(_("Chỉ lãnh đạo được tạm dừng thông báo."))
    if not reason.strip():
        raise JobError(_("Cần ghi lý do tạm dừng."))
    if ends_on < starts_on:
        raise JobError(_("Ngày kết thúc phải từ ngày bắt đầu trở đi."))
    return Hold.objects.create(
        employer=employer,
        reason=reason.strip(),
        starts_on=starts_on,
        ends_on=ends_on,
        requested_by=by,
    )


def approve_hold(*, hold: Hold, by: User) -> Hold:
    if not by.is_manager:
        raise JobError(_("Chỉ lãnh đạo được duyệt tạm dừng thông báo."))
    if hold.approved_by_id is not None:
        raise JobError(_("Đề nghị tạm dừng này đã được duyệt."))
    hold.approved_by = by
    hold.save(update_fields=["approved_by"])
    return hold
