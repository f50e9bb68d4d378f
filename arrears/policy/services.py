"""Saving the office's settings: the history (pghistory's triggers on Policy, with the
request's user as context) records who changed what and when."""

from __future__ import annotations

import pghistory
from django.db import transaction

from accounts.models import User
from arrears.models import Policy
from arrears.policy.forms import PolicyForm


@transaction.atomic
def save_policy(form: PolicyForm, by: User) -> Policy:
    """Save a valid settings form as ``by`` (the history names them even outside a request)."""
    with pghistory.context(user=by.pk):
        return form.save()
