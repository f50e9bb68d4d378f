"""Formatting every page uses: money in đồng, whole numbers, contribution periods."""

from datetime import date
from decimal import Decimal

from django import template
from django.utils.formats import number_format

register = template.Library()


@register.filter
def vnd(value: int | Decimal | None) -> str:
    """1234567 -> "1.234.567 ₫" (the separator follows the active language)."""
    if value is None or value == "":
        return "–"
    return f"{number_format(int(value), decimal_pos=0, force_grouping=True)}\u00a0₫"


@register.filter
def num(value: int | Decimal | None) -> str:
    if value is None or value == "":
        return "–"
    return number_format(int(value), decimal_pos=0, force_grouping=True)


@register.filter
def percent(value: float | Decimal | None, places: int = 1) -> str:
    if value is None:
        return "–"
    return f"{number_format(Decimal(value) * 100, decimal_pos=places, force_grouping=True)}\u00a0%"


@register.filter
def period(value: date | None) -> str:
    """A contribution month as the office writes it: 07/2025."""
    if not value:
        return "–"
    return f"{value.month:02d}/{value.year}"


@register.simple_tag(takes_context=True)
def query_with(context: template.Context, **changes: object) -> str:
    """The current query string with some parameters changed: sorting and paging keep filters."""
    params = context["request"].GET.copy()
    for key, value in changes.items():
        if value is None or value == "":
            params.pop(key, None)
        else:
            params[key] = value
    if "page" not in changes:
        params.pop("page", None)
    encoded = params.urlencode()
    return f"?{encoded}" if encoded else "?"
