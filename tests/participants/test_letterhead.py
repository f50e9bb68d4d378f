"""participants.letterhead: who a document comes from, as its top-left block names it."""

from __future__ import annotations

import pytest

from participants.letterhead import letterhead, office_title, provincial_office_name
from participants.models import Office
from tests.factories import OfficeFactory

pytestmark = pytest.mark.django_db


def test_the_provincial_office_is_the_root_office_else_the_settings(settings) -> None:  # type: ignore[no-untyped-def]
    settings.OFFICE_NAME = "Bảo hiểm xã hội tỉnh Phú Thọ"
    province = Office.objects.get(kind=Office.Kind.PROVINCE)
    assert provincial_office_name() == province.name == "Bảo hiểm xã hội tỉnh Phú Thọ"
    province.delete()
    assert provincial_office_name() == "Bảo hiểm xã hội tỉnh Phú Thọ"


def test_grassroots_offices_write_under_the_province() -> None:
    luong_son = OfficeFactory(name="Lương Sơn")
    head = letterhead(luong_son)
    assert (head.superior, head.issuer) == ("Bảo hiểm xã hội tỉnh Phú Thọ", "BHXH cơ sở Lương Sơn")
    assert (head.superior_line, head.issuer_line) == (
        "BẢO HIỂM XÃ HỘI TỈNH PHÚ THỌ",
        "BHXH CƠ SỞ LƯƠNG SƠN",
    )
    # A name that already says what the office is stays as it is.
    area = OfficeFactory(name="Bảo hiểm xã hội cơ sở khu vực Mai Châu")
    assert office_title(area) == "Bảo hiểm xã hội cơ sở khu vực Mai Châu"
    assert office_title(OfficeFactory(name="BHXH khu vực Kim Bôi")) == "BHXH khu vực Kim Bôi"


def test_the_provincial_office_writes_under_vietnam_social_security() -> None:
    province = Office.objects.get(kind=Office.Kind.PROVINCE)
    for head in (letterhead(province), letterhead(None), letterhead()):
        assert (head.superior_line, head.issuer_line) == (
            "BẢO HIỂM XÃ HỘI VIỆT NAM",
            "BẢO HIỂM XÃ HỘI TỈNH PHÚ THỌ",
        )
    assert office_title(province) == office_title(None) == province.name
