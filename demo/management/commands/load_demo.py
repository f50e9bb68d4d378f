"""Load the demo province (Phú Thọ after the 2025 merger): its offices, communes and partner
organisations, the demo users, ~2,000 employers with their ledger, balances, cases.

Development only (refuses without DEBUG). ``make run`` calls it at every start: a loaded demo
is left as it is (one from before the 2025 map, whose employers have no commune, is loaded
afresh); ``--reset`` wipes the demo and loads it afresh. The load is a list of steps
run in order in one transaction; later steps (cases, referrals, reminders) are added to
``STEPS``, with a wipe when what they create does not go away with the demo's employers.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Agency, User
from arrears.balances import balances_as_of, refresh_balances
from arrears.jobs.cycles import week_bounds, week_cycle
from arrears.jobs.reminders import create_reminders, notice_targets
from arrears.jobs.runs import WEEKLY_KEYS
from arrears.ledger import due_date
from arrears.models import Contribution, JobRun, Payment, Policy, RecoveryCase, Reminder
from demo import cases as demo_cases
from demo import insured as demo_insured
from demo import offices as demo_offices
from demo import plans as demo_plans
from demo import province as demo
from demo import sessions as demo_sessions
from participants.models import Commune, Employer, Office

URL = "http://127.0.0.1:8000/"
BATCH_SIZE = 2000


@dataclass
class DemoState:
    """What the steps share: the date, the size, and what earlier steps created."""

    as_of: date
    size: int
    # Offices, communes and organisations by code.
    offices: dict[str, Office] = field(default_factory=dict)
    communes: dict[str, Commune] = field(default_factory=dict)
    organisations: dict[str, Agency] = field(default_factory=dict)
    users: dict[str, User] = field(default_factory=dict)
    # The generator's rows and the employers made from them, in the same order.
    rows: list[demo.EmployerRows] = field(default_factory=list)
    employers: list[Employer] = field(default_factory=list)


def load_map(state: DemoState) -> str:
    state.offices = demo_offices.load_offices()
    state.communes = demo_offices.load_communes(state.offices)
    state.organisations = demo_offices.load_organisations(state.communes)
    local = sum(1 for o in state.organisations.values() if o.communes.all())
    return _(
        "{offices} BHXH cơ sở và BHXH tỉnh, {communes} xã/phường, "
        "{organisations} cơ quan phối hợp ({local} ở cấp xã)"
    ).format(
        offices=len(state.offices) - 1,
        communes=len(state.communes),
        organisations=len(state.organisations),
        local=local,
    )


def load_users(state: DemoState) -> str:
    state.users = demo_offices.load_users(state.offices, state.communes, state.organisations)
    return _("{count} người dùng").format(count=len(state.users))


def load_ledger(state: DemoState) -> str:
    state.rows = list(demo.generate(state.size, as_of=state.as_of))
    state.employers = Employer.objects.bulk_create(
        [
            Employer(
                **{
                    **r.employer,
                    "office": state.offices[str(r.employer["office"])],
                    "commune": state.communes[str(r.employer["commune"])],
                }
            )
            for r in state.rows
        ],
        batch_size=BATCH_SIZE,
    )
    contributions: list[Contribution] = []
    payments: list[Payment] = []
    for rows, employer in zip(state.rows, state.employers, strict=True):
        for c in rows.contributions:
            period = date.fromisoformat(f"{c['period']}-01")
            contributions.append(
                Contribution(
                    employer_id=employer.pk,
                    period=period,
                    due_on=due_date(period, employer.payment_method),
                    **{k: c[k] for k in ("employees", "wage_fund", "si", "hi", "ui", "oaod")},
                )
            )
        payments.extend(
            Payment(
                employer_id=employer.pk, **{k: p[k] for k in ("paid_on", "amount", "reference")}
            )
            for p in rows.payments
        )
    Contribution.objects.bulk_create(contributions, batch_size=BATCH_SIZE)
    Payment.objects.bulk_create(payments, batch_size=BATCH_SIZE)
    return _("{employers} đơn vị, {contributions} kỳ phải đóng, {payments} khoản nộp").format(
        employers=len(state.employers), contributions=len(contributions), payments=len(payments)
    )


def load_balances(state: DemoState) -> str:
    return _("{count} số dư tính đến {day}").format(
        count=refresh_balances(state.as_of), day=f"{state.as_of:%d/%m/%Y}"
    )


# Past weeks of reminders the demo shows (their runs in the history, their letters for the post).
DEMO_WEEKS = 3


def load_reminders(state: DemoState) -> str:
    """The notices and invitations of the last few Mondays, as the weekly job made them, sent
    that morning (no PDFs are rendered; the letters for the post are built on download)."""
    demo_employers = _demo_employers()
    this_monday = week_bounds(state.as_of)[0]
    policy = Policy.current()
    made = 0
    for weeks_back in range(DEMO_WEEKS, 0, -1):
        monday = this_monday - timedelta(weeks=weeks_back)
        cycle = week_cycle(monday)
        rows = balances_as_of(monday, employers=demo_employers)
        targets = notice_targets(monday, policy=policy, rows=rows)
        notices = create_reminders(
            kind=Reminder.Kind.NOTICE, cycle=cycle, on=monday, targets=targets
        )
        invited = [t for t in targets if t.months_in_arrears >= policy.invitation_months]
        invitations = create_reminders(
            kind=Reminder.Kind.INVITATION, cycle=cycle, on=monday, targets=invited
        )
        started = timezone.make_aware(datetime.combine(monday, time(7, 30)))
        Reminder.objects.filter(cycle=cycle).update(
            status=Reminder.Status.SENT, attempts=1, sent_at=started + timedelta(minutes=5)
        )
        run = JobRun.objects.create(
            job=JobRun.Job.WEEKLY,
            cycle=cycle,
            run_on=monday,
            outcome=JobRun.Outcome.SUCCEEDED,
            finished_at=started + timedelta(minutes=4),
            counts={
                **dict.fromkeys(WEEKLY_KEYS, 0),
                "reminders": notices.total(),
                "reminders_email": notices[Reminder.Channel.EMAIL],
                "reminders_letter": notices[Reminder.Channel.LETTER],
                "invitations": invitations.total(),
            },
        )
        JobRun.objects.filter(pk=run.pk).update(started_at=started)
        made += notices.total() + invitations.total()
    return _("{count} thông báo, giấy mời của {weeks} tuần trước").format(
        count=made, weeks=DEMO_WEEKS
    )


def wipe_job_runs() -> None:
    # The demo's reminders go with its employers; the runs' history is the demo's alone.
    JobRun.objects.all().delete()


def wipe_employers() -> None:
    demo_employers = _demo_employers()
    # Cases protect their employer; everything else hangs off the employer and goes with it.
    RecoveryCase.objects.filter(employer__in=demo_employers).delete()
    demo_employers.delete()


def load_cases(state: DemoState) -> str:
    """Recovery work on the demo's employers in arrears: every stage, referrals, commitments."""
    return demo_cases.make_cases(
        as_of=state.as_of, users=list(state.users.values()), employers=_demo_employers()
    )


def wipe_cases() -> None:
    demo_cases.wipe_cases(_demo_employers())


def load_sessions(state: DemoState) -> str:
    """Each grassroots office's weekly working session, its past weeks held (attendance,
    minutes, plans) and next week's bookings."""
    return demo_sessions.make_sessions(
        as_of=state.as_of, users=list(state.users.values()), employers=_demo_employers()
    )


def wipe_sessions() -> None:
    demo_sessions.wipe_sessions(_demo_employers())


def load_plans(state: DemoState) -> str:
    """Each office's yearly collection plan (replaced on every load)."""
    return demo_plans.make_plans()


def load_insured(state: DemoState) -> str:
    """A few insured persons per employer (they go with the employers) and two years of
    coverage figures (replaced on every load)."""
    return demo_insured.make_persons_and_coverage(state.as_of, state.rows, state.employers)


def _demo_employers() -> QuerySet[Employer]:
    return Employer.objects.filter(unit_code__regex=demo.UNIT_CODE_PATTERN)


# In order; each step gets the shared state and returns one line for the summary. A wipe undoes
# its step for --reset (run in reverse order); the map (offices, communes, organisations)
# stays, it is reference data.
STEPS: tuple[tuple[Callable[[DemoState], str], Callable[[], None] | None], ...] = (
    (load_map, None),
    (load_users, demo_offices.wipe_users),
    (load_ledger, wipe_employers),
    (load_insured, None),
    (load_balances, None),
    (load_reminders, wipe_job_runs),
    (load_cases, wipe_cases),
    (load_sessions, wipe_sessions),
    (load_plans, None),
)


class Command(BaseCommand):
    help = _("Nạp tỉnh mẫu (chỉ khi DEBUG bật): người dùng demo, đơn vị, số phải đóng, khoản nộp.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--employers", type=int, default=2000, help=_("Số đơn vị (mặc định 2000).")
        )
        parser.add_argument(
            "--reset", action="store_true", help=_("Xóa dữ liệu demo đã có rồi nạp lại.")
        )
        parser.add_argument(
            "--as-of",
            type=date.fromisoformat,
            default=None,
            help=_("Ngày dữ liệu (YYYY-MM-DD, mặc định hôm nay)."),
        )

    def handle(
        self, *args: Any, employers: int, reset: bool, as_of: date | None, **options: Any
    ) -> None:
        if not settings.DEBUG:
            raise CommandError(
                _("Từ chối: dữ liệu demo chỉ nạp khi DEBUG bật (không bao giờ trên hệ thống thật).")
            )
        loaded = _demo_employers()
        if loaded.filter(commune__isnull=True).exists():
            reset = True  # a demo loaded before the 2025 map (no communes): made afresh
        elif loaded.exists() and not reset:
            self.stdout.write(
                _("Dữ liệu demo đã có sẵn (demo already loaded); dùng --reset để nạp lại.")
            )
            self._print_logins()
            return
        state = DemoState(as_of=as_of or timezone.localdate(), size=employers)
        with transaction.atomic():
            if reset:
                for _load, wipe in reversed(STEPS):
                    if wipe is not None:
                        wipe()
            for load, _wipe in STEPS:
                self.stdout.write(f"  {load(state)}")
        self._print_logins()

    def _print_logins(self) -> None:
        self.stdout.write(self.style.SUCCESS(_("Đã nạp dữ liệu demo. Mở {url}").format(url=URL)))
        self.stdout.write(
            _('Tài khoản demo, mật khẩu "{password}":').format(password=demo_offices.PASSWORD)
        )
        for line in demo_offices.logins():
            self.stdout.write(f"  {line}")
