"""The employer page's "Hồ sơ thu nợ" section reads the employer's cases itself, so that
page's view need not know about cases."""

from typing import Any

from django import template

from accounts import access
from accounts.models import User
from arrears.models import RecoveryCase
from participants.models import Employer

register = template.Library()


@register.simple_tag(takes_context=True)
def employer_cases(context: template.Context, employer: Employer) -> dict[str, Any]:
    """The employer's cases this user sees, latest first, and whether one is open."""
    user = context["request"].user
    found = list(
        access.scoped(RecoveryCase, user)
        .filter(employer=employer)
        .select_related("officer")
        .order_by("-opened_on", "-id")
    )
    return {"cases": found, "has_open": any(case.is_open for case in found)}


@register.filter
def person(user: User | None) -> str:
    """A user as pages name them: full name, else username; "–" for nobody."""
    if user is None:
        return "–"
    return user.get_full_name() or user.username
