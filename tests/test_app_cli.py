"""The command line around the app: judge choice, key remapping, and the ratings listing."""

from __future__ import annotations

import json
import re
from pathlib import Path

from click.testing import CliRunner

from mtbench_tui.cli import main
from mtbench_tui.core.models import TurnKey
from mtbench_tui.core.store import Store
from mtbench_tui.ui.bindings import APP_BINDINGS, REVIEW_BINDINGS, parse_keymap
from tests.app_helpers import press, review, screen_text


def test_ratings_marks_cut_notes(demo_store: Store, db_path: Path) -> None:
    long_note = "The second paragraph contradicts the first one entirely."
    demo_store.ratings.set_note(TurnKey(901, "lynx-13b-chat", 1), "alice", long_note)
    demo_store.ratings.set_note(TurnKey(901, "lynx-13b-chat", 2), "alice", "short")
    result = CliRunner().invoke(main, ["ratings", "--db", str(db_path)], env={"COLUMNS": "250"})
    assert result.exit_code == 0, result.output
    assert long_note[:39] + "…" in result.output and long_note not in result.output
    assert "short" in result.output and "short…" not in result.output


def test_ratings_at_80_columns_keep_every_name_whole(demo_store: Store, db_path: Path) -> None:
    demo_store.ratings.set_score(TurnKey(901, "lynx-13b-chat", 1), "alice", 7)
    result = CliRunner().invoke(main, ["ratings", "--db", str(db_path)], env={"COLUMNS": "80"})
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert max(len(line) for line in lines) <= 80
    assert "…" not in result.output  # names wrap; nothing but a long note is ever cut
    header = next(line for line in lines if "question" in line)
    assert header.split() == [
        *"question model turn reviewer score judge flags note".split(),
        "updated",
    ]
    row = next(i for i, line in enumerate(lines) if line.lstrip().startswith("901"))
    column = header.index("model")
    cell = lines[row][column:].split()[0]
    below = lines[row + 1][column:].split() if row + 1 < len(lines) else []
    assert cell == "lynx-13b-chat" or cell + (below[0] if below else "") == "lynx-13b-chat"
    assert re.search(r"\d{4}-\d\d-\d\d \d\d:\d\d$", lines[row].rstrip())


def test_unknown_judge_and_bad_keys_are_one_line_errors(demo_store: Store, db_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(main, ["--db", str(db_path), "--judge", "nobody"])
    assert result.exit_code != 0 and "no verdicts from judge 'nobody'" in result.output
    result = runner.invoke(main, ["--db", str(db_path), "--keys", "review.nope=x"])
    assert result.exit_code != 0 and "'review.nope' is not a key id" in result.output
    result = runner.invoke(main, ["--db", str(db_path), "--keys", "review.blind"])
    assert result.exit_code != 0 and "expected ID=KEY" in result.output


async def test_keys_can_be_remapped_by_id(demo_store: Store) -> None:
    from mtbench_tui.ui.app import make_app

    keymap = parse_keymap("review.blind=ctrl+b, review.undo=z", [*APP_BINDINGS, *REVIEW_BINDINGS])
    app = make_app(demo_store, "alice", keymap=keymap)
    async with app.run_test(size=(110, 34)) as pilot:
        await press(pilot, "ctrl+b")
        assert review(app).blind and "^b blind" in screen_text(app)
        await press(pilot, "B")
        assert review(app).blind  # the old key no longer toggles
        await press(pilot, "5", "z")
        key = review(app).view.key
        assert demo_store.ratings.get(TurnKey(key.question_id, key.model, 1), "alice") is None
        await press(pilot, "question_mark")
        assert "ctrl+b" in screen_text(app)


def test_ratings_title_shows_a_hostile_judge_label_literally(tmp_path: Path) -> None:
    from mtbench_tui.core import loading
    from mtbench_tui.core.importer import import_sources

    label = "[bold red]J[/bold red]\x1b]0;t\x07"
    data = tmp_path / "data"
    rows = {
        "question.jsonl": {"question_id": 1, "category": "writing", "turns": ["q1", "q2"]},
        "model_answer/m.jsonl": {
            "question_id": 1,
            "answer_id": "a",
            "model_id": "m",
            "choices": [{"index": 0, "turns": ["a1", "a2"]}],
        },
        "model_judgment/j_single.jsonl": {
            "question_id": 1,
            "model": "m",
            "judge": [label, "p"],
            "user_prompt": "",
            "judgment": "Rating: [[5]]",
            "score": 5,
            "turn": 1,
        },
    }
    for name, row in rows.items():
        (data / name).parent.mkdir(parents=True, exist_ok=True)
        (data / name).write_text(json.dumps(row) + "\n", encoding="utf-8")
    store = Store.open(tmp_path / "h.db")
    import_sources(store, loading.discover(data))
    store.ratings.set_score(TurnKey(1, "m", 1), "alice", 6)
    store.close()
    result = CliRunner().invoke(
        main, ["ratings", "--db", str(tmp_path / "h.db")], env={"COLUMNS": "120"}
    )
    assert result.exit_code == 0, result.output
    assert "(judge column: [bold red]J[/bold red]\\x1b]0;t\\x07/p)" in result.output
    assert "\x1b" not in result.output
