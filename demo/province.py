"""A made-up but realistic province (Hòa Bình) as statement-file rows.

``generate`` yields, employer by employer, the rows of the three statement files of
``shared/DOMAIN.md`` (employers, contributions, payments) as plain dicts whose values print as
the files hold them (``str(value)``: periods ``YYYY-MM``, dates ``YYYY-MM-DD``, whole đồng).
``manage.py load_demo`` writes them to the database and ``bench/generate.py`` to CSV files, so
this module stays free of Django: the ledger's ``due_date`` and the search folding are its only
project imports.

The same seed and the same arguments give the same province. Contributions run from 2025-07
(Law 41/2024 in force) through the last full month before ``as_of``; payments dated after
``as_of`` are left out. Each employer pays by a behaviour the offices know
(``demo.behaviours``), which leaves roughly half of them clean and the rest spread over every
aging bucket. Its names, places and the weights they are drawn by are ``demo.vocabulary``'s.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date

from arrears.ledger import due_date, month_start
from demo import behaviours
from demo.behaviours import Behaviour
from demo.vocabulary import (
    BRANDS,
    CITY,
    CITY_STREETS,
    COOPERATIVE_KINDS,
    EMAIL_SHARE,
    FDI_BRANDS,
    FDI_SECTORS,
    FDI_SUFFIXES,
    FEMALE_GIVEN,
    FEMALE_MIDDLE,
    HAMLETS,
    HOUSEHOLD_TRADES,
    INDUSTRIAL_ZONES,
    MALE_GIVEN,
    MALE_MIDDLE,
    MOBILE_PREFIXES,
    NON_STATE_FORMS,
    OFFICES,
    OWNERSHIPS,
    PUBLIC_UNITS,
    SCHOOL_NAMES,
    SECTORS,
    SIZES,
    STATE_SECTORS,
    STATUSES,
    SURNAMES,
    WAGES,
    weighted,
)
from desk.text import fold

__all__ = [
    "CITY",
    "CONTRIBUTION_COLUMNS",
    "DEFAULT_SEED",
    "EMPLOYER_COLUMNS",
    "FIRST_PERIOD",
    "OFFICES",
    "PAYMENT_COLUMNS",
    "UNIT_CODE_PATTERN",
    "Behaviour",
    "EmployerRows",
    "generate",
    "periods",
    "tax_check_digit",
    "unit_code",
]

EMPLOYER_COLUMNS = (
    "unit_code",
    "tax_code",
    "name",
    "address",
    "office",
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

DEFAULT_SEED = 2025
FIRST_PERIOD = date(2025, 7, 1)  # Law 41/2024/QH15 in force: today's deadlines and daily rate

# Demo unit codes start at HB10000A, so the shared sample files (HB00000A...) import beside them.
FIRST_UNIT_NUMBER = 10000
UNIT_CODE_PATTERN = r"^HB[1-9][0-9]{4,}[A-E]$"

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

_TAX_WEIGHTS = (31, 29, 23, 19, 17, 13, 7, 5, 3)
_HOA_BINH_TAX_PREFIX = "54"  # the province's tax codes start with its code


def tax_check_digit(first_nine: str) -> int | None:
    """The tenth digit of a tax code from its first nine, or None if no valid code starts so.

    N10 = 10 - (31·N1 + 29·N2 + 23·N3 + 19·N4 + 17·N5 + 13·N6 + 7·N7 + 5·N8 + 3·N9) mod 11,
    where a remainder of 0 gives no valid code.
    """
    remainder = sum(int(d) * w for d, w in zip(first_nine, _TAX_WEIGHTS, strict=True)) % 11
    return None if remainder == 0 else 10 - remainder


def unit_code(index: int) -> str:
    """The demo's unit code of its ``index``-th employer: HB10000A, HB10001B, ..."""
    return f"HB{FIRST_UNIT_NUMBER + index:05d}{'ABCDE'[index % 5]}"


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


@dataclass
class _Province:
    """What the generator remembers across employers: codes and names already given."""

    rng: random.Random
    tax_codes: set[str] = field(default_factory=set)
    names: set[str] = field(default_factory=set)
    # Companies a branch may belong to: (name, tax code, word of their e-mail address).
    parents: list[tuple[str, str, str]] = field(default_factory=list)

    def person(self) -> str:
        rng = self.rng
        surname = weighted(rng, SURNAMES)
        if rng.random() < 0.5:
            return f"{surname} {rng.choice(MALE_MIDDLE)} {rng.choice(MALE_GIVEN)}"
        return f"{surname} {rng.choice(FEMALE_MIDDLE)} {rng.choice(FEMALE_GIVEN)}"

    def tax_code(self) -> str:
        while True:
            first_nine = _HOA_BINH_TAX_PREFIX + f"{self.rng.randrange(10**7):07d}"
            check = tax_check_digit(first_nine)
            code = f"{first_nine}{check}"
            if check is not None and code not in self.tax_codes:
                self.tax_codes.add(code)
                return code

    def branch_tax_code(self, parent: str) -> str:
        number = 1
        while f"{parent}-{number:03d}" in self.tax_codes:
            number += 1
        code = f"{parent}-{number:03d}"
        self.tax_codes.add(code)
        return code

    def name(self, ownership: str, office: str, place: str) -> tuple[str, str, str]:
        """A name not given yet, the word its e-mail address is made of, and the person it
        names (a household's owner, a lawyer), if any."""
        for _attempt in range(8):
            name, word, person = self._name(ownership, office, place)
            if name not in self.names:
                break
        self.names.add(name)
        return name, word, person

    def _name(self, ownership: str, office: str, place: str) -> tuple[str, str, str]:
        rng = self.rng
        where = "thành phố Hòa Bình" if office == CITY else f"huyện {office}"
        if ownership == "non_state":
            brand = rng.choice(BRANDS)
            sector = f"{rng.choice(SECTORS)} " if rng.random() < 0.7 else ""
            suffix = f" {rng.choice(('Hòa Bình', 'Tây Bắc', office))}" if rng.random() < 0.2 else ""
            return f"{weighted(rng, NON_STATE_FORMS)} {sector}{brand}{suffix}", brand, ""
        if ownership == "fdi":
            brand = rng.choice(FDI_BRANDS)
            return (
                f"Công ty TNHH {rng.choice(FDI_SECTORS)}{brand} {rng.choice(FDI_SUFFIXES)}",
                brand,
                "",
            )
        if ownership == "cooperative":
            kind, _farming = rng.choice(COOPERATIVE_KINDS)
            return f"Hợp tác xã {kind} {place}", place, ""
        if ownership == "household":
            owner = self.person()
            if rng.random() < 0.5:
                return f"Hộ kinh doanh {owner}", owner, owner
            brand = rng.choice(BRANDS)
            return f"Hộ kinh doanh {rng.choice(HOUSEHOLD_TRADES)} {brand}", brand, ""
        if ownership == "public_agency":
            kind = rng.random()
            if kind < 0.35:
                school = rng.choice(("Trường mầm non", "Trường mầm non", "Trường tiểu học"))
                named = place if rng.random() < 0.7 else rng.choice(SCHOOL_NAMES)
                return f"{school} {named}", f"truong {named}", ""
            if kind < 0.55:
                return f"Trường trung học cơ sở {place}", f"thcs {place}", ""
            if kind < 0.75:
                unit = "phường" if office == CITY and place in OFFICES[CITY][1] else "xã"
                return f"Ủy ban nhân dân {unit} {place}", f"ubnd {place}", ""
            if kind < 0.85:
                return f"Trạm y tế xã {place}", f"tyt {place}", ""
            unit = rng.choice(PUBLIC_UNITS)
            return f"{unit} {where}", f"{unit} {office}", ""
        if ownership == "state":
            form = rng.choice(("Công ty TNHH MTV", "Công ty cổ phần"))
            sector = rng.choice(STATE_SECTORS)
            area = rng.choice(("Hòa Bình", office))
            return f"{form} {sector} {area}", f"{sector} {area}", ""
        kind = rng.random()
        if kind < 0.3:
            lawyer = self.person()
            return f"Văn phòng luật sư {lawyer}", "luatsu", lawyer
        if kind < 0.55:
            return f"Văn phòng công chứng {rng.choice(BRANDS)}", "congchung", ""
        if kind < 0.8:
            return f"Quỹ tín dụng nhân dân {place}", f"qtdnd {place}", ""
        return f"Hội Chữ thập đỏ {where}", f"chu thap do {office}", ""

    def address(self, office: str, zone: str, place: str) -> str:
        rng = self.rng
        if zone:
            return f"Lô CN-{rng.randint(1, 40):02d}, {zone}, {_office_label(office)}"
        towns = OFFICES[office][1]
        if office == CITY:
            if place in towns:
                street = rng.choice(CITY_STREETS)
                return f"Số {rng.randint(1, 400)}, đường {street}, phường {place}, {CITY}"
            return f"{rng.choice(HAMLETS)}, xã {place}, {CITY}"
        if place in towns:
            return (
                f"Số {rng.randint(1, 200)}, tiểu khu {rng.randint(1, 12)}, thị trấn {place}, "
                f"huyện {office}"
            )
        return f"{rng.choice(HAMLETS)}, xã {place}, huyện {office}"

    def email(self, word: str, ownership: str) -> str:
        rng = self.rng
        slug = "".join(ch for ch in fold(word) if ch.isalnum())
        if ownership == "public_agency":
            return (
                f"{slug}@hoabinh.edu.vn"
                if "truong" in slug or "thcs" in slug
                else f"{slug}@hoabinh.gov.vn"
            )
        pattern = rng.randrange(3)
        if pattern == 0:
            return f"ketoan.{slug}{rng.randint(1, 99)}@gmail.com"
        if pattern == 1:
            return f"ketoan@{slug}.com.vn"
        return f"{slug}{rng.randint(1, 999)}@gmail.com"

    def phone(self) -> str:
        rng = self.rng
        if rng.random() < 0.6:
            return f"02183{rng.randrange(10**6):06d}"  # Hòa Bình landline, area code 0218
        prefix = rng.choice(MOBILE_PREFIXES)
        return f"{prefix}{rng.randrange(10**7):07d}"


def _office_label(office: str) -> str:
    return office if office == CITY else f"huyện {office}"


def _office(rng: random.Random, ownership: str) -> str:
    # Foreign-invested firms cluster near Hà Nội, in Lương Sơn and the city.
    if ownership == "fdi" and rng.random() < 0.75:
        return rng.choice(("Lương Sơn", "Lương Sơn", CITY))
    return weighted(rng, {name: share for name, (share, _, _) in OFFICES.items()})


def _zone(rng: random.Random, ownership: str, office: str) -> str:
    zones = [zone for zone, where in INDUSTRIAL_ZONES.items() if where == office]
    share = {"fdi": 0.85, "non_state": 0.12}.get(ownership, 0.0)
    return rng.choice(zones) if zones and rng.random() < share else ""


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


def _employer(province: _Province, index: int, months: list[date], as_of: date) -> EmployerRows:
    rng = province.rng
    code = unit_code(index)
    ownership = weighted(rng, OWNERSHIPS)
    # Public agencies do not close down or abscond; anyone else may.
    status = "active" if ownership == "public_agency" else weighted(rng, STATUSES)
    office = _office(rng, ownership)
    _, towns, communes = OFFICES[office]
    place = rng.choice(towns + communes)
    zone = _zone(rng, ownership, office)

    if ownership in ("non_state", "state") and province.parents and rng.random() < 0.03:
        parent_name, parent_tax, word = rng.choice(province.parents)
        name = f"Chi nhánh {parent_name} tại {_office_label(office)}"
        tax_code, person = province.branch_tax_code(parent_tax), ""
        province.names.add(name)
    else:
        name, word, person = province.name(ownership, office, place)
        tax_code = province.tax_code()
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

    has_email = rng.randrange(100) < EMAIL_SHARE[ownership]
    employer: Row = {
        "unit_code": code,
        "tax_code": tax_code,
        "name": name,
        "address": province.address(office, zone, place),
        "office": office,
        "industrial_zone": zone,
        "ownership": ownership,
        "status": status,
        "employees": employees,  # as on the latest contribution row
        "email": province.email(word, ownership) if has_email else "",
        "phone": province.phone(),
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
    province = _Province(random.Random(seed))  # noqa: S311 -- reproducible demo data, not secrets
    for index in range(employers):
        yield _employer(province, index, months_list, as_of)
