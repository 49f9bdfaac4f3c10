"""Column arrays of paired ratings, read from the store once per analysis.

Rows arrive from SQLite in pages and go straight into numpy columns; text columns (model,
reviewer, category) are kept as codes into their sorted distinct values, so a breakdown
by 500 models is a bincount, not 500 comparisons of 100k strings.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from mtbench_tui.core.stats.paired import PairedData
from mtbench_tui.core.store import Store
from mtbench_tui.core.store.columns import Codes, Page

PAGE = 200_000
"""Rows gathered per page. A page's text column is one JSON string and then one Python
string per row while it is coded: some tens of MB at most. 100k ratings are one page: the
parse takes the GIL once (50k pages were 3% slower on 1M judgments)."""


@dataclass(frozen=True)
class Coded:
    """A column as codes into its sorted distinct values."""

    values: tuple[Any, ...]
    codes: np.ndarray

    @classmethod
    def of(cls, column: np.ndarray) -> Coded:
        """Code a column (values sorted as the report orders groups: by their text)."""
        if column.size == 0:
            return cls((), np.zeros(0, dtype=np.int64))
        found, inverse = np.unique(column, return_inverse=True)
        order = sorted(range(found.size), key=lambda i: str(found[i]))
        rank = np.empty(found.size, dtype=np.int64)
        rank[order] = np.arange(found.size)
        values = tuple(found[i].item() if hasattr(found[i], "item") else found[i] for i in order)
        return cls(values, rank[inverse])

    def column(self) -> np.ndarray:
        """The values themselves, as an object array."""
        values = np.empty(len(self.values), dtype=object)
        values[:] = self.values
        return np.asarray(values[self.codes], dtype=object)

    def select(self, mask: np.ndarray) -> Coded:
        """The rows picked by a mask, coded among the values they still use."""
        used, codes = np.unique(self.codes[mask], return_inverse=True)
        return Coded(tuple(self.values[i] for i in used), codes.astype(np.int64))


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
    _coded: dict[str, Coded] = field(default_factory=dict, compare=False, repr=False)

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
        pages = store.analysis.judge_human_columns(judge, reviewer, PAGE)
        q, m, t, r, h, j, c, length = join_pages(pages, 8)
        coded = {"model": m, "reviewer": r, "category": c}
        return cls(
            question_id=q,
            model=m.column(),
            turn=t,
            reviewer=r.column(),
            human=h,
            judge=j,
            category=c.column(),
            length=length,
            judge_model=store.analysis.judge_model(judge) if q.size else None,
            _coded=coded,
        )

    @property
    def n(self) -> int:
        """Number of pairs."""
        return int(self.human.size)

    def coded(self, name: str) -> Coded:
        """A column as codes into its distinct values, computed once.

        Args:
            name: ``model``, ``reviewer``, ``category`` or ``turn``.

        Returns:
            The coded column.
        """
        found = self._coded.get(name)
        if found is None:
            found = self._coded[name] = Coded.of(getattr(self, name))
        return found

    def paired(self, mask: np.ndarray | None = None) -> PairedData:
        """Human as a, judge as b, clustered by question."""
        if mask is None:
            return PairedData(self.human, self.judge, self.question_id)
        return PairedData(self.human[mask], self.judge[mask], self.question_id[mask])

    def select(self, mask: np.ndarray) -> RatingPairs:
        """The rows picked by a boolean mask (or an index array); coded columns stay coded."""
        picked = RatingPairs(
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
        for name, coded in self._coded.items():
            picked._coded[name] = coded.select(mask)
        return picked

    def turn_keys(self) -> TurnKeys:
        """The (question, model, turn) of every row, as sortable integer keys."""
        return TurnKeys.of(self.question_id, self.model, self.turn)


def load_frames(store: Store, judge: str | None = None) -> dict[str, RatingPairs]:
    """Each judge's paired ratings, as the report reads them (also for charts).

    Args:
        store: the database.
        judge: only this judge.

    Returns:
        Judge label -> its pairs with every reviewer, judges by number of verdicts.
    """
    judges = [j for j in store.content.judge_labels() if judge is None or j == judge]
    return {j: RatingPairs.load(store, j) for j in judges}


@dataclass(frozen=True)
class TurnKeys:
    """(question, model, turn) triples as one integer each, for fast membership tests."""

    models: tuple[str, ...]
    keys: np.ndarray
    """Sorted, distinct."""

    @classmethod
    def of(cls, question: np.ndarray, model: np.ndarray, turn: np.ndarray) -> TurnKeys:
        """The distinct turns among aligned columns."""
        if model.size == 0:
            return cls((), np.zeros(0, dtype=np.int64))
        names, codes = np.unique(model.astype(str), return_inverse=True)
        return cls(tuple(str(n) for n in names), np.unique(_key(question, codes, turn)))

    def __len__(self) -> int:
        return int(self.keys.size)

    def contains(self, question: np.ndarray, model: Coded, turn: np.ndarray) -> np.ndarray:
        """Which of these rows' turns are among the keys.

        Args:
            question: question ids.
            model: model names, coded: each distinct name is looked up once (as text, per
                row, 100k rows took 16 ms, and the report asks three times).
            turn: turns.

        Returns:
            A boolean mask.
        """
        if not self.models or question.size == 0:
            return np.zeros(question.size, bool)
        names, texts = np.asarray(self.models), np.asarray([str(v) for v in model.values])
        code = np.minimum(np.searchsorted(names, texts), names.size - 1)
        known = names[code] == texts
        key = _key(question, code[model.codes], turn)
        at = np.minimum(np.searchsorted(self.keys, key), self.keys.size - 1)
        return np.asarray(known[model.codes] & (self.keys[at] == key), dtype=bool)


def _key(question: np.ndarray, model_code: np.ndarray, turn: np.ndarray) -> np.ndarray:
    """One integer per (question, model code, turn)."""
    key = (question.astype(np.int64) * (1 << 24) + np.asarray(model_code, np.int64)) * 4 + turn
    return np.asarray(key, dtype=np.int64)


def join_pages(pages: Iterable[Page], width: int) -> list[Any]:
    """Column pages joined: arrays concatenated, text columns coded among all their values.

    Args:
        pages: the store's column pages.
        width: the number of columns.

    Returns:
        Per column, an array or a ``Coded``.
    """
    parts: list[list[Any]] = [[] for _ in range(width)]
    for page in pages:
        for part, column in zip(parts, page):
            part.append(column)
    return [_join(part) for part in parts]


def _join(part: list[Any]) -> Any:
    """One column's pages as one array (or ``Coded``)."""
    if not isinstance(part[0], Codes):
        return np.concatenate(part)
    values = sorted(set().union(*(p.values for p in part)))
    at = {v: i for i, v in enumerate(values)}
    codes = [np.asarray([at[v] for v in p.values], dtype=np.int64)[p.codes] for p in part]
    return Coded(tuple(values), np.concatenate(codes))
