"""The audit trail: who did what and when, for the actions an office must be able to account
for (logins and failed logins, imports, exports, stage moves, referral changes).

Other apps call ``audit.record(user, action, target, detail)``; entries are never edited or
deleted (no view does it, the admin is read-only, and a database trigger refuses it).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from django.db.models import Model

    from audit.models import AuditEntry


def record(
    user: Any,
    action: str,
    target: Model | None = None,
    detail: str = "",
    *,
    username: str = "",
    ip: str | None = None,
) -> AuditEntry:
    """Write one entry. ``user`` may be None (a command, a failed login: then ``username``
    says who was tried). Written in the caller's transaction, so an action rolled back leaves
    no entry claiming it happened."""
    from audit.models import AuditEntry  # the app registry is ready by the time anyone records

    authenticated = user is not None and getattr(user, "is_authenticated", False)
    return AuditEntry.objects.create(
        user=user if authenticated else None,
        username=(user.get_username() if authenticated else username)[:150],
        action=action,
        target_type=target._meta.label_lower if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        target_label=str(target)[:200] if target is not None else "",
        detail=detail,
        ip=ip,
    )


def record_import(user: Any, kind: str, name: str, outcome: object) -> AuditEntry:
    """An import's outcome: an ImportResult (its summary) or a StatementRefused (its count of
    reasons). ``user`` None is a management command."""
    from audit.models import AuditEntry

    refused = hasattr(outcome, "errors")
    summary = (
        f"{getattr(outcome, 'total', 0)} lỗi, không ghi gì" if refused else outcome.summary()  # type: ignore[attr-defined]
    )
    return record(
        user,
        AuditEntry.Action.IMPORT_REFUSED if refused else AuditEntry.Action.IMPORT,
        detail=f"{kind} «{name}»: {summary}",
        username="" if user is not None else "manage.py",
    )
