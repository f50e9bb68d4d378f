"""The employer statement import: good files, re-imports, bad values, offices and communes by
code or name, older files with districts, scope, history."""

import csv
import io

import pytest
from django.apps import apps

from desk.statements.results import StatementRefused
from participants.imports.employers import LAYOUT, import_employers
from participants.models import Commune, Employer, Office
from tests.factories import EmployerFactory, OfficeFactory, UserFactory
from tests.samples import SAMPLES
from tests.statements import statement, xlsx

pytestmark = pytest.mark.django_db

EmployerEvent = apps.get_model("participants", "EmployerEvent")
# The current format without its optional ``commune``: offices by name.
COLUMNS = tuple(c for c in LAYOUT.current if c != "commune")
HEADER = ",".join(COLUMNS)
WITH_COMMUNE = LAYOUT.current
# Files of before the 2025 reform: a district where the office is.
WITH_DISTRICT = tuple("district" if c == "office" else c for c in COLUMNS)


def employer_line(
    unit_code: str = "HB00001",
    office: str = "Lương Sơn",
    *,
    columns: tuple[str, ...] = COLUMNS,
    **values: str,
) -> str:
    row = {
        "unit_code": unit_code,
        "tax_code": "5400000001",
        "name": "Công ty TNHH Minh Phát",
        "address": "Số 1, Cù Chính Lan",
        "office": office,
        "commune": "",
        "district": "",
        "industrial_zone": "",
        "ownership": "non_state",
        "status": "active",
        "employees": "12",
        "email": "ketoan@minhphat.vn",
        "phone": "0218 3850 123",
        "legal_representative": "Nguyễn Văn A",
        "payment_method": "monthly",
        **values,
    }
    out = io.StringIO()
    csv.writer(out, lineterminator="").writerow(row[c] for c in columns)
    return out.getvalue()


def commune_line(unit_code: str, office: str, commune: str, **values: str) -> str:
    return employer_line(unit_code, office, columns=WITH_COMMUNE, commune=commune, **values)


def district_line(unit_code: str, district: str, **values: str) -> str:
    return employer_line(unit_code, "", columns=WITH_DISTRICT, district=district, **values)


@pytest.fixture
def communes(office_a, office_b) -> dict[str, Commune]:  # type: ignore[no-untyped-def]
    """Lâm Sơn and Kỳ Sơn served by Lương Sơn (office_a, code LUONG_SON), Mường Khến by Tân Lạc
    (office_b, TAN_LAC); Kỳ Sơn was a district of its own."""
    rows = [
        ("04378", "Lâm Sơn", "xa", office_a, "Lương Sơn"),
        ("04930", "Kỳ Sơn", "phuong", office_a, "Kỳ Sơn"),
        ("04981", "Mường Khến", "xa", office_b, "Tân Lạc"),
    ]
    return {
        name: Commune.objects.create(
            code=code,
            name=name,
            kind=kind,
            office=office,
            former_district=district,
            former_province="Hòa Bình",
        )
        for code, name, kind, office, district in rows
    }


def refused(file: io.BytesIO, **kwargs: object) -> StatementRefused:
    with pytest.raises(StatementRefused) as caught:
        import_employers(file, **kwargs)  # type: ignore[arg-type]
    return caught.value


def reasons(refusal: StatementRefused) -> list[tuple[int | None, str, str]]:
    return [(e.line, e.column, e.message) for e in refusal.errors]


def test_office_and_commune_by_code_by_name_and_without_diacritics(communes, office_a, office_b):  # type: ignore[no-untyped-def]
    province = Office.objects.get(kind=Office.Kind.PROVINCE)
    result = import_employers(
        statement(
            ",".join(WITH_COMMUNE),
            commune_line("HB00001", "LUONG_SON", "04378"),  # codes
            commune_line("HB00002", "Tân Lạc", "Mường Khến"),  # names
            commune_line("HB00003", "tan lac", "xa lam son"),  # no diacritics; kind and name
            commune_line("HB00004", "", "PHUONG KY SON"),  # the office serving the commune
            commune_line("HB00005", province.code, "Muong Khen"),  # the provincial office
            commune_line("HB00006", "Lương Sơn", ""),  # no commune
        )
    )
    assert (result.created, result.new_offices) == (6, 0)
    assert [(e.unit_code, e.office, e.commune) for e in Employer.objects.order_by("unit_code")] == [
        ("HB00001", office_a, communes["Lâm Sơn"]),
        ("HB00002", office_b, communes["Mường Khến"]),
        ("HB00003", office_b, communes["Lâm Sơn"]),  # an office of its own, not the commune's
        ("HB00004", office_a, communes["Kỳ Sơn"]),
        ("HB00005", province, communes["Mường Khến"]),
        ("HB00006", office_a, None),
    ]


def test_an_office_named_as_letters_print_it(communes, office_a, office_b):  # type: ignore[no-untyped-def]
    result = import_employers(
        statement(
            ",".join(WITH_COMMUNE),
            commune_line("HB00001", "BHXH cơ sở Lương Sơn", ""),
            commune_line("HB00002", "bhxh co so tan lac", ""),
        )
    )
    assert (result.created, result.new_offices) == (2, 0)
    assert [e.office for e in Employer.objects.order_by("unit_code")] == [office_a, office_b]


def test_unknown_office_or_commune_is_refused_naming_row_and_value(communes, office_b):  # type: ignore[no-untyped-def]
    # Two communes of one name: only a code tells them apart.
    Commune.objects.create(code="09001", name="Hòa Sơn", kind="xa", office=office_b)
    Commune.objects.create(code="09002", name="Hòa Sơn", kind="phuong", office=office_b)
    offices = Office.objects.count()
    refusal = refused(
        statement(
            ",".join(WITH_COMMUNE),
            commune_line("HB00001", "Lương Sơn", "Lâm Sơn"),
            commune_line("HB00002", "Mai Châu", "Lâm Sơn"),
            commune_line("HB00003", "Lương Sơn", "Xã Không Có"),
            commune_line("HB00004", "", ""),
            commune_line("HB00005", "Tân Lạc", "Hoa Son"),
            commune_line("HB00006", "Tân Lạc", "Xã Hòa Sơn"),
        )
    )
    assert reasons(refusal) == [
        (3, "office", "BHXH cơ sở «Mai Châu» không có trong danh mục."),
        (4, "commune", "Xã/phường «Xã Không Có» không có trong danh mục."),
        (5, "office", "Thiếu BHXH cơ sở."),
        (6, "commune", "Có nhiều xã/phường tên «Hoa Son»; hãy ghi mã xã/phường."),
    ]
    assert not Employer.objects.exists()
    assert Office.objects.count() == offices


def test_older_file_maps_former_districts_and_creates_unknown_ones(communes, office_a, office_b):  # type: ignore[no-untyped-def]
    OfficeFactory(name="Văn phòng Đà Bắc", code="DA_BAC")  # holds the code "Đà Bắc" would take
    result = import_employers(
        statement(
            ",".join(WITH_DISTRICT),
            district_line("HB00001", "Kỳ Sơn"),  # a former district: its communes' office
            district_line("HB00002", "tan lac"),  # the office of that name
            district_line("HB00003", "Mai Châu"),  # not known: a new office
            district_line("HB00004", "mai chau"),  # the same one
            district_line("HB00005", "Đà Bắc"),
        )
    )
    assert (result.created, result.updated, result.unchanged, result.new_offices) == (5, 0, 0, 2)
    mai_chau = Office.objects.get(name="Mai Châu")
    da_bac = Office.objects.get(name="Đà Bắc")
    assert (mai_chau.code, mai_chau.kind) == ("MAI_CHAU", Office.Kind.GRASSROOTS)
    assert da_bac.code == "DA_BAC_2"
    assert [(e.unit_code, e.office, e.commune) for e in Employer.objects.order_by("unit_code")] == [
        ("HB00001", office_a, None),
        ("HB00002", office_b, None),
        ("HB00003", mai_chau, None),
        ("HB00004", mai_chau, None),
        ("HB00005", da_bac, None),
    ]


@pytest.mark.parametrize(
    ("header", "reason"),
    [
        (
            HEADER + ",district",
            "Cột district (mẫu cũ) thay cho cột office: tệp chỉ được có một trong hai cột.",
        ),
        (
            HEADER.replace("office,", ""),
            "Thiếu cột office (hoặc cột district của mẫu cũ).",
        ),
    ],
)
def test_office_and_district_both_or_neither_are_refused(header, reason, office_a):  # type: ignore[no-untyped-def]
    refusal = refused(statement(header, employer_line("HB00001")))
    assert reasons(refusal) == [(1, "", reason)]
    assert not Employer.objects.exists()


def test_office_and_commune_changes_are_kept_in_history(communes, office_a, office_b):  # type: ignore[no-untyped-def]
    header = ",".join(WITH_COMMUNE)
    import_employers(statement(header, commune_line("HB00001", "Lương Sơn", "Lâm Sơn")))
    events = EmployerEvent.objects.count()
    moved = import_employers(statement(header, commune_line("HB00001", "TAN_LAC", "04981")))
    assert (moved.created, moved.updated) == (0, 1)
    event = EmployerEvent.objects.order_by("pgh_id").last()
    assert EmployerEvent.objects.count() == events + 1
    assert (event.office_id, event.commune_id) == (office_b.pk, communes["Mường Khến"].pk)
    # A file without communes keeps the one recorded; the district's office is the same.
    again = import_employers(
        statement(",".join(WITH_DISTRICT), district_line("HB00001", "Tân Lạc"))
    )
    assert (again.updated, again.unchanged) == (0, 1)
    assert Employer.objects.get().commune == communes["Mường Khến"]


def test_the_sample_file_with_districts_imports(office_a):  # type: ignore[no-untyped-def]
    result = import_employers(SAMPLES / "employers.csv")
    assert result.created == 40
    assert Employer.objects.filter(office=office_a).exists()  # "Lương Sơn": the known office
    assert result.new_offices == len({e.office_id for e in Employer.objects.all()}) - 1


def test_same_file_twice_changes_nothing(office_a):  # type: ignore[no-untyped-def]
    lines = [HEADER, employer_line("HB00001"), employer_line("HB00002", tax_code="5400000002")]
    import_employers(statement(*lines))
    events = EmployerEvent.objects.count()
    again = import_employers(statement(*lines))
    assert (again.created, again.updated, again.unchanged, again.new_offices) == (0, 0, 2, 0)
    assert EmployerEvent.objects.count() == events  # no UPDATE reached the history trigger


def test_reimport_updates_by_unit_code_only_what_changed(office_a):  # type: ignore[no-untyped-def]
    import_employers(statement(HEADER, employer_line("HB00001"), employer_line("HB00002")))
    events = EmployerEvent.objects.count()
    result = import_employers(
        statement(
            HEADER,
            employer_line("HB00001", status="suspended", employees="9"),
            employer_line("HB00002"),
            employer_line("HB00003"),
        )
    )
    assert (result.created, result.updated, result.unchanged) == (1, 1, 1)
    updated = Employer.objects.get(unit_code="HB00001")
    assert (updated.status, updated.employees) == ("suspended", 9)
    assert EmployerEvent.objects.count() == events + 2  # one update, one insert


def test_xlsx_good_file(office_a):  # type: ignore[no-untyped-def]
    values = next(csv.reader([employer_line("HB00001")]))
    row: list[object] = list(values)
    row[COLUMNS.index("employees")] = 12  # numbers arrive as numbers
    row[COLUMNS.index("tax_code")] = 5400000001
    result = import_employers(xlsx([list(COLUMNS), row, [None] * len(row)]))
    assert result.created == 1
    employer = Employer.objects.get()
    assert (employer.tax_code, employer.employees) == ("5400000001", 12)


@pytest.mark.parametrize(
    ("values", "column", "reason"),
    [
        ({"tax_code": "123"}, "tax_code", "Mã số thuế «123» không hợp lệ"),
        ({"tax_code": "5400000001-12"}, "tax_code", "Mã số thuế «5400000001-12» không hợp lệ"),
        ({"ownership": "private"}, "ownership", "Loại hình «private» không hợp lệ"),
        ({"status": "closed"}, "status", "Trạng thái «closed» không hợp lệ"),
        ({"payment_method": "yearly"}, "payment_method", "Phương thức đóng «yearly» không hợp lệ"),
        ({"email": "ketoan@"}, "email", "Thư điện tử «ketoan@» không hợp lệ"),
        ({"name": ""}, "name", "Thiếu tên đơn vị"),
        ({"office": " "}, "office", "Thiếu BHXH cơ sở"),
        ({"employees": "12.5"}, "employees", "Số lao động «12.5» phải là số nguyên không âm"),
        ({"employees": "-3"}, "employees", "Số lao động không được âm"),
        ({"employees": "9999999999"}, "employees", "Số lao động «9999999999» quá lớn"),
        ({"unit_code": "X" * 21}, "unit_code", "Mã đơn vị dài quá 20 ký tự"),
    ],
)
def test_bad_value_refuses_the_whole_file(values, column, reason, office_a):  # type: ignore[no-untyped-def]
    EmployerFactory(office=office_a, unit_code="HB00009")
    offices = Office.objects.count()
    refusal = refused(
        statement(
            HEADER, employer_line("HB00001"), employer_line(**{"unit_code": "HB00002", **values})
        )
    )
    [(line, where, message)] = reasons(refusal)
    assert (line, where) == (3, column)
    assert message.startswith(reason), message
    assert list(Employer.objects.values_list("unit_code", flat=True)) == ["HB00009"]
    assert Office.objects.count() == offices


def test_every_bad_row_is_reported_with_its_row_number(office_a):  # type: ignore[no-untyped-def]
    refusal = refused(
        statement(
            HEADER,
            employer_line("HB00001", tax_code="1"),
            employer_line("HB00002"),
            employer_line("HB00001"),
            employer_line("HB00004", ownership="", employees="1,5"),
            employer_line("HB00005") + ",extra",
            employer_line("HB00006").rsplit(",", 2)[0],
        )
    )
    assert [(line, column) for line, column, _ in reasons(refusal)] == [
        (2, "tax_code"),
        (4, "unit_code"),
        (5, "ownership"),
        (5, "employees"),
        (6, ""),
        (7, ""),
    ]
    assert reasons(refusal)[1][2] == "Mã đơn vị «HB00001» trùng với dòng 2."
    assert "ngoài 13 cột" in reasons(refusal)[4][2]
    assert reasons(refusal)[5][2] == "Dòng chỉ có 11 ô, thiếu so với 13 cột của dòng tiêu đề."
    assert refusal.total == 6
    assert not Employer.objects.exists()


def test_officer_imports_only_rows_of_own_offices(officer_a, communes, office_b):  # type: ignore[no-untyped-def]
    EmployerFactory(office=office_b, unit_code="HB00009")
    refusal = refused(
        statement(
            ",".join(WITH_COMMUNE),
            commune_line("HB00001", "Lương Sơn", ""),
            commune_line("HB00002", "Tân Lạc", ""),
            commune_line("HB00003", "Huyện Mới", ""),
            commune_line("HB00009", "Lương Sơn", ""),  # would move another office's employer
            commune_line("HB00005", "", "Mường Khến"),  # served by Tân Lạc
            commune_line("HB00006", "Lương Sơn", "Mường Khến"),  # managed by their office
        ),
        user=officer_a,
    )
    assert reasons(refusal) == [
        (3, "office", "BHXH cơ sở «Tân Lạc» không thuộc địa bàn bạn phụ trách."),
        (4, "office", "BHXH cơ sở «Huyện Mới» không có trong danh mục."),
        (5, "unit_code", "Đơn vị «HB00009» thuộc BHXH cơ sở ngoài địa bàn bạn phụ trách."),
        (6, "commune", "Xã/phường «Mường Khến» thuộc BHXH cơ sở ngoài địa bàn bạn phụ trách."),
    ]
    assert Employer.objects.count() == 1
    # An older file: a district not known would become an office, which is nobody's yet.
    refusal = refused(
        statement(
            ",".join(WITH_DISTRICT),
            district_line("HB00001", "Lương Sơn"),
            district_line("HB00002", "Huyện Mới"),
        ),
        user=officer_a,
    )
    assert reasons(refusal) == [
        (3, "district", "BHXH cơ sở «Huyện Mới» không thuộc địa bàn bạn phụ trách."),
    ]
    result = import_employers(statement(HEADER, employer_line("HB00001")), user=officer_a)
    assert result.created == 1


def test_officer_given_some_communes_imports_only_those(officer_a, communes):  # type: ignore[no-untyped-def]
    officer_a.communes.set([communes["Lâm Sơn"]])
    refusal = refused(
        statement(
            ",".join(WITH_COMMUNE),
            commune_line("HB00001", "Lương Sơn", "Lâm Sơn"),
            commune_line("HB00002", "Lương Sơn", "Kỳ Sơn"),
            commune_line("HB00003", "Lương Sơn", ""),
        ),
        user=officer_a,
    )
    assert reasons(refusal) == [
        (3, "commune", "Xã/phường «Kỳ Sơn» không thuộc địa bàn bạn phụ trách."),
        (4, "commune", "Bạn chỉ phụ trách một số xã/phường: hãy ghi xã/phường của đơn vị."),
    ]


def test_office_head_imports_rows_of_own_office(office_a, office_b):  # type: ignore[no-untyped-def]
    head = UserFactory(username="head_a", role="office_head", offices=[office_a])
    refusal = refused(statement(HEADER, employer_line("HB00002", "Tân Lạc")), user=head)
    assert reasons(refusal) == [
        (2, "office", "BHXH cơ sở «Tân Lạc» không thuộc địa bàn bạn phụ trách."),
    ]
    assert import_employers(statement(HEADER, employer_line("HB00001")), user=head).created == 1


def test_manager_imports_any_office(manager, office_a, office_b):  # type: ignore[no-untyped-def]
    result = import_employers(
        statement(HEADER, employer_line("HB00001", "Tân Lạc"), employer_line("HB00002")),
        user=manager,
    )
    assert result.created == 2


def test_liaison_imports_nothing(police, office_a):  # type: ignore[no-untyped-def]
    refusal = refused(statement(HEADER, employer_line("HB00001")), user=police)
    assert [e.column for e in refusal.errors] == ["office"]


def test_history_records_who_imported(manager, office_a):  # type: ignore[no-untyped-def]
    import_employers(statement(HEADER, employer_line("HB00001")), user=manager)
    event = EmployerEvent.objects.get()
    assert event.pgh_context.metadata == {"statement": "employers", "user": manager.pk}
