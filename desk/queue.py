"""Celery tasks queued by name, so a service never imports the tasks module that imports it.

Each app's ``ready()`` imports its own ``tasks`` module, which registers the tasks; the
imports then run one way, tasks -> services, with no circle hidden in a function body.
"""

from __future__ import annotations

from typing import Any

from celery import current_app
from django.db import transaction


def send(name: str, *args: Any, **kwargs: Any) -> None:
    """Queue the registered task ``name`` now; a broker that cannot be reached raises."""
    current_app.tasks[name].delay(*args, **kwargs)


def send_on_commit(name: str, *args: Any, **kwargs: Any) -> None:
    """Queue the task once the current transaction commits, so the worker sees what it wrote;
    nothing is queued if it rolls back."""
    transaction.on_commit(lambda: send(name, *args, **kwargs))
