"""The demo province's map: Phú Thọ as merged on 1 July 2025 from the former Hòa Bình, Vĩnh
Phúc and Phú Thọ provinces. The provincial office (the root), the grassroots offices (BHXH cơ
sở, former district and inter-district offices) and the communes (xã, phường) each serves,
with the former district and province they belonged to; the industrial zones, streets and
villages that addresses name; and what each former province's numbers start with.

The commune names are those of the 2025 reform as far as the demo knows them; which commune
each office serves, the offices' addresses and telephone numbers are made up. Plain data, no
Django (``bench/generate.py`` writes files from it without settings).
"""

from __future__ import annotations

from typing import NamedTuple

from desk.text import fold

__all__ = [
    "AREA_CODES",
    "COMMUNES",
    "FORMER_PROVINCES",
    "INDUSTRIAL_ZONES",
    "OFFICES",
    "PROVINCE",
    "PROVINCE_OFFICE",
    "SI_NUMBER_PREFIXES",
    "STREETS",
    "TAX_PREFIXES",
    "VILLAGES",
    "Commune",
    "Office",
    "commune_label",
    "office_code",
]

PROVINCE = "Phú Thọ"
# Unit codes keep the prefix of the former province that issued them; the same mapping as
# participants.models.FORMER_PROVINCES (the test of this module checks they agree).
FORMER_PROVINCES = {"HB": "Hòa Bình", "VP": "Vĩnh Phúc", "PT": "Phú Thọ"}
# What each former province's numbers start with: tax codes (its tax department's code),
# landlines (its area code) and social insurance numbers (its administrative code).
TAX_PREFIXES = {"HB": "54", "VP": "25", "PT": "26"}
AREA_CODES = {"HB": "0218", "VP": "0211", "PT": "0210"}
SI_NUMBER_PREFIXES = {"HB": "17", "VP": "26", "PT": "25"}


class Office(NamedTuple):
    """An office of the provincial social insurance, as the demo makes it."""

    code: str
    name: str
    prefix: str  # the former province it serves (unit-code prefix); "" for the province
    share: int  # % of the province's employers registered in its communes
    address: str
    phone: str


class Commune(NamedTuple):
    code: str
    name: str
    kind: str  # "xa" or "phuong"
    office: str  # the code of the grassroots office serving it
    former_district: str
    prefix: str  # the former province (unit-code prefix): HB, VP, PT


def office_code(name: str) -> str:
    """The code of an office from its name, as participants.models.office_code makes it."""
    return "_".join(fold(name).upper().split())[:20]


# The root: the migration to offices gives the provincial office this code (its name is
# settings.OFFICE_NAME); it manages the largest employers itself.
PROVINCE_OFFICE = Office(
    "TINH",
    "Bảo hiểm xã hội tỉnh Phú Thọ",
    "",
    0,
    "Số 1, đường Trần Phú, phường Việt Trì, tỉnh Phú Thọ",
    "02103846210",
)


def _office(name: str, prefix: str, share: int, address: str, phone: str) -> Office:
    return Office(office_code(name), name, prefix, share, address, phone)


# Grassroots offices: named after the former district office they grew from, as the
# interface reads them ("BHXH cơ sở Lương Sơn"). Shares add up to 100.
OFFICES = (
    _office("Hòa Bình", "HB", 11, "Số 2, đường Cù Chính Lan, phường Hòa Bình, tỉnh Phú Thọ",
            "02183852136"),
    _office("Lương Sơn", "HB", 9, "Tiểu khu 12, xã Lương Sơn, tỉnh Phú Thọ", "02183825436"),
    _office("Tân Lạc", "HB", 5, "Khu 3, xã Tân Lạc, tỉnh Phú Thọ", "02183881234"),
    _office("Lạc Sơn", "HB", 6, "Khu 5, xã Lạc Sơn, tỉnh Phú Thọ", "02183862345"),
    _office("Vĩnh Yên", "VP", 13, "Số 8, đường Kim Ngọc, phường Vĩnh Yên, tỉnh Phú Thọ",
            "02113862456"),
    _office("Phúc Yên", "VP", 11, "Số 15, đường Hai Bà Trưng, phường Phúc Yên, tỉnh Phú Thọ",
            "02113869123"),
    _office("Vĩnh Tường", "VP", 9, "Khu 2, xã Vĩnh Tường, tỉnh Phú Thọ", "02113838567"),
    _office("Việt Trì", "PT", 16, "Số 120, đường Hùng Vương, phường Nông Trang, tỉnh Phú Thọ",
            "02103847789"),
    _office("Phú Thọ", "PT", 11, "Số 6, đường Trần Phú, phường Phú Thọ, tỉnh Phú Thọ",
            "02103820345"),
    _office("Thanh Sơn", "PT", 9, "Khu 6, xã Thanh Sơn, tỉnh Phú Thọ", "02103873456"),
)  # fmt: skip

# fmt: off
# Office: {former district: its communes now}; "P. " marks a ward (phường), the rest are
# communes (xã). The first commune of each former district is its former seat.
_SERVED: dict[str, dict[str, tuple[str, ...]]] = {
    "Hòa Bình": {"Thành phố Hòa Bình": ("P. Hòa Bình", "P. Thống Nhất", "P. Tân Hòa",
                                       "P. Kỳ Sơn", "Thịnh Minh"),
                 "Đà Bắc": ("Đà Bắc", "Cao Sơn", "Tiền Phong")},
    "Lương Sơn": {"Lương Sơn": ("Lương Sơn", "Cao Dương", "Liên Sơn", "Nhuận Trạch", "Cư Yên"),
                  "Kim Bôi": ("Kim Bôi", "Mường Động", "Nật Sơn")},
    "Tân Lạc": {"Tân Lạc": ("Tân Lạc", "Mường Bi", "Toàn Thắng"),
                "Cao Phong": ("Cao Phong", "Thung Nai"),
                "Mai Châu": ("Mai Châu", "Pà Cò")},
    "Lạc Sơn": {"Lạc Sơn": ("Lạc Sơn", "Mường Vang", "Nhân Nghĩa"),
                "Yên Thủy": ("Yên Thủy", "Lạc Lương"),
                "Lạc Thủy": ("Lạc Thủy", "An Bình")},
    "Vĩnh Yên": {"Thành phố Vĩnh Yên": ("P. Vĩnh Yên", "P. Vĩnh Phúc"),
                 "Tam Dương": ("Tam Dương", "Hội Thịnh", "Hoàng An"),
                 "Tam Đảo": ("Tam Đảo", "Đại Đình")},
    "Phúc Yên": {"Thành phố Phúc Yên": ("P. Phúc Yên", "P. Xuân Hòa"),
                 "Bình Xuyên": ("Bình Xuyên", "Bình Nguyên", "Xuân Lãng", "Bình Tuyền")},
    "Vĩnh Tường": {"Vĩnh Tường": ("Vĩnh Tường", "Thổ Tang", "Vĩnh Hưng"),
                   "Yên Lạc": ("Yên Lạc", "Tề Lỗ"),
                   "Lập Thạch": ("Lập Thạch", "Thái Hòa"),
                   "Sông Lô": ("Sông Lô",)},
    "Việt Trì": {"Thành phố Việt Trì": ("P. Việt Trì", "P. Nông Trang", "P. Thanh Miếu",
                                       "P. Vân Phú"),
                 "Lâm Thao": ("Lâm Thao", "Phùng Nguyên"),
                 "Phù Ninh": ("Phù Ninh", "Phú Mỹ")},
    "Phú Thọ": {"Thị xã Phú Thọ": ("P. Phú Thọ", "P. Phong Châu", "P. Âu Cơ"),
                "Thanh Ba": ("Thanh Ba",),
                "Hạ Hòa": ("Hạ Hòa",),
                "Đoan Hùng": ("Đoan Hùng", "Tây Cốc"),
                "Cẩm Khê": ("Cẩm Khê",)},
    "Thanh Sơn": {"Thanh Sơn": ("Thanh Sơn", "Võ Miếu"),
                  "Tân Sơn": ("Tân Sơn", "Minh Đài"),
                  "Thanh Thủy": ("Thanh Thủy",),
                  "Tam Nông": ("Tam Nông",),
                  "Yên Lập": ("Yên Lập",)},
}
# fmt: on


def _communes() -> tuple[Commune, ...]:
    communes = []
    for office in OFFICES:
        for district, names in _SERVED[office.name].items():
            for name in names:
                ward = name.startswith("P. ")
                name = name.removeprefix("P. ")
                code = ("P_" if ward else "X_") + office_code(name)
                kind = "phuong" if ward else "xa"
                communes.append(Commune(code, name, kind, office.code, district, office.prefix))
    return tuple(communes)


COMMUNES = _communes()


def commune_label(commune: Commune) -> str:
    """ "xã Lương Sơn", "phường Việt Trì": the commune as an address names it."""
    return f"{'phường' if commune.kind == 'phuong' else 'xã'} {commune.name}"


# Industrial zone: the commune it lies in (code). Most employers are in none.
INDUSTRIAL_ZONES = {
    "KCN Lương Sơn": "X_LUONG_SON",
    "KCN Nhuận Trạch": "X_NHUAN_TRACH",
    "KCN Bờ trái Sông Đà": "P_THONG_NHAT",
    "KCN Yên Quang": "P_KY_SON",
    "KCN Khai Quang": "P_VINH_PHUC",
    "KCN Bình Xuyên": "X_BINH_XUYEN",
    "KCN Bá Thiện": "X_BINH_NGUYEN",
    "KCN Chấn Hưng": "X_VINH_TUONG",
    "KCN Thụy Vân": "P_NONG_TRANG",
    "KCN Phú Hà": "P_PHONG_CHAU",
    "KCN Trung Hà": "X_TAM_NONG",
    "KCN Cẩm Khê": "X_CAM_KHE",
}

# fmt: off
# The streets of the former cities and town, whose wards' addresses name them.
STREETS = {
    "Thành phố Hòa Bình": ("Cù Chính Lan", "Trần Hưng Đạo", "An Dương Vương", "Lê Thánh Tông",
                           "Chi Lăng", "Hoàng Văn Thụ", "Điện Biên Phủ", "Lý Thường Kiệt"),
    "Thành phố Vĩnh Yên": ("Mê Linh", "Kim Ngọc", "Lê Xoay", "Nguyễn Tất Thành",
                           "Tôn Đức Thắng", "Chùa Hà", "Hùng Vương"),
    "Thành phố Phúc Yên": ("Hai Bà Trưng", "Trần Hưng Đạo", "Nguyễn Văn Linh", "Phạm Văn Đồng",
                           "Hùng Vương"),
    "Thành phố Việt Trì": ("Hùng Vương", "Nguyễn Tất Thành", "Trần Phú", "Châu Phong",
                           "Hòa Phong", "Tiên Sơn", "Nguyễn Du", "Vũ Thê Lang"),
    "Thị xã Phú Thọ": ("Trần Phú", "Hùng Vương", "Phú Lợi", "Lê Đồng"),
}
# Villages as each former province names them: Mường "xóm" in Hòa Bình, "thôn" in Vĩnh
# Phúc, numbered "khu" in Phú Thọ.
VILLAGES = {
    "HB": ("Xóm Mới", "Xóm Bãi", "Xóm Trại", "Xóm Chằm", "Xóm Mòn", "Xóm Bương", "Xóm Đồng Bến"),
    "VP": ("Thôn Đông", "Thôn Đoài", "Thôn Thượng", "Thôn Hạ", "Thôn Trung", "Thôn Tiền Phong",
           "Thôn Đồng Tâm"),
    "PT": tuple(f"Khu {n}" for n in range(1, 16)),
}
# fmt: on
