"""The communes import: offices by code or name (a new one created), the same file twice, a
correction, every bad row, managers only, and the command."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from desk.statements.results import StatementRefused
from participants.imports.communes import LAYOUT, import_communes
from participants.models import Commune, Office
from tests.statements import statement

pytestmark = pytest.mark.django_db

HEADER = ",".join(LAYOUT.columns)
LINES = [
    "04378,Lâm Sơn,xa,LUONG_SON,Lương Sơn,Hòa Bình",  # the office by its code
    "04930,Kỳ Sơn,Phường,luong son,Kỳ Sơn,Hòa Bình",  # kind written out; name without diacritics
    "09001,Vĩnh Yên,phuong,BHXH Vĩnh Yên,Vĩnh Yên,Vĩnh Phúc",  # a new office
    "09002,Tam Dương,xa,bhxh vinh yen,Tam Dương,Vĩnh Phúc",  # the same new office
]


def communes() -> list[tuple[str, str, str, str, str, str]]:
    return [
        (c.code, c.name, c.kind, c.office.name, c.former_district, c.former_province)
        for c in Commune.objects.select_related("office").order_by("code")
    ]


def test_good_file_creates_communes_and_offices(office_a) -> None:  # type: ignore[no-untyped-def]
    result = import_communes(statement(HEADER, *LINES))
    assert (result.created, result.updated, result.unchanged, result.new_offices) == (4, 0, 0, 1)
    assert communes() == [
        ("04378", "Lâm Sơn", "xa", "Lương Sơn", "Lương Sơn", "Hòa Bình"),
        ("04930", "Kỳ Sơn", "phuong", "Lương Sơn", "Kỳ Sơn", "Hòa Bình"),
        ("09001", "Vĩnh Yên", "phuong", "BHXH Vĩnh Yên", "Vĩnh Yên", "Vĩnh Phúc"),
        ("09002", "Tam Dương", "xa", "BHXH Vĩnh Yên", "Tam Dương", "Vĩnh Phúc"),
    ]
    new = Office.objects.get(name="BHXH Vĩnh Yên")
    assert (new.code, new.kind) == ("BHXH_VINH_YEN", Office.Kind.GRASSROOTS)


def test_same_file_twice_changes_nothing_and_a_correction_updates(office_a) -> None:  # type: ignore[no-untyped-def]
    import_communes(statement(HEADER, *LINES))
    again = import_communes(statement(HEADER, *LINES))
    assert (again.created, again.updated, again.unchanged, again.new_offices) == (0, 0, 4, 0)
    # Kỳ Sơn moves to Vĩnh Yên's office; a file without the history columns keeps them.
    corrected = import_communes(
        statement("code,name,kind,office", "04930,Kỳ Sơn,phuong,BHXH_VINH_YEN", "04999,Mới,xa,TINH")
    )
    assert (corrected.created, corrected.updated, corrected.unchanged) == (1, 1, 0)
    moved = Commune.objects.get(code="04930")
    assert (moved.office.name, moved.former_district) == ("BHXH Vĩnh Yên", "Kỳ Sơn")
    assert Commune.objects.get(code="04999").former_district == ""


def test_every_bad_row_is_reported_and_nothing_is_written(office_a) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(StatementRefused) as caught:
        import_communes(
            statement(
                HEADER,
                "04378,Lâm Sơn,xa,LUONG_SON,,",
                "04378,Lâm Sơn,xa,LUONG_SON,,",
                ",Không Mã,xa,LUONG_SON,,",
                "04930,,huyen,,,",
                "04931,Hòa Sơn,xa," + "X" * 101 + ",,",
            )
        )
    assert [(e.line, e.column, e.message) for e in caught.value.errors] == [
        (3, "code", "Mã xã/phường «04378» trùng với dòng 2."),
        (4, "code", "Thiếu mã xã/phường."),
        (5, "name", "Thiếu tên xã/phường."),
        (5, "kind", "Loại «huyen» không hợp lệ; chỉ nhận: xa, phuong, dac_khu."),
        (5, "office", "Thiếu BHXH cơ sở."),
        (6, "office", "BHXH cơ sở dài quá 100 ký tự."),
    ]
    assert not Commune.objects.exists()
    assert not Office.objects.filter(name__startswith="X").exists()


def test_only_managers_import_communes(officer_a, manager) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(StatementRefused) as caught:
        import_communes(statement(HEADER, *LINES), user=officer_a)
    assert caught.value.lines() == ["Chỉ lãnh đạo được nhập danh mục xã/phường."]
    assert import_communes(statement(HEADER, *LINES), user=manager).created == 4


def test_command(office_a, tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "communes.csv"
    path.write_bytes(statement(HEADER, *LINES[:2]).getvalue())
    call_command("import_communes", str(path))
    assert "2 dòng: 2 thêm mới" in capsys.readouterr().out
    assert Commune.objects.count() == 2
