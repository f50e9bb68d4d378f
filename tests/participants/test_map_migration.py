"""The map migration (participants 0007-0008, accounts 0003-0004): a district-era database,
built with the historical models from the sample province and a small demo province, with
officers, a manager, a liaison, a case with its referral and events, coverage figures and
letters, goes forward to offices and communes, back to districts, and forward again; nothing
is lost on the way. Going back refuses, and says why, when the data cannot go with it.

The tests migrate the test database itself: transactional, and ``serialized_rollback`` gives
the tests after them the rows the migrations seeded. Every test leaves the database at the
latest migrations, whatever happens.
"""

from __future__ import annotations

import functools
import importlib
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest
from django.conf import settings
from django.db import connection
from django.db.migrations.exceptions import IrreversibleError
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.db.migrations.state import StateApps

from accounts.models import Agency, User
from arrears import ledger
from arrears.balances import BalanceRow, balances_as_of, balances_sql
from arrears.models import RecoveryCase
from demo import province as demo
from participants.models import Commune, CoverageFigure, Employer, Office
from tests.factories import EmployerFactory, OfficeFactory, UserFactory
from tests.samples import SAMPLE_DAY, SAMPLES, read_csv

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

# The last migrations before the map: participants with districts, accounts with the agencies
# by code. Going there unapplies the map's migrations and whatever depends on them.
DISTRICT_ERA = [
    ("participants", "0006_person_number_format_without_counted_repetition"),
    ("accounts", "0002_seed_agencies"),
]
DEMO_EMPLOYERS = 30
# Tables the map leaves as they are, row for row (new columns come after the old ones).
UNCHANGED = (
    "participants_employer",
    "participants_employerevent",
    "participants_coveragefigure",
    "arrears_contribution",
    "arrears_payment",
    "arrears_recoverycase",
    "arrears_referral",
    "arrears_caseevent",
    "arrears_reminder",
    "accounts_user",
)


def migrate(targets: list[tuple[str, str]]) -> StateApps:
    """Migrate the test database to ``targets``; the models as they are there."""
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor.loader.project_state(list(executor.loader.applied_migrations)).apps


def latest() -> list[tuple[str, str]]:
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


@pytest.fixture
def at_latest_after(transactional_db: None) -> Iterator[None]:
    """Whatever the test does, the database ends at the latest migrations: if its data stops
    them, without the data (the teardown empties the tables anyway)."""
    try:
        yield
    finally:
        try:
            migrate(latest())
        except Exception:
            with connection.cursor() as cursor:
                tables = set(connection.introspection.table_names(cursor)) - {"django_migrations"}
                cursor.execute(f"TRUNCATE {', '.join(map(connection.ops.quote_name, tables))}")
            migrate(latest())
            raise


def table_rows(table: str) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {table} ORDER BY 1")  # noqa: S608 -- our table names
        return cursor.fetchall()


def snapshot() -> dict[str, list[tuple[Any, ...]]]:
    return {table: table_rows(table) for table in UNCHANGED}


def assert_rows_kept(before: dict[str, list[tuple[Any, ...]]]) -> None:
    for table, rows in before.items():
        after = table_rows(table)
        assert [row[: len(old)] for row, old in zip(after, rows, strict=True)] == rows, table


def district_era_balances(on: date) -> list[BalanceRow]:
    """``balances_as_of`` on the districts' tables (the query is the same but for them)."""
    sql = balances_sql().replace(
        "participants_office office ON office.id = e.office_id",
        "participants_district office ON office.id = e.district_id",
    )
    assert "participants_district" in sql
    with connection.cursor() as cursor:
        cursor.execute(sql, {"on": on})
        return [BalanceRow(*row[:-1], bucket=ledger.Bucket(row[-1])) for row in cursor]


EMPLOYER_FIELDS = (
    "unit_code",
    "tax_code",
    "name",
    "address",
    "industrial_zone",
    "ownership",
    "status",
    "employees",
    "email",
    "phone",
    "legal_representative",
    "payment_method",
)


def insert_ledger(
    apps: StateApps, rows: list[dict[str, Any]], ledger_rows: list[tuple[str, dict[str, Any]]]
) -> None:
    """Employers (each row with its district's name under ``district``) and their
    contributions and payments, through the district era's models."""
    District = apps.get_model("participants", "District")
    Employer = apps.get_model("participants", "Employer")
    Contribution = apps.get_model("arrears", "Contribution")
    Payment = apps.get_model("arrears", "Payment")
    districts = {
        name: District.objects.get_or_create(name=name)[0] for name in {r["district"] for r in rows}
    }
    employers = {
        e.unit_code: e
        for e in Employer.objects.bulk_create(
            Employer(district=districts[r["district"]], **{f: r[f] for f in EMPLOYER_FIELDS})
            for r in rows
        )
    }
    contributions, payments = [], []
    for kind, row in ledger_rows:
        employer = employers[row["unit_code"]]
        if kind == "contribution":
            period = date.fromisoformat(f"{row['period']}-01")
            contributions.append(
                Contribution(
                    employer=employer,
                    period=period,
                    due_on=ledger.due_date(period, employer.payment_method),
                    **{
                        k: int(row[k]) for k in ("employees", "wage_fund", "si", "hi", "ui", "oaod")
                    },
                )
            )
        else:
            payments.append(
                Payment(
                    employer=employer,
                    paid_on=date.fromisoformat(str(row["paid_on"])),
                    amount=int(row["amount"]),
                    reference=row["reference"],
                )
            )
    Contribution.objects.bulk_create(contributions)
    Payment.objects.bulk_create(payments)


def load_samples(apps: StateApps) -> None:
    """tests/fixtures/samples: district-era files (their employers have a district)."""
    insert_ledger(
        apps,
        read_csv("employers.csv"),
        [("contribution", r) for r in read_csv("contributions.csv")]
        + [("payment", r) for r in read_csv("payments.csv")],
    )


def load_demo(apps: StateApps) -> None:
    """A small demo province as it stood in the district era: the demo generator's employers,
    each in the former district of its commune."""
    former_district = {c["code"]: c["former_district"] for c in demo.commune_rows()}
    rows, ledger_rows = [], []
    for made in demo.generate(DEMO_EMPLOYERS, as_of=SAMPLE_DAY):
        rows.append({**made.employer, "district": former_district[made.employer["commune"]]})
        ledger_rows += [("contribution", c) for c in made.contributions]
        ledger_rows += [("payment", p) for p in made.payments]
    insert_ledger(apps, rows, ledger_rows)


def district_era_scope(apps: StateApps, user: Any) -> tuple[set[str], set[int]]:
    """The unit codes and cases a user saw before the map: officers their districts, managers
    the province, liaisons what was referred to their agency."""
    Employer = apps.get_model("participants", "Employer")
    RecoveryCase = apps.get_model("arrears", "RecoveryCase")
    if user.role == "liaison":
        cases = RecoveryCase.objects.filter(
            referrals__agency=user.agency_id, referrals__sent_on__isnull=False
        )
        employers = Employer.objects.filter(recovery_cases__in=cases)
    else:
        employers = Employer.objects.all()
        if user.role == "officer":
            employers = employers.filter(district__in=user.districts.all())
        cases = RecoveryCase.objects.filter(employer__in=employers)
    return set(employers.values_list("unit_code", flat=True)), set(
        cases.values_list("pk", flat=True)
    )


@dataclass(frozen=True)
class DistrictEra:
    """What the district-era database held, as the tests compare it."""

    districts: list[tuple[int, str]]
    employers: dict[str, str]  # unit code -> district
    officers: dict[str, set[str]]  # username -> districts
    scope: dict[str, set[str]]  # username -> unit codes they see
    cases: dict[str, set[int]]  # username -> cases they see
    coverage: dict[tuple[str | None, int, int | None], int]  # (district, year, quarter) -> SI
    balances: list[BalanceRow]
    rows: dict[str, list[tuple[Any, ...]]]


def build_district_era(apps: StateApps) -> DistrictEra:
    """The sample and demo provinces, officers of one and of two districts, a manager, a
    police liaison, a case with a referral to the police and its events, coverage figures by
    district and for the province, and a letter."""
    # What the migrations seed, should an earlier transactional test have flushed it.
    for seeded in (
        "arrears.migrations.0002_seed_interest_rate",
        "accounts.migrations.0002_seed_agencies",
    ):
        importlib.import_module(seeded).seed(apps, None)
    load_samples(apps)
    load_demo(apps)
    District = apps.get_model("participants", "District")
    Employer = apps.get_model("participants", "Employer")
    User = apps.get_model("accounts", "User")
    Agency = apps.get_model("accounts", "Agency")
    districts = {d.name: d for d in District.objects.all()}
    officers = {
        "officer_da_bac": ["Đà Bắc"],
        "officer_two": ["Lương Sơn", "Thành phố Hòa Bình"],
        "officer_none": [],
    }
    for username, names in officers.items():
        user = User.objects.create(username=username, role="officer")
        user.districts.set([districts[name] for name in names])
    manager = User.objects.create(username="manager", role="manager")
    police = Agency.objects.get(code="police")
    User.objects.create(username="police", role="liaison", agency=police)

    employer = Employer.objects.get(unit_code="HB00005A")
    officer = User.objects.get(username="officer_da_bac")
    case = apps.get_model("arrears", "RecoveryCase").objects.create(
        employer=employer,
        officer=officer,
        stage="criminal_referral",
        opened_on=date(2026, 3, 2),
        arrears_at_opening=1_186_560_000,
        follow_up_on=date(2026, 12, 1),
    )
    apps.get_model("arrears", "Referral").objects.create(
        case=case,
        agency=police,
        purpose="investigate",
        status="sent",
        reference="9/BHXH-QLT",
        sent_on=date(2026, 9, 1),
        arrears_at_referral=1_900_000_000,
        employees_at_referral=54,
        approved_by=manager,
        created_by=officer,
    )
    apps.get_model("arrears", "RecoveryCase").objects.create(
        employer=Employer.objects.get(unit_code="HB00000A"),  # Lương Sơn
        officer=User.objects.get(username="officer_two"),
        stage="reminded",
        opened_on=date(2026, 10, 5),
        arrears_at_opening=38_720_000,
    )
    CaseEvent = apps.get_model("arrears", "CaseEvent")
    CaseEvent.objects.create(
        case=case, kind="call", occurred_on=date(2026, 3, 3), author=officer, text="Gọi kế toán"
    )
    CaseEvent.objects.create(
        case=case,
        kind="referral",
        occurred_on=date(2026, 9, 1),
        author=officer,
        agency=police,
        text="Chuyển Công an tỉnh",
    )
    apps.get_model("arrears", "Reminder").objects.create(
        employer=employer,
        cycle="2026-W46",
        kind="notice",
        channel="letter",
        status="sent",
        as_of=SAMPLE_DAY,
        arrears=2_191_360_000,
        interest=144_778_368,
        months_in_arrears=11,
        document="reminders/2026/HB00005A-2026-W46.pdf",
    )
    CoverageFigure = apps.get_model("participants", "CoverageFigure")
    for district, si in (
        (None, 50_000),
        (districts["Đà Bắc"], 3_000),
        (districts["Tân Lạc"], 4_000),
    ):
        CoverageFigure.objects.create(
            district=district,
            year=2026,
            quarter=3,
            compulsory_si=si,
            voluntary_si=si // 10,
            ui=si - 100,
            hi=si * 8,
            labour_force=si * 3,
            population=si * 10,
        )

    users = User.objects.order_by("username")
    scope = {user.username: district_era_scope(apps, user) for user in users}
    return DistrictEra(
        districts=list(District.objects.order_by("pk").values_list("pk", "name")),
        employers=dict(Employer.objects.values_list("unit_code", "district__name")),
        officers={u.username: set(u.districts.values_list("name", flat=True)) for u in users},
        scope={username: employers for username, (employers, _cases) in scope.items()},
        cases={username: cases for username, (_employers, cases) in scope.items()},
        coverage={
            (f.district.name if f.district else None, f.year, f.quarter): f.compulsory_si
            for f in CoverageFigure.objects.select_related("district")
        },
        balances=district_era_balances(SAMPLE_DAY),
        rows=snapshot(),
    )


def assert_offices_as_districts(before: DistrictEra) -> None:
    """Every district is a grassroots office (same row, same name, a code) under the
    provincial office; employers, officers, their scope, figures and balances follow."""
    offices = list(Office.objects.filter(kind=Office.Kind.GRASSROOTS).order_by("pk"))
    assert [(o.pk, o.name) for o in offices] == before.districts
    assert all(o.code for o in offices)
    province = Office.objects.get(kind=Office.Kind.PROVINCE)
    assert (province.code, province.name) == ("TINH", settings.OFFICE_NAME)
    assert not Commune.objects.exists()

    assert dict(Employer.objects.values_list("unit_code", "office__name")) == before.employers
    users = User.objects.order_by("username")
    assert {u.username: {o.name for o in u.offices.all()} for u in users} == before.officers
    assert {
        u.username: set(Employer.objects.in_scope(u).values_list("unit_code", flat=True))
        for u in users
    } == before.scope
    assert {
        u.username: set(RecoveryCase.objects.in_scope(u).values_list("pk", flat=True))
        for u in users
    } == before.cases
    assert {
        (f.office.name if f.office else None, f.year, f.quarter): f.compulsory_si
        for f in CoverageFigure.objects.select_related("office")
    } == before.coverage
    assert_rows_kept(before.rows)
    assert balances_as_of(SAMPLE_DAY) == before.balances


def assert_sample_balances(expected: dict[str, Any]) -> None:
    """The sample employers' figures are expected.json's, one by one and in total."""
    samples = Employer.objects.filter(unit_code__in=expected["employers"])
    rows = {row.unit_code: row for row in balances_as_of(SAMPLE_DAY, employers=samples)}
    for code, want in expected["employers"].items():
        row = rows[code]
        oldest = f"{row.oldest_unpaid_period:%Y-%m}" if row.oldest_unpaid_period else None
        got = (row.arrears, row.months_in_arrears, oldest, row.interest, row.employees)
        assert got == (
            want["arrears"],
            want["months_in_arrears"],
            want["oldest_unpaid_period"],
            want["interest"],
            want["employees"],
        ), code
    totals = expected["totals"]
    assert sum(r.arrears for r in rows.values()) == totals["arrears"]
    assert sum(1 for r in rows.values() if r.arrears) == totals["employers_in_arrears"]
    assert sum(r.interest for r in rows.values()) == totals["interest"]


def test_districts_become_offices_and_back(at_latest_after, capsys) -> None:  # type: ignore[no-untyped-def]
    expected = json.loads((SAMPLES / "expected.json").read_text(encoding="utf-8"))
    before = build_district_era(migrate(DISTRICT_ERA))
    capsys.readouterr()

    migrate(latest())
    report = capsys.readouterr().out
    assert_offices_as_districts(before)
    assert_sample_balances(expected)
    codes = dict(Office.objects.values_list("name", "code"))
    assert f"{len(before.districts)} districts became grassroots offices" in report
    for _pk, name in before.districts:
        assert f"{name} = {codes[name]}" in report
    assert f"provincial office «{settings.OFFICE_NAME}» = TINH" in report
    assert f"{len(before.employers)} employers (2 recovery cases)" in report
    assert "3 officer assignments, 2 coverage figures by district and 1 letters" in report

    # Back: the districts, row for row, and everything on them as it was.
    apps = migrate(DISTRICT_ERA)
    District = apps.get_model("participants", "District")
    assert list(District.objects.order_by("pk").values_list("pk", "name")) == before.districts
    assert snapshot() == before.rows
    assert district_era_balances(SAMPLE_DAY) == before.balances

    # And forward again: the same offices with the same codes.
    migrate(latest())
    assert_offices_as_districts(before)
    assert dict(Office.objects.values_list("name", "code")) == codes


def _province() -> Office:
    return Office.objects.get_or_create(
        kind=Office.Kind.PROVINCE, defaults={"code": "TINH", "name": settings.OFFICE_NAME}
    )[0]


def test_going_back_with_an_employer_on_the_provincial_office_refuses(at_latest_after) -> None:  # type: ignore[no-untyped-def]
    """The way back stops at the migration that would lose the employer's office, saying why;
    the migrations undone before it lost nothing, and forward again all is as it was."""
    province = _province()
    EmployerFactory(unit_code="HB99999A", office=province)
    before = table_rows("participants_employer")
    with pytest.raises(IrreversibleError, match="1 employers on the provincial office"):
        migrate(DISTRICT_ERA)
    assert ("participants", "0007_offices_and_communes") in MigrationRecorder(
        connection
    ).applied_migrations()
    migrate(latest())
    assert table_rows("participants_employer") == before
    assert Employer.objects.get(unit_code="HB99999A").office == province


# Each migration's guard, on the data that has no place in the district era. Called here with
# the latest models, which have every field they read under the same name (undoing the
# migrations gives them their own; the test above does that for one).
GUARDS = {
    "participants 0007": ("participants", "0007_offices_and_communes"),
    "participants 0008": ("participants", "0008_map_history_triggers"),
    "accounts 0003": ("accounts", "0003_offices_communes_kinds"),
}


@functools.cache
def guard(migration: str) -> Callable[[], None]:
    app, name = GUARDS[migration]
    check = importlib.import_module(f"{app}.migrations.{name}").refuse_lossy_return
    return functools.partial(check, latest_apps(), None)


@functools.cache
def latest_apps() -> StateApps:
    loader = MigrationLoader(None, ignore_no_migrations=True)
    return loader.project_state(loader.graph.leaf_nodes()).apps


def _commune() -> Commune:
    office = OfficeFactory(name="Lương Sơn")
    return Commune.objects.get_or_create(
        code="04978", defaults={"name": "Lương Sơn", "kind": "xa", "office": office}
    )[0]


FIGURES = {
    "year": 2026,
    "quarter": 3,
    "compulsory_si": 50_000,
    "voluntary_si": 5_000,
    "ui": 48_000,
    "hi": 400_000,
    "labour_force": 150_000,
    "population": 500_000,
}

BLOCKERS: dict[str, tuple[str, Callable[[], object], str]] = {
    "commune": ("participants 0007", _commune, "1 communes"),
    "employer on the province": (
        "participants 0007",
        lambda: EmployerFactory(office=_province()),
        "1 employers on the provincial office",
    ),
    "officer on the province": (
        "participants 0007",
        lambda: UserFactory(offices=[_province()]),
        "1 officers on the provincial office",
    ),
    "figure of the province office": (
        "participants 0007",
        lambda: CoverageFigure.objects.create(office=_province(), **FIGURES),
        "1 coverage figures on the provincial office",
    ),
    "office's address": (
        "participants 0007",
        lambda: OfficeFactory(name="Thành phố Hòa Bình", address="Số 2, Trần Hưng Đạo"),
        "address, phone or head of Thành phố Hòa Bình",
    ),
    "office's own code": (
        "participants 0007",
        lambda: OfficeFactory(name="Lạc Sơn", code="BHXH_LS"),
        "the codes of Lạc Sơn",
    ),
    "commune in the history": (
        "participants 0008",
        lambda: EmployerFactory(commune=_commune()),
        "1 employer history rows name a commune",
    ),
    "office head": (
        "accounts 0003",
        lambda: UserFactory(username="head", role=User.Role.OFFICE_HEAD),
        r"office heads \(head\)",
    ),
    "officer narrowed to communes": (
        "accounts 0003",
        lambda: UserFactory(username="narrowed").communes.add(_commune()),
        r"officers narrowed to communes \(narrowed\)",
    ),
    "organisation with an area": (
        "accounts 0003",
        lambda: Agency.objects.get(code="police").communes.add(_commune()),
        r"organisations with an area \(police\)",
    ),
    "second organisation of a kind": (
        "accounts 0003",
        lambda: Agency.objects.create(
            code="police_luong_son", kind=Agency.Kind.POLICE, name="Công an xã Lương Sơn"
        ),
        r"beyond the province-level one of a kind \(police_luong_son\)",
    ),
}


@pytest.mark.django_db
@pytest.mark.parametrize("blocker", BLOCKERS)
def test_each_guard_names_what_the_districts_cannot_hold(blocker: str) -> None:
    migration, make, says = BLOCKERS[blocker]
    guard(migration)()  # the province as migrated: nothing in the way
    make()
    with pytest.raises(IrreversibleError, match=says):
        guard(migration)()


@pytest.mark.django_db
def test_guards_let_district_era_data_go_back(employer_a, officer_a, manager, police) -> None:  # type: ignore[no-untyped-def]
    _province()
    EmployerFactory(office=OfficeFactory(name="Thành phố Hòa Bình"))
    for migration in GUARDS:
        guard(migration)()
