"""A large import under stress.

Other writers land while it runs, and kill -9 leaves the database as it was.
"""

from __future__ import annotations

import hashlib
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from mtbench_tui.core.models import TurnKey
from mtbench_tui.core.paths import demo_data_dir
from mtbench_tui.core.store import Store

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

from synthetic import write_dataset  # noqa: E402

MODELS = 60
"""1,000 questions x 60 models: 120k judgments and 60k answers."""

pytestmark = pytest.mark.slow


def start_import(source: Path, db: Path, tmp: Path) -> subprocess.Popen[str]:
    """Start `mtbench-review import` in its own process; its staging file goes under ``tmp``."""
    tmp.mkdir(exist_ok=True)
    return subprocess.Popen(
        [sys.executable, "-m", "mtbench_tui", "import", str(source), "--db", str(db)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "TMPDIR": str(tmp)},
    )


def wait_for(condition: Callable[[], bool], proc: subprocess.Popen[str], what: str) -> None:
    """Wait until ``condition`` holds while ``proc`` still runs (polled; no fixed sleep)."""
    deadline = time.monotonic() + 120
    while not condition():
        assert proc.poll() is None, f"the import ended before {what}: {proc.stderr.read()}"  # type: ignore[union-attr]
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        try:
            proc.wait(timeout=0.005)
        except subprocess.TimeoutExpired:
            pass


def staging_started(tmp: Path) -> Callable[[], bool]:
    """True once the import's staging file holds rows."""
    return lambda: any(p.stat().st_size > 1_000_000 for p in tmp.glob("mtbench-import-*/*.db"))


def write_locked(db: Path) -> Callable[[], bool]:
    """True while another connection holds the database's write lock (the merge)."""

    def probe() -> bool:
        conn = sqlite3.connect(db, timeout=0, isolation_level=None)
        try:
            conn.execute("BEGIN IMMEDIATE")
            conn.execute("ROLLBACK")
            return False
        except sqlite3.OperationalError as exc:
            return "locked" in str(exc)
        finally:
            conn.close()

    return probe


def content(db: Path) -> str:
    """A digest of every row of every table (the logical content of the database)."""
    conn = sqlite3.connect(db)
    digest = hashlib.sha256()
    for line in conn.iterdump():
        digest.update(line.encode("utf-8", "surrogatepass"))
    conn.close()
    return digest.hexdigest()


def integrity(db: Path) -> str:
    """SQLite's own integrity check."""
    conn = sqlite3.connect(db)
    result = conn.execute("PRAGMA integrity_check").fetchone()[0]
    conn.close()
    return str(result)


@pytest.fixture(scope="module")
def large(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A synthetic FastChat directory of 180k rows."""
    root = tmp_path_factory.mktemp("large")
    write_dataset(root / "data", questions=1000, models=MODELS)
    return root / "data"


@pytest.fixture
def base_db(tmp_path: Path) -> Path:
    """A database holding the demo data, checkpointed and closed."""
    db = tmp_path / "base.db"
    store = Store.open(db)
    store.close()
    result = subprocess.run(
        [sys.executable, "-m", "mtbench_tui", "import", str(demo_data_dir()), "--db", str(db)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    return db


@pytest.mark.parametrize("moment", ["staging", "merge"])
def test_kill_9_leaves_the_database_as_it_was(
    large: Path, base_db: Path, tmp_path: Path, moment: str
) -> None:
    file_before, rows_before = base_db.read_bytes(), content(base_db)
    proc = start_import(large, base_db, tmp_path / "tmp")
    if moment == "staging":
        wait_for(staging_started(tmp_path / "tmp"), proc, "staging")
    else:
        wait_for(write_locked(base_db), proc, "the merge")
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert integrity(base_db) == "ok"
    assert content(base_db) == rows_before
    assert base_db.read_bytes() == file_before
    # The next import starts from a clean database and lands completely.
    result = start_import(large, base_db, tmp_path / "tmp")
    assert result.wait() == 0, result.stderr.read()  # type: ignore[union-attr]
    store = Store.open_readonly(base_db)
    assert store.content.counts().judgments == 96 + MODELS * 2000
    store.close()


def ratings_file(path: Path) -> Path:
    """20 human ratings of demo answers, as `export --format fastchat` writes them."""
    rows = [
        {
            "question_id": 900 + q,
            "model": "orion-70b-chat",
            "judge": ["human:carol", "review"],
            "judgment": "",
            "score": 5,
            "turn": turn,
        }
        for q in range(1, 11)
        for turn in (1, 2)
    ]
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    return path


def test_other_writers_land_during_a_large_import(
    large: Path, base_db: Path, tmp_path: Path
) -> None:
    big = start_import(large, base_db, tmp_path / "tmp")
    wait_for(staging_started(tmp_path / "tmp"), big, "staging")
    # A reviewer's rating, written through the store in this process ...
    store = Store.open(base_db)
    store.ratings.set_score(TurnKey(901, "lynx-13b-chat", 1), "dave", 9)
    # ... and a small import in a third process.
    small = subprocess.run(
        [sys.executable, "-m", "mtbench_tui", "import", str(ratings_file(tmp_path / "r.jsonl"))]
        + ["--db", str(base_db)],
        capture_output=True,
        text=True,
    )
    assert small.returncode == 0, small.stderr
    assert big.poll() is None, "the large import had already finished: nothing was proved"
    assert big.wait() == 0, big.stderr.read()  # type: ignore[union-attr]
    assert store.ratings.get(TurnKey(901, "lynx-13b-chat", 1), "dave").score == 9  # type: ignore[union-attr]
    scored = "SELECT COUNT(*) FROM ratings WHERE reviewer = ? AND score IS NOT NULL"
    assert store.db.execute(scored, ["carol"]).fetchone()[0] == 20
    assert store.content.counts().judgments == 96 + MODELS * 2000
    store.close()
    assert integrity(base_db) == "ok"
