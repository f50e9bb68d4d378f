"""What run_weekly_jobs, run_monthly_jobs and run_quarterly_jobs share: the same code as the
beat tasks, run here synchronously for a given date, the JSON summary as the last line."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _

from arrears.jobs.cycles import JobBusy
from arrears.jobs.runs import RUNS


class JobCommand(BaseCommand):
    job: str

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--date",
            type=date.fromisoformat,
            default=None,
            help=_("Ngày chạy (YYYY-MM-DD, mặc định hôm nay)."),
        )

    def handle(self, *args: Any, date: date | None, **options: Any) -> None:
        on = date or timezone.localdate()
        try:
            summary = RUNS[self.job](on)
        except JobBusy as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(json.dumps(summary))
