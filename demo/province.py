"""A made-up but realistic province (Hòa Bình) as statement-file rows.

``generate`` yields, employer by employer, the rows of the three statement files of
``shared/DOMAIN.md`` (employers, contributions, payments) as plain dicts whose values print as
the files hold them (``str(value)``: periods ``YYYY-MM``, dates ``YYYY-MM-DD``, whole đồng).
``manage.py load_demo`` writes them to the database and ``bench/generate.py`` to CSV files, so
this module stays free of Django: the ledger's ``due_date`` and the search folding are its only
project imports.

The same seed and the same arguments give the same province. Contributions run from 2025-07
(Law 41/2024 in force) through the last full month before ``as_of``; payments dated after
``as_of`` are left out. Each employer pays by a behaviour the offices know (on time, in
advance, late, in part, stopped, chronic, lump sums after pressure), which leaves roughly half
of them clean and the rest spread over every aging bucket.
"""

from __future__ import annotations

import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum

from arrears.ledger import due_date, month_start
from desk.text import fold

__all__ = [
    "CITY",
    "CONTRIBUTION_COLUMNS",
    "DEFAULT_SEED",
    "DISTRICTS",
    "EMPLOYER_COLUMNS",
    "FIRST_PERIOD",
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
    "district",
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


class Behaviour(StrEnum):
    ON_TIME = "on_time"  # each cycle's total a few days before the deadline
    ADVANCE = "advance"  # several months at once, before any of them is due
    LATE = "late"  # the full total, days to weeks after the deadline
    PARTIAL = "partial"  # a share of each total, now and then a catch-up
    STOPPED = "stopped"  # on time until some month, nothing since
    CHRONIC = "chronic"  # irregular and less than owed
    LUMP_SUM = "lump_sum"  # silent for months, then everything at once after pressure


@dataclass(frozen=True)
class EmployerRows:
    """One employer's rows in the three statement files, and how it was made to pay."""

    employer: Row
    contributions: list[Row]
    payments: list[Row]
    behaviour: Behaviour


# --------------------------------------------------------------------------------------------
# The province (word lists kept compact: the formatter would put one word a line)

# fmt: off
CITY = "Thành phố Hòa Bình"
# District: (share of employers in %, wards or townships, communes). The city has wards and
# streets; the rural districts a township (thị trấn) and communes (xã).
DISTRICTS: dict[str, tuple[int, tuple[str, ...], tuple[str, ...]]] = {
    CITY: (30, ("Phương Lâm", "Đồng Tiến", "Tân Thịnh", "Thịnh Lang", "Hữu Nghị", "Tân Hòa",
                "Kỳ Sơn", "Trung Minh", "Dân Chủ", "Quỳnh Lâm"),
           ("Hòa Bình", "Yên Mông", "Độc Lập", "Mông Hóa", "Quang Tiến")),
    "Lương Sơn": (20, ("Lương Sơn",), ("Hòa Sơn", "Lâm Sơn", "Nhuận Trạch", "Cư Yên", "Liên Sơn",
                                      "Cao Dương", "Thành Lập")),
    "Kim Bôi": (7, ("Bo",), ("Vĩnh Đồng", "Hạ Bì", "Kim Lập", "Nam Thượng", "Xuân Thủy")),
    "Cao Phong": (5, ("Cao Phong",), ("Bắc Phong", "Thu Phong", "Tân Phong", "Dũng Phong")),
    "Tân Lạc": (7, ("Mãn Đức",), ("Phong Phú", "Tử Nê", "Thanh Hối", "Ngọc Mỹ", "Đông Lai")),
    "Mai Châu": (5, ("Mai Châu",), ("Chiềng Châu", "Pà Cò", "Vạn Mai", "Nà Phòn", "Tòng Đậu")),
    "Lạc Sơn": (8, ("Vụ Bản",), ("Ân Nghĩa", "Nhân Nghĩa", "Yên Phú", "Văn Sơn", "Tân Lập")),
    "Yên Thủy": (6, ("Hàng Trạm",), ("Yên Trị", "Ngọc Lương", "Phú Lai", "Lạc Thịnh")),
    "Lạc Thủy": (7, ("Chi Nê", "Ba Hàng Đồi"), ("Phú Nghĩa", "Thống Nhất", "Khoan Dụ", "An Bình")),
    "Đà Bắc": (5, ("Đà Bắc",), ("Tú Lý", "Cao Sơn", "Hiền Lương", "Toàn Sơn", "Mường Chiềng")),
}
CITY_STREETS = ("Cù Chính Lan", "Trần Hưng Đạo", "An Dương Vương", "Lê Thánh Tông", "Chi Lăng",
                "Hoàng Văn Thụ", "Điện Biên Phủ", "Lý Thường Kiệt", "Nguyễn Văn Trỗi",
                "Trương Hán Siêu")
HAMLETS = ("Xóm Mới", "Xóm Bãi", "Xóm Trại", "Thôn Đồng Bến", "Xóm Chằm", "Xóm Mòn", "Xóm Bương")
# Industrial zone: its district. Most employers are in none.
INDUSTRIAL_ZONES = {
    "KCN Lương Sơn": "Lương Sơn",
    "KCN Nam Lương Sơn": "Lương Sơn",
    "KCN Bờ trái Sông Đà": CITY,
    "KCN Yên Quang": CITY,
}

# Surnames with weights: Mường names (Bùi, Đinh, Quách, Hà, Xa) are common in Hòa Bình.
SURNAMES = (("Bùi", 18), ("Nguyễn", 16), ("Đinh", 10), ("Quách", 5), ("Hà", 5), ("Xa", 3),
            ("Trần", 7), ("Lê", 6), ("Phạm", 5), ("Hoàng", 5), ("Đỗ", 3), ("Vũ", 3), ("Lò", 3),
            ("Ngô", 2), ("Đặng", 2), ("Cao", 2), ("Sa", 1))
MALE_MIDDLE = ("Văn", "Văn", "Văn", "Đức", "Quang", "Hữu", "Minh", "Công", "Xuân", "Mạnh", "Đình")
FEMALE_MIDDLE = ("Thị", "Thị", "Thị", "Thu", "Ngọc", "Thanh", "Hồng", "Thúy", "Kim", "Minh")
MALE_GIVEN = ("Tuấn", "Hùng", "Dũng", "Hải", "Nam", "Cường", "Long", "Quân", "Sơn", "Bình",
              "Thắng", "Minh", "Đức", "Toàn", "Tùng", "Thành", "Hiếu", "Khánh", "Phong", "Trung",
              "Hoàng", "Việt", "Thịnh", "Lâm", "Quyết")
FEMALE_GIVEN = ("Lan", "Hương", "Hoa", "Thảo", "Trang", "Yến", "Nga", "Mai", "Linh", "Huyền",
                "Hằng", "Phương", "Thủy", "Nhung", "Oanh", "Dung", "Hạnh", "Loan", "Hà", "Vân")

SECTORS = ("Xây dựng", "Thương mại và Dịch vụ", "Vận tải", "Vật liệu xây dựng", "Chế biến gỗ",
           "Chế biến nông sản", "May mặc", "Đầu tư và Phát triển", "Du lịch",
           "Khai thác khoáng sản", "Cơ khí", "Môi trường", "Tư vấn thiết kế", "Thực phẩm",
           "Nông nghiệp công nghệ cao", "Điện nước", "Dược phẩm", "Xăng dầu",
           "Công nghệ thông tin", "In và Bao bì", "Nội thất", "Thủy điện", "Gạch không nung",
           "Dịch vụ bảo vệ", "Giáo dục")
BRANDS = ("Minh Phát", "Hưng Thịnh", "An Khang", "Trường Sơn", "Sông Đà", "Tân Tiến", "Phú Lộc",
          "Thành Công", "Đức Hạnh", "Ngọc Anh", "Hòa Bình Xanh", "Việt Nhật", "Đại Dương",
          "Hoàng Long", "Bảo Ngọc", "Quang Minh", "Hải Đăng", "Phúc Lâm", "Đồng Tâm", "Kim Ngân",
          "Thịnh Vượng", "Vạn Xuân", "Hồng Hà", "Tây Bắc", "Đà Giang", "Suối Hoa", "Hợp Thành",
          "Thái Sơn", "Nam Việt", "Lạc Hồng", "Bình Minh", "Hương Sen", "Sao Mai", "Hoa Ban",
          "Cao Sơn", "Toàn Thắng", "Tiến Đạt", "Gia Phát", "Anh Đức", "Phương Nam", "Hưng Long",
          "Huy Hoàng", "Thanh Bình", "Xuân Mai", "An Phú", "Mường Bi", "Mường Động", "Mường Vang",
          "Thung Nai", "Đồng Bái", "Bình Thanh", "Hòa Phát Đạt", "Trung Kiên", "Phú Thành",
          "Việt Hưng", "Nhật Quang", "Khánh An", "Tâm Đức", "Thiên Phú", "Hà Thành", "Hưng Phát",
          "Minh Khang", "Đông Á", "Quốc Bảo", "Tràng An", "Ánh Dương", "Vĩnh Thịnh", "Lộc Phát",
          "Tân Hoàng Minh")
NON_STATE_FORMS = (("Công ty TNHH", 42), ("Công ty TNHH MTV", 12), ("Công ty cổ phần", 30),
                   ("Doanh nghiệp tư nhân", 16))
FDI_BRANDS = ("Sewon", "Daeyang", "Seyoung", "Shinwoo", "Kyungbang", "Hanil", "Joongang",
              "Yoshida", "Takara", "Nissei", "Matsuda", "Hoshino", "Everbright", "Sunrise",
              "Tianyi", "Jinhua", "Fuyuan", "Evergreen", "Pacific", "Lotus", "Sakura", "Daewon")
FDI_SECTORS = ("", "", "May ", "Điện tử ", "Giày da ", "Linh kiện ", "Công nghệ ")
FDI_SUFFIXES = ("Việt Nam", "Vina", "Hòa Bình")
# Cooperative kinds: (words of the name, farming?). Farming ones may pay by the harvest.
COOPERATIVE_KINDS = (("nông nghiệp", True), ("dịch vụ nông nghiệp", True), ("chè", True),
                     ("mía đường", True), ("cây ăn quả", True), ("chăn nuôi", True),
                     ("rau an toàn", True), ("vận tải", False), ("thủ công mỹ nghệ", False),
                     ("du lịch cộng đồng", False), ("dệt thổ cẩm", False), ("nước sạch", False),
                     ("xây dựng", False))
STATE_SECTORS = ("Lâm nghiệp", "Khai thác công trình thủy lợi", "Cấp nước",
                 "Môi trường và Dịch vụ đô thị", "Quản lý và Sửa chữa đường bộ",
                 "Sách và Thiết bị trường học", "Xây dựng giao thông", "Xổ số kiến thiết")
PUBLIC_UNITS = ("Trung tâm Y tế", "Ban Quản lý dự án đầu tư xây dựng",
                "Trung tâm Văn hóa, Thông tin và Thể thao",
                "Trung tâm Giáo dục nghề nghiệp - Giáo dục thường xuyên")
HOUSEHOLD_TRADES = ("Nhà hàng", "Cửa hàng", "Xưởng mộc", "Garage ô tô", "Nhà nghỉ", "Cơ sở may")
SCHOOL_NAMES = ("Hoa Sen", "Hoa Ban", "Sao Mai", "Hoa Mai", "Sơn Ca", "Họa Mi", "Tuổi Thơ")
MOBILE_PREFIXES = ("096", "097", "098", "086", "035", "036", "091", "094", "088", "083")

OWNERSHIPS = (("non_state", 58), ("household", 10), ("public_agency", 12), ("cooperative", 7),
              ("fdi", 5), ("state", 3), ("other", 5))
STATUSES = (("active", 880), ("suspended", 45), ("awaiting_dissolution", 25), ("dissolved", 25),
            ("bankrupt", 5), ("absconded", 20))
# Headcount bands (share, lowest, highest) by ownership: mostly 2-50, a few up to 2,000.
SIZES = {
    "non_state": ((45, 2, 10), (40, 11, 50), (11, 51, 200), (4, 201, 800)),
    "household": ((1, 1, 9),),
    "public_agency": ((80, 12, 60), (20, 61, 250)),
    "cooperative": ((1, 3, 25),),
    "fdi": ((40, 50, 300), (40, 301, 1000), (20, 1001, 2000)),
    "state": ((70, 20, 150), (30, 151, 600)),
    "other": ((1, 2, 20),),
}
# Contribution wage per head in thousands of đồng, by ownership (5 to 15 million đồng).
WAGES = {"non_state": (5000, 12000), "household": (5000, 6500), "public_agency": (6000, 10000),
         "cooperative": (5000, 7000), "fdi": (7000, 15000), "state": (8000, 15000),
         "other": (5000, 9000)}
# Share of employers with an e-mail address, in %: about 60 % overall.
EMAIL_SHARE = {"non_state": 62, "household": 20, "public_agency": 85, "cooperative": 35,
               "fdi": 95, "state": 95, "other": 50}
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


def _weighted[T](rng: random.Random, choices: dict[T, int] | Sequence[tuple[T, int]]) -> T:
    pairs = list(choices.items()) if isinstance(choices, dict) else list(choices)
    return rng.choices([c for c, _ in pairs], [w for _, w in pairs])[0]


def _thousands(amount: float) -> int:
    """A payment amount as banks show them: whole thousands of đồng, at least 1,000."""
    return max(1000, int(amount) // 1000 * 1000)


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
        surname = _weighted(rng, SURNAMES)
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

    def name(self, ownership: str, district: str, place: str) -> tuple[str, str, str]:
        """A name not given yet, the word its e-mail address is made of, and the person it
        names (a household's owner, a lawyer), if any."""
        for _attempt in range(8):
            name, word, person = self._name(ownership, district, place)
            if name not in self.names:
                break
        self.names.add(name)
        return name, word, person

    def _name(self, ownership: str, district: str, place: str) -> tuple[str, str, str]:
        rng = self.rng
        where = "thành phố Hòa Bình" if district == CITY else f"huyện {district}"
        if ownership == "non_state":
            brand = rng.choice(BRANDS)
            sector = f"{rng.choice(SECTORS)} " if rng.random() < 0.7 else ""
            suffix = (
                f" {rng.choice(('Hòa Bình', 'Tây Bắc', district))}" if rng.random() < 0.2 else ""
            )
            return f"{_weighted(rng, NON_STATE_FORMS)} {sector}{brand}{suffix}", brand, ""
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
                unit = "phường" if district == CITY and place in DISTRICTS[CITY][1] else "xã"
                return f"Ủy ban nhân dân {unit} {place}", f"ubnd {place}", ""
            if kind < 0.85:
                return f"Trạm y tế xã {place}", f"tyt {place}", ""
            unit = rng.choice(PUBLIC_UNITS)
            return f"{unit} {where}", f"{unit} {district}", ""
        if ownership == "state":
            form = rng.choice(("Công ty TNHH MTV", "Công ty cổ phần"))
            sector = rng.choice(STATE_SECTORS)
            area = rng.choice(("Hòa Bình", district))
            return f"{form} {sector} {area}", f"{sector} {area}", ""
        kind = rng.random()
        if kind < 0.3:
            lawyer = self.person()
            return f"Văn phòng luật sư {lawyer}", "luatsu", lawyer
        if kind < 0.55:
            return f"Văn phòng công chứng {rng.choice(BRANDS)}", "congchung", ""
        if kind < 0.8:
            return f"Quỹ tín dụng nhân dân {place}", f"qtdnd {place}", ""
        return f"Hội Chữ thập đỏ {where}", f"chu thap do {district}", ""

    def address(self, district: str, zone: str, place: str) -> str:
        rng = self.rng
        if zone:
            return f"Lô CN-{rng.randint(1, 40):02d}, {zone}, {_district_label(district)}"
        towns = DISTRICTS[district][1]
        if district == CITY:
            if place in towns:
                street = rng.choice(CITY_STREETS)
                return f"Số {rng.randint(1, 400)}, đường {street}, phường {place}, {CITY}"
            return f"{rng.choice(HAMLETS)}, xã {place}, {CITY}"
        if place in towns:
            return (
                f"Số {rng.randint(1, 200)}, tiểu khu {rng.randint(1, 12)}, thị trấn {place}, "
                f"huyện {district}"
            )
        return f"{rng.choice(HAMLETS)}, xã {place}, huyện {district}"

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


def _district_label(district: str) -> str:
    return district if district == CITY else f"huyện {district}"


def _district(rng: random.Random, ownership: str) -> str:
    # Foreign-invested firms cluster near Hà Nội, in Lương Sơn and the city.
    if ownership == "fdi" and rng.random() < 0.75:
        return rng.choice(("Lương Sơn", "Lương Sơn", CITY))
    return _weighted(rng, {name: share for name, (share, _, _) in DISTRICTS.items()})


def _zone(rng: random.Random, ownership: str, district: str) -> str:
    zones = [zone for zone, where in INDUSTRIAL_ZONES.items() if where == district]
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


@dataclass(frozen=True)
class _Cycle:
    """Contributions settled together: one month, or a quarter / half-year for those payers."""

    first_period: date
    due_on: date
    total: int


def _payments(
    rng: random.Random, behaviour: Behaviour, cycles: list[_Cycle]
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


def _behaviour(rng: random.Random, ownership: str, status: str) -> Behaviour:
    if status == "absconded":
        return Behaviour.STOPPED
    if status != "active":
        return _weighted(rng, BEHAVIOURS_CLOSED)
    if ownership in ("public_agency", "state", "fdi"):
        return _weighted(rng, BEHAVIOURS_RELIABLE)
    return _weighted(rng, BEHAVIOURS_ACTIVE)


def _employer(province: _Province, index: int, months: list[date], as_of: date) -> EmployerRows:
    rng = province.rng
    code = unit_code(index)
    ownership = _weighted(rng, OWNERSHIPS)
    # Public agencies do not close down or abscond; anyone else may.
    status = "active" if ownership == "public_agency" else _weighted(rng, STATUSES)
    district = _district(rng, ownership)
    _, towns, communes = DISTRICTS[district]
    place = rng.choice(towns + communes)
    zone = _zone(rng, ownership, district)

    if ownership in ("non_state", "state") and province.parents and rng.random() < 0.03:
        parent_name, parent_tax, word = rng.choice(province.parents)
        name = f"Chi nhánh {parent_name} tại {_district_label(district)}"
        tax_code, person = province.branch_tax_code(parent_tax), ""
        province.names.add(name)
    else:
        name, word, person = province.name(ownership, district, place)
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

    behaviour = _behaviour(rng, ownership, status)
    made = _payments(
        rng,
        behaviour,
        [_Cycle(first_period, due_on, total) for due_on, (first_period, total) in cycles.items()],
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
        "address": province.address(district, zone, place),
        "district": district,
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
