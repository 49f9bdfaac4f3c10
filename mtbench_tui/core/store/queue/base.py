"""What a filter selects, the interface both queue orders share, and the SQL they reuse."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal, Protocol

import sqlite_utils

from mtbench_tui.core.models import ItemKey

Progress = Literal["all", "rated", "unrated"]
"""Which items by the reviewer's progress: every item, only fully scored ones, or only the rest."""

PROGRESS_CHOICES: tuple[Progress, ...] = ("all", "rated", "unrated")

FROM_ITEMS = "answers a JOIN questions q ON q.question_id = a.question_id"
"""The items of the queue: every answer, joined to its question for the category."""


@dataclass(frozen=True)
class QueueFilter:
    """Which conversations the reviewer works through, and in what order."""

    category: str | None = None
    model: str | None = None
    turn: int | None = None
    progress: Progress = "all"
    min_gap: float | None = None
    by_gap: bool = False

    def __post_init__(self) -> None:
        if self.progress not in PROGRESS_CHOICES:
            raise ValueError(f"progress must be one of {PROGRESS_CHOICES}, got {self.progress!r}")

    @property
    def turns(self) -> tuple[int, ...]:
        """The turns that need rating under this filter."""
        return (self.turn,) if self.turn else (1, 2)

    @property
    def gap_driven(self) -> bool:
        """True when the queue is built from this reviewer's ratings (gap order or minimum gap)."""
        return self.by_gap or self.min_gap is not None

    def describe(self) -> str:
        """A short human description, e.g. ``math · turn 2 · unrated``."""
        parts = [
            self.category or "",
            self.model or "",
            f"turn {self.turn}" if self.turn else "",
            "" if self.progress == "all" else self.progress,
            f"gap ≥ {self.min_gap:g}" if self.min_gap is not None else "",
            "by gap" if self.by_gap else "",
        ]
        return " · ".join(p for p in parts if p) or "all"


@dataclass(frozen=True)
class QueueEntry:
    """A queued item, its 1-based position and, in a gap queue, its largest |human - judge|."""

    item: ItemKey
    position: int
    gap: float | None = None


@dataclass(frozen=True)
class QueueProgress:
    """How far the reviewer is through a queue's items (ignoring its rated/unrated condition)."""

    rated: int
    """Items scored on every turn the filter asks for."""
    partial: int
    """Items scored on some of those turns but not all."""


class ReviewQueue(Protocol):
    """A queue of conversations: what the review session needs, whatever the order."""

    filter: QueueFilter

    def count(self) -> int:
        """Items in the queue (a full count: call once per filter, not per step)."""
        ...

    def first(self) -> QueueEntry | None:
        """The first item, or None for an empty queue."""
        ...

    def after(self, entry: QueueEntry) -> QueueEntry | None:
        """The next item, or None at the end."""
        ...

    def before(self, entry: QueueEntry) -> QueueEntry | None:
        """The previous item, or None at the start."""
        ...

    def next_needing_rating(self, entry: QueueEntry | None) -> QueueEntry | None:
        """The next item the reviewer hasn't fully scored, wrapping round; None if there is none."""
        ...

    def find(self, question_id: int) -> QueueEntry | None:
        """The first item of a question, or None when the question isn't in the queue."""
        ...

    def locate(self, item: ItemKey) -> QueueEntry | None:
        """An item's entry, or None when the item isn't in the queue."""
        ...

    def progress(self) -> QueueProgress:
        """Fully and partly scored items among the queue's items."""
        ...

    def close(self) -> None:
        """Release what the queue holds (a temporary table, for the gap order)."""
        ...


@dataclass(frozen=True)
class Conditions:
    """A filter as SQL: conditions on ``a`` (answers) and ``q`` (questions), and parameters."""

    where: str
    """Every condition of the filter."""
    base_where: str
    """The filter without its progress (rated / unrated) condition."""
    needs_rating: str
    """Condition: the reviewer has not yet scored every turn the filter asks for."""
    params: dict[str, Any]


def conditions(f: QueueFilter, reviewer: str, judge: str | None) -> Conditions:
    """The SQL for a filter, a reviewer and the judge the gaps are measured against.

    Args:
        f: the filter.
        reviewer: whose progress counts.
        judge: the judge label for gaps.

    Returns:
        The conditions and their named parameters.
    """
    params: dict[str, Any] = {
        "reviewer": reviewer,
        "nturns": len(f.turns),
        "turn": f.turn,
        "judge": judge,
        "category": f.category,
        "model": f.model,
    }
    pairs = (("q.category = :category", f.category), ("a.model = :model", f.model))
    base = [condition for condition, value in pairs if value]
    needs = scored_turns_below("a", turn=f.turn is not None)
    where = list(base)
    if f.progress == "unrated":
        where.append(needs)
    elif f.progress == "rated":
        where.append(f"NOT {needs}")
    return Conditions(" AND ".join(where) or "1", " AND ".join(base) or "1", needs, params)


def scored_turns_below(alias: str, *, turn: bool) -> str:
    """Condition on item ``alias``: the reviewer has scored fewer than ``:nturns`` of its turns."""
    turn_r = " AND r.turn = :turn" if turn else ""
    return (
        f"(SELECT COUNT(*) FROM ratings r WHERE r.question_id = {alias}.question_id"
        f" AND r.model = {alias}.model AND r.reviewer = :reviewer AND r.score IS NOT NULL{turn_r})"
        " < :nturns"
    )


def count_progress(
    db: sqlite_utils.Database, items_sql: str, params: dict[str, Any]
) -> QueueProgress:
    """Count fully and partly scored items among the items ``items_sql`` selects.

    Args:
        db: the database.
        items_sql: a query selecting ``question_id, model`` of the items to count.
        params: its parameters, plus ``reviewer``, ``turn`` and ``nturns``.

    Returns:
        The two counts.
    """
    turn_r = " AND r.turn = :turn" if params.get("turn") else ""
    sql = (
        "SELECT COALESCE(SUM(n = :nturns), 0), COALESCE(SUM(n > 0 AND n < :nturns), 0) FROM"
        " (SELECT COUNT(*) AS n FROM ratings r JOIN (" + items_sql + ") i"
        " ON i.question_id = r.question_id AND i.model = r.model"
        f" WHERE r.reviewer = :reviewer AND r.score IS NOT NULL{turn_r}"
        " GROUP BY r.question_id, r.model)"
    )
    rated, partial = db.execute(sql, params).fetchone()
    return QueueProgress(int(rated), int(partial))


def item_params(item: ItemKey) -> dict[str, Any]:
    """Named parameters for an item key."""
    return {"q": item.question_id, "m": item.model}
