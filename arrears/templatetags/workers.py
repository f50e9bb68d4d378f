"""The workers section of the employer page.

{% load workers %}
{% employer_workers employer statement %}   workers with months unconfirmed on the statement's
                                            date, and the counts
"""

from __future__ import annotations

from typing import Any

from django import template

from arrears.insured.selectors import employer_workers as workers_of
from arrears.selectors import EmployerStatement
from participants.models import Employer

register = template.Library()

# Workers listed on the page; the count above the list covers them all.
SHOWN = 100


@register.inclusion_tag("arrears/employer_workers.html", takes_context=True)
def employer_workers(
    context: template.Context, employer: Employer, statement: EmployerStatement
) -> dict[str, Any]:
    user = context["request"].user
    workers = workers_of(employer, statement.balance)
    return {
        "workers": workers,
        "listed": workers.unconfirmed[:SHOWN],
        # Liaisons see the workers of an employer referred to them, not the lookup page.
        "linked": user.is_staff_member,
    }
