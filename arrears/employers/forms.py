from django import forms
from django.utils.translation import gettext_lazy as _

from desk.forms import DayField, day_input


class AsOfForm(forms.Form):
    """The date a page shows its figures on (``?on=dd/mm/yyyy``); the employer and insured
    person pages default it to today."""

    on = DayField(
        label=_("Tính đến ngày"),
        required=False,
        widget=day_input(),
    )
