"""Forms of the quick actions on a case.

Forms check what the user typed; the rules of recovery work (who may move a case where, what
a referral needs before it is sent) are the services' in ``arrears.cases.services``.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Agency, User
from arrears.cases.attachments import check_attachment
from arrears.cases.errors import CaseError
from arrears.cases.services import LIAISON_EVENT_KINDS, SYSTEM_EVENT_KINDS
from arrears.models import (
    ENDINGS,
    LADDER,
    CommitmentKind,
    EventKind,
    RecoveryCase,
    ReferralPurpose,
    ReferralStatus,
    Stage,
)
from desk.forms import DayField, check_day
from participants.models import Employer


def _date_input() -> forms.DateInput:
    # The browser's own date picker (ISO value), which phones show as a calendar.
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _today() -> date:
    return timezone.localdate()


class MoneyField(forms.CharField):
    """Whole đồng as people type them: 1500000, 1.500.000 or 1 500 000."""

    default_error_messages = {
        "invalid": _("Số tiền «%(value)s» không hợp lệ: chỉ ghi chữ số, không có phần lẻ.")
    }

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "numeric"}))
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> int | None:  # type: ignore[override]
        text = super().to_python(value)
        if not text:
            return None
        return parse_money(text, self.error_messages["invalid"])


# The largest amount a money column (BigIntegerField) holds.
MONEY_MAX = 2**63 - 1


def parse_money(text: str, message: str = "") -> int:
    digits = re.sub(r"[.\s\u00a0]", "", text.strip())
    if not re.fullmatch(r"[0-9]+", digits):  # ASCII digits: "²".isdigit() is true
        raise ValidationError(
            message or MoneyField.default_error_messages["invalid"],
            code="invalid",
            params={"value": text},
        )
    amount = int(digits)
    if amount > MONEY_MAX:
        raise ValidationError(
            _("Số tiền «%(value)s» quá lớn."), code="max_value", params={"value": text}
        )
    return amount


class AttachmentField(forms.FileField):
    """A file checked like every attachment of a case (type, content, size), before Django's
    own checks, so that every refusal names the file."""

    def clean(self, data: Any, initial: Any = None) -> Any:
        if isinstance(data, UploadedFile):
            try:
                check_attachment(data)
            except CaseError as exc:
                raise ValidationError(str(exc)) from exc
        return super().clean(data, initial)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class AttachmentsField(AttachmentField):
    """Several attachments at once; optional."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile]:
        files = data if isinstance(data, list | tuple) else [data] if data else []
        cleaned, errors = [], []
        for file in files:
            try:
                cleaned.append(super().clean(file, initial))
            except ValidationError as exc:
                errors += exc.error_list
        if errors:
            raise ValidationError(errors)
        return cleaned


class QuickForm(forms.Form):
    """A form of the case page: posted by htmx to ``action`` and, refused, swapped in place
    (``html_id``) with its errors."""

    submit_label = _("Lưu")

    def __init__(self, *args: Any, action: str = "", html_id: str = "", **kwargs: Any) -> None:
        html_id = html_id or type(self).__name__.lower()
        # Many forms share the case page: fields' ids start with their form's, so that ids
        # stay unique and each label names its own field.
        kwargs.setdefault("auto_id", f"{html_id}-%s")
        super().__init__(*args, **kwargs)
        self.action = action
        self.html_id = html_id


class EventForm(QuickForm):
    submit_label = _("Ghi diễn biến")

    kind = forms.ChoiceField(label=_("Loại"))
    occurred_on = DayField(label=_("Ngày"), widget=_date_input())
    text = forms.CharField(label=_("Nội dung"), widget=forms.Textarea(attrs={"rows": 2}))
    minutes = forms.CharField(
        label=_("Biên bản (buổi làm việc)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    penalty_amount = MoneyField(label=_("Số tiền phạt (quyết định xử phạt)"), required=False)
    decision_number = forms.CharField(label=_("Số quyết định"), required=False, max_length=50)
    follow_up_on = DayField(label=_("Hẹn theo dõi tiếp"), required=False, widget=_date_input())
    attachments = AttachmentsField(label=_("Tệp đính kèm (PDF, ảnh, văn bản)"))

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"occurred_on": _today()})
        super().__init__(*args, **kwargs)
        kinds = (
            LIAISON_EVENT_KINDS
            if user.is_liaison
            else [k for k in EventKind if k not in SYSTEM_EVENT_KINDS]
        )
        self.fields["kind"].choices = [(k.value, k.label) for k in kinds]


class MoveStageForm(QuickForm):
    submit_label = _("Chuyển bước")

    to = forms.ChoiceField(label=_("Chuyển đến bước"), choices=Stage.choices)
    note = forms.CharField(label=_("Lý do"), widget=forms.Textarea(attrs={"rows": 2}))
    on = DayField(label=_("Ngày"), widget=_date_input())

    def __init__(self, *args: Any, case: RecoveryCase, user: User, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"on": _today()})
        super().__init__(*args, **kwargs)
        # Any stage is accepted (the service says no with its reason); the list offers what
        # this user may do: officers forward and the endings; those who approve for the
        # employer's office (its head, managers) anything.
        self.fields["to"].widget.choices = [("", "---------")] + [
            (s.value, s.label) for s in stage_choices(case, user)
        ]


def stage_choices(case: RecoveryCase, user: User) -> list[Stage]:
    current = Stage(case.stage)
    if user.approves_for(case.employer.office_id):
        return [s for s in Stage if s != current]
    if not case.is_open:
        return []
    after = LADDER[LADDER.index(current) + 1 :]
    return [*after, *ENDINGS]


class ReferralForm(QuickForm):
    """A referral to a partner organisation, offered by kind (police, labour federation, …)
    and, within a kind, those whose area takes in the employer's commune first, then the
    province-wide ones, then the others (any of them may be chosen)."""

    submit_label = _("Tạo đề nghị")

    agency = forms.ModelChoiceField(queryset=Agency.objects.all(), label=_("Cơ quan"))
    purpose = forms.ChoiceField(label=_("Mục đích"), choices=ReferralPurpose.choices)
    note = forms.CharField(
        label=_("Nội dung đề nghị"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, employer: Employer, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agency"].choices = [("", "---------"), *agency_choices(employer)]


def agency_choices(employer: Employer) -> list[tuple[str, list[tuple[int, str]]]]:
    """The organisations grouped by kind, in the kinds' order; within a kind, those serving the
    employer's commune, then the province-wide ones, then the rest, each by name."""
    area = Agency.communes.through.objects.filter(agency=OuterRef("pk"))
    agencies = Agency.objects.annotate(
        serves=Exists(area.filter(commune=employer.commune_id)), wide=~Exists(area)
    ).order_by("name", "pk")
    by_kind: dict[str, list[Agency]] = {}
    for agency in agencies:
        by_kind.setdefault(agency.kind, []).append(agency)

    def rank(agency: Agency) -> int:
        return 0 if agency.serves else 1 if agency.wide else 2

    return [
        (str(kind.label), [(a.pk, a.name) for a in sorted(by_kind[kind], key=rank)])
        for kind in Agency.Kind
        if kind in by_kind
    ]


class SendReferralForm(QuickForm):
    submit_label = _("Gửi đề nghị")

    reference = forms.CharField(
        label=_("Số văn bản"),
        max_length=50,
        required=False,
        help_text=_("Để trống: lấy số tiếp theo của sổ văn bản (văn bản được lưu như đã gửi)."),
    )
    sent_on = DayField(label=_("Ngày gửi"), widget=_date_input())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"sent_on": _today()})
        super().__init__(*args, **kwargs)


class AnswerReferralForm(QuickForm):
    submit_label = _("Ghi phản hồi")

    status = forms.ChoiceField(
        label=_("Tình trạng"),
        choices=[
            (s.value, s.label)
            for s in (
                ReferralStatus.ACKNOWLEDGED,
                ReferralStatus.IN_PROGRESS,
                ReferralStatus.CONCLUDED,
            )
        ],
    )
    response = forms.CharField(label=_("Phản hồi"), widget=forms.Textarea(attrs={"rows": 2}))
    outcome = forms.CharField(
        label=_("Kết quả (khi đã có kết luận)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Để trống: giữ kết quả đã ghi."),
    )
    reason = forms.CharField(
        label=_("Lý do mở lại (khi đề nghị đã có kết luận)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class DossierFileForm(QuickForm):
    submit_label = _("Tải lên")

    file = AttachmentField(label=_("Tệp"))


class CommitmentForm(QuickForm):
    submit_label = _("Ghi cam kết")

    kind = forms.ChoiceField(label=_("Loại"), choices=CommitmentKind.choices)
    signed_on = DayField(label=_("Ngày cam kết"), widget=_date_input())
    instalments = forms.CharField(
        label=_("Các đợt trả"),
        help_text=_("Mỗi dòng một đợt: ngày (dd/mm/yyyy) và số tiền, ví dụ 31/01/2026 1.500.000"),
        widget=forms.Textarea(attrs={"rows": 3, "placeholder": "31/01/2026 1.500.000"}),
    )
    note = forms.CharField(
        label=_("Ghi chú"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"signed_on": _today()})
        super().__init__(*args, **kwargs)

    def clean_instalments(self) -> list[tuple[date, int]]:
        rows = []
        errors = []
        for number, line in enumerate(self.cleaned_data["instalments"].splitlines(), start=1):
            if not line.strip():
                continue
            day_text, _space, amount_text = line.strip().partition(" ")
            try:
                day = _parse_day(day_text)
                amount = parse_money(amount_text)
            except (ValueError, ValidationError):
                errors.append(
                    ValidationError(
                        _("Dòng %(n)s «%(line)s»: cần ngày dd/mm/yyyy rồi số tiền."),
                        params={"n": number, "line": line.strip()},
                    )
                )
                continue
            rows.append((day, amount))
        if errors:
            raise ValidationError(errors)
        if not rows:
            raise ValidationError(_("Cần ít nhất một đợt trả."))
        return rows


def _parse_day(text: str) -> date:
    for fmt in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            day = datetime.strptime(text, fmt).date()
        except ValueError:
            continue
        try:
            return check_day(day)
        except ValidationError:
            break
    raise ValueError(text)


class MonthField(DayField):
    """A contribution month: the browser's month picker (YYYY-MM) or mm/yyyy."""

    input_formats = ["%Y-%m", "%m/%Y"]

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("widget", forms.DateInput(attrs={"type": "month"}, format="%Y-%m"))
        super().__init__(**kwargs)


class ForceMajeureForm(QuickForm):
    submit_label = _("Ghi đề nghị")

    first_period = MonthField(label=_("Từ kỳ"))
    last_period = MonthField(label=_("Đến kỳ"))
    reason = forms.CharField(label=_("Lý do"), widget=forms.Textarea(attrs={"rows": 2}))
    proof = AttachmentField(label=_("Tài liệu chứng minh"))


class FineForm(QuickForm):
    submit_label = _("Tính")

    payable = MoneyField(label=_("Số tiền phải đóng làm căn cứ"))
