"""Every change of the session cycle: slots and patterns, the office's holidays, bookings made
by hand (book, move, cancel, the employer's reply), attendance, minutes that become
commitments, their signed copy, and the ladder steps proposed after missed sessions.

The weekly job's booking and targeting are in ``weekly.py``; reads in ``selectors.py``. A rule
that says no raises ``CaseError`` with a message for the user.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, time, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile, UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from arrears.cases import services as cases
from arrears.cases.attachments import add_attachment
from arrears.cases.errors import CaseError
from arrears.models import (
    LADDER,
    SEATED,
    UPCOMING,
    Agreement,
    Booking,
    BookingStatus,
    CaseEvent,
    Commitment,
    CommitmentKind,
    EventKind,
    LadderProposal,
    Policy,
    ProposalCause,
    ProposalStatus,
    RecoveryCase,
    SessionMinutes,
    SessionPattern,
    SessionSlot,
    Stage,
)
from arrears.sessions.minutes import minutes_pdf
from arrears.sessions.selectors import missed_in_a_row
from desk.text import grouped
from desk.workdays import is_working_day
from participants.models import Employer, Holiday, Office
from participants.selectors import holidays

# Missed sessions or a broken commitment propose at least an inspection: the employer has
# been summoned already.
PROPOSED_AT_LEAST = Stage.INSPECTION


# --------------------------------------------------------------------------------------------
# The calendar


def ensure_pattern_slots(office: Office, start: date, end: date) -> None:
    """The slots the office's weekly patterns make from ``start`` to ``end``, on working days
    only (weekends and the office's holidays skipped); made once per pattern and day."""
    off = holidays(start, end, office)
    patterns = SessionPattern.objects.filter(office=office, starts_on__lte=end).filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=start)
    )
    for pattern in patterns.prefetch_related("officers"):
        day = start + timedelta(days=(pattern.weekday - start.weekday()) % 7)
        while day <= end:
            if (
                pattern.starts_on <= day
                and (pattern.ends_on is None or day <= pattern.ends_on)
                and is_working_day(day, off)
            ):
                slot, made = SessionSlot.objects.get_or_create(
                    pattern=pattern,
                    day=day,
                    defaults={
                        "office": office,
                        "starts_at": pattern.starts_at,
                        "place": pattern.place,
                        "online_link": pattern.online_link,
                        "capacity": pattern.capacity,
                    },
                )
                if made:
                    slot.officers.set(pattern.officers.all())
            day += timedelta(days=7)


def _check_place(place: str, online_link: str, capacity: int) -> None:
    if not place.strip() and not online_link.strip():
        raise CaseError(_("Cần ghi địa điểm (phòng) hoặc đường dẫn họp trực tuyến."))
    if capacity < 1:
        raise CaseError(_("Số đơn vị tối đa phải từ 1 trở lên."))


def _check_officers(office: Office, officers: Sequence[User]) -> None:
    for officer in officers:
        if not officer.sees_province and not officer.offices.filter(pk=office.pk).exists():
            raise CaseError(
                _("Cán bộ %(name)s không thuộc %(office)s.")
                % {"name": officer.get_full_name() or officer.username, "office": office.name}
            )


@transaction.atomic
def add_slot(
    *,
    office: Office,
    day: date,
    starts_at: time,
    place: str,
    online_link: str,
    capacity: int,
    officers: Sequence[User],
) -> SessionSlot:
    """A one-off session, on a working day of the office."""
    _check_place(place, online_link, capacity)
    if not is_working_day(day, holidays(day, day, office)):
        raise CaseError(
            _("Ngày %(day)s là ngày nghỉ của cơ quan; hãy chọn ngày làm việc.")
            % {"day": f"{day:%d/%m/%Y}"}
        )
    _check_officers(office, officers)
    slot = SessionSlot.objects.create(
        office=office,
        day=day,
        starts_at=starts_at,
        place=place.strip(),
        online_link=online_link.strip(),
        capacity=capacity,
    )
    slot.officers.set(officers)
    return slot


@transaction.atomic
def add_pattern(
    *,
    office: Office,
    weekday: int,
    starts_at: time,
    starts_on: date,
    ends_on: date | None,
    place: str,
    online_link: str,
    capacity: int,
    officers: Sequence[User],
) -> SessionPattern:
    """A weekly session; its slots are made as the calendar and the weekly job reach them."""
    _check_place(place, online_link, capacity)
    if ends_on is not None and ends_on < starts_on:
        raise CaseError(_("Ngày kết thúc phải từ ngày bắt đầu trở đi."))
    _check_officers(office, officers)
    pattern = SessionPattern.objects.create(
        office=office,
        weekday=weekday,
        starts_at=starts_at,
        starts_on=starts_on,
        ends_on=ends_on,
        place=place.strip(),
        online_link=online_link.strip(),
        capacity=capacity,
    )
    pattern.officers.set(officers)
    return pattern


def add_holiday(*, office: Office, day: date, name: str) -> Holiday:
    """A day the office closes (a province-wide holiday is the administrator's)."""
    if not name.strip():
        raise CaseError(_("Cần ghi tên ngày nghỉ."))
    if Holiday.objects.filter(Q(office=office) | Q(office=None), day=day).exists():
        raise CaseError(_("Ngày %(day)s đã là ngày nghỉ.") % {"day": f"{day:%d/%m/%Y}"})
    return Holiday.objects.create(office=office, day=day, name=name.strip())


def remove_holiday(holiday: Holiday) -> None:
    if holiday.office_id is None:
        raise CaseError(_("Ngày nghỉ toàn tỉnh chỉ quản trị viên sửa."))
    holiday.delete()


# --------------------------------------------------------------------------------------------
# Bookings by hand


def _seats_taken(slot: SessionSlot) -> int:
    return slot.bookings.filter(status__in=SEATED).count()


def _lock_free_slot(slot: SessionSlot, employer: Employer) -> SessionSlot:
    slot = SessionSlot.objects.select_for_update().get(pk=slot.pk)
    if slot.office_id != employer.office_id:
        raise CaseError(_("Buổi làm việc phải của BHXH cơ sở quản lý đơn vị."))
    if slot.day < timezone.localdate():
        raise CaseError(_("Buổi làm việc này đã qua."))
    if not is_working_day(slot.day, holidays(slot.day, slot.day, slot.office)):
        raise CaseError(_("Buổi làm việc rơi vào ngày nghỉ."))
    if _seats_taken(slot) >= slot.capacity:
        raise CaseError(
            _("Buổi %(slot)s đã đủ %(n)s đơn vị.") % {"slot": str(slot), "n": slot.capacity}
        )
    return slot


def open_case_of(employer: Employer) -> RecoveryCase | None:
    return RecoveryCase.objects.open().filter(employer=employer).first()


@transaction.atomic
def book(*, slot: SessionSlot, employer: Employer, by: User) -> Booking:
    """An officer books an employer into a free slot of its managing office."""
    slot = _lock_free_slot(slot, employer)
    upcoming = Booking.objects.filter(employer=employer, status__in=UPCOMING).first()
    if upcoming is not None:
        raise CaseError(
            _("Đơn vị đã có lịch làm việc %(slot)s; hãy chuyển lịch đó.")
            % {"slot": str(upcoming.slot)}
        )
    return Booking.objects.create(
        slot=slot, employer=employer, case=open_case_of(employer), booked_by=by
    )


def _upcoming(booking: Booking) -> Booking:
    booking = Booking.objects.select_for_update().get(pk=booking.pk)
    if booking.status not in UPCOMING:
        raise CaseError(
            _("Lịch này đã %(status)s.") % {"status": booking.get_status_display().lower()}
        )
    return booking


@transaction.atomic
def move(*, booking: Booking, to: SessionSlot, by: User) -> Booking:
    """The employer goes to another slot: the old booking says where it went."""
    booking = _upcoming(booking)
    if to.pk == booking.slot_id:
        raise CaseError(_("Đơn vị đã có lịch ở buổi này."))
    to = _lock_free_slot(to, booking.employer)
    booking.status = BookingStatus.MOVED
    booking.save(update_fields=["status"])
    return Booking.objects.create(
        slot=to, employer=booking.employer, case=booking.case, moved_from=booking, booked_by=by
    )


@transaction.atomic
def cancel(*, booking: Booking, by: User) -> Booking:
    booking = _upcoming(booking)
    booking.status = BookingStatus.CANCELLED
    booking.save(update_fields=["status"])
    return booking


REPLIES = (BookingStatus.CONFIRMED, BookingStatus.MOVE_ASKED)


@transaction.atomic
def record_reply(*, booking: Booking, reply: str, note: str, by: User) -> Booking:
    """The employer confirmed, or asked to move (the officer then moves it)."""
    booking = _upcoming(booking)
    if reply not in REPLIES:
        raise CaseError(_("Phản hồi không hợp lệ."))
    booking.status = reply
    booking.reply_note = note.strip()
    booking.save(update_fields=["status", "reply_note"])
    return booking


# --------------------------------------------------------------------------------------------
# Attendance, minutes, consequences


@transaction.atomic
def record_attendance(
    *, booking: Booking, came: bool, by: User, attendee_name: str = "", attendee_role: str = ""
) -> Booking:
    """Came (who, in what capacity) or did not come. A miss that brings the employer to the
    policy's number of missed sessions in a row proposes the next ladder step."""
    booking = _upcoming(booking)
    if booking.slot.day > timezone.localdate():
        raise CaseError(_("Chưa đến ngày làm việc; chỉ ghi có mặt, vắng mặt từ ngày đó."))
    if came:
        if not attendee_name.strip() or not attendee_role.strip():
            raise CaseError(_("Cần ghi người đến làm việc và chức vụ, tư cách của họ."))
        booking.status = BookingStatus.ATTENDED
        booking.attendee_name = attendee_name.strip()
        booking.attendee_role = attendee_role.strip()
    else:
        booking.status = BookingStatus.ABSENT
    booking.save(update_fields=["status", "attendee_name", "attendee_role"])
    if not came:
        _after_absence(booking, by)
    return booking


def _after_absence(booking: Booking, by: User) -> None:
    missed = missed_in_a_row(booking.employer)
    if len(missed) < Policy.current().sessions_missed_limit:
        return
    case = booking.case or open_case_of(booking.employer)
    if case is None:
        case = cases.open_case(
            employer=booking.employer, by=by, note=_("Mở hồ sơ: vắng mặt các buổi làm việc.")
        )
    reason = _("Vắng mặt %(n)s buổi làm việc liền: %(days)s.") % {
        "n": len(missed),
        "days": ", ".join(f"{b.slot.day:%d/%m/%Y}" for b in missed),
    }
    propose(case=case, cause=ProposalCause.ABSENCES, source=f"booking:{booking.pk}", reason=reason)


def next_step(case: RecoveryCase) -> Stage | None:
    """The step a proposal names: the next one up the ladder, an inspection at least."""
    if not case.is_open:
        return None
    index = max(LADDER.index(Stage(case.stage)) + 1, LADDER.index(PROPOSED_AT_LEAST))
    return LADDER[index] if index < len(LADDER) else None


def propose(
    *, case: RecoveryCase, cause: str, source: str, reason: str, on: date | None = None
) -> LadderProposal | None:
    """Propose the next ladder step to the case's officer, once per cause and source, with
    the approval it needs; the case's timeline says why."""
    to = next_step(case)
    if to is None or LadderProposal.objects.filter(case=case, cause=cause, source=source).exists():
        return None
    on = on or timezone.localdate()
    needs_approval = to == Stage.CRIMINAL_REFERRAL and case.criminal_referral_approved_by_id is None
    proposal = LadderProposal.objects.create(
        case=case,
        cause=cause,
        source=source,
        to_stage=to,
        reason=reason,
        needs_approval=needs_approval,
        proposed_on=on,
    )
    text = _("Đề xuất chuyển sang bước «%(stage)s»: %(reason)s") % {
        "stage": to.label,
        "reason": reason,
    }
    if needs_approval:
        text += " " + _("Cần lãnh đạo phê duyệt.")
    CaseEvent.objects.create(case=case, kind=EventKind.NOTE, occurred_on=on, text=text)
    return proposal


def propose_after_broken(on: date) -> int:
    """A proposal for each open case with a commitment found broken (the weekly job flags
    them), once per commitment. Returns how many were made."""
    broken = (
        Commitment.objects.filter(
            case__stage__in=LADDER, instalments__broken_flagged_on__isnull=False
        )
        .distinct()
        .select_related("case")
        .order_by("pk")
    )
    made = 0
    for commitment in broken:
        reason = _("Vi phạm %(commitment)s ký ngày %(day)s.") % {
            "commitment": commitment.get_kind_display().lower(),
            "day": f"{commitment.signed_on:%d/%m/%Y}",
        }
        source = f"commitment:{commitment.pk}"
        if propose(
            case=commitment.case, cause=ProposalCause.BROKEN, source=source, reason=reason, on=on
        ):
            made += 1
    return made


@transaction.atomic
def decide_proposal(*, proposal: LadderProposal, accept: bool, by: User) -> LadderProposal:
    """Accepted, the case moves (with the ladder's own approvals); dismissed, it stays."""
    proposal = LadderProposal.objects.select_for_update().get(pk=proposal.pk)
    if proposal.status != ProposalStatus.OPEN:
        raise CaseError(_("Đề xuất này đã được xử lý."))
    if accept:
        cases.move_stage(
            case=proposal.case, to=Stage(proposal.to_stage), by=by, note=proposal.reason
        )
    proposal.status = ProposalStatus.ACCEPTED if accept else ProposalStatus.DISMISSED
    proposal.decided_by = by
    proposal.decided_on = timezone.localdate()
    proposal.save(update_fields=["status", "decided_by", "decided_on"])
    return proposal


@transaction.atomic
def record_minutes(
    *,
    booking: Booking,
    by: User,
    arrears_acknowledged: int,
    reasons: str,
    agreement: str,
    instalments: Sequence[tuple[date, int]] = (),
    agreed_text: str = "",
) -> SessionMinutes:
    """The minutes of a session the employer came to, on its case's timeline; "agreed to pay"
    records the commitment (one payment) or the instalment plan in the same step."""
    booking = (
        Booking.objects.select_for_update().select_related("slot", "employer").get(pk=booking.pk)
    )
    if booking.status != BookingStatus.ATTENDED:
        raise CaseError(_("Chỉ lập biên bản cho buổi đơn vị có mặt."))
    if SessionMinutes.objects.filter(booking=booking).exists():
        raise CaseError(_("Buổi này đã có biên bản."))
    if arrears_acknowledged < 0:
        raise CaseError(_("Số nợ thừa nhận không được âm."))
    if not reasons.strip():
        raise CaseError(_("Cần ghi lý do đơn vị trình bày."))
    agreement = Agreement(agreement)
    if agreement == Agreement.NONE and instalments:
        raise CaseError(_("Chưa thống nhất trả nợ thì không ghi các đợt trả."))
    planned = sum(amount for _day, amount in instalments)
    if planned > arrears_acknowledged:
        raise CaseError(
            _("Tổng các đợt trả (%(planned)s đồng) vượt số nợ đơn vị thừa nhận (%(owed)s đồng).")
            % {"planned": grouped(planned), "owed": grouped(arrears_acknowledged)}
        )
    case = booking.case or open_case_of(booking.employer)
    if case is None:
        case = cases.open_case(
            employer=booking.employer,
            by=by,
            on=booking.slot.day,
            note=_("Mở hồ sơ: buổi làm việc."),
        )
    if booking.case_id != case.pk:
        booking.case = case
        booking.save(update_fields=["case"])
    slot = booking.slot
    event = CaseEvent.objects.create(
        case=case,
        kind=EventKind.WORKING_SESSION,
        occurred_on=slot.day,
        author=by,
        text=_("Buổi làm việc %(when)s tại %(where)s; người đến: %(who)s (%(role)s).")
        % {
            "when": f"{slot.starts_at:%H:%M} {slot.day:%d/%m/%Y}",
            "where": slot.where,
            "who": booking.attendee_name,
            "role": booking.attendee_role,
        },
        minutes="\n".join(
            [
                _("Số nợ đơn vị thừa nhận: %(amount)s đồng.")
                % {"amount": grouped(arrears_acknowledged)},
                _("Lý do: %(reasons)s") % {"reasons": reasons.strip()},
                _("Thống nhất: %(agreement)s. %(text)s")
                % {"agreement": agreement.label, "text": agreed_text.strip()},
            ]
        ).strip(),
    )
    commitment = None
    if agreement != Agreement.NONE:
        commitment = cases.add_commitment(
            case=case,
            kind=CommitmentKind.PROMISE if agreement == Agreement.PROMISE else CommitmentKind.PLAN,
            signed_on=slot.day,
            instalments=instalments,
            by=by,
            note=_("Theo biên bản làm việc ngày %(day)s.") % {"day": f"{slot.day:%d/%m/%Y}"},
        )
    return SessionMinutes.objects.create(
        booking=booking,
        arrears_acknowledged=arrears_acknowledged,
        reasons=reasons.strip(),
        agreement=agreement,
        agreed_text=agreed_text.strip(),
        event=event,
        commitment=commitment,
        recorded_by=by,
    )


@transaction.atomic
def sign_minutes(
    *, minutes: SessionMinutes, by: User, scan: UploadedFile | None = None
) -> SessionMinutes:
    """The signed minutes, once: the scan uploaded, or the PDF generated from them. Either
    is the working-session minutes of a police dossier (``arrears.cases.dossier``)."""
    minutes = SessionMinutes.objects.select_for_update().get(pk=minutes.pk)
    if minutes.signed_id is not None:
        raise CaseError(_("Biên bản đã ký đã được lưu; không tải lên lần hai."))
    if scan is None:
        day = minutes.booking.slot.day
        scan = SimpleUploadedFile(
            f"bien-ban-lam-viec-{day:%Y-%m-%d}.pdf", minutes_pdf(minutes), "application/pdf"
        )
    minutes.signed = add_attachment(case=minutes.event.case, file=scan, by=by, event=minutes.event)
    minutes.save(update_fields=["signed"])
    return minutes


def close_kept_plans(on: date, arrears: dict[int, int]) -> int:
    """Close each open case whose employer kept the commitment it signed at a working session
    and owes nothing now (``arrears``: employer id -> arrears on ``on``). Returns how many
    were closed."""
    kept = RecoveryCase.objects.open().filter(commitments__minutes__isnull=False).distinct()
    closed = 0
    for case in kept.select_related("employer"):
        if (
            arrears.get(case.employer_id, 0) > 0
            or case.commitments.filter(instalments__broken_flagged_on__isnull=False).exists()
        ):
            continue
        try:
            with transaction.atomic():
                from_stage = case.stage
                case.stage = Stage.RESOLVED
                case.closed_on = on
                case.outcome = _("Đơn vị thực hiện đúng cam kết, đã trả hết nợ.")
                case.save(update_fields=["stage", "closed_on", "outcome"])
                CaseEvent.objects.create(
                    case=case,
                    kind=EventKind.STAGE_MOVE,
                    occurred_on=on,
                    text=case.outcome,
                    from_stage=from_stage,
                    to_stage=Stage.RESOLVED,
                )
        except IntegrityError:  # pragma: no cover - a case closed meanwhile
            continue
        closed += 1
    return closed
