"""Holds on notices, shown wherever an employer is: a banner on its page, a badge in lists.

{% load holds %}
{% active_hold employer as hold %}            the hold in force today, or None
{% held_employer_ids as held %}               once per list: {% if e.pk in held %}
"""

from __future__ import annotations

from django import template
from django.utils import timezone

from arrears.models import Hold
from participants.models import Employer

register = template.Library()


@register.simple_tag
def active_hold(employer: Employer) -> Hold | None:
    return (
        Hold.objects.active_on(timezone.localdate())
        .filter(employer=employer)
        .order_by("-ends_on")
        .first()
    )


@register.simple_tag
def held_employer_ids() -> set[int]:
    """The employers on hold today, in one query for a whole list (holds are few)."""
    return set(Hold.objects.active_on(timezone.localdate()).values_list("employer_id", flat=True))
