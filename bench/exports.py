"""Report exports at province scale, run by bench/run.py once the ledger's files are in and
the Balance table is refreshed:

- the XLSX of employer_balances (every employer) written to a file, as the background
  export does it, on the day the Balance table holds (read from it) and on another day
  (computed from the ledger);
- the CSV of employer_balances as a manager downloads it from the report page: the time to
  its first byte (the header, sent before the query runs), to its first employer's line,
  and to its last byte;
- each other report's rows for the whole province, on both days, and the PDF of the aging
  report;
- the dashboard's ledger figures (the year's and the 12 months' trend), which its first
  request after each refresh computes and the day's later requests read from the cache.

Pages are timed in this process through Django's test client (routing, middleware,
session, queries, templates: everything but the network).
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any


def run(
    data: Path,
    *,
    timed: Callable[..., Callable[[Callable[[], Any]], Any]],
    results: list[tuple[str, str, str]],
    as_of: date,
) -> None:
    from django.test import Client

    from accounts.models import User
    from participants.models import Employer
    from reports.dashboard import arrears_trend
    from reports.exports import Request, write
    from reports.queries.base import year_figures
    from reports.registry import REPORTS

    employers = Employer.objects.count()
    # On the day the Balance table holds, reports read it; on any other day they compute
    # from the ledger (arrears.balances.current_balances).
    days = ((as_of, "the day of the Balance table"), (as_of - timedelta(days=31), "another day"))

    def xlsx(day: date) -> int:
        with tempfile.TemporaryFile() as out:
            rows = write(Request("employer_balances", day, {}, {}), "xlsx", out, user=None)
            size = out.tell()
        print(f"employer_balances.xlsx: {rows} rows, {size / 2**20:.1f} MiB", flush=True)
        return rows

    for day, which in days:
        target = "≤ 30 s" if employers > 100_000 else "≤ 15 s"
        timed(f"XLSX of employer_balances ({employers:,} rows), {which}", target, memory=True)(
            lambda day=day: xlsx(day)
        )

    manager, _created = User.objects.get_or_create(
        username="bench-exports", defaults={"role": User.Role.MANAGER}
    )
    client = Client(HTTP_HOST="localhost")
    client.force_login(manager)
    client.get("/bao-cao/danh-sach/")  # the first request of a process pays for imports
    url = f"/bao-cao/{REPORTS['employer_balances'].slug}/"
    params = {"on": as_of.strftime("%d/%m/%Y"), "format": "csv"}
    firsts, lines, wholes = [], [], []
    for _attempt in range(3):
        start = time.perf_counter()
        response = client.get(url, params)
        chunks = iter(response.streaming_content)
        next(chunks)  # BOM and header
        firsts.append(time.perf_counter() - start)
        size = len(next(chunks))  # the first employers' lines
        lines.append(time.perf_counter() - start)
        size += sum(len(chunk) for chunk in chunks)
        wholes.append(time.perf_counter() - start)
    results.append(
        (
            f"CSV of employer_balances from the page ({employers:,} rows, streamed): first byte",
            f"{min(firsts) * 1000:.0f} ms (best of 3; worst {max(firsts) * 1000:.0f} ms)",
            "< 1 s",
        )
    )
    results.append(
        (
            "… its first employer line / its last byte",
            f"{min(lines):.2f} s / {min(wholes):.2f} s ({size / 2**20:.1f} MiB)",
            "",
        )
    )
    print(f"CSV: first byte {min(firsts) * 1000:.0f} ms, whole {min(wholes):.2f} s", flush=True)

    for name in (
        "aging",
        "late_rate",
        "publication",
        "recovery_by_agency",
        "case_pipeline",
        "effectiveness",
    ):
        report = REPORTS[name]
        for day, which in days:
            timed(f"{name}: rows for the province, {which}", "")(
                lambda report=report, day=day: report.rows(on=day, user=None)
            )
    aging = Request("aging", as_of, {}, {})

    def pdf() -> None:
        with tempfile.TemporaryFile() as out:
            write(aging, "pdf", out, user=None)

    timed("PDF of aging by office (A4 landscape, letterhead, signatures)", "")(pdf)
    timed("dashboard: the day's ledger figures (first request after a refresh)", "")(
        lambda: (year_figures(as_of), arrears_trend(as_of))
    )
