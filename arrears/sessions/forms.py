"""The session cycle's forms: slots and weekly patterns, the office's holidays, booking by
hand, the employer's reply, attendance, the minutes and their signed copy."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from arrears.cases.forms import AttachmentField, CommitmentForm, MoneyField, QuickForm
from arrears.models import Agreement, BookingStatus, SessionSlot
from arrears.models.sessions import WEEKDAYS
from desk.forms import day_input
from participants.models import Office

DAY_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]


def _day_field(label: Any, required: bool = True) -> forms.DateField:
    return forms.DateField(
        label=label, input_formats=DAY_FORMATS, widget=day_input(), required=required
    )


class _PlaceForm(QuickForm):
    starts_at = forms.TimeField(
        label=_("Giờ bắt đầu"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    place = forms.CharField(label=_("Địa điểm (phòng)"), required=False, max_length=200)
    online_link = forms.URLField(label=_("Đường dẫn họp trực tuyến"), required=False)
    capacity = forms.IntegerField(label=_("Số đơn vị tối đa"), min_value=1, max_value=50, initial=4)
    officers = forms.ModelMultipleChoiceField(
        label=_("Cán bộ chủ trì"), queryset=User.objects.none(), required=False
    )

    def __init__(self, *args: Any, office: Office, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["officers"].queryset = User.objects.filter(
            offices=office, is_active=True
        ).order_by("username")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("place", "").strip() and not data.get("online_link", "").strip():
            raise forms.ValidationError(
                _("Cần ghi địa điểm (phòng) hoặc đường dẫn họp trực tuyến.")
            )
        return data


class SlotForm(_PlaceForm):
    submit_label = _("Thêm buổi")
    field_order = ["day", "starts_at", "place", "online_link", "capacity", "officers"]

    day = _day_field(_("Ngày"))


class PatternForm(_PlaceForm):
    submit_label = _("Thêm lịch hằng tuần")
    field_order = ["weekday", "starts_at", "starts_on", "ends_on", "place", "online_link"]

    weekday = forms.TypedChoiceField(label=_("Thứ"), choices=WEEKDAYS, coerce=int)
    starts_on = _day_field(_("Áp dụng từ ngày"))
    ends_on = _day_field(_("Đến ngày (để trống: không hạn)"), required=False)


class HolidayForm(QuickForm):
    submit_label = _("Thêm ngày nghỉ")

    day = _day_field(_("Ngày"))
    name = forms.CharField(label=_("Tên ngày nghỉ"), max_length=120)


class BookForm(QuickForm):
    submit_label = _("Xếp lịch")

    unit_code = forms.CharField(label=_("Mã đơn vị"), max_length=20)


class ReplyForm(QuickForm):
    submit_label = _("Ghi phản hồi")

    reply = forms.ChoiceField(
        label=_("Đơn vị phản hồi"),
        choices=[
            (BookingStatus.CONFIRMED.value, BookingStatus.CONFIRMED.label),
            (BookingStatus.MOVE_ASKED.value, BookingStatus.MOVE_ASKED.label),
        ],
    )
    note = forms.CharField(label=_("Ghi chú"), required=False, max_length=500)


class MoveForm(QuickForm):
    submit_label = _("Chuyển lịch")

    slot = forms.ModelChoiceField(label=_("Sang buổi"), queryset=SessionSlot.objects.none())

    def __init__(self, *args: Any, office: Office, today: date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["slot"].queryset = SessionSlot.objects.filter(
            office=office, day__gte=today
        ).order_by("day", "starts_at")


class AttendanceForm(QuickForm):
    submit_label = _("Ghi điểm danh")

    came = forms.TypedChoiceField(
        label=_("Điểm danh"),
        choices=[("1", _("Có mặt")), ("0", _("Vắng mặt"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    attendee_name = forms.CharField(label=_("Người đến làm việc"), required=False, max_length=150)
    attendee_role = forms.CharField(label=_("Chức vụ, tư cách"), required=False, max_length=150)


class MinutesForm(CommitmentForm):
    """The structured minutes; agreeing to pay takes the instalments as the case's commitment
    form does (one line, one payment; several, a plan)."""

    submit_label = _("Lưu biên bản")
    field_order = ["arrears_acknowledged", "reasons", "agreement", "instalments", "agreed_text"]

    kind = None  # type: ignore[assignment]
    signed_on = None  # type: ignore[assignment]
    note = None  # type: ignore[assignment]
    arrears_acknowledged = MoneyField(label=_("Số nợ đơn vị thừa nhận (đồng)"))
    reasons = forms.CharField(
        label=_("Lý do chậm đóng đơn vị trình bày"), widget=forms.Textarea(attrs={"rows": 2})
    )
    agreement = forms.ChoiceField(label=_("Thống nhất"), choices=Agreement.choices)
    agreed_text = forms.CharField(
        label=_("Nội dung thống nhất khác"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.initial.pop("signed_on", None)
        self.fields["instalments"].required = False

    def clean_instalments(self) -> list[tuple[date, int]]:
        if not self.cleaned_data.get("instalments", "").strip():
            return []
        return super().clean_instalments()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        agreement = data.get("agreement")
        rows = data.get("instalments") or []
        if agreement == Agreement.PROMISE and len(rows) != 1:
            self.add_error(
                "instalments", _("Cam kết trả một lần cần đúng một dòng: ngày và số tiền.")
            )
        if agreement == Agreement.PLAN and not rows:
            self.add_error("instalments", _("Lộ trình cần ít nhất một đợt trả."))
        if agreement == Agreement.NONE and rows:
            self.add_error("instalments", _("Chưa thống nhất trả nợ thì để trống các đợt trả."))
        return data


class SignForm(QuickForm):
    submit_label = _("Lưu biên bản đã ký")

    scan = AttachmentField(
        label=_("Bản quét biên bản đã ký (để trống: lưu bản PDF lập từ biên bản)"), required=False
    )
