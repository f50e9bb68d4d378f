"""The session pages: an office's calendar (week view; a day's list, printable as the
attendance sheet), an officer's sessions today, one booking (reply, move, cancel, attendance,
minutes, the signed copy), the proposals on a case, and the office's holidays.

Every view calls ``accounts.access`` first; forms post to their own URL and come back to the
page they were on, a refusal as a message naming the field and the reason.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from django.contrib import messages
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import access
from accounts.models import User
from arrears.cases.errors import CaseError
from arrears.cases.forms import QuickForm
from arrears.models import (
    UPCOMING,
    Booking,
    BookingStatus,
    LadderProposal,
    SessionMinutes,
    SessionPattern,
    SessionSlot,
)
from arrears.sessions import selectors, services
from arrears.sessions.forms import (
    AttendanceForm,
    BookForm,
    HolidayForm,
    MinutesForm,
    MoveForm,
    PatternForm,
    ReplyForm,
    SignForm,
    SlotForm,
)
from arrears.sessions.minutes import minutes_pdf
from participants.models import Employer, Holiday, Office


def _offices(user: User) -> QuerySet[Office]:
    return (Office.objects.all() if user.sees_province else user.offices.all()).order_by("name")


def _office(user: User, office_id: Any) -> Office:
    """The office asked for among the user's (404 otherwise), or their first."""
    offices = _offices(user)
    if office_id in (None, ""):
        office = offices.first()
        if office is None:
            raise Http404
        return office
    try:
        return offices.get(pk=int(office_id))
    except (ValueError, Office.DoesNotExist) as exc:
        raise Http404 from exc


def _day(text: str | None, default: date) -> date:
    if not text:
        return default
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise Http404 from exc


def _done(
    request: HttpRequest,
    form: QuickForm,
    perform: Callable[[dict[str, Any]], object],
    done: str,
    back: str,
) -> HttpResponse:
    """Run ``perform`` on the cleaned form; a refusal (the form's or a rule's) becomes a
    message naming the field."""
    if form.is_valid():
        try:
            perform(form.cleaned_data)
        except CaseError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, done)
            return redirect(back)
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else ""
        for error in errors:
            messages.error(request, f"{label}: {error}" if label else error)
    return redirect(back)


def _calendar_url(office: Office, day: date) -> str:
    monday = day - timedelta(days=day.weekday())
    return f"{reverse('session_calendar')}?office={office.pk}&week={monday.isoformat()}"


# --------------------------------------------------------------------------------------------
# The calendar


def session_calendar(request: HttpRequest) -> HttpResponse:
    user = access.staff(request)
    office = _office(user, request.GET.get("office"))
    today = timezone.localdate()
    day = _day(request.GET.get("week"), today)
    monday = day - timedelta(days=day.weekday())
    services.ensure_pattern_slots(office, monday, monday + timedelta(days=6))
    return render(
        request,
        "arrears/sessions/calendar.html",
        {
            "office": office,
            "offices": _offices(user),
            "monday": monday,
            "previous": monday - timedelta(days=7),
            "next": monday + timedelta(days=7),
            "days": selectors.week_calendar(office, monday, user),
            "slot_form": SlotForm(
                office=office, action=reverse("session_slot_add", args=[office.pk])
            ),
            "pattern_form": PatternForm(
                office=office,
                action=reverse("session_pattern_add", args=[office.pk]),
                initial={"starts_on": monday},
            ),
            "patterns": SessionPattern.objects.filter(office=office).prefetch_related("officers"),
            "approves": user.approves_for(office.pk),
        },
    )


def session_day(request: HttpRequest, office_id: int, day: str) -> HttpResponse:
    """A day's sessions with their employers: the attendance sheet, printable."""
    user = access.staff(request)
    office = _office(user, office_id)
    on = _day(day, timezone.localdate())
    slots = SessionSlot.objects.filter(office=office, day=on)
    return render(
        request,
        "arrears/sessions/day.html",
        {"office": office, "day": on, "rows": selectors.slot_rows(slots, user)},
    )


def session_today(request: HttpRequest) -> HttpResponse:
    user = access.staff(request)
    today = timezone.localdate()
    return render(
        request,
        "arrears/sessions/today.html",
        {"day": today, "rows": selectors.sessions_today(user, today)},
    )


@require_POST
def session_slot_add(request: HttpRequest, office_id: int) -> HttpResponse:
    user = access.staff(request)
    office = _office(user, office_id)
    form = SlotForm(request.POST, office=office)
    back = _calendar_url(office, timezone.localdate())
    if form.is_valid():
        back = _calendar_url(office, form.cleaned_data["day"])
    return _done(
        request,
        form,
        lambda d: services.add_slot(
            office=office,
            day=d["day"],
            starts_at=d["starts_at"],
            place=d["place"],
            online_link=d["online_link"],
            capacity=d["capacity"],
            officers=list(d["officers"]),
        ),
        _("Đã thêm buổi làm việc."),
        back,
    )


@require_POST
def session_pattern_add(request: HttpRequest, office_id: int) -> HttpResponse:
    user = access.staff(request)
    office = _office(user, office_id)
    form = PatternForm(request.POST, office=office)
    return _done(
        request,
        form,
        lambda d: services.add_pattern(
            office=office,
            weekday=d["weekday"],
            starts_at=d["starts_at"],
            starts_on=d["starts_on"],
            ends_on=d["ends_on"],
            place=d["place"],
            online_link=d["online_link"],
            capacity=d["capacity"],
            officers=list(d["officers"]),
        ),
        _("Đã thêm lịch làm việc hằng tuần."),
        _calendar_url(office, timezone.localdate()),
    )


@require_POST
def session_book(request: HttpRequest, pk: int) -> HttpResponse:
    user = access.staff(request)
    slot = access.get_for_user(SessionSlot, user, pk=pk)
    form = BookForm(request.POST)

    def perform(d: dict[str, Any]) -> object:
        employer = Employer.objects.in_scope(user).filter(unit_code=d["unit_code"].strip()).first()
        if employer is None:
            raise CaseError(
                _("Mã đơn vị «%(code)s» không có trong các đơn vị bạn quản lý.")
                % {"code": d["unit_code"].strip()}
            )
        return services.book(slot=slot, employer=employer, by=user)

    return _done(request, form, perform, _("Đã xếp lịch."), _calendar_url(slot.office, slot.day))


# --------------------------------------------------------------------------------------------
# A booking


def _booking(request: HttpRequest, pk: int) -> tuple[User, Booking]:
    user = access.staff(request)
    booking = access.get_for_user(
        Booking.objects.select_related("slot__office", "employer", "case"), user, pk=pk
    )
    return user, booking


def booking_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _user, booking = _booking(request, pk)
    today = timezone.localdate()
    minutes = SessionMinutes.objects.filter(booking=booking).select_related("signed").first()
    upcoming = booking.status in UPCOMING
    context: dict[str, Any] = {
        "booking": booking,
        "slot": booking.slot,
        "minutes": minutes,
        "today": today,
        "missed": len(selectors.missed_in_a_row(booking.employer)),
    }
    if upcoming:
        context |= {
            "reply_form": ReplyForm(action=reverse("booking_reply", args=[pk])),
            "move_form": MoveForm(
                office=booking.slot.office, today=today, action=reverse("booking_move", args=[pk])
            ),
            "attendance_form": AttendanceForm(action=reverse("booking_attendance", args=[pk]))
            if booking.slot.day <= today
            else None,
        }
    if booking.status == BookingStatus.ATTENDED and minutes is None:
        context["minutes_form"] = MinutesForm(
            action=reverse("booking_minutes", args=[pk]),
            initial={"arrears_acknowledged": ""},
        )
    if minutes is not None and minutes.signed_id is None:
        context["sign_form"] = SignForm(action=reverse("booking_sign", args=[pk]))
    return render(request, "arrears/sessions/booking.html", context)


def _back(booking: Booking) -> str:
    return reverse("booking_detail", args=[booking.pk])


@require_POST
def booking_reply(request: HttpRequest, pk: int) -> HttpResponse:
    user, booking = _booking(request, pk)
    return _done(
        request,
        ReplyForm(request.POST),
        lambda d: services.record_reply(booking=booking, reply=d["reply"], note=d["note"], by=user),
        _("Đã ghi phản hồi của đơn vị."),
        _back(booking),
    )


@require_POST
def booking_move(request: HttpRequest, pk: int) -> HttpResponse:
    user, booking = _booking(request, pk)
    form = MoveForm(request.POST, office=booking.slot.office, today=timezone.localdate())
    moved: list[Booking] = []

    def perform(d: dict[str, Any]) -> object:
        moved.append(services.move(booking=booking, to=d["slot"], by=user))
        return moved[0]

    response = _done(request, form, perform, _("Đã chuyển lịch."), _back(booking))
    return redirect(_back(moved[0])) if moved else response


@require_POST
def booking_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    user, booking = _booking(request, pk)
    try:
        services.cancel(booking=booking, by=user)
    except CaseError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Đã hủy lịch."))
    return redirect(_back(booking))


@require_POST
def booking_attendance(request: HttpRequest, pk: int) -> HttpResponse:
    user, booking = _booking(request, pk)
    return _done(
        request,
        AttendanceForm(request.POST),
        lambda d: services.record_attendance(
            booking=booking,
            came=d["came"],
            by=user,
            attendee_name=d["attendee_name"],
            attendee_role=d["attendee_role"],
        ),
        _("Đã ghi điểm danh."),
        _back(booking),
    )


@require_POST
def booking_minutes(request: HttpRequest, pk: int) -> HttpResponse:
    user, booking = _booking(request, pk)
    return _done(
        request,
        MinutesForm(request.POST),
        lambda d: services.record_minutes(
            booking=booking,
            by=user,
            arrears_acknowledged=d["arrears_acknowledged"],
            reasons=d["reasons"],
            agreement=d["agreement"],
            instalments=d["instalments"],
            agreed_text=d["agreed_text"],
        ),
        _("Đã lưu biên bản làm việc."),
        _back(booking),
    )


def _minutes(booking: Booking) -> SessionMinutes:
    minutes = SessionMinutes.objects.filter(booking=booking).first()
    if minutes is None:
        raise Http404
    return minutes


@require_POST
def booking_sign(request: HttpRequest, pk: int) -> HttpResponse:
    user, booking = _booking(request, pk)
    minutes = _minutes(booking)
    return _done(
        request,
        SignForm(request.POST, request.FILES),
        lambda d: services.sign_minutes(minutes=minutes, by=user, scan=d["scan"]),
        _("Đã lưu biên bản đã ký; hồ sơ chuyển công an dùng biên bản này."),
        _back(booking),
    )


def booking_minutes_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    _user, booking = _booking(request, pk)
    minutes = _minutes(booking)
    response = HttpResponse(minutes_pdf(minutes), content_type="application/pdf")
    name = f"bien-ban-{booking.employer.unit_code}-{booking.slot.day:%Y-%m-%d}.pdf"
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response


@require_POST
def proposal_decide(request: HttpRequest, pk: int) -> HttpResponse:
    user = access.staff(request)
    proposal = access.get_for_user(LadderProposal.objects.select_related("case"), user, pk=pk)
    accept = request.POST.get("accept") == "1"
    try:
        services.decide_proposal(proposal=proposal, accept=accept, by=user)
    except CaseError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Đã chuyển bước.") if accept else _("Đã bỏ qua đề xuất."))
    return redirect("case_detail", proposal.case_id)


# --------------------------------------------------------------------------------------------
# The office's holidays


def office_holidays(request: HttpRequest, office_id: int) -> HttpResponse:
    """The office's own days off (those who approve for it edit them) and the province's."""
    user = access.staff(request)
    office = _office(user, office_id)
    edits = user.approves_for(office.pk)
    form = HolidayForm(request.POST or None, action=request.path)
    if request.method == "POST":
        if not edits:
            raise Http404
        return _done(
            request,
            form,
            lambda d: services.add_holiday(office=office, day=d["day"], name=d["name"]),
            _("Đã thêm ngày nghỉ."),
            request.path,
        )
    year = timezone.localdate().year
    return render(
        request,
        "arrears/sessions/holidays.html",
        {
            "office": office,
            "edits": edits,
            "form": form,
            "holidays": Holiday.objects.filter(
                Q(office=office) | Q(office=None), day__year__gte=year - 1
            ).select_related("office"),
        },
    )


@require_POST
def holiday_delete(request: HttpRequest, pk: int) -> HttpResponse:
    user = access.staff(request)
    holiday = Holiday.objects.filter(pk=pk, office__in=_offices(user)).first()
    if holiday is None or not user.approves_for(holiday.office_id):
        raise Http404
    services.remove_holiday(holiday)
    messages.success(request, _("Đã xóa ngày nghỉ."))
    return redirect("office_holidays", holiday.office_id)
