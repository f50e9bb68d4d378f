"""A made-up but realistic province (Phú Thọ, merged in 2025 from Hòa Bình, Vĩnh Phúc and Phú
Thọ) as statement-file rows.

``generate`` yields, employer by employer, the rows of the three statement files of
``shared/DOMAIN.md`` (employers, contributions, payments) as plain dicts whose values print as
the files hold them (``str(value)``: periods ``YYYY-MM``, dates ``YYYY-MM-DD``, whole đồng);
``commune_rows`` gives the communes file the employers' communes come from. ``manage.py
load_demo`` writes them to the database and ``bench/generate.py`` to CSV files, so this module
stays free of Django: the ledger's dates are its only import outside ``demo``.

Each employer lies in a commune (``demo.places``) and is managed by the grassroots office
serving it, or by the provincial office when it is among the largest; its unit code, tax code
and telephone carry its former province's prefixes (HB, VP, PT).

The same seed and the same arguments give the same province. Contributions run from 2025-07
(Law 41/2024 in force) through the last full month before ``as_of``; payments dated after
``as_of`` are left out. Each employer pays by a behaviour the offices know
(``demo.behaviours``), which leaves roughly half of them clean and the rest spread over every
aging bucket. Its names and the weights they are drawn by are ``demo.vocabulary``'s.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

from arrears.ledger import due_date, month_start
from demo import behaviours
from demo.behaviours import Behaviour
from demo.identity import Identities, short_district
from demo.places import (
    COMMUNES,
    FORMER_PROVINCES,
    INDUSTRIAL_ZONES,
    OFFICES,
    PROVINCE_OFFICE,
    Commune,
)
from demo.vocabulary import (
    COOPERATIVE_KINDS,
    EMAIL_SHARE,
    OWNERSHIPS,
    SIZES,
    STATUSES,
    WAGES,
    weighted,
)

__all__ = [
    "COMMUNE_COLUMNS",
    "CONTRIBUTION_COLUMNS",
    "DEFAULT_SEED",
    "EMPLOYER_COLUMNS",
    "FIRST_PERIOD",
    "LARGEST",
    "PAYMENT_COLUMNS",
    "UNIT_CODE_PATTERN",
    "Behaviour",
    "EmployerRows",
    "commune_rows",
    "generate",
    "periods",
    "unit_code",
]

EMPLOYER_COLUMNS = (
    "unit_code",
    "tax_code",
    "name",
    "address",
    "office",
    "commune",
    "industrial_zone",
    "ownership",
    "status",
    "employees",
    "email",
    "phone",
    "legal_representative",
    "payment_method",
)
CONTRIBUTION_COLUMNS = ("unit_code", "period", "employees", "wage_fund", "si", "hi", "ui", "oaod")
PAYMENT_COLUMNS = ("unit_code", "paid_on", "amount", "reference")
COMMUNE_COLUMNS = ("code", "name", "kind", "office", "former_district", "former_province")

DEFAULT_SEED = 2025
FIRST_PERIOD = date(2025, 7, 1)  # Law 41/2024/QH15 in force: today's deadlines and daily rate

# Demo unit codes are numbered from 10000 behind their former province's prefix (HB10000A,
# VP10001B, ...), so the shared sample files (HB00000A...) import beside them.
FIRST_UNIT_NUMBER = 10000
UNIT_CODE_PATTERN = r"^(HB|VP|PT)[1-9][0-9]{4,}[A-E]$"
# Employers of this many employees or more are managed by the provincial office itself.
LARGEST = 500

Row = dict[str, str | int | date]


@dataclass(frozen=True)
class EmployerRows:
    """One employer's rows in the three statement files, and how it was made to pay."""

    employer: Row
    contributions: list[Row]
    payments: list[Row]
    behaviour: Behaviour


# Rates on the wage fund, as in the shared samples: SI 25 %, HI 4.5 %, UI 2 %, OA-OD 0.5 %
# (per mille, so that a wage fund in whole thousands gives whole đồng).
SI, HI, UI, OAOD = 250, 45, 20, 5


def unit_code(index: int, prefix: str) -> str:
    """The demo's unit code of its ``index``-th employer, issued by the former province of
    ``prefix``: HB10000A, VP10001B, ..."""
    return f"{prefix}{FIRST_UNIT_NUMBER + index:05d}{'ABCDE'[index % 5]}"


def commune_rows() -> list[Row]:
    """The communes file of the demo province: every commune with the grassroots office serving
    it (by name, so that an import creates the office the demo would) and its history."""
    names = {office.code: office.name for office in OFFICES}
    return [
        {
            "code": c.code,
            "name": c.name,
            "kind": c.kind,
            "office": names[c.office],
            "former_district": c.former_district,
            "former_province": FORMER_PROVINCES[c.prefix],
        }
        for c in COMMUNES
    ]


def _shift(month: date, months: int) -> date:
    index = month.year * 12 + month.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def periods(as_of: date, months: int | None = None) -> list[date]:
    """The contribution months (first days): through the last full month before ``as_of``,
    from 2025-07, or the last ``months`` of them when given."""
    last = _shift(month_start(as_of), -1)
    first = FIRST_PERIOD if months is None else _shift(last, 1 - months)
    count = (last.year - first.year) * 12 + last.month - first.month + 1
    return [_shift(first, k) for k in range(max(0, count))]


# --------------------------------------------------------------------------------------------
# Generation


# Where employers are drawn: offices by their share; within one, a ward or a former district's
# seat is likelier than another commune.
_OFFICE_SHARES = {office.code: office.share for office in OFFICES}
_COMMUNES_OF = {
    office.code: [
        (
            commune,
            3
            if commune.kind == "phuong"
            else 2
            if commune.name == short_district(commune.former_district)
            else 1,
        )
        for commune in COMMUNES
        if commune.office == office.code
    ]
    for office in OFFICES
}
_COMMUNE = {commune.code: commune for commune in COMMUNES}
_ZONES_IN = {
    code: [zone for zone, where in INDUSTRIAL_ZONES.items() if where == code] for code in _COMMUNE
}


def _place(rng: random.Random, ownership: str) -> tuple[Commune, str]:
    """The employer's commune and industrial zone (or "")."""
    # Foreign-invested firms cluster in the industrial zones.
    if ownership == "fdi" and rng.random() < 0.8:
        zone = rng.choice(list(INDUSTRIAL_ZONES))
        return _COMMUNE[INDUSTRIAL_ZONES[zone]], zone
    commune = weighted(rng, _COMMUNES_OF[weighted(rng, _OFFICE_SHARES)])
    zones = _ZONES_IN[commune.code]
    share = {"fdi": 0.85, "non_state": 0.12}.get(ownership, 0.0)
    return commune, rng.choice(zones) if zones and rng.random() < share else ""


def _payment_method(rng: random.Random, ownership: str, name: str) -> str:
    # Farming cooperatives are paid by the harvest: the law lets them pay quarterly or
    # six-monthly; a few other small units do the same.
    farming = any(
        name.startswith(f"Hợp tác xã {kind} ") for kind, farming in COOPERATIVE_KINDS if farming
    )
    share = 0.6 if farming else 0.02 if ownership in ("household", "cooperative", "other") else 0
    if rng.random() < share:
        return rng.choice(("quarterly", "quarterly", "six_monthly"))
    return "monthly"


def _employees(rng: random.Random, ownership: str) -> int:
    bands = SIZES[ownership]
    _, low, high = rng.choices(bands, [b[0] for b in bands])[0]
    return rng.randint(low, high)


def _employer(province: Identities, index: int, months: list[date], as_of: date) -> EmployerRows:
    rng = province.rng
    ownership = weighted(rng, OWNERSHIPS)
    # Public agencies do not close down or abscond; anyone else may.
    status = "active" if ownership == "public_agency" else weighted(rng, STATUSES)
    commune, zone = _place(rng, ownership)
    prefix = commune.prefix
    code = unit_code(index, prefix)

    if ownership in ("non_state", "state") and province.parents and rng.random() < 0.03:
        parent_name, parent_tax, word = rng.choice(province.parents)
        name = f"Chi nhánh {parent_name} tại {short_district(commune.former_district)}"
        tax_code, person = province.branch_tax_code(parent_tax), ""
        province.names.add(name)
    else:
        name, word, person = province.name(ownership, commune)
        tax_code = province.tax_code(prefix)
        if name.startswith("Công ty"):
            province.parents.append((name, tax_code, word))
    method = _payment_method(rng, ownership, name)

    # Months declared: some units registered after the first month, closed units stopped.
    first, last = 0, len(months)
    if len(months) > 8 and rng.random() < 0.04:
        first = rng.randint(1, 6)
    if status != "active" and last - first > 8:
        last -= rng.randint(1, 6)

    employees = _employees(rng, ownership)
    wage = rng.randint(*WAGES[ownership]) // 10 * 10  # thousands of đồng, tens of thousands
    raise_from = date(2026, 1, 1) if rng.random() < 0.7 else None  # the January pay rise
    contributions: list[Row] = []
    cycles: dict[date, tuple[date, int]] = {}  # due date: (first period, total)
    for period in months[first:last]:
        if raise_from and period == raise_from:
            wage = wage * rng.randint(103, 108) // 100 // 10 * 10
        drift = rng.random()
        step = max(1, employees // 50)
        if drift < 0.15:
            employees = max(1, employees - step)
        elif drift < 0.3:
            employees += step
        wage_fund = employees * wage * 1000
        si, hi = wage_fund * SI // 1000, wage_fund * HI // 1000
        ui, oaod = wage_fund * UI // 1000, wage_fund * OAOD // 1000
        contributions.append(
            {
                "unit_code": code,
                "period": f"{period:%Y-%m}",
                "employees": employees,
                "wage_fund": wage_fund,
                "si": si,
                "hi": hi,
                "ui": ui,
                "oaod": oaod,
            }
        )
        due_on = due_date(period, method)
        first_period, total = cycles.get(due_on, (period, 0))
        cycles[due_on] = (first_period, total + si + hi + ui + oaod)

    behaviour = behaviours.pick(rng, ownership, status)
    made = behaviours.payments(
        rng,
        behaviour,
        [
            behaviours.Cycle(first_period, due_on, total)
            for due_on, (first_period, total) in cycles.items()
        ],
    )
    made = sorted((p for p in made if p[0] <= as_of), key=lambda p: p[0])
    number = FIRST_UNIT_NUMBER + index
    payments: list[Row] = [
        {
            "unit_code": code,
            "paid_on": paid_on,
            "amount": amount,
            "reference": f"UNC{number:05d}{seq:03d}{paid_on:%y%m%d}",
        }
        for seq, (paid_on, amount) in enumerate(made)
    ]

    # The provincial office manages the largest employers itself, wherever they are.
    office = PROVINCE_OFFICE.code if employees >= LARGEST else commune.office
    has_email = rng.randrange(100) < EMAIL_SHARE[ownership]
    employer: Row = {
        "unit_code": code,
        "tax_code": tax_code,
        "name": name,
        "address": province.address(commune, zone),
        "office": office,
        "commune": commune.code,
        "industrial_zone": zone,
        "ownership": ownership,
        "status": status,
        "employees": employees,  # as on the latest contribution row
        "email": province.email(word, ownership) if has_email else "",
        "phone": province.phone(prefix),
        "legal_representative": person or province.person(),
        "payment_method": method,
    }
    return EmployerRows(employer, contributions, payments, behaviour)


def generate(
    employers: int,
    *,
    as_of: date,
    months: int | None = None,
    seed: int = DEFAULT_SEED,
) -> Iterator[EmployerRows]:
    """The rows of ``employers`` employers, one employer at a time (see the module's doc).

    Contributions cover ``periods(as_of, months)``; only payments dated on or before ``as_of``
    are given. The same arguments always give the same rows.
    """
    months_list = periods(as_of, months)
    province = Identities(random.Random(seed))  # noqa: S311 -- reproducible demo data, not secrets
    for index in range(employers):
        yield _employer(province, index, months_list, as_of)
