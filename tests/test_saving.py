"""The save queue under a real lock: a second connection holds BEGIN IMMEDIATE on the same file."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from mtbench_tui.core.models import TurnKey
from mtbench_tui.core.saving import Edit, SaveEvent, SaveQueue
from mtbench_tui.core.store import Store
from mtbench_tui.core.store.database import connect
from mtbench_tui.core.store.ratings import RatingRepo

KEY = TurnKey(901, "lynx-13b-chat", 1)


@contextmanager
def locked(path: Path) -> Iterator[sqlite3.Connection]:
    """Another connection holding the write lock until the block ends (then it rolls back)."""
    blocker = sqlite3.connect(path, isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")
    try:
        yield blocker
    finally:
        if blocker.in_transaction:
            blocker.execute("ROLLBACK")
        blocker.close()


def queue_for(path: Path) -> SaveQueue:
    """A save queue that never sleeps long between attempts."""
    return SaveQueue(lambda: RatingRepo(connect(path)), retry_seconds=0.01, busy_ms=10)


def score(value: int) -> Edit:
    return Edit("score", "alice", KEY, score=value)


def test_free_database_saves_at_once(demo_store: Store, db_path: Path) -> None:
    saves = queue_for(db_path)
    submitted = saves.submit(score(7))
    assert submitted.event.kind == "saved" and not submitted.start_drain
    assert demo_store.ratings.get(KEY, "alice").score == 7
    assert saves.close() == ()


def test_locked_database_queues_then_lands_in_order(demo_store: Store, db_path: Path) -> None:
    saves = queue_for(db_path)
    events: list[SaveEvent] = []
    with locked(db_path) as blocker:
        first = saves.submit(score(3))
        assert first.event.kind == "queued" and first.start_drain
        second = saves.submit(Edit("note", "alice", KEY, note="kept"))
        assert second.event.kind == "queued" and not second.start_drain  # one drain at a time
        assert len(saves.pending()) == 2
        retried = threading.Event()

        def record(event: SaveEvent) -> None:
            events.append(event)
            if event.kind == "retrying":
                retried.set()

        worker = threading.Thread(target=saves.drain, args=(record,))
        worker.start()
        assert retried.wait(10)  # the worker keeps retrying while the lock is held
        assert demo_store.ratings.get(KEY, "alice") is None
        blocker.execute("ROLLBACK")
    worker.join(10)
    assert [e.kind for e in events] == ["retrying", "saved", "saved"]
    rating = demo_store.ratings.get(KEY, "alice")
    assert (rating.score, rating.note) == (3, "kept")
    assert saves.pending() == ()


def test_giving_up_drops_waiting_edits(demo_store: Store, db_path: Path) -> None:
    saves = queue_for(db_path)
    events: list[SaveEvent] = []
    with locked(db_path):
        assert saves.submit(Edit("note", "alice", KEY, note="long thought")).start_drain
        retried = threading.Event()
        worker = threading.Thread(
            target=saves.drain,
            args=(lambda e: (events.append(e), e.kind == "retrying" and retried.set()),),
        )
        worker.start()
        assert retried.wait(10)
        saves.give_up()
        worker.join(10)
    assert [e.kind for e in events] == ["retrying", "dropped"]
    assert events[-1].edit.note == "long thought"  # handed back, so the UI can keep it
    assert demo_store.ratings.get(KEY, "alice") is None
    # Once the lock is gone, the next edit saves at once.
    assert saves.submit(score(5)).event.kind == "saved"


def test_undo_waits_behind_the_edits_it_undoes(demo_store: Store, db_path: Path) -> None:
    saves = queue_for(db_path)
    assert saves.submit(score(4)).event.kind == "saved"
    assert saves.can_undo()
    with locked(db_path) as blocker:
        assert saves.submit(score(9)).start_drain
        assert saves.submit(Edit("undo", "alice")).event.kind == "queued"
        assert saves.can_undo()  # the first score is still there to undo
        blocker.execute("ROLLBACK")
        events: list[SaveEvent] = []
        saves.drain(events.append)
    assert [e.kind for e in events] == ["saved", "saved"]
    assert events[-1].change.after.score == 9  # the undo undid the 9...
    assert demo_store.ratings.get(KEY, "alice").score == 4  # ...putting the 4 back


def test_other_errors_fail_without_retrying(demo_store: Store, db_path: Path) -> None:
    saves = queue_for(db_path)
    submitted = saves.submit(Edit("flags", "alice", KEY, flags=("made-up",)))
    assert submitted.event.kind == "failed" and "unknown flags" in submitted.event.detail
    assert not submitted.start_drain and saves.pending() == ()
