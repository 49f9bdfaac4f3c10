"""Reads of pair votes, their history, reviewer groups and judges' pair verdicts."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import sqlite_utils

from mtbench_tui.core.pair_models import PairKey, PairVerdict, PairVote, PairVoteEvent
from mtbench_tui.core.store.database import history_rows
from mtbench_tui.core.store.vote_rows import (
    EVENT_COLUMNS,
    KEY_WHERE,
    VERDICT_COLUMNS,
    VOTE_COLUMNS,
    event_of,
    key_params,
    verdict_of,
    vote_of,
)


@dataclass(frozen=True)
class ReviewerInfo:
    """A reviewer and the group whose votes they count in."""

    name: str
    group: str


class VoteReads:
    """Read access to pair votes and pair verdicts (the read half of VoteRepo)."""

    def __init__(self, db: sqlite_utils.Database) -> None:
        self.db = db

    def reviewers(self) -> list[ReviewerInfo]:
        """Every reviewer with at least one pair vote, by name."""
        rows = self.db.execute(
            "SELECT r.name, r.reviewer_group FROM reviewers r"
            " WHERE EXISTS (SELECT 1 FROM pair_votes v WHERE v.reviewer = r.name) ORDER BY r.name"
        )
        return [ReviewerInfo(n, g) for n, g in rows]

    def groups(self) -> list[str]:
        """The groups of reviewers who have voted, sorted."""
        return sorted({r.group for r in self.reviewers()})

    # --- reads ------------------------------------------------------------------------------

    def get(self, key: PairKey, reviewer: str) -> PairVote | None:
        """One reviewer's vote on one comparison turn."""
        row = self.db.execute(
            f"SELECT {VOTE_COLUMNS} FROM pair_votes WHERE {KEY_WHERE} AND reviewer = ?",
            [*key_params(key), reviewer],
        ).fetchone()
        return vote_of(row) if row else None

    def for_comparison(
        self, question_id: int, model_a: str, model_b: str, reviewer: str
    ) -> dict[int, PairVote]:
        """This reviewer's votes on both turns of a comparison, by turn."""
        key = PairKey.of(question_id, model_a, model_b, 1)
        rows = self.db.execute(
            f"SELECT {VOTE_COLUMNS} FROM pair_votes"
            " WHERE question_id = ? AND model_1 = ? AND model_2 = ? AND reviewer = ?",
            [key.question_id, key.model_1, key.model_2, reviewer],
        )
        return {r[3]: vote_of(r) for r in rows}

    def signature(self) -> tuple[int, int]:
        """A cheap fingerprint of all vote activity, by anyone in any process."""
        count, last = self.db.execute(
            "SELECT COUNT(*), COALESCE(MAX(id), 0) FROM pair_vote_history"
        ).fetchone()
        return int(count), int(last)

    def iter_all(
        self, reviewer: str | None = None, group: str | None = None, page_size: int = 1000
    ) -> Iterator[PairVote]:
        """Every vote (optionally one reviewer's or one group's), a page at a time in key order."""
        after: tuple[Any, ...] = (-1, "", "", 0, "")
        filters, extra = _who(reviewer, group)
        while True:
            rows = self.db.execute(
                f"SELECT {VOTE_COLUMNS} FROM pair_votes"
                f" WHERE (question_id, model_1, model_2, turn, reviewer) > (?, ?, ?, ?, ?){filters}"
                " ORDER BY question_id, model_1, model_2, turn, reviewer LIMIT ?",
                [*after, *extra, page_size],
            ).fetchall()
            yield from (vote_of(r) for r in rows)
            if len(rows) < page_size:
                return
            after = tuple(rows[-1][:5])

    def history(self, key: PairKey, reviewer: str) -> list[PairVoteEvent]:
        """Every change to one vote, oldest first."""
        rows = self.db.execute(
            f"SELECT {EVENT_COLUMNS} FROM pair_vote_history"
            f" WHERE {KEY_WHERE} AND reviewer = ? ORDER BY id",
            [*key_params(key), reviewer],
        )
        return [event_of(r) for r in rows]

    def all_history(self, reviewer: str | None = None) -> Iterator[PairVoteEvent]:
        """Every history event (optionally one reviewer's), oldest first, streamed."""
        rows = history_rows(self.db, "pair_vote_history", EVENT_COLUMNS, reviewer)
        yield from map(event_of, rows)

    # --- judge verdicts -------------------------------------------------------------------

    def pair_judges(self) -> list[tuple[str, int]]:
        """Every pairwise judge with its number of verdicts, most first."""
        rows = self.db.execute("SELECT judge, COUNT(*) FROM pair_judgments GROUP BY judge")
        return sorted(((r[0], int(r[1])) for r in rows), key=lambda r: (-r[1], r[0]))

    def verdicts(
        self, question_id: int, model_a: str, model_b: str, judge: str | None = None
    ) -> list[PairVerdict]:
        """Judges' verdicts on a comparison (both turns, either model order), by judge then turn."""
        key = PairKey.of(question_id, model_a, model_b, 1)
        sql = (
            f"SELECT {VERDICT_COLUMNS} FROM pair_judgments WHERE question_id = ?"
            " AND ((model_1 = ? AND model_2 = ?) OR (model_1 = ? AND model_2 = ?))"
        )
        params: list[Any] = [question_id, key.model_1, key.model_2, key.model_2, key.model_1]
        if judge is not None:
            sql += " AND judge = ?"
            params.append(judge)
        return [verdict_of(r) for r in self.db.execute(sql + " ORDER BY judge, turn", params)]


def _who(reviewer: str | None, group: str | None) -> tuple[str, list[Any]]:
    """Extra WHERE clauses restricting votes to a reviewer and/or a group."""
    sql, params = "", []
    if reviewer is not None:
        sql += " AND reviewer = ?"
        params.append(reviewer)
    if group is not None:
        sql += " AND reviewer IN (SELECT name FROM reviewers WHERE reviewer_group = ?)"
        params.append(group)
    return sql, params
