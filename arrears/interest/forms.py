from django import forms
from django.utils.translation import gettext_lazy as _

from desk.forms import day_input


class CreditMoveForm(forms.Form):
    """An officer moving an employer's credit to its interest (rule 12)."""

    moved_on = forms.DateField(label=_("Ngày chuyển"), widget=day_input())
    amount = forms.IntegerField(
        label=_("Số tiền (đồng)"),
        min_value=1,
        max_value=10**15,
        widget=forms.NumberInput(attrs={"class": "form-control"}),
    )
    note = forms.CharField(
        label=_("Ghi chú"),
        max_length=255,
        required=False,
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )
