"""Import throughput: mtbench-review import vs `sqlite-utils insert --nl` on the same rows, in the same run.

Datasets: the 31 official answer files plus the five real runs (from ../shared), and a
synthetic file of 1M judgments that this script generates.

    python bench/import_bench.py            # readable table
    python bench/import_bench.py --json     # the same figures as JSON
    python bench/import_bench.py --judgments 200000   # a smaller synthetic set
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from synthetic import write_dataset  # noqa: E402

from mtbench_tui.core import loading  # noqa: E402
from mtbench_tui.core.importer import import_sources  # noqa: E402
from mtbench_tui.core.store import Store  # noqa: E402

SHARED = ROOT.parent / "shared" / "mtbench"


def time_ours(sources: loading.DataSources, db: Path) -> tuple[float, int]:
    """Seconds and rows for one mtbench-review import into a fresh database."""
    store = Store.open(db)
    start = time.perf_counter()
    summary = import_sources(store, sources)
    elapsed = time.perf_counter() - start
    store.close()
    return elapsed, sum(k.read for k in summary.kinds.values())


def time_sqlite_utils(files: list[tuple[str, Path]], db: Path) -> tuple[float, int]:
    """Seconds and rows for `sqlite-utils insert TABLE FILE --nl`, one call per table over the same rows."""
    exe = shutil.which("sqlite-utils") or str(Path(sys.executable).parent / "sqlite-utils")
    merged: dict[str, Path] = {}
    rows = 0
    for table, path in files:  # one file per table, so process start-up is paid once per table
        target = merged.setdefault(table, db.with_suffix(f".{table}.jsonl"))
        with open(target, "ab") as out, open(path, "rb") as src:
            shutil.copyfileobj(src, out)
        rows += sum(1 for line in open(path, "rb") if line.strip())
    start = time.perf_counter()
    for table, path in merged.items():
        subprocess.run(
            [exe, "insert", str(db), table, str(path), "--nl", "--alter"],
            check=True,
            stdout=subprocess.DEVNULL,
        )
    return time.perf_counter() - start, rows


def tables_for(sources: loading.DataSources) -> list[tuple[str, Path]]:
    """The same files as (table, path) for sqlite-utils."""
    return (
        [("questions", p) for p in sources.questions]
        + [("references", p) for p in sources.references]
        + [("answers", p) for p in sources.answers]
        + [("judgments", p) for p in sources.judgments]
    )


def measure(name: str, sources: loading.DataSources, work: Path) -> dict[str, object]:
    """One dataset: ours, theirs, and the ratio of rows per second."""
    ours_s, rows = time_ours(sources, work / f"{name}-ours.db")
    theirs_s, their_rows = time_sqlite_utils(tables_for(sources), work / f"{name}-su.db")
    ours_rate, theirs_rate = rows / ours_s, their_rows / theirs_s
    return {
        "dataset": name,
        "rows": rows,
        "ours_s": round(ours_s, 3),
        "ours_rows_per_s": round(ours_rate),
        "sqlite_utils_s": round(theirs_s, 3),
        "sqlite_utils_rows_per_s": round(theirs_rate),
        "ratio": round(ours_rate / theirs_rate, 3),
    }


def shared_sets() -> list[tuple[str, loading.DataSources]]:
    """The official answers and each real run, when ../shared is present."""
    if not SHARED.is_dir():
        print(f"note: {SHARED} not found; skipping the real datasets", file=sys.stderr)
        return []
    sets = [("official (31 models)", loading.discover(SHARED / "official"))]
    sets += [(f"run {p.name}", loading.discover(p)) for p in sorted((SHARED / "runs").iterdir())]
    return sets


def main() -> None:
    """Run every dataset and print a table (or JSON)."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    parser.add_argument(
        "--judgments", type=int, default=1_000_000, help="size of the synthetic judgment set"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        results = [measure(name, sources, work) for name, sources in shared_sets()]
        models = max(1, args.judgments // (2 * 1000))
        write_dataset(work / "synthetic", questions=1000, models=models)
        results.append(
            measure(
                f"synthetic {models * 2000:,} judgments", loading.discover(work / "synthetic"), work
            )
        )
    if args.json:
        print(json.dumps({"benchmark": "import", "results": results}, indent=2))
        return
    header = f"{'dataset':<34}{'rows':>10}{'ours s':>9}{'ours rows/s':>13}{'s-u s':>9}{'s-u rows/s':>13}{'ratio':>8}"
    print(header)
    print("-" * len(header))
    for r in results:
        print(
            f"{r['dataset']:<34}{r['rows']:>10,}{r['ours_s']:>9.2f}{r['ours_rows_per_s']:>13,}"
            f"{r['sqlite_utils_s']:>9.2f}{r['sqlite_utils_rows_per_s']:>13,}{r['ratio']:>8.2f}"
        )
    print(
        "\nratio = our rows/s ÷ sqlite-utils insert --nl rows/s on the same files, same run. Ours also validates"
    )
    print("every field, checks references, detects duplicate keys and runs as one transaction.")


if __name__ == "__main__":
    main()
