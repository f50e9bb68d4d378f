"""The demo's insured persons and coverage figures in the database (demo.insured): a few persons
per employer, and coverage figures replaced, not added."""

from __future__ import annotations

from datetime import date

from demo import insured as demo_insured
from demo import places
from demo import province as demo
from participants.models import CoverageFigure, InsuredPerson, Office
from tests.factories import EmployerFactory, OfficeFactory


def test_demo_persons_are_a_few_per_employer(office_a) -> None:  # type: ignore[no-untyped-def]
    rows = list(demo.generate(40, as_of=date(2026, 1, 15), seed=5))
    offices = {office.code: OfficeFactory(name=office.name) for office in places.OFFICES}
    offices[places.PROVINCE_OFFICE.code] = Office.objects.get(kind=Office.Kind.PROVINCE)
    employers = [
        EmployerFactory(
            unit_code=r.employer["unit_code"],
            office=offices[r.employer["office"]],
            employees=r.employer["employees"],
        )
        for r in rows
    ]
    made = demo_insured.make_persons(rows, employers)
    assert made == InsuredPerson.objects.count() > 40
    for employer in employers:
        persons = list(employer.insured_persons.all())
        assert len(persons) <= min(employer.employees, demo_insured.MOST)
        assert all(p.from_period >= date(2025, 7, 1) for p in persons)
    numbers = list(InsuredPerson.objects.values_list("social_insurance_number", flat=True))
    assert len(set(numbers)) == len(numbers)
    assert all(len(n) == 10 and n.isdigit() for n in numbers)
    # Numbers carry the administrative code of the former province the employer is in.
    for person in InsuredPerson.objects.select_related("employer"):
        prefix = places.SI_NUMBER_PREFIXES[person.employer.unit_code[:2]]
        assert person.social_insurance_number.startswith(prefix)

    assert demo_insured.make_coverage((2024, 2025)) == (len(places.OFFICES) + 1) * 2 * 5
    assert demo_insured.make_coverage((2024, 2025)) == 110  # replaced, not added
    province = CoverageFigure.objects.get(office=None, year=2025, quarter=None)
    offices_2025 = CoverageFigure.objects.filter(office__isnull=False, year=2025, quarter=None)
    assert province.hi == sum(f.hi for f in offices_2025)
    # Every grassroots office has its figures; the provincial office's are the province's.
    assert {f.office.code for f in offices_2025} == {office.code for office in places.OFFICES}
