"""The made-up but realistic vocabulary of the demo province (Phú Thọ, merged from Hòa Bình,
Vĩnh Phúc and Phú Thọ): the names of its people and employers, and the weights the generator
(``demo.province``) draws them by; its map is ``demo.places``'s. Plain data, no Django.
"""

from __future__ import annotations

import random
from collections.abc import Sequence

# Word lists kept compact: the formatter would put one word a line.
# fmt: off
# Surnames with weights: Nguyễn first, as everywhere; the Mường names of the former Hòa Bình
# (Bùi, Đinh, Quách, Hà, Xa) more common than elsewhere in the country.
SURNAMES = (("Nguyễn", 26), ("Bùi", 9), ("Đinh", 5), ("Quách", 3), ("Hà", 4), ("Xa", 1),
            ("Trần", 9), ("Lê", 7), ("Phạm", 6), ("Hoàng", 5), ("Đỗ", 4), ("Vũ", 4), ("Lò", 1),
            ("Ngô", 3), ("Đặng", 3), ("Cao", 2), ("Phan", 3), ("Kiều", 1), ("Sa", 1))
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
          "Tân Hoàng Minh", "Đất Tổ", "Phong Châu", "Lạc Long", "Tam Đảo", "Sông Lô",
          "Văn Lang", "Tây Thiên", "Đại Lải", "Hùng Vương", "Âu Cơ")
NON_STATE_FORMS = (("Công ty TNHH", 42), ("Công ty TNHH MTV", 12), ("Công ty cổ phần", 30),
                   ("Doanh nghiệp tư nhân", 16))
FDI_BRANDS = ("Sewon", "Daeyang", "Seyoung", "Shinwoo", "Kyungbang", "Hanil", "Joongang",
              "Yoshida", "Takara", "Nissei", "Matsuda", "Hoshino", "Everbright", "Sunrise",
              "Tianyi", "Jinhua", "Fuyuan", "Evergreen", "Pacific", "Lotus", "Sakura", "Daewon")
FDI_SECTORS = ("", "", "May ", "Điện tử ", "Giày da ", "Linh kiện ", "Công nghệ ")
FDI_SUFFIXES = ("Việt Nam", "Việt Nam", "Vina")  # or the former province's name
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
