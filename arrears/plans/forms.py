from django import forms
from django.utils.translation import gettext_lazy as _

from participants.models import Office


def _money(label: object, *, required: bool) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        min_value=0,
        max_value=10**15 - 1,
        required=required,
        widget=forms.NumberInput(attrs={"class": "form-control"}),
    )


class PlanForm(forms.Form):
    """An office's plan for a year, typed: the year's figure and an optional monthly split."""

    office = forms.ModelChoiceField(
        label=_("BHXH cơ sở"),
        queryset=Office.objects.order_by("name"),
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    year = forms.IntegerField(
        label=_("Năm"),
        min_value=1995,
        max_value=2099,
        widget=forms.NumberInput(attrs={"class": "form-control"}),
    )
    amount = _money(_("Kế hoạch năm (đồng)"), required=True)

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        for month in range(1, 13):
            self.fields[f"month_{month}"] = _money(
                _("Tháng %(month)s") % {"month": month}, required=False
            )

    def months(self) -> dict[int, int | None]:
        return {m: self.cleaned_data.get(f"month_{m}") for m in range(1, 13)}


class PlanFileForm(forms.Form):
    file = forms.FileField(
        label=_("Tệp kế hoạch (CSV hoặc XLSX: office, year, month, amount)"),
        widget=forms.ClearableFileInput(attrs={"class": "form-control"}),
    )
