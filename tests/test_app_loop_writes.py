"""The app's own connection (the one its event loop reads on) never writes to the database, so
no key can block the loop on another program's lock: every write goes through a connection
of its own, on another thread or without waiting.

SQLite's authorizer sees every statement the connection prepares, with the database it
touches; writes to ``temp`` (the queue snapshots) never take the file's lock.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from mtbench_tui.core.judge.rejudge import JudgeSettings
from mtbench_tui.core.pair_review import PairSettings
from mtbench_tui.core.store import Store
from mtbench_tui.testing.openai_server import LoopbackOpenAI
from mtbench_tui.ui.app import make_app
from tests.app_helpers import record_notices, screen_text
from tests.pair_helpers import add_pair_data
from tests.test_app_locks import until
from tests.test_saving import locked

WRITES = {
    sqlite3.SQLITE_INSERT,
    sqlite3.SQLITE_UPDATE,
    sqlite3.SQLITE_DELETE,
    sqlite3.SQLITE_CREATE_TABLE,
    sqlite3.SQLITE_CREATE_INDEX,
    sqlite3.SQLITE_DROP_TABLE,
    sqlite3.SQLITE_DROP_INDEX,
    sqlite3.SQLITE_ALTER_TABLE,
}


def watch_writes(store: Store) -> list[tuple[int, str | None]]:
    """Record every write the store's connection prepares against the database file."""
    seen: list[tuple[int, str | None]] = []

    def authorize(action: int, arg1: str | None, arg2: str | None, db: str | None, _t: object):
        if action in WRITES and db not in ("temp", None):
            seen.append((action, arg1))
        elif action == sqlite3.SQLITE_TRANSACTION and arg1 == "BEGIN":
            seen.append((action, arg1))
        return sqlite3.SQLITE_OK

    store.db.conn.set_authorizer(authorize)
    return seen


async def keys(pilot, *names: str) -> None:
    """Press keys one at a time, letting the screen settle (workers keep waiting meanwhile)."""
    for name in names:
        await pilot.press(name)
        await pilot.pause()


async def palette(pilot, text: str, entry: str) -> None:
    """Type ``text`` in the command palette and run the first entry, once ``entry`` shows."""
    await keys(pilot, "ctrl+p", *("space" if ch == " " else ch for ch in text))
    await until(pilot, lambda: entry in screen_text(pilot.app))
    await keys(pilot, "enter")


async def test_every_key_on_a_locked_database_leaves_the_apps_connection_read_only(
    demo_store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test-loop-0000")
    add_pair_data(demo_store, tmp_path / "pairs")
    writes = watch_writes(demo_store)
    with LoopbackOpenAI() as server:
        settings = JudgeSettings(judge_model="pj", base_url=server.base_url)
        app = make_app(demo_store, "kim", mode="pair", pair=PairSettings(), judge_settings=settings)
        record_notices(app)
        async with app.run_test(size=(120, 36)) as pilot:
            await pilot.pause()
            with locked(demo_store.path) as blocker:
                await pilot.press("a", "j")  # a vote (its own connection) and a re-judge
                await until(pilot, lambda: "waiting for the locked" in screen_text(app))
                await keys(pilot, "right", "left", "tab", "d", "d", "B", "r")
                await keys(pilot, "slash", "escape", "e", "escape", "g", "escape")
                await palette(
                    pilot, "switch to single", "Switch to single review"
                )  # the mode switch opens a session
                assert app.review_mode == "single"
                await keys(pilot, "right", "tab", "slash", "escape", "d", "d")
                await palette(pilot, "switch to pairwise", "Switch to pairwise review")
                assert app.review_mode == "pair"
                blocker.execute("ROLLBACK")
                await app.workers.wait_for_complete()
            await until(pilot, lambda: "saved ✓" in screen_text(app))
            await until(pilot, lambda: "waiting for the locked" not in screen_text(app))
            await palette(
                pilot, "compare votes with pj", "compare votes with pj/mtr-pair-v1"
            )  # the palette's judge switch
            assert app.pair_session.judge == "pj/mtr-pair-v1"
    assert writes == []
    judged = demo_store.db.execute(
        "SELECT COUNT(*) FROM pair_judgments WHERE judge = 'pj/mtr-pair-v1'"
    ).fetchone()
    assert judged == (2,)
    assert len(list(demo_store.votes.iter_all("kim"))) == 1
