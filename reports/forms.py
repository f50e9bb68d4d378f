"""The report pages' filters and the certificate form."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from arrears.employers.picker import UnitCodePicker
from desk.forms import DayField, day_input
from desk.periods import preset
from participants.models import (
    FORMER_PROVINCES,
    Commune,
    Employer,
    Office,
    unit_code_validator,
)
from participants.selectors import employer_areas
from reports.comparison import COMPARISONS, comparable
from reports.writers import Report

if TYPE_CHECKING:
    from accounts.models import User

DATE_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]
# The first day a period may start on: the year Vietnam's social insurance began.
EARLIEST = date(1995, 1, 1)
PERIOD_CHOICES = [
    ("", _("Đến ngày báo cáo")),
    ("this_month", _("Tháng này")),
    ("this_quarter", _("Quý này")),
    ("this_year", _("Năm nay")),
    ("last_year", _("Năm trước")),
    ("custom", _("Từ ngày … đến ngày …")),
]


def period_error(start: date, end: date, today: date) -> str | None:
    """Why a period cannot be reported, in words; None when it can: it starts no earlier
    than 1995 and ends no later than this year, and not before it starts."""
    if start > end:
        return _("Ngày đầu kỳ (%(start)s) sau ngày cuối kỳ (%(end)s).") % {
            "start": start.strftime("%d/%m/%Y"),
            "end": end.strftime("%d/%m/%Y"),
        }
    if end.year > today.year:
        return _("Ngày cuối kỳ không được sau 31/12/%(year)d.") % {"year": today.year}
    if start < EARLIEST:
        return _("Ngày đầu kỳ không được trước %(day)s.") % {"day": EARLIEST.strftime("%d/%m/%Y")}
    return None


def _not_after_today(day: date | None) -> date:
    today = timezone.localdate()
    if day is None:
        return today
    if day > today:
        raise forms.ValidationError(_("Ngày không được sau hôm nay."))
    return day


class ReportFilterForm(forms.Form):
    """As-of date (dd/mm/yyyy, default today), office, commune, former province, ownership,
    industrial zone and status, each limited to what the user sees; ``by`` for reports that
    group (aging, the case pipeline, effectiveness), among their groupings."""

    on = DayField(
        label=_("Tính đến ngày"), required=False, input_formats=DATE_FORMATS, widget=day_input()
    )
    office = forms.ModelChoiceField(
        label=_("BHXH cơ sở"),
        queryset=Office.objects.none(),
        required=False,
        empty_label=_("Tất cả"),
    )
    commune = forms.ModelChoiceField(
        label=_("Xã/phường"),
        queryset=Commune.objects.none(),
        required=False,
        empty_label=_("Tất cả"),
    )
    former_province = forms.ChoiceField(label=_("Tỉnh cũ (theo mã đơn vị)"), required=False)
    ownership = forms.ChoiceField(
        label=_("Loại hình"),
        choices=[("", _("Tất cả")), *Employer.Ownership.choices],
        required=False,
    )
    industrial_zone = forms.ChoiceField(label=_("Khu công nghiệp"), required=False)
    status = forms.ChoiceField(
        label=_("Trạng thái"), choices=[("", _("Tất cả")), *Employer.Status.choices], required=False
    )
    by = forms.ChoiceField(label=_("Nhóm theo"), required=False, initial="office")
    # Reports that count events (Report.period): a period instead of the as-of date, and the
    # periods to show beside it.
    period = forms.ChoiceField(label=_("Kỳ báo cáo"), choices=PERIOD_CHOICES, required=False)
    start = forms.DateField(
        label=_("Từ ngày"), required=False, input_formats=DATE_FORMATS, widget=day_input()
    )
    end = forms.DateField(
        label=_("Đến ngày"), required=False, input_formats=DATE_FORMATS, widget=day_input()
    )
    compare = forms.MultipleChoiceField(
        label=_("So sánh với"),
        choices=list(COMPARISONS.items()),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, data: Any, *, user: User, report: Report) -> None:
        super().__init__(data)
        if not report.period:
            for name in ("period", "start", "end", "compare"):
                del self.fields[name]
        elif not comparable(report):
            del self.fields["compare"]
        if report.groupings:
            self.fields["by"].choices = list(report.groupings.items())
            self.fields["by"].initial = next(iter(report.groupings))  # the report's default
        else:
            del self.fields["by"]
        areas = employer_areas(Employer.objects.in_scope(user))
        self.fields["office"].queryset = areas.offices
        self.fields["commune"].queryset = areas.communes
        self.fields["former_province"].choices = [
            ("", _("Tất cả")),
            *(
                (prefix, name)
                for prefix, name in FORMER_PROVINCES.items()
                if prefix in areas.prefixes
            ),
        ]
        self.fields["industrial_zone"].choices = [("", _("Tất cả")), *((z, z) for z in areas.zones)]
        for name, field in self.fields.items():
            if name not in ("on", "start", "end", "compare"):
                field.widget.attrs["class"] = "form-select"

    def clean_on(self) -> date:
        return _not_after_today(self.cleaned_data.get("on"))

    def clean(self) -> dict[str, Any]:
        """A preset becomes its dates; custom dates must both be given and make a period."""
        data = super().clean()
        if not data.get("period") and (data.get("start") or data.get("end")):
            data["period"] = "custom"  # dates given without the picker (a link, a bookmark)
        chosen = data.get("period")
        today = timezone.localdate()
        if chosen and chosen != "custom":
            # This month, quarter or year so far: no figure is dated after today.
            span = preset(chosen, today)
            data["start"], data["end"] = span.start, min(span.end, today)
        elif chosen == "custom":
            start, end = data.get("start"), data.get("end")
            if "start" not in self.errors and start is None:
                self.add_error("start", _("Chọn ngày đầu kỳ."))
            if "end" not in self.errors and end is None:
                self.add_error("end", _("Chọn ngày cuối kỳ."))
            if start and end:
                error = period_error(start, end, today)
                if error:
                    self.add_error("end", error)
        elif data.get("compare"):
            self.add_error("compare", _("Chọn kỳ báo cáo để so sánh với kỳ khác."))
        return data

    @property
    def chosen(
        self,
    ) -> tuple[date, dict[str, Any], dict[str, Any], date | None, tuple[str, ...]]:
        """The date (a period's last day), the filters (office and commune as their ids), the
        options, the period's first day (None: up to the date) and the periods compared,
        once valid."""
        data = self.cleaned_data
        office = data.get("office")
        commune = data.get("commune")
        filters = {
            "office": office.pk if office else None,
            "commune": commune.pk if commune else None,
            "former_province": data.get("former_province") or None,
            "ownership": data.get("ownership") or None,
            "industrial_zone": data.get("industrial_zone") or None,
            "status": data.get("status") or None,
        }
        options = {"by": data.get("by") or self.fields["by"].initial} if "by" in self.fields else {}
        if data.get("period"):
            compare = tuple(c for c in COMPARISONS if c in data.get("compare", ()))
            return data["end"], filters, options, data["start"], compare
        return data["on"], filters, options, None, ()


class CertificateForm(forms.Form):
    unit_code = forms.CharField(
        label=_("Mã đơn vị"),
        max_length=20,
        validators=[unit_code_validator],
        widget=UnitCodePicker(),
    )
    on = DayField(
        label=_("Tính đến ngày"), required=False, input_formats=DATE_FORMATS, widget=day_input()
    )
    state_arrears = forms.BooleanField(
        label=_("Ghi rõ số nợ trên giấy xác nhận (khi đơn vị còn nợ)"), required=False
    )

    def clean_on(self) -> date:
        return _not_after_today(self.cleaned_data.get("on"))
