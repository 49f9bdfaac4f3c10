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
        """Human-judge pairs for one judge (and optionally one reviewer).

        Args:
            store: the database.
            judge: the judge's label.
            reviewer: only this reviewer's ratings (default: everyone's).

        Returns:
            The columns.
        """
        rows = list(store.analysis.judge_human(judge, reviewer))
        return cls(
            question_id=np.asarray([r.question_id for r in rows], dtype=int),
            model=np.asarray([r.model for r in rows], dtype=object),
            turn=np.asarray([r.turn for r in rows], dtype=int),
            reviewer=np.asarray([r.reviewer for r in rows], dtype=object),
            human=np.asarray([r.human for r in rows], dtype=float),
            judge=np.asarray([r.judge for r in rows], dtype=float),
            category=np.asarray([r.category for r in rows], dtype=object),
            length=np.asarray([r.length for r in rows], dtype=float),
            judge_model=rows[0].judge_model if rows else None,
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
        """Every pair of reviewers on a shared turn.

        Args:
            store: the database.

        Returns:
            The columns.
        """
        rows = list(store.analysis.human_human())
        names = sorted({r.reviewer_1 for r in rows} | {r.reviewer_2 for r in rows})
        return cls(
            np.asarray([r.question_id for r in rows], dtype=int),
            np.asarray([r.model for r in rows], dtype=object),
            np.asarray([r.turn for r in rows], dtype=int),
            np.asarray([r.score_1 for r in rows], dtype=float),
            np.asarray([r.score_2 for r in rows], dtype=float),
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
