"""Hostile names on every app surface: Select options, header, palette and notifications stay inert.

A category that clears the screen, a model name that retitles the terminal and a judge name
made of Rich markup must show as the characters they are, never crash the app, and never
reach the terminal as control sequences.
"""

from __future__ import annotations

from mtbench_tui.core.store import Store
from tests.app_helpers import build, press, review, screen_text

CATEGORY = "\x1b[2J"
MODEL = "m\x1b]0;pwned\x07"
JUDGE = "[link=file:///etc/passwd]X[/link]"
BOLD = "[bold red]REV[/]"
BIDI = "m\u202eevil"


def add_hostile_rows(store: Store) -> None:
    """One question in a hostile category, answered by a hostile model and judged by one too."""
    db = store.db
    db.execute(
        "INSERT INTO questions (question_id, category, turn_1, turn_2, content_hash)"
        " VALUES (1, ?, 'first question', 'second question', 'h')",
        [CATEGORY],
    )
    for model in (MODEL, BOLD, BIDI):
        db.execute(
            "INSERT INTO answers (question_id, model, turn_1, turn_2, length_1, length_2,"
            " content_hash) VALUES (1, ?, 'an answer', 'another', 2, 1, 'h')",
            [model],
        )
        for turn in (1, 2):
            db.execute(
                "INSERT INTO judgments (question_id, model, turn, judge, judge_model, prompt,"
                " score, judgment, content_hash) VALUES (1, ?, ?, ?, ?, 'p', 5, 'fine', 'h')",
                [model, turn, JUDGE, JUDGE],
            )


def toasts(text: str) -> str:
    """The notifications on screen (the lines right of their "▌" edge), joined into one line."""
    return " ".join(line.split("▌ ", 1)[1].strip() for line in text.splitlines() if "▌ " in line)


def visible(text: str) -> str:
    """How the app must show a hostile string: each control character as a visible escape."""
    return text.replace("\x1b", "\\x1b").replace("\x07", "\\x07").replace("\u202e", "\\u202e")


async def test_every_select_shows_hostile_names_literally(store: Store) -> None:
    add_hostile_rows(store)
    app = build(store, reviewer=BOLD)
    async with app.run_test(size=(120, 40)) as pilot:
        await press(pilot, "slash")
        dialog = app.screen
        seen = {}
        for select_id in ("category", "model", "turn", "progress"):
            dialog.query_one(f"#{select_id}").focus()
            await press(pilot, "enter")  # open the drop-down
            seen[select_id] = screen_text(app)
            await press(pilot, "escape")
        assert visible(CATEGORY) in seen["category"]
        assert visible(MODEL) in seen["model"] and BOLD in seen["model"]
        assert visible(BIDI) in seen["model"]  # a right-to-left override shown, not obeyed
        assert "turn 2" in seen["turn"] and "only items I have scored" in seen["progress"]
        # Choosing the hostile model keeps it literal in the closed Select and in the header.
        dialog.query_one("#model").value = MODEL
        await pilot.pause()
        assert visible(MODEL) in screen_text(app)
        await press(pilot, "ctrl+s")
        header = screen_text(app).split("\n")[0] + screen_text(app).split("\n")[1]
        assert visible(CATEGORY) in header and visible(MODEL) in header
        assert JUDGE in header and f"by {BOLD}" in header
        for text in seen.values():
            assert "\x1b" not in text and "\x07" not in text and "\u202e" not in text
    assert app.return_code is None  # no MarkupError, no crash


async def test_palette_and_notifications_quote_judges_and_filters_literally(
    demo_store: Store,
) -> None:
    add_hostile_rows(demo_store)
    app = build(demo_store, model=BOLD, judge="gpt-4/mtr-v1")
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await press(pilot, "ctrl+p")
        for ch in "compare":
            await pilot.press(ch)
        await pilot.pause(0.3)
        assert f"compare against {JUDGE}" in screen_text(app)
        await press(pilot, "enter")
        assert review(app).session.judge == JUDGE
        assert f"Comparing against judge {JUDGE}" in toasts(screen_text(app))
        await press(pilot, "g", "9", "0", "1", "enter")
        assert f"Question 901 is not in this queue (filter: {BOLD})" in toasts(screen_text(app))
    assert app.return_code is None
