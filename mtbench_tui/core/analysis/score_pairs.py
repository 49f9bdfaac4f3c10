"""MT-Bench pairwise agreement derived from scores, counted on arrays.

For each question, turn and pair of models, each reviewer who scored both answers casts a
vote (the higher score wins; equal is a tie), as does the judge. Every (judge vote, human
vote) is a trial, and so is every pair of human votes on the same key. Trials are never
listed one by one: each question's counts are what the bootstrap needs.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from mtbench_tui.core.analysis.frames import Coded, RatingPairs
from mtbench_tui.core.analysis.model import AgreementCell, PairwiseBlock, TiesPair
from mtbench_tui.core.analysis.numbers import Estimate, Interval, clean
from mtbench_tui.core.analysis.settings import Settings
from mtbench_tui.core.stats.bootstrap import bootstrap_sums, mean_of


@dataclass(frozen=True)
class Tally:
    """Trials per question: agreeing and all, with ties as a class and without tie trials."""

    question: np.ndarray
    agree: np.ndarray
    total: np.ndarray
    agree_decisive: np.ndarray
    total_decisive: np.ndarray


def pairwise_block(judge: str, pairs: RatingPairs, settings: Settings) -> PairwiseBlock:
    """MT-Bench's pairwise agreement, derived from scores: who scored which of two answers higher.

    Args:
        judge: the judge's label.
        pairs: the judge's pairs with all reviewers.
        settings: bootstrap settings.

    Returns:
        Judge-human and human-human agreement, with and without ties.
    """
    q, t, m = pairs.question_id, pairs.turn, pairs.coded("model").codes
    r = pairs.coded("reviewer").codes
    # Judge against humans: each reviewer's pairs of models on a (question, turn).
    left, right = _pairs_within(_order(q, t, r, m), (q, t, r))
    n_comparisons = _distinct_comparisons(q, t, m, left, right)
    human = np.sign(pairs.human[left] - pairs.human[right])
    questions = pairs.coded("question_id")
    jh = _tally(questions, left, human, np.sign(pairs.judge[left] - pairs.judge[right]))
    # Humans against humans: two reviewers' votes on the same pair of models.
    first, second = _pairs_within(_order(q, t, m, r), (q, t, m))
    keep = r[first] != r[second]
    first, second = first[keep], second[keep]
    hh = _reviewer_pairs(pairs, first, second)
    return PairwiseBlock(judge, n_comparisons, _rates(jh, settings), _rates(hh, settings))


def _order(*keys: np.ndarray) -> np.ndarray:
    """Row indexes sorted by the keys (the first key most significant)."""
    return np.lexsort(tuple(reversed(keys)))


def _pairs_within(
    order: np.ndarray, group_keys: tuple[np.ndarray, ...]
) -> tuple[np.ndarray, np.ndarray]:
    """Every unordered pair of rows sharing ``group_keys`` (rows given in ``order``).

    Returns:
        (left, right) row indexes, left before right in ``order``.
    """
    n = order.size
    if n == 0:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty
    sorted_keys = [k[order] for k in group_keys]
    new = np.zeros(n, bool)
    new[0] = True
    for k in sorted_keys:
        new[1:] |= k[1:] != k[:-1]
    start = np.flatnonzero(new)
    size = np.diff(np.append(start, n))
    position = np.arange(n) - np.repeat(start, size)
    after = np.repeat(size, size) - position - 1  # partners later in the same group
    left = np.repeat(np.arange(n), after)
    first_partner = np.repeat(np.arange(n) + 1, after)
    offset = np.arange(left.size) - np.repeat(np.cumsum(after) - after, after)
    return order[left], order[first_partner + offset]


def _distinct_comparisons(
    q: np.ndarray, t: np.ndarray, m: np.ndarray, left: np.ndarray, right: np.ndarray
) -> int:
    """How many (question, turn, model pair) at least one reviewer voted on."""
    if left.size == 0:
        return 0
    models = int(m.max()) + 1
    low, high = np.minimum(m[left], m[right]), np.maximum(m[left], m[right])
    key = ((q[left].astype(np.int64) * 3 + t[left]) * models + low) * models + high
    key.sort()
    return int(np.count_nonzero(key[1:] != key[:-1])) + 1


def _reviewer_pairs(pairs: RatingPairs, first: np.ndarray, second: np.ndarray) -> Tally:
    """Two reviewers who both scored two models on a (question, turn): their votes compared."""
    q, t = pairs.question_id, pairs.turn
    m, r = pairs.coded("model").codes, pairs.coded("reviewer").codes
    # Each row of (first, second) is one model both reviewers scored; pair those rows up
    # within (question, turn, reviewer pair).
    r1, r2 = np.minimum(r[first], r[second]), np.maximum(r[first], r[second])
    swap = r[first] > r[second]
    one, two = np.where(swap, second, first), np.where(swap, first, second)
    order = _order(q[one], t[one], r1, r2, m[one])
    left, right = _pairs_within(order, (q[one], t[one], r1, r2))
    vote_one = np.sign(pairs.human[one[left]] - pairs.human[one[right]])
    vote_two = np.sign(pairs.human[two[left]] - pairs.human[two[right]])
    return _tally(pairs.coded("question_id"), one[left], vote_one, vote_two)


def _tally(questions: Coded, rows: np.ndarray, a: np.ndarray, b: np.ndarray) -> Tally:
    """Per question: trials where two votes (-1, 0, 1; 0 is a tie) agree, with and without ties.

    Args:
        questions: the frame's question column, coded.
        rows: each trial's row in the frame (its question).
        a: one side's votes.
        b: the other side's votes.

    Returns:
        Counts per question (questions without trials have zeros).
    """
    decisive = (a != 0) & (b != 0)
    same = a == b
    code = questions.codes[rows]
    size = len(questions.values)

    def count(hit: np.ndarray) -> np.ndarray:
        return np.bincount(code, weights=hit.astype(float), minlength=size)

    return Tally(
        np.asarray(questions.values, dtype=np.int64),
        count(same),
        np.bincount(code, minlength=size).astype(float),
        count(same & decisive),
        count(decisive),
    )


def _rates(tally: Tally, settings: Settings) -> TiesPair:
    """Agreement with ties (three classes) and without (tie trials dropped), with clustered CIs."""
    return TiesPair(
        _cell(tally.question, tally.agree, tally.total, settings),
        _cell(tally.question, tally.agree_decisive, tally.total_decisive, settings),
    )


def _cell(
    question: np.ndarray, agree: np.ndarray, total: np.ndarray, settings: Settings
) -> AgreementCell:
    """The share of agreeing trials with a cluster-bootstrap interval (clusters: questions)."""
    keep = total > 0
    n, hits = int(total.sum()), int(agree.sum())
    if n == 0:
        return AgreementCell(0, 0, Estimate(None), 0)
    ci = bootstrap_sums(
        {"one": total[keep], "agree": agree[keep]},
        question[keep],
        mean_of("agree"),
        settings.n_resamples,
        settings.confidence,
        settings.seed,
    )
    rate = Estimate(clean(hits / n), Interval(clean(ci.low), clean(ci.high)))
    return AgreementCell(hits, n, rate, ci.n_clusters)
