"""Reads of the offices pages: the offices and the communes each serves, with how many of the
employers a user sees are managed by or registered in each; and the days off."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from django.db.models import Count, F, Q

from desk.collation import vietnamese_order
from participants.models import Commune, Employer, Holiday, Office

if TYPE_CHECKING:
    from accounts.models import User


def _counts(user: User, by: str) -> dict[int, int]:
    """How many of the employers ``user`` sees each office (or commune) has, by its id."""
    return dict(
        Employer.objects.in_scope(user)
        .order_by()
        .values(by)
        .annotate(count=Count("pk"))
        .values_list(by, "count")
    )


def offices(user: User) -> list[Office]:
    """Every office, the provincial office first then by name, each with ``commune_count``
    (the communes it serves) and ``employer_count`` (the employers it manages among those
    ``user`` sees)."""
    found = list(
        Office.objects.select_related("head")
        .annotate(commune_count=Count("communes"))
        .order_by(F("kind").desc(), *vietnamese_order("name"))
    )
    managed = _counts(user, "office")
    for office in found:
        office.employer_count = managed.get(office.pk, 0)
    return found


def communes(office: Office, user: User) -> list[Commune]:
    """The communes ``office`` serves by name, each with ``employer_count``: the employers
    registered in it among those ``user`` sees."""
    registered = _counts(user, "commune")
    found = list(office.communes.order_by(*vietnamese_order("name"), "code"))
    for commune in found:
        commune.employer_count = registered.get(commune.pk, 0)
    return found


def managed_count(office: Office, user: User) -> int:
    """How many of the employers ``user`` sees ``office`` manages."""
    return Employer.objects.in_scope(user).filter(office=office).count()


def holidays(start: date, end: date, office: Office | None = None) -> set[date]:
    """The days off from ``start`` to ``end``: the province's, and ``office``'s own."""
    days = Holiday.objects.filter(day__range=(start, end))
    days = days.filter(Q(office=None) | Q(office=office)) if office else days.filter(office=None)
    return set(days.values_list("day", flat=True))
