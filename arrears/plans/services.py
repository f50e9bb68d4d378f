"""Managers typing an office's collection plan for a year, with its optional monthly split."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from django.db import transaction

import audit
from arrears.models import CollectionPlan
from audit.models import AuditEntry
from participants.models import Office

if TYPE_CHECKING:
    from accounts.models import User


def save_plan(
    *, office: Office, year: int, amount: int, months: Mapping[int, int | None], by: User
) -> None:
    """The office's plan for ``year``: the year's ``amount`` and, for each month given a
    figure in ``months`` (1-12), the month's; a month left empty has its figure removed.
    Audited as an import of typed figures."""
    with transaction.atomic():
        CollectionPlan.objects.update_or_create(
            office=office, year=year, month=None, defaults={"amount": amount}
        )
        for month in range(1, 13):
            figure = months.get(month)
            if figure is None:
                CollectionPlan.objects.filter(office=office, year=year, month=month).delete()
            else:
                CollectionPlan.objects.update_or_create(
                    office=office, year=year, month=month, defaults={"amount": figure}
                )
        split = ", ".join(f"{m}: {v}" for m, v in sorted(months.items()) if v is not None)
        audit.record(
            by,
            AuditEntry.Action.IMPORT,
            office,
            f"kế hoạch thu {year}: {amount}" + (f" (theo tháng {split})" if split else ""),
        )
