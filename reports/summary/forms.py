"""The summary page's period picker: a year, a quarter of a year, or days from-to."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from desk.forms import day_input
from reports.summary.periods import SummaryPeriod

DATE_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]
FIRST_YEAR = 2000  # no office reports a period before
SELECT = {"class": "form-select"}


def last_quarter(today: date) -> SummaryPeriod:
    """The latest quarter closed by ``today``."""
    quarter = (today.month - 1) // 3
    if quarter == 0:
        return SummaryPeriod.of_quarter(today.year - 1, 4)
    return SummaryPeriod.of_quarter(today.year, quarter)


class SummaryPeriodForm(forms.Form):
    """``ky``: nam (a year), quy (a quarter) or khoang (from-to). Empty: the last quarter."""

    KINDS = (("quy", _("Quý")), ("nam", _("Năm")), ("khoang", _("Từ ngày – đến ngày")))

    ky = forms.ChoiceField(
        label=_("Kỳ"), choices=KINDS, required=False, widget=forms.Select(attrs=SELECT)
    )
    nam = forms.IntegerField(
        label=_("Năm"),
        required=False,
        min_value=FIRST_YEAR,
        max_value=9999,
        widget=forms.NumberInput(attrs={"class": "form-control"}),
        error_messages={"invalid": _("Năm phải là một số, ví dụ 2026.")},
    )
    quy = forms.TypedChoiceField(
        label=_("Quý"),
        choices=[("", "–"), *((n, str(n)) for n in range(1, 5))],
        coerce=int,
        required=False,
        empty_value=None,
        widget=forms.Select(attrs=SELECT),
    )
    tu = forms.DateField(
        label=_("Từ ngày"), required=False, input_formats=DATE_FORMATS, widget=day_input()
    )
    den = forms.DateField(
        label=_("Đến ngày"), required=False, input_formats=DATE_FORMATS, widget=day_input()
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        kind = data.get("ky") or ""
        today = timezone.localdate()
        if not kind and not self.errors:
            data["period"] = last_quarter(today)
            return data
        if kind == "khoang":
            start, end = data.get("tu"), data.get("den")
            if start is None or end is None:
                raise forms.ValidationError(_("Chọn cả từ ngày và đến ngày."))
            if start > end:
                raise forms.ValidationError(_("Từ ngày phải trước hoặc bằng đến ngày."))
            if end > today:
                raise forms.ValidationError(_("Đến ngày không được sau hôm nay."))
            if start.year < FIRST_YEAR:
                raise forms.ValidationError(
                    _("Từ ngày phải từ năm %(year)s.") % {"year": FIRST_YEAR}
                )
            data["period"] = SummaryPeriod.between(start, end)
            return data
        year = data.get("nam")
        if year is None:
            if "nam" not in self.errors:
                self.add_error("nam", _("Chọn năm."))
            return data
        if year > today.year:
            self.add_error("nam", _("Năm không được sau năm nay."))
            return data
        if kind == "quy":
            quarter = data.get("quy")
            if quarter is None:
                self.add_error("quy", _("Chọn quý."))
                return data
            data["period"] = SummaryPeriod.of_quarter(year, quarter)
        else:
            data["period"] = SummaryPeriod.of_year(year)
        return data

    @property
    def period(self) -> SummaryPeriod:
        return self.cleaned_data["period"]
