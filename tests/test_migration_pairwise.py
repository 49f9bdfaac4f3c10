"""A database from before migration 0005 (built by hand) upgrades with its pair verdicts intact."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from mtbench_tui.core.pair_models import PairKey, combine_orders
from mtbench_tui.core.store import Store
from tests.pair_helpers import count_voted, reviewer_group

# The schema of the tables 0005, 0006 and 0007 touch, as migrations 0001-0004 left them.
_OLD_SCHEMA = """
CREATE TABLE _sqlite_migrations (
    id INTEGER PRIMARY KEY, migration_set TEXT, name TEXT, applied_at TEXT
);
CREATE UNIQUE INDEX idx__sqlite_migrations_migration_set_name
    ON _sqlite_migrations (migration_set, name);
CREATE TABLE questions (
    question_id INTEGER PRIMARY KEY, category TEXT NOT NULL, turn_1 TEXT NOT NULL,
    turn_2 TEXT NOT NULL, reference TEXT, content_hash TEXT NOT NULL
);
CREATE TABLE answers (
    question_id INTEGER NOT NULL, model TEXT NOT NULL, answer_id TEXT, model_id TEXT,
    turn_1 TEXT NOT NULL, turn_2 TEXT NOT NULL, length_1 INTEGER NOT NULL,
    length_2 INTEGER NOT NULL, tstamp REAL, content_hash TEXT NOT NULL,
    PRIMARY KEY (question_id, model)
);
CREATE TABLE reviewers (name TEXT PRIMARY KEY, created TEXT NOT NULL);
CREATE TABLE judgments (
    id INTEGER PRIMARY KEY, question_id INTEGER NOT NULL, model TEXT NOT NULL,
    turn INTEGER NOT NULL, judge TEXT NOT NULL, judge_model TEXT NOT NULL, prompt TEXT NOT NULL,
    score REAL, judgment TEXT NOT NULL, content_hash TEXT NOT NULL
);
CREATE INDEX judgments_judge ON judgments(judge, prompt);
CREATE TABLE ratings (
    question_id INTEGER NOT NULL, model TEXT NOT NULL, turn INTEGER NOT NULL,
    reviewer TEXT NOT NULL, score INTEGER, PRIMARY KEY (question_id, model, turn, reviewer)
);
CREATE TABLE pair_judgments (
    question_id INTEGER NOT NULL REFERENCES questions(question_id),
    model_1 TEXT NOT NULL, model_2 TEXT NOT NULL,
    turn INTEGER NOT NULL CHECK (turn IN (1, 2)),
    judge TEXT NOT NULL, judge_model TEXT NOT NULL, prompt TEXT NOT NULL,
    g1_winner TEXT NOT NULL, g2_winner TEXT NOT NULL,
    g1_judgment TEXT NOT NULL, g2_judgment TEXT NOT NULL,
    tstamp REAL, content_hash TEXT NOT NULL,
    PRIMARY KEY (question_id, model_1, model_2, turn, judge)
);
CREATE TABLE judge_runs (
    id INTEGER PRIMARY KEY, started TEXT NOT NULL, finished TEXT, judge_model TEXT NOT NULL,
    prompt_family TEXT NOT NULL, endpoint TEXT, params TEXT NOT NULL,
    mode TEXT NOT NULL DEFAULT 'online', summary TEXT
);
CREATE TABLE judge_requests (
    id INTEGER PRIMARY KEY, run_id INTEGER, question_id INTEGER NOT NULL, model TEXT NOT NULL,
    turn INTEGER NOT NULL, judge TEXT NOT NULL, prompt TEXT NOT NULL, cache_key TEXT NOT NULL,
    status TEXT NOT NULL, error TEXT, attempts INTEGER NOT NULL DEFAULT 0, prompt_tokens INTEGER,
    completion_tokens INTEGER, cost_usd REAL, latency_s REAL, at TEXT NOT NULL
);
CREATE TABLE judge_failures (
    question_id INTEGER NOT NULL, model TEXT NOT NULL, turn INTEGER NOT NULL,
    judge TEXT NOT NULL, prompt TEXT NOT NULL, reason TEXT NOT NULL, attempts INTEGER NOT NULL,
    run_id INTEGER, at TEXT NOT NULL, PRIMARY KEY (question_id, model, turn, judge)
);
"""
_APPLIED = ("0001_content", "0002_ratings", "0003_pair_judgments", "0004_judge_runs")
_ORDERS = [
    ("model_1", "model_1"),
    ("model_1", "model_2"),
    ("tie", "model_2"),
    ("model_2", "error"),
    ("model_2", "model_2"),
]


def _old_database(path: Path) -> None:
    """Write a 0004-era database with five pair verdicts and one reviewer."""
    conn = sqlite3.connect(path)
    conn.executescript(_OLD_SCHEMA)
    conn.executemany(
        "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) VALUES (?, ?, 'old')",
        [("mtbench_review", name) for name in _APPLIED],
    )
    conn.execute("INSERT INTO questions VALUES (81, 'writing', 'q1', 'q2', NULL, 'h')")
    for model in ("a", "b"):
        conn.execute(
            "INSERT INTO answers VALUES (81, ?, NULL, NULL, 'x', 'y', 1, 1, NULL, 'h')", [model]
        )
    conn.execute("INSERT INTO reviewers VALUES ('alice', '2024-01-01')")
    for index, (g1, g2) in enumerate(_ORDERS):
        turn, judge = 1 + index % 2, f"judge-{index}"
        conn.execute(
            "INSERT INTO pair_judgments VALUES (81, 'b', 'a', ?, ?, 'gpt-4', 'pair-v2', ?, ?,"
            " 'why 1', 'why 2', 1.5, 'h')",
            [turn, judge, g1, g2],
        )
    conn.commit()
    conn.close()


def test_0004_database_upgrades_through_0005(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    _old_database(path)
    store = Store.open(path)
    rows = store.db.execute(
        "SELECT judge, model_1, model_2, g1_winner, g2_winner, winner, g1_judgment,"
        " g2_judgment, tstamp, origin, g1_user_prompt FROM pair_judgments ORDER BY judge"
    ).fetchall()
    assert len(rows) == len(_ORDERS)
    for (judge, m1, m2, g1, g2, winner, j1, j2, ts, origin, up), orders in zip(rows, _ORDERS):
        assert (m1, m2, (g1, g2)) == ("b", "a", orders), judge
        assert winner == combine_orders(*orders)
        assert (j1, j2, ts, origin, up) == ("why 1", "why 2", 1.5, "import", "")
    assert [r[5] for r in rows] == ["model_1", "inconsistent", "tie", "error", "model_2"]
    assert reviewer_group(store, "alice") == "default"
    # The reads see the upgraded rows in the judge's own order.
    verdict = store.votes.verdicts(81, "a", "b", judge="judge-4")[0]
    assert (verdict.model_1, verdict.winner_model, verdict.key) == (
        "b",
        "a",
        PairKey(81, "a", "b", 1),
    )
    # The new unique index forbids the same judge judging the reversed pair again.
    with pytest.raises(sqlite3.IntegrityError):
        store.db.execute(
            "INSERT INTO pair_judgments (question_id, model_1, model_2, turn, judge, judge_model,"
            " prompt, winner, content_hash)"
            " VALUES (81, 'a', 'b', 1, 'judge-0', 'gpt-4', 'p', 'tie', 'h')"
        )
    # Votes work on the upgraded database, and the upgrade is recorded once.
    store.votes.set_vote(PairKey.of(81, "b", "a", 2), "alice", "A", shown_a="b")
    names = [r[0] for r in store.db.execute("SELECT name FROM _sqlite_migrations ORDER BY id")]
    assert names[: len(_APPLIED)] == list(_APPLIED) and names.count("0005_pairwise") == 1
    store.close()
    reopened = Store.open(path)
    assert count_voted(reopened, "alice") == 1
    reopened.close()
