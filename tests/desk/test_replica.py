"""The database router and ``stale_reads``: report reads go to a configured replica, writes
and a user's pages after a write never do, migrations run on the primary only.

The "replica" here is a second connection to the test database (what the settings' TEST
MIRROR makes of REPLICA_DATABASE_URL under tests): it sees only committed rows, so these
tests commit (transactional) and a read it answers really went through it. A real streaming
replica: scripts/replica and bench/replica.py."""

from __future__ import annotations

import copy
import csv
from collections.abc import Iterator

import pytest
from django.core.management import call_command
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from arrears.balances import current_balances, refresh_balances
from desk import replica as desk_replica
from desk.replica import PIN_COOKIE, REPLICA, ReplicaRouter, read_alias, stale_reads
from participants.models import Employer
from reports.models import Certificate
from tests.samples import SAMPLE_DAY, SampleProvince

BOTH = ["default", REPLICA]
committed = pytest.mark.django_db(transaction=True, serialized_rollback=True, databases=BOTH)
REPORT = reverse("report_employer_balances")
AS_OF = {"on": "16/11/2026"}


@pytest.fixture(scope="module", autouse=True)
def replica(django_db_setup, django_db_blocker) -> Iterator[None]:  # type: ignore[no-untyped-def]
    """A "replica" alias on the test database, for this module's tests (declared before
    any test's database access is set up, as Django's test cases want)."""
    conf = copy.deepcopy(connections[DEFAULT_DB_ALIAS].settings_dict)
    conf["TEST"]["MIRROR"] = DEFAULT_DB_ALIAS
    connections.settings[REPLICA] = conf
    yield
    with django_db_blocker.unblock():
        connections[REPLICA].close()
    del connections[REPLICA]
    del connections.settings[REPLICA]


@pytest.fixture
def replica_down(monkeypatch) -> Iterator[str]:  # type: ignore[no-untyped-def]
    """The replica's alias on a port nothing answers on; yields its real port."""
    replica = connections[REPLICA]
    replica.close()
    port = replica.settings_dict["PORT"]
    monkeypatch.setitem(replica.settings_dict, "PORT", "1")
    monkeypatch.setattr(desk_replica, "_down_until", 0.0)
    yield port
    replica.close()


def _sql(captured: CaptureQueriesContext) -> str:
    return "\n".join(q["sql"] for q in captured.captured_queries)


def test_without_a_replica_everything_is_the_primary(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    router = ReplicaRouter()
    monkeypatch.delitem(connections.settings, REPLICA)
    with stale_reads() as alias:
        assert alias == DEFAULT_DB_ALIAS
        assert router.db_for_read(Employer) == DEFAULT_DB_ALIAS
        assert read_alias() == DEFAULT_DB_ALIAS


@committed
def test_router_reads_from_the_replica_in_a_block_writes_never() -> None:
    router = ReplicaRouter()
    assert router.db_for_read(Employer) == DEFAULT_DB_ALIAS  # outside a block
    with stale_reads() as alias:
        assert alias == REPLICA
        assert router.db_for_read(Employer) == REPLICA
        assert router.db_for_write(Employer) == DEFAULT_DB_ALIAS
        with stale_reads() as inner:  # nested: the outer block's choice
            assert inner == REPLICA
        # Its transaction is read-only and one snapshot: REPEATABLE READ.
        with connections[REPLICA].cursor() as cursor:
            cursor.execute("SHOW transaction_isolation")
            assert cursor.fetchone()[0] == "repeatable read"
    assert read_alias() == DEFAULT_DB_ALIAS
    assert router.allow_migrate(DEFAULT_DB_ALIAS, "arrears") is True
    assert router.allow_migrate(REPLICA, "arrears") is False


@committed
def test_a_write_in_a_block_goes_to_the_primary(sample_province: SampleProvince) -> None:  # type: ignore[no-untyped-def]
    employer = sample_province.employers["HB00000A"]
    with (
        CaptureQueriesContext(connections[REPLICA]) as on_replica,
        stale_reads(),
    ):
        found = Employer.objects.get(pk=employer.pk)
        assert found._state.db == REPLICA
        found.name = "Công ty đổi tên"
        found.save()
    assert "UPDATE" not in _sql(on_replica)
    assert Employer.objects.get(pk=employer.pk).name == "Công ty đổi tên"


@committed
def test_balances_read_with_their_freshness_on_the_replica(  # type: ignore[no-untyped-def]
    sample_province: SampleProvince,
) -> None:
    refresh_balances(SAMPLE_DAY)
    on_primary = current_balances(SAMPLE_DAY)
    with (
        CaptureQueriesContext(connections[DEFAULT_DB_ALIAS]) as on_default,
        CaptureQueriesContext(connections[REPLICA]) as on_replica,
        stale_reads(),
    ):
        assert current_balances(SAMPLE_DAY) == on_primary
    # The Balance table and the stamps that vouch for it, both read on the replica.
    assert "arrears_balancestate" in _sql(on_replica)
    assert "arrears_balance b" in _sql(on_replica)
    assert "arrears_balance" not in _sql(on_default)


@committed
def test_a_report_page_reads_from_the_replica(  # type: ignore[no-untyped-def]
    sample_province: SampleProvince, manager, client_as
) -> None:
    refresh_balances(SAMPLE_DAY)
    client = client_as(manager)
    with (
        CaptureQueriesContext(connections[DEFAULT_DB_ALIAS]) as on_default,
        CaptureQueriesContext(connections[REPLICA]) as on_replica,
    ):
        page = client.get(REPORT, AS_OF)
    assert page.status_code == 200
    assert "HB00000A" in page.content.decode()
    assert "participants_employer" in _sql(on_replica)
    assert "arrears_balance" not in _sql(on_default)  # the session and user only
    with CaptureQueriesContext(connections[REPLICA]) as exported:
        streamed = b"".join(client.get(REPORT, {**AS_OF, "format": "csv"}).streaming_content)
    assert b"HB00000A" in streamed
    assert "arrears_balance" in _sql(exported)


@committed
def test_the_export_command_reads_from_the_replica(  # type: ignore[no-untyped-def]
    sample_province: SampleProvince, replica, tmp_path
) -> None:
    out = tmp_path / "aging.csv"
    with CaptureQueriesContext(connections[REPLICA]) as on_replica:
        call_command("export_report", "aging", "--as-of", "2026-11-16", "--output", str(out))
    assert "arrears_contribution" in _sql(on_replica)
    with out.open(encoding="utf-8-sig", newline="") as f:
        arrears = sum(int(row["arrears"]) for row in csv.DictReader(f))
    assert arrears == sample_province.expected["totals"]["arrears"]


@committed
def test_a_post_never_reads_the_replica_nor_the_pages_after_it(  # type: ignore[no-untyped-def]
    sample_province: SampleProvince, manager, client_as
) -> None:
    refresh_balances(SAMPLE_DAY)
    client = client_as(manager)
    with CaptureQueriesContext(connections[REPLICA]) as on_replica:
        issued = client.post(reverse("certificates"), {"unit_code": "HB00001B", "on": "16/11/2026"})
        assert issued.status_code == 302
        assert Certificate.objects.count() == 1
        assert PIN_COOKIE in issued.cookies
        # The user's next pages, reports included, stay on the primary for a while.
        assert client.get(REPORT, AS_OF).status_code == 200
    assert on_replica.captured_queries == []
    client.cookies.pop(PIN_COOKIE)
    with CaptureQueriesContext(connections[REPLICA]) as later:
        client.get(REPORT, AS_OF)
    assert later.captured_queries


@pytest.mark.django_db(databases=BOTH)
def test_inside_a_transaction_reads_stay_on_the_primary() -> None:  # type: ignore[no-untyped-def]
    # (Every non-transactional test runs in one: its writes are not visible elsewhere.)
    with transaction.atomic(), stale_reads() as alias:
        assert alias == DEFAULT_DB_ALIAS


@committed
def test_a_replica_down_leaves_reports_on_the_primary(  # type: ignore[no-untyped-def]
    sample_province: SampleProvince, manager, client_as, replica_down
) -> None:
    with stale_reads() as alias:
        assert alias == DEFAULT_DB_ALIAS
    # Back, but not tried again for a while: no report waits for its connection timeout.
    connections[REPLICA].settings_dict["PORT"] = replica_down
    with stale_reads() as alias:
        assert alias == DEFAULT_DB_ALIAS
    desk_replica._down_until = 0.0
    with stale_reads() as alias:
        assert alias == REPLICA
    connections[REPLICA].close()
    connections[REPLICA].settings_dict["PORT"] = "1"
    page = client_as(manager).get(REPORT, AS_OF)
    assert page.status_code == 200
    assert "HB00000A" in page.content.decode()
