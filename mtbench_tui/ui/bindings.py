"""Every key of the app, with an id (so it can be remapped) and a sentence for palette and help."""

from __future__ import annotations

from textual.binding import Binding

from mtbench_tui.core.models import MAX_SCORE, MIN_SCORE, SCORES


def key(
    key: str,
    action: str,
    description: str,
    tooltip: str,
    *,
    id: str,
    show: bool = True,
    key_display: str | None = None,
) -> Binding:
    """A binding whose ``tooltip`` says what it does in a full sentence (shown in the palette).

    None is a priority binding: a priority key jumps ahead of keys typed before it, so
    "7 Tab 8" typed fast would score turn 2 twice.
    """
    return Binding(
        key,
        action,
        description,
        show=show,
        key_display=key_display,
        tooltip=tooltip,
        id=id,
    )


APP_BINDINGS: list[Binding] = [
    key("q", "quit", "quit", "Quit. Every saved rating is already on disk.", id="app.quit"),
    key(
        "question_mark",
        "help",
        "help",
        "List every key of this screen and what it does.",
        id="app.help",
        key_display="?",
    ),
    key(
        "e",
        "export",
        "export",
        "Export a report (Markdown, HTML, JSON) or the ratings (CSV, FastChat).",
        id="app.export",
    ),
]
"""Keys that work on every screen, bound once on the app."""


def _score_bindings() -> list[Binding]:
    """Digit keys score the focused turn (0 scores 10); only one entry shows in the footer."""
    return [
        key(
            str(score % 10),
            f"score({score})",
            "score",
            f"Give the focused turn a score of {score} out of {MAX_SCORE}.",
            id=f"review.score-{score}",
            show=score == MIN_SCORE,
            key_display="1-0" if score == MIN_SCORE else None,
        )
        for score in SCORES
    ]


REVIEW_BINDINGS: list[Binding] = [
    *_score_bindings(),
    key(
        "tab",
        "switch_turn",
        "turn",
        "Move the focus between turn 1 and turn 2.",
        id="review.turn",
    ),
    key(
        "shift+tab",
        "switch_turn",
        "turn",
        "Move the focus between turn 1 and turn 2.",
        id="review.turn-back",
        show=False,
    ),
    key(
        "enter",
        "next_unrated",
        "next unrated",
        "Open the next item you haven't fully scored, at its first unscored turn.",
        id="review.next-unrated",
        key_display="⏎",
    ),
    key(
        "right",
        "next",
        "next",
        "Open the next item in the queue.",
        id="review.next",
        key_display="→",
    ),
    key(
        "left",
        "previous",
        "prev",
        "Open the previous item in the queue.",
        id="review.previous",
        key_display="←",
    ),
    key(
        "u", "undo", "undo", "Undo your last change: a score, a comment or flags.", id="review.undo"
    ),
    key("c", "comment", "comment", "Write a comment on the focused turn.", id="review.comment"),
    key(
        "f",
        "flags",
        "flags",
        "Flag the focused turn: judge wrong, answer unreadable, question ambiguous.",
        id="review.flags",
    ),
    key("g", "goto", "go to", "Jump to a question by its id.", id="review.goto"),
    key(
        "slash",
        "filter",
        "filter",
        "Review only a category, model, turn, rated or unrated items, or a gap.",
        id="review.filter",
        key_display="/",
    ),
    key(
        "d",
        "gap_order",
        "by gap",
        "Disagreement queue: your rated items, largest |you - judge| first.",
        id="review.by-gap",
    ),
    key(
        "B",
        "toggle_blind",
        "blind",
        "Blind mode: hide the judge's verdict on a turn until you have scored it.",
        id="review.blind",
        key_display="B",
    ),
    key(
        "r",
        "toggle_reference",
        "reference",
        "Show or hide the reference answer under each turn.",
        id="review.reference",
    ),
    key(
        "j",
        "rejudge",
        "re-judge",
        "Ask the configured judge (--judge-model) about this conversation again.",
        id="review.rejudge",
    ),
    key(
        "s",
        "stats",
        "stats",
        "Agreement statistics and the bias audit, updated as ratings arrive.",
        id="review.stats",
    ),
    key(
        "escape",
        "give_up",
        "give up saving",
        "Stop retrying changes a locked database hasn't taken (comments stay drafts).",
        id="review.give-up",
    ),
    *[
        key(k, f"scroll('{k}')", label, tip, id=f"review.{k}", show=False)
        for k, label, tip in (
            ("up", "line up", "Scroll the conversation up one line."),
            ("down", "line down", "Scroll the conversation down one line."),
            ("pageup", "page up", "Scroll the conversation up one page."),
            ("pagedown", "page down", "Scroll the conversation down one page."),
            ("home", "top", "Scroll to the top of the conversation."),
            ("end", "bottom", "Scroll to the end of the conversation."),
        )
    ],
]
"""The review screen's keys."""


def parse_keymap(text: str, known: list[Binding]) -> dict[str, str]:
    """Parse ``ID=KEY[,ID=KEY...]`` (e.g. ``review.blind=ctrl+b``) into a Textual keymap.

    Args:
        text: the mapping as typed on the command line.
        known: the bindings that may be remapped.

    Returns:
        Binding id to key.

    Raises:
        ValueError: an entry isn't ``ID=KEY`` or names an unknown id.
    """
    ids = {b.id for b in known if b.id}
    keymap: dict[str, str] = {}
    for entry in filter(None, (part.strip() for part in text.split(","))):
        binding_id, sep, new_key = (s.strip() for s in entry.partition("="))
        if not sep or not new_key:
            raise ValueError(f"{entry!r}: expected ID=KEY, e.g. review.blind=ctrl+b")
        if binding_id not in ids:
            raise ValueError(f"{binding_id!r} is not a key id; ids: {', '.join(sorted(ids))}")
        keymap[binding_id] = new_key
    return keymap
