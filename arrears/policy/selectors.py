"""Reads of the settings page: the history of the office's settings."""

from __future__ import annotations

from django.utils.translation import gettext as _

from arrears.cases.history import HistoryEntry, tracked_changes
from arrears.models import Policy

SETTINGS_HISTORY_ROWS = 100


def policy_history(policy: Policy) -> list[HistoryEntry]:
    """Who changed which setting, from what to what and when, newest first."""
    return tracked_changes(
        [[policy]], lambda _obj: _("Ngưỡng và tham số"), rows=SETTINGS_HISTORY_ROWS
    )
