"""Pair review driven through Pilot, voting the way a reviewer would; the database and the screen
are both checked."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from textual.app import App

from mtbench_tui.core.pair_models import PairKey
from mtbench_tui.core.pair_review import PairSettings
from mtbench_tui.core.pair_view import seeded_shown_a
from mtbench_tui.core.store import Store
from mtbench_tui.core.store.pair_filter import Comparison, PairFilter
from mtbench_tui.ui.app import ReviewApp, make_app
from tests.app_helpers import notices, press, screen_text
from tests.pair_helpers import HOSTILE_A, LYNX, ORION, PICO, add_hostile_pair, add_pair_data

SIZE = (100, 30)


@pytest.fixture
def pair_store(demo_store: Store, tmp_path: Path) -> Store:
    """The demo data with pair verdicts and a fourth model on some questions."""
    return add_pair_data(demo_store, tmp_path / "pairs")


def build(
    store: Store, reviewer: str = "kim", blind: bool = False, **settings: object
) -> ReviewApp:
    """The app in pair mode, exactly as the CLI builds it."""
    return make_app(
        store, reviewer=reviewer, blind=blind, mode="pair", pair=PairSettings(**settings)
    )


def pair_screen(app: App):
    """The pair review screen."""
    from mtbench_tui.ui.screens.pair_review import PairReviewScreen

    for screen in app.screen_stack:
        if isinstance(screen, PairReviewScreen):
            return screen
    raise AssertionError("no pair review screen")


def stored(store: Store, reviewer: str = "kim") -> dict[tuple[int, str, str, int], tuple[str, str]]:
    """Stored votes: (question, model_1, model_2, turn) -> (shown_a, winner)."""
    return {
        (v.question_id, v.model_1, v.model_2, v.turn): (v.shown_a, v.winner)
        for v in store.votes.iter_all(reviewer)
    }


def winner(item: Comparison, shown_a: str, choice: str) -> str:
    """The canonical winner of a choice made with ``shown_a`` as answer A."""
    if choice == "tie":
        return "tie"
    model = (
        shown_a if choice == "A" else (item.model_2 if shown_a == item.model_1 else item.model_1)
    )
    return "model_1" if model == item.model_1 else "model_2"


FIRST, SECOND = Comparison(901, LYNX, ORION), Comparison(901, LYNX, PICO)


async def test_voting_a_tab_t_enter_b_tab_a_enter_writes_exactly_four_votes(
    pair_store: Store,
) -> None:
    app = build(pair_store)
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "a", "tab", "t", "enter", "b", "tab", "a", "enter")
        shown = screen_text(app)
    a1, a2 = seeded_shown_a("kim", FIRST), seeded_shown_a("kim", SECOND)
    assert stored(pair_store) == {
        (901, LYNX, ORION, 1): (a1, winner(FIRST, a1, "A")),
        (901, LYNX, ORION, 2): (a1, "tie"),
        (901, LYNX, PICO, 1): (a2, winner(SECOND, a2, "B")),
        (901, LYNX, PICO, 2): (a2, winner(SECOND, a2, "A")),
    }
    assert "Comparison 3 of 69" in shown and "2 voted by kim" in shown


async def test_votes_show_saved_and_the_judge_agreement(pair_store: Store) -> None:
    app = build(pair_store)
    async with app.run_test(size=SIZE) as pilot:
        screen = pair_screen(app)
        orion = "A" if screen.view.shown_a == ORION else "B"
        await press(pilot, orion.lower())  # the judge says orion on turn 1
        text = screen_text(app)
        assert f"Turn 1  {orion} is better" in text and "saved ✓" in text
        assert "your vote agrees" in text
        await press(pilot, "tab")
        assert "Judge · turn 2" in screen_text(app)
        assert "⚠ inconsistent: the judge preferred" in screen_text(app)


async def test_blind_mode_hides_the_verdict_until_that_turn_is_voted(pair_store: Store) -> None:
    app = build(pair_store, blind=True)
    async with app.run_test(size=SIZE) as pilot:
        text = screen_text(app)
        assert "BLIND" in text and "hidden" in text and "Order one on Q901" not in text
        await press(pilot, "t")
        text = screen_text(app)
        assert "Order one on Q901 turn 1" in text and "hidden" not in text
        await press(pilot, "tab")
        assert "hidden" in screen_text(app)  # turn 2 has no vote yet
        await press(pilot, "B")
        assert "BLIND" not in screen_text(app) and "Order one on Q901 turn 2" in screen_text(app)
    votes = list(pair_store.votes.iter_all("kim"))
    assert [(v.turn, v.blind) for v in votes] == [(1, True)]


async def test_undo_says_what_it_undid_and_returns_to_that_comparison(pair_store: Store) -> None:
    app = build(pair_store)
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "a", "right", "right", "t")
        assert len(stored(pair_store)) == 2
        await press(pilot, "u")
        assert "Undone: Q901 turn 1: vote tie removed" in notices(app)
        await press(pilot, "u")
        screen = pair_screen(app)
        assert screen.view.item == FIRST and screen.turn == 1
        assert "Undone: Q901 turn 1: vote A removed" in notices(app)
        assert stored(pair_store) == {}
        await press(pilot, "u")
        assert "Nothing to undo" in notices(app)


async def test_comment_and_flags_are_saved_on_the_focused_turn(pair_store: Store) -> None:
    app = build(pair_store)
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "tab", "c")
        await pilot.press(*"too long")
        await press(pilot, "enter")
        await press(pilot, "f", "1", "enter")
        text = screen_text(app)
        assert "flags saved ✓" in text and "✎ too long" in text and "⚑ judge wrong" in text
    (vote,) = pair_store.votes.iter_all("kim")
    assert (vote.turn, vote.note, vote.flags, vote.winner) == (
        2,
        "too long",
        ("judge-wrong",),
        None,
    )
    assert vote.shown_a == seeded_shown_a("kim", FIRST)


async def test_enter_visits_the_unvoted_turn_of_this_comparison_first(pair_store: Store) -> None:
    app = build(pair_store)
    async with app.run_test(size=SIZE) as pilot:
        screen = pair_screen(app)
        await press(pilot, "b", "enter")
        assert screen.view.item == FIRST and screen.turn == 2
        await press(pilot, "b", "enter")
        assert screen.view.item == SECOND and screen.turn == 1


async def test_filter_inconsistent_and_the_disagreement_order(pair_store: Store) -> None:
    # Kim disagrees completely with the judge on Q909 turn 2 (judge: pico).
    shown = seeded_shown_a("kim", Comparison(909, ORION, PICO))
    pair_store.votes.set_vote(
        PairKey(909, ORION, PICO, 2), "kim", "A" if shown == ORION else "B", shown_a=shown
    )
    pair_store.votes.set_vote(PairKey(904, ORION, PICO, 2), "kim", "tie", shown_a=ORION)
    app = build(pair_store, pair_filter=PairFilter(inconsistent=True))
    async with app.run_test(size=SIZE) as pilot:
        screen = pair_screen(app)
        assert screen.session.total == 3 and "filter: inconsistent" in screen_text(app)
        await press(pilot, "slash", "ctrl+s")
        assert screen.session.filter == PairFilter(inconsistent=True)
        await press(pilot, "slash")
        await pilot.click("#clear")
        await pilot.pause()
        assert screen.session.filter == PairFilter()
        await press(pilot, "d")
        assert screen.session.total == 2
        assert screen.view.item == Comparison(909, ORION, PICO)
        assert "disagreement 2" in screen_text(app)
        await press(pilot, "right")
        assert screen.view.item == Comparison(904, ORION, PICO)
        await press(pilot, "d")
        assert "Back to question order" in notices(app) and screen.session.total == 69


async def test_hidden_model_names_appear_nowhere(pair_store: Store) -> None:
    app = build(pair_store, hide_models=True)
    async with app.run_test(size=(140, 40)) as pilot:
        text = screen_text(app)
        assert "Answer A" in text and "Answer B" in text and "models hidden" in text
        assert not any(m in text for m in (LYNX, ORION, PICO))
        await press(pilot, "slash")
        assert not app.screen.query("#model")
        assert not any(m in screen_text(app) for m in (LYNX, ORION, PICO))


async def test_reference_answer_on_r(pair_store: Store) -> None:
    app = build(pair_store)
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "r")
        assert "This question has no reference answer" in notices(app)
        await press(pilot, "g", *"909", "enter")
        screen = pair_screen(app)
        assert screen.view.item.question_id == 909
        label = screen.query(".reference-role").first()
        assert label.display and label.region.height == 1
        screen.query_one("#pair-conversation").scroll_to_widget(label, animate=False, top=True)
        await pilot.pause()
        text = screen_text(app)
        assert "Reference answer · turn 1" in text and "3x = 15, so x = 5." in text
        await press(pilot, "r")
        assert label.region.height == 0


async def test_answers_sit_side_by_side_when_wide_and_stack_when_narrow(pair_store: Store) -> None:
    app = build(pair_store)
    async with app.run_test(size=(140, 40)) as pilot:
        screen = pair_screen(app)
        label_a = screen.query_one("#answer-label-a-1")
        label_b = screen.query_one("#answer-label-b-1")
        assert label_a.region.y == label_b.region.y and label_b.region.x > label_a.region.x
        await pilot.resize_terminal(100, 40)
        await pilot.pause()
        assert screen.has_class("-narrow")
        assert label_b.region.y > label_a.region.y and label_b.region.x == label_a.region.x


async def test_a_locked_database_says_not_saved_then_saves(
    pair_store: Store, db_path: Path
) -> None:
    app = build(pair_store)
    async with app.run_test(size=SIZE) as pilot:
        blocker = sqlite3.connect(db_path, isolation_level=None)
        blocker.execute("BEGIN IMMEDIATE")
        await pilot.press("a")
        await pilot.pause()
        assert "not saved — retrying" in screen_text(app)
        assert stored(pair_store) == {}
        blocker.execute("COMMIT")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "saved ✓" in screen_text(app) and "not saved" not in screen_text(app)
    assert len(stored(pair_store)) == 1


async def test_palette_command_switches_modes_and_each_keeps_its_place(pair_store: Store) -> None:
    from mtbench_tui.ui.screens.review import ReviewScreen

    app = build(pair_store)
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "right", "right")
        pair = pair_screen(app)
        place = pair.view.item
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert "Switch to single review (1-10)" in titles
        app.action_switch_review_mode()
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
        assert any("pairwise" in c.title for c in app.get_system_commands(app.screen))
        await press(pilot, "7")  # single mode scores as usual
        app.action_switch_review_mode()
        await pilot.pause()
        assert app.screen is pair and pair.view.item == place
    assert len(list(pair_store.ratings.iter_all("kim"))) == 1


async def test_help_lists_the_pair_keys(pair_store: Store) -> None:
    app = build(pair_store)
    async with app.run_test(size=(100, 40)) as pilot:
        await press(pilot, "question_mark")
        text = screen_text(app)
        for phrase in ("vote on the focused turn", "blind mode", "next / previous comparison"):
            assert phrase in text
        assert "Ctrl+P" in text and "undo your last change" in text
        footer_keys = [b.key for b in pair_screen(app).BINDINGS if b.show]
        for key in ("a", "b", "t", "tab", "enter", "right", "left", "u", "c", "f", "B"):
            assert key in footer_keys
        assert all(b.id and b.description for b in pair_screen(app).BINDINGS)


async def test_hostile_names_and_answers_are_shown_literally(
    demo_store: Store, tmp_path: Path
) -> None:
    add_hostile_pair(demo_store, tmp_path)
    pair_filter = PairFilter(model=HOSTILE_A)
    app = build(demo_store, reviewer="mallory_1", pair_filter=pair_filter)
    async with app.run_test(size=(160, 50)) as pilot:
        text = screen_text(app)
        shown_a = pair_screen(app).view.shown_a
        assert shown_a == HOSTILE_A  # mallory's imported vote fixes the order
        assert "A [reverse]evil\\x1b[31m-7b vs B [@click=app.quit]bidi" in text  # header
        assert "A · [reverse]evil\\x1b[31m-7b" in text  # answer label
        assert "[bold red]loud[/] \\x1b[2J answer one" in text
        assert "<script>alert(1)</script> B one" in text
        assert text.count("[reverse]evil\\x1b[31m-7b") == 4  # header, filter, both labels
        assert "\x1b" not in text and "\u202e" not in text  # no raw escape, no bidi override
        assert "bidi\\u202ename" in text and "B two \\u202edesrever" in text
        await press(pilot, "slash")
        assert "[reverse]evil\\x1b[31m-7b" in screen_text(app)  # the chosen Select option
        await press(pilot, "escape", "q")
    assert app.return_code in (None, 0)


async def test_escape_gives_up_a_vote_the_locked_database_never_took(
    pair_store: Store, db_path: Path
) -> None:
    app = build(pair_store)
    async with app.run_test(size=SIZE) as pilot:
        blocker = sqlite3.connect(db_path, isolation_level=None)
        blocker.execute("BEGIN IMMEDIATE")
        await pilot.press("a")
        await pilot.pause()
        await pilot.press("escape")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "NOT SAVED" in screen_text(app) and "Not saved: Q901 turn 1 vote A." in notices(app)
        blocker.execute("COMMIT")
        await press(pilot, "b")  # the next vote saves normally
        assert "saved ✓" in screen_text(app)
    assert [w for _a, w in stored(pair_store).values()] == [
        winner(FIRST, seeded_shown_a("kim", FIRST), "B")
    ]


async def test_first_launch_demo_has_pair_verdicts_to_review(full_demo_store: Store) -> None:
    app = build(full_demo_store, pair_filter=PairFilter(inconsistent=True))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        text = screen_text(app)
        assert "No pair verdicts" not in text and "judge gpt-4" in text
        assert pair_screen(app).session.total == 6  # the demo's order-inconsistent verdicts
        assert "Assistant A's answer:" in text and "inconsistent" in text


async def test_without_pair_verdicts_the_panel_says_so(demo_store: Store) -> None:
    app = build(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "t")
        text = screen_text(app)
        assert "Comparison 1 of 48" in text
        assert "No pair verdicts in this database" in text and "saved ✓" in text


async def test_palette_compares_votes_with_another_pair_judge(
    pair_store: Store, tmp_path: Path
) -> None:
    from mtbench_tui.core import loading
    from mtbench_tui.core.importer import import_sources
    from mtbench_tui.ui.screens.pair_commands import PairJudgeProvider
    from tests.pair_helpers import pair_row, write_jsonl

    row = pair_row(901, LYNX, ORION, 1, "model_1", "model_1")  # lynx wins, for this judge
    row["judge"] = ["claude-3", "pair-v2"]
    import_sources(
        pair_store, loading.DataSources(pairs=[write_jsonl(tmp_path / "c.jsonl", [row])])
    )
    app = build(pair_store)
    async with app.run_test(size=SIZE) as pilot:
        screen = pair_screen(app)
        provider = PairJudgeProvider(screen)
        commands = provider.commands()
        assert [c.title for c in commands] == ["compare votes with claude-3"]
        commands[0].run()
        await pilot.pause()
        lynx = "A" if screen.view.shown_a == LYNX else "B"
        assert screen.session.judge == "claude-3"
        assert "claude-3 · prompt pair-v2" in screen_text(app)
        assert f"{lynx} is better" in screen_text(app)


async def test_pair_keys_are_remapped_by_id(pair_store: Store) -> None:
    app = make_app(
        pair_store, reviewer="kim", mode="pair", pair=PairSettings(), keymap={"pair.vote-a": "1"}
    )
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "1")
    a1 = seeded_shown_a("kim", FIRST)
    assert stored(pair_store) == {(901, LYNX, ORION, 1): (a1, winner(FIRST, a1, "A"))}


async def test_quitting_with_votes_still_waiting_reports_them(
    pair_store: Store, db_path: Path
) -> None:
    app = build(pair_store)
    blocker = sqlite3.connect(db_path, isolation_level=None)
    async with app.run_test(size=SIZE) as pilot:
        blocker.execute("BEGIN IMMEDIATE")
        await pilot.press("b")
        await pilot.pause()
        await pilot.press("q")
        await pilot.pause()
        assert "Press q again" in notices(app)
        await pilot.press("q")
        await pilot.pause()
    blocker.execute("ROLLBACK")
    assert app.unsaved == [f"not saved: Q901 {LYNX} vs {ORION} turn 1 vote B"]
    assert stored(pair_store) == {}
