"""The unit code picker: a text field for a unit code that, as a person types a code or a
name (without diacritics, any case), offers the employers they may see. htmx asks for the
suggestions and desk.js puts the one chosen into the field; without JavaScript it is the
plain text field it was."""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse_lazy
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.views.decorators.http import require_GET

from accounts import access
from participants.models import Employer

SUGGESTIONS = 10
MAX_TYPED = 100  # a name or a code; anything longer is not looked up


class UnitCodePicker(forms.TextInput):
    """A unit code input with suggestions below it."""

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(
            {
                "class": "form-control",
                "autocomplete": "off",
                "hx-get": reverse_lazy("employer_picker"),
                "hx-trigger": "input changed delay:300ms, search",
                **(attrs or {}),
            }
        )

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        attrs = {**(attrs or {})}
        box = f"{attrs.get('id') or 'id_' + name}-picks"
        attrs.update({"hx-target": f"#{box}", "aria-controls": box})
        field = super().render(name, value, attrs, renderer)
        return format_html(
            '{}<div id="{}" class="unit-picks" aria-live="polite"></div>', field, box
        )


@require_GET
def employer_picker(request: HttpRequest) -> HttpResponse:
    """Up to ten employers the user sees matching what was typed: the field sends its own
    name (``unit_code``, ``employer``, ``q`` …), so the one value given is the text."""
    text = next((value for value in request.GET.values() if value.strip()), "")[:MAX_TYPED]
    employers = access.scoped(Employer, request.user)
    found = employers.search(text).order_by("unit_code")[:SUGGESTIONS] if text.strip() else []
    return render(
        request,
        "arrears/_unit_picks.html",
        {"employers": found, "field": request.headers.get("HX-Trigger", "")},
    )
