"""The made-up but realistic vocabulary of the demo province (Hòa Bình): its offices,
streets and hamlets, the names of its people and employers, and the weights the generator
(``demo.province``) draws them by. Plain data, no Django.
"""

from __future__ import annotations

import random
from collections.abc import Sequence

# Word lists kept compact: the formatter would put one word a line.
# fmt: off
CITY = "Thành phố Hòa Bình"
# Office: (share of employers in %, wards or townships, communes). The city has wards and
# streets; the rural offices a township (thị trấn) and communes (xã).
OFFICES: dict[str, tuple[int, tuple[str, ...], tuple[str, ...]]] = {
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
# Industrial zone: its office. Most employers are in none.
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
# fmt: on


def weighted[T](rng: random.Random, choices: dict[T, int] | Sequence[tuple[T, int]]) -> T:
    """One of ``choices`` (value: weight, or (value, weight) pairs), drawn by weight."""
    pairs = list(choices.items()) if isinstance(choices, dict) else list(choices)
    return rng.choices([c for c, _ in pairs], [w for _, w in pairs])[0]
