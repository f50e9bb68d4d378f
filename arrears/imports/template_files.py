"""A template for each kind of statement file: an XLSX with the header and one example row on
its first sheet (the sheet an import reads) and a notes sheet saying what each column holds,
as the upload page links them."""

from __future__ import annotations

import io

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from arrears.imports.kinds import COLUMNS
from arrears.models import ReferralPurpose
from participants.models import Commune, Ownership, PaymentMethod, Sex, Status

MONEY = gettext_lazy("số đồng nguyên, có thể tách hàng nghìn bằng dấu chấm (1.000.000)")
DAY = gettext_lazy("ngày dd/mm/yyyy hoặc YYYY-MM-DD")
MONTH = gettext_lazy("tháng mm/yyyy hoặc YYYY-MM")
UNIT = gettext_lazy(
    "mã đơn vị do BHXH cấp, đã có trong danh sách đơn vị: chữ cái không dấu, chữ số, «-», «_»"
)
COUNT = gettext_lazy("số nguyên không âm")


def _codes(choices: type) -> str:
    return ", ".join(f"{value} ({label})" for value, label in choices.choices)  # type: ignore[attr-defined]


# column -> (example, what it holds); a kind's own entry first, then the shared one.
SHARED: dict[str, tuple[str, Promise | str]] = {
    "unit_code": ("HB00001A", UNIT),
    "employees": ("26", COUNT),
    "reference": ("UNC-2026-0001", gettext_lazy("số chứng từ; không trùng trong tệp")),
}
BY_KIND: dict[str, dict[str, tuple[str, Promise | str]]] = {
    "employers": {
        "tax_code": ("5428034063", gettext_lazy("mã số thuế: 10 chữ số, hoặc 10 chữ số-3 chữ số")),
        "name": ("Công ty TNHH Minh Phát", gettext_lazy("tên đơn vị")),
        "address": ("Số 1 Cù Chính Lan, phường Hòa Bình", gettext_lazy("địa chỉ")),
        "office": (
            "Lương Sơn",
            gettext_lazy(
                "BHXH cơ sở quản lý: mã hoặc tên, có dấu hay không dấu; để trống thì là BHXH "
                "cơ sở phục vụ xã/phường"
            ),
        ),
        "commune": ("Xã Lương Sơn", gettext_lazy("xã/phường: mã hoặc tên; có thể bỏ cột này")),
        "industrial_zone": ("KCN Lương Sơn", gettext_lazy("khu công nghiệp, để trống nếu không")),
        "ownership": ("non_state", _codes(Ownership)),
        "status": ("active", _codes(Status)),
        "email": ("ketoan@minhphat.vn", gettext_lazy("thư điện tử nhận thông báo")),
        "phone": ("0218 3841 234", gettext_lazy("điện thoại")),
        "legal_representative": ("Nguyễn Văn An", gettext_lazy("người đại diện theo pháp luật")),
        "payment_method": ("monthly", _codes(PaymentMethod)),
    },
    "communes": {
        "code": ("25153", gettext_lazy("mã xã/phường")),
        "name": ("Xã Lương Sơn", gettext_lazy("tên xã/phường")),
        "kind": ("xa", _codes(Commune.Kind)),
        "office": ("Lương Sơn", gettext_lazy("BHXH cơ sở phục vụ: mã hoặc tên; chưa có thì tạo")),
        "former_district": ("Lương Sơn", gettext_lazy("huyện cũ (trước 2025); có thể bỏ cột")),
        "former_province": ("Hòa Bình", gettext_lazy("tỉnh cũ (trước 2025); có thể bỏ cột")),
    },
    "contributions": {
        "period": ("11/2026", MONTH),
        "wage_fund": ("143.000.000", MONEY),
        "si": ("35.750.000", MONEY),
        "hi": ("6.435.000", MONEY),
        "ui": ("2.860.000", MONEY),
        "oaod": ("715.000", MONEY),
    },
    "payments": {
        "paid_on": ("05/12/2026", DAY),
        "amount": ("45.760.000", MONEY),
    },
    "referrals": {
        "agency": ("police", gettext_lazy("mã cơ quan phối hợp, hoặc loại (police, tax, …)")),
        "sent_on": ("06/03/2026", DAY),
        "reference": ("1/BHXH-QLT", gettext_lazy("số văn bản chuyển")),
        "purpose": ("inspect", _codes(ReferralPurpose)),
    },
    "persons": {
        "social_insurance_number": ("3412345678", gettext_lazy("mã số BHXH: đúng 10 chữ số")),
        "full_name": ("Bùi Thị Hương", gettext_lazy("họ và tên")),
        "date_of_birth": ("14/02/1990", DAY),
        "sex": ("female", _codes(Sex)),
        "from_period": ("01/2024", MONTH),
        "to_period": ("", gettext_lazy("tháng nghỉ việc (mm/yyyy); để trống khi đang làm")),
    },
    "coverage": {
        "area": ("province", gettext_lazy("province (toàn tỉnh), hoặc mã/tên BHXH cơ sở, xã")),
        "year": ("2026", gettext_lazy("năm")),
        "quarter": ("", gettext_lazy("quý 1-4; để trống cho số cả năm")),
        **dict.fromkeys(
            (
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
            ),
            ("1000", gettext_lazy("số người (số nguyên không âm)")),
        ),
    },
}
# A column not described here yet: the upload page lists every kind's columns.
UNDESCRIBED = ("", gettext_lazy("xem mục các cột trên trang Nhập dữ liệu"))


def note(kind: str, column: str) -> tuple[str, str]:
    """(example, what the column holds) for a column of ``kind``'s files."""
    example, text = BY_KIND.get(kind, {}).get(column) or SHARED.get(column) or UNDESCRIBED
    return example, str(text)


def template_xlsx(kind: str) -> bytes:
    """The template of ``kind``: header and example row, then the notes sheet."""
    import openpyxl  # only the template download pays for importing it
    from openpyxl.styles import Font

    layout = COLUMNS[kind]
    columns = layout.current
    book = openpyxl.Workbook()
    data = book.active
    data.title = _("Dữ liệu")
    data.append(list(columns))
    # The examples as text, as an office types them (05/12/2026, 1.000.000, 0218 …).
    data.append([note(kind, column)[0] for column in columns])
    for cell in data[1]:
        cell.font = Font(bold=True)
    notes = book.create_sheet(_("Ghi chú"))
    notes.append([_("Cột"), _("Bắt buộc"), _("Ý nghĩa và cách ghi"), _("Ví dụ")])
    for cell in notes[1]:
        cell.font = Font(bold=True)
    for column in columns:
        example, text = note(kind, column)
        required = _("có") if column in layout.required else _("không")
        notes.append([column, required, text, example])
    notes.append([])
    notes.append(
        [
            _(
                "Dòng đầu là dòng tiêu đề; các cột theo thứ tự bất kỳ. Xóa dòng ví dụ trước khi "
                "nhập. Một dòng sai thì cả tệp bị từ chối, không ghi gì."
            )
        ]
    )
    notes.column_dimensions["A"].width = 24
    notes.column_dimensions["C"].width = 80
    notes.column_dimensions["D"].width = 24
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
