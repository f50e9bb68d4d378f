"""The demo's offices, communes, organisations and logins in the database (demo.offices): made
or brought up to date on every load, an office from before kept, each office's head."""

from __future__ import annotations

import pytest

from accounts.models import Agency, User
from demo import offices as demo_offices
from demo import places
from participants.models import Commune, Office
from tests.factories import EmployerFactory, OfficeFactory

pytestmark = pytest.mark.django_db


def _load() -> tuple[dict[str, Office], dict[str, Commune], dict[str, Agency]]:
    offices = demo_offices.load_offices()
    communes = demo_offices.load_communes(offices)
    return offices, communes, demo_offices.load_organisations(communes)


def test_an_office_from_before_is_kept_and_the_map_is_made_once() -> None:
    # A district migrated to an office of the same name, with its employers.
    before = OfficeFactory(name="Lương Sơn", code="LUONG_SON_2")
    employer = EmployerFactory(office=before)
    offices, communes, organisations = _load()
    assert offices["LUONG_SON"].pk == before.pk
    before.refresh_from_db()
    assert (before.code, before.kind, before.address) == (
        "LUONG_SON",
        "grassroots",
        "Tiểu khu 12, xã Lương Sơn, tỉnh Phú Thọ",
    )
    employer.refresh_from_db()
    assert employer.office == before
    assert offices["TINH"] == Office.objects.get(kind="province")
    assert offices["TINH"].name == "Bảo hiểm xã hội tỉnh Phú Thọ"

    counts = (Office.objects.count(), Commune.objects.count(), Agency.objects.count())
    assert counts == (
        len(places.OFFICES) + 1,
        len(places.COMMUNES),
        len(Agency.Kind.values) + 2 * len(demo_offices.PARTNER_COMMUNES) + 1,
    )
    _load()  # again: nothing new
    assert (Office.objects.count(), Commune.objects.count(), Agency.objects.count()) == counts
    station = organisations["police_viet_tri"]
    assert (station.kind, station.name) == ("police", "Công an phường Việt Trì")
    assert list(station.communes.all()) == [communes["P_VIET_TRI"]]


def test_users_with_their_offices_communes_and_heads() -> None:
    offices, communes, organisations = _load()
    users = demo_offices.load_users(offices, communes, organisations)
    assert set(users) == set(demo_offices.USERNAMES)
    assert offices["TINH"].pk == Office.objects.get(head=users["manager"]).pk
    heads = {o.code: o.head.username for o in Office.objects.select_related("head")}
    assert heads["LUONG_SON"] == "head" and heads["VIET_TRI"] == "head_viet_tri"
    assert users["police_xa"].agency == organisations["police_viet_tri"]
    narrowed = {c.code for c in users["officer_binh_xuyen"].communes.all()}
    assert narrowed == {"X_BINH_XUYEN", "X_BINH_NGUYEN", "X_XUAN_LANG", "X_BINH_TUYEN"}

    demo_offices.wipe_users()
    assert not User.objects.filter(username__in=demo_offices.USERNAMES).exists()
    assert not Office.objects.filter(head__isnull=False).exists()  # the heads went with them


def test_logins_name_role_and_office() -> None:
    _load()
    lines = demo_offices.logins()
    assert len(lines) == len(demo_offices.USERS)
    by_user = {line.split()[0]: line for line in lines}
    assert by_user["head"].endswith("– Lãnh đạo BHXH cơ sở (BHXH cơ sở Lương Sơn)")
    assert by_user["officer_tinh"].endswith("(Bảo hiểm xã hội tỉnh Phú Thọ)")
    assert by_user["police_xa"].endswith("(Công an phường Việt Trì)")
    assert "BHXH cơ sở Lương Sơn, BHXH cơ sở Hòa Bình" in by_user["officer"]
