"""Made-up insured persons and coverage figures for the demo province (``demo.province``).

Plain Python like ``demo.province``, so ``load_demo`` writes these rows to the database and
``bench/generate.py`` to CSV files. Persons are rows of the persons statement file
(``PERSON_COLUMNS``), employed within their employer's contribution months: most since its
first month, some hired later, some gone (and everyone of an employer that stopped trading
gone with its last month). Coverage figures are rows of the coverage file
(``COVERAGE_COLUMNS``), per office and for the province, per quarter and year.
"""

from __future__ import annotations

import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date

from demo import province as demo
from demo import vocabulary
from demo.places import OFFICES, SI_NUMBER_PREFIXES

__all__ = [
    "COVERAGE_COLUMNS",
    "PERSON_COLUMNS",
    "Workplace",
    "coverage_rows",
    "persons",
    "share_out",
    "social_insurance_number",
]

PERSON_COLUMNS = (
    "social_insurance_number",
    "full_name",
    "date_of_birth",
    "sex",
    "unit_code",
    "from_period",
    "to_period",
)
COVERAGE_COLUMNS = (
    "area",
    "year",
    "quarter",
    "compulsory_si",
    "voluntary_si",
    "ui",
    "hi",
    "plan_compulsory_si",
    "plan_voluntary_si",
    "plan_ui",
    "plan_hi",
    "labour_force",
    "population",
)

Row = dict[str, str | int]

# Numbers start with the administrative code of the former province where the person was
# first insured (its employer's unit-code prefix); the rest walks 10^8 with a step prime to it,
# so every index below 10^8 gets its own number and neighbours look unrelated.
_NUMBER_STEP = 7_919
_NUMBER_SPACE = 10**8


def social_insurance_number(index: int, prefix: str) -> str:
    """The demo's ``index``-th social insurance number, of a person insured in the former
    province of ``prefix`` (HB, VP, PT): 10 digits, unique below 10^8 whatever the prefix."""
    return f"{SI_NUMBER_PREFIXES[prefix]}{index * _NUMBER_STEP % _NUMBER_SPACE:08d}"


@dataclass(frozen=True)
class Workplace:
    """What a person's row needs of an employer: its code, status and contribution months."""

    unit_code: str
    status: str
    employees: int
    first_period: date
    last_period: date

    @classmethod
    def of(cls, rows: demo.EmployerRows) -> Workplace | None:
        """The employer of ``rows``, or None if it declared no contribution at all."""
        if not rows.contributions:
            return None
        first, last = rows.contributions[0]["period"], rows.contributions[-1]["period"]
        return cls(
            unit_code=str(rows.employer["unit_code"]),
            status=str(rows.employer["status"]),
            employees=int(rows.employer["employees"]),
            first_period=date.fromisoformat(f"{first}-01"),
            last_period=date.fromisoformat(f"{last}-01"),
        )


def share_out(total: int, weights: Sequence[int]) -> list[int]:
    """``total`` split in proportion to ``weights`` (largest remainders), each share capped at
    its weight: persons spread over employers by their headcount, never more than it."""
    whole = sum(weights)
    if not whole:
        return [0] * len(weights)
    total = min(total, whole)
    shares = [total * w // whole for w in weights]
    order = sorted(range(len(weights)), key=lambda k: (-(total * weights[k] % whole), k))
    for k in order[: total - sum(shares)]:
        shares[k] += 1
    return shares


def _months(first: date, last: date) -> list[date]:
    count = (last.year - first.year) * 12 + last.month - first.month + 1
    return [
        date(first.year + (first.month - 1 + k) // 12, (first.month - 1 + k) % 12 + 1, 1)
        for k in range(count)
    ]


def _name(rng: random.Random, sex: str) -> str:
    surname = vocabulary.weighted(rng, vocabulary.SURNAMES)
    if sex == "male":
        middle, given = vocabulary.MALE_MIDDLE, vocabulary.MALE_GIVEN
    else:
        middle, given = vocabulary.FEMALE_MIDDLE, vocabulary.FEMALE_GIVEN
    return f"{surname} {rng.choice(middle)} {rng.choice(given)}"


def persons(
    rng: random.Random, workplace: Workplace, count: int, first_index: int
) -> Iterator[Row]:
    """``count`` persons of one employer, numbered from ``first_index`` (unique numbers)."""
    months = _months(workplace.first_period, workplace.last_period)
    closed = workplace.status != "active"
    for k in range(count):
        sex = "male" if rng.random() < 0.5 else "female"
        start = months[0] if rng.random() < 0.7 else rng.choice(months)
        later = [m for m in months if m >= start]
        if closed:
            end: date | None = workplace.last_period
        elif rng.random() < 0.1 and len(later) > 1:
            end = rng.choice(later[:-1])  # left before the latest month
        else:
            end = None
        born = date(start.year - rng.randint(19, 55), rng.randint(1, 12), rng.randint(1, 28))
        yield {
            "social_insurance_number": social_insurance_number(
                first_index + k, workplace.unit_code[:2]
            ),
            "full_name": _name(rng, sex),
            "date_of_birth": f"{born:%Y-%m-%d}",
            "sex": sex,
            "unit_code": workplace.unit_code,
            "from_period": f"{start:%Y-%m}",
            "to_period": f"{end:%Y-%m}" if end else "",
        }


# The province's scale, split over the grassroots offices by their share of employers: a
# labour force of about 2.1 million of a population of 4 million (the merged Phú Thọ's order
# of magnitude).
_LABOUR_FORCE = 2_100_000
_POPULATION = 4_000_000


def coverage_rows(years: Sequence[int], seed: int = demo.DEFAULT_SEED) -> list[Row]:
    """Quarterly and yearly figures for every grassroots office (its name is the area) and the
    province, for ``years``.

    Participants grow a little each quarter; a year's figure is its fourth quarter's, and
    the province's the sum of its offices'. Plans are set a few per cent above the year's
    start so that some areas reach them and some do not.
    """
    rng = random.Random(seed)  # noqa: S311 -- reproducible demo data, not secrets
    shares = {office.name: office.share for office in OFFICES}
    whole = sum(shares.values())
    rows: list[Row] = []
    province: dict[tuple[int, int | None], dict[str, int]] = {}
    for name, share in shares.items():
        labour_force = _LABOUR_FORCE * share // whole
        population = _POPULATION * share // whole
        rates = {
            "compulsory_si": rng.uniform(0.14, 0.2),
            "voluntary_si": rng.uniform(0.06, 0.1),
            "ui": rng.uniform(0.12, 0.16),
            "hi": rng.uniform(0.9, 0.95),
        }
        for year in years:
            plan_ratio = {scheme: rng.uniform(1.0, 1.06) for scheme in rates}
            starting = dict(rates)
            for quarter in (1, 2, 3, 4):
                for scheme in rates:
                    rates[scheme] *= rng.uniform(1.0, 1.015)
                figures = {
                    scheme: round(rate * (population if scheme == "hi" else labour_force))
                    for scheme, rate in rates.items()
                }
                plans = {
                    f"plan_{scheme}": round(
                        starting[scheme]
                        * plan_ratio[scheme]
                        * (population if scheme == "hi" else labour_force)
                    )
                    for scheme in rates
                }
                values = {
                    **figures,
                    **plans,
                    "labour_force": labour_force,
                    "population": population,
                }
                periods: list[int | None] = [quarter, None] if quarter == 4 else [quarter]
                for period in periods:
                    rows.append({"area": name, "year": year, "quarter": period or "", **values})
                    total = province.setdefault((year, period), dict.fromkeys(values, 0))
                    for key, value in values.items():
                        total[key] += value
    for (year, quarter), values in province.items():
        rows.append({"area": "province", "year": year, "quarter": quarter or "", **values})
    return rows
