"""Typed rows that the analysis queries return: counts, revisions, annotations, ratings, votes."""

from __future__ import annotations

from typing import NamedTuple


class NoVerdictCount(NamedTuple):
    """How many of a judge's verdicts under one prompt have no rating."""

    judge: str
    judge_model: str
    prompt: str
    n: int
    missing: int


class PairActivity(NamedTuple):
    """How much pairwise data the database holds."""

    votes: int
    """Human votes with a winner."""
    verdicts: int
    """Judges' pairwise verdicts, errors included."""


class BlindRevision(NamedTuple):
    """A reviewer's first blind score on a turn, their final score and the judge's."""

    question_id: int
    model: str
    turn: int
    reviewer: str
    blind: float
    final: float
    judge: float


class AnnotationRow(NamedTuple):
    """A rating with a comment or flags, beside the judge's score on the turn."""

    question_id: int
    model: str
    turn: int
    reviewer: str
    category: str
    score: float | None
    judge_score: float | None
    flags: str
    """JSON list."""
    note: str


class RatingRow(NamedTuple):
    """A rating with its item's category and texts and the judge's verdict on the turn."""

    question_id: int
    model: str
    turn: int
    reviewer: str
    score: float | None
    note: str
    flags: str
    """JSON list."""
    blind: int
    created: str
    updated: str
    category: str
    question: str
    answer: str
    judge: str | None
    judge_prompt: str | None
    judge_score: float | None
    judge_explanation: str | None


class VoteRow(NamedTuple):
    """A human pairwise vote with its question's category and one judge's verdict."""

    question_id: int
    model_1: str
    model_2: str
    turn: int
    reviewer: str
    group: str
    shown_a: str
    winner: str | None
    """``model_1``, ``model_2``, ``tie``, or None (cleared: a note or flags only)."""
    note: str
    flags: str
    """JSON list."""
    blind: int
    created: str
    updated: str
    category: str
    judge: str | None
    judge_winner: str | None
    """The judge's combined verdict in this row's model order (``inconsistent``, ``error``
    kept), or None when it has none."""
