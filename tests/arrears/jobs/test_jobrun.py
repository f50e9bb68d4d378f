"""One run per job and cycle at a time, recorded as a JobRun (arrears/jobs/jobrun.py):
interrupted, failed and concurrent runs."""

from __future__ import annotations

from datetime import date

import psycopg
import pytest
from django.db import IntegrityError, connection, transaction

from arrears.jobs import runs
from arrears.jobs.cycles import JobBusy
from arrears.jobs.reminders import create_reminders, notice_targets
from arrears.jobs.runs import run_scheduled, run_weekly
from arrears.models import JobRun, Reminder
from tests.arrears.jobs.conftest import MONDAY, late

pytestmark = pytest.mark.django_db


def test_a_run_that_died_half_way_is_completed_without_duplicates(sample_province):  # type: ignore[no-untyped-def]
    # What a worker killed after writing some reminders leaves: its run "running", 5 notices.
    dead = JobRun.objects.create(job="weekly", cycle="2026-W47", run_on=MONDAY)
    create_reminders(kind="notice", cycle="2026-W47", on=MONDAY, targets=notice_targets(MONDAY)[:5])

    summary = run_weekly(MONDAY)

    assert summary["reminders"] == 19 - 5
    assert summary["invitations"] == 15
    assert Reminder.objects.filter(kind="notice").count() == 19
    dead.refresh_from_db()
    assert dead.outcome == "failed"
    assert dead.error.startswith("Bị gián đoạn")


def test_a_failed_run_is_recorded_and_the_next_completes(sample_province, monkeypatch):  # type: ignore[no-untyped-def]
    def crash(**kwargs):  # type: ignore[no-untyped-def]
        raise RuntimeError("mất kết nối giữa chừng")

    monkeypatch.setattr(runs, "open_cases", crash)
    with pytest.raises(RuntimeError):
        run_weekly(MONDAY)
    failed = JobRun.objects.get()
    assert (failed.outcome, failed.error) == ("failed", "RuntimeError: mất kết nối giữa chừng")
    assert failed.counts["reminders"] == 19  # written before the crash
    monkeypatch.undo()

    summary = run_weekly(MONDAY)
    assert (summary["reminders"], summary["invitations"], summary["cases_opened"]) == (0, 0, 15)
    assert Reminder.objects.count() == 19 + 15


def test_two_runs_of_a_cycle_cannot_overlap(employer_a):  # type: ignore[no-untyped-def]
    late(employer_a, 9)
    # Another process holds the cycle's lock, as a run in progress does.
    with psycopg.connect(**connection.get_connection_params()) as other:
        other.execute(
            "SELECT pg_advisory_lock(hashtext('arrears.jobs'), hashtext('weekly:2026-W47'))"
        )
        with pytest.raises(JobBusy):
            run_weekly(MONDAY)
        assert run_scheduled("weekly", on="2026-11-16") is None  # the task steps aside
        # Another week is another lock.
        assert run_weekly(date(2026, 11, 23))["reminders"] == 1
        # Released now: a closed connection's backend lets go of it only when it exits, a
        # moment later on a loaded machine.
        other.execute(
            "SELECT pg_advisory_unlock(hashtext('arrears.jobs'), hashtext('weekly:2026-W47'))"
        )
    assert not Reminder.objects.filter(cycle="2026-W47").exists()
    assert run_weekly(MONDAY)["reminders"] == 1
    # And behind the lock, the database allows one running JobRun per job and cycle.
    JobRun.objects.create(job="weekly", cycle="2026-W50", run_on=date(2026, 12, 7))
    with pytest.raises(IntegrityError), transaction.atomic():
        JobRun.objects.create(job="weekly", cycle="2026-W50", run_on=date(2026, 12, 7))


def test_an_interrupted_run_is_found_and_resumed_to_the_end(
    sample_province, django_capture_on_commit_callbacks
):  # type: ignore[no-untyped-def]
    # A worker died half-way: its run "running", 5 notices written, its lock gone with it.
    dead = JobRun.objects.create(job="weekly", cycle="2026-W47", run_on=MONDAY)
    create_reminders(kind="notice", cycle="2026-W47", on=MONDAY, targets=notice_targets(MONDAY)[:5])

    with django_capture_on_commit_callbacks(execute=True):  # the queued task runs (eager)
        assert runs.resume_interrupted() == 1

    dead.refresh_from_db()
    assert dead.outcome == "failed" and dead.error.startswith("Bị gián đoạn")
    resumed = JobRun.objects.exclude(pk=dead.pk).get(job="weekly", cycle="2026-W47")
    assert resumed.outcome == "succeeded" and resumed.counts["reminders"] == 19 - 5
    assert Reminder.objects.filter(kind="notice").count() == 19
    assert runs.resume_interrupted() == 0


def test_a_run_whose_process_still_holds_its_lock_is_left_alone(db):  # type: ignore[no-untyped-def]
    live = JobRun.objects.create(job="weekly", cycle="2026-W47", run_on=MONDAY)
    with psycopg.connect(**connection.get_connection_params()) as other:
        other.execute(
            "SELECT pg_advisory_lock(hashtext('arrears.jobs'), hashtext('weekly:2026-W47'))"
        )
        assert runs.resume_interrupted() == 0
    live.refresh_from_db()
    assert live.outcome == "running"
