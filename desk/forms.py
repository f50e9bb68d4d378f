"""Form pieces every app uses."""

from django import forms


def day_input() -> forms.DateInput:
    """A date typed as the offices write it, dd/mm/yyyy (phones get the numeric keypad)."""
    return forms.DateInput(
        format="%d/%m/%Y",
        attrs={"class": "form-control", "placeholder": "dd/mm/yyyy", "inputmode": "numeric"},
    )
