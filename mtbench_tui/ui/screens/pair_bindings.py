"""Every key of the pair review screen, each with an id (so it can be remapped) and a sentence
for the command palette and the ? help."""

from __future__ import annotations

from textual.binding import Binding

from mtbench_tui.ui.bindings import key


def _scroll(keys: str, action: str, what: str) -> Binding:
    """A hidden key that scrolls the conversation (it never takes the focus)."""
    return key(
        keys,
        f"scroll('{action}')",
        what,
        f"Scroll the answers: {what}.",
        id=f"pair.{action}",
        show=False,
    )


PAIR_BINDINGS = [
    key(
        "a",
        "vote('A')",
        "A better",
        "Vote that answer A is better on the focused turn.",
        id="pair.vote-a",
    ),
    key(
        "b",
        "vote('B')",
        "B better",
        "Vote that answer B is better on the focused turn.",
        id="pair.vote-b",
    ),
    key("t", "vote('tie')", "tie", "Vote a tie on the focused turn.", id="pair.tie"),
    key("tab", "switch_turn", "turn", "Move the focus between turn 1 and turn 2.", id="pair.turn"),
    key(
        "shift+tab",
        "switch_turn",
        "turn",
        "Move the focus between turn 1 and turn 2.",
        id="pair.turn-back",
        show=False,
    ),
    key(
        "enter",
        "next_unvoted",
        "next unvoted",
        "Go to the next turn you haven't voted on: in this comparison, else the next one.",
        id="pair.next-unvoted",
        key_display="⏎",
    ),
    key("right", "next", "next", "Open the next comparison.", id="pair.next", key_display="→"),
    key(
        "left",
        "previous",
        "prev",
        "Open the previous comparison.",
        id="pair.previous",
        key_display="←",
    ),
    key("u", "undo", "undo", "Undo your last change: a vote, a comment or flags.", id="pair.undo"),
    key("c", "comment", "comment", "Write a comment on the focused turn.", id="pair.comment"),
    key(
        "f",
        "flags",
        "flags",
        "Flag the focused turn: judge wrong, answer unreadable, question ambiguous.",
        id="pair.flags",
    ),
    key(
        "B",
        "toggle_blind",
        "blind",
        "Blind mode: hide the judge's verdict on a turn until you have voted on it.",
        id="pair.blind",
        key_display="B",
    ),
    key(
        "r",
        "toggle_reference",
        "reference",
        "Show or hide the reference answer under each turn.",
        id="pair.reference",
    ),
    key(
        "slash",
        "filter",
        "filter",
        "Only a category, a model, a turn, a judge verdict, inconsistent verdicts,"
        " or votes that differ.",
        id="pair.filter",
        key_display="/",
    ),
    key(
        "d",
        "disagreement_order",
        "by disagreement",
        "Disagreement queue: your voted comparisons, most opposed to the judge first"
        " (again: back).",
        id="pair.by-disagreement",
    ),
    key(
        "j",
        "rejudge",
        "re-judge",
        "Ask the configured judge (--judge-model) about this comparison again:"
        " both answer orders, both turns, in the background.",
        id="pair.rejudge",
    ),
    key("g", "goto", "go to", "Jump to a question by its id.", id="pair.goto", show=False),
    key("s", "stats", "stats", "Open the statistics screen.", id="pair.stats", show=False),
    key(
        "escape",
        "give_up",
        "stop retrying",
        "Stop retrying changes that wait for a locked database; they are not saved.",
        id="pair.give-up",
        show=False,
    ),
    _scroll("up", "up", "up a line"),
    _scroll("down", "down", "down a line"),
    _scroll("pageup", "page_up", "up a page"),
    _scroll("pagedown", "page_down", "down a page"),
    _scroll("home", "home", "to the top"),
    _scroll("end", "end", "to the end"),
]
"""The keys of the pair review screen, in the order the footer and the help list them."""

HELP_ROWS: tuple[tuple[tuple[str, ...], str], ...] = (
    (
        ("pair.vote-a", "pair.vote-b", "pair.tie"),
        "vote on the focused turn: A better, B better, tie",
    ),
    (("pair.turn",), "switch between turn 1 and turn 2"),
    (("pair.next-unvoted",), "next turn you haven't voted on"),
    (("pair.next", "pair.previous"), "next / previous comparison"),
    (("pair.undo",), "undo your last change, saying what it undid"),
    (("pair.comment", "pair.flags"), "comment on / flag the focused turn"),
    (("pair.blind",), "blind mode: hide the verdict until you vote"),
    (("pair.reference",), "show or hide the reference answer"),
    (("pair.filter",), "filter: category, model, turn, verdict, inconsistent, my vote differs"),
    (("pair.by-disagreement",), "disagreement queue: most opposed to the judge first"),
    (("pair.rejudge",), "re-judge this comparison (both orders) in the background"),
    (("pair.goto", "pair.stats", "app.export"), "go to a question id / statistics / export"),
    (("pair.give-up",), "stop retrying votes that wait for a locked database"),
    (("app.help", "app.quit"), "this help / quit (saved votes are on disk)"),
)
"""The ? help: every key of the pair review screen, grouped, by binding id (so --keys shows)."""

SCROLL_IDS = ("pair.up", "pair.down", "pair.page_up", "pair.page_down", "pair.home", "pair.end")
"""The scrolling keys, listed together in one row of the help."""
