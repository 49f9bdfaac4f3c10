"""A reviewer finding their way: Enter, go to, the disagreement queue, scrolling, undo messages."""

from __future__ import annotations

from textual import events

from mtbench_tui.core.models import ItemKey, TurnKey
from mtbench_tui.core.store import Store
from tests.app_helpers import build, notices, press, review, screen_text

SIZE = (110, 34)


def rate(store: Store, item: ItemKey, **scores: int) -> None:
    """Store this reviewer's scores for some turns of an item (t1=..., t2=...)."""
    for name, score in scores.items():
        store.ratings.set_score(TurnKey(item.question_id, item.model, int(name[1])), "alice", score)


async def test_keys_typed_faster_than_the_app_apply_in_order(demo_store: Store) -> None:
    """'7 Tab 8' arriving at once scores turn 1 then turn 2 (no key jumps the queue)."""
    app = build(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        for key, char in (("7", "7"), ("tab", "\t"), ("8", "8")):
            app.post_message(events.Key(key, char))
        await press(pilot)
    history = demo_store.db.execute("SELECT turn, score FROM rating_history ORDER BY id")
    assert history.fetchall() == [(1, 7), (2, 8)]


async def test_enter_lands_on_the_first_unscored_turn(demo_store: Store) -> None:
    half = ItemKey(901, "orion-70b-chat")  # item 2
    rate(demo_store, half, t1=9)
    app = build(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        screen = review(app)
        assert screen.view.entry.position == 1 and screen.turn == 1
        await press(pilot, "enter")
        assert screen.view.key == half and screen.turn == 2  # not turn 1, already scored
        await press(pilot, "4")
        assert "Turn 2  score 4" in screen_text(app)
        assert "1 rated by alice" in screen_text(app)
    assert demo_store.ratings.get(TurnKey(901, "orion-70b-chat", 1), "alice").score == 9


async def test_disagreement_queue_opens_at_the_largest_gap_and_shows_it(
    demo_store: Store,
) -> None:
    rate(demo_store, ItemKey(901, "lynx-13b-chat"), t1=6, t2=3)  # judge 6, 3: gap 0
    rate(demo_store, ItemKey(901, "orion-70b-chat"), t1=1, t2=8)  # judge 9, 8: gap 8
    rate(demo_store, ItemKey(901, "pico-1b-chat"), t1=4, t2=1)  # judge 2, 1: gap 2
    app = build(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        screen = review(app)
        await press(pilot, "g", "9", "0", "1", "enter", "right", "right")
        assert screen.view.key == ItemKey(901, "pico-1b-chat")  # in the queue, item 3 of 3
        await press(pilot, "d")
        assert screen.view.key == ItemKey(901, "orion-70b-chat")
        assert "Item 1 of 3" in screen_text(app) and "gap 8" in screen_text(app)
        await press(pilot, "right")
        assert "Item 2 of 3" in screen_text(app) and "gap 2" in screen_text(app)
        await press(pilot, "enter")
        assert "Every item in this queue is scored" in notices(app)
        assert screen.view.entry.position == 2


async def test_go_to_suggests_a_real_id_and_names_unknown_ones(demo_store: Store) -> None:
    app = build(demo_store, category="math")
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "g")
        assert "e.g. 909" in screen_text(app)  # the placeholder is an id that exists
        await press(pilot, "9", "0", "1", "enter")
        assert "Question 901 is not in this queue (filter: math)" in notices(app)
        await press(pilot, "g", "0", "enter")
        assert "There is no question 0" in notices(app)
        assert review(app).view.key.question_id == 909


async def test_undo_says_what_it_undid(demo_store: Store) -> None:
    app = build(demo_store)
    async with app.run_test(size=SIZE) as pilot:
        await press(pilot, "5", "5")
        await press(pilot, "c", "o", "k", "enter", "f", "2", "enter")
        await press(pilot, "f", "2", "enter")  # clear the flag again
        said = []
        for _ in range(5):
            await press(pilot, "u")
            said.append(notices(app).splitlines()[-1])
    assert [line.split(": ")[-1] for line in said] == [
        "flags restored",
        "flags removed",
        "comment removed",
        "score back to 5",
        "rating removed",
    ]


async def test_page_keys_scroll_the_conversation(demo_store: Store) -> None:
    app = build(demo_store)
    async with app.run_test(size=(80, 24)) as pilot:
        conversation = app.screen.query_one("#conversation")
        await press(pilot, "pagedown")
        paged = conversation.scroll_y
        assert paged > 0
        await press(pilot, "end")
        assert conversation.scroll_y == conversation.max_scroll_y > paged
        await press(pilot, "pageup")
        assert 0 < conversation.scroll_y < conversation.max_scroll_y
        await press(pilot, "home")
        assert conversation.scroll_y == 0
        await press(pilot, "question_mark", "end")  # the help scrolls at 80x24 too
        assert "PgUp PgDn" in screen_text(app)


async def test_palette_entries_say_what_they_do(demo_store: Store) -> None:
    app = build(demo_store)
    async with app.run_test(size=(110, 40)) as pilot:
        await press(pilot, "ctrl+p")
        for ch in "undo":
            await pilot.press(ch)
        await pilot.pause(0.3)
        text = screen_text(app)
        assert "undo (u)" in text
        assert "Undo your last change: a score, a comment or flags." in text


async def test_a_jump_never_shows_one_models_label_over_another_models_answer(
    demo_store: Store,
) -> None:
    """Whenever the app could draw a frame during jumps, turn 1's label names the model whose
    answer is under it: an item is rendered in one batch, never label first and answer later."""
    answers = {
        m: demo_store.content.answer(ItemKey(914, m)).turns[0][:25]
        for m in ("lynx-13b-chat", "orion-70b-chat", "pico-1b-chat")
    }
    frames: list[str] = []
    app = build(demo_store)

    def capture(message: object) -> None:
        # Never inside a batch update, where no frame is drawn (Textual exposes no public
        # flag for that); callbacks and Markdown's contents updates are too many to render.
        if app._batch_count or len(app.screen_stack) < 2:  # noqa: SLF001
            return
        if type(message).__name__ in ("Callback", "TableOfContentsUpdated"):
            return
        if app.screen.query("#assistant-label-1"):
            frames.append(screen_text(app))

    async with app.run_test(size=(80, 24), message_hook=capture) as pilot:
        for model in ("orion-70b-chat", "pico-1b-chat"):
            await press(pilot, "g", "9", "1", "4", "enter")
            while review(app).view.key.model != model:
                await press(pilot, "right")
    mixed = [
        (model, other)
        for frame in frames
        for model in answers
        if f"Assistant · {model}" in frame
        for other, answer in answers.items()
        if other != model and answer in frame
    ]
    assert len(frames) > 20 and mixed == []
