"""Reads of the offices pages: the offices and the communes each serves, with how many of the
employers a user sees are managed by or registered in each; and the days off."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
from django.db.models.functions import Left, Upper

from desk.collation import vietnamese_order
from participants.models import (
    FORMER_PROVINCES,
    UNIT_CODE_PREFIX_LENGTH,
    Commune,
    Employer,
    Holiday,
    Office,
)

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


def scope_offices(user: User | None) -> set[int] | None:
    """The offices whose employers are exactly those ``Employer.objects.in_scope(user)``
    gives (every office for no user), so that kept office figures serve that scope; None
    when the scope is not whole offices (an officer given some communes, a liaison)."""
    if user is None or (user.is_authenticated and user.is_active and user.sees_province):
        return set(Office.objects.values_list("pk", flat=True))
    if not user.is_authenticated or not user.is_active:
        return set()
    if user.is_office_head or (user.is_officer and not user.communes.exists()):
        return set(user.offices.values_list("pk", flat=True))
    return None


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


@dataclass(frozen=True)
class EmployerAreas:
    """What a set of employers spans, for the choices of a filter: their managing offices and
    communes, the former provinces of their unit codes (prefixes, keys of FORMER_PROVINCES)
    and their industrial zones (in order)."""

    offices: QuerySet[Office]
    communes: QuerySet[Commune]
    prefixes: set[str]
    zones: list[str]


def employer_areas(scoped: QuerySet[Employer]) -> EmployerAreas:
    """The areas of the employers of ``scoped`` (a user's, unfiltered): the whole province by
    "is there one?" per office, commune and prefix (index probes, not a pass over a region's
    employers); a part of it (an office's tens of thousands) in one pass over its employers
    giving each distinct office, commune and prefix (the planner, given the three subqueries
    apart, probed every commune's employers instead)."""
    scoped = scoped.order_by()
    if scoped.query.where:
        found = set(
            scoped.values_list(
                "office_id", "commune_id", Upper(Left("unit_code", UNIT_CODE_PREFIX_LENGTH))
            ).distinct()
        )
        offices = Office.objects.filter(pk__in={office for office, _c, _p in found})
        communes = Commune.objects.filter(pk__in={c for _o, c, _p in found if c is not None})
        prefixes = {prefix for _o, _c, prefix in found}
    else:
        offices = Office.objects.filter(Exists(scoped.filter(office=OuterRef("pk"))))
        communes = Commune.objects.filter(Exists(scoped.filter(commune=OuterRef("pk"))))
        prefixes = {
            prefix
            for prefix in FORMER_PROVINCES
            if scoped.filter(unit_code__istartswith=prefix).exists()
        }
    # industrial_zone > '': the condition of the index of the employers in a zone.
    zones = (
        scoped.filter(industrial_zone__gt="")
        .order_by("industrial_zone")
        .values_list("industrial_zone", flat=True)
        .distinct()
    )
    return EmployerAreas(offices, communes, prefixes, list(zones))
