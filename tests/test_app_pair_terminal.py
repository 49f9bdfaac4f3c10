"""Pair mode of the real `mtbench-review` command in a pseudo-terminal: keys in, SIGKILL, and
exactly the votes typed survive, with winners in the order each reviewer saw."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from mtbench_tui.core.pair_view import seeded_shown_a
from mtbench_tui.core.store import Store
from mtbench_tui.core.store.pair_filter import Comparison
from tests.pair_helpers import count_voted
from tests.test_terminal_e2e import Terminal, app_env, exe, wait_for

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pseudo-terminal")


def vote_count(db: Path, reviewer: str) -> int:
    """Votes of a reviewer visible to a fresh connection."""
    if not db.exists():
        return 0
    store = Store.open(db)
    try:
        return count_voted(store, reviewer)
    finally:
        store.close()


def votes_json(db: Path) -> list[dict[str, object]]:
    """`mtbench-review votes --json`."""
    done = subprocess.run(
        [exe(), "votes", "--db", str(db), "--json"], capture_output=True, text=True, check=True
    )
    return json.loads(done.stdout)


@pytest.mark.slow
def test_phi3_votes_survive_sigkill_in_the_shown_order(shared: Path, tmp_path: Path) -> None:
    """The issue's check: import phi-3, vote `a Tab t Enter b Tab a Enter`, kill -9."""
    db = tmp_path / "phi3.db"
    run = shared / "mtbench" / "runs" / "phi-3"
    subprocess.run([exe(), "import", str(run), "--db", str(db)], check=True, capture_output=True)
    args = [exe(), "--db", str(db), "--mode", "pair", "--reviewer", "X"]
    term = Terminal(args, app_env(tmp_path), size=(120, 35))
    try:
        wait_for(lambda: b"Comparison 1 of 80" in term.output, term)
        term.send("a\tt\rb\ta\r")  # typed in one go: the order must hold
        wait_for(lambda: vote_count(db, "X") == 4, term)
        wait_for(lambda: b"Comparison 3 of 80" in term.output, term)
    finally:
        term.kill()
    rows = votes_json(db)
    first, second = Comparison(81, "phi-3", "phi-3-dpo"), Comparison(82, "phi-3", "phi-3-dpo")
    got = [(r["question_id"], r["turn"], r["model_a"], r["winner"], r["reviewer"]) for r in rows]
    a1, a2 = seeded_shown_a("X", first), seeded_shown_a("X", second)
    assert got == [
        (81, 1, a1, "model_a", "X"),
        (81, 2, a1, "tie", "X"),
        (82, 1, a2, "model_b", "X"),
        (82, 2, a2, "model_a", "X"),
    ]
    # The phi-3 run has pair verdicts on turn 1 only.
    assert [r["judge_winner"] is None for r in rows] == [False, True, False, True]
    assert {r["group"] for r in rows} == {"default"}


@pytest.mark.slow
def test_two_instances_on_one_database_both_save(tmp_path: Path) -> None:
    db = tmp_path / "two.db"
    env = app_env(tmp_path)
    subprocess.run(
        [exe(), "import", "data/demo", "--db", str(db)],
        check=True,
        capture_output=True,
        cwd=Path(__file__).parents[1],
    )
    kim = Terminal([exe(), "--db", str(db), "--mode", "pair", "--reviewer", "kim"], env)
    lee = Terminal(
        [exe(), "--db", str(db), "--mode", "pair", "--reviewer", "lee", "--group", "expert"], env
    )
    try:
        for term in (kim, lee):
            wait_for(lambda t=term: b"Comparison 1 of 48" in t.output, term)
        for round_keys in ("a", "\tb", "\rt"):
            kim.send(round_keys)
            lee.send(round_keys)
        wait_for(lambda: vote_count(db, "kim") == 3, kim)
        wait_for(lambda: vote_count(db, "lee") == 3, lee)
    finally:
        kim.kill()
        lee.kill()
    rows = votes_json(db)
    assert sorted((r["reviewer"], r["group"], r["winner"]) for r in rows) == [
        ("kim", "default", "model_a"),
        ("kim", "default", "model_b"),
        ("kim", "default", "tie"),
        ("lee", "expert", "model_a"),
        ("lee", "expert", "model_b"),
        ("lee", "expert", "tie"),
    ]
