"""What each design choice of the import costs or saves, measured on synthetic judgment lines.

Each row times one step over the same lines, in the same run, against its alternative:
decoding (json, orjson, msgspec typed structs), validation (the precise field getters vs
msgspec plus a few checks), hashing every row, progress per row vs per block, duplicate
detection in Python vs SQLite's UNIQUE index, batch size, and writing into the main
database's transaction vs a staging file plus a merge (whose lock is what reviewers feel).

    python bench/import_directions.py              # 300k judgment lines
    python bench/import_directions.py --rows 1000000 --json
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sqlite3
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import msgspec  # noqa: E402
from synthetic import write_dataset  # noqa: E402

from mtbench_tui.core import decoding, loading  # noqa: E402
from mtbench_tui.core.jsonl import parse_line  # noqa: E402
from mtbench_tui.core.store.importing import STAGING_CACHE_KIB  # noqa: E402

COLUMNS = (
    "question_id, model, turn, judge, judge_model, prompt, score, judgment, user_prompt, tstamp"
)


REPEAT = 3
"""Each step runs this many times and the fastest counts: the machine is shared and noisy."""


def timed(fn: Callable[[], Any]) -> float:
    """Seconds the fastest of REPEAT calls takes."""
    best = float("inf")
    for _ in range(REPEAT):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def decoding_rows(lines: list[bytes]) -> list[dict[str, Any]]:
    """json vs orjson (when installed) vs msgspec typed decoding."""
    typed = msgspec.json.Decoder(decoding._Judgment).decode
    rows = [
        {
            "step": "decode",
            "choice": "json.loads",
            "s": timed(lambda: [json.loads(x) for x in lines]),
        }
    ]
    try:
        import orjson  # not a dependency: measured when installed
    except ImportError:
        pass
    else:
        s = timed(lambda: [orjson.loads(x) for x in lines])
        rows.append({"step": "decode", "choice": "orjson.loads", "s": s})
    s = timed(lambda: [typed(x) for x in lines])
    return [*rows, {"step": "decode", "choice": "msgspec typed struct (ours)", "s": s}]


def validation_rows(lines: list[bytes], path: Path) -> list[dict[str, Any]]:
    """The precise path (json + field getters) vs msgspec with the fast checks."""

    def precise() -> None:
        for i, raw in enumerate(lines):
            row = parse_line(path, i + 1, raw)
            assert row is not None
            loading.parse_judgment(row)

    return [
        {"step": "decode + validate", "choice": "json + field getters", "s": timed(precise)},
        {
            "step": "decode + validate",
            "choice": "msgspec + checks (ours)",
            "s": timed(lambda: decoding.decode_judgments(path, 0, 1, lines)),
        },
    ]


def hashing_rows(rows: list[tuple[Any, ...]]) -> list[dict[str, Any]]:
    """A content hash for every row vs none (we compare stored columns in SQL instead)."""

    def hash_all() -> None:
        for r in rows:
            hashlib.blake2b(repr(r[6:]).encode(), digest_size=16).hexdigest()

    return [
        {"step": "content hash", "choice": "blake2b per row (before)", "s": timed(hash_all)},
        {"step": "content hash", "choice": "none: SQL compares columns (ours)", "s": 0.0},
    ]


def progress_rows(n: int, blocks: int) -> list[dict[str, Any]]:
    """Rich's Progress.advance once per row vs once per block."""
    from rich.console import Console
    from rich.progress import Progress

    def run(calls: int) -> None:
        with Progress(console=Console(file=open(os.devnull, "w")), auto_refresh=False) as bar:
            task = bar.add_task("x", total=calls)
            for _ in range(calls):
                bar.advance(task, 1)

    return [
        {"step": "progress", "choice": "advance per row (before)", "s": timed(lambda: run(n))},
        {
            "step": "progress",
            "choice": "advance per 4 MiB block (ours)",
            "s": timed(lambda: run(blocks)),
        },
    ]


def staging_rows(rows: list[tuple[Any, ...]], work: Path) -> list[dict[str, Any]]:
    """Duplicate detection and batch size, writing into a staging table."""
    out = []
    python_seen: dict[tuple[Any, ...], int] = {}

    def python_dedupe() -> None:
        for r in rows:
            python_seen.setdefault((r[2], r[3], r[4], r[5]), r[1])

    out.append({"step": "duplicates", "choice": "Python dict of keys", "s": timed(python_dedupe)})
    for unique, batch in ((False, 20_000), (True, 2_000), (True, 20_000)):
        conn = _staging(work / f"s-{unique}-{batch}.db", unique)
        sql = f"INSERT INTO s (file, line, {COLUMNS}) VALUES ({', '.join('?' * 12)})"
        if unique:
            sql += " ON CONFLICT (question_id, model, turn, judge) DO NOTHING"

        def insert(conn: sqlite3.Connection = conn, sql: str = sql, batch: int = batch) -> None:
            conn.execute("DELETE FROM s")
            for i in range(0, len(rows), batch):
                conn.execute("BEGIN")
                conn.executemany(sql, rows[i : i + batch])
                conn.execute("COMMIT")

        label = ("UNIQUE upsert" if unique else "plain insert") + f", {batch:,}-row batches"
        out.append({"step": "stage rows", "choice": label, "s": timed(insert)})
        conn.close()
    return out


def _staging(path: Path, unique: bool) -> sqlite3.Connection:
    """A staging-like table with relaxed durability."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode = OFF")
    conn.execute("PRAGMA synchronous = OFF")
    conn.execute(f"PRAGMA cache_size = -{STAGING_CACHE_KIB}")  # as the import's staging file
    conn.execute(f"CREATE TABLE s (file, line, {COLUMNS})")
    if unique:
        conn.execute("CREATE UNIQUE INDEX s_key ON s(question_id, model, turn, judge)")
    return conn


def lock_rows(source: Path, work: Path) -> list[dict[str, Any]]:
    """Our import's write-lock hold vs the whole import time (the lock before this design)."""
    from mtbench_tui.core.importer import import_sources
    from mtbench_tui.core.store import Store

    store = Store.open(work / "lock.db")
    start = time.perf_counter()
    summary = import_sources(store, loading.discover(source))
    total = time.perf_counter() - start
    store.close()
    return [
        {"step": "write lock", "choice": "held for the whole import, as before", "s": total},
        {"step": "write lock", "choice": "staging file + merge (ours)", "s": summary.lock_seconds},
    ]


def main() -> None:
    """Measure every direction and print a table (or JSON)."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=300_000, help="judgment lines to use")
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        models = max(1, args.rows // 2000)
        write_dataset(work / "data", questions=1000, models=models)
        path = work / "data" / "model_judgment" / "gpt-4_single.jsonl"
        lines = path.read_bytes().splitlines()
        staged = decoding.decode_judgments(path, 0, 1, lines).rows["judgments"]
        results = decoding_rows(lines) + validation_rows(lines, path) + hashing_rows(staged)
        results += progress_rows(len(lines), max(1, path.stat().st_size >> 22))
        results += staging_rows([r[:12] for r in staged], work)
        results += lock_rows(work / "data", work)
    for r in results:
        r["s"] = round(r["s"], 3)
        r["us_per_row"] = round(r["s"] * 1e6 / len(lines), 2)
    report = {"benchmark": "import_directions", "rows": len(lines), "results": results}
    if args.json:
        print(json.dumps(report, indent=2))
        return
    print(f"{len(lines):,} judgment lines (lock rows: the whole dataset, answers included)\n")
    print(f"{'step':<20}{'choice':<44}{'s':>8}{'µs/row':>9}")
    for r in results:
        print(f"{r['step']:<20}{r['choice']:<44}{r['s']:>8.2f}{r['us_per_row']:>9.2f}")


if __name__ == "__main__":
    main()
