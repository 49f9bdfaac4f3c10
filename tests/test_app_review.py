"""The review app driven through Pilot, pressing keys the way a reviewer would."""

from __future__ import annotations

import re

from mtbench_tui.core.models import ItemKey, TurnKey
from mtbench_tui.core.store import Store
from tests.app_helpers import build, notices, press, review, screen_text

SIZE = (100, 30)


def scores(store: Store, reviewer: str) -> dict[tuple[int, str, int], int]:
    """Stored scores of one reviewer."""
    return {(r.question_id, r.model, r.turn): r.score for r in store.ratings.iter_all(reviewer)}


async def test_rating_several_items_writes_exactly_those_rows(demo_store: Store) -> None:
    app = build(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "7", "tab", "8", "enter")  # item 1: both turns, then next unrated
        await press(
            pilot, "3", "enter"
        )  # item 2: turn 1 only, then next unrated (item 2 still needs turn 2)
        await press(pilot, "right", "0", "tab", "1")  # item 3: 10 and 1
        shown = screen_text(app)
    items = sorted({(q, m) for q, m, _t in scores(demo_store, "alice")})
    assert len(items) == 3
    first, second, third = items
    assert scores(demo_store, "alice") == {
        (*first, 1): 7,
        (*first, 2): 8,
        (*second, 1): 3,
        (*third, 1): 10,
        (*third, 2): 1,
    }
    assert "saved ✓" in shown


async def test_enter_skips_fully_rated_items(demo_store: Store) -> None:
    app = build(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        screen = review(app)
        start = screen.view.key
        await press(pilot, "5", "tab", "5", "enter")
        assert screen.view.key != start
        await press(pilot, "left")
        assert screen.view.key == start
        await press(pilot, "enter")
        assert screen.view.key != start


async def test_tab_switches_turn_and_each_item_opens_on_turn_one(demo_store: Store) -> None:
    app = build(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        screen = review(app)
        assert screen.turn == 1
        await press(pilot, "tab")
        assert screen.turn == 2
        assert "Judge · turn 2" in screen_text(app)
        await press(pilot, "tab")
        assert screen.turn == 1
        await press(pilot, "tab", "right")
        assert screen.turn == 1


async def test_blind_mode_hides_verdict_until_scored(demo_store: Store) -> None:
    app = build(demo_store, blind=True)
    async with app.run_test(size=SIZE) as pilot:
        screen = review(app)
        verdict = screen.view.verdicts[1]
        text = screen_text(app)
        assert "hidden" in text and verdict.judgment.splitlines()[0][:30] not in text
        await press(pilot, "4")
        text = screen_text(app)
        assert "hidden" not in text.split("Judge · turn 1")[1]
        assert f"{verdict.score:g} / 10" in text
        # Turn 2 is still hidden.
        await press(pilot, "tab")
        assert "hidden" in screen_text(app)
        await press(pilot, "6")  # revise turn 1 after the reveal
        await press(pilot, "tab", "9")
    history = demo_store.ratings.history(
        TurnKey(screen.view.key.question_id, screen.view.key.model, 1), "alice"
    )
    assert [(e.score, e.blind) for e in history] == [(4, True), (9, False)]


async def test_blind_toggle_is_shift_b(demo_store: Store) -> None:
    """Blind mode moved to B (Shift+b): plain b is kept free for "B is better" in pair mode."""
    app = build(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        assert "hidden" not in screen_text(app)
        await press(pilot, "b")
        assert "BLIND" not in screen_text(app)
        await press(pilot, "B")
        assert "BLIND" in screen_text(app) and "hidden" in screen_text(app)
        assert "B blind" in screen_text(app)  # the footer names the new key


async def test_undo_restores_previous_score_and_clears_new_ones(demo_store: Store) -> None:
    app = build(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        screen = review(app)
        key = screen.view.key
        await press(pilot, "3", "6")
        assert demo_store.ratings.get(TurnKey(key.question_id, key.model, 1), "alice").score == 6
        await press(pilot, "u")
        assert demo_store.ratings.get(TurnKey(key.question_id, key.model, 1), "alice").score == 3
        await press(pilot, "u")
        assert demo_store.ratings.get(TurnKey(key.question_id, key.model, 1), "alice") is None
        await press(pilot, "u")
        assert "Nothing to undo" in notices(app)


async def test_undo_returns_to_the_item_it_changes(demo_store: Store) -> None:
    app = build(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        screen = review(app)
        first = screen.view.key
        await press(pilot, "8", "right", "right")
        assert screen.view.key != first
        await press(pilot, "u")
        assert screen.view.key == first
    assert scores(demo_store, "alice") == {}


async def test_resume_after_restart_at_first_unrated(demo_store: Store) -> None:
    app = build(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "7", "tab", "7", "enter", "2", "tab", "2", "enter", "9")
        third = review(app).view.key
    restarted = build(Store.open(demo_store.path))
    async with restarted.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = review(restarted)
        assert screen.view.key == third  # half-rated: still needs turn 2
        assert screen.view.entry.position == 3
        assert screen.turn == 2  # the first unscored turn, so a digit can't overwrite turn 1
        assert "2 rated, 1 half-rated by alice" in screen_text(restarted)


async def test_reviewers_do_not_see_each_others_scores(demo_store: Store) -> None:
    app = build(demo_store, reviewer="alice")
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "9")
        first = review(app).view.key
    bob = build(demo_store, reviewer="bob")
    async with bob.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = review(bob)
        assert screen.view.key == first  # bob's first unrated is the same item
        assert screen.view.ratings == {}
        assert "score 9" not in screen_text(bob)
        assert "not scored" in screen_text(bob)


async def test_two_apps_on_one_database_both_save(demo_store: Store) -> None:
    second_store = Store.open(demo_store.path)
    one, two = build(demo_store, reviewer="alice"), build(second_store, reviewer="bob")
    async with one.run_test(size=SIZE) as p1, two.run_test(size=SIZE) as p2:
        await press(p1, "4")
        await press(p2, "5")
        await press(p1, "tab", "6")
        await press(p2, "tab", "7")
    assert list(scores(demo_store, "alice").values()) == [4, 6]
    assert list(scores(demo_store, "bob").values()) == [5, 7]


async def test_markup_and_ansi_in_an_answer_show_literally(demo_store: Store) -> None:
    app = build(demo_store, category="coding", model="pico-1b-chat")
    async with app.run_test(size=(200, 50)) as pilot:
        await pilot.pause()
        assert review(app).view.key == ItemKey(911, "pico-1b-chat")
        text = screen_text(app)
    assert "[bold red]IMPORTANT:[/bold red]" in text
    assert "\\x1b[31mWarning: red text\\x1b[0m" in text
    assert "<script>alert('xss')</script>" in text
    assert "\x1b" not in text


async def test_hostile_text_never_reaches_the_terminal(store: Store, tmp_path) -> None:
    """A question, answer, model name and verdict full of markup and escapes all display inert."""
    from mtbench_tui.core import loading
    from mtbench_tui.core.importer import import_sources
    from tests.helpers import write_jsonl

    data = tmp_path / "hostile"
    payload = "[red]x[/red] \x1b[31mRED\x1b[0m \x07bell \x9b31m [link=http://evil]click[/link]"
    write_jsonl(
        data / "question.jsonl",
        [{"question_id": 1, "category": "writing", "turns": [payload, payload]}],
    )
    write_jsonl(
        data / "model_answer" / "m[bold]x.jsonl",
        [{"question_id": 1, "choices": [{"index": 0, "turns": [payload, payload]}]}],
    )
    write_jsonl(
        data / "model_judgment" / "j_single.jsonl",
        [
            {
                "question_id": 1,
                "model": "m[bold]x",
                "judge": ["gpt-4", "single-v1"],
                "judgment": payload,
                "score": 3,
                "turn": t,
                "user_prompt": "",
            }
            for t in (1, 2)
        ],
    )
    import_sources(store, loading.discover(data))
    app = build(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        text = screen_text(app)
    assert "\x1b" not in text and "\x07" not in text and "\x9b" not in text
    assert text.count("[red]x[/red]") >= 3 and "m[bold]x" in text  # texts and the model name
    assert "\\x1b[31mRED\\x1b[0m" in text and "\\x07bell" in text and "\\x9b31m" in text


async def test_filter_by_category_and_model_from_cli_options(demo_store: Store) -> None:
    app = build(demo_store, category="math", model="lynx-13b-chat")
    async with app.run_test(size=SIZE) as pilot:
        screen = review(app)
        seen = [screen.view.key]
        for _ in range(3):
            await press(pilot, "right")
            seen.append(screen.view.key)
        assert seen == [
            ItemKey(909, "lynx-13b-chat"),
            ItemKey(910, "lynx-13b-chat"),
            ItemKey(910, "lynx-13b-chat"),
            ItemKey(910, "lynx-13b-chat"),
        ]
        assert "Item 2 of 2" in screen_text(app)
        assert "End of the queue" in notices(app)


async def test_filter_dialog(demo_store: Store) -> None:
    app = build(demo_store)
    async with app.run_test(size=(100, 40)) as pilot:
        await press(pilot, "slash")
        dialog = app.screen
        dialog.query_one("#category").value = "stem"
        dialog.query_one("#turn").value = 2
        dialog.query_one("#progress").value = "unrated"
        await press(pilot, "ctrl+s")
        screen = review(app)
        assert screen.session.filter.category == "stem" and screen.session.filter.turn == 2
        assert screen.session.filter.progress == "unrated"
        assert screen.turn == 2  # a turn-2 queue opens its items on turn 2
        assert screen.view.question.category == "stem"
        assert "Item 1 of 6" in screen_text(app)


async def test_disagreement_queue_orders_by_gap(demo_store: Store) -> None:
    app = build(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        screen = review(app)
        # item 1 (901 lynx): judge 6 and 3.  item 2 (901 orion): judge 9 and 8.
        await press(pilot, "6", "tab", "3", "enter")  # gaps 0, 0
        await press(pilot, "1", "tab", "8", "enter")  # gaps 8, 0
        await press(pilot, "d")
        assert screen.view.key == ItemKey(901, "orion-70b-chat")
        assert "Item 1 of 2" in screen_text(app)
        await press(pilot, "right")
        assert screen.view.key == ItemKey(901, "lynx-13b-chat")
        await press(pilot, "d")
        assert "question order" in notices(app)


async def test_goto_question(demo_store: Store) -> None:
    app = build(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "g", "9", "1", "4", "enter")
        assert review(app).view.key.question_id == 914
        for missing in ("5", "81", "900"):
            await press(pilot, "g", *missing, "enter")
            assert review(app).view.key.question_id == 914  # an unknown id goes nowhere...
            assert f"There is no question {missing}" in notices(app)  # ...and says so


async def test_comment_and_flags(demo_store: Store) -> None:
    app = build(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        key = review(app).view.key
        await press(pilot, "c")
        for ch in "too long":
            await pilot.press(ch if ch != " " else "space")
        await press(pilot, "enter")
        await press(pilot, "tab", "f", "1", "3", "enter")
        text = screen_text(app)
    one = demo_store.ratings.get(TurnKey(key.question_id, key.model, 1), "alice")
    two = demo_store.ratings.get(TurnKey(key.question_id, key.model, 2), "alice")
    assert one.note == "too long" and one.score is None
    assert two.flags == ("judge-wrong", "question-ambiguous")
    assert "too long" in text and "judge wrong" in text


async def test_reference_toggle(demo_store: Store) -> None:
    app = build(demo_store, category="math")
    async with app.run_test(size=(100, 60)) as pilot:
        await pilot.pause()
        assert "Reference answer · turn 1" not in screen_text(app)
        await press(pilot, "r")
        text = screen_text(app)
        assert "Reference answer · turn 1" in text and "x = 5" in text


async def test_mouse_click_sets_score(demo_store: Store) -> None:
    app = build(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        key = review(app).view.key
        cells = [c for c in app.screen.query(".score-cell") if c.turn == 2 and c.score == 4]
        await pilot.click(cells[0])
        await pilot.pause()
        assert review(app).turn == 2
    assert demo_store.ratings.get(TurnKey(key.question_id, key.model, 2), "alice").score == 4


async def test_help_and_palette_list_every_key(demo_store: Store) -> None:
    app = build(demo_store)
    async with app.run_test(size=(110, 40)) as pilot:
        await press(pilot, "question_mark")
        text = screen_text(app)
        for key_name, sentence in (
            ("1-9, 0", "Score the focused turn 1-9; 0 scores 10."),
            ("⏎", "Open the next item you haven't fully scored"),
            ("u", "Undo your last change"),
            ("c", "Write a comment"),
            ("f", "Flag the focused turn"),
            ("g", "Jump to a question"),
            ("/", "Review only a category"),
            ("d", "Disagreement queue"),
            ("B", "Blind mode"),
            ("r", "Show or hide the reference answer"),
            ("PgUp PgDn", "Scroll the conversation"),
            ("q", "Quit."),
            ("e", "Export a report"),
        ):
            row = rf"█\s+{re.escape(key_name)}\s+{re.escape(sentence)}"  # a row of the table
            assert re.search(row, text), (key_name, sentence)
        await press(pilot, "escape", "ctrl+p")
        for ch in "undo":
            await pilot.press(ch)
        await pilot.pause(0.3)
        assert "undo (u)" in screen_text(app)


async def test_palette_runs_a_command(demo_store: Store) -> None:
    app = build(demo_store)
    async with app.run_test(size=(110, 40)) as pilot:
        await press(pilot, "ctrl+p")
        for ch in "score 7":
            await pilot.press(ch if ch != " " else "space")
        await pilot.pause(0.3)
        await press(pilot, "enter")
        key = review(app).view.key
    assert demo_store.ratings.get(TurnKey(key.question_id, key.model, 1), "alice").score == 7


async def test_quit_key(demo_store: Store) -> None:
    app = build(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "5", "q")
    assert app.return_code == 0 or app.return_code is None
    assert len(scores(demo_store, "alice")) == 1
