"""Who the demo's employers are (``demo.province`` draws the rest): names by ownership and
place, tax codes with their check digit, addresses naming the commune and the province,
e-mail addresses and telephones with their former province's prefixes. Plain Python.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from demo.places import (
    AREA_CODES,
    FORMER_PROVINCES,
    PROVINCE,
    STREETS,
    TAX_PREFIXES,
    VILLAGES,
    Commune,
    commune_label,
)
from demo.vocabulary import (
    BRANDS,
    COOPERATIVE_KINDS,
    FDI_BRANDS,
    FDI_SECTORS,
    FDI_SUFFIXES,
    FEMALE_GIVEN,
    FEMALE_MIDDLE,
    HOUSEHOLD_TRADES,
    MALE_GIVEN,
    MALE_MIDDLE,
    MOBILE_PREFIXES,
    NON_STATE_FORMS,
    PUBLIC_UNITS,
    SCHOOL_NAMES,
    SECTORS,
    STATE_SECTORS,
    SURNAMES,
    weighted,
)
from desk.text import fold

__all__ = ["Identities", "short_district", "tax_check_digit"]

_TAX_WEIGHTS = (31, 29, 23, 19, 17, 13, 7, 5, 3)


def tax_check_digit(first_nine: str) -> int | None:
    """The tenth digit of a tax code from its first nine, or None if no valid code starts so.

    N10 = 10 - (31·N1 + 29·N2 + 23·N3 + 19·N4 + 17·N5 + 13·N6 + 7·N7 + 5·N8 + 3·N9) mod 11,
    where a remainder of 0 gives no valid code.
    """
    remainder = sum(int(d) * w for d, w in zip(first_nine, _TAX_WEIGHTS, strict=True)) % 11
    return None if remainder == 0 else 10 - remainder


def short_district(district: str) -> str:
    """A former district as names and addresses cite it: "Thành phố Việt Trì" -> "Việt Trì"."""
    return district.removeprefix("Thành phố ").removeprefix("Thị xã ")


@dataclass
class Identities:
    """Who the generator's employers are: names, tax codes, addresses, e-mails and telephones,
    remembering the codes and names given already so that none is given twice."""

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

    def tax_code(self, prefix: str) -> str:
        """A tax code of the former province's tax department (its first two digits)."""
        while True:
            first_nine = TAX_PREFIXES[prefix] + f"{self.rng.randrange(10**7):07d}"
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

    def name(self, ownership: str, commune: Commune) -> tuple[str, str, str]:
        """A name not given yet, the word its e-mail address is made of, and the person it
        names (a household's owner, a lawyer), if any."""
        for _attempt in range(8):
            name, word, person = self._name(ownership, commune)
            if name not in self.names:
                break
        self.names.add(name)
        return name, word, person

    def _name(self, ownership: str, commune: Commune) -> tuple[str, str, str]:
        rng = self.rng
        place, district = commune.name, short_district(commune.former_district)
        province = FORMER_PROVINCES[commune.prefix]  # firms registered before 2025 keep it
        if ownership == "non_state":
            brand = rng.choice(BRANDS)
            sector = f"{rng.choice(SECTORS)} " if rng.random() < 0.7 else ""
            suffix = f" {rng.choice((province, district))}" if rng.random() < 0.2 else ""
            return f"{weighted(rng, NON_STATE_FORMS)} {sector}{brand}{suffix}", brand, ""
        if ownership == "fdi":
            brand = rng.choice(FDI_BRANDS)
            suffix = rng.choice((*FDI_SUFFIXES, province))
            return f"Công ty TNHH {rng.choice(FDI_SECTORS)}{brand} {suffix}", brand, ""
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
                return f"Ủy ban nhân dân {commune_label(commune)}", f"ubnd {place}", ""
            if kind < 0.85:
                return f"Trạm y tế {commune_label(commune)}", f"tyt {place}", ""
            # The former districts' public units serve their area ("khu vực") since 2025.
            unit = rng.choice(PUBLIC_UNITS)
            return f"{unit} khu vực {district}", f"{unit} {district}", ""
        if ownership == "state":
            form = rng.choice(("Công ty TNHH MTV", "Công ty cổ phần"))
            sector = rng.choice(STATE_SECTORS)
            area = rng.choice((province, district))
            return f"{form} {sector} {area}", f"{sector} {area}", ""
        kind = rng.random()
        if kind < 0.3:
            lawyer = self.person()
            return f"Văn phòng luật sư {lawyer}", "luatsu", lawyer
        if kind < 0.55:
            return f"Văn phòng công chứng {rng.choice(BRANDS)}", "congchung", ""
        if kind < 0.8:
            return f"Quỹ tín dụng nhân dân {place}", f"qtdnd {place}", ""
        return f"Hội Chữ thập đỏ {commune_label(commune)}", f"chu thap do {place}", ""

    def address(self, commune: Commune, zone: str) -> str:
        """An address naming its commune and the province, as addresses read since 2025."""
        rng = self.rng
        where = f"{commune_label(commune)}, tỉnh {PROVINCE}"
        if zone:
            return f"Lô CN-{rng.randint(1, 40):02d}, {zone}, {where}"
        streets = STREETS.get(commune.former_district)
        if commune.kind == "phuong" and streets:
            return f"Số {rng.randint(1, 400)}, đường {rng.choice(streets)}, {where}"
        if commune.kind == "phuong":
            return f"Tổ dân phố {rng.randint(1, 20)}, {where}"
        return f"{rng.choice(VILLAGES[commune.prefix])}, {where}"

    def email(self, word: str, ownership: str) -> str:
        rng = self.rng
        slug = "".join(ch for ch in fold(word) if ch.isalnum())
        if ownership == "public_agency":
            return (
                f"{slug}@phutho.edu.vn"
                if "truong" in slug or "thcs" in slug
                else f"{slug}@phutho.gov.vn"
            )
        pattern = rng.randrange(3)
        if pattern == 0:
            return f"ketoan.{slug}{rng.randint(1, 99)}@gmail.com"
        if pattern == 1:
            return f"ketoan@{slug}.com.vn"
        return f"{slug}{rng.randint(1, 999)}@gmail.com"

    def phone(self, prefix: str) -> str:
        rng = self.rng
        if rng.random() < 0.6:
            return f"{AREA_CODES[prefix]}3{rng.randrange(10**6):06d}"  # the former area code
        prefix = rng.choice(MOBILE_PREFIXES)
        return f"{prefix}{rng.randrange(10**7):07d}"
