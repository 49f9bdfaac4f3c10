"""The review queue, paged from SQLite: keyset paging in id order, a frozen snapshot in gap order."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any

import sqlite_utils

from mtbench_tui.core.models import ItemKey

_FROM = "answers a JOIN questions q ON q.question_id = a.question_id"
_snapshot_ids = itertools.count(1)


@dataclass(frozen=True)
class QueueFilter:
    """Which conversations the reviewer works through, and in what order."""

    category: str | None = None
    model: str | None = None
    judge: str | None = None
    turn: int | None = None
    unrated: bool = False
    rated: bool = False
    min_gap: float | None = None
    by_gap: bool = False

    @property
    def turns(self) -> tuple[int, ...]:
        """The turns that need rating under this filter."""
        return (self.turn,) if self.turn else (1, 2)

    @property
    def gap_driven(self) -> bool:
        """True when the queue is built from this reviewer's ratings (gap order or a minimum gap)."""
        return self.by_gap or self.min_gap is not None

    def describe(self) -> str:
        """A short human description, e.g. ``math · turn 2 · unrated``."""
        parts = [
            self.category or "",
            self.model or "",
            f"judge {self.judge}" if self.judge else "",
            f"turn {self.turn}" if self.turn else "",
            "unrated" if self.unrated else "",
            "rated" if self.rated else "",
            f"gap ≥ {self.min_gap:g}" if self.min_gap is not None else "",
            "by gap" if self.by_gap else "",
        ]
        return " · ".join(p for p in parts if p) or "all"


@dataclass(frozen=True)
class QueueEntry:
    """An item in the queue and its 1-based position."""

    item: ItemKey
    position: int


def _conditions(
    f: QueueFilter, reviewer: str, judge: str | None
) -> tuple[list[str], dict[str, Any]]:
    """SQL conditions on ``a`` (answers) and ``q`` (questions) for a filter."""
    conds: list[str] = []
    params: dict[str, Any] = {
        "reviewer": reviewer,
        "nturns": len(f.turns),
        "gap_judge": f.judge or judge,
    }
    turn_r = " AND r.turn = :turn" if f.turn else ""
    params["turn"] = f.turn
    if f.category:
        conds.append("q.category = :category")
        params["category"] = f.category
    if f.model:
        conds.append("a.model = :model")
        params["model"] = f.model
    if f.judge:
        turn_j = " AND j.turn = :turn" if f.turn else ""
        conds.append(
            "EXISTS (SELECT 1 FROM judgments j WHERE j.question_id = a.question_id"
            f" AND j.model = a.model AND j.judge = :judge{turn_j})"
        )
        params["judge"] = f.judge
    if f.unrated:
        conds.append(_needs_rating(turn_r))
    if f.rated:
        conds.append(f"NOT {_needs_rating(turn_r)}")
    return conds, params


def _needs_rating(turn_r: str) -> str:
    """Condition: this reviewer has not yet scored every turn the filter asks for."""
    return (
        "(SELECT COUNT(*) FROM ratings r WHERE r.question_id = a.question_id AND r.model = a.model"
        f" AND r.reviewer = :reviewer AND r.score IS NOT NULL{turn_r}) < :nturns"
    )


class KeysetQueue:
    """Items in (question_id, model) order, fetched one page at a time by key: O(log n) per step."""

    def __init__(
        self, db: sqlite_utils.Database, f: QueueFilter, reviewer: str, judge: str | None
    ) -> None:
        self.db = db
        self.filter = f
        conds, self.params = _conditions(f, reviewer, judge)
        self._where = " AND ".join(conds) or "1"
        self._needs = _needs_rating(" AND r.turn = :turn" if f.turn else "")

    def _select(self, extra: str, order: str, limit: int, params: dict[str, Any]) -> list[ItemKey]:
        """Item keys matching the filter plus ``extra``."""
        sql = (
            f"SELECT a.question_id, a.model FROM {_FROM} WHERE {self._where} AND {extra}"
            f" ORDER BY a.question_id {order}, a.model {order} LIMIT {int(limit)}"
        )
        return [ItemKey(*r) for r in self.db.execute(sql, {**self.params, **params})]

    def _count(self, extra: str = "1", params: dict[str, Any] | None = None) -> int:
        """How many items match the filter plus ``extra``."""
        sql = f"SELECT COUNT(*) FROM {_FROM} WHERE {self._where} AND {extra}"
        return self.db.execute(sql, {**self.params, **(params or {})}).fetchone()[0]

    def count(self) -> int:
        """Items in the queue (a full count: call once per filter, not per step)."""
        return self._count()

    def page(self, after: ItemKey | None, limit: int) -> list[ItemKey]:
        """Up to ``limit`` items after ``after`` (from the start when None)."""
        if after is None:
            return self._select("1", "ASC", limit, {})
        return self._select("(a.question_id, a.model) > (:q, :m)", "ASC", limit, _key(after))

    def first(self) -> QueueEntry | None:
        """The first item."""
        found = self.page(None, 1)
        return QueueEntry(found[0], 1) if found else None

    def after(self, entry: QueueEntry) -> QueueEntry | None:
        """The next item."""
        found = self.page(entry.item, 1)
        return QueueEntry(found[0], entry.position + 1) if found else None

    def before(self, entry: QueueEntry) -> QueueEntry | None:
        """The previous item."""
        found = self._select("(a.question_id, a.model) < (:q, :m)", "DESC", 1, _key(entry.item))
        return QueueEntry(found[0], entry.position - 1) if found else None

    def next_needing_rating(self, entry: QueueEntry | None) -> QueueEntry | None:
        """The next item this reviewer hasn't fully scored, wrapping round to the start."""
        if entry is not None:
            found = self._select(
                f"(a.question_id, a.model) > (:q, :m) AND {self._needs}", "ASC", 1, _key(entry.item)
            )
            if found:
                return QueueEntry(found[0], entry.position + self._between(entry.item, found[0]))
        found = self._select(self._needs, "ASC", 1, {})
        if not found or (entry is not None and found[0] == entry.item):
            return None
        return self.locate(found[0])

    def find(self, question_id: int) -> QueueEntry | None:
        """The first item for a question id, or the next one after it."""
        found = self._select("a.question_id >= :q", "ASC", 1, {"q": question_id})
        return self.locate(found[0]) if found else None

    def contains(self, item: ItemKey) -> bool:
        """True when the item matches this queue's filter."""
        return self._count("a.question_id = :q AND a.model = :m", _key(item)) > 0

    def locate(self, item: ItemKey) -> QueueEntry:
        """An item's position: counts the items before it, so use it for jumps only."""
        return QueueEntry(item, 1 + self._count("(a.question_id, a.model) < (:q, :m)", _key(item)))

    def _between(self, old: ItemKey, new: ItemKey) -> int:
        """Items after ``old`` up to and including ``new``: the distance of a forward jump."""
        extra = "(a.question_id, a.model) > (:q, :m) AND (a.question_id, a.model) <= (:q2, :m2)"
        return self._count(extra, {**_key(old), "q2": new.question_id, "m2": new.model})

    def rated_count(self) -> int:
        """Items in this queue that the reviewer has scored on every needed turn."""
        turn_r = " AND r.turn = :turn" if self.filter.turn else ""
        sql = (
            f"SELECT COUNT(*) FROM (SELECT r.question_id FROM ratings r JOIN answers a"
            " ON a.question_id = r.question_id AND a.model = r.model"
            " JOIN questions q ON q.question_id = a.question_id"
            f" WHERE r.reviewer = :reviewer AND r.score IS NOT NULL{turn_r} AND {self._rated_where()}"
            " GROUP BY r.question_id, r.model HAVING COUNT(*) = :nturns)"
        )
        return self.db.execute(sql, self.params).fetchone()[0]

    def _rated_where(self) -> str:
        """The filter without its rated/unrated condition."""
        conds, _ = _conditions(
            QueueFilter(
                self.filter.category, self.filter.model, self.filter.judge, self.filter.turn
            ),
            "",
            None,
        )
        return " AND ".join(conds) or "1"


class SnapshotQueue(KeysetQueue):
    """Items this reviewer has rated, ordered by human-judge gap, frozen so the order holds while they revise."""

    def __init__(
        self, db: sqlite_utils.Database, f: QueueFilter, reviewer: str, judge: str | None
    ) -> None:
        super().__init__(db, f, reviewer, judge)
        self.table = f"temp.queue_snapshot_{next(_snapshot_ids)}"
        self._build()

    def _build(self) -> None:
        """Materialise the ordered item list in a temporary table."""
        turn_r = " AND r.turn = :turn" if self.filter.turn else ""
        gap_sql = (
            "SELECT r.question_id, r.model, MAX(ABS(r.score - j.score)) AS gap FROM ratings r"
            " JOIN judgments j ON j.question_id = r.question_id AND j.model = r.model AND j.turn = r.turn"
            f" AND j.judge = :gap_judge WHERE r.reviewer = :reviewer AND r.score IS NOT NULL"
            f" AND j.score IS NOT NULL{turn_r} GROUP BY r.question_id, r.model"
        )
        min_gap = "g.gap >= :min_gap" if self.filter.min_gap is not None else "1"
        order = "g.gap DESC, " if self.filter.by_gap else ""
        self.db.execute(f"DROP TABLE IF EXISTS {self.table}")
        self.db.execute(
            f"CREATE TABLE {self.table} (pos INTEGER PRIMARY KEY, question_id INTEGER, model TEXT, gap REAL)"
        )
        self.db.execute(
            f"INSERT INTO {self.table} (question_id, model, gap) SELECT a.question_id, a.model, g.gap"
            f" FROM ({gap_sql}) g JOIN answers a ON a.question_id = g.question_id AND a.model = g.model"
            f" JOIN questions q ON q.question_id = a.question_id WHERE {self._where} AND {min_gap}"
            f" ORDER BY {order}a.question_id, a.model",
            {**self.params, "min_gap": self.filter.min_gap},
        )

    def close(self) -> None:
        """Drop the snapshot table."""
        self.db.execute(f"DROP TABLE IF EXISTS {self.table}")

    def _at(self, condition: str, order: str, params: dict[str, Any]) -> QueueEntry | None:
        """The snapshot row matching a condition on ``pos``."""
        row = self.db.execute(
            f"SELECT question_id, model, pos FROM {self.table} WHERE {condition} ORDER BY pos {order} LIMIT 1",
            params,
        ).fetchone()
        return QueueEntry(ItemKey(row[0], row[1]), row[2]) if row else None

    def count(self) -> int:
        """Items in the snapshot."""
        return self.db.execute(f"SELECT COUNT(*) FROM {self.table}").fetchone()[0]

    def page(self, after: ItemKey | None, limit: int) -> list[ItemKey]:
        """Up to ``limit`` items after ``after`` in snapshot order."""
        start = 0 if after is None else self.locate(after).position
        rows = self.db.execute(
            f"SELECT question_id, model FROM {self.table} WHERE pos > ? ORDER BY pos LIMIT ?",
            [start, limit],
        )
        return [ItemKey(*r) for r in rows]

    def first(self) -> QueueEntry | None:
        """The item with the largest gap."""
        return self._at("1", "ASC", {})

    def after(self, entry: QueueEntry) -> QueueEntry | None:
        """The next item."""
        return self._at("pos > :p", "ASC", {"p": entry.position})

    def before(self, entry: QueueEntry) -> QueueEntry | None:
        """The previous item."""
        return self._at("pos < :p", "DESC", {"p": entry.position})

    def next_needing_rating(self, entry: QueueEntry | None) -> QueueEntry | None:
        """Every snapshot item is rated by construction, so this is simply the next one."""
        return self.after(entry) if entry else self.first()

    def find(self, question_id: int) -> QueueEntry | None:
        """The first snapshot item for a question id."""
        return self._at("question_id = :q", "ASC", {"q": question_id})

    def contains(self, item: ItemKey) -> bool:
        """True when the item is in the snapshot."""
        return self._at("question_id = :q AND model = :m", "ASC", _key(item)) is not None

    def locate(self, item: ItemKey) -> QueueEntry:
        """An item's position in the snapshot."""
        found = self._at("question_id = :q AND model = :m", "ASC", _key(item))
        if found is None:
            raise KeyError(item)
        return found


def open_queue(
    db: sqlite_utils.Database, f: QueueFilter, reviewer: str, judge: str | None
) -> KeysetQueue:
    """The right queue for a filter: a gap snapshot when ordering or filtering by gap, else keyset paging."""
    if f.gap_driven:
        return SnapshotQueue(db, f, reviewer, judge)
    return KeysetQueue(db, f, reviewer, judge)


def _key(item: ItemKey) -> dict[str, Any]:
    """Named parameters for an item key."""
    return {"q": item.question_id, "m": item.model}
