"""Frozen dataclasses for MT-Bench questions, answers, single-answer judgments and ratings."""

from __future__ import annotations

from dataclasses import dataclass, field

# The scale lives below both the models and the statistics, which share it.
from mtbench_tui.core.scale import MAX_SCORE as MAX_SCORE
from mtbench_tui.core.scale import MIN_SCORE as MIN_SCORE
from mtbench_tui.core.scale import NO_VERDICT as NO_VERDICT
from mtbench_tui.core.scale import SCORES as SCORES
from mtbench_tui.core.scale import on_scale as on_scale

NEEDS_REFERENCE: frozenset[str] = frozenset({"math", "reasoning", "coding", "arena-hard-200"})
"""Categories that FastChat judges against a reference answer."""

FLAGS: tuple[str, ...] = ("judge-wrong", "answer-unreadable", "question-ambiguous")
"""Flags a reviewer can set on a rating."""

FLAG_LABELS: dict[str, str] = {
    "judge-wrong": "judge wrong",
    "answer-unreadable": "answer unreadable",
    "question-ambiguous": "question ambiguous",
}


@dataclass(frozen=True, order=True)
class ItemKey:
    """One conversation under review: a question answered by a model."""

    question_id: int
    model: str


@dataclass(frozen=True, order=True)
class TurnKey:
    """One rated unit: a turn of a conversation."""

    question_id: int
    model: str
    turn: int

    @property
    def item(self) -> ItemKey:
        """The conversation this turn belongs to."""
        return ItemKey(self.question_id, self.model)


@dataclass(frozen=True)
class Question:
    """An MT-Bench question: two user turns and, for some, a short reference."""

    question_id: int
    category: str
    turns: tuple[str, str]
    reference: tuple[str, ...] | None = None


@dataclass(frozen=True)
class Answer:
    """A model's two answers to one question."""

    question_id: int
    model: str
    turns: tuple[str, str]
    answer_id: str | None = None
    model_id: str | None = None
    tstamp: float | None = None


@dataclass(frozen=True)
class ReferenceAnswer:
    """A reference answer (usually GPT-4's) used to judge math, reasoning and coding."""

    question_id: int
    source: str
    turns: tuple[str, str]


def judge_label(judge_model: str, prompt: str) -> str:
    """The judge's identity for agreement statistics: its model, plus a non-FastChat prompt family.

    Args:
        judge_model: the model that judged, e.g. ``gpt-4``.
        prompt: the prompt name, e.g. ``single-math-v1-multi-turn``.

    Returns:
        ``gpt-4`` for FastChat's ``single-*`` prompts, ``gpt-4/mtr-v1`` for another family.
    """
    family = prompt_family(prompt)
    return judge_model if family == "single-v1" else f"{judge_model}/{family}"


def prompt_family(prompt: str) -> str:
    """The prompt's family: its name without the ``-math`` and ``-multi-turn`` variants.

    Args:
        prompt: a prompt name such as ``single-math-v1-multi-turn``.

    Returns:
        The family, such as ``single-v1``.
    """
    return prompt.replace("-multi-turn", "").replace("-math", "")


@dataclass(frozen=True)
class Judgment:
    """A single-answer verdict: a judge's 1-10 score (or none) on one turn, and its explanation."""

    question_id: int
    model: str
    turn: int
    judge_model: str
    prompt: str
    score: float | None
    judgment: str
    user_prompt: str = ""
    tstamp: float | None = None

    @property
    def judge(self) -> str:
        """The judge label this verdict counts under."""
        return judge_label(self.judge_model, self.prompt)

    @property
    def has_verdict(self) -> bool:
        """False when the judge's text held no parseable rating (FastChat's -1)."""
        return self.score is not None


@dataclass(frozen=True)
class Rating:
    """A reviewer's rating of one turn: a 1-10 score (or not yet), a note and flags."""

    question_id: int
    model: str
    turn: int
    reviewer: str
    score: int | None
    note: str = ""
    flags: tuple[str, ...] = ()
    blind: bool = False
    created: str | None = None
    updated: str | None = None

    @property
    def key(self) -> TurnKey:
        """The rated turn."""
        return TurnKey(self.question_id, self.model, self.turn)


@dataclass(frozen=True)
class RatingEvent:
    """One change to a rating, as kept in the rating history."""

    question_id: int
    model: str
    turn: int
    reviewer: str
    event: str
    score: int | None
    note: str
    flags: tuple[str, ...]
    blind: bool
    at: str


@dataclass(frozen=True)
class HumanRating:
    """A rating read from a FastChat-style export of human ratings, with its history."""

    rating: Rating
    history: tuple[RatingEvent, ...] = field(default_factory=tuple)


RATING_EVENTS: tuple[str, ...] = ("score", "note", "flags", "undo")
"""The kinds of change rating_history records (what a reviewer's write can be)."""
