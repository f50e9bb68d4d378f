"""``manage.py load_demo``: the demo's users, ledger and balances; idempotent, --reset, and
never without DEBUG."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from accounts.models import Agency, User
from arrears.ledger import due_date
from arrears.models import Balance, Contribution, Payment, RecoveryCase
from demo import places
from demo import province as demo
from demo.offices import USERNAMES
from participants.models import Commune, Employer, Office
from tests.demo.test_province import AS_OF, balance_of, month


def _load(**options) -> str:  # type: ignore[no-untyped-def]
    out = StringIO()
    call_command("load_demo", employers=12, as_of=AS_OF, stdout=out, **options)
    return out.getvalue()


@pytest.fixture
def debug(settings):  # type: ignore[no-untyped-def]
    settings.DEBUG = True


@pytest.mark.django_db
@pytest.mark.usefixtures("debug")
def test_load_demo_creates_users_with_their_roles_and_scope() -> None:
    output = _load()
    users = {u.username: u for u in User.objects.prefetch_related("offices", "communes")}
    manager, officer, police = users["manager"], users["officer"], users["police"]
    assert (manager.role, manager.is_staff, manager.is_superuser) == ("manager", True, True)
    assert manager.get_full_name() == "Nguyễn Thị Thu Hà"
    assert officer.role == "officer" and not officer.is_staff
    assert {d.name for d in officer.offices.all()} == {"Lương Sơn", "Hòa Bình"}
    assert (police.role, police.agency.code, police.offices.count()) == ("liaison", "police", 0)
    assert [d.name for d in users["officer_thanh_son"].offices.all()] == ["Thanh Sơn"]
    assert users["federation"].agency.code == "labour_federation"
    assert all(u.check_password("demo") for u in users.values())
    # Every office has an officer and a head: the provincial office's is the manager.
    offices = Office.objects.all()
    assert len(offices) == len(places.OFFICES) + 1
    for office in offices:
        assert office.officers.filter(role="officer").exists(), office
        assert office.head.role == ("manager" if office.kind == "province" else "office_head")
    head = users["head"]
    assert (head.role, [o.name for o in head.offices.all()]) == ("office_head", ["Lương Sơn"])
    assert Office.objects.get(code="LUONG_SON").head == head
    # An officer narrowed to some communes of the office, a commune police station's liaison.
    narrowed = users["officer_binh_xuyen"]
    assert {c.former_district for c in narrowed.communes.all()} == {"Bình Xuyên"}
    assert {c.office.name for c in narrowed.communes.all()} == {"Phúc Yên"}
    station = users["police_xa"].agency
    assert (station.kind, station.name) == ("police", "Công an phường Việt Trì")
    assert [c.name for c in station.communes.all()] == ["Việt Trì"]
    # The summary lists every login with its role and where it works.
    assert "http://127.0.0.1:8000/" in output
    for username in USERNAMES:
        line = next(line for line in output.splitlines() if line.split()[:1] == [username])
        assert "–" in line and "(" in line, line
    assert "Lãnh đạo BHXH cơ sở (BHXH cơ sở Lương Sơn)" in output
    assert "(BHXH cơ sở Phúc Yên: xã Bình Xuyên" in output
    assert "(Công an phường Việt Trì)" in output


@pytest.mark.django_db
@pytest.mark.usefixtures("debug")
def test_load_demo_makes_the_map_of_the_merged_province() -> None:
    _load()
    root = Office.objects.get(kind="province")
    assert (root.code, root.name) == ("TINH", "Bảo hiểm xã hội tỉnh Phú Thọ")
    assert root.address and root.phone
    assert Commune.objects.count() == len(places.COMMUNES)
    viet_tri = Commune.objects.get(code="P_VIET_TRI")
    assert (viet_tri.kind, viet_tri.office.name) == ("phuong", "Việt Trì")
    assert (viet_tri.former_district, viet_tri.former_province) == ("Thành phố Việt Trì", "Phú Thọ")
    assert set(Commune.objects.values_list("former_province", flat=True)) == {
        "Hòa Bình",
        "Vĩnh Phúc",
        "Phú Thọ",
    }
    # The province-level organisation of each kind keeps its code; commune-level ones beside.
    assert set(Agency.Kind.values) <= set(Agency.objects.values_list("code", flat=True))
    assert not Agency.objects.get(code="police").communes.exists()
    local = Agency.objects.filter(communes__isnull=False).distinct()
    assert {a.kind for a in local} == {"police", "peoples_committee", "labour_federation"}
    committee = Agency.objects.get(code="peoples_committee_viet_tri")
    assert committee.name == "Ủy ban nhân dân phường Việt Trì"
    assert list(committee.communes.all()) == [viet_tri]
    union = Agency.objects.get(code="labour_federation_kcn")
    assert union.communes.count() == len(set(places.INDUSTRIAL_ZONES.values()))
    # Employers lie in communes, are managed by the office serving them (or the province's).
    for employer in Employer.objects.select_related("commune", "office"):
        assert employer.office in (employer.commune.office, root)
        assert employer.commune.former_province == employer.former_province
    # Loading again changes nothing of the map.
    counts = (Office.objects.count(), Commune.objects.count(), Agency.objects.count())
    _load(reset=True)
    assert (Office.objects.count(), Commune.objects.count(), Agency.objects.count()) == counts


@pytest.mark.django_db
@pytest.mark.usefixtures("debug")
def test_load_demo_writes_the_generated_ledger_and_balances() -> None:
    _load()
    province = list(demo.generate(12, as_of=AS_OF))
    assert sorted(Employer.objects.values_list("unit_code", flat=True)) == sorted(
        r.employer["unit_code"] for r in province
    )
    columns = ("unit_code", "office", "commune", "address", "tax_code", "employees")
    stored_employers = Employer.objects.values_list(
        "unit_code", "office__code", "commune__code", "address", "tax_code", "employees"
    )
    assert set(stored_employers) == {tuple(r.employer[k] for k in columns) for r in province}
    expected_contributions = {
        (
            c["unit_code"],
            month(c["period"]),
            c["employees"],
            c["wage_fund"],
            c["si"],
            c["hi"],
            c["ui"],
            c["oaod"],
        )
        for r in province
        for c in r.contributions
    }
    stored = Contribution.objects.values_list(
        "employer__unit_code", "period", "employees", "wage_fund", "si", "hi", "ui", "oaod"
    )
    assert set(stored) == expected_contributions
    assert len(stored) == len(expected_contributions)
    for contribution in Contribution.objects.select_related("employer"):
        assert contribution.due_on == due_date(
            contribution.period, contribution.employer.payment_method
        )
    expected_payments = {
        (p["unit_code"], p["paid_on"], p["amount"], p["reference"])
        for r in province
        for p in r.payments
    }
    stored_payments = Payment.objects.values_list(
        "employer__unit_code", "paid_on", "amount", "reference"
    )
    assert set(stored_payments) == expected_payments
    # Balances are refreshed at once, to the ledger's figures.
    balances = {b.employer.unit_code: b for b in Balance.objects.select_related("employer")}
    for rows in province:
        figures = balance_of(rows)
        stored_balance = balances[rows.employer["unit_code"]]
        assert (stored_balance.arrears, stored_balance.months_in_arrears) == (
            figures.arrears,
            figures.months_in_arrears,
        )


@pytest.mark.django_db
@pytest.mark.usefixtures("debug")
def test_load_demo_is_idempotent_and_reset_reloads() -> None:
    _load()
    ids = sorted(Employer.objects.values_list("pk", flat=True))
    counts = (Contribution.objects.count(), Payment.objects.count(), User.objects.count())

    assert "demo already loaded" in _load()
    assert sorted(Employer.objects.values_list("pk", flat=True)) == ids
    assert (Contribution.objects.count(), Payment.objects.count(), User.objects.count()) == counts

    # A case opened in the demo protects its employer; --reset clears it too. (Closed, so it
    # cannot meet the demo's own open case of that employer; those are made again.)
    extra = RecoveryCase.objects.create(
        employer=Employer.objects.first(), opened_on=AS_OF, stage="closed"
    )
    _load(reset=True)
    assert not RecoveryCase.objects.filter(pk=extra.pk).exists()
    assert (
        Employer.objects.count() == 12
        and sorted(Employer.objects.values_list("pk", flat=True)) != ids
    )
    assert (Contribution.objects.count(), Payment.objects.count(), User.objects.count()) == counts

    # A demo loaded before the 2025 map (its employers have no commune) is loaded afresh.
    Employer.objects.update(commune=None)
    assert "demo already loaded" not in _load()
    assert Employer.objects.count() == 12 and not Employer.objects.filter(commune=None).exists()


@pytest.mark.django_db
def test_load_demo_refuses_without_debug(settings) -> None:  # type: ignore[no-untyped-def]
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        _load()
    assert not Employer.objects.exists()
    assert not User.objects.filter(username="manager").exists()


@pytest.mark.django_db
@pytest.mark.usefixtures("debug")
def test_load_demo_fills_past_weeks_with_sessions() -> None:
    from arrears.models import Booking, BookingStatus, SessionMinutes, SessionSlot

    out = _load()
    booked = Booking.objects.select_related("slot")
    assert booked.exists() and "buổi làm việc" in out
    past = [b for b in booked if b.slot.day < AS_OF]
    coming = [b for b in booked if b.slot.day >= AS_OF]
    assert past and coming
    assert {b.status for b in past} <= {BookingStatus.ATTENDED, BookingStatus.ABSENT}
    assert all(b.status == BookingStatus.BOOKED for b in coming)
    attended = [b for b in past if b.status == BookingStatus.ATTENDED]
    assert SessionMinutes.objects.count() == len(attended)
    # Every slot is a Tuesday of the office's weekly pattern, none over its capacity.
    assert {s.day.weekday() for s in SessionSlot.objects.all()} == {1}
    assert all(s.bookings.count() <= s.capacity for s in SessionSlot.objects.all())
    _load(reset=True)  # the sessions go with the demo and are made again
    assert Booking.objects.exists()


@pytest.mark.django_db
@pytest.mark.usefixtures("debug")
def test_the_demo_spreads_automatic_cases_between_its_officers() -> None:
    """The weekly job's automatic cases on the demo go to both officers of an office, none
    more than the policy's share above the mean of its office (one demo run gave 410 to one
    person)."""
    from collections import Counter

    from arrears.balances import balances_as_of
    from arrears.jobs.weekly import open_cases
    from arrears.models import Policy

    call_command("load_demo", employers=120, as_of=AS_OF, stdout=StringIO())
    policy = Policy.current()
    policy.auto_case_months, policy.auto_case_arrears = 1, 0
    policy.save()
    opened, _failed = open_cases(targets=balances_as_of(AS_OF), on=AS_OF, policy=policy)
    assert opened > 10
    automatic = RecoveryCase.objects.filter(opened_on=AS_OF, events__author__isnull=True)
    per_office: dict[int, Counter[str]] = {}
    for office_id, username in automatic.values_list("employer__office", "officer__username"):
        per_office.setdefault(office_id, Counter())[username] += 1
    assert None not in {u for c in per_office.values() for u in c}
    for office_id in per_office:
        office = Office.objects.get(pk=office_id)
        officers = office.officers.filter(role="officer", communes__isnull=True).count()
        open_loads = Counter(
            RecoveryCase.objects.open()
            .filter(employer__office=office, officer__communes__isnull=True)
            .values_list("officer__username", flat=True)
        )
        mean = sum(open_loads.values()) / officers
        assert max(open_loads.values()) <= 1.2 * mean + 1, (office.name, open_loads)
