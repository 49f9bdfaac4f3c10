"""How a vote cast as A / B / tie maps onto a comparison's canonical model order, and back."""

from __future__ import annotations

import re

from mtbench_tui.core.pair_models import DEFAULT_GROUP, PairKey, PairVote

CHOICES: tuple[str, ...] = ("A", "B", "tie")
"""A vote as the reviewer casts it, relative to the order they saw."""

_NUMBERED = re.compile(r"^(.+)_\d+$")


def derived_group(reviewer: str) -> str:
    """The group a reviewer name implies: ``expert_12`` -> ``expert``; otherwise ``default``.

    Args:
        reviewer: a reviewer name as the MT-Bench human study writes it.

    Returns:
        The part before a trailing ``_N``, or ``default`` when there is none.
    """
    match = _NUMBERED.match(reviewer)
    return match.group(1) if match else DEFAULT_GROUP


def choice_winner(key: PairKey, shown_a: str, choice: str) -> str:
    """The canonical winner (``model_1``/``model_2``/``tie``) of a vote cast as A, B or tie.

    Args:
        key: the comparison.
        shown_a: the model the reviewer saw as answer A.
        choice: ``A``, ``B`` or ``tie``, relative to what the reviewer saw.

    Returns:
        The winner in the comparison's canonical terms.
    """
    if choice not in CHOICES:
        raise ValueError(f"a vote is one of {CHOICES}, got {choice!r}")
    if choice == "tie":
        return "tie"
    return key.side(shown_a if choice == "A" else key.other(shown_a))


def vote_key(vote: PairVote) -> PairKey:
    """The comparison a vote is on."""
    return PairKey(vote.question_id, vote.model_1, vote.model_2, vote.turn)


def vote_choice(vote: PairVote) -> str | None:
    """A stored vote as the reviewer cast it: ``A``, ``B``, ``tie``, or None when cleared."""
    if vote.winner is None or vote.winner == "tie":
        return vote.winner
    return "A" if vote_key(vote).model(vote.winner) == vote.shown_a else "B"


def winner_model(vote: PairVote) -> str | None:
    """The model a vote prefers, or None for a tie or a cleared vote."""
    if vote.winner in ("model_1", "model_2"):
        return vote_key(vote).model(vote.winner)
    return None
