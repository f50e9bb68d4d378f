"""The liaison's unread notices, for the navigation: {% load partners %}{% unread_notices as n %}"""

from __future__ import annotations

from django import template

from accounts.models import User
from arrears.partners.selectors import unread_count

register = template.Library()


@register.simple_tag(takes_context=True)
def unread_notices(context: template.Context) -> int:
    user = context.get("user")
    return unread_count(user) if isinstance(user, User) else 0
