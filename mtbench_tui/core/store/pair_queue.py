"""The pair review queue: comparisons (question x model pair), paged from SQLite by key."""

from __future__ import annotations

from typing import Any, Protocol

import sqlite_utils

from mtbench_tui.core.store.pair_count import PairCounter, count_progress
from mtbench_tui.core.store.pair_filter import (
    ANSWER_PAIRS,
    FROM_ANSWER_PAIRS,
    Comparison,
    PairEntry,
    PairFilter,
    PairProgress,
    base_conditions,
    comparison_params,
    judge_conditions,
    needs_vote,
    params,
    progress_condition,
    where,
)

_AFTER = f"q.question_id >= :q AND {ANSWER_PAIRS.key()} > (:q, :m1, :m2)"
"""After a comparison; the first term lets SQLite seek straight to its question."""
_BEFORE = f"q.question_id <= :q AND {ANSWER_PAIRS.key()} < (:q, :m1, :m2)"


class PairQueue(Protocol):
    """A queue of comparisons: what the pair review session needs, whatever the order."""

    filter: PairFilter

    def count(self) -> int:
        """Comparisons in the queue."""
        ...

    def first(self) -> PairEntry | None:
        """The first comparison, or None for an empty queue."""
        ...

    def after(self, entry: PairEntry) -> PairEntry | None:
        """The next comparison, or None at the end."""
        ...

    def before(self, entry: PairEntry) -> PairEntry | None:
        """The previous comparison, or None at the start."""
        ...

    def next_needing_vote(self, entry: PairEntry | None) -> PairEntry | None:
        """The next comparison with a turn left to vote on, wrapping round; None when none is."""
        ...

    def find(self, question_id: int) -> PairEntry | None:
        """The first comparison of a question, or None when the question isn't in the queue."""
        ...

    def locate(self, item: Comparison) -> PairEntry | None:
        """A comparison's entry, or None when it isn't in the queue."""
        ...

    def progress(self) -> PairProgress:
        """Fully and partly voted comparisons among the queue's comparisons."""
        ...

    def close(self) -> None:
        """Release what the queue holds."""
        ...


class KeysetPairQueue:
    """Every two answers to a question, in (question, model_1, model_2) order, one key at a time.

    Nothing is materialised: each step is one indexed query, and counts come from
    ``PairCounter``, so a queue of a million comparisons opens and moves as fast as ten.
    """

    def __init__(
        self, db: sqlite_utils.Database, f: PairFilter, reviewer: str, judge: str | None
    ) -> None:
        self.db = db
        self.filter = f
        self.params = params(f, reviewer, judge)
        c = ANSWER_PAIRS
        conds = [*base_conditions(f, c), *judge_conditions(f, c), *progress_condition(f, c)]
        self._where = where(conds)
        self._needs = needs_vote(f, c)
        self._counter = PairCounter(db, f, self.params)

    def _select(
        self, extra: str, extra_params: dict[str, Any], desc: bool = False
    ) -> Comparison | None:
        """The first comparison (last, with ``desc``) matching the filter plus ``extra``."""
        o = " DESC" if desc else ""
        sql = (
            f"SELECT q.question_id, a1.model, a2.model FROM {FROM_ANSWER_PAIRS}"
            f" WHERE {self._where} AND {extra}"
            f" ORDER BY q.question_id{o}, a1.model{o}, a2.model{o} LIMIT 1"
        )
        row = self.db.execute(sql, {**self.params, **extra_params}).fetchone()
        return Comparison(*row) if row else None

    def count(self) -> int:
        """Comparisons in the queue."""
        return self._counter.count()

    def first(self) -> PairEntry | None:
        """The first comparison."""
        found = self._select("1", {})
        return PairEntry(found, 1) if found else None

    def after(self, entry: PairEntry) -> PairEntry | None:
        """The next comparison."""
        found = self._select(
            f"{ANSWER_PAIRS.key()} > (:q, :m1, :m2)", comparison_params(entry.item)
        )
        return PairEntry(found, entry.position + 1) if found else None

    def before(self, entry: PairEntry) -> PairEntry | None:
        """The previous comparison."""
        found = self._select(_BEFORE, comparison_params(entry.item), desc=True)
        return PairEntry(found, entry.position - 1) if found else None

    def next_needing_vote(self, entry: PairEntry | None) -> PairEntry | None:
        """The next comparison with a turn left to vote on, wrapping round to the start."""
        if entry is not None:
            extra = f"{_AFTER} AND {self._needs}"
            found = self._select(extra, comparison_params(entry.item))
            if found is not None:
                # The start may have left the queue since (an unvoted queue, now voted).
                start = entry.position - (0 if self.contains(entry.item) else 1)
                return PairEntry(found, start + self._counter.count(found, entry.item) + 1)
        found = self._select(self._needs, {})
        if found is None or (entry is not None and found == entry.item):
            return None
        return self.locate(found)

    def find(self, question_id: int) -> PairEntry | None:
        """The first comparison of a question."""
        found = self._select("q.question_id = :fq", {"fq": question_id})
        return self.locate(found) if found else None

    def contains(self, item: Comparison) -> bool:
        """True when the comparison matches the filter (and both answers exist)."""
        extra = "q.question_id = :q AND a1.model = :m1 AND a2.model = :m2"
        return self._select(extra, comparison_params(item)) is not None

    def locate(self, item: Comparison) -> PairEntry | None:
        """A comparison's entry: its position is counted, so use this for jumps only."""
        if not self.contains(item):
            return None
        return PairEntry(item, 1 + self._counter.count(before=item))

    def progress(self) -> PairProgress:
        """Fully and partly voted comparisons among the queue's, counted from the votes."""
        return count_progress(self.db, self.filter, self.params)

    def close(self) -> None:
        """Nothing to release."""


def open_pair_queue(
    db: sqlite_utils.Database, f: PairFilter, reviewer: str, judge: str | None
) -> PairQueue:
    """The right queue for a filter: a snapshot of the reviewer's votes when ordering or
    filtering by disagreement with the judge, else keyset paging over every answer pair.

    Args:
        db: the database.
        f: the filter.
        reviewer: whose votes the queue follows.
        judge: the judge whose verdicts the filter and the disagreement read.

    Returns:
        The queue.
    """
    from mtbench_tui.core.store.pair_snapshot import DisagreementQueue

    if f.vote_driven:
        return DisagreementQueue(db, f, reviewer, judge)
    return KeysetPairQueue(db, f, reviewer, judge)
