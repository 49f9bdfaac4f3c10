"""Frozen dataclasses for pairwise comparisons: keys, judge verdicts, human votes and history."""

from __future__ import annotations

from dataclasses import dataclass, field

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
