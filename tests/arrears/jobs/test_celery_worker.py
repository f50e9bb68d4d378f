"""The jobs on a real Celery worker, and their faults.

The worker is a subprocess against the configured broker: Redis when CELERY_BROKER_URL is set
(as in CI), else kombu's SQLAlchemy transport on the test database. It works on the test
database, so these tests commit. Each test uses a queue of its own, so parallel test
processes sharing one Redis never take each other's messages.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from io import StringIO
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
import pytest
from django.conf import settings
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.utils import timezone
from django_celery_beat.models import PeriodicTask
from kombu.exceptions import OperationalError as BrokerError

from arrears import tasks
from arrears.cases import services as cases
from arrears.jobs.cycles import week_cycle
from arrears.jobs.reminders import notice_targets
from arrears.models import JobRun, Reminder
from config.celery import app
from config.database import sqlalchemy_broker_url

pytestmark = [
    # Committed rows for the worker; the migrations' rows (agencies, rates) restored after
    # each test's flush.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    # This process is eager; beat's send_task goes to the broker all the same, as wanted.
    pytest.mark.filterwarnings("ignore::celery.exceptions.AlwaysEagerIgnored"),
    # kombu's SQLAlchemy models, not ours.
    pytest.mark.filterwarnings("ignore:The ``noload`` loader strategy is deprecated"),
]

MONDAY = date(2026, 11, 16)
ROOT = Path(__file__).resolve().parents[3]
WAIT = 120  # seconds before a worker is deemed stuck (a busy CI machine is slow)
# A worker for one queue, which is also where the tasks it queues go (the deliveries).
CELERY_WORKER = """
import sys
from config.celery import app
app.conf.task_default_queue = sys.argv[1]
app.conf.task_routes = {}  # the deliveries too
app.worker_main(["worker", "--pool=solo", "--loglevel=INFO", "--without-gossip",
                 "--without-mingle", "--without-heartbeat", "-Q", sys.argv[1]])
"""


def celery_worker_database_url() -> str:
    """DATABASE_URL, pointed at the test database."""
    parts = urlsplit(settings.DATABASE_URL)
    return urlunsplit(parts._replace(path="/" + connection.settings_dict["NAME"]))


def broker_url() -> str:
    return os.environ.get("CELERY_BROKER_URL") or sqlalchemy_broker_url(
        celery_worker_database_url()
    )


@pytest.fixture
def queue() -> Iterator[str]:
    """A queue of the test's own, declared before any worker starts (on the SQLAlchemy
    transport this also creates its tables, which two processes must not race to do)."""
    name = f"test-jobs-{uuid.uuid4().hex[:12]}"
    with app.connection_for_write(broker_url()) as conn:
        conn.default_channel.queue_declare(name)
    yield name
    if broker_url().startswith("sqla+"):
        # By SQL: the transport's own delete leaves its session's transaction open.
        with connection.cursor() as cursor:
            cursor.execute(
                "DELETE FROM kombu_message WHERE queue_id IN "
                "(SELECT id FROM kombu_queue WHERE name = %s)",
                [name],
            )
            cursor.execute("DELETE FROM kombu_queue WHERE name = %s", [name])
    else:
        with app.connection_for_write(broker_url()) as conn:
            conn.default_channel.queue_delete(name)
            redis = conn.default_channel.client
            for key in redis.scan_iter(f"*{name}*"):  # kombu's bindings of the queue
                redis.delete(key)


@contextmanager
def celery_worker(queue: str, tmp_path: Path) -> Iterator[subprocess.Popen[bytes]]:
    """A worker process on the test database; stopped (or reaped if killed) on the way out."""
    log = (tmp_path / f"worker-{uuid.uuid4().hex[:6]}.log").open("wb")
    env = {
        **os.environ,
        "DATABASE_URL": celery_worker_database_url(),
        "CELERY_BROKER_URL": broker_url(),
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "MEDIA_ROOT": str(tmp_path),
        "EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend",
    }
    process = subprocess.Popen(  # noqa: S603 -- our own interpreter and script
        [sys.executable, "-c", CELERY_WORKER, queue], cwd=ROOT, env=env, stdout=log, stderr=log
    )
    try:
        yield process
    finally:
        if process.poll() is None:
            process.terminate()
            process.wait(timeout=WAIT)
        log.close()


def wait_for(condition: Callable[[], bool], process: subprocess.Popen[bytes]) -> None:
    """Poll the database until ``condition`` holds (the worker commits as it goes)."""
    deadline = time.monotonic() + WAIT
    while not condition():
        if process.poll() is not None:
            pytest.fail(f"the worker stopped (exit {process.returncode})")
        if time.monotonic() > deadline:
            pytest.fail("the worker did not finish in time")
        time.sleep(0.2)


def send_as_beat(task: str, queue: str, args: list[object], kwargs: dict[str, object]) -> None:
    """What celery beat does with a due entry: send the task by name, with the entry's
    arguments (routed here to the test's own queue)."""
    with app.connection_for_write(broker_url()) as conn:
        app.send_task(task, args=args, kwargs=kwargs, queue=queue, connection=conn)


def all_sent(cycle: str) -> Callable[[], bool]:
    def check() -> bool:
        reminders = Reminder.objects.filter(cycle=cycle)
        return reminders.exists() and not reminders.exclude(status=Reminder.Status.SENT).exists()

    return check


@pytest.mark.celery_worker
def test_beat_scheduled_task_runs_on_a_celery_worker(sample_province, queue, tmp_path):  # type: ignore[no-untyped-def]
    call_command("setup_periodic_tasks", stdout=StringIO())
    entry = PeriodicTask.objects.get(task="arrears.tasks.weekly_jobs_task")
    today = timezone.localdate()  # beat's entry carries no date: the run is for today's week
    cycle = week_cycle(today)
    expected = {t.unit_code for t in notice_targets(today)}
    assert expected

    with celery_worker(queue, tmp_path) as process:
        send_as_beat(entry.task, queue, json.loads(entry.args), json.loads(entry.kwargs))
        wait_for(all_sent(cycle), process)
        wait_for(lambda: JobRun.objects.filter(outcome="succeeded").exists(), process)

    run = JobRun.objects.get()
    assert (run.job, run.cycle, run.run_on, run.outcome) == ("weekly", cycle, today, "succeeded")
    notices = Reminder.objects.filter(cycle=cycle, kind=Reminder.Kind.NOTICE)
    assert set(notices.values_list("employer__unit_code", flat=True)) == expected
    assert run.counts["reminders"] == len(expected)
    assert set(Reminder.objects.values_list("attempts", flat=True)) == {1}
    letters = Reminder.objects.filter(channel=Reminder.Channel.LETTER)
    for letter in letters.select_related("employer"):
        assert (tmp_path / letter.document.name).exists()


@pytest.mark.celery_worker
def test_celery_worker_killed_mid_run_then_the_rerun_finishes(
    sample_province, manager, queue, tmp_path
):  # type: ignore[no-untyped-def]
    # A commitment broken on the Monday: the run stops at it while a test transaction holds
    # the instalment's row, after the reminders are written and their deliveries queued.
    employer = sample_province.employers["HB00005A"]
    case = cases.open_case(employer=employer, by=manager, on=date(2026, 11, 2))
    commitment = cases.add_commitment(
        case=case,
        kind="promise",
        signed_on=date(2026, 11, 2),
        instalments=[(date(2026, 11, 10), 100_000_000)],
        by=manager,
    )
    instalment = commitment.instalments.get()
    params = connection.get_connection_params()
    with psycopg.connect(**params) as blocker, psycopg.connect(**params, autocommit=True) as admin:
        blocker.execute(
            "SELECT 1 FROM arrears_instalment WHERE id = %s FOR UPDATE", [instalment.pk]
        )

        def blocked_backend() -> int | None:
            row = admin.execute(
                "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
                "AND wait_event_type = 'Lock' AND query ILIKE %s",
                ["%arrears_instalment%"],
            ).fetchone()
            return row[0] if row else None

        with celery_worker(queue, tmp_path) as first:
            send_as_beat("arrears.tasks.weekly_jobs_task", queue, [], {"on": "2026-11-16"})
            wait_for(lambda: blocked_backend() is not None, first)
            pid = blocked_backend()
            first.send_signal(signal.SIGKILL)
            first.wait(timeout=WAIT)
        # PostgreSQL ends the dead worker's session (and its advisory lock) when it notices;
        # here at once.
        admin.execute("SELECT pg_terminate_backend(%s)", [pid])
        blocker.rollback()
        deadline = time.monotonic() + WAIT
        while admin.execute("SELECT 1 FROM pg_stat_activity WHERE pid = %s", [pid]).fetchone():
            assert time.monotonic() < deadline, "the dead worker's session lingers"
            time.sleep(0.05)

    dead = JobRun.objects.get()
    assert dead.outcome == "running"
    assert Reminder.objects.count() == 19 + 15  # written before the kill
    instalment.refresh_from_db()
    assert instalment.broken_flagged_on is None

    with celery_worker(queue, tmp_path) as second:
        send_as_beat("arrears.tasks.weekly_jobs_task", queue, [], {"on": "2026-11-16"})
        wait_for(lambda: JobRun.objects.filter(outcome="succeeded").exists(), second)
        wait_for(all_sent("2026-W47"), second)

    dead.refresh_from_db()
    assert (dead.outcome, dead.error[:12]) == ("failed", "Bị gián đoạn")
    rerun = JobRun.objects.get(outcome="succeeded")
    assert rerun.counts["reminders"] == rerun.counts["invitations"] == 0
    assert rerun.counts["commitments_broken"] == 1
    assert Reminder.objects.count() == 19 + 15
    assert set(Reminder.objects.values_list("attempts", flat=True)) == {1}  # each sent once
    instalment.refresh_from_db()
    assert instalment.broken_flagged_on == MONDAY


def test_broker_unreachable_when_the_run_starts(sample_province, monkeypatch):  # type: ignore[no-untyped-def]
    """The run's deliveries cannot be queued: the run fails, the task retries, the retry
    completes the week with nothing sent twice."""
    real_delay = tasks.send_reminders_task.delay
    refusals = iter([BrokerError("Error 111 connecting to redis:6379. Connection refused.")])

    def delay(*args, **kwargs):  # type: ignore[no-untyped-def]
        refusal = next(refusals, None)
        if refusal is not None:
            raise refusal
        return real_delay(*args, **kwargs)

    monkeypatch.setattr(tasks.send_reminders_task, "delay", delay)
    monkeypatch.setitem(app.conf, "task_eager_propagates", False)  # eager retries run

    summary = tasks.weekly_jobs_task.delay(on="2026-11-16").get()

    failed, done = JobRun.objects.order_by("started_at")
    assert (failed.outcome, failed.error) == (
        "failed",
        "OperationalError: Error 111 connecting to redis:6379. Connection refused.",
    )
    assert failed.counts["reminders"] == 19
    assert done.outcome == "succeeded"
    assert summary["reminders"] == 0  # written by the first attempt
    assert summary["cases_opened"] == 15
    assert set(Reminder.objects.values_list("status", flat=True)) == {"sent"}
    emailed = Reminder.objects.filter(channel=Reminder.Channel.EMAIL).count()
    assert len(mail.outbox) == emailed
