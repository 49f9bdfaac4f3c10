"""Import throughput: `mtbench-review import` vs `sqlite-utils insert --nl`, same rows, same run.

Datasets: the 31 official answer files and the five real runs (from ../shared), and a
synthetic set of 1M judgments + 500k answers that this script generates. Both tools run
as commands in fresh processes, timed from start to exit, so start-up counts for both.
For each dataset: rows/s of each, the ratio, our peak RSS, and the longest time our
import held the database's write lock. Then a concurrency probe: during a 450k-row import,
20-row ratings imports and single ratings are written again and again; their worst
latency is reported and every one of them must land.

    python bench/import_bench.py                       # readable table
    python bench/import_bench.py --json                # the same figures as JSON
    python bench/import_bench.py --judgments 200000    # a smaller synthetic set
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from import_probe import probe_concurrency  # noqa: E402
from synthetic import write_dataset  # noqa: E402

from mtbench_tui.core import loading  # noqa: E402

SHARED = ROOT.parent / "shared" / "mtbench"


def run_measured(cmd: list[str]) -> tuple[float, float, str]:
    """Run a command; return wall seconds, its peak RSS in MB, and its stdout."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout is not None and proc.stderr is not None
    out = proc.stdout.read().decode()
    err = proc.stderr.read().decode()
    _pid, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise RuntimeError(f"{cmd[:4]} failed: {err.strip()[-500:]}")
    return elapsed, usage.ru_maxrss / 1024, out


def time_ours(source: Path, db: Path) -> dict[str, Any]:
    """One `mtbench-review import` into a fresh database."""
    cmd = [sys.executable, "-m", "mtbench_tui", "import", str(source), "--db", str(db), "--json"]
    seconds, rss, out = run_measured(cmd)
    summary = json.loads(out)
    rows = sum(k["read"] for k in summary["kinds"].values())
    return {"s": seconds, "rows": rows, "rss": rss, "lock": summary["write_lock_seconds"]}


def time_sqlite_utils(sources: loading.DataSources, work: Path, db: Path) -> dict[str, Any]:
    """`sqlite-utils insert DB TABLE FILE --nl`, one call per table over the same rows."""
    exe = shutil.which("sqlite-utils") or str(Path(sys.executable).parent / "sqlite-utils")
    merged: dict[str, Path] = {}
    rows = 0
    for table, paths in (
        ("questions", sources.questions),
        ("references", sources.references),
        ("answers", sources.answers),
        ("judgments", sources.judgments),
        ("pairs", sources.pairs),
    ):
        for path in paths:  # one file per table, so process start-up is paid once per table
            target = merged.setdefault(table, work / f"su-{table}.jsonl")
            with open(target, "ab") as out, open(path, "rb") as src:
                shutil.copyfileobj(src, out)
            rows += sum(1 for line in open(path, "rb") if line.strip())
    seconds, rss = 0.0, 0.0
    for table, path in merged.items():
        s, r, _out = run_measured([exe, "insert", str(db), table, str(path), "--nl", "--alter"])
        seconds, rss = seconds + s, max(rss, r)
    for path in merged.values():
        path.unlink()
    return {"s": seconds, "rows": rows, "rss": rss}


def measure(name: str, source: Path, work: Path) -> dict[str, Any]:
    """One dataset: ours, theirs, and the ratio of rows per second."""
    load_before = os.getloadavg()[0]
    ours = time_ours(source, work / "ours.db")
    theirs = time_sqlite_utils(loading.discover(source), work, work / "su.db")
    for leftover in work.glob("*.db*"):
        leftover.unlink()
    ours_rate, theirs_rate = ours["rows"] / ours["s"], theirs["rows"] / theirs["s"]
    return {
        "dataset": name,
        "rows": ours["rows"],
        "ours_s": round(ours["s"], 2),
        "ours_rows_per_s": round(ours_rate),
        "sqlite_utils_s": round(theirs["s"], 2),
        "sqlite_utils_rows_per_s": round(theirs_rate),
        "ratio": round(ours_rate / theirs_rate, 2),
        "peak_rss_mb": round(ours["rss"]),
        "sqlite_utils_peak_rss_mb": round(theirs["rss"]),
        "write_lock_s": round(ours["lock"], 3),
        # Per 100k rows only where there are 100k: a small import's lock is one commit.
        "write_lock_s_per_100k_rows": (
            round(ours["lock"] * 100_000 / ours["rows"], 3) if ours["rows"] >= 100_000 else None
        ),
        "load_avg_1m": [round(load_before, 2), round(os.getloadavg()[0], 2)],
    }


def shared_sets() -> list[tuple[str, Path]]:
    """The official answers and each real run, when ../shared is present."""
    if not SHARED.is_dir():
        print(f"note: {SHARED} not found; skipping the real datasets", file=sys.stderr)
        return []
    sets = [("official (31 models)", SHARED / "official")]
    return sets + [(f"run {p.name}", p) for p in sorted((SHARED / "runs").iterdir())]


def _per_100k(r: dict[str, Any]) -> str:
    """Lock seconds per 100k rows, or a dash for small datasets."""
    value = r["write_lock_s_per_100k_rows"]
    return "-" if value is None else f"{value:.2f}"


def print_table(report: dict[str, Any]) -> None:
    """The figures as a readable table."""
    header = (
        f"{'dataset':<32}{'rows':>10}{'ours s':>8}{'ours rows/s':>12}{'s-u s':>8}"
        f"{'s-u rows/s':>11}{'ratio':>7}{'RSS MB':>8}{'lock s':>8}{'/100k':>7}"
    )
    print(header)
    print("-" * len(header))
    for r in report["results"]:
        print(
            f"{r['dataset']:<32}{r['rows']:>10,}{r['ours_s']:>8.2f}{r['ours_rows_per_s']:>12,}"
            f"{r['sqlite_utils_s']:>8.2f}{r['sqlite_utils_rows_per_s']:>11,}{r['ratio']:>7.2f}"
            f"{r['peak_rss_mb']:>8}{r['write_lock_s']:>8.2f}{_per_100k(r):>7}"
        )
    print(
        "\nratio = our rows/s ÷ sqlite-utils insert --nl rows/s, same files, same run; both timed"
        "\nas commands from start to exit. Ours also validates every field, checks references,"
        "\ndetects duplicate keys and is all-or-nothing. lock = longest write-lock hold."
    )
    probe = report.get("concurrency")
    if probe:
        print(
            f"\nDuring a {probe['big_import_rows']:,}-row import ({probe['big_import_s']:.1f} s,"
            f" write lock {probe['big_import_lock_s']:.2f} s):"
            f" {probe['small_imports']} 20-row ratings imports,"
            f" worst {probe['small_import_max_s']:.2f} s;"
            f" {probe['ratings']} single ratings, worst {probe['rating_max_s']:.2f} s;"
            f" all landed: {probe['all_landed']}."
        )
    loads = [v for r in report["results"] for v in r["load_avg_1m"]]
    print(f"\nmachine: {report['machine']}; {report['when']}; load {min(loads)}–{max(loads)}")


def main() -> None:
    """Run every dataset and print a table (or JSON)."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    parser.add_argument(
        "--judgments", type=int, default=1_000_000, help="size of the synthetic judgment set"
    )
    parser.add_argument("--no-real", action="store_true", help="skip the real datasets")
    parser.add_argument("--no-probe", action="store_true", help="skip the concurrency probe")
    args = parser.parse_args()
    report: dict[str, Any] = {
        "benchmark": "import",
        "when": time.strftime("%Y-%m-%d %H:%M:%S %z"),
        "machine": (
            f"{os.cpu_count()} cores, {platform.platform()}, Python {platform.python_version()}"
        ),
        "results": [],
    }
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        if not args.no_real:
            report["results"] += [measure(name, src, work) for name, src in shared_sets()]
        models = max(1, args.judgments // (2 * 1000))
        write_dataset(work / "synthetic", questions=1000, models=models)
        label = f"synthetic {models * 2000:,} judg. + {models * 1000:,} answers"
        report["results"].append(measure(label, work / "synthetic", work))
        shutil.rmtree(work / "synthetic")
        if not args.no_probe:
            report["concurrency"] = probe_concurrency(work)
    if args.json:
        print(json.dumps(report, indent=2))
    else:
        print_table(report)


if __name__ == "__main__":
    main()
