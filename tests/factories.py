"""factory_boy factories for the models every test area needs."""

from datetime import date

import factory

from accounts.models import Agency, User
from arrears.ledger import due_date
from arrears.models import Contribution, Payment
from participants.models import Commune, Employer, Office, office_code


class OfficeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Office
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"Huyện {n}")
    code = factory.LazyAttribute(lambda office: office_code(office.name))


class CommuneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Commune
        django_get_or_create = ["code"]

    name = factory.Sequence(lambda n: f"Xã {n}")
    code = factory.LazyAttribute(lambda commune: office_code(commune.name))
    kind = Commune.Kind.COMMUNE
    office = factory.SubFactory(OfficeFactory)


class EmployerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Employer

    unit_code = factory.Sequence(lambda n: f"TS{n:06d}")
    tax_code = factory.Sequence(lambda n: f"{5400000000 + n:010d}")
    name = factory.Sequence(lambda n: f"Công ty TNHH Thử Nghiệm {n}")
    address = "Số 1, đường Cù Chính Lan"
    office = factory.SubFactory(OfficeFactory)
    ownership = Employer.Ownership.NON_STATE
    status = Employer.Status.ACTIVE
    employees = 10
    payment_method = Employer.PaymentMethod.MONTHLY


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    role = User.Role.OFFICER
    password = factory.django.Password("pw-for-tests-only")

    @factory.post_generation
    def offices(self, create, extracted, **kwargs):  # type: ignore[no-untyped-def]
        if create and extracted:
            self.offices.set(extracted)

    @factory.post_generation
    def communes(self, create, extracted, **kwargs):  # type: ignore[no-untyped-def]
        if create and extracted:
            self.communes.set(extracted)


class ContributionFactory(factory.django.DjangoModelFactory):
    """One month's contributions; ``total`` = si + hi + ui + oaod (defaults: 1,000,000 đ)."""

    class Meta:
        model = Contribution

    employer = factory.SubFactory(EmployerFactory)
    period = date(2025, 7, 1)
    employees = 10
    wage_fund = 4_000_000
    si = 800_000
    hi = 120_000
    ui = 60_000
    oaod = 20_000
    due_on = factory.LazyAttribute(lambda o: due_date(o.period, o.employer.payment_method))


class PaymentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Payment

    employer = factory.SubFactory(EmployerFactory)
    paid_on = date(2025, 8, 20)
    amount = 1_000_000
    reference = factory.Sequence(lambda n: f"UNC-TEST-{n:08d}")


def agency(code: str) -> Agency:
    return Agency.objects.get(code=code)
