"""Concurrency probe for bench/import_bench.py: small writes during a large import land, quickly."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from synthetic import write_dataset

from mtbench_tui.core.models import TurnKey
from mtbench_tui.core.store import Store

MODEL = "model-00000"
"""The model whose answers exist before the large import starts (it re-imports them unchanged)."""


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    """Run mtbench-review in a fresh process."""
    cmd = [sys.executable, "-m", "mtbench_tui", *args]
    return subprocess.run(cmd, capture_output=True, text=True, check=True)


def ratings_file(path: Path, reviewer: str) -> Path:
    """20 human ratings (10 questions x 2 turns) in the FastChat layout that import reads."""
    rows = [
        {
            "question_id": q,
            "model": MODEL,
            "judge": [f"human:{reviewer}", "review"],
            "judgment": "",
            "score": 1 + (q + turn) % 10,
            "turn": turn,
            "updated": "2026-01-01T00:00:00.000Z",
        }
        for q in range(1, 11)
        for turn in (1, 2)
    ]
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    return path


def probe_concurrency(work: Path, models: int = 150) -> dict[str, Any]:
    """During a 1000 x ``models`` import (450k rows for 150), keep writing; time every write.

    Returns:
        The large import's rows, time and lock hold; how many small imports and single
        ratings ran during it, the worst latency of each, and whether all of them landed.
    """
    write_dataset(work / "probe-big", questions=1000, models=models)
    write_dataset(work / "probe-base", questions=1000, models=1)
    db = work / "probe.db"
    cli("import", str(work / "probe-base"), "--db", str(db))
    cmd = [sys.executable, "-m", "mtbench_tui", "import", str(work / "probe-big"), "--db", str(db)]
    start = time.perf_counter()
    big = subprocess.Popen(
        [*cmd, "--json"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    store = Store.open(db)
    small: list[float] = []
    single: list[float] = []
    while big.poll() is None:
        t = time.perf_counter()
        cli(
            "import",
            str(ratings_file(work / "probe.jsonl", f"probe-{len(small)}")),
            "--db",
            str(db),
        )
        small.append(time.perf_counter() - t)
        t = time.perf_counter()
        key = TurnKey(1 + len(single) % 1000, MODEL, 1 + len(single) // 1000 % 2)
        store.ratings.set_score(key, f"rater-{len(single) // 2000}", 7)
        single.append(time.perf_counter() - t)
    big_s = time.perf_counter() - start
    out, err = big.communicate()
    if big.returncode != 0:
        raise RuntimeError(f"large import failed: {err}")
    summary = json.loads(out)
    landed = store.db.execute(
        "SELECT COUNT(*) FROM ratings WHERE reviewer LIKE 'probe-%' OR reviewer LIKE 'rater-%'"
    ).fetchone()[0]
    store.close()
    return {
        "big_import_rows": sum(k["read"] for k in summary["kinds"].values()),
        "big_import_s": round(big_s, 2),
        "big_import_lock_s": summary["write_lock_seconds"],
        "small_imports": len(small),
        "small_import_max_s": round(max(small, default=0.0), 2),
        "ratings": len(single),
        "rating_max_s": round(max(single, default=0.0), 3),
        "all_landed": landed == 20 * len(small) + len(single),
    }
