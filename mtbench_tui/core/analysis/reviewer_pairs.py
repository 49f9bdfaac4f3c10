"""Reviewers' scores on shared turns: every pair of reviewers who scored the same turn.

One walk of the ratings' index gives them, with each reviewer's count of scored ratings;
the pairs are formed in numpy, not by a self-join that looked every rating up again.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from mtbench_tui.core.analysis.frames import PAGE, Coded, TurnKeys, join_pages
from mtbench_tui.core.stats.paired import PairedData
from mtbench_tui.core.store import Store


@dataclass(frozen=True)
class HumanPairs:
    """Every pair of reviewers' scores on the same turn."""

    question_id: np.ndarray
    model: np.ndarray
    turn: np.ndarray
    first: np.ndarray
    second: np.ndarray
    reviewers: tuple[str, ...]
    _keys: list[TurnKeys] = field(default_factory=list, compare=False, repr=False)

    @classmethod
    def load(cls, store: Store) -> HumanPairs:
        """Every pair of reviewers on a shared turn.

        Args:
            store: the database.

        Returns:
            The columns.
        """
        return ScoredRatings.load(store).rated_twice

    @property
    def n(self) -> int:
        """Number of reviewer pairs on shared turns."""
        return int(self.first.size)

    def paired(self) -> PairedData:
        """First reviewer as a, second as b, clustered by question."""
        return PairedData(self.first, self.second, self.question_id)

    def turn_keys(self) -> TurnKeys:
        """The (question, model, turn) rated by two or more reviewers (computed once)."""
        if not self._keys:
            self._keys.append(TurnKeys.of(self.question_id, self.model, self.turn))
        return self._keys[0]


@dataclass(frozen=True)
class ScoredRatings:
    """What one walk over the scored ratings gives: counts per reviewer, pairs of reviewers."""

    counts: dict[str, int]
    """Ratings with a score per reviewer, by name."""
    rated_twice: HumanPairs

    @classmethod
    def load(cls, store: Store) -> ScoredRatings:
        """Read every rating with a score once.

        Args:
            store: the database.

        Returns:
            The counts and the pairs.
        """
        q, m, t, r, score = join_pages(store.analysis.scored_rating_columns(PAGE), 5)
        sizes = np.bincount(r.codes, minlength=len(r.values)).tolist()
        first, second = _pairs_on_turns(q, m.codes, t)
        used = np.unique(np.concatenate([r.codes[first], r.codes[second]]))
        names = tuple(r.values[i] for i in used.tolist())
        model = Coded(m.values, m.codes[first]).column()  # names only for the paired rows
        pairs = HumanPairs(q[first], model, t[first], score[first], score[second], names)
        return cls(dict(zip(r.values, sizes)), pairs)


def _pairs_on_turns(
    question: np.ndarray, model: np.ndarray, turn: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Row numbers (i, j), i < j, of every two rows on the same turn, in key order.

    The rows come sorted by turn, then reviewer: i before j means reviewer i's name sorts
    first, and the pairs in (i, j) order are the order of a self-join on reviewer_1 <
    reviewer_2 sorted by turn and both names.
    """
    n = question.size
    same = (question[1:] == question[:-1]) & (model[1:] == model[:-1]) & (turn[1:] == turn[:-1])
    starts = np.flatnonzero(np.concatenate([[True], ~same])) if n else np.zeros(0, np.int64)
    sizes = np.diff(np.append(starts, n))
    firsts, seconds = [np.zeros(0, np.int64)], [np.zeros(0, np.int64)]
    for size in np.unique(sizes[sizes > 1]).tolist():
        i, j = np.triu_indices(size, 1)
        at = starts[sizes == size][:, None]
        firsts.append((at + i).ravel())
        seconds.append((at + j).ravel())
    first, second = np.concatenate(firsts), np.concatenate(seconds)
    order = np.lexsort((second, first))
    return first[order], second[order]
