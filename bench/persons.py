"""Insured persons at province scale, run by bench/run.py after the ledger's files are in:
persons.csv imported (against psql's ``\\copy`` of it, and against PostgreSQL alone loading it
into the persons table), imported again unchanged, and the insured lookup's server time.

The lookup is timed in this process through Django's test client (URL routing, middleware,
session, queries, templates: everything but the network), for a sample of persons spread
over the file, as a manager and as an officer of the largest office.
"""

from __future__ import annotations

import re
import statistics
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

SAMPLE = 200  # persons looked up, each in four ways
TARGET_MS = 100


def _baseline(results: list[tuple[str, str, str]]) -> float | None:
    """psql's \\copy of persons.csv, as bench/run.py measured it."""
    for what, figure, _target in results:
        if what.startswith("psql \\copy persons.csv"):
            return float(re.match(r"[0-9.]+", figure).group())  # type: ignore[union-attr]
    return None


def _postgres_alone(path: Path) -> float:
    """COPY of the file's bytes into a temporary table (no Python per row), then one
    INSERT ... SELECT into the persons table with its indexes, generated column and foreign
    key checked: what PostgreSQL itself needs to load the file. Rolled back."""
    from django.db import connection, transaction

    columns = path.open(encoding="utf-8").readline().strip()
    with transaction.atomic(), connection.cursor() as cursor:
        start = time.perf_counter()
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(
            "CREATE TEMP TABLE bench_persons ("
            + ", ".join(f"{c} text" for c in columns.split(","))
            + ") ON COMMIT DROP"
        )
        with (
            path.open("rb") as file,
            cursor.copy(
                f"COPY bench_persons ({columns}) FROM STDIN WITH (FORMAT csv, HEADER true)"
            ) as copy,
        ):
            while chunk := file.read(1 << 20):
                copy.write(chunk)
        cursor.execute(
            """
            INSERT INTO participants_insuredperson (social_insurance_number, full_name,
                date_of_birth, sex, employer_id, from_period, to_period)
            SELECT s.social_insurance_number, s.full_name, s.date_of_birth::date, s.sex, e.id,
                   (s.from_period || '-01')::date, (nullif(s.to_period, '') || '-01')::date
            FROM bench_persons AS s JOIN participants_employer AS e USING (unit_code)
            ORDER BY s.social_insurance_number
            """
        )
        seconds = time.perf_counter() - start
        transaction.set_rollback(True)
    return seconds


def _milliseconds(client: Any, requests: list[tuple[str, dict[str, str]]]) -> list[float]:
    times = []
    for url, params in requests:
        start = time.perf_counter()
        response = client.get(url, params)
        times.append((time.perf_counter() - start) * 1000)
        if response.status_code not in (200, 302):
            raise SystemExit(f"{url} {params}: {response.status_code}")
    return times


def run(
    data: Path,
    *,
    timed: Callable[..., Callable[[Callable[[], Any]], Any]],
    results: list[tuple[str, str, str]],
    as_of: date,
) -> None:
    from django.db.models import Count
    from django.test import Client

    from accounts.models import User
    from participants.imports.persons import import_persons
    from participants.models import InsuredPerson, Office

    path = data / "persons.csv"
    copied = _baseline(results)
    alone = _postgres_alone(path)
    results.append(
        (
            "PostgreSQL alone: COPY persons.csv + INSERT … SELECT into the persons table",
            f"{alone:.2f} s" + (f" ({alone / copied:.1f}× \\copy)" if copied else ""),
            "",
        )
    )
    start = time.perf_counter()
    created = import_persons(path).created
    seconds = time.perf_counter() - start
    ratio = f" = {seconds / copied:.1f}× \\copy, {seconds / alone:.1f}× PostgreSQL alone"
    results.append(
        (f"import persons.csv ({created:,} new)", f"{seconds:.2f} s{ratio if copied else ''}",
         "≤ 5× \\copy")
    )  # fmt: skip
    print(f"import persons: {seconds:.2f} s", flush=True)
    timed("import persons.csv again (nothing changes)")(lambda: import_persons(path))

    manager = User.objects.create(username="bench-manager", role=User.Role.MANAGER)
    # The largest office: the officer with the widest scope.
    largest = Office.objects.annotate(n=Count("employers")).order_by("-n").first()
    officer = User.objects.create(username="bench-officer", role=User.Role.OFFICER)
    officer.offices.set([largest])
    for user, persons in (
        (manager, InsuredPerson.objects.all()),
        (officer, InsuredPerson.objects.in_scope(officer)),
    ):
        count = persons.count()
        sample = list(
            persons.order_by("id").values_list(
                "social_insurance_number", "full_name", "date_of_birth"
            )[:: max(1, count // SAMPLE)][:SAMPLE]
        )
        client = Client(HTTP_HOST="localhost")
        client.force_login(user)
        client.get("/nguoi-lao-dong/")  # the first request of a process pays for imports
        for label, requests in (
            ("worker page", [(f"/nguoi-lao-dong/{n}/", {}) for n, _name, _born in sample]),
            ("lookup by number", [("/nguoi-lao-dong/", {"q": n}) for n, _nm, _b in sample]),
            ("lookup by full name", [("/nguoi-lao-dong/", {"q": nm}) for _n, nm, _b in sample]),
            (
                "lookup by name and year of birth",
                [("/nguoi-lao-dong/", {"q": f"{nm} {b.year}"}) for _n, nm, b in sample],
            ),
        ):
            times = sorted(_milliseconds(client, requests))
            figure = (
                f"median {statistics.median(times):.0f} ms, "
                f"95th {times[int(len(times) * 0.95) - 1]:.0f} ms, max {times[-1]:.0f} ms"
            )
            what = f"{label}, {user.get_role_display()} ({len(times)} persons)"
            results.append((what, figure, f"< {TARGET_MS} ms server time"))
            print(f"{what}: {figure}", flush=True)
