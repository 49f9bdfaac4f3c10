"""Snapshot tests of pair review: each picture proves one thing about what a reviewer sees."""

from __future__ import annotations

from pathlib import Path

import pytest

from mtbench_tui.core.pair_review import PairSettings
from mtbench_tui.core.store import Store
from mtbench_tui.core.store.pair_filter import PairFilter
from mtbench_tui.ui.app import make_app
from tests.pair_helpers import add_pair_data


@pytest.fixture
def snap_store(demo_store: Store, tmp_path: Path) -> Store:
    """The demo data with pair verdicts; nothing in the pictures depends on time or paths."""
    return add_pair_data(demo_store, tmp_path / "pairs")


def test_pair_review_fits_80x24(snap_compare, snap_store: Store) -> None:
    """At the smallest supported size: the header names A and B, the answers are stacked (A
    above B), both turns' A / B / tie rows and the judge's verdict are on screen, and the
    wrapped footer lists every voting and moving key."""
    app = make_app(snap_store, reviewer="kim", mode="pair", pair=PairSettings())
    assert snap_compare(app, terminal_size=(80, 24))


def test_inconsistent_verdict_after_votes_at_120_columns(snap_compare, snap_store: Store) -> None:
    """At 120 columns the answers sit side by side. After 'a Tab t' both turns say 'saved ✓'
    with their cells highlighted, turn 2 is focused, and its inconsistent verdict is flagged
    with both orders' explanations, each order saying which of your answers the judge read as
    its Assistant A."""
    app = make_app(
        snap_store,
        reviewer="kim",
        mode="pair",
        pair=PairSettings(PairFilter(inconsistent=True)),
    )
    assert snap_compare(app, press=["a", "tab", "t"], terminal_size=(120, 36))
