"""docs/benchmarks.md from the figures of each scale: bench/run.py keeps one run's figures in
bench/results/<scale>.json and writes the page from every scale it finds, side by side, with
how much each figure grew from the province to the region."""

from __future__ import annotations

import json
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS_DIR = ROOT / "bench" / "results"
ORDER = ("province", "region")
# A count in a row's name, but not a number of worker processes (1, 2 and 4 are rows apart).
_NUMBER = re.compile(r"\d[\d,.]*+(?! worker)")
_SECONDS = re.compile(r"(?:95th )?(\d[\d,.]*) (ms|s|min)\b")
_UNIT = {"ms": 0.001, "s": 1.0, "min": 60.0}


def save(scale: str, record: dict) -> None:
    """Keep one scale's run: ``record`` holds machine, counts, command and rows."""
    RESULTS_DIR.mkdir(exist_ok=True)
    (RESULTS_DIR / f"{scale}.json").write_text(json.dumps(record, ensure_ascii=False, indent=1))


def _key(what: str) -> str:
    """A row's name with its counts taken out, so that the same figure matches across scales
    ("XLSX of employer_balances (20,000 rows)" and "(200,000 rows)")."""
    return _NUMBER.sub("#", what)


def seconds(figure: str) -> float | None:
    """The figure's time in seconds: a 95th percentile when it gives one, else its first."""
    found = list(_SECONDS.finditer(figure))
    if not found:
        return None
    chosen = next((m for m in found if m.group(0).startswith("95th")), found[0])
    return float(chosen.group(1).replace(",", "")) * _UNIT[chosen.group(2)]


def _merged(runs: dict[str, dict]) -> list[tuple[str, dict[str, tuple[str, str]]]]:
    """Rows of every scale in one order: the first scale's, with rows only another scale has
    placed after the row they follow there."""
    order: list[str] = []
    rows: dict[str, tuple[str, dict[str, tuple[str, str]]]] = {}
    for scale, run in runs.items():
        previous = None
        for what, figure, target in run["rows"]:
            key = _key(what)
            if key not in rows:
                rows[key] = (what, {})
                order.insert(order.index(previous) + 1 if previous else len(order), key)
            rows[key][1][scale] = (figure, target)
            previous = key
    return [rows[key] for key in order]


def render(out: Path, notes: Path) -> None:
    runs = {
        scale: json.loads((RESULTS_DIR / f"{scale}.json").read_text())
        for scale in ORDER
        if (RESULTS_DIR / f"{scale}.json").exists()
    }
    lines = [
        "# Benchmarks",
        "",
        "Written by `make bench` (province) and `make bench SCALE=region` (`bench/run.py`): "
        "each run keeps its figures in `bench/results/<scale>.json` and this page shows every "
        "scale measured, side by side. Targets are the region's where the two differ.",
        "",
    ]
    for scale, run in runs.items():
        counts = ", ".join(f"{n:,} {name}" for name, n in run["counts"].items())
        lines += [
            f"## {scale.capitalize()} scale",
            "",
            f"{counts}, as of {run['as_of']}. Command: `{run['command']}`.",
            "",
            *run["machine"],
            "",
        ]
    scales = list(runs)
    header = ["what", *scales]
    if len(scales) > 1:
        header.append(f"{scales[-1]} ÷ {scales[0]}")
    header.append("target")
    lines += [
        "## Figures",
        "",
        "| " + " | ".join(header) + " |",
        "|" + " --- |" * len(header),
    ]
    for what, cells in _merged(runs):
        row = [what, *(cells.get(s, ("–", ""))[0] or "–" for s in scales)]
        if len(scales) > 1:
            first, last = (seconds(cells.get(s, ("", ""))[0]) for s in (scales[0], scales[-1]))
            row.append(f"{last / first:.1f}×" if first and last else "")
        targets = [cells[s][1] for s in scales if s in cells and cells[s][1]]
        row.append(targets[-1] if targets else "")
        lines.append("| " + " | ".join(row) + " |")
    lines.append("")
    if notes.exists():
        lines += ["## What limits them", "", notes.read_text().strip(), ""]
    out.write_text("\n".join(lines))
    print(f"wrote {out}")
