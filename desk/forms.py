"""Form pieces every app uses."""

from datetime import date
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# The days a person may give: those of the ledger's calendar (statement files are checked
# against the same years, desk.statements.checks). A year 9999 would overflow the date
# arithmetic of the ledger and the letters.
FIRST_DAY = date(1995, 1, 1)
LAST_DAY = date(2099, 12, 31)


def day_input() -> forms.DateInput:
    """A date typed as the offices write it, dd/mm/yyyy (phones get the numeric keypad)."""
    return forms.DateInput(
        format="%d/%m/%Y",
        attrs={"class": "form-control", "placeholder": "dd/mm/yyyy", "inputmode": "numeric"},
    )


def check_day(day: date) -> date:
    """``day``, or ValidationError if it is outside the calendar (FIRST_DAY..LAST_DAY)."""
    if not FIRST_DAY <= day <= LAST_DAY:
        raise ValidationError(
            _("Ngày %(day)s nằm ngoài khoảng %(first)s – %(last)s."),
            code="out_of_range",
            params={
                "day": day.strftime("%d/%m/%Y"),
                "first": FIRST_DAY.strftime("%d/%m/%Y"),
                "last": LAST_DAY.strftime("%d/%m/%Y"),
            },
        )
    return day


class DayField(forms.DateField):
    """A date within the calendar (FIRST_DAY..LAST_DAY)."""

    def validate(self, value: Any) -> None:
        super().validate(value)
        if value:
            check_day(value)
