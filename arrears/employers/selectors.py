"""Reads of the employer page: where an employer has been managed and registered over time."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from itertools import pairwise

from django.utils.translation import gettext as _

from participants.models import Commune, Employer, Office


@dataclass(frozen=True)
class AreaChange:
    """A change of an employer's managing office or commune, as its history recorded it."""

    at: datetime
    what: str  # which of the two changed
    old: str
    new: str


def area_history(employer: Employer) -> list[AreaChange]:
    """The changes of the employer's managing office and commune, newest first, from the
    history its database triggers keep (pghistory's EmployerEvent, ``employer.history``):
    each event whose office or commune differs from the one before. The first event (its
    creation) is where it started, not a change."""
    events = list(
        employer.history.order_by("pgh_created_at", "pgh_id").values_list(
            "pgh_created_at", "office_id", "commune_id"
        )
    )
    offices = Office.objects.in_bulk({office for _at, office, _c in events if office})
    communes = Commune.objects.in_bulk({commune for _at, _o, commune in events if commune})

    def named(found: dict[int, Office] | dict[int, Commune], pk: int | None) -> str:
        return str(found[pk]) if pk in found else "–"

    changes: list[AreaChange] = []
    for (_before, old_office, old_commune), (at, office, commune) in pairwise(events):
        found = []
        if office != old_office:
            found.append(
                AreaChange(
                    at, _("BHXH quản lý"), named(offices, old_office), named(offices, office)
                )
            )
        if commune != old_commune:
            found.append(
                AreaChange(
                    at, _("Xã/phường"), named(communes, old_commune), named(communes, commune)
                )
            )
        changes = found + changes  # newest first, each event's office before its commune
    return changes
