"""The disagreement queue: a reviewer's rated items by |human - judge|, frozen in a temp table."""

from __future__ import annotations

import itertools
from typing import Any

import sqlite_utils

from mtbench_tui.core.models import ItemKey
from mtbench_tui.core.store.queue.base import (
    QueueEntry,
    QueueFilter,
    QueueProgress,
    conditions,
    count_progress,
    item_params,
    scored_turns_below,
)

_snapshot_ids = itertools.count(1)


class GapQueue:
    """Items this reviewer rated, ordered by gap; frozen so the order holds while they revise."""

    def __init__(
        self, db: sqlite_utils.Database, f: QueueFilter, reviewer: str, judge: str | None
    ) -> None:
        self.db = db
        self.filter = f
        self._sql = conditions(f, reviewer, judge)
        # The temp schema belongs to this connection: building it never takes the write lock.
        self.table = f"temp.queue_snapshot_{next(_snapshot_ids)}"
        self._build()

    def _build(self) -> None:
        """Materialise the ordered item list, with each item's gap, in a temporary table."""
        turn_r = " AND r.turn = :turn" if self.filter.turn else ""
        gaps = (
            "SELECT r.question_id, r.model, MAX(ABS(r.score - j.score)) AS gap FROM ratings r"
            " JOIN judgments j ON j.question_id = r.question_id AND j.model = r.model"
            " AND j.turn = r.turn AND j.judge = :judge"
            " WHERE r.reviewer = :reviewer AND r.score IS NOT NULL AND j.score IS NOT NULL"
            f"{turn_r} GROUP BY r.question_id, r.model"
        )
        min_gap = "g.gap >= :min_gap" if self.filter.min_gap is not None else "1"
        order = "g.gap DESC, " if self.filter.by_gap else ""
        self.db.execute(f"DROP TABLE IF EXISTS {self.table}")
        self.db.execute(
            f"CREATE TABLE {self.table}"
            " (pos INTEGER PRIMARY KEY, question_id INTEGER, model TEXT, gap REAL)"
        )
        self.db.execute(
            f"INSERT INTO {self.table} (question_id, model, gap)"
            f" SELECT a.question_id, a.model, g.gap FROM ({gaps}) g"
            " JOIN answers a ON a.question_id = g.question_id AND a.model = g.model"
            " JOIN questions q ON q.question_id = a.question_id"
            f" WHERE {self._sql.where} AND {min_gap} ORDER BY {order}a.question_id, a.model",
            {**self._sql.params, "min_gap": self.filter.min_gap},
        )

    def _at(self, condition: str, order: str, params: dict[str, Any]) -> QueueEntry | None:
        """The snapshot row matching a condition on ``s`` (the snapshot), first in ``order``."""
        row = self.db.execute(
            f"SELECT s.question_id, s.model, s.pos, s.gap FROM {self.table} s WHERE {condition}"
            f" ORDER BY s.pos {order} LIMIT 1",
            {**self._sql.params, **params},
        ).fetchone()
        return QueueEntry(ItemKey(row[0], row[1]), row[2], row[3]) if row else None

    def count(self) -> int:
        """Items in the snapshot."""
        return int(self.db.execute(f"SELECT COUNT(*) FROM {self.table}").fetchone()[0])

    def first(self) -> QueueEntry | None:
        """The item with the largest gap."""
        return self._at("1", "ASC", {})

    def after(self, entry: QueueEntry) -> QueueEntry | None:
        """The next item."""
        return self._at("s.pos > :p", "ASC", {"p": entry.position})

    def before(self, entry: QueueEntry) -> QueueEntry | None:
        """The previous item."""
        return self._at("s.pos < :p", "DESC", {"p": entry.position})

    def next_needing_rating(self, entry: QueueEntry | None) -> QueueEntry | None:
        """The next half-rated item after ``entry``, wrapping round; None once all are scored."""
        needs = scored_turns_below("s", turn=self.filter.turn is not None)
        if entry is not None:
            found = self._at(f"s.pos > :p AND {needs}", "ASC", {"p": entry.position})
            if found is not None:
                return found
        found = self._at(needs, "ASC", {})
        if found is None or (entry is not None and found.item == entry.item):
            return None
        return found

    def find(self, question_id: int) -> QueueEntry | None:
        """The first snapshot item of a question."""
        return self._at("s.question_id = :q", "ASC", {"q": question_id})

    def locate(self, item: ItemKey) -> QueueEntry | None:
        """An item's entry in the snapshot, or None when it isn't there."""
        return self._at("s.question_id = :q AND s.model = :m", "ASC", item_params(item))

    def progress(self) -> QueueProgress:
        """Fully and partly scored items among the snapshot's items."""
        items = f"SELECT question_id, model FROM {self.table}"
        return count_progress(self.db, items, self._sql.params)

    def close(self) -> None:
        """Drop the snapshot table."""
        self.db.execute(f"DROP TABLE IF EXISTS {self.table}")
