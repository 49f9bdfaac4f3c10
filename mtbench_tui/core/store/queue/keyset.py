"""The queue in question order, paged from SQLite by key: O(log n) per step at any size."""

from __future__ import annotations

from typing import Any

import sqlite_utils

from mtbench_tui.core.models import ItemKey
from mtbench_tui.core.store.queue.base import (
    FROM_ITEMS,
    QueueEntry,
    QueueFilter,
    QueueProgress,
    conditions,
    count_progress,
    item_params,
)

_AFTER = "(a.question_id, a.model) > (:q, :m)"
_BEFORE = "(a.question_id, a.model) < (:q, :m)"


class KeysetQueue:
    """Items in (question_id, model) order, each step one indexed lookup."""

    def __init__(
        self, db: sqlite_utils.Database, f: QueueFilter, reviewer: str, judge: str | None
    ) -> None:
        self.db = db
        self.filter = f
        self._sql = conditions(f, reviewer, judge)

    def _select(self, extra: str, order: str, params: dict[str, Any]) -> ItemKey | None:
        """The first item matching the filter plus ``extra``, in ``order``."""
        sql = (
            f"SELECT a.question_id, a.model FROM {FROM_ITEMS} WHERE {self._sql.where} AND {extra}"
            f" ORDER BY a.question_id {order}, a.model {order} LIMIT 1"
        )
        row = self.db.execute(sql, {**self._sql.params, **params}).fetchone()
        return ItemKey(row[0], row[1]) if row else None

    def _count(self, extra: str = "1", params: dict[str, Any] | None = None) -> int:
        """How many items match the filter plus ``extra``."""
        sql = f"SELECT COUNT(*) FROM {FROM_ITEMS} WHERE {self._sql.where} AND {extra}"
        return int(self.db.execute(sql, {**self._sql.params, **(params or {})}).fetchone()[0])

    def count(self) -> int:
        """Items in the queue (a full count: call once per filter, not per step)."""
        return self._count()

    def first(self) -> QueueEntry | None:
        """The first item."""
        found = self._select("1", "ASC", {})
        return QueueEntry(found, 1) if found else None

    def after(self, entry: QueueEntry) -> QueueEntry | None:
        """The next item."""
        found = self._select(_AFTER, "ASC", item_params(entry.item))
        return QueueEntry(found, entry.position + 1) if found else None

    def before(self, entry: QueueEntry) -> QueueEntry | None:
        """The previous item."""
        found = self._select(_BEFORE, "DESC", item_params(entry.item))
        return QueueEntry(found, entry.position - 1) if found else None

    def next_needing_rating(self, entry: QueueEntry | None) -> QueueEntry | None:
        """The next item this reviewer hasn't fully scored, wrapping round to the start."""
        needs = self._sql.needs_rating
        if entry is not None:
            found = self._select(f"{_AFTER} AND {needs}", "ASC", item_params(entry.item))
            if found:
                return QueueEntry(found, entry.position + self._between(entry.item, found))
        found = self._select(needs, "ASC", {})
        if found is None or (entry is not None and found == entry.item):
            return None
        return self.locate(found)

    def find(self, question_id: int) -> QueueEntry | None:
        """The first item of a question, or None when the question isn't in the queue."""
        found = self._select("a.question_id = :q", "ASC", {"q": question_id})
        return self.locate(found) if found else None

    def locate(self, item: ItemKey) -> QueueEntry | None:
        """An item's position (it counts the items before it, so use it for jumps only)."""
        if not self._count("a.question_id = :q AND a.model = :m", item_params(item)):
            return None
        return QueueEntry(item, 1 + self._count(_BEFORE, item_params(item)))

    def _between(self, old: ItemKey, new: ItemKey) -> int:
        """Items after ``old`` up to and including ``new``: the distance of a forward jump."""
        extra = f"{_AFTER} AND (a.question_id, a.model) <= (:q2, :m2)"
        return self._count(extra, {**item_params(old), "q2": new.question_id, "m2": new.model})

    def progress(self) -> QueueProgress:
        """Fully and partly scored items among the filter's items, whatever its progress setting."""
        items = f"SELECT a.question_id, a.model FROM {FROM_ITEMS} WHERE {self._sql.base_where}"
        return count_progress(self.db, items, self._sql.params)

    def close(self) -> None:
        """Nothing to release: the queue holds no state in the database."""
