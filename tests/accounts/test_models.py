"""Staff and partner organisations (accounts/models.py): who gives the approvals the ladder
asks for, office by office, and the organisations' kinds."""

from __future__ import annotations

import pytest

from accounts.models import Agency, User
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_managers_approve_everywhere_heads_in_their_offices(  # type: ignore[no-untyped-def]
    manager, head_a, officer_a, police, office_a, office_b
):
    assert manager.approves_for(office_a.pk) and manager.approves_for(office_b.pk)
    assert head_a.approves_for(office_a.pk) and not head_a.approves_for(office_b.pk)
    assert not head_a.approves_for(None)
    for user in (officer_a, police):
        assert not user.approves_for(office_a.pk)
    assert [u.gives_approvals for u in (manager, head_a, officer_a, police)] == [
        True,
        True,
        False,
        False,
    ]


def test_a_head_of_two_offices_approves_in_both(office_a, office_b) -> None:  # type: ignore[no-untyped-def]
    head = UserFactory(username="head_ab", role=User.Role.OFFICE_HEAD, offices=[office_a, office_b])
    assert head.approves_for(office_a.pk) and head.approves_for(office_b.pk)
    assert head.is_office_head and head.is_staff_member
    assert not (head.is_officer or head.is_manager or head.is_liaison)


def test_a_superuser_sees_and_approves_as_a_manager(office_a) -> None:  # type: ignore[no-untyped-def]
    admin = UserFactory(username="root", role=User.Role.OFFICE_HEAD, is_superuser=True)
    assert admin.is_manager and not admin.is_office_head and admin.approves_for(office_a.pk)


def test_province_level_organisations_keep_their_kind_as_code() -> None:
    assert sorted(Agency.objects.values_list("code", "kind")) == sorted(
        (kind, kind) for kind in Agency.Kind.values
    )
    # The kinds name organisations at any level (a commune police station is police too).
    assert str(Agency.Kind.POLICE.label) == "Công an"
    assert str(User.Role.OFFICE_HEAD.label) == "Lãnh đạo BHXH cơ sở"
