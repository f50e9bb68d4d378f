"""The insured persons section of the employer page.

{% load insured %}
{% employer_insured employer statement %}   persons with months unconfirmed on the statement's
                                            date, and the counts
"""

from __future__ import annotations

from typing import Any

from django import template

from arrears.insured.selectors import employer_insured as insured_of
from arrears.selectors import EmployerStatement
from participants.models import Employer

register = template.Library()

# Persons listed on the page; the count above the list covers them all.
SHOWN = 100


@register.inclusion_tag("arrears/employer_insured.html", takes_context=True)
def employer_insured(
    context: template.Context, employer: Employer, statement: EmployerStatement
) -> dict[str, Any]:
    user = context["request"].user
    insured = insured_of(employer, statement.balance)
    return {
        "insured": insured,
        "listed": insured.unconfirmed[:SHOWN],
        # Liaisons see the persons of an employer referred to them, not the lookup page.
        "linked": user.is_staff_member,
    }
