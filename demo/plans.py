"""The demo offices' collection plans: for each year of the ledger, each office's plan is
what its employers' contributions due that year came to, rounded down to a million đồng,
so "collection against plan" and the summary have a plan to measure against."""

from __future__ import annotations

from django.db.models import Sum
from django.db.models.functions import ExtractYear

from arrears.models import CollectionPlan, Contribution

MILLION = 1_000_000


def make_plans() -> str:
    due = (
        Contribution.objects.annotate(year=ExtractYear("due_on"))
        .values("employer__office", "year")
        .annotate(total=Sum("si") + Sum("hi") + Sum("ui") + Sum("oaod"))
    )
    plans = [
        CollectionPlan(
            office_id=row["employer__office"],
            year=row["year"],
            month=None,
            amount=row["total"] // MILLION * MILLION,
        )
        for row in due
        if row["employer__office"] is not None
    ]
    CollectionPlan.objects.filter(year__in={p.year for p in plans}).delete()
    CollectionPlan.objects.bulk_create(plans)
    return f"{len(plans)} kế hoạch thu năm của các cơ sở"
