"""The app under a locked database: a real second connection holds BEGIN IMMEDIATE on the same file.

The app must keep responding, say "not saved — retrying" until the write lands or the
reviewer gives up, and never lose what the reviewer typed.
"""

from __future__ import annotations

from collections.abc import Callable

from textual.pilot import Pilot

from mtbench_tui.core.models import TurnKey
from mtbench_tui.core.store import Store
from tests.app_helpers import build, notices, press, review, screen_text
from tests.test_saving import locked

SIZE = (110, 32)


async def until(pilot: Pilot, condition: Callable[[], bool], tries: int = 400) -> None:
    """Let the app run until ``condition`` holds (a worker thread is retrying meanwhile)."""
    for _ in range(tries):
        if condition():
            return
        await pilot.pause(0.02)
    raise AssertionError("the app never reached the expected state")


async def type_text(pilot: Pilot, text: str) -> None:
    """Type characters into the focused input."""
    for ch in text:
        await pilot.press("space" if ch == " " else ch)


async def test_a_score_waits_for_the_lock_without_freezing_the_app(demo_store: Store) -> None:
    app = build(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        screen = review(app)
        first = screen.view.key
        with locked(demo_store.path) as blocker:
            await pilot.press("7")
            await until(pilot, lambda: "not saved — retrying" in screen_text(app))
            assert "Esc gives up" in notices(app)
            # The event loop is free: moving on works while the write waits.
            await pilot.press("right")
            await pilot.pause()
            assert screen.view.key != first
            await pilot.press("left")
            await pilot.pause()
            blocker.execute("ROLLBACK")
            await until(pilot, lambda: "saved ✓" in screen_text(app))
        await app.workers.wait_for_complete()
        assert "Turn 1  score 7" in screen_text(app)
    assert demo_store.ratings.get(TurnKey(first.question_id, first.model, 1), "alice").score == 7


async def test_a_comment_on_a_locked_database_is_never_lost(demo_store: Store) -> None:
    app = build(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        key = review(app).view.key
        with locked(demo_store.path):
            await press(pilot, "c")
            await type_text(pilot, "the second paragraph is wrong")
            await pilot.press("enter")
            await until(pilot, lambda: "not saved — retrying" in screen_text(app))
            await pilot.press("escape")  # give up waiting
            await until(pilot, lambda: "Your comment is kept" in notices(app))
            assert "NOT SAVED" in screen_text(app)
        # The draft comes back in the dialog; now the database is free, Enter saves it.
        await press(pilot, "c")
        assert "unsaved draft" in screen_text(app)
        assert "the second paragraph is wrong" in screen_text(app)
        await press(pilot, "enter")
        assert "comment saved ✓" in screen_text(app)
    note = demo_store.ratings.get(TurnKey(key.question_id, key.model, 1), "alice").note
    assert note == "the second paragraph is wrong"


async def test_flags_and_undo_wait_their_turn(demo_store: Store) -> None:
    app = build(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        key = review(app).view.key
        turn = TurnKey(key.question_id, key.model, 1)
        await press(pilot, "4")
        with locked(demo_store.path) as blocker:
            await pilot.press("f", "1", "enter")  # flag "judge wrong"
            await until(pilot, lambda: "not saved — retrying" in screen_text(app))
            await pilot.press("u")  # undo queues behind the flags it will undo
            await pilot.pause()
            assert demo_store.ratings.get(turn, "alice").flags == ()
            blocker.execute("ROLLBACK")
            await until(pilot, lambda: "Undone" in notices(app))
        await app.workers.wait_for_complete()
        assert "flags removed" in notices(app)
    rating = demo_store.ratings.get(turn, "alice")
    assert (rating.score, rating.flags) == (4, ())
    events = [e.event for e in demo_store.ratings.history(turn, "alice")]
    assert events == ["score", "flags", "undo"]


async def test_quitting_with_unsaved_changes_asks_and_reports_them(demo_store: Store) -> None:
    app = build(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        key = review(app).view.key
        with locked(demo_store.path):
            await press(pilot, "c")
            await type_text(pilot, "keep me")
            await pilot.press("enter", "tab", "9")
            await until(pilot, lambda: len(review(app).session.saves.pending()) == 2)
            await pilot.press("q")
            await until(pilot, lambda: "Press q again" in notices(app))
            assert app.is_running
            await pilot.press("q")
            await until(pilot, lambda: not app.is_running)
    where = f"Q{key.question_id} {key.model}"
    assert app.unsaved == [
        f"not saved: {where} turn 2 score 9",
        f"not saved: {where} turn 1 comment 'keep me'",
    ]
