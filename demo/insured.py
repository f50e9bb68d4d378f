"""The demo's insured persons and coverage figures, written to the database for ``load_demo``
(the rows themselves come from the Django-free ``demo.persons``)."""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import date

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from demo import persons as demo_persons
from demo import province as demo
from demo.places import OFFICES
from participants.models import CoverageFigure, Employer, InsuredPerson, Office

BATCH_SIZE = 2000
# Persons per employer: a few, never more than its employees.
FEWEST, MOST = 2, 6


def _month(text: str) -> date | None:
    return date.fromisoformat(f"{text}-01") if text else None


def make_persons(rows: Sequence[demo.EmployerRows], employers: Sequence[Employer]) -> int:
    """A few insured persons for each employer (``rows`` and ``employers`` in the same
    order), within its contribution months."""
    rng = random.Random(demo.DEFAULT_SEED)  # noqa: S311 -- reproducible demo data, not secrets
    persons: list[InsuredPerson] = []
    for employer_rows, employer in zip(rows, employers, strict=True):
        workplace = demo_persons.Workplace.of(employer_rows)
        if workplace is None:
            continue
        count = min(workplace.employees, rng.randint(FEWEST, MOST))
        for person in demo_persons.persons(rng, workplace, count, len(persons)):
            persons.append(
                InsuredPerson(
                    social_insurance_number=person["social_insurance_number"],
                    full_name=person["full_name"],
                    date_of_birth=date.fromisoformat(str(person["date_of_birth"])),
                    sex=person["sex"],
                    employer=employer,
                    from_period=_month(str(person["from_period"])),
                    to_period=_month(str(person["to_period"])),
                )
            )
    InsuredPerson.objects.bulk_create(persons, batch_size=BATCH_SIZE)
    return len(persons)


@transaction.atomic
def make_coverage(years: Sequence[int]) -> int:
    """Quarterly and yearly figures of ``years`` for the demo's grassroots offices and the
    province, replacing any already there for those years."""
    offices = {o.name: o for o in Office.objects.filter(code__in=[o.code for o in OFFICES])}
    CoverageFigure.objects.filter(
        Q(office__isnull=True) | Q(office__in=offices.values()), year__in=years
    ).delete()
    figures = [
        CoverageFigure(
            office=None if row["area"] == "province" else offices[str(row["area"])],
            quarter=row["quarter"] or None,
            **{k: v for k, v in row.items() if k not in ("area", "quarter")},
        )
        for row in demo_persons.coverage_rows(years)
    ]
    CoverageFigure.objects.bulk_create(figures)
    return len(figures)


def make_persons_and_coverage(
    as_of: date, rows: Sequence[demo.EmployerRows], employers: Sequence[Employer]
) -> str:
    """The step's work and its line of the summary: persons, and the two years before
    ``as_of``'s of coverage figures."""
    persons = make_persons(rows, employers)
    figures = make_coverage((as_of.year - 2, as_of.year - 1))
    return _("{persons} người lao động, {figures} số liệu bao phủ").format(
        persons=persons, figures=figures
    )
