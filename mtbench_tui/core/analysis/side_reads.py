"""The report's reads, on connections of their own in the worker threads.

SQLite lets go of the interpreter lock while it steps through a query, so connections in
two threads read at once while the caller does something else. On 1M judgments the pairs'
read takes some 0.35 s and the other reads (content counts, no-verdict rates, pairs of
reviewers) another 0.35 s, while the report's helper process imports scipy.stats.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, wait
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

from mtbench_tui.core.analysis.frames import RatingPairs, load_frames
from mtbench_tui.core.analysis.reviewer_pairs import ScoredRatings
from mtbench_tui.core.stats import parallel
from mtbench_tui.core.store import Store
from mtbench_tui.core.store.analysis_rows import NoVerdictCount, PairActivity
from mtbench_tui.core.store.content import ContentCounts

T = TypeVar("T")


@dataclass(frozen=True)
class SideReads:
    """What the report reads besides the judges' rating pairs."""

    ratings: ScoredRatings
    activity: PairActivity
    counts: ContentCounts
    no_verdict_rates: tuple[NoVerdictCount, ...]


def read_side(store: Store, first: Future[ScoredRatings] | None = None) -> SideReads:
    """Read them on this connection.

    Args:
        store: the database.
        first: given the scored ratings as soon as they are read (the report needs them
            before the rest).

    Returns:
        The reads.
    """
    ratings = ScoredRatings.load(store)
    if first is not None:
        first.set_result(ratings)
    rates = tuple(store.analysis.no_verdict_rates())
    return SideReads(
        ratings=ratings,
        activity=store.analysis.pair_activity(),
        # the verdicts without a rating are the no-verdict rates' sum: not counted twice
        counts=store.content.counts(no_verdict=sum(r.missing for r in rates)),
        no_verdict_rates=rates,
    )


@dataclass(frozen=True)
class SideReadsJob:
    """Side reads under way: the reviewer pairs come first, then the rest."""

    _first: Future[ScoredRatings]
    _all: Future[SideReads]

    def ratings(self) -> ScoredRatings:
        """Wait for the scored ratings' counts and pairs (not for the other reads)."""
        either: list[Future[Any]] = [self._first, self._all]
        wait(either, return_when=FIRST_COMPLETED)
        return self._first.result() if self._first.done() else self._all.result().ratings

    def __call__(self) -> SideReads:
        """Wait for every read."""
        return self._all.result()


def start_side_reads(store: Store) -> SideReadsJob:
    """Begin the reads on a second connection to the same file, in a worker thread.

    An in-memory database has no second connection: its reads happen here and now.

    Args:
        store: the database.

    Returns:
        The reads under way.
    """
    first: Future[ScoredRatings] = Future()
    path = store.path  # asked here: the store's connection belongs to this thread
    if path is None:
        done: Future[SideReads] = Future()
        done.set_result(read_side(store, first))
        return SideReadsJob(first, done)
    reading = parallel.submit(_on_own_connection, (path, partial(read_side, first=first)))
    return SideReadsJob(first, reading)


def start_frames(store: Store, judge: str | None) -> Callable[[], dict[str, RatingPairs]]:
    """Begin ``load_frames`` on a connection of its own, in a worker thread.

    An in-memory database has no second connection: it is read here and now.

    Args:
        store: the database.
        judge: only this judge.

    Returns:
        A function that waits for the frames.
    """
    path = store.path
    if path is None:
        frames = load_frames(store, judge)
        return lambda: frames
    return parallel.submit(_on_own_connection, (path, partial(load_frames, judge=judge))).result


def _on_own_connection(job: tuple[Path, Callable[[Store], T]]) -> T:
    """A read on a read-only connection of its own, opened in the worker's thread."""
    path, read = job
    other = Store.open_readonly(path)
    try:
        return read(other)
    finally:
        other.close()
