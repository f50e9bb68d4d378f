"""The coverage import: the same file twice, a correction, every bad row, managers only, and the
command."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from desk.statements.results import StatementRefused
from participants.imports.coverage import LAYOUT, import_coverage
from participants.models import Commune, CoverageFigure, Office
from tests.statements import COVERAGE_SAMPLE as SAMPLE
from tests.statements import statement

HEADER = ",".join(LAYOUT.columns)


def test_same_file_twice_changes_nothing_and_a_correction_updates(coverage_sample) -> None:  # type: ignore[no-untyped-def]
    again = import_coverage(SAMPLE)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 6)
    corrected = import_coverage(
        statement(
            HEADER,
            "TÂN LẠC,2024,,4400,4102,3655,80714,4400,4300,3700,82000,42315,86930",
            "Tân Lạc,2023,,4000,3900,3500,80000,,,,,42000,86500",
        )
    )
    assert (corrected.created, corrected.updated, corrected.unchanged) == (1, 1, 0)
    figure = CoverageFigure.objects.get(office__name="Tân Lạc", year=2024, quarter=None)
    assert figure.compulsory_si == 4_400
    earlier = CoverageFigure.objects.get(office__name="Tân Lạc", year=2023)
    assert (earlier.plan_hi, earlier.population) == (None, 86_500)


def test_every_bad_row_is_reported_and_nothing_is_written(office_a) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(StatementRefused) as caught:
        import_coverage(
            statement(
                HEADER,
                "province,2024,,73807,38681,66037,842104,73807,41000,67500,850000,421303,905488",
                "Province,2024,,1,1,1,1,,,,,1,1",
                "Mường Khến,2024,,1,1,1,1,,,,,1,1",
                "lương sơn,24,5,1,1,1,1,,,,,1,1",
                "Lương Sơn,2024,,1.5,,1,1,x,,,,0,1",
            )
        )
    assert [(e.line, e.column, e.message) for e in caught.value.errors] == [
        (3, "area", "Số liệu của «Province» cho kỳ này đã có ở dòng 2 của tệp."),
        (
            4,
            "area",
            "Địa bàn «Mường Khến» không phải «province», một BHXH cơ sở hay một xã/phường đã "
            "có (mã hoặc tên).",
        ),
        (5, "year", "Năm «24» không hợp lệ: cần 4 chữ số, từ 1995 đến 2099."),
        (5, "quarter", "Quý «5» không hợp lệ: 1, 2, 3, 4 hoặc để trống (cả năm)."),
        (
            6,
            "compulsory_si",
            "Số người tham gia bảo hiểm xã hội bắt buộc «1.5» phải là số nguyên không âm, "
            "chỉ gồm chữ số.",
        ),
        (6, "voluntary_si", "Thiếu số người tham gia bảo hiểm xã hội tự nguyện."),
        (
            6,
            "labour_force",
            "Lực lượng lao động trong độ tuổi phải lớn hơn 0 (là mẫu số của tỷ lệ bao phủ).",
        ),
        (
            6,
            "plan_compulsory_si",
            "Kế hoạch bảo hiểm xã hội bắt buộc «x» phải là số nguyên không âm, tối đa 9 chữ số.",
        ),
    ]
    assert not CoverageFigure.objects.exists()


def test_only_managers_import_coverage(office_a, officer_a, manager) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(StatementRefused, match="Chỉ lãnh đạo"):
        import_coverage(SAMPLE, user=officer_a)
    with pytest.raises(StatementRefused, match="Tân Lạc"):  # not a office yet
        import_coverage(SAMPLE, user=manager)


def test_command(office_a, office_b, capsys) -> None:  # type: ignore[no-untyped-def]
    call_command("import_coverage", str(SAMPLE))
    assert "6 dòng: 6 thêm mới" in capsys.readouterr().out


FIGURES = "2024,,100,50,90,900,,,,,400,1000"


def test_figures_by_office_or_commune_by_code_or_name(office_a, office_b, officer_b) -> None:  # type: ignore[no-untyped-def]
    # A commune named as an office is: the office keeps the name, the commune its code and
    # its kind and name.
    luong_son = Commune.objects.create(code="04375", name="Lương Sơn", kind="xa", office=office_a)
    khen = Commune.objects.create(code="04981", name="Mường Khến", kind="xa", office=office_b)
    province = Office.objects.get(kind=Office.Kind.PROVINCE)
    result = import_coverage(
        statement(
            HEADER,
            f"luong son,{FIGURES}",  # the office, without diacritics
            f"TAN_LAC,{FIGURES}",  # the office by code
            f"04375,{FIGURES}",  # the commune by code
            f"muong khen,{FIGURES}",  # the commune by name
            f"{province.code},{FIGURES}",  # the provincial office's: the province's
        )
    )
    assert result.created == 5
    areas = {(f.office, f.commune) for f in CoverageFigure.objects.all()}
    assert areas == {
        (office_a, None),
        (office_b, None),
        (None, luong_son),
        (None, khen),
        (None, None),
    }
    assert str(CoverageFigure.objects.get(commune=khen)) == "Xã Mường Khến 2024"
    # Officers see their offices' communes and the province.
    seen = {(f.office_id, f.commune_id) for f in CoverageFigure.objects.in_scope(officer_b)}
    assert seen == {(office_b.pk, None), (None, khen.pk), (None, None)}
    again = import_coverage(statement(HEADER, f"Xã Lương Sơn,{FIGURES}", f"Muờng Khến,{FIGURES}"))
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)


def test_the_same_commune_twice_under_two_spellings_is_a_repeat(office_a) -> None:  # type: ignore[no-untyped-def]
    Commune.objects.create(code="04378", name="Lâm Sơn", kind="xa", office=office_a)
    Commune.objects.create(code="09001", name="Hòa Sơn", kind="xa", office=office_a)
    Commune.objects.create(code="09002", name="Hòa Sơn", kind="phuong", office=office_a)
    with pytest.raises(StatementRefused) as caught:
        import_coverage(
            statement(
                HEADER,
                f"04378,{FIGURES}",
                f"xa lam son,{FIGURES}",
                f"Hòa Sơn,{FIGURES}",
            )
        )
    assert [(e.line, e.column, e.message) for e in caught.value.errors] == [
        (3, "area", "Số liệu của «xa lam son» cho kỳ này đã có ở dòng 2 của tệp."),
        (4, "area", "Có nhiều địa bàn tên «Hòa Sơn»; hãy ghi mã."),
    ]
    assert not CoverageFigure.objects.exists()
