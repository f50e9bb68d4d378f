"""Load the demo province: offices, demo users, ~2,000 employers with their ledger, balances.

Development only (refuses without DEBUG). ``make run`` calls it at every start: a loaded demo
is left as it is; ``--reset`` wipes the demo and loads it afresh. The load is a list of steps
run in order in one transaction; later steps (cases, referrals, reminders) are added to
``STEPS``, with a wipe when what they create does not go away with the demo's employers.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import make_password
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
from demo import province as demo
from demo import vocabulary
from participants.models import Employer, Office

PASSWORD = "demo"  # noqa: S105 -- demo logins only; the command refuses to run without DEBUG  # nosec B105
URL = "http://127.0.0.1:8000/"
BATCH_SIZE = 2000

# (username, full name, role, offices, agency code)
USERS: tuple[tuple[str, str, str, tuple[str, ...], str | None], ...] = (
    ("manager", "Nguyễn Thị Thu Hà", User.Role.MANAGER, (), None),
    ("officer", "Bùi Văn Thắng", User.Role.OFFICER, ("Lương Sơn", vocabulary.CITY), None),
    ("police", "Đinh Công Minh", User.Role.LIAISON, (), Agency.Kind.POLICE),
    ("federation", "Quách Thị Hồng", User.Role.LIAISON, (), Agency.Kind.LABOUR_FEDERATION),
    ("inspector", "Hà Văn Long", User.Role.LIAISON, (), Agency.Kind.LABOUR_INSPECTORATE),
    ("izboard", "Lê Minh Tuấn", User.Role.LIAISON, (), Agency.Kind.IZ_BOARD),
    ("officer_kim_boi", "Đinh Văn Hòa", User.Role.OFFICER, ("Kim Bôi",), None),
    ("officer_cao_phong", "Trần Thị Hương", User.Role.OFFICER, ("Cao Phong",), None),
    ("officer_tan_lac", "Hoàng Văn Cường", User.Role.OFFICER, ("Tân Lạc",), None),
    ("officer_mai_chau", "Lò Thị Mai", User.Role.OFFICER, ("Mai Châu",), None),
    ("officer_lac_son", "Bùi Thị Nga", User.Role.OFFICER, ("Lạc Sơn",), None),
    ("officer_yen_thuy", "Nguyễn Thị Lan", User.Role.OFFICER, ("Yên Thủy",), None),
    ("officer_lac_thuy", "Quách Văn Sơn", User.Role.OFFICER, ("Lạc Thủy",), None),
    ("officer_da_bac", "Xa Văn Tùng", User.Role.OFFICER, ("Đà Bắc",), None),
)
USERNAMES = tuple(user[0] for user in USERS)


@dataclass
class DemoState:
    """What the steps share: the date, the size, and what earlier steps created."""

    as_of: date
    size: int
    offices: dict[str, Office] = field(default_factory=dict)
    users: dict[str, User] = field(default_factory=dict)
    # The generator's rows and the employers made from them, in the same order.
    rows: list[demo.EmployerRows] = field(default_factory=list)
    employers: list[Employer] = field(default_factory=list)


def load_offices(state: DemoState) -> str:
    for name in vocabulary.OFFICES:
        state.offices[name], _created = Office.objects.get_or_create(name=name)
    return _("{count} BHXH cơ sở").format(count=len(state.offices))


def load_users(state: DemoState) -> str:
    password = make_password(PASSWORD)  # hashed once: a strong hash per user is slow
    agencies = {agency.code: agency for agency in Agency.objects.all()}
    for username, full_name, role, offices, agency in USERS:
        family_and_middle, _space, given = full_name.rpartition(" ")
        manager = role == User.Role.MANAGER
        user = User.objects.create(
            username=username,
            first_name=family_and_middle,  # so get_full_name() reads "Họ đệm Tên"
            last_name=given,
            password=password,
            role=role,
            agency=agencies[agency] if agency else None,
            is_staff=manager,  # the manager also opens Django admin in the demo
            is_superuser=manager,
        )
        user.offices.set(state.offices[name] for name in offices)
        state.users[username] = user
    return _("{count} người dùng").format(count=len(USERS))


def load_ledger(state: DemoState) -> str:
    state.rows = list(demo.generate(state.size, as_of=state.as_of))
    state.employers = Employer.objects.bulk_create(
        [
            Employer(**{**r.employer, "office": state.offices[r.employer["office"]]})
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
    demo_employers = Employer.objects.filter(unit_code__regex=demo.UNIT_CODE_PATTERN)
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
    demo_employers = Employer.objects.filter(unit_code__regex=demo.UNIT_CODE_PATTERN)
    # Cases protect their employer; everything else hangs off the employer and goes with it.
    RecoveryCase.objects.filter(employer__in=demo_employers).delete()
    demo_employers.delete()


def wipe_users() -> None:
    User.objects.filter(username__in=USERNAMES).delete()


def load_cases(state: DemoState) -> str:
    """Recovery work on the demo's employers in arrears: every stage, referrals, commitments."""
    return demo_cases.make_cases(
        as_of=state.as_of, users=list(state.users.values()), employers=_demo_employers()
    )


def wipe_cases() -> None:
    demo_cases.wipe_cases(_demo_employers())


def load_insured(state: DemoState) -> str:
    """A few insured persons per employer (they go with the employers) and two years of
    coverage figures (replaced on every load)."""
    return demo_insured.make_persons_and_coverage(state.as_of, state.rows, state.employers)


def _demo_employers() -> QuerySet[Employer]:
    return Employer.objects.filter(unit_code__regex=demo.UNIT_CODE_PATTERN)


# In order; each step gets the shared state and returns one line for the summary. A wipe undoes
# its step for --reset (run in reverse order); offices stay, they are reference data.
STEPS: tuple[tuple[Callable[[DemoState], str], Callable[[], None] | None], ...] = (
    (load_offices, None),
    (load_users, wipe_users),
    (load_ledger, wipe_employers),
    (load_insured, None),
    (load_balances, None),
    (load_reminders, wipe_job_runs),
    (load_cases, wipe_cases),
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
        loaded = Employer.objects.filter(unit_code=demo.unit_code(0)).exists()
        if loaded and not reset:
            self.stdout.write(
                _("Dữ liệu demo đã có sẵn (demo already loaded); dùng --reset để nạp lại.")
            )
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
        self.stdout.write(_('Tài khoản demo, mật khẩu "{password}":').format(password=PASSWORD))
        for username, full_name, role, offices, agency in USERS:
            scope = ", ".join(offices) or (Agency.Kind(agency).label if agency else _("toàn tỉnh"))
            role_label = User.Role(role).label
            self.stdout.write(f"  {username:<20} {full_name} – {role_label} ({scope})")
