"""The review screen's re-judge key, against a loopback OpenAI-compatible server."""

from __future__ import annotations

import pytest

from mtbench_tui.core.judge.rejudge import JudgeSettings
from mtbench_tui.core.store import QueueFilter, Store
from mtbench_tui.testing.openai_server import LoopbackOpenAI
from mtbench_tui.ui.app import make_app
from tests.app_helpers import notices, press, review, screen_text


async def test_rejudge_replaces_the_verdicts_on_screen(
    demo_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test-app-0000")
    with LoopbackOpenAI() as server:
        server.state.default_reply = lambda messages: (
            "Re-examined: clear and correct.\n\nRating: [[7]]"
        )
        settings = JudgeSettings(judge_model="gpt-4", base_url=server.base_url)
        app = make_app(demo_store, "alice", QueueFilter(), judge_settings=settings)
        async with app.run_test(size=(110, 34)) as pilot:
            await pilot.pause()
            key = review(app).view.key
            await press(pilot, "j")
            await app.workers.wait_for_complete()
            await pilot.pause()
            assert len(server.state.requests) == 2
            assert "7 / 10" in screen_text(app) and "Re-examined" in screen_text(app)
            assert "new verdict" in notices(app)
    rows = demo_store.db.execute(
        "SELECT turn, score, origin FROM judgments WHERE question_id = ? AND model = ? AND judge "
        "= 'gpt-4/mtr-v1'"
        " ORDER BY turn",
        [key.question_id, key.model],
    ).fetchall()
    assert rows == [(1, 7, "judge-run"), (2, 7, "judge-run")]


async def test_rejudge_error_is_shown(demo_store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test-app-0000")
    with LoopbackOpenAI() as server:
        server.state.fault_for = lambda request, number: "400"
        settings = JudgeSettings(judge_model="gpt-4", base_url=server.base_url)
        app = make_app(demo_store, "alice", QueueFilter(), judge_settings=settings)
        async with app.run_test(size=(110, 34)) as pilot:
            await pilot.pause()
            await press(pilot, "j")
            await app.workers.wait_for_complete()
            await pilot.pause()
            assert "HTTP 400" in notices(app)


async def test_rejudge_without_a_judge_explains_how(demo_store: Store) -> None:
    app = make_app(demo_store, "alice", QueueFilter())
    async with app.run_test(size=(110, 34)) as pilot:
        await press(pilot, "j")
        assert "No judge configured" in notices(app)
