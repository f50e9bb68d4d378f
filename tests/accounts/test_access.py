"""The one access policy (accounts/access.py): which role passes each gate, and the object for
this user or 404."""

from __future__ import annotations

import pytest
from django.http import Http404
from django.test import RequestFactory

from accounts import access
from participants.models import Employer


def _request(user):  # type: ignore[no-untyped-def]
    request = RequestFactory().get("/")
    request.user = user
    return request


def test_staff_lets_officers_and_managers_in_and_answers_liaisons_404(
    officer_a, manager, police
) -> None:  # type: ignore[no-untyped-def]
    assert access.staff(_request(officer_a)) == officer_a
    assert access.staff(_request(manager)) == manager
    with pytest.raises(Http404):
        access.staff(_request(police))


def test_manager_only_for_managers(officer_a, manager, police) -> None:  # type: ignore[no-untyped-def]
    assert access.manager(_request(manager)) == manager
    for user in (officer_a, police):
        with pytest.raises(Http404):
            access.manager(_request(user))


def test_manager_pages_stay_closed_to_office_heads(head_a) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(Http404):
        access.manager(_request(head_a))
    assert access.staff(_request(head_a)) == head_a


def test_approver_for_managers_and_office_heads(officer_a, head_a, manager, police) -> None:  # type: ignore[no-untyped-def]
    assert access.approver(_request(manager)) == manager
    assert access.approver(_request(head_a)) == head_a
    for user in (officer_a, police):
        with pytest.raises(Http404):
            access.approver(_request(user))


def test_scoped_and_get_for_user_follow_the_models_scope(
    officer_a, manager, employer_a, employer_b
) -> None:  # type: ignore[no-untyped-def]
    assert list(access.scoped(Employer, officer_a)) == [employer_a]
    assert set(access.scoped(Employer.objects.all(), manager)) == {employer_a, employer_b}
    assert access.get_for_user(Employer, officer_a, pk=employer_a.pk) == employer_a
    with pytest.raises(Http404):
        access.get_for_user(Employer, officer_a, pk=employer_b.pk)
    with pytest.raises(Http404):
        access.get_for_user(Employer.objects.filter(status="dissolved"), manager, pk=employer_a.pk)
