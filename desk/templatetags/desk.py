"""Formatting every page uses: money in đồng, whole numbers, contribution periods."""

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django import template
from django.utils.formats import number_format
from django.utils.safestring import SafeString, mark_safe

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
    """0.26699 -> "26,7 %": rounded half up first, since number_format cuts digits off."""
    if value is None:
        return "–"
    shown = (Decimal(str(value)) * 100).quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP)
    return f"{number_format(shown, decimal_pos=places, force_grouping=True)}\u00a0%"


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


@register.simple_tag(takes_context=True)
def nav_current(context: template.Context, url: str, *inner: str) -> SafeString:
    """` aria-current="page"` on the navigation link of the section the page is in: its URL
    starts the current path, and no other link's (``inner``, nested under it) does."""
    path = context["request"].path
    if path.startswith(url) and not any(path.startswith(other) for other in inner):
        return mark_safe(' aria-current="page"')  # nosec B308
    return mark_safe("")  # nosec B308
