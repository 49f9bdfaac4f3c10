"""The store on real SQLite files: migrations, rating round trips, history, undo, concurrency."""

from __future__ import annotations

import json
import sqlite3
import threading
from pathlib import Path

import pytest

from mtbench_tui.core import loading
from mtbench_tui.core.importer import import_sources
from mtbench_tui.core.models import ItemKey, TurnKey
from mtbench_tui.core.paths import demo_data_dir
from mtbench_tui.core.store import Store
from mtbench_tui.core.store.migrations import MIGRATIONS

KEY = TurnKey(901, "orion-70b-chat", 1)


# The columns every table must have after all migrations (the parts other code relies on).
EXPECTED_COLUMNS: dict[str, dict[str, type]] = {
    "questions": {"question_id": int, "category": str, "turn_1": str, "turn_2": str},
    "answers": {"question_id": int, "model": str, "turn_1": str, "length_1": int},
    "judgments": {"question_id": int, "model": str, "turn": int, "judge": str, "score": float},
    "reviewers": {"name": str, "created": str, "reviewer_group": str},
    "ratings": {"question_id": int, "reviewer": str, "score": int, "note": str, "flags": str},
    "rating_history": {"id": int, "event": str, "score": int, "at": str},
    "pair_judgments": {
        "model_1": str,
        "model_2": str,
        "winner": str,
        "g1_winner": str,
        "g2_winner": str,
        "g1_user_prompt": str,
    },
    "pair_votes": {"model_1": str, "model_2": str, "shown_a": str, "winner": str, "blind": int},
    "pair_vote_history": {"id": int, "event": str, "shown_a": str, "winner": str},
    "judge_requests": {"run_id": int, "status": str, "cost_usd": float},
}


def test_migrations_create_schema_on_blank_database(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "blank.db")
    assert MIGRATIONS.pending(store.db) == []
    for table, columns in EXPECTED_COLUMNS.items():
        found = store.db[table].columns_dict
        assert {name: found.get(name) for name in columns} == columns, table
    assert store.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert store.db.execute("PRAGMA busy_timeout").fetchone()[0] >= 5000


def test_migrations_are_idempotent(tmp_path: Path) -> None:
    Store.open(tmp_path / "m.db").close()
    store = Store.open(tmp_path / "m.db")
    assert MIGRATIONS.pending(store.db) == []
    names = [r[0] for r in store.db.execute("SELECT name FROM _sqlite_migrations")]
    assert len(names) == len(set(names)) == len(MIGRATIONS.applied(store.db))


def test_rating_round_trip(demo_store: Store) -> None:
    change = demo_store.ratings.set_score(KEY, "alice", 7, blind=True)
    assert change.before is None and change.after.score == 7
    demo_store.ratings.set_note(KEY, "alice", "solid answer")
    demo_store.ratings.set_flags(KEY, "alice", ("judge-wrong",))
    # A second connection (as another process would) sees the committed rating.
    other = Store.open(demo_store.path)
    rating = other.ratings.get(KEY, "alice")
    assert (rating.score, rating.note, rating.flags, rating.blind) == (
        7,
        "solid answer",
        ("judge-wrong",),
        True,
    )
    assert rating.created <= rating.updated
    assert other.ratings.get(KEY, "bob") is None


def test_score_must_be_in_range(demo_store: Store) -> None:
    with pytest.raises(ValueError):
        demo_store.ratings.set_score(KEY, "alice", 11)
    with pytest.raises(sqlite3.IntegrityError):
        with demo_store.db.atomic():
            demo_store.db.execute(
                "INSERT INTO ratings (question_id, model, turn, reviewer, score, created, updated)"
                " VALUES (901, 'orion-70b-chat', 2, 'alice', 0, 'x', 'x')"
            )


def test_rating_must_refer_to_an_answer(demo_store: Store) -> None:
    with pytest.raises(sqlite3.IntegrityError):
        demo_store.ratings.set_score(TurnKey(901, "ghost", 1), "alice", 5)


def test_history_keeps_every_change(demo_store: Store) -> None:
    demo_store.ratings.set_score(KEY, "alice", 4, blind=True)
    demo_store.ratings.set_score(KEY, "alice", 6, blind=False)
    demo_store.ratings.set_note(KEY, "alice", "changed my mind")
    events = demo_store.ratings.history(KEY, "alice")
    assert [(e.event, e.score, e.blind) for e in events] == [
        ("score", 4, True),
        ("score", 6, False),
        ("note", 6, False),
    ]
    assert events[-1].note == "changed my mind"


def test_undo_restores_previous_state(demo_store: Store) -> None:
    first = demo_store.ratings.set_score(KEY, "alice", 3)
    second = demo_store.ratings.set_score(KEY, "alice", 8)
    demo_store.ratings.restore(second)
    assert demo_store.ratings.get(KEY, "alice").score == 3
    demo_store.ratings.restore(first)
    assert demo_store.ratings.get(KEY, "alice") is None
    assert [e.event for e in demo_store.ratings.history(KEY, "alice")] == [
        "score",
        "score",
        "undo",
        "undo",
    ]


def test_iter_all_pages_through_every_rating(demo_store: Store) -> None:
    items = [
        (q, m) for q in (901, 902, 903) for m in ("orion-70b-chat", "lynx-13b-chat", "pico-1b-chat")
    ]
    for q, m in items:
        for turn in (1, 2):
            demo_store.ratings.set_score(TurnKey(q, m, turn), "alice", 5)
    demo_store.ratings.set_score(TurnKey(901, "pico-1b-chat", 1), "bob", 2)
    everything = list(demo_store.ratings.iter_all(page_size=4))
    assert len(everything) == 19
    assert everything == sorted(
        everything, key=lambda r: (r.question_id, r.model, r.turn, r.reviewer)
    )
    assert len(list(demo_store.ratings.iter_all("bob", page_size=4))) == 1


def test_concurrent_writers_do_not_hit_locked_errors(demo_store: Store) -> None:
    """Two processes' worth of connections writing ratings at once: all writes land."""
    path = demo_store.path
    errors: list[BaseException] = []

    def rate(reviewer: str) -> None:
        store = Store.open(path)
        try:
            for q in range(901, 917):
                for turn in (1, 2):
                    store.ratings.set_score(TurnKey(q, "lynx-13b-chat", turn), reviewer, 1 + q % 10)
        except BaseException as exc:  # noqa: BLE001 - collected for the assertion
            errors.append(exc)
        finally:
            store.close()

    threads = [threading.Thread(target=rate, args=(name,)) for name in ("r1", "r2", "r3", "r4")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert demo_store.db.execute("SELECT COUNT(*) FROM ratings").fetchone()[0] == 4 * 32


def test_item_reads(demo_store: Store) -> None:
    item = ItemKey(909, "lynx-13b-chat")
    question = demo_store.content.question(909)
    assert question.category == "math" and len(question.turns) == 2
    answer = demo_store.content.answer(item)
    assert "x = 14.5" in answer.turns[1]
    verdicts = demo_store.content.judgments(item)
    assert [(j.turn, j.score) for j in verdicts] == [(1, 9), (2, 2)]
    assert verdicts[0].prompt == "mtr-math-v1" and verdicts[1].prompt == "mtr-math-v1-multi-turn"
    refs = demo_store.content.references(909)
    assert refs[0].source == "gpt-4" and "7.5" in refs[0].turns[1]


def test_merge_of_exported_rating_prefers_newer(rated_store: Store) -> None:
    from dataclasses import replace

    from mtbench_tui.core.models import HumanRating

    current = rated_store.ratings.get(TurnKey(901, "orion-70b-chat", 1), "alice")
    older = replace(current, score=1, updated="2000-01-01T00:00:00.000Z")
    with rated_store.db.atomic():
        assert rated_store.ratings.merge(HumanRating(older)) == "unchanged"
    newer = replace(current, score=1, updated="2099-01-01T00:00:00.000Z")
    with rated_store.db.atomic():
        assert rated_store.ratings.merge(HumanRating(newer)) == "updated"
    assert rated_store.ratings.get(current.key, "alice").score == 1


def test_flags_are_validated(demo_store: Store) -> None:
    with pytest.raises(ValueError):
        demo_store.ratings.set_flags(KEY, "alice", ("made-up",))
    demo_store.ratings.set_flags(KEY, "alice", ("question-ambiguous", "judge-wrong"))
    row = demo_store.db.execute("SELECT flags FROM ratings").fetchone()[0]
    assert json.loads(row) == ["judge-wrong", "question-ambiguous"]


def test_judge_labels_order_as_judges_do(demo_store: Store, tmp_path: Path) -> None:
    assert Store.open(tmp_path / "empty.db").content.judge_labels() == []
    assert demo_store.content.judge_labels() == [j.judge for j in demo_store.content.judges()]
    assert len(demo_store.content.judge_labels()) == 1
    # Two more judges: "a-judge" sorts first by name but has fewer verdicts than gpt-4.
    lines = (demo_data_dir() / "model_judgment" / "gpt-4_single.jsonl").read_text().splitlines()
    for name, keep in (("a-judge", 10), ("z-judge", 10)):
        rows = [json.loads(line) for line in lines[:keep]]
        for row in rows:
            row["judge"][0] = name
        path = tmp_path / f"{name}_single.jsonl"
        path.write_text("".join(json.dumps(r) + "\n" for r in rows))
        import_sources(demo_store, loading.DataSources(judgments=[path]))
    labels = demo_store.content.judge_labels()
    assert labels == [j.judge for j in demo_store.content.judges()] and len(labels) == 3
    assert labels[0].startswith("gpt-4") and labels[1].startswith("a-judge")
