"""Pair votes as each reviewer saw them (A and B), beside the judge's verdict on the same turn."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import sqlite_utils

from mtbench_tui.core.store.pair_snapshot import VOTE_VERDICTS

_COLUMNS = (
    "v.question_id, v.model_1, v.model_2, v.turn, v.reviewer, v.shown_a, v.winner, v.note,"
    " v.flags, v.blind, v.created, v.updated, r.reviewer_group,"
    " COALESCE(j1.model_1, j2.model_1), COALESCE(j1.winner, j2.winner)"
)
_FROM = f"{VOTE_VERDICTS} LEFT JOIN reviewers r ON r.name = v.reviewer"


@dataclass(frozen=True)
class ListedVote:
    """One reviewer's vote on one turn, in the order that reviewer saw the answers."""

    question_id: int
    turn: int
    model_a: str
    """The model shown to this reviewer as answer A."""
    model_b: str
    winner: str | None
    """``model_a``, ``model_b``, ``tie``, or None when the row holds only a comment or flags."""
    reviewer: str
    group: str
    updated: str
    note: str
    flags: tuple[str, ...]
    blind: bool
    created: str
    judge: str | None
    judge_winner: str | None
    """The judge's combined verdict in the same A/B terms: ``model_a``, ``model_b``, ``tie``,
    ``inconsistent``, ``error``, or None when the judge has no verdict on this turn."""

    def to_json(self) -> dict[str, Any]:
        """The JSON object ``votes --json`` prints for this vote."""
        return {
            "question_id": self.question_id,
            "turn": self.turn,
            "model_a": self.model_a,
            "model_b": self.model_b,
            "winner": self.winner,
            "reviewer": self.reviewer,
            "group": self.group,
            "updated": self.updated,
            "note": self.note,
            "flags": list(self.flags),
            "blind": self.blind,
            "created": self.created,
            "judge": self.judge,
            "judge_winner": self.judge_winner,
        }


def _relative(winner: str | None, first: str, second: str, shown_a: str) -> str | None:
    """A winner named by side (``model_1``/``model_2`` of ``first``, ``second``) as model_a/b."""
    if winner not in ("model_1", "model_2"):
        return winner
    model = first if winner == "model_1" else second
    return "model_a" if model == shown_a else "model_b"


def _listed(row: tuple[Any, ...], judge: str | None) -> ListedVote:
    """A ListedVote from a row of ``_COLUMNS``."""
    q, m1, m2, turn, reviewer, shown_a, winner, note, flags, blind, created, updated = row[:12]
    group, judge_first, judge_winner = row[12:]
    shown_b = m2 if shown_a == m1 else m1
    judge_second = m2 if judge_first == m1 else m1
    return ListedVote(
        question_id=q,
        turn=turn,
        model_a=shown_a,
        model_b=shown_b,
        winner=_relative(winner, m1, m2, shown_a),
        reviewer=reviewer,
        group=group or "default",
        updated=updated,
        note=note,
        flags=tuple(json.loads(flags)),
        blind=bool(blind),
        created=created,
        judge=judge,
        judge_winner=_relative(judge_winner, judge_first, judge_second, shown_a)
        if judge_first
        else None,
    )


def list_votes(
    db: sqlite_utils.Database,
    reviewer: str | None = None,
    judge: str | None = None,
    page_size: int = 1000,
) -> Iterator[ListedVote]:
    """Every pair vote (or one reviewer's), a page at a time in key order.

    Args:
        db: the database.
        reviewer: only this reviewer's votes.
        judge: the pair judge whose verdicts are listed beside the votes.
        page_size: rows per query.

    Returns:
        The votes, streamed.
    """
    who = " AND v.reviewer = :reviewer" if reviewer is not None else ""
    after: dict[str, Any] = {"q": -1, "m1": "", "m2": "", "t": 0, "r": ""}
    while True:
        rows = db.execute(
            f"SELECT {_COLUMNS} FROM {_FROM} WHERE (v.question_id, v.model_1, v.model_2, v.turn,"
            f" v.reviewer) > (:q, :m1, :m2, :t, :r){who}"
            " ORDER BY v.question_id, v.model_1, v.model_2, v.turn, v.reviewer LIMIT :limit",
            {**after, "reviewer": reviewer, "judge": judge, "limit": page_size},
        ).fetchall()
        yield from (_listed(r, judge) for r in rows)
        if len(rows) < page_size:
            return
        last = rows[-1]
        after = {"q": last[0], "m1": last[1], "m2": last[2], "t": last[3], "r": last[4]}
