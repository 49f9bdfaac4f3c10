"""Column arrays of paired ratings, read from the store once per analysis.

Rows arrive from SQLite in pages and go straight into numpy columns; text columns (model,
reviewer, category) are kept as codes into their sorted distinct values, so a breakdown
by 500 models is a bincount, not 500 comparisons of 100k strings.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from mtbench_tui.core.stats.paired import PairedData
from mtbench_tui.core.store import Store

PAGE = 20_000
"""Rows fetched at a time (bounds the memory of Python row tuples)."""


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
        columns = read_columns(store.analysis.judge_human_pages(judge, reviewer, PAGE), 8)
        q, m, t, r, h, j, c, length = columns
        coded = {"model": _code(m), "reviewer": _code(r), "category": _code(c)}
        return cls(
            question_id=_ints(q),
            model=coded["model"].column(),
            turn=_ints(t),
            reviewer=coded["reviewer"].column(),
            human=_floats(h),
            judge=_floats(j),
            category=coded["category"].column(),
            length=_floats(length),
            judge_model=store.analysis.judge_model(judge) if q else None,
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

    def contains(self, question: np.ndarray, model: np.ndarray, turn: np.ndarray) -> np.ndarray:
        """Which of these rows' turns are among the keys.

        Args:
            question: question ids.
            model: model names.
            turn: turns.

        Returns:
            A boolean mask.
        """
        if not self.models or question.size == 0:
            return np.zeros(question.size, bool)
        names, texts = np.asarray(self.models), model.astype(str)
        code = np.minimum(np.searchsorted(names, texts), names.size - 1)
        known = names[code] == texts
        key = _key(question, code, turn)
        at = np.minimum(np.searchsorted(self.keys, key), self.keys.size - 1)
        return np.asarray(known & (self.keys[at] == key), dtype=bool)


def _key(question: np.ndarray, model_code: np.ndarray, turn: np.ndarray) -> np.ndarray:
    """One integer per (question, model code, turn)."""
    key = (question.astype(np.int64) * (1 << 24) + np.asarray(model_code, np.int64)) * 4 + turn
    return np.asarray(key, dtype=np.int64)


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
        q, m, t, r1, s1, r2, s2 = read_columns(store.analysis.human_human_pages(PAGE), 7)
        names = sorted(set(_texts(r1).tolist()) | set(_texts(r2).tolist()))
        return cls(_ints(q), _texts(m), _ints(t), _floats(s1), _floats(s2), tuple(names))

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


def read_columns(pages: Iterable[Sequence[tuple[Any, ...]]], width: int) -> list[list[Any]]:
    """Rows, a page at a time, turned into one list per column.

    Args:
        pages: lists of row tuples.
        width: the number of columns.

    Returns:
        One list per column.
    """
    columns: list[list[Any]] = [[] for _ in range(width)]
    for page in pages:
        for column, values in zip(columns, zip(*page)):
            column.extend(values)
    return columns


def _ints(values: list[Any]) -> np.ndarray:
    """An integer column."""
    return np.asarray(values, dtype=np.int64)


def _floats(values: list[Any]) -> np.ndarray:
    """A float column (NULL as NaN)."""
    return np.asarray(values, dtype=float)


def _texts(values: list[Any]) -> np.ndarray:
    """A text column as an object array (each distinct string stored once)."""
    return _code(values).column()


def _code(values: list[Any]) -> Coded:
    """A text column coded among its distinct values, sorted (one dict lookup per row)."""
    index: dict[Any, int] = {}
    first = np.fromiter((index.setdefault(v, len(index)) for v in values), np.int64, len(values))
    names = sorted(index, key=str)
    rank = np.empty(len(names), dtype=np.int64)
    rank[[index[n] for n in names]] = np.arange(len(names))
    return Coded(tuple(names), rank[first])
