"""kill -9 of a multi-process judge run: no orphans, a clean rerun, every item judged once."""

from __future__ import annotations

import collections
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from mtbench_tui.core.store import Store
from mtbench_tui.testing.openai_server import LoopbackOpenAI
from tests.judge_helpers import import_without_verdicts

ROOT = Path(__file__).resolve().parents[1]
CONCURRENCY = 64
QUESTIONS = 300  # one model, two turns: 600 requests, enough for two worker processes


def descendants(pid: int) -> set[int]:
    """Every live process below ``pid`` (children, their children, ...), from /proc."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rpartition(")")[2].split()
            except OSError:
                continue
            parents[int(entry.name)] = int(fields[1])
    found, frontier = set(), {pid}
    while frontier:
        frontier = {p for p, parent in parents.items() if parent in frontier} - found
        found |= frontier
    return found


def running(pid: int) -> bool:
    """True while a process exists and is not a zombie (a zombie has stopped for good)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[0]
    except OSError:
        return False
    return state != "Z"


def wait_until(condition, seconds: float, what: str) -> None:
    """Poll ``condition`` until it holds; fail naming ``what`` after ``seconds``."""
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.05)


@pytest.mark.slow
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc to find orphans")
def test_kill_9_leaves_no_orphans_and_a_clean_rerun(tmp_path: Path) -> None:
    sys.path.insert(0, str(ROOT / "bench"))
    from synthetic import write_dataset

    write_dataset(tmp_path / "data", questions=QUESTIONS, models=1)
    db = tmp_path / "kill.db"
    store = Store.open(db)
    import_without_verdicts(store, tmp_path / "data")
    total = QUESTIONS * 2
    with LoopbackOpenAI(latency=0.2) as server:
        args = [
            str(Path(sys.executable).parent / "mtbench-review"),
            *("judge", "--db", str(db), "--judge-model", "kill-judge", "--yes"),
            *("--base-url", server.base_url, "--concurrency", str(CONCURRENCY)),
        ]
        env = dict(os.environ, OPENAI_API_KEY="sk-test-kill-0000")
        proc = subprocess.Popen(args, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        done = lambda: store.db.execute("SELECT COUNT(*) FROM judgments").fetchone()[0]  # noqa: E731
        wait_until(lambda: done() >= total // 4, 60, "a quarter of the verdicts")
        children = descendants(proc.pid)
        assert len(children) >= 3  # the fork server and two workers (and the resource tracker)
        proc.send_signal(signal.SIGKILL)
        at_kill = len(server.state.requests)
        proc.wait()
        wait_until(lambda: not any(running(p) for p in children), 10, "the workers to exit")
        sent_by_killed_run = len(server.state.requests)
        # Orphaned workers would go on sending the hundreds of requests left.
        assert sent_by_killed_run - at_kill <= CONCURRENCY
        assert done() < total

        rerun = subprocess.run(args, env=env, capture_output=True, text=True, timeout=300)
        assert rerun.returncode == 0, rerun.stderr
        assert "Closed run 1 as aborted" in rerun.stdout
        prompts = collections.Counter(r["messages"][-1]["content"] for r in server.state.requests)

    assert store.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert store.db.execute(
        "SELECT COUNT(*), COUNT(DISTINCT question_id || '|' || turn) FROM judgments"
    ).fetchone() == (total, total)
    statuses = store.db.execute("SELECT id, status FROM judge_runs ORDER BY id").fetchall()
    assert statuses == [(1, "aborted"), (2, "finished")]
    # Each prompt reached the server once, except those in flight when the run was killed.
    paid_twice = sum(n - 1 for n in prompts.values())
    assert len(prompts) == total and paid_twice <= CONCURRENCY
    assert sum(prompts.values()) == total + paid_twice and sent_by_killed_run < total + paid_twice
    store.close()
    with sqlite3.connect(db) as conn:  # a fresh connection agrees: nothing half-written
        assert conn.execute("PRAGMA quick_check").fetchone()[0] == "ok"
