"""MT-Bench's agreement between pairwise verdicts, with and without ties (as in the paper)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import NamedTuple


class AgreementCount(NamedTuple):
    """Agreeing trials out of all trials."""

    agree: int
    total: int

    @property
    def rate(self) -> float:
        """agree / total, NaN when there were no trials."""
        return self.agree / self.total if self.total else float("nan")


class VerdictAgreement(NamedTuple):
    """Judge-human and human-human agreement, with ties counted and with ties dropped."""

    judge_human_with_tie: AgreementCount
    judge_human_without_tie: AgreementCount
    human_human_with_tie: AgreementCount
    human_human_without_tie: AgreementCount


def normalise_vote(vote: str) -> str:
    """'tie (bothbad)' and other tie variants count as 'tie'."""
    return "tie" if vote.startswith("tie") else vote


def _tally(pairs: list[tuple[str, str]], drop_ties: bool) -> AgreementCount:
    """Count agreeing pairs, optionally dropping any pair with a tie on either side."""
    agree = total = 0
    for left, right in pairs:
        left, right = normalise_vote(left), normalise_vote(right)
        if drop_ties and "tie" in (left, right):
            continue
        total += 1
        agree += left == right
    return AgreementCount(agree, total)


def verdict_agreement(
    judge: Mapping[object, str], humans: Mapping[object, Sequence[str]]
) -> VerdictAgreement:
    """MT-Bench agreement: each (judge vote, human vote) on the same key is one trial.

    Args:
        judge: key (question, model pair, turn) -> the judge's vote: model_a, model_b or tie.
        humans: key -> every human vote on that key.

    Returns:
        Counts for judge-human and for human-human (every unordered pair of human votes
        on a key), with ties as a third class and with any tie-containing trial dropped.
    """
    judge_pairs = [(judge[k], v) for k, votes in humans.items() if k in judge for v in votes]
    human_pairs = [
        (votes[i], votes[j])
        for votes in humans.values()
        for i in range(len(votes))
        for j in range(i + 1, len(votes))
    ]
    return VerdictAgreement(
        _tally(judge_pairs, False),
        _tally(judge_pairs, True),
        _tally(human_pairs, False),
        _tally(human_pairs, True),
    )


def score_vote(score_a: float, score_b: float) -> str:
    """The pairwise verdict implied by two scores: the higher one wins; equal is a tie."""
    if score_a > score_b:
        return "model_a"
    if score_b > score_a:
        return "model_b"
    return "tie"
