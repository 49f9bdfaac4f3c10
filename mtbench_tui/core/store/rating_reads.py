"""Reads of ratings and their history: one turn, one conversation, everything, and a fingerprint."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import sqlite_utils

from mtbench_tui.core.models import ItemKey, Rating, RatingEvent, TurnKey
from mtbench_tui.core.store.database import history_rows
from mtbench_tui.core.store.rating_rows import (
    EVENT_COLUMNS,
    RATING_COLUMNS,
    TURN_WHERE,
    event_of,
    rating_of,
    turn_params,
)


class RatingReads:
    """Read access to ratings and rating_history (the read half of RatingRepo)."""

    def __init__(self, db: sqlite_utils.Database) -> None:
        self.db = db

    def reviewers(self) -> list[str]:
        """All reviewers who have at least one rating, by name."""
        return [
            r[0] for r in self.db.execute("SELECT DISTINCT reviewer FROM ratings ORDER BY reviewer")
        ]

    def get(self, key: TurnKey, reviewer: str) -> Rating | None:
        """One turn's rating by one reviewer."""
        row = self.db.execute(
            f"SELECT {RATING_COLUMNS} FROM ratings WHERE {TURN_WHERE}", turn_params(key, reviewer)
        ).fetchone()
        return rating_of(row) if row else None

    def for_item(self, item: ItemKey, reviewer: str) -> dict[int, Rating]:
        """This reviewer's ratings of both turns of a conversation, by turn."""
        rows = self.db.execute(
            f"SELECT {RATING_COLUMNS} FROM ratings"
            " WHERE question_id = ? AND model = ? AND reviewer = ?",
            [item.question_id, item.model, reviewer],
        )
        return {r[2]: rating_of(r) for r in rows}

    def history(self, key: TurnKey, reviewer: str) -> list[RatingEvent]:
        """Every change to one rating, oldest first."""
        rows = self.db.execute(
            f"SELECT {EVENT_COLUMNS} FROM rating_history WHERE {TURN_WHERE} ORDER BY id",
            turn_params(key, reviewer),
        )
        return [event_of(r) for r in rows]

    def signature(self) -> tuple[int, int]:
        """A cheap fingerprint of all rating activity (by anyone, in any process).

        Returns:
            A value that changes whenever any rating does.
        """
        count, last = self.db.execute(
            "SELECT COUNT(*), COALESCE(MAX(id), 0) FROM rating_history"
        ).fetchone()
        return int(count), int(last)

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
                f"SELECT {RATING_COLUMNS} FROM ratings WHERE {where}"
                " ORDER BY question_id, model, turn, reviewer LIMIT ?",
                [*params, page_size],
            ).fetchall()
            yield from (rating_of(r) for r in rows)
            if len(rows) < page_size:
                return
            after = tuple(rows[-1][:4])

    def all_history(self, reviewer: str | None = None) -> Iterator[RatingEvent]:
        """Every history event (optionally one reviewer's), oldest first, streamed."""
        rows = history_rows(self.db, "rating_history", EVENT_COLUMNS, reviewer)
        yield from map(event_of, rows)
