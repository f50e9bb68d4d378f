"""How the demo's employers pay: the behaviours the offices know (on time, in advance, late,
in part, stopped, chronic, lump sums after pressure), how often each occurs, and the payments
each makes on an employer's contribution cycles. Plain Python, no Django.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from demo.vocabulary import weighted

__all__ = ["Behaviour", "Cycle", "payments", "pick"]


class Behaviour(StrEnum):
    ON_TIME = "on_time"  # each cycle's total a few days before the deadline
    ADVANCE = "advance"  # several months at once, before any of them is due
    LATE = "late"  # the full total, days to weeks after the deadline
    PARTIAL = "partial"  # a share of each total, now and then a catch-up
    STOPPED = "stopped"  # on time until some month, nothing since
    CHRONIC = "chronic"  # irregular and less than owed
    LUMP_SUM = "lump_sum"  # silent for months, then everything at once after pressure


# fmt: off
# Active employers, by how often each behaviour occurs.
BEHAVIOURS_ACTIVE = {Behaviour.ON_TIME: 27, Behaviour.ADVANCE: 4, Behaviour.LATE: 15,
                     Behaviour.PARTIAL: 12, Behaviour.STOPPED: 12, Behaviour.CHRONIC: 7,
                     Behaviour.LUMP_SUM: 17}
# Public agencies, state and foreign-invested companies pay more reliably.
BEHAVIOURS_RELIABLE = {Behaviour.ON_TIME: 58, Behaviour.ADVANCE: 6, Behaviour.LATE: 16,
                       Behaviour.PARTIAL: 4, Behaviour.STOPPED: 2, Behaviour.CHRONIC: 2,
                       Behaviour.LUMP_SUM: 8}
# Units that stopped trading: most left debt behind, some settled before they closed.
BEHAVIOURS_CLOSED = {Behaviour.STOPPED: 55, Behaviour.ON_TIME: 30, Behaviour.CHRONIC: 15}
# fmt: on


def _thousands(amount: float) -> int:
    """A payment amount as banks show them: whole thousands of đồng, at least 1,000."""
    return max(1000, int(amount) // 1000 * 1000)


@dataclass(frozen=True)
class Cycle:
    """Contributions settled together: one month, or a quarter / half-year for those payers."""

    first_period: date
    due_on: date
    total: int


def payments(
    rng: random.Random, behaviour: Behaviour, cycles: list[Cycle]
) -> list[tuple[date, int]]:
    """(date, amount) of every payment the behaviour makes, in no particular order."""
    days = timedelta
    paid: list[tuple[date, int]] = []
    if behaviour is Behaviour.ON_TIME:
        paid = [(c.due_on - days(rng.randint(1, 10)), c.total) for c in cycles]
    elif behaviour is Behaviour.LATE:
        for c in cycles:
            delay = rng.randint(1, 35) if rng.random() < 0.85 else rng.randint(36, 100)
            paid.append((c.due_on + days(delay), c.total))
    elif behaviour is Behaviour.ADVANCE:
        block = rng.choice((2, 3, 6, 12))
        for k in range(0, len(cycles), block):
            chunk = cycles[k : k + block]
            paid.append(
                (chunk[0].first_period + days(rng.randint(5, 25)), sum(c.total for c in chunk))
            )
    elif behaviour is Behaviour.PARTIAL:
        share = rng.uniform(0.55, 0.9)
        owed = 0
        for c in cycles:
            owed += c.total
            amount = (
                owed if rng.random() < 0.08 else _thousands(c.total * share * rng.uniform(0.9, 1.1))
            )
            amount = min(amount, owed)
            if amount > 0:
                paid.append((c.due_on + days(rng.randint(-7, 15)), amount))
                owed -= amount
    elif behaviour is Behaviour.STOPPED:
        # Most stopped recently: older debts have mostly been chased into a lump sum.
        unpaid = 1 + int(rng.triangular(0, len(cycles), 0))
        stop = max(0, len(cycles) - unpaid)
        paid = [(c.due_on - days(rng.randint(0, 10)), c.total) for c in cycles[:stop]]
    elif behaviour is Behaviour.CHRONIC:
        for c in cycles:
            if rng.random() < 0.6:
                amount = _thousands(c.total * rng.uniform(0.5, 1.5))
                paid.append((c.due_on + days(rng.randint(5, 90)), amount))
    else:  # LUMP_SUM: one or two silences of 3-8 cycles, each ended by one payment of all owed
        starts = {rng.randrange(len(cycles))} if cycles else set()
        if rng.random() < 0.4 and cycles:
            starts.add(rng.randrange(len(cycles)))
        owed = silent = 0
        for k, c in enumerate(cycles):
            owed += c.total
            if not silent and k in starts:
                silent = rng.randint(3, 8)
            if silent:
                silent -= 1
                if not silent:
                    paid.append((c.due_on + days(rng.randint(15, 60)), owed))
                    owed = 0
                continue
            paid.append((c.due_on - days(rng.randint(0, 7)), owed))
            owed = 0
    return paid


def pick(rng: random.Random, ownership: str, status: str) -> Behaviour:
    """How an employer of this ownership and status pays."""
    if status == "absconded":
        return Behaviour.STOPPED
    if status != "active":
        return weighted(rng, BEHAVIOURS_CLOSED)
    if ownership in ("public_agency", "state", "fdi"):
        return weighted(rng, BEHAVIOURS_RELIABLE)
    return weighted(rng, BEHAVIOURS_ACTIVE)
