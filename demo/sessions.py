"""Working sessions for the demo province: each grassroots office's weekly session (Tuesday
08:30, four employers), its past weeks filled with the employers of its open cases (most
came: their minutes, some with a plan; some did not), and next week's bookings still to
come. Made through ``arrears.sessions.services`` as the pages would make them.

Called by ``manage.py load_demo`` after the cases.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date, time, timedelta

from django.db.models import QuerySet

from accounts.models import User
from arrears.models import (
    Agreement,
    Booking,
    RecoveryCase,
    SessionPattern,
    SessionSlot,
    Stage,
)
from arrears.sessions import services as sessions
from demo.referrals import Work
from participants.models import Employer, Holiday, Office

PAST_WEEKS = 4
CAPACITY = 4
# The province's days off (Labour Code Art. 112 and the government's Tết and National Day
# decisions), so no session falls on them; an office keeps the table current each year.
NATIONAL_HOLIDAYS = (
    (date(2026, 1, 1), "Tết Dương lịch"),
    *((date(2026, 2, day), "Tết Nguyên đán") for day in range(16, 21)),
    (date(2026, 4, 27), "Giỗ Tổ Hùng Vương (nghỉ bù)"),
    (date(2026, 4, 30), "Ngày Chiến thắng"),
    (date(2026, 5, 1), "Ngày Quốc tế Lao động"),
    (date(2026, 9, 1), "Quốc khánh"),
    (date(2026, 9, 2), "Quốc khánh"),
    (date(2027, 1, 1), "Tết Dương lịch"),
    (date(2027, 4, 30), "Ngày Chiến thắng"),
    (date(2027, 5, 1), "Ngày Quốc tế Lao động"),
    (date(2027, 9, 2), "Quốc khánh"),
)
REASONS = (
    "Khách hàng chậm thanh toán, thiếu vốn lưu động.",
    "Đơn hàng giảm, phải tạm dừng một dây chuyền.",
    "Chờ quyết toán công trình với chủ đầu tư.",
)


def make_sessions(*, as_of: date, users: Sequence[User], employers: QuerySet[Employer]) -> str:
    """The demo's sessions; a line for the summary."""
    Holiday.objects.bulk_create(
        [Holiday(day=day, name=name) for day, name in NATIONAL_HOLIDAYS], ignore_conflicts=True
    )
    work = Work.of(as_of, users)
    monday = as_of - timedelta(days=as_of.weekday())
    first = monday - timedelta(weeks=PAST_WEEKS)
    cases = defaultdict(list)
    for case in (
        RecoveryCase.objects.open()
        .filter(employer__in=employers, stage__in=[Stage.DETECTED, Stage.REMINDED, Stage.SUMMONED])
        .select_related("employer")
        .order_by("pk")
    ):
        cases[case.employer.office_id].append(case)
    counts = {"slots": 0, "booked": 0, "came": 0, "committed": 0}
    for office in Office.objects.filter(kind=Office.Kind.GRASSROOTS, pk__in=cases).order_by("pk"):
        officers = work.officers.get(office.pk)
        if not officers:
            continue
        officer = officers[0]  # holds the session and records it
        sessions.add_pattern(
            office=office,
            weekday=1,
            starts_at=time(8, 30),
            starts_on=first,
            ends_on=None,
            place=f"Phòng họp {office.name}",
            online_link="",
            capacity=CAPACITY,
            officers=officers,
        )
        sessions.ensure_pattern_slots(office, first, monday + timedelta(days=13))
        waiting = list(cases[office.pk])
        for slot in SessionSlot.objects.filter(office=office).order_by("day"):
            counts["slots"] += 1
            for case in waiting[:CAPACITY]:
                booking = Booking.objects.create(
                    slot=slot, employer=case.employer, case=case, booked_by=officer
                )
                counts["booked"] += 1
                if slot.day < as_of:
                    counts["came"] += _hold(work, booking, officer, counts)
            waiting = waiting[CAPACITY:] + waiting[:CAPACITY]
    return (
        f"{counts['slots']} buổi làm việc, {counts['booked']} lượt mời, "
        f"{counts['came']} lượt đến làm việc, {counts['committed']} cam kết"
    )


def _hold(work: Work, booking: Booking, officer: User, counts: dict[str, int]) -> int:
    """The session of ``booking``: one in four did not come; who came gave reasons, and every
    other one signed a plan. Returns 1 when the employer came."""
    rng = work.rng
    if rng.random() < 0.25:
        sessions.record_attendance(booking=booking, came=False, by=officer)
        return 0
    employer = booking.employer
    sessions.record_attendance(
        booking=booking,
        came=True,
        by=officer,
        attendee_name=employer.legal_representative or "Kế toán trưởng",
        attendee_role="Người đại diện theo pháp luật"
        if employer.legal_representative
        else "Kế toán trưởng, được ủy quyền",
    )
    arrears = booking.case.arrears_at_opening if booking.case else 0
    day = booking.slot.day
    share = arrears // 3 // 1000 * 1000  # three instalments, whole thousands, within the debt
    plan = rng.random() < 0.5 and share > 0
    sessions.record_minutes(
        booking=booking,
        by=officer,
        arrears_acknowledged=arrears,
        reasons=rng.choice(REASONS),
        agreement=Agreement.PLAN if plan else Agreement.NONE,
        instalments=[(day + timedelta(days=30 * (k + 1)), share) for k in range(3)] if plan else [],
        agreed_text="" if plan else "Đơn vị xin gia hạn, hẹn làm việc lại.",
    )
    counts["committed"] += int(plan)
    return 1


def wipe_sessions(employers: QuerySet[Employer]) -> None:
    """The demo's bookings (their minutes go with them), then the slots and patterns."""
    Booking.objects.filter(employer__in=employers).delete()
    SessionSlot.objects.filter(bookings__isnull=True).delete()
    SessionPattern.objects.filter(slots__isnull=True).delete()
