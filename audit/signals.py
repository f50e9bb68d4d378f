"""Logins, failed logins, logouts, exports and statement commands, recorded where Django, the
reports and desk announce them (so no view or command has to remember to)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.http import HttpRequest

from audit import record, record_import
from audit.models import AuditEntry
from desk.statements.command import statement_imported


def client_ip(request: HttpRequest | None) -> str | None:
    """The peer's address as the web server saw it (not a forgeable X-Forwarded-For)."""
    return request.META.get("REMOTE_ADDR") if request is not None else None


@receiver(user_logged_in, dispatch_uid="audit.login")
def _logged_in(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    record(user, AuditEntry.Action.LOGIN, ip=client_ip(request))


@receiver(user_logged_out, dispatch_uid="audit.logout")
def _logged_out(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    if user is not None:
        record(user, AuditEntry.Action.LOGOUT, ip=client_ip(request))


@receiver(user_login_failed, dispatch_uid="audit.login_failed")
def _login_failed(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    record(
        None,
        AuditEntry.Action.LOGIN_FAILED,
        username=str(credentials.get("username") or ""),
        ip=client_ip(request),
    )


# The reports keep every export as an ExportRecord (page, background task, command); the trail
# names it by its label, so this app imports nothing from reports.
@receiver(post_save, sender="reports.ExportRecord", dispatch_uid="audit.export")
def _exported(sender: Any, instance: Any, created: bool, **kwargs: Any) -> None:
    if created:
        record(
            instance.user,
            AuditEntry.Action.EXPORT,
            instance,
            " ".join(
                [
                    f"{instance.report}.{instance.format} ({instance.get_source_display()})",
                    *(f"{key}={value}" for key, value in (instance.params or {}).items()),
                ]
            ),
            username="" if instance.user_id else "(lệnh)",
        )


@receiver(statement_imported, dispatch_uid="audit.statement_imported")
def _statement_imported(
    sender: Any, user: Any, importer: str, file: str, outcome: object, **kwargs: Any
) -> None:
    record_import(user, importer, file, outcome)
