"""FastChat ``compute_agreement.py`` counting, vectorised over label codes.

Labels: 0 = model_1 wins, 1 = model_2 wins, 2 = tie (any tie label), -1 = no verdict.
Two ties agree. "Without ties" drops every pair in which either side is a tie.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from mtbench_tui.core.stats.bootstrap import percentile_interval, seeded_sums

TIE = 2


@dataclass(frozen=True)
class PairCounts:
    """Per-observation agreement columns, each observation belonging to one question.

    ``cells`` is observations x 9: the 3x3 confusion counts (first label x second label)
    that each observation contributes, for Cohen's kappa.
    """

    question: np.ndarray
    agree_ties: np.ndarray
    total_ties: np.ndarray
    agree_no_ties: np.ndarray
    total_no_ties: np.ndarray
    cells: np.ndarray

    def subset(self, mask: np.ndarray) -> PairCounts:
        """Only the observations where ``mask`` is True."""
        return PairCounts(*(getattr(self, f)[mask] for f in _FIELDS))


_FIELDS = ("question", "agree_ties", "total_ties", "agree_no_ties", "total_no_ties", "cells")


def versus_votes(
    judge: np.ndarray, vote_counts: np.ndarray, question: np.ndarray
) -> tuple[PairCounts, np.ndarray]:
    """A judge against each human vote on comparisons where the judge has a verdict.

    Votes are given as counts per comparison and label; each (comparison, label) is one
    observation weighing as many votes as chose that label.

    Args:
        judge: the judge's label per comparison (-1 where none).
        vote_counts: comparisons x 3 vote counts (model_1, model_2, tie).
        question: each comparison's question id.

    Returns:
        The observations, and the comparison of each.
    """
    comparison, label = np.nonzero((vote_counts > 0) & (judge >= 0)[:, None])
    weight = vote_counts[comparison, label].astype(float)
    a = judge[comparison].astype(np.int64)
    return _pairs(a, label.astype(np.int64), question[comparison], weight), comparison


def _pairs(
    a: np.ndarray, b: np.ndarray, question: np.ndarray, weight: np.ndarray | None = None
) -> PairCounts:
    """Agreement columns for aligned label arrays (each pair weighing ``weight``, default 1)."""
    w = np.ones(a.size) if weight is None else weight
    agree = (a == b) * w
    decisive = ((a != TIE) & (b != TIE)) * w
    cells = np.zeros((a.size, 9))
    cells[np.arange(a.size), a * 3 + b] = w
    return PairCounts(question, agree, w, (a == b) * decisive, decisive, cells)


def among_votes(vote_counts: np.ndarray, question: np.ndarray) -> tuple[PairCounts, np.ndarray]:
    """Every unordered pair of votes on the same comparison (one vote per reviewer there).

    Args:
        vote_counts: comparisons x 3 vote counts (model_1, model_2, tie).
        question: each comparison's question id.

    Returns:
        One observation per comparison (its pairs summed), and the comparison indexes.
    """
    n = question.size
    counts = vote_counts.astype(float)
    pairs = _choose2(counts)
    total = _choose2(counts.sum(1))
    decisive_total = _choose2(counts[:, 0] + counts[:, 1])
    cells = np.zeros((n, 3, 3))
    for x in range(3):
        for y in range(3):
            # An unordered pair of different labels counts half in each orientation.
            cells[:, x, y] = pairs[:, x] if x == y else counts[:, x] * counts[:, y] / 2
    keep = total > 0
    result = PairCounts(
        question[keep],
        pairs.sum(1)[keep],
        total[keep],
        (pairs[:, 0] + pairs[:, 1])[keep],
        decisive_total[keep],
        cells.reshape(n, 9)[keep],
    )
    return result, np.flatnonzero(keep)


def _choose2(x: np.ndarray) -> np.ndarray:
    """x choose 2, elementwise."""
    return np.asarray(x * (x - 1) / 2)


def majority(vote_counts: np.ndarray) -> np.ndarray:
    """Each comparison's majority label, -1 where there is no vote or the top count is shared."""
    top = vote_counts.max(1)
    unique = (vote_counts == top[:, None]).sum(1) == 1
    return np.where((top > 0) & unique, vote_counts.argmax(1), -1).astype(np.int8)


def versus_labels(a: np.ndarray, b: np.ndarray, question: np.ndarray) -> PairCounts:
    """Two label columns over the same comparisons, where both have a label."""
    keep = (a >= 0) & (b >= 0)
    return _pairs(a[keep].astype(np.int64), b[keep].astype(np.int64), question[keep])


def kappa(cells: np.ndarray) -> np.ndarray:
    """Cohen's kappa from summed 3x3 confusion cells (last axis 9), vectorised over resamples."""
    table = cells.reshape(*cells.shape[:-1], 3, 3)
    n = table.sum((-1, -2))
    with np.errstate(divide="ignore", invalid="ignore"):
        observed = np.trace(table, axis1=-2, axis2=-1) / n
        expected = (table.sum(-1) * table.sum(-2)).sum(-1) / n**2
        return np.asarray((observed - expected) / (1 - expected))


Statistic = Callable[[dict[str, np.ndarray]], np.ndarray]


def cluster_intervals(
    counts: PairCounts,
    statistics: dict[str, Statistic],
    n_resamples: int,
    confidence: float,
    seed: int,
) -> dict[str, tuple[float, float] | None]:
    """Question-clustered percentile intervals of several statistics of the summed columns.

    Every statistic reads the same resamples, so intervals of one cell are coherent.
    """
    if counts.question.size == 0 or n_resamples <= 0:
        return dict.fromkeys(statistics)
    ids, inverse = np.unique(counts.question, return_inverse=True)
    columns = np.column_stack(
        [
            counts.agree_ties,
            counts.total_ties,
            counts.agree_no_ties,
            counts.total_no_ties,
            counts.cells,
        ]
    )
    per_question = np.zeros((ids.size, columns.shape[1]))
    np.add.at(per_question, inverse, columns)
    summed = seeded_sums(per_question, n_resamples, seed)
    named = {
        "agree_ties": summed[:, 0],
        "total_ties": summed[:, 1],
        "agree_no_ties": summed[:, 2],
        "total_no_ties": summed[:, 3],
        "cells": summed[:, 4:],
    }
    out: dict[str, tuple[float, float] | None] = {}
    with np.errstate(divide="ignore", invalid="ignore"):
        for name, statistic in statistics.items():
            low, high, _bad = percentile_interval(np.asarray(statistic(named), float), confidence)
            out[name] = None if np.isnan(low) else (low, high)
    return out
