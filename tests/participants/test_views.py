"""The offices pages (participants.views): the provincial office and the grassroots offices
with their communes, for each role; employer counts are of the employers the user sees."""

from __future__ import annotations

import pytest
from django.urls import reverse

from accounts.models import User
from participants.models import Commune, Office
from tests.factories import EmployerFactory, UserFactory

pytestmark = pytest.mark.django_db

LIST = reverse("office_list")


@pytest.fixture
def map_(office_a, office_b, employer_a, employer_b):  # type: ignore[no-untyped-def]
    """office_a serves Lâm Sơn and Cư Yên and has a head and an address; employer_a and a
    second employer of office_a are in Lâm Sơn; the province manages one more."""
    office_a.head = UserFactory(
        username="head_a",
        first_name="Bùi Thị",
        last_name="Hà",
        role=User.Role.OFFICE_HEAD,
        offices=[office_a],
    )
    office_a.address = "Tiểu khu 3, xã Lương Sơn"
    office_a.phone = "0218 3825 111"
    office_a.save()
    lam_son, cu_yen = (
        Commune.objects.create(
            code=code,
            name=name,
            kind=Commune.Kind.COMMUNE,
            office=office_a,
            former_district="Lương Sơn",
            former_province="Hòa Bình",
        )
        for code, name in (("04891", "Lâm Sơn"), ("04903", "Cư Yên"))
    )
    employer_a.commune = lam_son
    employer_a.save()
    EmployerFactory(office=office_a, commune=lam_son)
    EmployerFactory(office=Office.objects.get(kind=Office.Kind.PROVINCE), commune=lam_son)
    return {"Lâm Sơn": lam_son, "Cư Yên": cu_yen}


def _rows(client) -> dict[str, tuple[str, int, int]]:  # type: ignore[no-untyped-def]
    return {
        o.code: (o.get_kind_display(), o.commune_count, o.employer_count)
        for o in client.get(LIST).context["offices"]
    }


def test_the_list_for_a_manager(map_, office_a, client_as, manager) -> None:  # type: ignore[no-untyped-def]
    client = client_as(manager)
    assert _rows(client) == {
        "TINH": ("BHXH tỉnh", 0, 1),
        "LUONG_SON": ("BHXH cơ sở", 2, 2),
        "TAN_LAC": ("BHXH cơ sở", 0, 1),
    }
    assert [o.code for o in client.get(LIST).context["offices"]] == [
        "TINH",
        "LUONG_SON",
        "TAN_LAC",
    ]
    html = client.get(LIST).content.decode()
    assert "Bùi Thị Hà" in html and "Tiểu khu 3, xã Lương Sơn" in html and "0218 3825 111" in html
    assert f'href="{reverse("office_detail", args=["LUONG_SON"])}"' in html
    assert f'href="/don-vi/?office={office_a.pk}"' in html


def test_officers_see_every_office_but_count_their_own_employers(
    map_, client_as, officer_a, officer_b
) -> None:  # type: ignore[no-untyped-def]
    assert _rows(client_as(officer_a)) == {
        "TINH": ("BHXH tỉnh", 0, 0),
        "LUONG_SON": ("BHXH cơ sở", 2, 2),
        "TAN_LAC": ("BHXH cơ sở", 0, 0),
    }
    assert _rows(client_as(officer_b))["LUONG_SON"] == ("BHXH cơ sở", 2, 0)
    head = map_["Lâm Sơn"].office.head
    assert _rows(client_as(head))["LUONG_SON"] == ("BHXH cơ sở", 2, 2)


def test_an_office_and_its_communes(map_, client_as, manager, officer_b) -> None:  # type: ignore[no-untyped-def]
    url = reverse("office_detail", args=["LUONG_SON"])
    response = client_as(manager).get(url)
    assert response.context["managed"] == 2
    communes = [(c.name, c.employer_count) for c in response.context["communes"]]
    assert communes == [("Cư Yên", 0), ("Lâm Sơn", 3)]  # one managed by the province
    html = response.content.decode()
    assert "Xã Lâm Sơn" in html and "<td>04891</td>" in html and "<td>Hòa Bình</td>" in html
    assert f'href="/don-vi/?commune={map_["Lâm Sơn"].pk}"' in html
    # Another office's officer reads the same communes, none of the employers.
    response = client_as(officer_b).get(url)
    assert response.context["managed"] == 0
    assert [c.employer_count for c in response.context["communes"]] == [0, 0]
    assert client_as(manager).get(reverse("office_detail", args=["NOPE"])).status_code == 404


def test_liaisons_and_anonymous_are_kept_out(map_, client_as, client, police) -> None:  # type: ignore[no-untyped-def]
    url = reverse("office_detail", args=["LUONG_SON"])
    assert client.get(LIST).url.startswith("/dang-nhap/")
    assert client.get(url).url.startswith("/dang-nhap/")
    liaison = client_as(police)
    assert liaison.get(LIST).status_code == 404
    assert liaison.get(url).status_code == 404
    assert LIST not in liaison.get(reverse("home")).content.decode()  # nor in the navigation


def test_navigation_links_the_offices_for_staff(db, client_as, officer_a) -> None:  # type: ignore[no-untyped-def]
    html = client_as(officer_a).get(reverse("employer_list")).content.decode()
    assert f'href="{LIST}"' in html
