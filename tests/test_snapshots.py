"""Snapshot tests: each picture proves one thing about what a reviewer sees."""

from __future__ import annotations

import pytest

from mtbench_tui.core.store import Store
from tests.app_helpers import build


@pytest.fixture
def snap_store(demo_store: Store) -> Store:
    """The demo database; snapshots never depend on time or paths."""
    return demo_store


def test_review_screen_fits_80x24(snap_compare, snap_store: Store) -> None:
    """At the smallest supported size the header, both turns' score bars (1-10 whole), the verdict
    and every key in the key bar (three lines, never breaking between a key and its name, blind
    on B) are all on screen."""
    assert snap_compare(build(snap_store), terminal_size=(80, 24))


def test_saved_scores_and_focused_turn(snap_compare, snap_store: Store) -> None:
    """After '7 Tab 8' both turns show 'saved ✓' with the chosen cells highlighted, turn 2 is the
    focused row, and the judge panel has switched to turn 2's verdict."""
    assert snap_compare(build(snap_store), press=["7", "tab", "8"], terminal_size=(100, 30))


def test_blind_mode_hides_the_verdict(snap_compare, snap_store: Store) -> None:
    """In blind mode the judge panel says 'hidden'.

    It shows no score or explanation before a score is given.
    """
    assert snap_compare(build(snap_store, blind=True), terminal_size=(100, 30))


def test_hostile_answer_is_shown_literally(snap_compare, snap_store: Store) -> None:
    """Rich markup, an ANSI colour escape and a script tag in an answer appear as plain characters;
    nothing in the answer is red or styled by them."""
    app = build(snap_store, category="coding", model="pico-1b-chat")
    assert snap_compare(app, terminal_size=(120, 36))


def test_help_screen_lists_every_key(snap_compare, snap_store: Store) -> None:
    """The ? screen lists every review and app key with a sentence saying what it does, scroll
    keys included, and fits 100x30 without scrolling."""
    assert snap_compare(build(snap_store), press=["question_mark"], terminal_size=(100, 30))
