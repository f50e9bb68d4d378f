"""The demo province's map (demo.places, plain data): offices, communes, zones and prefixes,
consistent with each other and with the participants' own rules."""

from __future__ import annotations

from collections import Counter

from demo import places
from participants.models import FORMER_PROVINCES, Commune, office_code


def test_prefixes_and_codes_are_the_participants_own() -> None:
    assert places.FORMER_PROVINCES == FORMER_PROVINCES
    # Grassroots codes as an import creating the office from its name would make them; the
    # provincial office's is the migration's.
    assert all(office.code == office_code(office.name) for office in places.OFFICES)
    assert places.PROVINCE_OFFICE.code == "TINH"
    for table in (places.TAX_PREFIXES, places.AREA_CODES, places.SI_NUMBER_PREFIXES):
        assert set(table) == set(FORMER_PROVINCES)


def test_offices_serve_communes_of_one_former_province() -> None:
    assert 9 <= len(places.OFFICES) + 1 <= 12
    assert sum(office.share for office in places.OFFICES) == 100
    assert {office.prefix for office in places.OFFICES} == {"HB", "VP", "PT"}
    assert all(
        office.address.endswith("tỉnh Phú Thọ") and office.phone for office in places.OFFICES
    )
    served = Counter(commune.office for commune in places.COMMUNES)
    assert set(served) == {office.code for office in places.OFFICES}
    assert min(served.values()) >= 5
    prefix = {office.code: office.prefix for office in places.OFFICES}
    assert all(commune.prefix == prefix[commune.office] for commune in places.COMMUNES)


def test_communes_are_unique_and_fit_the_model() -> None:
    communes = places.COMMUNES
    assert 50 <= len(communes) <= 80
    assert len({c.code for c in communes}) == len({c.name for c in communes}) == len(communes)
    code_length = Commune._meta.get_field("code").max_length
    assert all(len(c.code) <= code_length for c in communes)
    assert {c.kind for c in communes} == {"xa", "phuong"}
    # Wards are in the former cities and town, whose streets their addresses name.
    assert {c.former_district for c in communes if c.kind == "phuong"} == set(places.STREETS)
    by_code = {c.code: c for c in communes}
    assert places.commune_label(by_code["P_VIET_TRI"]) == "phường Việt Trì"
    assert places.commune_label(by_code["X_LUONG_SON"]) == "xã Lương Sơn"


def test_industrial_zones_lie_in_communes() -> None:
    codes = {c.code for c in places.COMMUNES}
    assert set(places.INDUSTRIAL_ZONES.values()) <= codes
    prefixes = {next(c.prefix for c in places.COMMUNES if c.code == code)
                for code in places.INDUSTRIAL_ZONES.values()}  # fmt: skip
    assert prefixes == {"HB", "VP", "PT"}
