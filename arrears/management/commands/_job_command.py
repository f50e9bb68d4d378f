"""What run_weekly_jobs, run_monthly_jobs and run_quarterly_jobs share: the same code as the
beat tasks, run here synchronously for a given date, the JSON summary as the last line. A
date outside ``check_run_date``'s bounds is refused with a non-zero exit."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _

from arrears.jobs.cycles import JobError, check_run_date
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
            check_run_date(on)
            summary = RUNS[self.job](on)
        except JobError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(json.dumps(summary))
