"""Frozen dataclasses for MT-Bench questions, answers, judgments, reviewers and ratings."""

from __future__ import annotations

from dataclasses import dataclass, field

# The scale lives below both the models and the statistics, which share it.
from mtbench_tui.core.scale import MAX_SCORE as MAX_SCORE
from mtbench_tui.core.scale import MIN_SCORE as MIN_SCORE
from mtbench_tui.core.scale import NO_VERDICT as NO_VERDICT
from mtbench_tui.core.scale import SCORES as SCORES
from mtbench_tui.core.scale import on_scale as on_scale

CATEGORIES: tuple[str, ...] = (
    "writing",
    "roleplay",
    "extraction",
    "reasoning",
    "math",
    "coding",
    "stem",
    "humanities",
)
"""The eight MT-Bench categories, in the order the benchmark lists them."""

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
    """The judge's identity for agreement statistics: its model, plus the prompt family when it isn't FastChat's.

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
    """A single-answer verdict: a judge's 1-10 score (or none) for one turn, with its explanation."""

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
class PairJudgment:
    """A pairwise verdict, judged in both presentation orders (g1, then g2 with answers swapped)."""

    question_id: int
    model_1: str
    model_2: str
    turn: int
    judge_model: str
    prompt: str
    g1_winner: str
    g2_winner: str
    g1_judgment: str = ""
    g2_judgment: str = ""
    tstamp: float | None = None
    g1_user_prompt: str = ""
    g2_user_prompt: str = ""

    @property
    def winner(self) -> str:
        """The verdict over both orders (see ``combine_orders``)."""
        return combine_orders(self.g1_winner, self.g2_winner)


def combine_orders(g1: str, g2: str) -> str:
    """Combine the verdicts of both answer orders as FastChat does.

    Args:
        g1: the winner with model_1 shown first: model_1, model_2, tie or error.
        g2: the winner with the answers swapped, already named by model.

    Returns:
        ``error`` if either order failed, ``tie`` if either order tied, the winner when
        both orders agree, and ``inconsistent`` when they name different winners.
    """
    if "error" in (g1, g2):
        return "error"
    if "tie" in (g1, g2):
        return "tie"
    return g1 if g1 == g2 else "inconsistent"


@dataclass(frozen=True)
class PairVote:
    """A reviewer's vote on one turn of a comparison, in canonical order (model_1 < model_2)."""

    question_id: int
    model_1: str
    model_2: str
    turn: int
    reviewer: str
    shown_a: str
    winner: str | None
    note: str = ""
    flags: tuple[str, ...] = ()
    blind: bool = False
    created: str | None = None
    updated: str | None = None


@dataclass(frozen=True)
class Reviewer:
    """A person who rates answers."""

    name: str
    created: str | None = None


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


VOTE_WINNERS: tuple[str, ...] = ("model_1", "model_2", "tie")
"""A human pair vote, in the comparison's canonical model_1/model_2 terms."""

DEFAULT_GROUP = "default"
"""The reviewer group of a reviewer nobody assigned to one."""


@dataclass(frozen=True, order=True)
class PairKey:
    """One compared unit: a turn of a question answered by two models, in canonical order."""

    question_id: int
    model_1: str
    model_2: str
    turn: int

    @classmethod
    def of(cls, question_id: int, model_a: str, model_b: str, turn: int) -> PairKey:
        """The key of a comparison, whichever model is named first.

        Args:
            question_id: the question.
            model_a: one model.
            model_b: the other model (must differ from ``model_a``).
            turn: 1 or 2.

        Returns:
            The key with ``model_1 < model_2``.
        """
        if model_a == model_b:
            raise ValueError(f"a comparison needs two different models, got {model_a!r} twice")
        first, second = sorted((model_a, model_b))
        return cls(question_id, first, second, turn)

    def side(self, model: str) -> str:
        """``model_1`` or ``model_2``: which side of this comparison a model is."""
        if model == self.model_1:
            return "model_1"
        if model == self.model_2:
            return "model_2"
        raise ValueError(f"{model!r} is not in comparison {self}")

    def other(self, model: str) -> str:
        """The model compared with ``model``."""
        return self.model_2 if self.side(model) == "model_1" else self.model_1

    def model(self, side: str) -> str:
        """The model on a side (``model_1`` or ``model_2``)."""
        return {"model_1": self.model_1, "model_2": self.model_2}[side]


@dataclass(frozen=True)
class PairVoteEvent:
    """One change to a pair vote, as kept in pair_vote_history."""

    key: PairKey
    reviewer: str
    event: str
    shown_a: str | None
    winner: str | None
    note: str
    flags: tuple[str, ...]
    blind: bool
    at: str


@dataclass(frozen=True)
class HumanPairVote:
    """A pair vote read from a file (an export or the published study), with its history."""

    vote: PairVote
    group: str | None = None
    history: tuple[PairVoteEvent, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class PairVerdict:
    """A judge's stored pairwise verdict on a comparison, in the judge's own model order.

    ``g1_winner``/``g2_winner`` are None when only the combined verdict is known
    (the published ``gpt4_pair`` split).
    """

    question_id: int
    model_1: str
    model_2: str
    turn: int
    judge: str
    judge_model: str
    prompt: str
    winner: str
    g1_winner: str | None = None
    g2_winner: str | None = None
    g1_judgment: str = ""
    g2_judgment: str = ""
    g1_user_prompt: str = ""
    g2_user_prompt: str = ""
    origin: str = "import"

    @property
    def key(self) -> PairKey:
        """The canonical comparison this verdict is on."""
        return PairKey.of(self.question_id, self.model_1, self.model_2, self.turn)

    @property
    def winner_model(self) -> str | None:
        """The winning model's name, or None for a tie, an inconsistent pair or an error."""
        if self.winner == "model_1":
            return self.model_1
        if self.winner == "model_2":
            return self.model_2
        return None
