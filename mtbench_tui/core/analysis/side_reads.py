"""The report's smaller reads, on a second connection while the first reads the rating pairs.

SQLite lets go of the interpreter lock while it steps through a query, so two connections
in two threads read at once. On 1M judgments these reads (content counts, no-verdict rates,
pairs of reviewers) take some 0.35 s, which the pairs' own read and the bootstrap then hide.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from mtbench_tui.core.analysis.frames import HumanPairs
from mtbench_tui.core.stats import parallel
from mtbench_tui.core.store import Store
from mtbench_tui.core.store.analysis_rows import NoVerdictCount, PairActivity
from mtbench_tui.core.store.content import ContentCounts


@dataclass(frozen=True)
class SideReads:
    """What the report reads besides the judges' rating pairs."""

    rated_twice: HumanPairs
    activity: PairActivity
    counts: ContentCounts
    no_verdict_rates: tuple[NoVerdictCount, ...]


def read_side(store: Store) -> SideReads:
    """Read them on this connection.

    Args:
        store: the database.

    Returns:
        The reads.
    """
    return SideReads(
        rated_twice=HumanPairs.load(store),
        activity=store.analysis.pair_activity(),
        counts=store.content.counts(),
        no_verdict_rates=tuple(store.analysis.no_verdict_rates()),
    )


def start_side_reads(store: Store) -> Callable[[], SideReads]:
    """Begin the reads on a second connection to the same file, in a worker thread.

    An in-memory database has no second connection: its reads happen here and now.

    Args:
        store: the database.

    Returns:
        A function that waits for the reads and returns them.
    """
    path = store.path  # asked here: the store's connection belongs to this thread
    if path is None:
        done = read_side(store)
        return lambda: done
    return parallel.submit(_on_second_connection, path).result


def _on_second_connection(path: Path) -> SideReads:
    """``read_side`` on a read-only connection of its own, opened in the worker's thread."""
    other = Store.open_readonly(path)
    try:
        return read_side(other)
    finally:
        other.close()
