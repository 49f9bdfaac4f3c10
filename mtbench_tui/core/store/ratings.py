"""Human ratings: every write commits at once and leaves a trace in rating_history."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from typing import Any

import sqlite_utils

from mtbench_tui.core.clock import now_iso
from mtbench_tui.core.models import (
    FLAGS,
    HumanRating,
    ItemKey,
    Rating,
    RatingEvent,
    TurnKey,
    on_scale,
)

_RATING_COLUMNS = "question_id, model, turn, reviewer, score, note, flags, blind, created, updated"


@dataclass(frozen=True)
class RatingChange:
    """What one write did: the rating before (None if there was none) and after."""

    key: TurnKey
    reviewer: str
    before: Rating | None
    after: Rating | None


class RatingRepo:
    """Reads and writes ratings; the only place ratings and their history are written."""

    def __init__(self, db: sqlite_utils.Database) -> None:
        self.db = db

    def ensure_reviewer(self, name: str) -> None:
        """Register a reviewer if new."""
        with self.db.atomic():
            self.db.execute(
                "INSERT OR IGNORE INTO reviewers (name, created) VALUES (?, ?)", [name, now_iso()]
            )

    def reviewers(self) -> list[str]:
        """All reviewers who have at least one rating, by name."""
        return [
            r[0] for r in self.db.execute("SELECT DISTINCT reviewer FROM ratings ORDER BY reviewer")
        ]

    def get(self, key: TurnKey, reviewer: str) -> Rating | None:
        """One turn's rating by one reviewer."""
        row = self.db.execute(
            f"SELECT {_RATING_COLUMNS} FROM ratings"
            " WHERE question_id = ? AND model = ? AND turn = ? AND reviewer = ?",
            [key.question_id, key.model, key.turn, reviewer],
        ).fetchone()
        return _rating(row) if row else None

    def for_item(self, item: ItemKey, reviewer: str) -> dict[int, Rating]:
        """This reviewer's ratings of both turns of a conversation, by turn."""
        rows = self.db.execute(
            f"SELECT {_RATING_COLUMNS} FROM ratings WHERE question_id = ? AND model = ? AND reviewer = ?",
            [item.question_id, item.model, reviewer],
        )
        return {r[2]: _rating(r) for r in rows}

    def set_score(
        self, key: TurnKey, reviewer: str, score: int, *, blind: bool = False
    ) -> RatingChange:
        """Set a 1-10 score and commit.

        Args:
            key: the turn being rated.
            reviewer: who rates.
            score: 1-10.
            blind: True when the judge's verdict was hidden as the score was entered.

        Returns:
            The change, which ``restore`` can undo.
        """
        if not on_scale(score):
            raise ValueError(f"score must be 1-10, got {score}")
        return self._write(key, reviewer, "score", lambda r: replace(r, score=score, blind=blind))

    def set_note(self, key: TurnKey, reviewer: str, note: str) -> RatingChange:
        """Set the reviewer's comment on a turn and commit."""
        return self._write(key, reviewer, "note", lambda r: replace(r, note=note))

    def set_flags(self, key: TurnKey, reviewer: str, flags: tuple[str, ...]) -> RatingChange:
        """Set the flags on a turn and commit."""
        unknown = set(flags) - set(FLAGS)
        if unknown:
            raise ValueError(f"unknown flags: {sorted(unknown)}")
        return self._write(
            key, reviewer, "flags", lambda r: replace(r, flags=tuple(sorted(set(flags))))
        )

    def restore(self, change: RatingChange) -> RatingChange:
        """Undo a change: put back the rating as it was before it (removing it if there was none)."""
        return self._write(change.key, change.reviewer, "undo", lambda _r: change.before)

    def _write(self, key: TurnKey, reviewer: str, event: str, mutate: Any) -> RatingChange:
        """Apply ``mutate`` to the current rating inside one committed transaction, with history."""
        with _immediate(self.db):
            self.db.execute(
                "INSERT OR IGNORE INTO reviewers (name, created) VALUES (?, ?)",
                [reviewer, now_iso()],
            )
            before = self.get(key, reviewer)
            now = now_iso()
            base = before or Rating(
                key.question_id, key.model, key.turn, reviewer, None, created=now
            )
            after = mutate(base)
            if after is None:
                self._delete(key, reviewer)
            else:
                after = replace(after, created=after.created or now, updated=now)
                self._upsert(after)
            self._record(key, reviewer, event, after, now)
        return RatingChange(key, reviewer, before, after)

    def _upsert(self, rating: Rating) -> None:
        """Write a rating row."""
        self.db.execute(
            f"INSERT OR REPLACE INTO ratings ({_RATING_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                rating.question_id,
                rating.model,
                rating.turn,
                rating.reviewer,
                rating.score,
                rating.note,
                json.dumps(list(rating.flags)),
                int(rating.blind),
                rating.created,
                rating.updated,
            ],
        )

    def _delete(self, key: TurnKey, reviewer: str) -> None:
        """Remove a rating row (only undo does this, and history keeps the trace)."""
        self.db.execute(
            "DELETE FROM ratings WHERE question_id = ? AND model = ? AND turn = ? AND reviewer = ?",
            [key.question_id, key.model, key.turn, reviewer],
        )

    def _record(
        self, key: TurnKey, reviewer: str, event: str, state: Rating | None, at: str
    ) -> None:
        """Append to rating_history the state a write left behind."""
        self.db.execute(
            "INSERT INTO rating_history (question_id, model, turn, reviewer, event, score, note, flags, blind, at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                key.question_id,
                key.model,
                key.turn,
                reviewer,
                event,
                state.score if state else None,
                state.note if state else "",
                json.dumps(list(state.flags)) if state else "[]",
                int(state.blind) if state else 0,
                at,
            ],
        )

    def history(self, key: TurnKey, reviewer: str) -> list[RatingEvent]:
        """Every change to one rating, oldest first."""
        rows = self.db.execute(
            "SELECT question_id, model, turn, reviewer, event, score, note, flags, blind, at"
            " FROM rating_history WHERE question_id = ? AND model = ? AND turn = ? AND reviewer = ? ORDER BY id",
            [key.question_id, key.model, key.turn, reviewer],
        )
        return [_event(r) for r in rows]

    def signature(self) -> tuple[int, int]:
        """A cheap fingerprint of all rating activity (by anyone, in any process): changes when any rating does."""
        count, last = self.db.execute(
            "SELECT COUNT(*), COALESCE(MAX(id), 0) FROM rating_history"
        ).fetchone()
        return int(count), int(last)

    def count_scored(self, reviewer: str) -> int:
        """How many turns this reviewer has scored."""
        return self.db.execute(
            "SELECT COUNT(*) FROM ratings WHERE reviewer = ? AND score IS NOT NULL", [reviewer]
        ).fetchone()[0]

    def iter_all(self, reviewer: str | None = None, page_size: int = 1000) -> Iterator[Rating]:
        """Every rating (optionally one reviewer's), read a page at a time in key order."""
        after: tuple[Any, ...] = (-1, "", 0, "")
        while True:
            where = "(question_id, model, turn, reviewer) > (?, ?, ?, ?)"
            params: list[Any] = list(after)
            if reviewer is not None:
                where += " AND reviewer = ?"
                params.append(reviewer)
            rows = self.db.execute(
                f"SELECT {_RATING_COLUMNS} FROM ratings WHERE {where}"
                " ORDER BY question_id, model, turn, reviewer LIMIT ?",
                [*params, page_size],
            ).fetchall()
            yield from (_rating(r) for r in rows)
            if len(rows) < page_size:
                return
            after = tuple(rows[-1][:4])

    def merge(self, incoming: HumanRating) -> str:
        """Merge a rating read from an export: the later ``updated`` wins; history is united.

        Returns:
            ``"new"``, ``"updated"`` or ``"unchanged"``.
        """
        rating = incoming.rating
        now = now_iso()
        rating = replace(rating, created=rating.created or now, updated=rating.updated or now)
        self.db.execute(
            "INSERT OR IGNORE INTO reviewers (name, created) VALUES (?, ?)", [rating.reviewer, now]
        )
        current = self.get(rating.key, rating.reviewer)
        added = self._merge_history(incoming.history)
        if current is None:
            self._upsert(rating)
            return "new"
        if _same(current, rating) or (current.updated or "") > (rating.updated or ""):
            return "updated" if added else "unchanged"
        self._upsert(rating)
        return "updated"

    def _merge_history(self, events: tuple[RatingEvent, ...]) -> int:
        """Add the history events not already present; return how many were added."""
        added = 0
        for e in events:
            exists = self.db.execute(
                "SELECT 1 FROM rating_history WHERE question_id = ? AND model = ? AND turn = ? AND reviewer = ?"
                " AND event = ? AND at = ? AND score IS ? AND note = ? AND flags = ? AND blind = ?",
                [
                    e.question_id,
                    e.model,
                    e.turn,
                    e.reviewer,
                    e.event,
                    e.at,
                    e.score,
                    e.note,
                    json.dumps(list(e.flags)),
                    int(e.blind),
                ],
            ).fetchone()
            if not exists:
                self.db.execute(
                    "INSERT INTO rating_history (question_id, model, turn, reviewer, event, score, note, flags,"
                    " blind, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [
                        e.question_id,
                        e.model,
                        e.turn,
                        e.reviewer,
                        e.event,
                        e.score,
                        e.note,
                        json.dumps(list(e.flags)),
                        int(e.blind),
                        e.at,
                    ],
                )
                added += 1
        return added

    def all_history(self, reviewer: str | None = None) -> Iterator[RatingEvent]:
        """Every history event (optionally one reviewer's), oldest first, streamed."""
        sql = "SELECT question_id, model, turn, reviewer, event, score, note, flags, blind, at FROM rating_history"
        params: list[Any] = []
        if reviewer is not None:
            sql += " WHERE reviewer = ?"
            params.append(reviewer)
        for row in self.db.execute(sql + " ORDER BY id", params):
            yield _event(row)


@contextmanager
def _immediate(db: sqlite_utils.Database) -> Iterator[None]:
    """A write transaction that takes the write lock up front (``BEGIN IMMEDIATE``).

    A deferred transaction that reads and then writes can fail half-way when another
    connection writes in between; taking the lock first makes a locked database fail
    at the start, where a caller can simply retry.
    """
    if db.conn.in_transaction:
        with db.atomic():
            yield
        return
    db.execute("BEGIN IMMEDIATE")
    try:
        yield
        db.execute("COMMIT")
    except BaseException:
        if db.conn.in_transaction:
            db.execute("ROLLBACK")
        raise


def _same(a: Rating, b: Rating) -> bool:
    """True when two ratings hold the same content."""
    return (a.score, a.note, a.flags, a.blind) == (b.score, b.note, b.flags, b.blind)


def _rating(row: tuple[Any, ...]) -> Rating:
    """A Rating from a ratings row."""
    qid, model, turn, reviewer, score, note, flags, blind, created, updated = row
    return Rating(
        qid,
        model,
        turn,
        reviewer,
        score,
        note,
        tuple(json.loads(flags)),
        bool(blind),
        created,
        updated,
    )


def _event(row: tuple[Any, ...]) -> RatingEvent:
    """A RatingEvent from a rating_history row."""
    qid, model, turn, reviewer, event, score, note, flags, blind, at = row
    return RatingEvent(
        qid, model, turn, reviewer, event, score, note, tuple(json.loads(flags)), bool(blind), at
    )
