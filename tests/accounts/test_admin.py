"""The admin of staff and partner organisations (accounts/admin.py): organisations by kind with
their area, users with their role, offices, communes and organisation."""

from __future__ import annotations

import pytest
from django.urls import reverse

from accounts.models import Agency, User
from tests.factories import CommuneFactory, UserFactory, agency

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):  # type: ignore[no-untyped-def]
    client.force_login(UserFactory(username="admin", is_superuser=True, is_staff=True))
    return client


def test_organisations_listed_by_kind_with_their_area(admin_client, office_a) -> None:  # type: ignore[no-untyped-def]
    station = Agency.objects.create(code="ca_ky_son", kind="police", name="Công an phường Kỳ Sơn")
    station.communes.add(CommuneFactory(name="Phường Kỳ Sơn", office=office_a))
    page = admin_client.get(reverse("admin:accounts_agency_changelist"), {"kind": "police"})
    assert page.status_code == 200
    rows = {
        agency.code: page.context["cl"].model_admin.area(agency)
        for agency in page.context["cl"].result_list
    }
    assert rows == {"police": "Toàn tỉnh", "ca_ky_son": "1 xã/phường"}
    form = admin_client.get(reverse("admin:accounts_agency_change", args=[station.pk]))
    assert list(form.context["adminform"].form.fields) == [
        "kind",
        "code",
        "name",
        "communes",
        "address",
        "email",
    ]


def test_users_carry_role_offices_communes_and_organisation(admin_client, head_a) -> None:  # type: ignore[no-untyped-def]
    form = admin_client.get(reverse("admin:accounts_user_change", args=[head_a.pk]))
    assert form.status_code == 200
    fields = form.context["adminform"].form.fields
    assert {"role", "offices", "communes", "agency"} <= set(fields)
    assert (User.Role.OFFICE_HEAD, "Lãnh đạo BHXH cơ sở") in fields["role"].choices
    listed = admin_client.get(reverse("admin:accounts_user_changelist"), {"role": "office_head"})
    assert [u.username for u in listed.context["cl"].result_list] == ["head_a"]
    police = UserFactory(username="ca", role=User.Role.LIAISON, agency=agency("police"))
    by_kind = admin_client.get(
        reverse("admin:accounts_user_changelist"), {"agency__kind": "police"}
    )
    assert list(by_kind.context["cl"].result_list) == [police]
