"""ReviewSession alone: opening, moving, rating, undo and judge choice, on real SQLite files."""

from __future__ import annotations

from pathlib import Path

import pytest

from mtbench_tui.core.models import ItemKey, TurnKey
from mtbench_tui.core.review import ReviewSession, describe_undo
from mtbench_tui.core.store import QueueFilter, Store
from mtbench_tui.core.store.queue import QueueProgress

LYNX_901 = ItemKey(901, "lynx-13b-chat")


def file_bytes(path: Path) -> bytes:
    """The database file's content (with its WAL checkpointed), to prove nothing was written."""
    return path.read_bytes()


def test_open_only_reads(demo_store: Store, db_path: Path) -> None:
    demo_store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    before = file_bytes(db_path), demo_store.ratings.signature()
    session = ReviewSession.open(demo_store, "newcomer")
    view = session.start()
    assert view is not None and view.key == LYNX_901
    demo_store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    assert (file_bytes(db_path), demo_store.ratings.signature()) == before
    assert demo_store.db.execute("SELECT COUNT(*) FROM reviewers").fetchone()[0] == 0
    session.close()


def test_rate_commits_before_returning_and_registers_the_reviewer(demo_store: Store) -> None:
    session = ReviewSession.open(demo_store, "alice")
    session.start()
    submitted = session.rate(2, 7, blind=True)
    assert submitted.event.kind == "saved" and not submitted.start_drain
    # A second connection sees the commit at once.
    other = Store.open(demo_store.path)
    rating = other.ratings.get(TurnKey(901, "lynx-13b-chat", 2), "alice")
    assert (rating.score, rating.blind) == (7, True)
    assert "alice" in [r[0] for r in other.db.execute("SELECT name FROM reviewers")]
    other.close()
    session.close()


def test_navigation_and_first_unscored_turn(demo_store: Store) -> None:
    session = ReviewSession.open(demo_store, "alice", QueueFilter(category="writing"))
    assert session.total == 6
    first = session.start()
    session.rate(1, 5, blind=False)
    view = session.view()
    assert view.first_unscored((1, 2)) == 2
    second = session.next()
    assert second.entry.position == 2
    assert session.previous().key == first.key
    assert session.previous() is None  # start of the queue: stay put
    assert session.entry.item == first.key
    # Enter goes to the half-rated first item only once the others are done: it is next in order.
    assert session.next_unrated().key == second.key
    assert session.goto(902).key.question_id == 902
    assert session.goto(916) is None and session.entry.item.question_id == 902
    assert session.progress() == QueueProgress(0, 1)
    session.close()


def test_undo_walks_back_and_says_what_it_undid(demo_store: Store) -> None:
    session = ReviewSession.open(demo_store, "alice")
    session.start()
    session.rate(1, 3, blind=False)
    session.rate(1, 6, blind=False)
    session.note(1, "too long")
    session.flag(1, ("judge-wrong",))
    said = []
    while (submitted := session.undo()) is not None:
        said.append(describe_undo(submitted.event.change))
    assert said == ["flags removed", "comment removed", "score back to 3", "rating removed"]
    assert demo_store.ratings.get(TurnKey(901, "lynx-13b-chat", 1), "alice") is None
    history = demo_store.ratings.history(TurnKey(901, "lynx-13b-chat", 1), "alice")
    assert [e.event for e in history] == ["score", "score", "note", "flags"] + ["undo"] * 4
    session.close()


def test_a_saved_comment_is_no_longer_a_draft(demo_store: Store) -> None:
    session = ReviewSession.open(demo_store, "alice")
    session.start()
    session.note(2, "check the maths")
    assert session.note_draft(2) is None
    session.close()


def test_judge_is_explicit_or_the_one_with_most_verdicts(demo_store: Store) -> None:
    # A second judge with as many verdicts, stored later (as a test `judge` run would be).
    demo_store.db.execute(
        "INSERT INTO judgments (question_id, model, turn, judge, judge_model, prompt, score,"
        " judgment, user_prompt, origin, content_hash) SELECT question_id, model, turn, 'fake',"
        " 'fake', 'single-v1', 1, 'x', '', 'judge-run', 'h' FROM judgments"
    )
    assert demo_store.default_judge() == "gpt-4/mtr-v1"  # a tie goes to the older judge
    session = ReviewSession.open(demo_store, "alice")
    assert session.judge == "gpt-4/mtr-v1"
    assert session.start().verdicts[1].judge_model == "gpt-4"
    view = session.compare_with("fake")
    assert session.judge == "fake" and view.verdicts[1].judge_model == "fake"
    assert view.key == LYNX_901  # switching judge keeps the reviewer's place
    chosen = ReviewSession.open(demo_store, "alice", judge="fake")
    assert chosen.judge == "fake"
    session.close()
    chosen.close()


def test_refilter_keeps_place_unless_told(demo_store: Store) -> None:
    session = ReviewSession.open(demo_store, "alice")
    session.start()
    session.next()
    here = session.entry.item
    assert session.refilter(QueueFilter(model=here.model)).key == here
    assert session.refilter(QueueFilter(model=here.model), keep_place=False).entry.position == 1
    assert session.refilter(QueueFilter(category="math", model="no-such")) is None
    assert session.total == 0
    session.close()


def test_in_memory_database_is_refused() -> None:
    with pytest.raises(ValueError, match="database file"):
        ReviewSession.open(Store.open(":memory:"), "alice")
