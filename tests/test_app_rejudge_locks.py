"""The j key on a locked database: a real second connection holds BEGIN IMMEDIATE on the same
file while the re-judge runs. The app keeps answering keys, says the re-judge waits, and the
verdicts land once the lock goes, with nothing lost."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import pytest

from mtbench_tui.core.judge.rejudge import JudgeSettings
from mtbench_tui.core.pair_review import PairSettings
from mtbench_tui.core.store import QueueFilter, Store
from mtbench_tui.testing.openai_server import LoopbackOpenAI
from mtbench_tui.ui.app import make_app
from tests.app_helpers import notices, record_notices, review, screen_text
from tests.pair_helpers import LYNX, ORION, add_pair_data
from tests.test_app_locks import until
from tests.test_saving import locked

SIZE = (120, 36)
WAITING = "waiting for the locked database"


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch):
    """A loopback server; the key comes from the environment as in real use."""
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test-locks-0000")
    with LoopbackOpenAI() as s:
        s.state.default_reply = lambda messages: "Looked again under a lock.\n\n[[A]] Rating: [[6]]"
        yield s


def runs(store: Store) -> list[tuple[str, str]]:
    """(mode, status) of every judge run."""
    return store.db.execute("SELECT mode, status FROM judge_runs ORDER BY id").fetchall()


async def test_single_mode_j_waits_for_the_lock_while_the_app_answers_keys(
    demo_store: Store, server: LoopbackOpenAI
) -> None:
    settings = JudgeSettings(judge_model="gpt-4", base_url=server.base_url)
    app = make_app(demo_store, "alice", QueueFilter(), judge_settings=settings)
    record_notices(app)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = review(app)
        key = screen.view.key
        with locked(demo_store.path) as blocker:
            await pilot.press("j")
            await until(pilot, lambda: WAITING in screen_text(app))
            assert "nothing is lost" in notices(app)
            # The event loop is free: Tab moves the focus while the re-judge waits.
            assert "Judge · turn 1" in screen_text(app)
            await pilot.press("tab")
            await until(pilot, lambda: "Judge · turn 2" in screen_text(app))
            assert runs(demo_store) == []
            blocker.execute("ROLLBACK")
            await app.workers.wait_for_complete()
        await until(pilot, lambda: "Looked again under a lock" in screen_text(app))
        assert WAITING not in screen_text(app)
    rows = demo_store.db.execute(
        "SELECT turn, score FROM judgments WHERE question_id = ? AND model = ?"
        " AND judge = 'gpt-4/mtr-v1' ORDER BY turn",
        [key.question_id, key.model],
    ).fetchall()
    assert rows == [(1, 6), (2, 6)]
    assert runs(demo_store) == [("rejudge", "finished")]


async def test_pair_mode_j_waits_for_the_lock_and_nothing_is_lost(
    demo_store: Store, server: LoopbackOpenAI, tmp_path: Path
) -> None:
    add_pair_data(demo_store, tmp_path / "pairs")
    app = make_app(
        demo_store,
        reviewer="kim",
        mode="pair",
        pair=PairSettings(),
        judge_settings=JudgeSettings(judge_model="pj", base_url=server.base_url),
    )
    record_notices(app)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        with locked(demo_store.path) as blocker:
            await pilot.press("j")
            await until(pilot, lambda: WAITING in screen_text(app))
            await pilot.press("B")  # blind mode: a key whose effect is on screen at once
            await until(pilot, lambda: "Blind mode: the verdict appears" in screen_text(app))
            blocker.execute("ROLLBACK")
            await app.workers.wait_for_complete()
        await until(pilot, lambda: WAITING not in screen_text(app))
        assert "stored under judge pj/mtr-pair-v1" in notices(app)
    rows = demo_store.db.execute(
        "SELECT model_1, model_2, turn, g1_winner, g2_winner FROM pair_judgments"
        " WHERE judge = 'pj/mtr-pair-v1' ORDER BY turn"
    ).fetchall()
    assert rows == [(ORION, LYNX, 1, "model_1", "model_2"), (ORION, LYNX, 2, "model_1", "model_2")]
    assert runs(demo_store) == [("rejudge", "finished")]


async def test_a_lock_taken_while_the_judge_answers_delays_the_verdict_without_losing_it(
    demo_store: Store, server: LoopbackOpenAI
) -> None:
    """The lock arrives after the run started: the reply, already paid for, waits to be saved."""
    holder: dict[str, sqlite3.Connection] = {}
    once = threading.Lock()  # both turns' requests arrive at once; only the first locks

    def reply_then_lock(messages: list[dict]) -> str:
        with once:
            if not holder:
                blocker = sqlite3.connect(
                    demo_store.path, isolation_level=None, check_same_thread=False
                )
                blocker.execute("BEGIN IMMEDIATE")
                holder["blocker"] = blocker
        return "Answered, then the database was locked.\n\nRating: [[4]]"

    server.state.default_reply = reply_then_lock
    settings = JudgeSettings(judge_model="gpt-4", base_url=server.base_url)
    app = make_app(demo_store, "alice", QueueFilter(), judge_settings=settings)
    record_notices(app)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        key = review(app).view.key
        await pilot.press("j")
        await until(pilot, lambda: WAITING in screen_text(app))
        await pilot.press("right")
        await until(pilot, lambda: review(app).view.key != key)
        holder["blocker"].execute("ROLLBACK")
        holder["blocker"].close()
        await app.workers.wait_for_complete()
        await until(pilot, lambda: WAITING not in screen_text(app))
    rows = demo_store.db.execute(
        "SELECT turn, score FROM judgments WHERE question_id = ? AND model = ?"
        " AND judge = 'gpt-4/mtr-v1' ORDER BY turn",
        [key.question_id, key.model],
    ).fetchall()
    assert rows == [(1, 4), (2, 4)]
    assert len(server.state.requests) == 2  # each paid for once
    assert runs(demo_store) == [("rejudge", "finished")]
