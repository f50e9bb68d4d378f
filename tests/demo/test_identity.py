"""Who the demo's employers are (demo.identity, no database): tax codes with their check digit,
names and addresses of the place, the former province's prefixes."""

from __future__ import annotations

import random

from demo import places
from demo.identity import Identities, short_district, tax_check_digit


def test_tax_check_digit_matches_real_codes() -> None:
    assert tax_check_digit("030058856") == 9  # 0300588569
    assert tax_check_digit("010010910") == 6  # 0100109106
    assert tax_check_digit("000000000") is None  # weighted sum 0 mod 11: no valid code


def test_tax_codes_carry_the_former_province_and_are_never_given_twice() -> None:
    identities = Identities(random.Random(1))
    codes = [identities.tax_code(prefix) for prefix in ("HB", "VP", "PT") * 200]
    assert len(set(codes)) == len(codes)
    assert {code[:2] for code in codes} == {"54", "25", "26"}
    assert all(tax_check_digit(code[:9]) == int(code[9]) for code in codes)
    branch = identities.branch_tax_code(codes[0])
    assert branch == f"{codes[0]}-001" and identities.branch_tax_code(codes[0]) == f"{codes[0]}-002"


def test_addresses_name_the_commune_and_the_province() -> None:
    identities = Identities(random.Random(2))
    communes = {c.code: c for c in places.COMMUNES}
    viet_tri, cao_son = communes["P_VIET_TRI"], communes["X_CAO_SON"]
    ward = identities.address(viet_tri, "")
    assert ward.startswith("Số ") and ", đường " in ward
    assert ward.endswith(", phường Việt Trì, tỉnh Phú Thọ")
    village = identities.address(cao_son, "")
    assert village.startswith("Xóm ") and village.endswith(", xã Cao Sơn, tỉnh Phú Thọ")
    zone = identities.address(communes["X_LUONG_SON"], "KCN Lương Sơn")
    assert zone.startswith("Lô CN-") and zone.endswith(
        ", KCN Lương Sơn, xã Lương Sơn, tỉnh Phú Thọ"
    )


def test_names_of_the_place_say_commune_or_area_never_district() -> None:
    identities = Identities(random.Random(3))
    commune = next(c for c in places.COMMUNES if c.code == "X_TAN_LAC")
    names = [
        identities.name(ownership, commune)[0] for ownership in ("public_agency", "other") * 60
    ]
    assert any(name == "Ủy ban nhân dân xã Tân Lạc" for name in names)
    assert any(name.endswith(" khu vực Tân Lạc") for name in names)
    assert not any("huyện" in name for name in names)
    assert short_district("Thành phố Việt Trì") == "Việt Trì"
    assert short_district("Thị xã Phú Thọ") == "Phú Thọ"
    assert short_district("Tam Nông") == "Tam Nông"
