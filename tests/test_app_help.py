"""The ? help says what is true in each review mode: its keys (as remapped by --keys) and what
the mouse does there."""

from __future__ import annotations

from pathlib import Path

from mtbench_tui.core.pair_review import PairSettings
from mtbench_tui.core.store import QueueFilter, Store
from mtbench_tui.ui.app import make_app
from tests.app_helpers import press, screen_text
from tests.pair_helpers import add_pair_data

SIZE = (100, 40)


async def test_pair_help_names_its_own_mouse_actions_and_remapped_keys(
    demo_store: Store, tmp_path: Path
) -> None:
    add_pair_data(demo_store, tmp_path / "pairs")
    keymap = {"pair.vote-a": "z", "pair.rejudge": "ctrl+j"}
    app = make_app(demo_store, "kim", mode="pair", pair=PairSettings(), keymap=keymap)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert "Your vote  (z / b / t)" in screen_text(app)
        await press(pilot, "question_mark")
        text = screen_text(app)
    assert "click A, B or tie to vote" in text
    assert "click a score" not in text
    assert "z / b / t" in text and "a / b / t" not in text
    assert "ctrl+j" in text and "re-judge this comparison (both orders)" in text
    assert "g / s / e" in text and "PgUp PgDn Home End" in text


async def test_single_help_keeps_its_mouse_line(demo_store: Store) -> None:
    app = make_app(demo_store, "kim", QueueFilter())
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "question_mark")
        text = screen_text(app)
    assert "click a score to set it" in text
    assert "click A, B or tie" not in text
