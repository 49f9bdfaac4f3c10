"""Pairwise bias checks for one judge: position, verbosity and self-preference.

Each check is a share with a question-clustered bootstrap interval; the verbosity and
self-preference shares are measured for the judge and for the humans on the same
comparisons, so the two can be set side by side.
"""

from __future__ import annotations

import numpy as np

from mtbench_tui.core.families import model_family
from mtbench_tui.core.pairwise.results import PairBias, Settings, Share
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
    voted = np.zeros(frame.n_comparisons, bool)
    voted[frame.vote_comparison] = True
    longer = _longer(frame)
    own = _own_side(frame, column.judge)
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
    )


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
    c, label = frame.vote_comparison, frame.vote_label
    keep = mask[c] & (label != TIE)
    hits = (label[keep] == side[c[keep]]).astype(float)
    return _maybe(hits, np.ones(keep.sum()), frame.question[c[keep]], settings)


def _maybe(count: np.ndarray, total: np.ndarray, q: np.ndarray, settings: Settings) -> Share | None:
    """A share, or None when there is nothing to measure."""
    return _share(count, total, q, settings) if total.sum() > 0 else None


def _share(count: np.ndarray, total: np.ndarray, q: np.ndarray, settings: Settings) -> Share:
    """sum(count) / sum(total) with a question-clustered interval."""
    n = int(round(float(np.sum(total))))
    hits = int(round(float(np.sum(count))))
    if n == 0 or settings.n_resamples <= 0:
        return Share(hits, n, None)
    result = bootstrap_sums(
        {"count": count.astype(float), "total": total.astype(float)},
        q,
        lambda s: s["count"] / s["total"],
        n_resamples=settings.n_resamples,
        confidence=settings.confidence,
        seed=settings.seed,
    )
    ci = None if np.isnan(result.low) else (result.low, result.high)
    return Share(hits, n, ci)
