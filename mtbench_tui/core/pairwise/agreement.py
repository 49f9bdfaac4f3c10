"""Pairwise agreement between judges and human voters, as in MT-Bench's Table 5.

Counting follows FastChat's ``compute_agreement.py`` per turn: a judge against every
human vote on the comparisons it judged; humans against humans over every unordered pair
of votes on one comparison; any tie label is a tie and two ties agree; "without ties"
drops a pair where either side is a tie. Intervals resample whole questions.
"""

from __future__ import annotations

import numpy as np

from mtbench_tui.core.pairwise.counting import (
    PairCounts,
    among_votes,
    cluster_intervals,
    kappa,
    majority,
    versus_labels,
    versus_votes,
)
from mtbench_tui.core.pairwise.pair_bias import judge_bias
from mtbench_tui.core.pairwise.results import (
    RANDOM_WITH_TIES,
    RANDOM_WITHOUT_TIES,
    AgreementRow,
    Cell,
    Cells,
    Kappa,
    PairwiseAgreement,
    Settings,
)
from mtbench_tui.core.store import Store
from mtbench_tui.core.store.pair_frames import PairFrame, load_pair_frame

HUMANS = "humans"
"""The ``second`` of a row compared with the pooled human votes."""


def pairwise_agreement(
    store: Store,
    humans: str | None = None,
    *,
    n_resamples: int = 2000,
    confidence: float = 0.95,
    seed: int = 0,
) -> PairwiseAgreement:
    """Table 5 for every judge in the store, plus kappa, intervals, breakdowns and bias.

    Args:
        store: the database.
        humans: the reviewer group forming the human pool (the paper's: ``expert``);
            None pools every reviewer.
        n_resamples: bootstrap resamples for the intervals (0 for none).
        confidence: interval coverage.
        seed: random seed, for reproducible intervals.

    Returns:
        The typed result; ``to_json()`` gives its JSON.
    """
    frame = load_pair_frame(store.db, humans)
    return analyse(frame, Settings(n_resamples, confidence, seed, humans))


def analyse(frame: PairFrame, settings: Settings) -> PairwiseAgreement:
    """The analysis on arrays already loaded (see ``pairwise_agreement``)."""
    q = frame.question
    judge_human, judge_majority = [], []
    top = majority(frame.vote_counts)
    for column in frame.judges:
        counts, comparison = versus_votes(column.label, frame.vote_counts, q)
        if counts.total_ties.size:
            judge_human.append(
                _row(column.judge, column.kind, HUMANS, counts, comparison, frame, settings)
            )
        both = (column.label >= 0) & (top >= 0)
        if both.any():
            counts = versus_labels(column.label, top, q)
            judge_majority.append(
                _row(
                    column.judge,
                    column.kind,
                    "human majority",
                    counts,
                    np.flatnonzero(both),
                    frame,
                    settings,
                )
            )
    counts, comparison = among_votes(frame.vote_counts, q)
    human_human = None
    if counts.total_ties.size:
        human_human = _row(HUMANS, "human", HUMANS, counts, comparison, frame, settings)
    return PairwiseAgreement(
        settings=settings,
        n_votes=frame.n_votes,
        n_reviewers=frame.n_reviewers,
        n_comparisons=frame.n_comparisons,
        judge_human=tuple(judge_human),
        human_human=human_human,
        judge_majority=tuple(judge_majority),
        judge_judge=tuple(_judge_pairs(frame, settings)),
        bias=tuple(judge_bias(frame, c, settings) for c in frame.judges if c.kind == "pair"),
    )


def _judge_pairs(frame: PairFrame, settings: Settings) -> list[AgreementRow]:
    """Every two judges against each other on the comparisons both judged."""
    rows = []
    for i, first in enumerate(frame.judges):
        for second in frame.judges[i + 1 :]:
            both = (first.label >= 0) & (second.label >= 0)
            if both.any():
                counts = versus_labels(first.label, second.label, frame.question)
                name = f"{second.judge} ({second.kind})"
                rows.append(
                    _row(
                        first.judge, first.kind, name, counts, np.flatnonzero(both), frame, settings
                    )
                )
    return rows


def _row(
    first: str,
    kind: str,
    second: str,
    counts: PairCounts,
    comparison: np.ndarray,
    frame: PairFrame,
    settings: Settings,
) -> AgreementRow:
    """A Table-5 row: per turn, overall, kappa and per category."""
    turn = frame.turn[comparison]
    category = frame.category[comparison]
    turns = tuple(_cells(f"turn {t}", counts.subset(turn == t), settings) for t in (1, 2))
    categories = tuple(
        _cells(f"category {c}", counts.subset(category == c), settings)
        for c in sorted({str(c) for c in category})
    )
    return AgreementRow(
        first,
        kind,
        second,
        turns,
        _cells("all", counts, settings),
        _kappa(counts, settings),
        categories,
    )


def _cells(scope: str, counts: PairCounts, settings: Settings) -> Cells:
    """With- and without-ties cells of one slice, with their intervals."""
    ci = cluster_intervals(
        counts,
        {
            "ties": lambda s: s["agree_ties"] / s["total_ties"],
            "no_ties": lambda s: s["agree_no_ties"] / s["total_no_ties"],
        },
        settings.n_resamples,
        settings.confidence,
        settings.seed,
    )
    return Cells(
        scope,
        Cell(
            _int(counts.agree_ties),
            _int(counts.total_ties),
            RANDOM_WITH_TIES,
            ci["ties"],
            _questions(counts.question, counts.total_ties),
        ),
        Cell(
            _int(counts.agree_no_ties),
            _int(counts.total_no_ties),
            RANDOM_WITHOUT_TIES,
            ci["no_ties"],
            _questions(counts.question, counts.total_no_ties),
        ),
    )


def _kappa(counts: PairCounts, settings: Settings) -> Kappa:
    """Cohen's kappa over {A, B, tie} for all pairs of a row."""
    value = float(kappa(counts.cells.sum(0)))
    ci = cluster_intervals(
        counts,
        {"kappa": lambda s: kappa(s["cells"])},
        settings.n_resamples,
        settings.confidence,
        settings.seed,
    )["kappa"]
    n_questions = _questions(counts.question, counts.total_ties)
    return Kappa(None if np.isnan(value) else value, ci, _int(counts.total_ties), n_questions)


def _questions(question: np.ndarray, weight: np.ndarray) -> int:
    """Distinct questions among observations that count (weight > 0)."""
    return int(np.unique(question[weight > 0]).size)


def _int(values: np.ndarray) -> int:
    """A sum of whole counts as an int (pair counts are computed in floats)."""
    return int(round(float(values.sum())))
