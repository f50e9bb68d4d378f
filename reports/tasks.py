"""Celery tasks of the reports: thin wrappers over ``reports.exports``."""

from celery import shared_task
from django.db import OperationalError


@shared_task(
    acks_late=True,
    autoretry_for=(OperationalError,),  # the database restarting, a deadlock, a lost connection
    retry_backoff=True,
    max_retries=5,
)
def export_report_task(record_id: int) -> None:
    """Write a large export's file (ExportRecord ``record_id``) for its requester."""
    from reports.exports import run_background_export

    run_background_export(record_id)
