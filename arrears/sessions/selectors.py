"""Reads of the session cycle: an office's week and day, an officer's sessions today, the
missed sessions in a row, and what an invitation letter says. (The counts the dashboard and
the digest show are ``Booking.objects.counts``; what pages show of an employer or a case is
``arrears.templatetags.session_cycle``.)"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Count, Q, QuerySet

from accounts.models import User
from arrears.models import (
    SEATED,
    UPCOMING,
    Booking,
    BookingStatus,
    SessionSlot,
)
from participants.models import Employer, Holiday, Office


@dataclass
class SlotRow:
    slot: SessionSlot
    bookings: list[Booking]
    taken: int  # seats taken, by employers this user sees or not

    @property
    def free(self) -> int:
        return max(0, self.slot.capacity - self.taken)


@dataclass
class Day:
    day: date
    holiday: str
    slots: list[SlotRow] = field(default_factory=list)


def slot_rows(slots: QuerySet[SessionSlot], user: User) -> list[SlotRow]:
    slots = slots.prefetch_related("officers").annotate(
        taken=Count("bookings", filter=Q(bookings__status__in=SEATED))
    )
    visible = (
        Booking.objects.in_scope(user)
        .filter(slot__in=slots)
        .exclude(status__in=[BookingStatus.CANCELLED, BookingStatus.MOVED])
    )
    by_slot: dict[int, list[Booking]] = {}
    for booking in visible.select_related("employer", "case", "minutes"):
        by_slot.setdefault(booking.slot_id, []).append(booking)
    return [
        SlotRow(slot, by_slot.get(slot.pk, []), slot.taken)  # type: ignore[attr-defined]
        for slot in slots
    ]


def week_calendar(office: Office, monday: date, user: User) -> list[Day]:
    """Monday to Friday of the office's week: each day's holiday and slots."""
    friday = monday + timedelta(days=4)
    off = dict(
        Holiday.objects.filter(Q(office=None) | Q(office=office), day__range=(monday, friday))
        .order_by("office")
        .values_list("day", "name")
    )
    weekdays = [monday + timedelta(days=i) for i in range(5)]
    days = {day: Day(day, off.get(day, "")) for day in weekdays}
    slots = SessionSlot.objects.filter(office=office, day__range=(monday, friday))
    for row in slot_rows(slots, user):
        days[row.slot.day].slots.append(row)
    return list(days.values())


def sessions_today(user: User, day: date) -> list[SlotRow]:
    """The sessions ``user`` holds on ``day``, else those of their offices."""
    slots = SessionSlot.objects.in_scope(user).filter(day=day)
    held = slots.filter(officers=user)
    return slot_rows(held if held.exists() else slots, user)


def missed_in_a_row(employer: Employer) -> list[Booking]:
    """The employer's missed sessions since the last one it came to, oldest first."""
    last_came = (
        Booking.objects.filter(employer=employer, status=BookingStatus.ATTENDED)
        .order_by("-slot__day")
        .values_list("slot__day", flat=True)
        .first()
    )
    missed = Booking.objects.filter(employer=employer, status=BookingStatus.ABSENT)
    if last_came is not None:
        missed = missed.filter(slot__day__gt=last_came)
    return list(missed.select_related("slot").order_by("slot__day", "pk"))


def upcoming_bookings(employer_ids: Collection[int], cycle: str) -> dict[int, Booking]:
    """The bookings the weekly run of ``cycle`` made for the employers, those still upcoming,
    by employer (one query and its officers', whatever their number)."""
    bookings = (
        Booking.objects.filter(employer_id__in=employer_ids, cycle=cycle, status__in=UPCOMING)
        .select_related("slot__office", "case__officer")
        .prefetch_related("slot__officers")
    )
    found: dict[int, Booking] = {}
    for booking in bookings:  # one per employer and cycle (``booking_once``)
        found.setdefault(booking.employer_id, booking)
    return found


def upcoming_booking(employer_id: int, cycle: str) -> Booking | None:
    """The booking the weekly run of ``cycle`` made for the employer, if still upcoming."""
    return upcoming_bookings([employer_id], cycle).get(employer_id)


def _name(user: User) -> str:
    return user.get_full_name() or user.username


def invitation_context(employer_id: int, cycle: str) -> dict[str, str]:
    """What an invitation letter says of the session: when, where, what to bring, whom to
    contact. Without a booking, nothing: the letter's defaults say "this week, at the
    office", as before the session calendar."""
    return invitation_contexts([employer_id], cycle).get(employer_id, {})


def invitation_contexts(employer_ids: Collection[int], cycle: str) -> dict[int, dict[str, str]]:
    """``invitation_context`` of each employer with a booking, read together."""
    return {pk: _session_context(b) for pk, b in upcoming_bookings(employer_ids, cycle).items()}


def _session_context(booking: Booking) -> dict[str, str]:
    context: dict[str, str] = {}
    slot = booking.slot
    officers = list(slot.officers.all())
    contact = booking.case.officer if booking.case and booking.case.officer else None
    contact = contact or (officers[0] if officers else None)
    if contact is not None:
        reach = contact.email or slot.office.phone
        context["can_bo_lien_he"] = _name(contact) + (f" ({reach})" if reach else "")
    where = slot.place or f"họp trực tuyến: {slot.online_link}"
    if slot.place and slot.online_link:
        where += f" (hoặc trực tuyến: {slot.online_link})"
    context["thoi_gian_dia_diem"] = (
        f"vào lúc {slot.starts_at:%H:%M} ngày {slot.day:%d/%m/%Y} tại {where}"
    )
    return context
