"""What the pair review screen shows: two answers in the reviewer's own order, and the judge's
verdict restated in that order. No UI here."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from mtbench_tui.core.models import Answer, Question, ReferenceAnswer
from mtbench_tui.core.pair_choices import vote_choice
from mtbench_tui.core.pair_models import PairKey, PairVerdict, PairVote
from mtbench_tui.core.store.pair_filter import Comparison, PairEntry
from mtbench_tui.core.store.votes import VoteChange


def seeded_shown_a(reviewer: str, item: Comparison) -> str:
    """The model a reviewer sees as answer A: a fixed coin flip per reviewer and comparison.

    The flip comes from a hash of both, so it never follows the judge's order (or the
    alphabetical one), and a reviewer who comes back sees the same order again.

    Args:
        reviewer: who reviews.
        item: the comparison.

    Returns:
        ``item.model_1`` or ``item.model_2``.
    """
    seed = "\x1f".join((reviewer, str(item.question_id), item.model_1, item.model_2))
    digest = hashlib.sha256(seed.encode("utf-8")).digest()
    return item.model_1 if digest[0] & 1 == 0 else item.model_2


@dataclass(frozen=True)
class OrderVerdict:
    """One of the judge's two answer orders, in the reviewer's terms."""

    first: str
    """``A`` or ``B``: which of the reviewer's answers the judge read first (its Assistant A)."""
    choice: str | None
    """``A``, ``B``, ``tie`` or ``error`` in the reviewer's terms; None when not recorded."""
    judgment: str


@dataclass(frozen=True)
class TurnVerdict:
    """The judge's pair verdict on one turn, restated relative to the reviewer's A and B."""

    judge: str
    judge_model: str
    prompt: str
    choice: str
    """``A``, ``B``, ``tie``, ``inconsistent`` or ``error``."""
    orders_disagree: bool
    """True when the two answer orders gave different verdicts (position bias)."""
    orders: tuple[OrderVerdict, OrderVerdict]


def relative_verdict(verdict: PairVerdict, shown_a: str) -> TurnVerdict:
    """Restate a stored verdict (in the judge's model order) in the reviewer's A/B terms.

    Args:
        verdict: the judge's verdict.
        shown_a: the model the reviewer sees as A.

    Returns:
        The verdict relative to A and B, with both orders.
    """

    def side(winner: str | None) -> str | None:
        if winner in ("model_1", "model_2"):
            model = verdict.model_1 if winner == "model_1" else verdict.model_2
            return "A" if model == shown_a else "B"
        return winner

    g1_first = "A" if verdict.model_1 == shown_a else "B"
    g2_first = "B" if g1_first == "A" else "A"
    g1, g2 = verdict.g1_winner, verdict.g2_winner
    disagree = verdict.winner == "inconsistent" or (
        g1 is not None and g2 is not None and g1 != g2 and "error" not in (g1, g2)
    )
    return TurnVerdict(
        judge=verdict.judge,
        judge_model=verdict.judge_model,
        prompt=verdict.prompt,
        choice=side(verdict.winner) or verdict.winner,
        orders_disagree=disagree,
        orders=(
            OrderVerdict(g1_first, side(g1), verdict.g1_judgment),
            OrderVerdict(g2_first, side(g2), verdict.g2_judgment),
        ),
    )


@dataclass(frozen=True)
class PairView:
    """Everything the pair review screen shows for one comparison, in the reviewer's order."""

    entry: PairEntry
    question: Question
    answer_a: Answer
    answer_b: Answer
    verdicts: dict[int, TurnVerdict]
    votes: dict[int, PairVote]
    references: list[ReferenceAnswer]

    @property
    def item(self) -> Comparison:
        """The comparison shown."""
        return self.entry.item

    @property
    def shown_a(self) -> str:
        """The model shown as answer A."""
        return self.answer_a.model

    def key(self, turn: int) -> PairKey:
        """The stored key of one turn of this comparison."""
        return PairKey(self.item.question_id, self.item.model_1, self.item.model_2, turn)

    def choice(self, turn: int) -> str | None:
        """The reviewer's vote on a turn as cast (``A``, ``B``, ``tie``), or None."""
        vote = self.votes.get(turn)
        return vote_choice(vote) if vote else None

    def first_unvoted(self, turns: tuple[int, ...]) -> int | None:
        """The first of ``turns`` without a vote, or None when all have one."""
        return next((t for t in turns if self.choice(t) is None), None)

    def reference_turns(self) -> tuple[str, str] | None:
        """The reference answer: a reference-answer file's, else the question's ``reference``."""
        if self.references:
            return self.references[0].turns
        ref = self.question.reference
        if ref:
            return (ref[0], ref[1] if len(ref) > 1 else "")
        return None


def describe_undo(change: VoteChange) -> str:
    """What undoing ``change`` put back, e.g. ``vote back to tie`` or ``vote A removed``.

    Args:
        change: the change that was undone.

    Returns:
        A short phrase naming the part of the vote the undo affected.
    """
    before, after = change.before, change.after
    if before is None:
        undone = vote_choice(after) if after else None
        return f"vote {undone} removed" if undone else "comment and flags removed"
    if after is not None and before.note != after.note:
        return "comment restored" if before.note else "comment removed"
    if after is not None and before.flags != after.flags:
        return "flags restored" if before.flags else "flags removed"
    choice = vote_choice(before)
    return f"vote back to {choice}" if choice else "vote cleared"
