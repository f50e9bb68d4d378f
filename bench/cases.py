"""Open cases for the bench before its pages are measured: the lists, the dashboard and the
case page are worth measuring only with the open cases of a real office (20,000 at region
scale, 2,000 at province scale).

``open_cases(count)`` opens them for the employers with the largest arrears in the Balance
table (refreshed before), through the application's own service (``open_case``: the case
and its first timeline event, as an officer's opening writes them), each given to an officer
by the assignment rule (``assignment.Spread``, as the weekly run and the bulk opening do)
among the bench officers of the employer's office, made here when the office has none.
One transaction for all of them, so the per-case savepoints are the only extra cost.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

OFFICERS_PER_OFFICE = 3
# The province's and the region's open cases (bench/run.py at each scale).
CASES = {20000: 2000, 200000: 20000}


def _officers() -> None:
    """Officers for every office that has none: bench-officer-<office id> (the name
    bench/pages.py signs in with) and two colleagues, so that the rule spreads the work."""
    from accounts.models import User
    from arrears.cases.assignment import officers
    from participants.models import Office

    staffed = set(officers().values_list("offices", flat=True))
    for office in Office.objects.exclude(pk__in=staffed):
        for n in range(OFFICERS_PER_OFFICE):
            suffix = f"-{n + 1}" if n else ""
            officer = User.objects.get_or_create(
                username=f"bench-officer-{office.pk}{suffix}", role=User.Role.OFFICER
            )[0]
            officer.offices.add(office)


def open_cases(count: int) -> int:
    """Open ``count`` cases (fewer if fewer employers owe and have none open) for the
    employers with the largest arrears; returns how many were opened."""
    from django.db import transaction
    from django.utils import timezone

    from arrears.cases import services
    from arrears.cases.assignment import Spread
    from arrears.models import Balance, RecoveryCase

    _officers()
    on = timezone.localdate()
    largest = list(
        Balance.objects.filter(arrears__gt=0)
        .exclude(employer__in=RecoveryCase.objects.open().values("employer_id"))
        .select_related("employer")
        .order_by("-arrears", "employer_id")[:count]
    )
    employers = [balance.employer for balance in largest]
    spread = Spread(on=on)
    spread.prepare(employers)
    with transaction.atomic():
        for balance in largest:
            services.open_case(
                employer=balance.employer,
                by=None,
                officer=spread.of(balance.employer, arrears=balance.arrears),
                on=on,
                arrears=balance.arrears,
            )
    return len(largest)


def run(
    data: Path,
    *,
    timed: Callable[..., Callable[[Callable[[], Any]], Any]],
    results: list[tuple[str, str, str]],
    as_of: date,
) -> None:
    """The bench's step: at least as many open cases as the scale's office has (the weekly
    run before it opens some), for the pages measured after it."""
    from arrears.models import RecoveryCase
    from participants.models import Employer

    employers = Employer.objects.count()
    wanted = CASES.get(employers, employers // 10)
    start = time.perf_counter()
    opened = open_cases(max(0, wanted - RecoveryCase.objects.open().count()))
    seconds = time.perf_counter() - start
    results.append(
        (
            f"open cases for the pages: {RecoveryCase.objects.open().count():,} "
            f"({opened:,} opened here for the largest arrears)",
            f"{seconds:.1f} s",
            "",
        )
    )
    print(f"opened {opened:,} cases in {seconds:.1f} s", flush=True)
