"""Human-judge and human-human agreement on stored ratings, with cluster-bootstrap intervals."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import numpy.typing as npt

from mtbench_tui.core.analysis.frames import RatingPairs, TurnKeys
from mtbench_tui.core.analysis.model import (
    AgreementRow,
    Breakdown,
    Group,
    HumanHuman,
    MetricValues,
    SameItems,
)
from mtbench_tui.core.analysis.reviewer_pairs import HumanPairs
from mtbench_tui.core.analysis.score_pairs import pairwise_block
from mtbench_tui.core.analysis.settings import Settings
from mtbench_tui.core.stats._arrays import unique_inverse
from mtbench_tui.core.stats.grouped import Request, agreement, start_agreements
from mtbench_tui.core.stats.paired import Estimate, PairedData

__all__ = [
    "BREAKDOWNS",
    "Settings",
    "human_human_block",
    "pairwise_block",
    "start_judge_human_rows",
]

BREAKDOWNS = ("turn", "category", "model")

Mask = npt.NDArray[np.bool_]


def _metrics(data: PairedData, s: Settings) -> MetricValues:
    """Every score metric with its cluster-bootstrap interval."""
    return MetricValues.of(agreement(data, s.n_resamples, s.confidence, s.seed))


def start_judge_human_rows(
    rows: Sequence[tuple[str, RatingPairs]],
    settings: Settings,
    by: tuple[str, ...],
    also: Sequence[PairedData] = (),
) -> Callable[[], tuple[AgreementRow, ...]]:
    """Begin the agreement of reviewers (or all pooled) with one judge, overall and broken down.

    Every group of every row is bootstrapped in one run of the engine, queued on its threads;
    the caller keeps BLAS to one thread until it has the rows (``grouped.start_agreements``).

    Args:
        rows: each row's label (a reviewer, or ``all``) and paired ratings.
        settings: bootstrap settings.
        by: the fields to break each row down by.
        also: samples the caller will ask ``agreement`` for next: computed in the same
            run, so that later call finds them done.

    Returns:
        A function that waits and gives the rows, in the order given.
    """
    requests = [Request.whole(d) for d in also]
    for _label, pairs in rows:
        requests.append(_request(pairs, None))
        requests.extend(_request(pairs, field) for field in by)
    s = settings
    waiting = start_agreements(requests, s.n_resamples, s.confidence, s.seed)

    def rows_when_done() -> tuple[AgreementRow, ...]:
        found = iter(waiting()[len(also) :])
        return tuple(
            AgreementRow(
                reviewer=label,
                n=pairs.n,
                n_questions=_distinct(pairs.question_id),
                metrics=MetricValues.of(next(found)[0]),
                breakdowns=tuple(_breakdown(pairs, field, next(found)) for field in by),
            )
            for label, pairs in rows
        )

    return rows_when_done


def _request(pairs: RatingPairs, field: str | None) -> Request:
    """The pairs as one group (``field`` None) or split by a field."""
    if field is None:
        return Request.whole(pairs.paired())
    coded = pairs.coded(field)
    return Request(pairs.human, pairs.judge, pairs.question_id, coded.codes, len(coded.values))


def _breakdown(pairs: RatingPairs, field: str, found: Sequence[dict[str, Estimate]]) -> Breakdown:
    """The breakdown's groups from their estimates (one per coded value)."""
    coded = pairs.coded(field)
    n_groups = len(coded.values)
    sizes = np.bincount(coded.codes, minlength=n_groups)
    questions = _questions_per_group(pairs.question_id, coded.codes, n_groups)
    groups = tuple(
        Group(str(value), int(sizes[i]), int(questions[i]), MetricValues.of(found[i]))
        for i, value in enumerate(coded.values)
    )
    return Breakdown(field, groups)


def _questions_per_group(question: np.ndarray, codes: np.ndarray, n_groups: int) -> np.ndarray:
    """Distinct questions in each group."""
    if question.size == 0:
        return np.zeros(n_groups, dtype=np.int64)
    ids, q = unique_inverse(question)
    if n_groups * ids.size <= SEEN_CELLS:
        # A (group, question) grid of flags: no sort of 100k keys (34 ms on 500 models)
        seen = np.zeros((n_groups, ids.size), dtype=bool)
        seen[codes, q] = True
        return np.asarray(seen.sum(axis=1), dtype=np.int64)
    # One integer key per (group, question): a 1-D unique is far faster than rows.
    keys = np.unique(codes.astype(np.int64) * ids.size + q)
    return np.bincount(keys // ids.size, minlength=n_groups)


SEEN_CELLS = 16_000_000
"""Largest group x question grid of flags (16 MB) counted directly."""


def _distinct(values: np.ndarray) -> int:
    """How many distinct values."""
    return int(unique_inverse(values)[0].size)


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
            nq = _distinct(pairs.question_id[mask])
            same_items.append(SameItems(judge, int(mask.sum()), nq, metrics))
    return HumanHuman(
        reviewers=humans.reviewers,
        n=humans.n,
        n_turns=len(shared),
        n_questions=_distinct(humans.question_id),
        metrics=_metrics(humans.paired(), settings),
        same_items=tuple(same_items),
    )


def same_turns(pairs: RatingPairs, shared: TurnKeys) -> Mask:
    """Which of a judge's pairs are on turns two or more reviewers rated.

    Args:
        pairs: the judge's pairs.
        shared: the (question, model, turn) keys rated by two or more reviewers.

    Returns:
        A boolean mask over the pairs.
    """
    return shared.contains(pairs.question_id, pairs.coded("model"), pairs.turn)
