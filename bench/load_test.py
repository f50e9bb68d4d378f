"""The load test: 25 office staff for 2 minutes against gunicorn (4 workers) on the bench
database, driven by locust from a second process over the loopback. Run last by
bench/run.py (`make bench`), or alone by `make load` on the database `make bench` left.

The bench data has no cases: each officer's office gets cases for its largest debts
(opened through arrears.cases.services, as an officer would). Sessions are prepared for the bench
users (bench/pages.py's), since demo users do not exist there. The figures: requests, errors
(there must be none) and the 95th percentile per page, from locust's own statistics.

``--hostile`` (``make load LOAD_ARGS=--hostile``) adds HOSTILE_USERS signed-in users who
upload the hostile files of issue 19 over and over while the staff work (bench/hostile.py: a
400 KB XLSX whose shared string unpacks to 400 MB, a CSV of 100,000 header columns, a quote
left open, 1.5 million rows): each must be refused or queued (no 5xx), and the staff's pages
keep their 95th percentile under TARGET_P95_MS. The many-row uploads are queued for a Celery
worker, as on the page; without one running they wait in the broker (their payments name an
employer the bench has not, so a worker refuses them).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
USERS = 25
SECONDS = 120
WORKERS = 4
CASES_PER_OFFICE = 30
TARGET_P95_MS = 500
HOSTILE_USERS = 4  # as many as gunicorn's workers: each could hold one


def _profiles(sessions: list[str]) -> list[dict[str, Any]]:
    """Each session with the cases its user sees, opening cases where there are none."""
    from django.contrib.sessions.backends.db import SessionStore

    from accounts.models import User
    from arrears.cases import services as cases
    from arrears.models import RecoveryCase
    from participants.models import Employer

    profiles = []
    for key in sessions:
        user = User.objects.get(pk=SessionStore(session_key=key)["_auth_user_id"])
        if user.is_officer and not RecoveryCase.objects.in_scope(user).exists():
            largest = (
                Employer.objects.in_scope(user)
                .filter(balance__arrears__gt=0)
                .order_by("-balance__arrears")[:CASES_PER_OFFICE]
            )
            for employer in largest:
                cases.open_case(employer=employer, by=user)
        mine = RecoveryCase.objects.in_scope(user).order_by("-id").values_list("pk", flat=True)
        profiles.append({"session": key, "cases": list(mine[:200])})
    return profiles


def _hostile_files(work: Path) -> Path:
    """The hostile uploads, made once into ``work``."""
    from bench import hostile

    folder = work / "hostile"
    folder.mkdir()
    hostile.shared_string_bomb(folder / "bomb.xlsx")
    (folder / "wide.csv").write_bytes(hostile.wide_header_csv())
    (folder / "quote.csv").write_bytes(hostile.open_quote_csv())
    hostile.many_rows_csv(folder / "many.csv")
    return folder


def _locust(
    port: int, users_file: Path, seconds: int, out: Path, hostile: Path | None = None
) -> list[dict[str, str]]:
    """locust headless in its own process; its statistics rows (one per page, then Aggregated)."""
    prefix = out / "load"
    users = USERS + (HOSTILE_USERS if hostile else 0)
    command = [
        str(Path(sys.executable).parent / "locust"),
        "-f", str(ROOT / "bench" / "load.py"),
        "--headless", "--users", str(users), "--spawn-rate", "5",
        "--run-time", f"{seconds}s", "--host", f"http://127.0.0.1:{port}",
        "--csv", str(prefix), "--only-summary", "--loglevel", "WARNING",
    ]  # fmt: skip
    env = os.environ | {"LOAD_USERS": str(users_file)}
    if hostile:
        env |= {"LOAD_HOSTILE": str(hostile), "LOAD_HOSTILE_USERS": str(HOSTILE_USERS)}
    subprocess.run(command, env=env, check=False, timeout=seconds + 120)  # noqa: S603
    with (out / "load_stats.csv").open(newline="") as f:
        return list(csv.DictReader(f))


def run(
    data: Path,
    *,
    timed: Callable[..., Callable[[Callable[[], Any]], Any]] | None = None,
    results: list[tuple[str, str, str]],
    as_of: date,
    seconds: int = SECONDS,
    hostile: bool = False,
) -> int:
    from bench.pages import _free_port, _serve, _sessions

    sessions = _sessions()
    profiles = _profiles(sessions)
    port = _free_port()
    with tempfile.TemporaryDirectory() as work:
        users_file = Path(work) / "users.json"
        users_file.write_text(json.dumps(profiles))
        files = _hostile_files(Path(work)) if hostile else None
        server = _serve(port, work, workers=WORKERS, threads=1)
        try:
            rows = _locust(port, users_file, seconds, Path(work), files)
        finally:
            server.terminate()
            server.wait(timeout=30)
    total = next(row for row in rows if row["Name"] == "Aggregated")
    errors = int(total["Failure Count"])
    attack = f", {HOSTILE_USERS} uploading hostile files" if hostile else ""
    results.append(
        (
            f"load: {USERS} staff{attack} for {seconds} s, locust on the loopback → gunicorn "
            f"{WORKERS} workers",
            f"{int(total['Request Count']):,} requests, {total['Requests/s'][:5]}/s, "
            f"{errors} errors; 95th {total['95%']} ms",
            "0 errors",
        )
    )
    for row in rows:
        if row["Name"] != "Aggregated":
            results.append(
                (
                    f"… {row['Name']}",
                    f"95th {row['95%']} ms, median {row['50%']} ms "
                    f"({row['Request Count']} requests, {row['Failure Count']} errors)",
                    "refused or queued, no 5xx"
                    if row["Name"].startswith("hostile:")
                    else f"95th ≤ {TARGET_P95_MS} ms",
                )
            )
    for line in results[-len(rows) :]:
        print(" | ".join(line), flush=True)
    return errors


def main() -> None:
    """`make load`: the load test alone, on the bench database of `make bench`."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--seconds", type=int, default=SECONDS)
    parser.add_argument(
        "--hostile", action="store_true", help="upload hostile files while the staff work"
    )
    args = parser.parse_args()
    from bench.run import AS_OF, BENCH_DB, SCALE, _base_url, _with_database

    os.environ["DATABASE_URL"] = _with_database(_base_url(), BENCH_DB)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.db import connection

    try:
        found = "participants_employer" in connection.introspection.table_names()
    except Exception:  # the database itself is missing
        found = False
    if not found:
        raise SystemExit(f"no {BENCH_DB} database with data: run `make bench` first")
    results: list[tuple[str, str, str]] = []
    errors = run(
        SCALE.data,
        results=results,
        as_of=AS_OF,
        seconds=args.seconds,
        hostile=args.hostile,
    )
    if errors:  # the bench records them in its table; alone, the command fails
        raise SystemExit(f"load test: {errors} errors")


if __name__ == "__main__":
    main()
