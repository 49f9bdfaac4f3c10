"""Human-judge and human-human agreement on stored ratings, with cluster-bootstrap intervals."""

from __future__ import annotations

from collections import defaultdict
from itertools import combinations
from typing import NamedTuple

import numpy as np
import numpy.typing as npt

from mtbench_tui.core.analysis.frames import HumanPairs, RatingPairs
from mtbench_tui.core.analysis.model import (
    AgreementCell,
    AgreementRow,
    Breakdown,
    Group,
    HumanHuman,
    MetricValues,
    PairwiseBlock,
    SameItems,
    TiesPair,
)
from mtbench_tui.core.analysis.numbers import Estimate, Interval, clean
from mtbench_tui.core.analysis.settings import Settings
from mtbench_tui.core.stats.bootstrap import bootstrap_sums, mean_of
from mtbench_tui.core.stats.paired import PairedData, agreement
from mtbench_tui.core.stats.verdicts import normalise_vote, score_vote

__all__ = ["BREAKDOWNS", "Settings", "human_human_block", "judge_human_row", "pairwise_block"]

BREAKDOWNS = ("turn", "category", "model")

Mask = npt.NDArray[np.bool_]


def _metrics(data: PairedData, s: Settings) -> MetricValues:
    """Every score metric with its cluster-bootstrap interval."""
    return MetricValues.of(agreement(data, s.n_resamples, s.confidence, s.seed))


def judge_human_row(
    pairs: RatingPairs, label: str, settings: Settings, by: tuple[str, ...]
) -> AgreementRow:
    """Agreement of one reviewer (or all) with one judge, overall and broken down.

    Args:
        pairs: the paired ratings of this reviewer (or all reviewers) and the judge.
        label: the reviewer's name, or ``all``.
        settings: bootstrap settings.
        by: the fields to break the comparison down by.

    Returns:
        The row, with one Breakdown per field.
    """
    return AgreementRow(
        reviewer=label,
        n=pairs.n,
        n_questions=int(np.unique(pairs.question_id).size),
        metrics=_metrics(pairs.paired(), settings),
        breakdowns=tuple(_breakdown(pairs, field, settings) for field in by),
    )


def _breakdown(pairs: RatingPairs, field: str, settings: Settings) -> Breakdown:
    """One group per distinct value of ``field``, in string order."""
    column = getattr(pairs, field)
    groups = []
    for value in sorted(set(column.tolist()), key=str):
        mask = column == value
        metrics = _metrics(pairs.paired(mask), settings)
        nq = int(np.unique(pairs.question_id[mask]).size)
        groups.append(Group(str(value), int(mask.sum()), nq, metrics))
    return Breakdown(field, tuple(groups))


def human_human_block(
    humans: HumanPairs, judge_pairs: dict[str, RatingPairs], settings: Settings
) -> HumanHuman | None:
    """Human-human agreement, beside each judge's agreement with humans on the same turns.

    Args:
        humans: every pair of reviewers' scores on a shared turn.
        judge_pairs: each judge's pairs with all reviewers.
        settings: bootstrap settings.

    Returns:
        The comparison, or None when no turn has two reviewers.
    """
    if humans.n == 0:
        return None
    shared = humans.turn_keys()
    same_items = []
    for judge, pairs in judge_pairs.items():
        mask = same_turns(pairs, shared)
        if mask.any():
            metrics = _metrics(pairs.paired(mask), settings)
            nq = int(np.unique(pairs.question_id[mask]).size)
            same_items.append(SameItems(judge, int(mask.sum()), nq, metrics))
    return HumanHuman(
        reviewers=humans.reviewers,
        n=humans.n,
        n_turns=len(shared),
        n_questions=int(np.unique(humans.question_id).size),
        metrics=_metrics(humans.paired(), settings),
        same_items=tuple(same_items),
    )


def same_turns(pairs: RatingPairs, shared: set[tuple[int, str, int]]) -> Mask:
    """Which of a judge's pairs are on turns two or more reviewers rated.

    Args:
        pairs: the judge's pairs.
        shared: the (question, model, turn) keys rated by two or more reviewers.

    Returns:
        A boolean mask over the pairs.
    """
    keys = zip(pairs.question_id.tolist(), pairs.model.tolist(), pairs.turn.tolist())
    return np.fromiter((k in shared for k in keys), dtype=bool, count=pairs.n)


def pairwise_block(judge: str, pairs: RatingPairs, settings: Settings) -> PairwiseBlock:
    """MT-Bench's pairwise agreement, derived from scores: who scored which of two answers higher.

    For each question, turn and pair of models, each reviewer who scored both answers casts
    a vote (the higher score wins; equal is a tie), as does the judge. Every (judge vote,
    human vote) is a trial, and so is every pair of human votes on the same key.

    Args:
        judge: the judge's label.
        pairs: the judge's pairs with all reviewers.
        settings: bootstrap settings.

    Returns:
        Judge-human and human-human agreement, with and without ties.
    """
    human_scores: dict[tuple[int, int, str], dict[str, float]] = defaultdict(dict)
    judge_scores: dict[tuple[int, int], dict[str, float]] = defaultdict(dict)
    for q, m, t, r, h, j in zip(
        pairs.question_id.tolist(),
        pairs.model.tolist(),
        pairs.turn.tolist(),
        pairs.reviewer.tolist(),
        pairs.human.tolist(),
        pairs.judge.tolist(),
    ):
        human_scores[(q, t, r)][m] = h
        judge_scores[(q, t)][m] = j
    votes: dict[tuple[int, int, str, str], list[str]] = defaultdict(list)
    for (q, t, _r), by_model in human_scores.items():
        for m1, m2 in combinations(sorted(by_model), 2):
            votes[(q, t, m1, m2)].append(score_vote(by_model[m1], by_model[m2]))
    jh: list[Trial] = []
    hh: list[Trial] = []
    for (q, t, m1, m2), human_votes in votes.items():
        judged = judge_scores[(q, t)]
        judge_vote = score_vote(judged[m1], judged[m2])
        jh += [_trial(q, judge_vote, v) for v in human_votes]
        hh += [_trial(q, a, b) for a, b in combinations(human_votes, 2)]
    return PairwiseBlock(judge, len(votes), _rates(jh, settings), _rates(hh, settings))


class Trial(NamedTuple):
    """One comparison of two votes on a question."""

    question: int
    agree: bool
    tie: bool
    """Either vote was a tie."""


def _trial(question: int, left: str, right: str) -> Trial:
    """Compare two votes."""
    left, right = normalise_vote(left), normalise_vote(right)
    return Trial(question, left == right, "tie" in (left, right))


def _rates(trials: list[Trial], settings: Settings) -> TiesPair:
    """Agreement with ties (three classes) and without (tie trials dropped), with clustered CIs."""
    return TiesPair(
        agreement_cell(trials, settings), agreement_cell([t for t in trials if not t.tie], settings)
    )


def agreement_cell(trials: list[Trial], settings: Settings) -> AgreementCell:
    """The share of agreeing trials with a cluster-bootstrap interval (clusters: questions).

    Args:
        trials: the trials to count.
        settings: bootstrap settings.

    Returns:
        The cell; rate and interval are None when there are no trials.
    """
    agree = np.array([t.agree for t in trials], dtype=float)
    if agree.size == 0:
        return AgreementCell(0, 0, Estimate(None), 0)
    ci = bootstrap_sums(
        {"one": np.ones(agree.size), "agree": agree},
        np.array([t.question for t in trials]),
        mean_of("agree"),
        settings.n_resamples,
        settings.confidence,
        settings.seed,
    )
    rate = Estimate(clean(float(agree.mean())), Interval(clean(ci.low), clean(ci.high)))
    return AgreementCell(int(agree.sum()), int(agree.size), rate, ci.n_clusters)
