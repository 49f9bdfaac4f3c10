"""MT-Bench pairwise agreement derived from scores, counted on arrays.

For each question, turn and pair of models, each reviewer who scored both answers casts a
vote (the higher score wins; equal is a tie), as does the judge. Every (judge vote, human
vote) is a trial, and so is every pair of human votes on the same key. Trials are never
listed one by one: each question's counts are what the bootstrap needs.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from mtbench_tui.core.analysis.frames import RatingPairs
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


BLOCK_ROWS = 20_000
"""Rows (whole questions) whose pairs are counted at once: bounds memory at any scale."""


@dataclass(frozen=True)
class Columns:
    """The columns pairwise counting reads, as integer codes and scores."""

    question: np.ndarray
    """Codes into the coded question column."""
    turn: np.ndarray
    model: np.ndarray
    reviewer: np.ndarray
    human: np.ndarray
    judge: np.ndarray

    def rows(self, index: np.ndarray) -> Columns:
        """Some rows."""
        return Columns(*(getattr(self, f)[index] for f in _COLUMNS))


_COLUMNS = ("question", "turn", "model", "reviewer", "human", "judge")


def pairwise_block(judge: str, pairs: RatingPairs, settings: Settings) -> PairwiseBlock:
    """MT-Bench's pairwise agreement, derived from scores: who scored which of two answers higher.

    Args:
        judge: the judge's label.
        pairs: the judge's pairs with all reviewers.
        settings: bootstrap settings.

    Returns:
        Judge-human and human-human agreement, with and without ties.
    """
    questions = pairs.coded("question_id")
    columns = Columns(
        questions.codes,
        pairs.turn,
        pairs.coded("model").codes,
        pairs.coded("reviewer").codes,
        pairs.human,
        pairs.judge,
    )
    size = len(questions.values)
    jh, hh = _zeros(size), _zeros(size)
    n_comparisons = 0
    for block in _blocks(columns.question, BLOCK_ROWS):
        n_comparisons += _count_block(columns.rows(block), jh, hh)
    ids = np.asarray(questions.values, dtype=np.int64)
    return PairwiseBlock(
        judge, n_comparisons, _rates(Tally(ids, *jh), settings), _rates(Tally(ids, *hh), settings)
    )


def _zeros(size: int) -> list[np.ndarray]:
    """Four per-question counters: agree, total, agree without ties, total without ties."""
    return [np.zeros(size) for _ in range(4)]


def _blocks(question: np.ndarray, rows: int) -> list[np.ndarray]:
    """Row indexes in blocks of whole questions, about ``rows`` rows each."""
    order = np.argsort(question, kind="stable")
    q = question[order]
    starts = np.flatnonzero(np.r_[True, q[1:] != q[:-1]])
    blocks, begin = [], 0
    for start in starts[1:]:
        if start - begin >= rows:
            blocks.append(order[begin:start])
            begin = int(start)
    blocks.append(order[begin:])
    return [b for b in blocks if b.size]


def _count_block(c: Columns, jh: list[np.ndarray], hh: list[np.ndarray]) -> int:
    """Add a block's trials to the per-question counters; return its comparisons."""
    # Judge against humans: each reviewer's pairs of models on a (question, turn).
    left, right = _pairs_within(
        _order(c.question, c.turn, c.reviewer, c.model), (c.question, c.turn, c.reviewer)
    )
    comparisons = _distinct_comparisons(c, left, right)
    human = np.sign(c.human[left] - c.human[right])
    _tally(jh, c.question[left], human, np.sign(c.judge[left] - c.judge[right]))
    # Humans against humans: two reviewers' votes on the same pair of models.
    first, second = _pairs_within(
        _order(c.question, c.turn, c.model, c.reviewer), (c.question, c.turn, c.model)
    )
    keep = c.reviewer[first] != c.reviewer[second]
    _reviewer_pairs(c, first[keep], second[keep], hh)
    return comparisons


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


def _distinct_comparisons(c: Columns, left: np.ndarray, right: np.ndarray) -> int:
    """How many (question, turn, model pair) at least one reviewer voted on."""
    if left.size == 0:
        return 0
    models = int(c.model.max()) + 1
    low = np.minimum(c.model[left], c.model[right]).astype(np.int64)
    high = np.maximum(c.model[left], c.model[right]).astype(np.int64)
    key = ((c.question[left].astype(np.int64) * 3 + c.turn[left]) * models + low) * models + high
    key.sort()
    return int(np.count_nonzero(key[1:] != key[:-1])) + 1


def _reviewer_pairs(
    c: Columns, first: np.ndarray, second: np.ndarray, out: list[np.ndarray]
) -> None:
    """Two reviewers who both scored two models on a (question, turn): their votes compared.

    Each (first, second) row pair is one model both reviewers scored (first's reviewer
    sorts first); pairing those up within (question, turn, reviewer pair) gives every pair
    of models both scored.
    """
    one, two = first, second
    r1, r2 = c.reviewer[one], c.reviewer[two]
    order = _order(c.question[one], c.turn[one], r1, r2, c.model[one])
    left, right = _pairs_within(order, (c.question[one], c.turn[one], r1, r2))
    vote_one = np.sign(c.human[one[left]] - c.human[one[right]])
    vote_two = np.sign(c.human[two[left]] - c.human[two[right]])
    _tally(out, c.question[one[left]], vote_one, vote_two)


def _tally(out: list[np.ndarray], question: np.ndarray, a: np.ndarray, b: np.ndarray) -> None:
    """Add trials where two votes (-1, 0, 1; 0 is a tie) agree, with and without ties.

    Args:
        out: per-question counters (agree, total, agree without ties, total without ties).
        question: each trial's question code.
        a: one side's votes.
        b: the other side's votes.
    """
    decisive = (a != 0) & (b != 0)
    same = a == b
    size = out[0].size
    for counter, hit in zip(out, (same, None, same & decisive, decisive)):
        weights = None if hit is None else hit.astype(float)
        counter += np.bincount(question, weights=weights, minlength=size)


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
