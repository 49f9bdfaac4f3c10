"""Column lists and row <-> dataclass conversion for pair_votes, pair_vote_history and verdicts."""

from __future__ import annotations

import json
from typing import Any

from mtbench_tui.core.pair_models import PairKey, PairVerdict, PairVote, PairVoteEvent

VOTE_COLUMNS = (
    "question_id, model_1, model_2, turn, reviewer, shown_a, winner, note, flags, blind,"
    " created, updated"
)
EVENT_COLUMNS = (
    "question_id, model_1, model_2, turn, reviewer, event, shown_a, winner, note, flags, blind, at"
)
VERDICT_COLUMNS = (
    "question_id, model_1, model_2, turn, judge, judge_model, prompt, winner, g1_winner,"
    " g2_winner, g1_judgment, g2_judgment, g1_user_prompt, g2_user_prompt, origin"
)
KEY_WHERE = "question_id = ? AND model_1 = ? AND model_2 = ? AND turn = ?"
"""Matches one comparison turn; takes ``key_params``."""


def key_params(key: PairKey) -> list[Any]:
    """A key as SQL parameters in column order."""
    return [key.question_id, key.model_1, key.model_2, key.turn]


def vote_params(v: PairVote) -> list[Any]:
    """A vote as SQL parameters in VOTE_COLUMNS order."""
    return [
        v.question_id,
        v.model_1,
        v.model_2,
        v.turn,
        v.reviewer,
        v.shown_a,
        v.winner,
        v.note,
        json.dumps(list(v.flags)),
        int(v.blind),
        v.created,
        v.updated,
    ]


def event_params(e: PairVoteEvent) -> list[Any]:
    """An event as SQL parameters in EVENT_COLUMNS order."""
    return [
        *key_params(e.key),
        e.reviewer,
        e.event,
        e.shown_a,
        e.winner,
        e.note,
        json.dumps(list(e.flags)),
        int(e.blind),
        e.at,
    ]


def vote_of(row: tuple[Any, ...]) -> PairVote:
    """A PairVote from a pair_votes row."""
    qid, m1, m2, turn, reviewer, shown_a, winner, note, flags, blind, created, updated = row
    return PairVote(
        qid,
        m1,
        m2,
        turn,
        reviewer,
        shown_a,
        winner,
        note,
        tuple(json.loads(flags)),
        bool(blind),
        created,
        updated,
    )


def event_of(row: tuple[Any, ...]) -> PairVoteEvent:
    """A PairVoteEvent from a pair_vote_history row."""
    qid, m1, m2, turn, reviewer, event, shown_a, winner, note, flags, blind, at = row
    return PairVoteEvent(
        PairKey(qid, m1, m2, turn),
        reviewer,
        event,
        shown_a,
        winner,
        note,
        tuple(json.loads(flags)),
        bool(blind),
        at,
    )


def verdict_of(row: tuple[Any, ...]) -> PairVerdict:
    """A PairVerdict from a pair_judgments row read with VERDICT_COLUMNS."""
    return PairVerdict(*row)
