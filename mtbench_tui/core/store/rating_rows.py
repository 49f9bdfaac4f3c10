"""Column lists and row <-> dataclass conversion for ratings and rating_history."""

from __future__ import annotations

import json
from typing import Any

from mtbench_tui.core.models import Rating, RatingEvent, TurnKey

RATING_COLUMNS = "question_id, model, turn, reviewer, score, note, flags, blind, created, updated"
EVENT_COLUMNS = "question_id, model, turn, reviewer, event, score, note, flags, blind, at"
TURN_WHERE = "question_id = ? AND model = ? AND turn = ? AND reviewer = ?"
"""Matches one reviewer's rating of one turn; takes ``turn_params``."""


def turn_params(key: TurnKey, reviewer: str) -> list[Any]:
    """A turn and a reviewer as SQL parameters for TURN_WHERE."""
    return [key.question_id, key.model, key.turn, reviewer]


def rating_params(r: Rating) -> list[Any]:
    """A rating as SQL parameters in RATING_COLUMNS order."""
    return [
        r.question_id,
        r.model,
        r.turn,
        r.reviewer,
        r.score,
        r.note,
        json.dumps(list(r.flags)),
        int(r.blind),
        r.created,
        r.updated,
    ]


def event_params(e: RatingEvent) -> list[Any]:
    """A history event as SQL parameters in EVENT_COLUMNS order."""
    return [
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
    ]


def rating_of(row: tuple[Any, ...]) -> Rating:
    """A Rating from a ratings row read with RATING_COLUMNS."""
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


def event_of(row: tuple[Any, ...]) -> RatingEvent:
    """A RatingEvent from a rating_history row read with EVENT_COLUMNS."""
    qid, model, turn, reviewer, event, score, note, flags, blind, at = row
    return RatingEvent(
        qid, model, turn, reviewer, event, score, note, tuple(json.loads(flags)), bool(blind), at
    )
