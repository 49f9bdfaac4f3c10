"""Pairwise bias checks for one judge: position, verbosity and self-preference.

Each check is a share with a question-clustered bootstrap interval; the verbosity and
self-preference shares are measured for the judge and for the humans on the same
comparisons, so the two can be set side by side.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from mtbench_tui.core.families import model_family
from mtbench_tui.core.pairwise.results import Gap, PairBias, Settings, Share
from mtbench_tui.core.stats.bootstrap import bootstrap_sums
from mtbench_tui.core.store.pair_frames import TIE, JudgeColumn, PairFrame


def judge_bias(frame: PairFrame, column: JudgeColumn, settings: Settings) -> PairBias:
    """Every pairwise bias check for one judge.

    Args:
        frame: the loaded votes and verdicts.
        column: the judge's verdicts.
        settings: bootstrap settings.

    Returns:
        The checks; those whose data is missing are None.
    """
    q, judged = frame.question, column.label >= 0
    known = column.orders_known
    voted = frame.vote_counts.sum(1) > 0
    longer = _longer(frame)
    own = _own_side(frame, column.judge)
    flips = known & (column.decisive_orders == 2) & (column.first_won != 1)
    longer_pairs = _paired_shares(frame, column.label, judged & voted & (longer >= 0), longer)
    own_pairs = _paired_shares(frame, column.label, judged & voted & (own >= 0), own)
    return PairBias(
        judge=column.judge,
        inconsistent=_share(
            column.inconsistent[judged], np.ones(judged.sum()), q[judged], settings
        ),
        order_inconsistency=_maybe(
            column.orders_differ[known], np.ones(known.sum()), q[known], settings
        ),
        first_position_wins=_maybe(
            column.first_won[known], column.decisive_orders[known], q[known], settings
        ),
        longer_wins_judge=_judge_share(
            column.label, judged & voted & (longer >= 0), longer, q, settings
        ),
        longer_wins_humans=_human_share(frame, judged & (longer >= 0), longer, settings),
        own_model_wins_judge=_judge_share(
            column.label, judged & voted & (own >= 0), own, q, settings
        ),
        own_model_wins_humans=_human_share(frame, judged & (own >= 0), own, settings),
        flips_won_by_first=_maybe(
            (column.first_won[flips] == 2).astype(float), np.ones(flips.sum()), q[flips], settings
        ),
        longer_wins_gap=_gap(longer_pairs, settings),
        own_model_wins_gap=_gap(own_pairs, settings),
        judge_family=model_family(column.judge.split("/")[0]),
    )


class _Paired(NamedTuple):
    """A judge's hits and the humans' hits on the same comparisons, one row per observation."""

    question: np.ndarray
    judge_hit: np.ndarray
    judge_n: np.ndarray
    human_hit: np.ndarray
    human_n: np.ndarray


def _paired_shares(
    frame: PairFrame, label: np.ndarray, mask: np.ndarray, side: np.ndarray
) -> _Paired:
    """The judge's decisive verdicts and the humans' decisive votes on the comparisons in
    ``mask``, each marked 1 where it names ``side`` (votes weigh their counts)."""
    judge = mask & (label >= 0) & (label != TIE)
    c, vote, weight = _decisive_votes(frame, mask)
    jq, hq = frame.question[judge], frame.question[c]
    zeros_j, zeros_h = np.zeros(jq.size), np.zeros(hq.size)
    return _Paired(
        np.concatenate([jq, hq]),
        np.concatenate([(label[judge] == side[judge]).astype(float), zeros_h]),
        np.concatenate([np.ones(jq.size), zeros_h]),
        np.concatenate([zeros_j, (vote == side[c]) * weight]),
        np.concatenate([zeros_j, weight]),
    )


def _decisive_votes(frame: PairFrame, mask: np.ndarray) -> tuple[np.ndarray, ...]:
    """(comparison, label, count) of the decisive votes on the comparisons in ``mask``."""
    decisive = frame.vote_counts[:, :2] * mask[:, None]
    comparison, label = np.nonzero(decisive > 0)
    return comparison, label, decisive[comparison, label].astype(float)


def _gap(p: _Paired, settings: Settings) -> Gap | None:
    """The judge's share minus the humans' share, with one question-clustered bootstrap."""
    if p.judge_n.sum() == 0 or p.human_n.sum() == 0:
        return None
    value = p.judge_hit.sum() / p.judge_n.sum() - p.human_hit.sum() / p.human_n.sum()
    n_questions = int(np.unique(p.question).size)
    if settings.n_resamples <= 0:
        return Gap(float(value), None, n_questions)
    result = bootstrap_sums(
        {"jh": p.judge_hit, "jn": p.judge_n, "hh": p.human_hit, "hn": p.human_n},
        p.question,
        lambda s: s["jh"] / s["jn"] - s["hh"] / s["hn"],
        n_resamples=settings.n_resamples,
        confidence=settings.confidence,
        seed=settings.seed,
    )
    ci = None if np.isnan(result.low) else (result.low, result.high)
    return Gap(float(value), ci, n_questions)


def _longer(frame: PairFrame) -> np.ndarray:
    """Per comparison: 0 when model_1's answer is longer, 1 when model_2's, -1 if equal/unknown."""
    a, b = frame.length_1, frame.length_2
    return np.where(a > b, 0, np.where(b > a, 1, -1))


def _own_side(frame: PairFrame, judge: str) -> np.ndarray:
    """Per comparison: the side of the one model in the judge's family, -1 if none or both."""
    family = model_family(judge.split("/")[0])
    if family is None:
        return np.full(frame.n_comparisons, -1)
    names = sorted({*frame.model_1, *frame.model_2})
    mine = {m for m in names if model_family(m) == family}
    first = np.array([m in mine for m in frame.model_1], bool)
    second = np.array([m in mine for m in frame.model_2], bool)
    return np.where(first & ~second, 0, np.where(second & ~first, 1, -1))


def _judge_share(
    label: np.ndarray, mask: np.ndarray, side: np.ndarray, q: np.ndarray, settings: Settings
) -> Share | None:
    """Of the judge's decisive verdicts where ``mask``, the share naming ``side``."""
    keep = mask & (label >= 0) & (label != TIE)
    return _maybe((label[keep] == side[keep]).astype(float), np.ones(keep.sum()), q[keep], settings)


def _human_share(
    frame: PairFrame, mask: np.ndarray, side: np.ndarray, settings: Settings
) -> Share | None:
    """Of decisive human votes on comparisons where ``mask``, the share naming ``side``."""
    c, vote, weight = _decisive_votes(frame, mask)
    hits = (vote == side[c]) * weight
    return _maybe(hits, weight, frame.question[c], settings)


def _maybe(count: np.ndarray, total: np.ndarray, q: np.ndarray, settings: Settings) -> Share | None:
    """A share, or None when there is nothing to measure."""
    return _share(count, total, q, settings) if total.sum() > 0 else None


def _share(count: np.ndarray, total: np.ndarray, q: np.ndarray, settings: Settings) -> Share:
    """sum(count) / sum(total) with a question-clustered interval."""
    n = int(round(float(np.sum(total))))
    hits = int(round(float(np.sum(count))))
    n_questions = int(np.unique(q[total > 0]).size)
    if n == 0 or settings.n_resamples <= 0:
        return Share(hits, n, None, n_questions)
    result = bootstrap_sums(
        {"count": count.astype(float), "total": total.astype(float)},
        q,
        lambda s: s["count"] / s["total"],
        n_resamples=settings.n_resamples,
        confidence=settings.confidence,
        seed=settings.seed,
    )
    ci = None if np.isnan(result.low) else (result.low, result.high)
    return Share(hits, n, ci, n_questions)
