"""Column arrays of paired ratings, read from the store once per analysis."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from mtbench_tui.core.stats.paired import PairedData
from mtbench_tui.core.store import Store


@dataclass(frozen=True)
class RatingPairs:
    """Aligned columns: one row per (turn, reviewer) a human and the judge both scored."""

    question_id: np.ndarray
    model: np.ndarray
    turn: np.ndarray
    reviewer: np.ndarray
    human: np.ndarray
    judge: np.ndarray
    category: np.ndarray
    length: np.ndarray
    judge_model: str | None

    @classmethod
    def load(cls, store: Store, judge: str, reviewer: str | None = None) -> RatingPairs:
        """Human-judge pairs for one judge (and optionally one reviewer)."""
        rows = list(store.analysis.judge_human(judge, reviewer))
        cols = list(zip(*rows)) if rows else [()] * 9
        return cls(
            question_id=np.asarray(cols[0], dtype=int),
            model=np.asarray(cols[1], dtype=object),
            turn=np.asarray(cols[2], dtype=int),
            reviewer=np.asarray(cols[3], dtype=object),
            human=np.asarray(cols[4], dtype=float),
            judge=np.asarray(cols[5], dtype=float),
            category=np.asarray(cols[6], dtype=object),
            length=np.asarray(cols[7], dtype=float),
            judge_model=cols[8][0] if rows else None,
        )

    @property
    def n(self) -> int:
        """Number of pairs."""
        return int(self.human.size)

    def paired(self, mask: np.ndarray | None = None) -> PairedData:
        """Human as a, judge as b, clustered by question."""
        if mask is None:
            return PairedData(self.human, self.judge, self.question_id)
        return PairedData(self.human[mask], self.judge[mask], self.question_id[mask])

    def select(self, mask: np.ndarray) -> RatingPairs:
        """The rows picked by a boolean mask."""
        return RatingPairs(
            self.question_id[mask],
            self.model[mask],
            self.turn[mask],
            self.reviewer[mask],
            self.human[mask],
            self.judge[mask],
            self.category[mask],
            self.length[mask],
            self.judge_model,
        )

    def turn_keys(self) -> set[tuple[int, str, int]]:
        """The (question, model, turn) of every row."""
        return set(zip(self.question_id.tolist(), self.model.tolist(), self.turn.tolist()))


@dataclass(frozen=True)
class HumanPairs:
    """Every pair of reviewers' scores on the same turn."""

    question_id: np.ndarray
    model: np.ndarray
    turn: np.ndarray
    first: np.ndarray
    second: np.ndarray
    reviewers: tuple[str, ...]

    @classmethod
    def load(cls, store: Store) -> HumanPairs:
        """All reviewer pairs."""
        rows = list(store.analysis.human_human())
        cols = list(zip(*rows)) if rows else [()] * 8
        names = sorted(set(cols[3]) | set(cols[5])) if rows else []
        return cls(
            np.asarray(cols[0], dtype=int),
            np.asarray(cols[1], dtype=object),
            np.asarray(cols[2], dtype=int),
            np.asarray(cols[4], dtype=float),
            np.asarray(cols[6], dtype=float),
            tuple(names),
        )

    @property
    def n(self) -> int:
        """Number of reviewer pairs on shared turns."""
        return int(self.first.size)

    def paired(self) -> PairedData:
        """First reviewer as a, second as b, clustered by question."""
        return PairedData(self.first, self.second, self.question_id)

    def turn_keys(self) -> set[tuple[int, str, int]]:
        """The (question, model, turn) rated by two or more reviewers."""
        return set(zip(self.question_id.tolist(), self.model.tolist(), self.turn.tolist()))
