"""Write a province-scale set of statement files for benchmarks, with the demo's generator.

    .venv/bin/python bench/generate.py --employers 20000 --months 16 --out .data/bench

writes communes.csv (the demo province's communes and the offices serving them: import it
first, the employers name them), employers.csv (each with its managing office and commune),
contributions.csv and payments.csv (UTF-8, header first, the formats of shared/DOMAIN.md) ready
for the importer; with ``--persons 400000`` also persons.csv, that many insured persons spread
over the employers by headcount (never more than an employer's employees). Needs no Django
settings: ``demo.province`` and ``demo.persons`` are plain Python. The same arguments give the
same files.
"""

from __future__ import annotations

import argparse
import csv
import random
import sys
import time
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the project root

from demo import persons as demo_persons
from demo import province as demo

PROVINCE_TIME = ZoneInfo("Asia/Ho_Chi_Minh")


def write(
    out: Path, employers: int, months: int | None, as_of: date, seed: int, persons: int = 0
) -> dict[str, int]:
    """Write communes.csv, the three statement files (and persons.csv if ``persons``) into
    ``out``; return the rows written per file."""
    out.mkdir(parents=True, exist_ok=True)
    communes = demo.commune_rows()
    with (out / "communes.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=demo.COMMUNE_COLUMNS)
        writer.writeheader()
        writer.writerows(communes)
    files = {
        "employers": demo.EMPLOYER_COLUMNS,
        "contributions": demo.CONTRIBUTION_COLUMNS,
        "payments": demo.PAYMENT_COLUMNS,
    }
    counts = {"communes": len(communes), **dict.fromkeys(files, 0)}
    workplaces: list[demo_persons.Workplace] = []
    handles = {
        name: (out / f"{name}.csv").open("w", newline="", encoding="utf-8") for name in files
    }
    try:
        writers = {
            name: csv.DictWriter(handles[name], fieldnames=columns)
            for name, columns in files.items()
        }
        for writer in writers.values():
            writer.writeheader()
        for rows in demo.generate(employers, as_of=as_of, months=months, seed=seed):
            writers["employers"].writerow(rows.employer)
            writers["contributions"].writerows(rows.contributions)
            writers["payments"].writerows(rows.payments)
            counts["employers"] += 1
            counts["contributions"] += len(rows.contributions)
            counts["payments"] += len(rows.payments)
            workplace = demo_persons.Workplace.of(rows) if persons else None
            if workplace is not None:
                workplaces.append(workplace)
    finally:
        for handle in handles.values():
            handle.close()
    if persons:
        counts["persons"] = write_persons(out / "persons.csv", workplaces, persons, seed)
    return counts


def write_persons(
    path: Path, workplaces: list[demo_persons.Workplace], total: int, seed: int
) -> int:
    """persons.csv: ``total`` persons shared out over the employers by headcount."""
    rng = random.Random(seed)  # noqa: S311 -- reproducible bench data, not secrets
    shares = demo_persons.share_out(total, [w.employees for w in workplaces])
    written = 0
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=demo_persons.PERSON_COLUMNS)
        writer.writeheader()
        for workplace, count in zip(workplaces, shares, strict=True):
            writer.writerows(demo_persons.persons(rng, workplace, count, written))
            written += count
    return written


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--employers", type=int, default=20000)
    parser.add_argument(
        "--months", type=int, default=None, help="months of contributions (default: from 2025-07)"
    )
    parser.add_argument("--out", type=Path, default=Path(".data/bench"))
    parser.add_argument(
        "--as-of",
        type=date.fromisoformat,
        default=datetime.now(PROVINCE_TIME).date(),
        help="YYYY-MM-DD; contributions run through the month before (default: today)",
    )
    parser.add_argument("--seed", type=int, default=demo.DEFAULT_SEED)
    parser.add_argument(
        "--persons", type=int, default=0, help="insured persons to write to persons.csv"
    )
    args = parser.parse_args(argv)
    started = time.perf_counter()
    counts = write(args.out, args.employers, args.months, args.as_of, args.seed, args.persons)
    elapsed = time.perf_counter() - started
    summary = ", ".join(f"{count:,} {name}" for name, count in counts.items())
    print(f"{summary} in {args.out} ({elapsed:.1f} s)")


if __name__ == "__main__":
    main()
