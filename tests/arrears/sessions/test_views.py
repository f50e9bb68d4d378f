"""The session pages: the week with its holidays and pattern slots, booking by hand and its
refusals, the office's holidays (its head edits them), the minutes form's checks and PDF."""

from __future__ import annotations

from datetime import date, time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from arrears.models import (
    Booking,
    BookingStatus,
    SessionMinutes,
    SessionPattern,
    SessionSlot,
)
from participants.models import Holiday
from tests.factories import EmployerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path


def _messages(response) -> list[str]:  # type: ignore[no-untyped-def]
    return [str(m) for m in response.context["messages"]]


def _next_monday() -> date:
    today = timezone.localdate()
    return today + timedelta(days=7 - today.weekday())


def test_the_week_shows_pattern_slots_and_holidays(client_as, officer_a, office_a):  # type: ignore[no-untyped-def]
    monday = _next_monday()
    SessionPattern.objects.create(
        office=office_a, weekday=0, starts_at=time(8), starts_on=monday, place="Phòng 2"
    )
    SessionPattern.objects.create(
        office=office_a, weekday=2, starts_at=time(8), starts_on=monday, place="Phòng 2"
    )
    Holiday.objects.create(day=monday + timedelta(days=2), name="Giỗ Tổ", office=office_a)
    response = client_as(officer_a).get(
        reverse("session_calendar"), {"office": office_a.pk, "week": monday.isoformat()}
    )
    assert response.status_code == 200
    days = response.context["days"]
    assert [d.day for d in days] == [monday + timedelta(days=i) for i in range(5)]
    assert [len(d.slots) for d in days] == [1, 0, 0, 0, 0]
    assert days[2].holiday == "Giỗ Tổ"
    assert "Giỗ Tổ" in response.text
    # Asked again, the week's slots are not made twice.
    client_as(officer_a).get(reverse("session_calendar"), {"week": monday.isoformat()})
    assert SessionSlot.objects.count() == 1


def test_booking_by_hand_and_its_refusals(client_as, officer_a, office_a, employer_b):  # type: ignore[no-untyped-def]
    slot = SessionSlot.objects.create(
        office=office_a, day=_next_monday(), starts_at=time(9), place="Phòng 1", capacity=1
    )
    mine = EmployerFactory(office=office_a)
    other = EmployerFactory(office=office_a)
    client = client_as(officer_a)
    url = reverse("session_book", args=[slot.pk])

    response = client.post(url, {"unit_code": employer_b.unit_code}, follow=True)
    assert _messages(response) == [
        f"Mã đơn vị «{employer_b.unit_code}» không có trong các đơn vị bạn quản lý."
    ]
    response = client.post(url, {"unit_code": mine.unit_code}, follow=True)
    assert _messages(response) == ["Đã xếp lịch."]
    response = client.post(url, {"unit_code": other.unit_code}, follow=True)
    assert _messages(response) == [f"Buổi {slot} đã đủ 1 đơn vị."]
    response = client.post(url, {"unit_code": ""}, follow=True)
    assert _messages(response) == ["Mã đơn vị: Trường này là bắt buộc."]
    assert list(Booking.objects.values_list("employer", flat=True)) == [mine.pk]

    booking = Booking.objects.get()
    response = client.post(
        reverse("booking_reply", args=[booking.pk]),
        {"reply": "move_asked", "note": "Giám đốc đi công tác"},
        follow=True,
    )
    booking.refresh_from_db()
    assert (booking.status, booking.reply_note) == (
        BookingStatus.MOVE_ASKED,
        "Giám đốc đi công tác",
    )
    later = SessionSlot.objects.create(
        office=office_a, day=_next_monday() + timedelta(days=1), starts_at=time(9), place="P1"
    )
    response = client.post(reverse("booking_move", args=[booking.pk]), {"slot": later.pk})
    moved = Booking.objects.get(moved_from=booking)
    assert response.url == reverse("booking_detail", args=[moved.pk])
    booking.refresh_from_db()
    assert (booking.status, moved.slot, moved.status) == (
        BookingStatus.MOVED,
        later,
        BookingStatus.BOOKED,
    )


def test_slots_refused_on_a_holiday_or_without_a_place(client_as, officer_a, office_a):  # type: ignore[no-untyped-def]
    day = _next_monday()
    Holiday.objects.create(day=day, name="Nghỉ bù", office=office_a)
    url = reverse("session_slot_add", args=[office_a.pk])
    data = {"day": f"{day:%d/%m/%Y}", "starts_at": "08:00", "place": "Phòng 1", "capacity": 3}
    response = client_as(officer_a).post(url, data, follow=True)
    assert _messages(response) == [
        f"Ngày {day:%d/%m/%Y} là ngày nghỉ của cơ quan; hãy chọn ngày làm việc."
    ]
    data |= {"day": f"{day + timedelta(days=1):%d/%m/%Y}", "place": ""}
    response = client_as(officer_a).post(url, data, follow=True)
    assert _messages(response) == ["Cần ghi địa điểm (phòng) hoặc đường dẫn họp trực tuyến."]
    assert not SessionSlot.objects.exists()


def test_the_head_edits_the_offices_holidays(client_as, officer_a, head_a, office_a):  # type: ignore[no-untyped-def]
    url = reverse("office_holidays", args=[office_a.pk])
    data = {"day": "02/09/2027", "name": "Quốc khánh (nghỉ riêng)"}
    assert client_as(officer_a).post(url, data).status_code == 404
    assert client_as(officer_a).get(url).status_code == 200
    response = client_as(head_a).post(url, data, follow=True)
    assert _messages(response) == ["Đã thêm ngày nghỉ."]
    holiday = Holiday.objects.get()
    assert (holiday.day, holiday.office) == (date(2027, 9, 2), office_a)
    response = client_as(head_a).post(url, data, follow=True)
    assert _messages(response) == ["Ngày 02/09/2027 đã là ngày nghỉ."]
    delete = reverse("holiday_delete", args=[holiday.pk])
    assert client_as(officer_a).post(delete).status_code == 404
    client_as(head_a).post(delete)
    assert not Holiday.objects.exists()


def test_minutes_form_checks_then_pdf(client_as, officer_a, office_a):  # type: ignore[no-untyped-def]
    employer = EmployerFactory(office=office_a, name="Công ty TNHH Hòa Bình Xanh")
    slot = SessionSlot.objects.create(
        office=office_a, day=date(2026, 11, 20), starts_at=time(8), place="Phòng họp"
    )
    booking = Booking.objects.create(
        slot=slot,
        employer=employer,
        status=BookingStatus.ATTENDED,
        attendee_name="Bùi Văn Thắng",
        attendee_role="Giám đốc",
    )
    client = client_as(officer_a)
    url = reverse("booking_minutes", args=[booking.pk])
    data = {
        "arrears_acknowledged": "3.000.000",
        "reasons": "Thiếu vốn",
        "agreement": "promise",
        "instalments": "31/12/2026 1.000.000\n31/01/2027 2.000.000",
    }
    response = client.post(url, data, follow=True)
    assert _messages(response) == [
        "Các đợt trả: Cam kết trả một lần cần đúng một dòng: ngày và số tiền."
    ]
    assert not SessionMinutes.objects.exists()
    response = client.post(url, data | {"agreement": "plan"}, follow=True)
    assert _messages(response) == ["Đã lưu biên bản làm việc."]
    minutes = SessionMinutes.objects.get()
    assert [i.amount for i in minutes.commitment.instalments.all()] == [1_000_000, 2_000_000]
    pdf = client.get(reverse("booking_minutes_pdf", args=[booking.pk]))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
