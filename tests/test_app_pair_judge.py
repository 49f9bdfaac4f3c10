"""The j key in pair mode, against a loopback OpenAI-compatible server through the real client:
both answer orders of both turns are judged again, stored, and shown; the compared judge
never changes."""

from __future__ import annotations

from pathlib import Path

import pytest

from mtbench_tui.core.judge.rejudge import JudgeSettings, rejudge_pair
from mtbench_tui.core.models import ItemKey
from mtbench_tui.core.pair_review import PairSettings
from mtbench_tui.core.pair_view import seeded_shown_a
from mtbench_tui.core.store import Store
from mtbench_tui.core.store.pair_filter import Comparison
from mtbench_tui.testing.openai_server import LoopbackOpenAI
from mtbench_tui.ui.app import ReviewApp, make_app
from tests.app_helpers import notices, press, record_notices, screen_text
from tests.pair_helpers import LYNX, ORION, add_pair_data

SIZE = (120, 40)
PJ = "pj/mtr-pair-v1"
"""The label of judge model ``pj`` with the built-in pair prompts."""
FIRST = Comparison(901, LYNX, ORION)
"""Reviewer kim's first comparison."""


@pytest.fixture
def pair_store(demo_store: Store, tmp_path: Path) -> Store:
    """The demo data with GPT-4's pair verdicts (Q901 judged with orion as model_1)."""
    return add_pair_data(demo_store, tmp_path / "pairs")


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch):
    """A loopback server; the key comes from the environment as in real use."""
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test-pair-app-0000")
    with LoopbackOpenAI() as s:
        yield s


def orion_wins(store: Store):
    """A judge that prefers orion's answer to lynx's on Q901, whichever order it reads them in."""
    orion = store.content.answer(ItemKey(901, ORION)).turns[0]
    lynx = store.content.answer(ItemKey(901, LYNX)).turns[0]

    def reply(messages: list[dict]) -> str:
        prompt = messages[-1]["content"]
        first = "A" if prompt.index(orion) < prompt.index(lynx) else "B"
        return f"Second look: the HydraTrack answer is better.\n\n[[{first}]]"

    return reply


def build(store: Store, server: LoopbackOpenAI, judge: str | None = None) -> ReviewApp:
    """Pair mode for reviewer kim, re-judging with judge model ``pj`` on the loopback server."""
    app = make_app(
        store,
        reviewer="kim",
        mode="pair",
        pair=PairSettings(judge=judge),
        judge_settings=JudgeSettings(judge_model="pj", base_url=server.base_url),
    )
    record_notices(app)
    return app


def stored(store: Store, judge: str) -> list[tuple]:
    """This judge's rows on Q901 lynx/orion: model order, turn, g1, g2, combined, origin."""
    return store.db.execute(
        "SELECT model_1, model_2, turn, g1_winner, g2_winner, winner, origin FROM pair_judgments"
        " WHERE question_id = 901 AND judge = ? AND ? IN (model_1, model_2)"
        " AND ? IN (model_1, model_2) ORDER BY turn",
        [judge, LYNX, ORION],
    ).fetchall()


def orion_side() -> str:
    """Where kim sees orion's answer: A or B."""
    return "A" if seeded_shown_a("kim", FIRST) == ORION else "B"


async def test_j_rejudges_both_orders_of_both_turns_and_shows_the_verdict(
    pair_store: Store, server: LoopbackOpenAI
) -> None:
    # pj judged Q901 before, with orion as model_1 (not the comparison's name order).
    settings = JudgeSettings(judge_model="pj", base_url=server.base_url)
    await rejudge_pair(pair_store, 901, ORION, LYNX, settings)
    server.state.requests.clear()
    server.state.default_reply = orion_wins(pair_store)
    app = build(pair_store, server, judge=PJ)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert "Second look" not in screen_text(app)
        await press(pilot, "j")
        text = screen_text(app)
        assert f"{orion_side()} is better" in text and "Second look" in text
        assert "re-judging" not in text  # the status line is gone once it is done
        assert "Re-judged Q901: 2 turns judged in both orders; the new verdict is shown" in (
            notices(app)
        )
        assert "(g1): new verdict" not in notices(app)  # no notice for each of the 4 replies
        await press(pilot, "tab")
        assert "Judge · turn 2" in screen_text(app) and "Second look" in screen_text(app)
        assert app.pair_session.judge == PJ
    assert len(server.state.requests) == 4  # two orders of two turns
    # Replaced like for like: the stored model order is kept, both orders are recorded.
    assert stored(pair_store, PJ) == [
        (ORION, LYNX, 1, "model_1", "model_1", "model_1", "judge-run"),
        (ORION, LYNX, 2, "model_1", "model_1", "model_1", "judge-run"),
    ]
    (run,) = pair_store.db.execute(
        "SELECT status, mode FROM judge_runs ORDER BY id DESC LIMIT 1"
    ).fetchall()
    assert run == ("finished", "rejudge")


async def test_verdicts_of_another_judge_never_switch_the_compared_judge(
    pair_store: Store, server: LoopbackOpenAI
) -> None:
    server.state.default_reply = orion_wins(pair_store)
    app = build(pair_store, server)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        before = screen_text(app)
        assert "Order one on Q901 turn 1" in before  # GPT-4's verdict
        await press(pilot, "j")
        assert f"2 turns judged in both orders, stored under judge {PJ}" in notices(app)
        assert "still compares votes with gpt-4" in notices(app)
        assert "Order one on Q901 turn 1" in screen_text(app)
        assert "Second look" not in screen_text(app)
        assert app.pair_session.judge == "gpt-4"
    # pj had no verdict, so the compared judge's order (orion first) is used.
    assert [row[:3] for row in stored(pair_store, PJ)] == [(ORION, LYNX, 1), (ORION, LYNX, 2)]


async def test_hidden_model_names_stay_hidden_in_rejudge_messages(
    pair_store: Store, server: LoopbackOpenAI
) -> None:
    server.state.fault_for = lambda request, number: "400"
    app = make_app(
        pair_store,
        reviewer="kim",
        mode="pair",
        pair=PairSettings(hide_models=True),
        judge_settings=JudgeSettings(judge_model="pj", base_url=server.base_url),
    )
    record_notices(app)
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "j")
        said = notices(app)
        assert "Q901 turn 1 (g1)" in said and "HTTP 400" in said
        assert LYNX not in said and ORION not in said
        assert LYNX not in screen_text(app) and ORION not in screen_text(app)


async def test_j_without_a_judge_explains_how(pair_store: Store) -> None:
    app = make_app(pair_store, reviewer="kim", mode="pair")
    record_notices(app)
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "j")
    assert "No judge configured: start with --judge-model" in notices(app)
