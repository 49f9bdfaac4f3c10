"""Human ratings: every write commits at once and leaves a trace in rating_history."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace

import sqlite_utils

from mtbench_tui.core.clock import now_iso
from mtbench_tui.core.models import FLAGS, HumanRating, Rating, RatingEvent, TurnKey, on_scale
from mtbench_tui.core.store.rating_reads import RatingReads
from mtbench_tui.core.store.rating_rows import (
    EVENT_COLUMNS,
    RATING_COLUMNS,
    TURN_WHERE,
    event_params,
    rating_params,
    turn_params,
)


@dataclass(frozen=True)
class RatingChange:
    """What one write did: the rating before (None if there was none) and after."""

    key: TurnKey
    reviewer: str
    before: Rating | None
    after: Rating | None


class RatingRepo(RatingReads):
    """Reads and writes ratings; the only place ratings and their history are written."""

    def ensure_reviewer(self, name: str) -> None:
        """Register a reviewer if new."""
        with self.db.atomic():
            self.db.execute(
                "INSERT OR IGNORE INTO reviewers (name, created) VALUES (?, ?)", [name, now_iso()]
            )

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
        """Undo a change: put back the rating as it was before it (removing it if none was)."""
        return self._write(change.key, change.reviewer, "undo", lambda _r: change.before)

    def _write(
        self,
        key: TurnKey,
        reviewer: str,
        event: str,
        mutate: Callable[[Rating], Rating | None],
    ) -> RatingChange:
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
            f"INSERT OR REPLACE INTO ratings ({RATING_COLUMNS})"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            rating_params(rating),
        )

    def _delete(self, key: TurnKey, reviewer: str) -> None:
        """Remove a rating row (only undo does this, and history keeps the trace)."""
        self.db.execute(f"DELETE FROM ratings WHERE {TURN_WHERE}", turn_params(key, reviewer))

    def _record(
        self, key: TurnKey, reviewer: str, event: str, state: Rating | None, at: str
    ) -> None:
        """Append to rating_history the state a write left behind."""
        self._insert_event(
            RatingEvent(
                key.question_id,
                key.model,
                key.turn,
                reviewer,
                event,
                state.score if state else None,
                state.note if state else "",
                state.flags if state else (),
                state.blind if state else False,
                at,
            )
        )

    def _insert_event(self, e: RatingEvent) -> None:
        """Write one history row."""
        self.db.execute(
            f"INSERT INTO rating_history ({EVENT_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            event_params(e),
        )

    # --- merge from an export ---------------------------------------------------------------

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
                f"SELECT 1 FROM rating_history WHERE {TURN_WHERE} AND event = ?"
                " AND score IS ? AND note = ? AND flags = ? AND blind = ? AND at = ?",
                event_params(e),
            ).fetchone()
            if not exists:
                self._insert_event(e)
                added += 1
        return added


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
